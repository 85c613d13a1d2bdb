// The app's phone web forms (issue #22, whistle_app/configuration.py): Frappe locks every standard
// web form outside developer mode; an administrator edits the app's own (the server checks what).
frappe.provide("whistle_app");
whistle_app.web_form_editable = (frm) =>
	Boolean(frm.doc && frm.doc.__onload && frm.doc.__onload.whistle_app_editable);

frappe.ui.form.on("Web Form", {
	setup(frm) {
		const disable_form = frm.disable_form;
		frm.disable_form = function () {
			if (!whistle_app.web_form_editable(this)) return disable_form.call(this);
		};
	},
	refresh(frm) {
		if (!whistle_app.web_form_editable(frm)) return;
		const lock = __("Standard Web Forms can not be modified, duplicate the Web Form instead.");
		$("#alert-container .desk-alert")
			.filter((_i, el) => $(el).text().includes(lock))
			.remove();
		const esc = frappe.utils.escape_html;
		frm.set_intro(
			`<div class="whistle-managed-note">
				<p><b>${esc(__("A phone form of the whistle app"))}</b></p>
				<p>${esc(
					__(
						"You may change its title, introduction, success texts and fields, and add custom fields to it; your changes are kept across migrate. A field the form writes must be one of its own fields or a custom field; show any other field read-only."
					)
				)}</p>
				<p>${esc(
					__(
						"Kept as the app defines them: the route, the document type, the module, being standard, login and anonymous use, document permissions, editing, multiple responses, deleting, incomplete forms, the list, the condition, the client script and the breadcrumbs."
					)
				)}</p>
			</div>`,
			"blue"
		);
	},
});
