// Copyright (c) 2026, whistle_app developers
// For license information, please see license.txt

// Supervision Bulletin (RULES §6): the office counts a draft again, publishes it (Submit), and
// corrects a published bulletin with a new one; everything is checked again on the server.
frappe.ui.form.on("Supervision Bulletin", {
	refresh(frm) {
		const office = frappe.user.has_role("Whistle Office") || frappe.user.has_role("Whistle Administrator");
		if (!office || frm.is_new()) {
			return;
		}
		if (frm.doc.docstatus === 0) {
			frm.add_custom_button(__("Count Again"), () =>
				frappe
					.call("whistle_app.bulletins.drafting.recount", { name: frm.doc.name })
					.then(() => frm.reload_doc())
			);
		}
		if (frm.doc.docstatus === 1) {
			frm.add_custom_button(__("Correct This Bulletin"), () => {
				frappe.prompt(
					{ fieldname: "reason", fieldtype: "Small Text", label: __("Reason for Correction"), reqd: 1 },
					({ reason }) =>
						frappe
							.call("whistle_app.bulletins.drafting.make_correction", { name: frm.doc.name, reason })
							.then((r) => frappe.set_route("Form", "Supervision Bulletin", r.message)),
					__("Correct This Bulletin")
				);
			});
		}
	},
});
