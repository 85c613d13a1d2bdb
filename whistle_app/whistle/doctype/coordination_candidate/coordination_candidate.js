// Copyright (c) 2026, whistle_app developers
// For license information, please see license.txt

// 提请调度 (RULES §12): the office puts a pending proposal on the agenda or declines it with a reason.
frappe.ui.form.on("Coordination Candidate", {
	refresh(frm) {
		if (frm.doc.status !== "待处理" || !frappe.user.has_role("Whistle Office")) return;
		frm.add_custom_button(__("Put on the Agenda"), () =>
			frappe.prompt(
				{
					fieldname: "meeting",
					fieldtype: "Link",
					options: "Coordination Meeting",
					label: __("Coordination Meeting"),
					get_query: () => ({ filters: { workflow_state: "草稿" } }),
				},
				({ meeting }) =>
					frappe
						.xcall("whistle_app.coordination.accept_candidate", { name: frm.doc.name, meeting })
						.then(() => frm.reload_doc()),
				__("Put on the Agenda"),
				__("Submit")
			)
		);
		frm.add_custom_button(__("Decline"), () =>
			frappe.prompt(
				{ fieldname: "reason", fieldtype: "Small Text", label: __("Reason for Declining"), reqd: 1 },
				({ reason }) =>
					frappe
						.xcall("whistle_app.coordination.decline_candidate", { name: frm.doc.name, reason })
						.then(() => frm.reload_doc()),
				__("Decline"),
				__("Submit")
			)
		);
	},
});
