// Copyright (c) 2026, whistle_app developers
// For license information, please see license.txt

// warning levels of the deadline job (RULES §4): 临期 due soon, 逾期 overdue, 严重逾期 seriously overdue
const WHISTLE_WARNING_COLOURS = { 临期: "yellow", 逾期: "orange", 严重逾期: "red" };

frappe.listview_settings["Whistle Slip"] = {
	add_fields: ["workflow_state", "warning_level", "response_status", "completion_status", "green_channel", "scope"],
	formatters: {
		// a whistle not yet dispatched has no scope: an empty cell, not Frappe's empty pill
		scope(value, df) {
			if (!value) {
				return "";
			}
			const esc = frappe.utils.escape_html;
			const label = esc(__(value));
			return `<span class="ellipsis" title="${esc(__(df.label))}: ${label}">
				<span class="filterable indicator-pill ${frappe.utils.guess_colour(value)} ellipsis"
					data-filter="scope,=,${esc(value)}"><span class="ellipsis"> ${label} </span></span>
			</span>`;
		},
	},
	get_indicator(doc) {
		const warn = WHISTLE_WARNING_COLOURS[doc.warning_level];
		if (warn) {
			return [__(doc.warning_level), warn, `warning_level,=,${doc.warning_level}`];
		}
		const late = doc.response_status === "Late" || doc.completion_status === "Late";
		const colour = late ? "red" : doc.workflow_state === "已销号" ? "green" : "blue";
		return [__(doc.workflow_state), colour, `workflow_state,=,${doc.workflow_state}`];
	},
};
