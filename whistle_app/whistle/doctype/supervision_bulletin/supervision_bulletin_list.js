// Copyright (c) 2026, whistle_app developers
// For license information, please see license.txt

// The office drafts a month's bulletin at once (the daily job drafts it on the first working day).
frappe.listview_settings["Supervision Bulletin"] = {
	add_fields: ["status", "docstatus"],
	get_indicator(doc) {
		const colour = { Draft: "orange", Published: "green", Superseded: "gray" }[doc.status] || "gray";
		return [__(doc.status), colour, `status,=,${doc.status}`];
	},
	onload(listview) {
		if (!(frappe.user.has_role("Whistle Office") || frappe.user.has_role("Whistle Administrator"))) {
			return;
		}
		listview.page.add_inner_button(__("Draft a Month Now"), () => {
			const today = frappe.datetime.str_to_obj(frappe.datetime.get_today());
			const last = new Date(today.getFullYear(), today.getMonth() - 1, 1);
			frappe.prompt(
				[
					{ fieldname: "year", fieldtype: "Int", label: __("Year"), reqd: 1, default: last.getFullYear() },
					{ fieldname: "month", fieldtype: "Int", label: __("Month"), reqd: 1, default: last.getMonth() + 1 },
				],
				({ year, month }) =>
					frappe
						.call("whistle_app.bulletins.drafting.draft_now", { year, month })
						.then((r) => frappe.set_route("Form", "Supervision Bulletin", r.message)),
				__("Draft a Month Now")
			);
		});
	},
};
