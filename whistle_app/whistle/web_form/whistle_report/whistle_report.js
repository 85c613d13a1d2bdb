// Departments report for duty, record the joint meeting, add progress, complete and file requests, each
// from one dialog with one button, with the slip's facts in front of them (whistle_web.js).
Object.assign(frappe._messages || {}, {{ (whistle_messages or {}) | json }});
window.whistle_upload_limit = {{ whistle_upload_limit or 0 }};
frappe.ready(() => {
	// the form loads its document after "ready": wait for it, then ask the server for the facts
	const show = (tries) => {
		if (frappe.web_form && frappe.web_form.doc && frappe.web_form.doc.name) {
			window.whistle_app_actions();
		} else if (tries > 0) {
			setTimeout(() => show(tries - 1), 200);
		}
	};
	show(50);
});
