// Copyright (c) 2026, whistle_app developers
// For license information, please see license.txt

// Whistle Rating (RULES §5): the total follows the scores as they are typed (the server computes
// and checks it again); the office cancels a submitted rating with a reason kept on the record.
frappe.ui.form.on("Whistle Rating", {
	refresh(frm) {
		if (frm.doc.docstatus === 1 && frappe.user.has_role("Whistle Office")) {
			frm.add_custom_button(__("Cancel with Reason"), () => {
				frappe.prompt(
					{
						fieldname: "reason",
						fieldtype: "Small Text",
						label: __("Reason for Cancellation"),
						reqd: 1,
					},
					({ reason }) =>
						frappe
							.call("whistle_app.ratings.cancel_rating", { name: frm.doc.name, reason })
							.then(() => frm.reload_doc()),
					__("Cancel Rating")
				);
			});
		}
	},
});

frappe.ui.form.on("Whistle Rating Score", {
	score(frm) {
		const total = (frm.doc.scores || []).reduce((sum, row) => sum + (cint(row.score) || 0), 0);
		frm.set_value("total", total);
	},
});
