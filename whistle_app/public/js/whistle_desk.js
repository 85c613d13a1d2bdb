// Desk helpers shared by the whistle forms.
frappe.provide("whistle_app");

// Ask for the reason of a workflow action, save it in `action_reason`, then let the action run.
// The server records the reason in the document's history (RULES §3.1). Frappe freezes the page
// before `before_workflow_action`; the prompt needs it unfrozen, and a cancelled prompt must not
// leave it frozen.
whistle_app.prompt_action_reason = function (frm, required) {
	const action = frm.selected_workflow_action;
	frappe.dom.unfreeze();
	return new Promise((resolve, reject) => {
		let submitted = false;
		const dialog = frappe.prompt(
			{
				fieldname: "reason",
				fieldtype: "Small Text",
				label: __("Reason for This Action"),
				reqd: required ? 1 : 0,
			},
			({ reason }) => {
				submitted = true;
				frm.set_value("action_reason", reason || "");
				frm.save().then(
					() => {
						frappe.dom.freeze();
						resolve();
					},
					reject
				);
			},
			__(action),
			__(action)
		);
		// the prompt hides itself before calling back: decide after the callback had its turn
		dialog.onhide = () => setTimeout(() => !submitted && reject(), 0);
	});
};

// A repeated whistle (RULES §14): the same enterprise and sub-topic within 90 days of an earlier
// whistle, linked by the server (`repeat_of`); the form shows the earlier slip's state and result.
whistle_app.show_repeat = function (frm) {
	if (frm.is_new() || !frm.doc.repeat_of) {
		return;
	}
	frappe
		.call({
			method: "whistle_app.analysis.repeat_info",
			args: { doctype: frm.doctype, name: frm.doc.name },
		})
		.then(({ message }) => {
			if (!message) {
				return;
			}
			frm.dashboard.add_indicator(__("Repeated Whistle"), "orange");
			const esc = frappe.utils.escape_html;
			const result = message.result ? `${__("Result")}：${esc(message.result)}` : "";
			frm.dashboard.set_headline_alert(
				`${__("Repeated whistle: {0} days after {1} ({2}, {3}).", [
					message.days,
					`<a href="/app/whistle-slip/${encodeURIComponent(message.name)}">${esc(message.name)}</a>`,
					esc(message.title || ""),
					esc(message.state || ""),
				])} ${result}`,
				"orange"
			);
		});
};

// The figures of a desk workspace (issue #21): the desk's Custom HTML Block calls this with its
// shadow root; one request (whistle_app.desk_summary.get_summary) answers every card and chart.
// A card opens the list it counts; 刷新 asks the server afresh instead of its cached answer.
whistle_app.render_desk_summary = function (root, workspace) {
	const box = document.createElement("div");
	box.className = "whistle-desk-summary";
	const style = document.createElement("style");
	style.textContent = whistle_app.DESK_SUMMARY_CSS;
	root.append(style, box);
	const esc = frappe.utils.escape_html;
	const load = (refresh) =>
		frappe
			.call({
				method: "whistle_app.desk_summary.get_summary",
				args: { workspace, refresh: refresh ? 1 : 0 },
				type: "GET",
			})
			.then(({ message }) => draw(message));
	let loads = 0;
	const draw = (summary) => {
		box.dataset.loads = ++loads; // how many answers were drawn (tests wait for a refresh's)
		box.innerHTML = `
			<div class="wds-head">
				<span class="wds-as-of">${esc(__("As of {0}", [summary.as_of]))}</span>
				<button class="btn btn-xs btn-default wds-refresh">${esc(__("Refresh"))}</button>
			</div>
			<div class="wds-cards">${summary.cards
				.map(
					(c, i) => `
				<a class="wds-card${c.color ? " wds-" + esc(c.color) : ""}" data-index="${i}" href="#">
					<div class="wds-label">${esc(c.label)}</div>
					<div class="wds-value">${esc(String(c.value))}</div>
				</a>`
				)
				.join("")}</div>
			<div class="wds-charts">${summary.charts
				.map(
					(c, i) => `
				<div class="wds-chart wds-${esc(c.dimension)}">
					<div class="wds-chart-title">${esc(c.title)}</div>
					<div class="wds-chart-body" data-index="${i}"></div>
				</div>`
				)
				.join("")}</div>`;
		box.querySelectorAll(".wds-card").forEach((el) =>
			el.addEventListener("click", (event) => {
				event.preventDefault();
				const c = summary.cards[el.dataset.index];
				frappe.set_route("List", c.doctype, c.filters);
			})
		);
		box.querySelector(".wds-refresh").addEventListener("click", () => load(true));
		box.querySelectorAll(".wds-chart-body").forEach((el) => {
			const c = summary.charts[el.dataset.index];
			if (c.data.empty || !c.data.labels.length) {
				el.innerHTML = `<div class="wds-empty">${esc(__("Nothing to show"))}</div>`;
				return;
			}
			if (c.data.kind === "list") {
				// counts per state or department: every label in full, every count a whole number
				const values = c.data.datasets[0].values;
				const top = Math.max(...values, 1);
				el.innerHTML = c.data.labels
					.map(
						(label, i) => `
					<div class="wds-bar">
						<span class="wds-bar-label">${esc(label)}</span>
						<span class="wds-bar-track"><span class="wds-bar-fill"
							style="width: ${(100 * values[i]) / top}%"></span></span>
						<span class="wds-bar-value">${esc(String(values[i]))}</span>
					</div>`
					)
					.join("");
				return;
			}
			new frappe.Chart(el, {
				data: { labels: c.data.labels, datasets: c.data.datasets },
				type: "bar",
				barOptions: c.dimension === "monthly_by_category" ? { stacked: 1 } : {},
				height: 240,
				axisOptions: { xIsSeries: c.dimension === "monthly_by_category" ? 1 : 0 },
			});
		});
	};
	load(false);
};

