// Copyright (c) 2026, whistle_app developers
// For license information, please see license.txt

// Actions that the rules say need a reason (RULES §3.1); kept in the slip's state history.
const WHISTLE_REASON_ACTIONS = ["退回补充", "不予受理", "退回报到", "重办"];

frappe.ui.form.on("Whistle Slip", {
	refresh(frm) {
		if (frm.doc.calendar_warning) {
			frm.dashboard.set_headline_alert(frappe.utils.escape_html(frm.doc.calendar_warning), "orange");
		}
		const warning = { 临期: "yellow", 逾期: "orange", 严重逾期: "red" }[frm.doc.warning_level];
		if (warning) {
			frm.dashboard.add_indicator(__(frm.doc.warning_level), warning);
		}
		const marks = [
			["response_status", __("Response Status")],
			["meeting_status", __("Joint Meeting Status")],
			["completion_status", __("Completion Status")],
		];
		for (const [field, label] of marks) {
			if (frm.doc[field]) {
				frm.dashboard.add_indicator(
					`${label}: ${__(frm.doc[field])}`,
					frm.doc[field] === "Met" ? "green" : "red"
				);
			}
		}
	},

	before_workflow_action(frm) {
		if (WHISTLE_REASON_ACTIONS.includes(frm.selected_workflow_action)) {
			return whistle_app.prompt_action_reason(frm, true);
		}
	},
});
