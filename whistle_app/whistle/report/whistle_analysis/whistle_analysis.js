// Copyright (c) 2026, whistle_app developers
// For license information, please see license.txt

// 吹哨研判分析 (RULES §14): counts and trend by a chosen dimension, the top recurring sub-topics, and
// the time spent per lifecycle stage per department.
frappe.query_reports["Whistle Analysis"] = {
	filters: [
		{
			fieldname: "view",
			label: __("View"),
			fieldtype: "Select",
			options: [
				{ value: "Counts and Trend", label: __("Counts and Trend") },
				{ value: "Top Recurring Sub-topics", label: __("Top Recurring Sub-topics") },
				{ value: "Time per Stage", label: __("Time per Stage") },
			],
			default: "Counts and Trend",
			reqd: 1,
		},
		{
			fieldname: "group_by",
			label: __("Group By"),
			fieldtype: "Select",
			options: [
				{ value: "Category", label: __("Category") },
				{ value: "Sub-topic", label: __("Sub-topic") },
				{ value: "Enterprise Stage", label: __("Enterprise Stage") },
				{ value: "Park", label: __("Park") },
				{ value: "Department", label: __("Department") },
			],
			default: "Category",
			depends_on: "eval:doc.view == 'Counts and Trend'",
		},
		{
			fieldname: "granularity",
			label: __("Period"),
			fieldtype: "Select",
			options: [
				{ value: "Month", label: __("Month") },
				{ value: "Quarter", label: __("Quarter") },
			],
			default: "Month",
			reqd: 1,
		},
		{
			fieldname: "from_date",
			label: __("From Date"),
			fieldtype: "Date",
			default: frappe.datetime.year_start(),
			reqd: 1,
		},
		{
			fieldname: "to_date",
			label: __("To Date"),
			fieldtype: "Date",
			default: frappe.datetime.get_today(),
			reqd: 1,
		},
	],
};
