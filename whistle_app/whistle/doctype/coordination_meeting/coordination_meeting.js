// Copyright (c) 2026, whistle_app developers
// For license information, please see license.txt

// 区长调度会商会 (RULES §12): the chair is a District Leader; before the minutes are out the office
// refreshes the agenda's facts from the whistles.
frappe.ui.form.on("Coordination Meeting", {
	setup(frm) {
		frm.set_query("chair", () => ({ filters: { enabled: 1, user_type: "System User" } }));
	},

	refresh(frm) {
		if (frm.is_new() || frm.doc.docstatus !== 0 || !frappe.user.has_role("Whistle Office")) return;
		frm.add_custom_button(__("Refresh Agenda Facts"), () =>
			frappe
				.xcall("whistle_app.coordination.refresh_agenda", { meeting: frm.doc.name })
				.then(() => frm.reload_doc())
		);
		frm.add_custom_button(__("Record a Decision"), () =>
			frappe.new_doc("Coordination Decision", { meeting: frm.doc.name })
		);
	},
});
