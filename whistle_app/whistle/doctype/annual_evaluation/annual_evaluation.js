// Copyright (c) 2026, whistle_app developers
// For license information, please see license.txt

frappe.ui.form.on("Annual Evaluation", {
	refresh(frm) {
		frm.disable_save();
		if (frm.is_new()) {
			return;
		}
		const period = { year: frm.doc.year };
		const office = frappe.user.has_role(["Whistle Office", "Whistle Administrator", "System Manager"]);
		const call = (method) =>
			frappe
				.call({ method: `whistle_app.evaluation.${method}`, args: period, freeze: true })
				.then(() => frm.reload_doc());
		if (office && frm.doc.status === "Draft") {
			frm.add_custom_button(__("Recompute"), () => call("evaluate_now"));
			frm.add_custom_button(__("Finalise"), () =>
				frappe.confirm(__("Finalise {0}? A final evaluation never changes again.", [frm.doc.title]), () =>
					call("finalise")
				)
			);
		}
		frm.add_custom_button(__("Annual Ranking"), () => frappe.set_route("query-report", "Annual Ranking", period));
		frm.add_custom_button(__("Annual Consequences"), () =>
			frappe.set_route("query-report", "Annual Consequences", period)
		);
	},
});
