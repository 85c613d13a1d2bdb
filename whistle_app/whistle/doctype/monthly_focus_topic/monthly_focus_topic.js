// Copyright (c) 2026, whistle_app developers
// For license information, please see license.txt

// 每月一题 (RULES §14): the office fills the form from the month's most frequent sub-topic.
frappe.ui.form.on("Monthly Focus Topic", {
	setup(frm) {
		frm.set_query("sub_topic", () => ({ filters: { enabled: 1 } }));
	},
	refresh(frm) {
		if (!frm.doc.docstatus && frappe.model.can_write("Monthly Focus Topic")) {
			frm.add_custom_button(__("Suggest from the Month's Top Sub-topic"), () => frm.trigger("suggest"));
		}
	},
	suggest(frm) {
		if (!frm.doc.month) {
			frappe.msgprint(__("Choose the month of the focus topic."));
			return;
		}
		frappe
			.call({
				method: "whistle_app.analysis.suggest_focus_topic",
				args: { month: frm.doc.month },
			})
			.then(({ message }) => {
				if (!message) {
					frappe.msgprint(__("No whistle of this month has a sub-topic yet."));
					return;
				}
				frm.set_value({ sub_topic: message.sub_topic, title: message.title, note: message.note });
			});
	},
});
