// Copyright (c) 2026, whistle_app developers
// For license information, please see license.txt

frappe.query_reports["Evaluation Slip Scores"] = {
	filters: [
		{ fieldname: "year", label: __("Year"), fieldtype: "Int", reqd: 1 },
		{
			fieldname: "quarter",
			label: __("Quarter"),
			fieldtype: "Select",
			options: ["1", "2", "3", "4"],
			reqd: 1,
		},
		{
			fieldname: "whistle_unit",
			label: __("Unit"),
			fieldtype: "Link",
			options: "Whistle Unit",
			get_query: () => ({ filters: { unit_type: "Reporting Unit" } }),
		},
		{ fieldname: "include_excluded", label: __("Include Excluded Slips"), fieldtype: "Check" },
	],
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		// the ratings behind the slip score
		if (column.fieldname === "slip_score" && data && data.slip) {
			const params = new URLSearchParams({ slip: data.slip, rated_department: data.department });
			return `<a href="/app/whistle-rating?${params}" title="${__("Ratings behind this score")}">${value}</a>`;
		}
		return value;
	},
};
