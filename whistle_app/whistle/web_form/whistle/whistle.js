// Park and town agents file a whistle (the enterprise, photos and files); once saved, its phone page
// shows the facts and the actions the server allows (whistle_web.js).
Object.assign(frappe._messages || {}, {{ (whistle_messages or {}) | json }});
window.whistle_upload_limit = {{ whistle_upload_limit or 0 }};
frappe.ready(() => {
	// the form loads its document after "ready": wait for it, then ask the server for the facts
	const show = (tries) => {
		if (frappe.web_form && frappe.web_form.doc && frappe.web_form.doc.name) {
			window.whistle_app_actions();
		} else if (frappe.web_form && frappe.web_form.is_new && $(".web-form-wrapper [data-fieldname]").length) {
			whistle_app.enterprise_picker();
			whistle_app.stage_uploads();
		} else if (tries > 0) {
			setTimeout(() => show(tries - 1), 200);
		}
	};
	show(50);
});
