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
		// A date-time field names its time zone under the input ("Asia/Shanghai", in English), which
		// says nothing where the user's time zone is the site's: named only when they differ.
		const ControlDatetime = frappe.ui && frappe.ui.form && frappe.ui.form.ControlDatetime;
		if (ControlDatetime && !ControlDatetime.prototype.whistle_time_zone) {
			const setDescription = ControlDatetime.prototype.set_description;
			ControlDatetime.prototype.set_description = function () {
				const system =
					(frappe.boot && frappe.boot.time_zone && frappe.boot.time_zone.system) ||
					(frappe.sys_defaults && frappe.sys_defaults.time_zone);
				if (this.df && this.get_user_time_zone() === system) {
					this.df.hide_timezone = 1;
				}
				return setDescription.apply(this, arguments);
			};
			ControlDatetime.prototype.whistle_time_zone = true;
		}
	};
	// The web form list (a module of Frappe's web form bundle, not reachable to patch) writes its
	// buttons' labels untranslated: "Load More" under a long list, "Delete" over selected rows.
	const LIST_BUTTONS = { more: "Load More", "delete-rows": "Delete" };
	const translateListButtons = () => {
		Object.entries(LIST_BUTTONS).forEach(([cls, label]) => {
			document.querySelectorAll(`.web-list-footer button.${cls}, .web-list-actions button.${cls}`).forEach((button) => {
				if (button.textContent.trim() === label) {
					button.textContent = __(label);
				}
			});
		});
	};
	// The data table (reports) titles each column's filter input "Filter based on <column>" in
	// English; each bundle that draws tables (desk, reports) has its own copy, so the titles are
	// translated where they appear.
	const PREFIX = "Filter based on ";
	let pending = false;
	const translateFilterTitles = () => {
		pending = false;
		translateListButtons();
		document.querySelectorAll(`input.dt-filter[title^="${PREFIX}"]`).forEach((input) => {
			input.title = __("Filter based on {0}", [input.title.slice(PREFIX.length)]);
		});
	};
	if (window.MutationObserver && !window.whistle_filter_titles) {
		window.whistle_filter_titles = new MutationObserver(() => {
			if (!pending) {
				pending = true;
				window.requestAnimationFrame(translateFilterTitles);
			}
		});
		window.whistle_filter_titles.observe(document.documentElement, { childList: true, subtree: true });
	}
	// Chart axes: Frappe shortens every label of three digits or more to two decimals (a count of
	// 500 reads "500.00"); below a thousand the number is shown as it is (500, 85.5), above it
	// Frappe's short form stays (1.2K).
	if (frappe.utils && frappe.utils.format_chart_axis_number && !frappe.utils.whistle_axis) {
		const shorten = frappe.utils.format_chart_axis_number;
		frappe.utils.format_chart_axis_number = function (label) {
			const n = Number(label);
			if (label !== "" && Number.isFinite(n) && Math.abs(n) < 1000) {
				return String(Math.round(n * 100) / 100);
			}
			return shorten.apply(this, arguments);
		};
		frappe.utils.whistle_axis = true;
	}
	patch();
	// web pages load the web form's bundle after this script: patched before the form is made
	if (frappe.ready) {
		frappe.ready(patch);
	} else {
		$(patch);
	}
})();
