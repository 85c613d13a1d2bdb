// Copyright (c) 2026, whistle_app developers
// For license information, please see license.txt

// Whistle Rating (RULES §5): the total follows the scores as they are typed (the server computes
// and checks it again); the office cancels a submitted rating with a reason kept on the record.
// The comment is kept apart from the rating (RULES §10): it is written with "Edit Comment" on a draft.
frappe.ui.form.on("Whistle Rating", {
	refresh(frm) {
		if (frm.doc.docstatus === 0 && !frm.is_new()) {
			frm.add_custom_button(__("Edit Comment"), () => {
				frappe.prompt(
					{
						fieldname: "comment",
						fieldtype: "Small Text",
						label: __("Comment"),
						default: frm.doc.comment || "",
					},
					({ comment }) =>
						frappe
							.call("whistle_app.ratings.drafts.save_draft", { name: frm.doc.name, comment: comment || "" })
							.then(() => frm.reload_doc()),
					__("Edit Comment")
				);
			});
			frm.add_custom_button(__("Rate on the Phone Page"), () => {
				window.location.href = `/ratings?rating=${encodeURIComponent(frm.doc.name)}`;
			});
		}
		if (frm.doc.docstatus === 1 && frappe.user.has_role("Whistle Office")) {
			frm.add_custom_button(__("Cancel with Reason"), () => {
				frappe.prompt(
					{
						fieldname: "reason",
						fieldtype: "Small Text",
						label: __("Reason for Cancellation"),
						reqd: 1,
					},
					({ reason }) =>
						frappe
							.call("whistle_app.ratings.drafts.cancel_rating", { name: frm.doc.name, reason })
							.then(() => frm.reload_doc()),
					__("Cancel Rating")
				);
			});
		}
	},
});

frappe.ui.form.on("Whistle Rating Score", {
	score(frm) {
		// the total is the server's (a client never writes it): shown live, stored when saved
		const total = (frm.doc.scores || []).reduce((sum, row) => sum + (cint(row.score) || 0), 0);
		frm.dashboard.set_headline(__("Total of the scores given: {0}", [total]));
	},
});
