// Copyright (c) 2026, whistle_app developers
// For license information, please see license.txt

// The District Head's coordination on the whistle form (RULES §12): the office nominates an open
// whistle, a park or department on it asks for the meeting, each with a reason. The server checks
// who may do which (whistle_app.coordination); the form's Connections list the proposals and decisions.
const WC_OPEN_STATES = ["待报到", "待审核抄送", "办理中", "待确认评价", "待销号", "继续跟踪"];

frappe.ui.form.on("Whistle Slip", {
	refresh(frm) {
		if (frm.is_new() || !WC_OPEN_STATES.includes(frm.doc.workflow_state)) return;
		const office = frappe.user.has_role("Whistle Office");
		const unit_roles = ["Park Agent", "Park Leader", "Department Liaison", "Department Leader"];
		if (!office && !unit_roles.some((r) => frappe.user.has_role(r))) return;
		const label = office ? __("Nominate for the District Head's Coordination") : __("Ask for the District Head's Coordination");
		const method = office ? "whistle_app.coordination.nominate" : "whistle_app.coordination.request_coordination";
		frm.add_custom_button(
			label,
			() =>
				frappe.prompt(
					{ fieldname: "reason", fieldtype: "Small Text", label: __("Reason"), reqd: 1 },
					({ reason }) =>
						frappe.xcall(method, { slip: frm.doc.name, reason }).then(() => {
							frappe.show_alert({ message: __("Sent to the Whistle Office's coordination queue."), indicator: "green" });
							frm.reload_doc();
						}),
					label,
					__("Submit")
				),
			__("District Head's Coordination")
		);
	},
});
