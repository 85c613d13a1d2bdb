// Copyright (c) 2026, whistle_app developers
// For license information, please see license.txt

frappe.ui.form.on("Satisfaction Survey", {
	refresh(frm) {
		const move = (method, label) =>
			frm.add_custom_button(__(label), () =>
				frappe.confirm(__("{0} satisfaction survey {1}?", [__(label), frm.doc.name]), () =>
					frappe
						.call({ method: `whistle_app.surveys.${method}`, args: { survey: frm.doc.name }, freeze: true })
						.then(() => frm.reload_doc())
				)
			);
		if (!frm.is_new() && frm.doc.status === "Draft") {
			move("open_survey", "Open Survey");
		}
		if (!frm.is_new() && frm.doc.status === "Voting") {
			move("close_survey", "Close Survey");
		}
		if (frm.doc.status === "Closed") {
			frm.disable_form();
		}
		frm.set_query("whistle_unit", "tallies", () => ({ filters: { unit_type: "Reporting Unit", enabled: 1 } }));
		render_results(frm);
	},
});

function render_results(frm) {
	const $wrapper = frm.get_field("results_html").$wrapper;
	if (frm.is_new()) {
		$wrapper.empty();
		return;
	}
	frappe.call({ method: "whistle_app.surveys.survey_results", args: { survey: frm.doc.name } }).then(({ message }) => {
		const rows = (message || [])
			.map(
				(r) => `<tr>
					<td>${frappe.utils.escape_html(r.assessment_class || "")}</td>
					<td>${frappe.utils.escape_html(r.unit_name || r.unit)}</td>
					<td class="text-right">${r.satisfied}</td>
					<td class="text-right">${r.fairly_satisfied}</td>
					<td class="text-right">${r.basically_satisfied}</td>
					<td class="text-right">${r.dissatisfied}</td>
					<td class="text-right">${r.total}</td>
					<td class="text-right">${r.satisfaction === null ? "—" : r.satisfaction}</td>
				</tr>`
			)
			.join("");
		$wrapper.html(`<table class="table table-bordered table-sm">
			<thead><tr>
				<th>${__("Assessment Class")}</th><th>${__("Reporting Unit")}</th>
				<th>${__("Satisfied")}</th><th>${__("Fairly Satisfied")}</th>
				<th>${__("Basically Satisfied")}</th><th>${__("Dissatisfied")}</th>
				<th>${__("Total Votes")}</th><th>${__("Satisfaction")}</th>
			</tr></thead><tbody>${rows}</tbody></table>`);
	});
}
