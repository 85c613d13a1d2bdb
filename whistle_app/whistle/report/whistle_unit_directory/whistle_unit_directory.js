// Copyright (c) 2026, whistle_app developers
// For license information, please see license.txt

frappe.query_reports["Whistle Unit Directory"] = {
	filters: [
		{
			fieldname: "assessment_class",
			label: __("Assessment Class"),
			fieldtype: "Select",
			options: ["", "A", "B", "C"],
		},
		{
			fieldname: "unit_type",
			label: __("Unit Type"),
			fieldtype: "Select",
			options: [
				"",
				{ value: "Park", label: __("Park") },
				{ value: "Town", label: __("Town") },
				{ value: "Reporting Unit", label: __("Reporting Unit") },
				{ value: "Whistle Office", label: __("Whistle Office") },
				{ value: "District Leadership", label: __("District Leadership") },
				{ value: "Efficiency Office", label: __("Efficiency Office") },
			],
		},
		{
			fieldname: "chain_incomplete",
			label: __("Accountability Chain Incomplete Only"),
			fieldtype: "Check",
		},
	],
};
