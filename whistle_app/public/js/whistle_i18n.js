// Chinese everywhere and the home-screen manifest (issue #20), on the desk and on every web page.
(function () {
	// The web app manifest: web pages get the link from the server (whistle_app/manifest.py); the
	// desk's page has no head hook, so it is added here.
	if (!document.querySelector('link[rel="manifest"]')) {
		const link = document.createElement("link");
		link.rel = "manifest";
		link.href = "/manifest.json";
		document.head.appendChild(link);
	}

	const pageLanguage = () =>
		(frappe.boot && frappe.boot.user && frappe.boot.user.language) ||
		(frappe.boot && frappe.boot.lang) ||
		document.documentElement.lang;

	const patch = () => {
		// Frappe picks the date picker's language from the user's own Language field, which most users
		// leave empty (and web pages have no user in their boot): the page's language it is.
		const ControlDate = frappe.ui && frappe.ui.form && frappe.ui.form.ControlDate;
		if (ControlDate && !ControlDate.prototype.whistle_language) {
			const setOptions = ControlDate.prototype.set_date_options;
			ControlDate.prototype.set_date_options = function () {
				setOptions.apply(this, arguments);
				const lang = pageLanguage();
				if (this.datepicker_options && lang && $.fn.datepicker && $.fn.datepicker.language[lang]) {
					this.datepicker_options.language = lang;
				}
			};
			ControlDate.prototype.whistle_language = true;
		}
		// The web form list writes its "Load More" button untranslated.
		const List = frappe.ui && frappe.ui.WebFormList;
		if (List && !List.prototype.whistle_language) {
			const addButton = List.prototype.add_button;
			List.prototype.add_button = function (wrapper, name, type, hidden, text, action) {
				return addButton.call(this, wrapper, name, type, hidden, __(text), action);
			};
			List.prototype.whistle_language = true;
		}
	};
	patch();
	// web pages load the web form's bundle after this script: patched before the form is made
	if (frappe.ready) {
		frappe.ready(patch);
	} else {
		$(patch);
	}
})();