whistle_app.DESK_SUMMARY_CSS = `
.whistle-desk-summary { padding: 4px 0; }
.wds-head { display: flex; justify-content: space-between; align-items: center; margin-bottom: 12px;
	color: var(--text-muted); font-size: var(--text-sm); }
.wds-cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 12px; }
.wds-card { display: block; padding: 12px 16px; border: 1px solid var(--border-color);
	border-radius: var(--border-radius-md); background: var(--card-bg); color: var(--text-color);
	text-decoration: none; }
.wds-card:hover { text-decoration: none; border-color: var(--gray-500); }
.wds-label { font-size: var(--text-sm); color: var(--text-muted); }
.wds-value { font-size: 1.75rem; font-weight: 600; margin-top: 4px; }
.wds-red .wds-value { color: var(--red-500); }
.wds-orange .wds-value { color: var(--orange-500); }
.wds-charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(320px, 1fr)); gap: 16px;
	margin-top: 16px; }
.wds-chart { border: 1px solid var(--border-color); border-radius: var(--border-radius-md);
	padding: 12px; min-width: 0; }
.wds-chart-title { font-weight: 600; margin-bottom: 8px; }
.wds-empty { color: var(--text-muted); padding: 24px 0; text-align: center; }
.wds-bar { display: grid; grid-template-columns: 9em 1fr 2.5em; gap: 8px;
	align-items: center; padding: 3px 0; font-size: var(--text-sm); }
.wds-bar-label { color: var(--text-color); }
.wds-bar-track { background: var(--gray-100); border-radius: 4px; height: 10px; overflow: hidden; }
.wds-bar-fill { display: block; height: 100%; background: var(--blue-500); border-radius: 4px; }
.wds-overdue_by_department .wds-bar-fill { background: var(--red-500); }
.wds-bar-value { text-align: right; font-variant-numeric: tabular-nums; }
@media (max-width: 480px) {
	.wds-cards { grid-template-columns: repeat(2, minmax(0, 1fr)); }
	.wds-charts { grid-template-columns: minmax(0, 1fr); }
}
`;

// "Open an accountability case" in one click (RULES §13): a new Accountability Case with its evidence
// filled in, offered to the Efficiency Office only (the server refuses anybody else's case).
whistle_app.open_accountability_case = function (evidence_type, evidence, whistle_unit) {
	frappe.new_doc("Accountability Case", { evidence_type, evidence, whistle_unit });
};

whistle_app.accountability_case_link = function (evidence_type, evidence, whistle_unit) {
	if (!frappe.user.has_role("Efficiency Office")) {
		return "";
	}
	const args = frappe.utils.escape_html(JSON.stringify([evidence_type, evidence, whistle_unit]));
	return `<a href="#" onclick="whistle_app.open_accountability_case.apply(null, ${args}); return false;">${__(
		"Open Accountability Case"
	)}</a>`;
};
