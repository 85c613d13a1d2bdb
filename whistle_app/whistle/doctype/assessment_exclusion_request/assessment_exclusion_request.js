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
		if (["驳回", "批准", "审核通过"].includes(action)) {
			return whistle_app.prompt_action_reason(frm, action === "驳回");
		}
	},
});
