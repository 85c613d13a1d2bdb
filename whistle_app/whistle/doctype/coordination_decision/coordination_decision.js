// Copyright (c) 2026, whistle_app developers
// For license information, please see license.txt

// 议定事项 (RULES §12): the office reopens a reported decision only with a reason.
frappe.ui.form.on("Coordination Decision", {
	setup(frm) {
		frm.set_query("slip", () => ({
			filters: { workflow_state: ["in", ["待报到", "待审核抄送", "办理中", "待确认评价", "待销号", "继续跟踪"]] },
		}));
	},

	before_workflow_action(frm) {
		if (frm.selected_workflow_action === "退回重办") {
			return whistle_app.prompt_action_reason(frm, true);
		}
	},
});
