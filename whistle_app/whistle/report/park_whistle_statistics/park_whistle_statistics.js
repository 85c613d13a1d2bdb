// Copyright (c) 2026, whistle_app developers
// For license information, please see license.txt

frappe.query_reports["Park Whistle Statistics"] = {
	filters: [
		{
			fieldname: "year",
			label: __("Year"),
			fieldtype: "Int",
			reqd: 1,
			default: frappe.datetime.str_to_obj(frappe.datetime.get_today()).getFullYear(),
		},
	],
};
