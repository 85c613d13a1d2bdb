// Desk helpers shared by the whistle forms.
frappe.provide("whistle_app");

// Ask for the reason of a workflow action, save it in `action_reason`, then let the action run.
// The server records the reason in the document's history (RULES §3.1). Frappe freezes the page
// before `before_workflow_action`; the prompt needs it unfrozen, and a cancelled prompt must not
// leave it frozen.
whistle_app.prompt_action_reason = function (frm, required) {
	const action = frm.selected_workflow_action;
	frappe.dom.unfreeze();
	return new Promise((resolve, reject) => {
		let submitted = false;
		const dialog = frappe.prompt(
			{
				fieldname: "reason",
				fieldtype: "Small Text",
				label: __("Reason for This Action"),
				reqd: required ? 1 : 0,
			},
			({ reason }) => {
				submitted = true;
				frm.set_value("action_reason", reason || "");
				frm.save().then(
					() => {
						frappe.dom.freeze();
						resolve();
					},
					reject
				);
			},
			__(action),
			__(action)
		);
		// the prompt hides itself before calling back: decide after the callback had its turn
		dialog.onhide = () => setTimeout(() => !submitted && reject(), 0);
	});
};
