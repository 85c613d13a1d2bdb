// Copyright (c) 2026, whistle_app developers
// For license information, please see license.txt

frappe.ui.form.on("Snail Award", {
	refresh(frm) {
		frm.disable_save();
		if (!frm.is_new() && frm.doc.status === "Awarded" && frappe.user.has_role("Efficiency Office")) {
			// a confirmed award is evidence for an accountability case (RULES §13), in one click
			frm.add_custom_button(__("Open Accountability Case"), () =>
				whistle_app.open_accountability_case("Snail Award", frm.doc.name, frm.doc.whistle_unit)
			);
		}
		if (frm.is_new() || frm.doc.status !== "Award Proposed" || !frappe.user.has_role("Efficiency Office")) {
			return;
		}
		const decide = (decision, reason) =>
			frappe
				.call({
					method: "whistle_app.evaluation.snail.decide_snail_award",
					args: { name: frm.doc.name, decision, reason },
					freeze: true,
				})
				.then(() => frm.reload_doc());
		frm.add_custom_button(__("Confirm Snail Award"), () =>
			frappe.prompt(
				[{ fieldname: "reason", fieldtype: "Small Text", label: __("Decision Reason") }],
				(values) => decide("confirm", values.reason),
				__("Confirm Snail Award")
			)
		);
		frm.add_custom_button(__("Reject Snail Award"), () =>
			frappe.prompt(
				[{ fieldname: "reason", fieldtype: "Small Text", label: __("Decision Reason"), reqd: 1 }],
				(values) => decide("reject", values.reason),
				__("Reject Snail Award")
			)
		);
	},
});
