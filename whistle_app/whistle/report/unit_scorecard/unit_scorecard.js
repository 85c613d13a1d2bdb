// Copyright (c) 2026, whistle_app developers
// For license information, please see license.txt

frappe.query_reports["Unit Scorecard"] = {
	filters: [
		{
			fieldname: "year",
			label: __("Year"),
			fieldtype: "Int",
			reqd: 1,
			default: frappe.datetime.str_to_obj(frappe.datetime.get_today()).getFullYear(),
		},
		{
			fieldname: "whistle_unit",
			label: __("Unit"),
			fieldtype: "Link",
			options: "Whistle Unit",
			get_query: () => ({ filters: { unit_type: "Reporting Unit" } }),
		},
	],
};
