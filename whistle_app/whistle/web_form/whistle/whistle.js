// Park and town agents file a whistle; once saved, the actions the server allows appear.
Object.assign(frappe._messages || {}, {{ (whistle_messages or {}) | json }});
frappe.ready(() => {
	// the form loads its document after "ready": wait for it, then ask the server for the actions
	const show = (tries) => {
		if (frappe.web_form && frappe.web_form.doc && frappe.web_form.doc.name) {
			window.whistle_app_actions(false);
		} else if (tries > 0) {
			setTimeout(() => show(tries - 1), 200);
		}
	};
	show(50);
});
