// Copyright (c) 2026, whistle_app developers
// For license information, please see license.txt

frappe.ui.form.on("Annual Evaluation", {
	refresh(frm) {
		frm.disable_save();
		if (frm.is_new()) {
			return;
		}
		const period = { year: frm.doc.year };
		// issue #25: consequences name the chain's people; a missing one is said in red
		const missing = (frm.doc.units || [])
			.filter((row) => !row.principal_leader || !row.deputy_leader || !row.division_head)
			.map((row) => row.whistle_unit);
		if (missing.length) {
			frm.set_intro(
				`<span class="text-danger">${__(
					"Accountability chain not registered (未登记) for {0} unit(s): {1}. Complete them in Whistle Unit before the year is finalised.",
					[missing.length, frappe.utils.escape_html(missing.join("、"))]
				)}</span>`,
				"red"
			);
		}
		const office = frappe.user.has_role(["Whistle Office", "Whistle Administrator", "System Manager"]);
		const call = (method) =>
			frappe
				.call({ method: `whistle_app.evaluation.${method}`, args: period, freeze: true })
				.then(() => frm.reload_doc());
		if (office && frm.doc.status === "Draft") {
			frm.add_custom_button(__("Recompute"), () => call("evaluate_now"));
			frm.add_custom_button(__("Finalise"), () =>
				frappe.confirm(
					(missing.length
						? `<p class="text-danger">${__("{0} unit(s) have no complete accountability chain: their consequences will read 未登记.", [missing.length])}</p>`
						: "") + __("Finalise {0}? A final evaluation never changes again.", [frm.doc.title]),
					() => call("finalise")
				)
			);
		}
		frm.add_custom_button(__("Annual Ranking"), () => frappe.set_route("query-report", "Annual Ranking", period));
		frm.add_custom_button(__("Annual Consequences"), () =>
			frappe.set_route("query-report", "Annual Consequences", period)
		);
	},
});
