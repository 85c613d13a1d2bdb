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
	// open on the latest evaluated year unless the link names one (issue #20)
	onload(report) {
		if (frappe.utils.get_query_params().year) return;
		frappe.xcall("whistle_app.evaluation.report.latest_period").then((period) => {
			if (period.annual_year) report.set_filter_value({ year: period.annual_year });
		});
	},
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		// a person the unit's chain does not name: 未登记 in red (issue #25)
		if (column.fieldname === "person" && data && data.person_missing) {
			value = `<span class="text-danger" style="font-weight: 600">${value}</span>`;
		}
		if (column.fieldname === "consequence" && data && data.consequence && data.annual_evaluation) {
			const evaluation = data.annual_evaluation;
			value += " " + whistle_app.accountability_case_link("Annual Evaluation", evaluation, data.whistle_unit);
		}
		return value;
	},
};
