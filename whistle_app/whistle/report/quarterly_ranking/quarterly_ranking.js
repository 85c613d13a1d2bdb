// Copyright (c) 2026, whistle_app developers
// For license information, please see license.txt

frappe.query_reports["Quarterly Ranking"] = {
	filters: [
		{
			fieldname: "year",
			label: __("Year"),
			fieldtype: "Int",
			reqd: 1,
			default: whistle_previous_quarter().year,
		},
		{
			fieldname: "quarter",
			label: __("Quarter"),
			fieldtype: "Select",
			options: ["1", "2", "3", "4"],
			reqd: 1,
			default: String(whistle_previous_quarter().quarter),
		},
		{
			fieldname: "assessment_class",
			label: __("Assessment Class"),
			fieldtype: "Select",
			options: ["", "A", "B", "C"],
			default: "A",
		},
	],
	// open on the latest evaluated quarter unless the link names one (issue #20)
	onload(report) {
		whistle_open_on_latest(report, (p) => p.year && { year: p.year, quarter: String(p.quarter) });
	},
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		// drill-down: the slip scores (and, from there, the ratings) behind the row's score
		if (column.fieldname === "cases" && data && data.whistle_unit) {
			const params = new URLSearchParams({
				year: data.year,
				quarter: data.quarter,
				whistle_unit: data.whistle_unit,
			});
			return `<a href="/app/query-report/Evaluation Slip Scores?${params}" title="${__(
				"Slip scores behind this row"
			)}">${value}</a>`;
		}
		return value;
	},
};

function whistle_open_on_latest(report, pick) {
	if (frappe.utils.get_query_params().year) return;
	frappe.xcall("whistle_app.evaluation.report.latest_period").then((period) => {
		const values = pick(period);
		if (values) report.set_filter_value(values);
	});
}

function whistle_previous_quarter() {
	const today = frappe.datetime.str_to_obj(frappe.datetime.get_today());
	let year = today.getFullYear();
	let quarter = Math.floor(today.getMonth() / 3);
	if (quarter === 0) {
		year -= 1;
		quarter = 4;
	}
	return { year, quarter };
}
