// Copyright (c) 2026, whistle_app developers
// For license information, please see license.txt

// Rater fairness (RULES §14): the office records its review of a flag; a flag never changes a score.
frappe.ui.form.on("Rater Fairness Statistic", {
	refresh(frm) {
		frm.disable_save();
		const flags = [
			["flag_uniform", "Uniform"],
			["flag_lenient", "Lenient"],
			["flag_favouritism", "Favouritism"],
		]
			.filter(([field]) => frm.doc[field])
			.map(([, value]) => ({ value, label: __(value) }));
		if (frm.is_new()) return;
		frm.add_custom_button(__("View Ratings"), () => {
			const year = frm.doc.year;
			const first = `${year}-${String(3 * frm.doc.quarter - 2).padStart(2, "0")}-01`;
			const last = frappe.datetime.add_days(frappe.datetime.add_months(first, 3), -1);
			frappe.set_route("List", "Whistle Rating", {
				rater_unit: frm.doc.rater_unit,
				docstatus: 1,
				rated_on: ["Between", [first, last]],
			});
		});
		const office = frappe.user.has_role(["Whistle Office", "Whistle Administrator", "System Manager"]);
		if (!office || !flags.length) return;
		frm.add_custom_button(__("Record Review"), () =>
			frappe.prompt(
				[
					{ fieldname: "flag", fieldtype: "Select", label: __("Flag"), options: flags, reqd: 1 },
					{
						fieldname: "outcome",
						fieldtype: "Select",
						label: __("Outcome"),
						reqd: 1,
						options: ["No Issue", "Reminded", "Other"].map((value) => ({ value, label: __(value) })),
					},
					{ fieldname: "note", fieldtype: "Small Text", label: __("Note") },
				],
				(values) =>
					frappe
						.call({
							method: "whistle_app.fairness.review_flag",
							args: { name: frm.doc.name, ...values },
							freeze: true,
						})
						.then(() => frm.reload_doc()),
				__("Record Review")
			)
		);
	},
});
