// Copyright (c) 2026, whistle_app developers
// For license information, please see license.txt

// Every step of a case needs its reason (RULES §13); the evidence may be prefilled by the one-click
// "open an accountability case" of a Snail Award or the Annual Consequences report.
frappe.ui.form.on("Accountability Case", {
	before_workflow_action(frm) {
		return whistle_app.prompt_action_reason(frm, true);
	},
});
