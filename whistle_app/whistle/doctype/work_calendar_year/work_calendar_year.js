// Copyright (c) 2026, whistle_app developers
// For license information, please see license.txt

frappe.ui.form.on("Work Calendar Year", {
	refresh(frm) {
		if (frm.is_new()) {
			return;
		}
		const may_confirm = frappe.user.has_role(["Whistle Administrator", "System Manager"]);
		if (!frm.doc.confirmed) {
			frm.dashboard.set_headline_alert(
				__("The {0} working-day calendar is not confirmed yet", [frm.doc.year]),
				"orange"
			);
		}
		if (!may_confirm) {
			return;
		}
		const run = (method) => {
			if (frm.is_dirty()) {
				frappe.throw(__("Save the calendar first."));
			}
			frm.call(method).then(() => frm.reload_doc());
		};
		if (frm.doc.confirmed) {
			frm.add_custom_button(__("Revoke Confirmation"), () => run("revoke_confirmation"));
		} else {
			frm.add_custom_button(__("Confirm Calendar"), () =>
				frappe.confirm(
					__("Do the days of {0} match the State Council notice? Confirm the calendar.", [
						frm.doc.year,
					]),
					() => run("confirm")
				)
			);
		}
	},
});
