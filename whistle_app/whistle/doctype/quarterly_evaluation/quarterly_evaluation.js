// Copyright (c) 2026, whistle_app developers
// For license information, please see license.txt

frappe.ui.form.on("Quarterly Evaluation", {
	refresh(frm) {
		whistle_evaluation_buttons(frm, { year: frm.doc.year, quarter: frm.doc.quarter }, "Quarterly Ranking");
	},
});

// Shared by the quarterly and annual evaluation forms: computed by the system, finalised by the office.
function whistle_evaluation_buttons(frm, period, report) {
	frm.disable_save();
	if (frm.is_new()) {
		return;
	}
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
	frm.add_custom_button(__(report), () => frappe.set_route("query-report", report, period));
}
