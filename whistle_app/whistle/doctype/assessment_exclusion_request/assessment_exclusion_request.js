// Copyright (c) 2026, whistle_app developers
// For license information, please see license.txt

// A rejection needs a reason; an approval or a forward may carry one (RULES §3.1).
frappe.ui.form.on("Assessment Exclusion Request", {
	setup(frm) {
		// the whistles this request can be about (the server checks department and state again)
		frm.set_query("slip", () => ({ filters: { workflow_state: ["in", ["待销号", "已销号"]] } }));
	},

	before_workflow_action(frm) {
		const action = frm.selected_workflow_action;
		if (!["驳回", "批准", "审核通过"].includes(action)) {
			return;
		}
		return new Promise((resolve, reject) => {
			frappe.prompt(
				{
					fieldname: "reason",
					fieldtype: "Small Text",
					label: __("Reason for This Action"),
					reqd: action === "驳回" ? 1 : 0,
				},
				({ reason }) => {
					frm.set_value("action_reason", reason || "");
					frm.save().then(resolve, reject);
				},
				__(action),
				__(action)
			);
		});
	},
});
