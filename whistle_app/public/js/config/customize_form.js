// Customize Form for a Whistle Administrator who is not a System Manager (issue #22): the app's own
// DocTypes only, as the server allows (whistle_app/configuration.py).
frappe.ui.form.on("Customize Form", {
	onload(frm) {
		if (frappe.user.has_role("System Manager")) return;
		if (!frappe.user.has_role("Whistle Administrator")) return;
		frm.set_query("doc_type", () => ({
			filters: [
				["DocType", "module", "=", "Whistle"],
				["DocType", "issingle", "=", 0],
				["DocType", "custom", "=", 0],
			],
		}));
	},
});
