// Copyright (c) 2026, whistle_app developers
// For license information, please see license.txt

// Supervision Bulletin (RULES §6): the office counts a draft again, publishes it (Submit), and
// corrects a published bulletin with a new one; everything is checked again on the server.
frappe.ui.form.on("Supervision Bulletin", {
	refresh(frm) {
		if (frm.doc.docstatus === 1 && frm.doc.named_units?.length && frappe.user.has_role("Efficiency Office")) {
			frm.add_custom_button(__("Propose Snail Award"), () => propose_snail_award(frm));
		}
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

// The Efficiency Office opens a Snail Award proposal for a unit this bulletin names, citing it
// (issue #16; whistle_app.evaluation.snail.propose_from_bulletins checks everything again).
function propose_snail_award(frm) {
	frappe.prompt(
		[
			{
				fieldname: "unit",
				fieldtype: "Select",
				label: __("Unit"),
				options: frm.doc.named_units.map((row) => row.department),
				reqd: 1,
			},
			{ fieldname: "year", fieldtype: "Int", label: __("Year"), default: frm.doc.year, reqd: 1 },
			{
				fieldname: "quarter",
				fieldtype: "Select",
				label: __("Quarter"),
				options: ["1", "2", "3", "4"],
				default: String(Math.ceil(frm.doc.month / 3)),
				reqd: 1,
			},
			{ fieldname: "reason", fieldtype: "Small Text", label: __("Reason for the Proposal"), reqd: 1 },
		],
		({ unit, year, quarter, reason }) =>
			frappe
				.call({
					method: "whistle_app.evaluation.snail.propose_from_bulletins",
					args: { unit, year, quarter, reason, bulletins: [frm.doc.name] },
					freeze: true,
				})
				.then((r) => frappe.set_route("Form", "Snail Award", r.message)),
		__("Propose Snail Award")
	);
}
