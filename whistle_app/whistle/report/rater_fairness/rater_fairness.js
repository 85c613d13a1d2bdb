// Copyright (c) 2026, whistle_app developers
// For license information, please see license.txt

frappe.query_reports["Rater Fairness"] = {
	filters: [
		{
			fieldname: "year",
			label: __("Year"),
			fieldtype: "Int",
			reqd: 1,
			default: frappe.datetime.str_to_obj(frappe.datetime.get_today()).getFullYear(),
		},
		{
			fieldname: "quarter",
			label: __("Quarter"),
			fieldtype: "Select",
			options: ["", "1", "2", "3", "4"],
		},
		{
			fieldname: "rater_unit",
			label: __("Rater Unit"),
			fieldtype: "Link",
			options: "Whistle Unit",
		},
	],
	formatter(value, row, column, data, default_formatter) {
		// drill-down: the ratings behind a row (and behind its favouritism flag)
		if (["ratings_route", "favoured_route"].includes(column.fieldname)) {
			if (!value) return "";
			const label = column.fieldname === "ratings_route" ? __("View Ratings") : __("View Favoured Ratings");
			return `<a href="${encodeURI(value)}">${frappe.utils.escape_html(label)}</a>`;
		}
		return default_formatter(value, row, column, data);
	},
};
