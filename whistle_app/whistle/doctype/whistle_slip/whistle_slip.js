// Copyright (c) 2026, whistle_app developers
// For license information, please see license.txt

// Actions that the rules say need a reason (RULES §3.1); kept in the slip's state history.
const WHISTLE_REASON_ACTIONS = ["退回补充", "不予受理", "退回报到", "重办"];
// States in which the park may urge (催办) its departments (whistle_app/urging.py URGE_STATES).
const URGE_STATES = ["待报到", "待审核抄送", "办理中"];

frappe.ui.form.on("Whistle Slip", {
	setup(frm) {
		// the typical problems (典型问题, RULES §14) of the slip's category
		frm.set_query("sub_topic", () => ({
			filters: { enabled: 1, ...(frm.doc.category ? { category: frm.doc.category } : {}) },
		}));
	},

	category(frm) {
		if (frm.doc.sub_topic) {
			frm.set_value("sub_topic", null);
		}
	},

	refresh(frm) {
		whistle_app.show_repeat(frm);
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
		frm.trigger("refresh_urge");
	},

	// 催办 (plan 二.2): the slip's park urges its departments while the whistle is open, once a day
	refresh_urge(frm) {
		if (frm.is_new() || !URGE_STATES.includes(frm.doc.workflow_state)) {
			return;
		}
		frappe
			.call({ method: "whistle_app.urging.urge_status", args: { slip: frm.doc.name } })
			.then(({ message }) => {
				const status = message || {};
				if (status.urged_today) {
					frm.dashboard.add_indicator(__("Urged today"), "orange");
				}
				if (!status.can_urge) {
					return;
				}
				frm.add_custom_button(__("Urge"), () =>
					frappe.prompt(
						{
							fieldname: "message",
							fieldtype: "Small Text",
							label: __("Urge Message"),
							description: __("Urge the departments on this whistle (at most 200 characters)."),
							reqd: 1,
						},
						({ message }) =>
							frappe
								.call({ method: "whistle_app.urging.urge", args: { slip: frm.doc.name, message } })
								.then(() => {
									frappe.show_alert({ message: __("Urged"), indicator: "green" });
									frm.reload_doc();
								}),
						__("Urge"),
						__("Urge")
					)
				);
			});
	},

	before_workflow_action(frm) {
		if (WHISTLE_REASON_ACTIONS.includes(frm.selected_workflow_action)) {
			return whistle_app.prompt_action_reason(frm, true);
		}
	},
});
