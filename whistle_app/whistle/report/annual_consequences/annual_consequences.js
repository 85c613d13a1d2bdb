// Copyright (c) 2026, whistle_app developers
// For license information, please see license.txt

frappe.query_reports["Annual Consequences"] = {
	filters: [
		{
			fieldname: "year",
			label: __("Year"),
			fieldtype: "Int",
			reqd: 1,
			default: frappe.datetime.str_to_obj(frappe.datetime.get_today()).getFullYear() - 1,
		},
		{
			fieldname: "assessment_class",
			label: __("Assessment Class"),
			fieldtype: "Select",
			options: ["", "A", "B", "C"],
		},
	],
	// the Efficiency Office opens an accountability case from a consequence in one click (RULES §13)
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		if (column.fieldname === "consequence" && data && data.consequence && data.annual_evaluation) {
			const evaluation = data.annual_evaluation;
			value += " " + whistle_app.accountability_case_link("Annual Evaluation", evaluation, data.whistle_unit);
		}
		return value;
	},
};
