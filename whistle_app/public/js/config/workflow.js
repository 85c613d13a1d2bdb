// The app's workflows (issue #22, whistle_app/workflows.py): a note that the app manages them and
// what an administrator may change; the server refuses the rest, with its reason.
frappe.ui.form.on("Workflow", {
	refresh(frm) {
		const managed = frm.doc.__onload && frm.doc.__onload.whistle_app_managed;
		if (!managed) return;
		const esc = frappe.utils.escape_html;
		frm.layout.message.empty(); // instead of Frappe's Workflow Builder invitation
		frm.layout.show_message(
			`<div class="whistle-managed-note">
				<p><b>${esc(__("Managed by the whistle app"))}</b></p>
				<p>${esc(
					__(
						"The states, actions, transitions, allowed roles, document status and conditions of this workflow follow the rule book (RULES §3): a change to them is refused with its reason, and every migrate keeps them as the app defines them."
					)
				)}</p>
				<p>${esc(
					__(
						"You may change here, and keep across migrate: the message shown in each state, the e-mail template of the next action and whether e-mail alerts are sent."
					)
				)}</p>
				<p>${esc(
					__(
						"The style of each state is changed in Workflow State; the label of an action or a state (its button, and its name on forms and phones) in Translation."
					)
				)}</p>
			</div>`,
			"blue"
		);
		frm.add_custom_button(__("State Styles"), () => {
			frappe.route_options = { name: ["in", managed.states] };
			frappe.set_route("List", "Workflow State");
		});
		frm.add_custom_button(__("Action and State Labels"), () => {
			frappe.route_options = { source_text: ["in", managed.actions.concat(managed.states)] };
			frappe.set_route("List", "Translation");
		});
	},
});
