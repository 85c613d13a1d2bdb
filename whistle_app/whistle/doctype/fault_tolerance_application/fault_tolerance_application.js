// Copyright (c) 2026, whistle_app developers
// For license information, please see license.txt

// A refusal or a grant needs a reason; the review may carry one (RULES §13).
frappe.ui.form.on("Fault Tolerance Application", {
	setup(frm) {
		// the cases the unit may apply against (the server checks the unit and the state again)
		frm.set_query("case", () => ({ filters: { workflow_state: ["in", ["处理", "移送"]] } }));
	},

	before_workflow_action(frm) {
		const action = frm.selected_workflow_action;
		if (["驳回", "准予", "审核通过"].includes(action)) {
			return whistle_app.prompt_action_reason(frm, action !== "审核通过");
		}
	},
});
