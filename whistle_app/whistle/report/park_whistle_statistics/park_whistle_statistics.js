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
	// Frappe labels the total row "Total" without translating it
	formatter(value, row, column, data, default_formatter) {
		const html = default_formatter(value, row, column, data);
		return !data && column.isHeader && html === "Total" ? __("Total of All Units") : html;
	},
};
