// Copyright (c) 2026, whistle_app developers
// For license information, please see license.txt

frappe.query_reports["Annual Ranking"] = {
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
			default: "A",
		},
	],
	// open on the latest evaluated year unless the link names one (issue #20)
	onload(report) {
		if (frappe.utils.get_query_params().year) return;
		frappe.xcall("whistle_app.evaluation.report.latest_period").then((period) => {
			if (period.annual_year) report.set_filter_value({ year: period.annual_year });
		});
	},
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		// drill-down: the unit's four quarters side by side
		if (column.fieldname === "quarters_counted" && data && data.whistle_unit) {
			const params = new URLSearchParams({ year: data.year, whistle_unit: data.whistle_unit });
			return `<a href="/app/query-report/Unit Scorecard?${params}" title="${__("Unit Scorecard")}">${
				value || "—"
			}</a>`;
		}
		return value;
	},
};
