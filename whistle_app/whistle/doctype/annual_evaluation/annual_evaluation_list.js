// Copyright (c) 2026, whistle_app developers
// For license information, please see license.txt

frappe.listview_settings["Annual Evaluation"] = {
	get_indicator(doc) {
		return doc.status === "Final"
			? [__("Final"), "green", "status,=,Final"]
			: [__("Draft"), "orange", "status,=,Draft"];
	},
	onload(listview) {
		if (!frappe.user.has_role(["Whistle Office", "Whistle Administrator", "System Manager"])) {
			return;
		}
		listview.page.add_inner_button(__("Evaluate Now"), () =>
			frappe.prompt(
				[{ fieldname: "year", fieldtype: "Int", label: __("Year"), reqd: 1 }],
				(values) =>
					frappe
						.call({ method: "whistle_app.evaluation.jobs.evaluate_now", args: values, freeze: true })
						.then((r) => frappe.set_route("Form", "Annual Evaluation", r.message)),
				__("Evaluate Now")
			)
		);
	},
};
