// Copyright (c) 2026, whistle_app developers
// For license information, please see license.txt

frappe.query_reports["Whistle Unit Members"] = {
	filters: [
		{
			fieldname: "unit_type",
			label: __("Unit Type"),
			fieldtype: "Select",
			options: [
				"",
				{ value: "Park", label: __("Park") },
				{ value: "Town", label: __("Town") },
				{ value: "Reporting Unit", label: __("Reporting Unit") },
			],
		},
		{ fieldname: "only_missing", label: __("Only units missing people"), fieldtype: "Check" },
	],
};
