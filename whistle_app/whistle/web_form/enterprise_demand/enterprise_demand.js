// Enterprise Demand web form: translations of the progress panel and the panel itself.
// (This file is rendered with Jinja on the server; `whistle_messages` comes from get_context.)
Object.assign(frappe._messages || {}, {{ (whistle_messages or {}) | json }});
window.whistle_upload_limit = {{ whistle_upload_limit or 0 }};

frappe.ready(function () {
	// a new demand: photos and files chosen here are sent once it is saved (whistle_web.js)
	const stage = (tries) => {
		if (frappe.web_form && frappe.web_form.is_new && $(".web-form-wrapper [data-fieldname]").length) {
			whistle_app.stage_uploads();
		} else if (tries > 0) {
			setTimeout(() => stage(tries - 1), 200);
		}
	};
	stage(50);
	const demand = frappe.reference_doc && frappe.reference_doc.name;
	if (!demand || (frappe.web_form_doc && frappe.web_form_doc.is_list)) {
		return;
	}
	const esc = (value) => $("<div>").text(value == null ? "" : String(value)).html();
	const when = (value) => (value ? esc(frappe.datetime.str_to_user(value)) : "");
	const row = (label, value) =>
		`<tr><th class="text-muted" style="width: 35%">${esc(__(label))}</th><td>${value}</td></tr>`;

	frappe
		.call({ method: "whistle_app.demand.get_public_progress", args: { demand } })
		.then((r) => {
			const p = r.message;
			let html = `<h4 class="mt-4">${esc(__("Progress"))}</h4><table class="table table-sm">`;
			html += row("Status", esc(p.status_label));
			html += row("Received On", when(p.received_on));
			if (p.status === "Resolved Locally") {
				html += row("Result", esc(p.resolution));
				html += row("Resolved On", when(p.resolved_on));
			}
			if (p.status === "Open") {
				html += row("Progress", esc(__("Your park or town is looking into this demand.")));
			}
			if (p.slip) {
				const s = p.slip;
				html += row("Escalated On", when(p.escalated_on));
				html += row("Whistle Slip", esc(s.number));
				html += row("Title", esc(s.title));
				html += row("Current Stage", esc(s.workflow_state_label || ""));
				html += row("Dispatched On", when(s.dispatched_on) || esc(__("Not dispatched yet")));
				html += row("Completed On", when(s.completed_on) || esc(__("Not completed yet")));
				if (s.history.length) {
					const items = s.history
						.map((h) => `<li>${when(h.changed_on)} — ${esc(h.to_state_label || "")}</li>`)
						.join("");
					html += row("State Changes", `<ul class="list-unstyled mb-0">${items}</ul>`);
				}
			}
			html += "</table>";
			$('<div class="whistle-demand-progress">').html(html).insertAfter(".web-form");
		});
});
