// Copyright (c) 2026, whistle_app developers
// For license information, please see license.txt

// 议定事项跟踪 (RULES §12): open decisions, overdue first.
frappe.query_reports["Coordination Decisions"] = {
	filters: [
		{
			fieldname: "include_done",
			label: __("Include Accepted Decisions"),
			fieldtype: "Check",
			default: 0,
		},
	],
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		if (data && data.overdue && column.fieldname === "due_on") {
			value = `<span style="color: var(--red-600); font-weight: 600">${value}</span>`;
		}
		return value;
	},
};
