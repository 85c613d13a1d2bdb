// Copyright (c) 2026, whistle_app developers
// For license information, please see license.txt

// The Whistle Office reads these settings and switches one of them: whether rated departments read
// their raters' comments (RULES §10); the server checks who switches it.
frappe.ui.form.on("Whistle Settings", {
	refresh(frm) {
		if (!frappe.user.has_role(["Whistle Office", "Whistle Administrator", "System Manager"])) {
			return;
		}
		const hidden = !!frm.doc.hide_rating_comment_from_rated;
		frm.add_custom_button(
			hidden ? __("Show Rating Comments to the Rated Department") : __("Hide Rating Comments from the Rated Department"),
			() =>
				frappe
					.call("whistle_app.ratings.comments.set_comment_hidden_from_rated", { hide: hidden ? 0 : 1 })
					.then(() => frm.reload_doc())
		);
	},
});
