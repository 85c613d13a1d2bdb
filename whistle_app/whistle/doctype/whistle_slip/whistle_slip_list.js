// Copyright (c) 2026, whistle_app developers
// For license information, please see license.txt

frappe.listview_settings["Whistle Slip"] = {
	add_fields: ["workflow_state", "response_status", "completion_status", "green_channel", "scope"],
	get_indicator(doc) {
		const late = doc.response_status === "Late" || doc.completion_status === "Late";
		const colour = late ? "red" : doc.workflow_state === "已销号" ? "green" : "blue";
		return [__(doc.workflow_state), colour, `workflow_state,=,${doc.workflow_state}`];
	},
};
