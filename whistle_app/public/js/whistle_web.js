// Shared by the whistle web forms (issue #20): the slip's phone page shows the facts the park or the
// department acts on (whistle_app.phone.slip_facts, read on the server within the user's scope) and
// the steps this user may take there, each in one dialog with one button.
window.whistle_app_actions = function () {
	const doc = frappe.web_form && frappe.web_form.doc;
	if (!doc || !doc.name || $(".whistle-actions").length) {
		return;
	}
	const $bar = $('<div class="whistle-actions d-flex flex-wrap my-3" style="gap: .5rem"></div>');
	$(".web-form-header, .web-form-head").first().after($bar);
	frappe.call({ method: "whistle_app.phone.slip_facts", args: { slip: doc.name } }).then(({ message }) => {
		const facts = message || {};
		$bar.after(whistle_app.facts_html(facts));
		whistle_app.action_buttons(doc.name, facts, $bar);
		whistle_app.attachments(doc.name, facts);
		window.whistle_app_urge_button(doc.name, $bar);
	});
};

window.whistle_app = window.whistle_app || {};
whistle_app.esc = (value) => $("<div>").text(value == null ? "" : String(value)).html();

whistle_app.facts_html = function (f) {
	const esc = whistle_app.esc;
	const section = (title, body, cls) =>
		body ? `<div class="whistle-fact-section ${cls || ""}"><h5 class="mt-3 mb-1">${esc(title)}</h5>${body}</div>` : "";
	const dl = (rows) =>
		rows.length
			? `<dl class="mb-0">${rows.map((r) => `<dt>${esc(r.label)}</dt><dd>${esc(r.value)}</dd>`).join("")}</dl>`
			: "";
	let html = `<div class="whistle-facts card p-3 mb-3">`;
	html += `<div class="d-flex flex-wrap align-items-center" style="gap: .5rem">
		<span class="whistle-state badge badge-pill badge-primary" style="font-size: 1rem">${esc(f.state_label)}</span>
		${f.warning_level ? `<span class="whistle-warning text-muted">${esc(f.warning_level)}</span>` : ""}</div>`;
	if (f.last_reason) {
		html += `<div class="whistle-last-reason alert alert-warning mt-3 mb-0"><strong>${esc(f.last_reason.action)}</strong>
			<span class="text-muted">${esc(f.last_reason.time)}</span><div>${esc(f.last_reason.reason)}</div></div>`;
	}
	if (f.calendar_warning) {
		html += `<div class="alert alert-secondary mt-2 mb-0">${esc(f.calendar_warning)}</div>`;
	}
	html += f.enterprise_name ? dl([{ label: __("Enterprise"), value: f.enterprise_name }]) : "";
	const deadlines = (f.deadlines || []).map(
		(d) =>
			`<li class="whistle-deadline whistle-status-${esc(d.status)}">${esc(d.label)}：${esc(d.deadline)}
			<strong>${esc(d.status_label)}</strong>${d.done_at ? `（${esc(d.done_at)}）` : ""}</li>`
	);
	html += section(__("Deadlines"), deadlines.length ? `<ul class="list-unstyled mb-0">${deadlines.join("")}</ul>` : "");
	const departments = (f.departments || []).map((d) => `<li>${esc(d.department)}（${esc(d.role)}）</li>`);
	html += section(__("Departments"), departments.length ? `<ul class="list-unstyled mb-0">${departments.join("")}</ul>` : "");
	html += section(__("Work Plan"), dl(f.plan || []), "whistle-plan");
	html += section(__("Joint Meeting"), dl(f.meeting || []), "whistle-meeting");
	const extensions = (f.extensions || []).map(
		(e) => `<li>${esc(e.department)}：${esc(e.previous)} → ${esc(e.new)}（${esc(e.reason)}）</li>`
	);
	html += section(__("Approved Extensions"), extensions.length ? `<ul class="list-unstyled mb-0">${extensions.join("")}</ul>` : "");
	const progress = (f.progress || []).map(
		(p) => `<li class="mb-1"><span class="text-muted">${esc(p.time)} ${esc(p.department)}</span><div>${esc(p.content)}</div></li>`
	);
	html += section(__("Progress"), progress.length ? `<ul class="list-unstyled mb-0">${progress.join("")}</ul>` : "", "whistle-progress");
	html += section(
		__("Result"),
		f.result ? `<div>${esc(f.result)}</div><div class="text-muted">${esc(f.completed_on)}</div>` : "",
		"whistle-result"
	);
	const pending = (f.pending_requests || []).map((r) => `<li>${esc(r.label)} ${esc(r.name)}：${esc(r.state)}</li>`);
	html += section(__("Requests"), pending.length ? `<ul class="list-unstyled mb-0">${pending.join("")}</ul>` : "");
	html += `<div class="whistle-attachments"></div></div>`;
	return html;
};

// a dialog with the step's fields and one button named after the step; the server names every missing field
whistle_app.step_dialog = function (title, fields, primary, call) {
	const dialog = new frappe.ui.Dialog({
		title,
		fields: fields.map((f) => ({ fieldname: f.fieldname, fieldtype: f.fieldtype, label: f.label })),
		primary_action_label: primary,
		primary_action(values) {
			frappe.call(call(values)).then((r) => {
				if (!r.exc) {
					dialog.hide();
					window.location.reload();
				}
			});
		},
	});
	dialog.show();
	whistle_app.current_dialog = dialog;
	return dialog;
};

whistle_app.action_buttons = function (slip, facts, $bar) {
	const run = (action, reason) =>
		frappe
			.call({ method: "whistle_app.lifecycle.act", args: { slip, action, reason } })
			.then(() => window.location.reload());
	(facts.actions || []).forEach(({ action, label, reason_required, style }) => {
		$(`<button type="button" class="btn btn-${style} btn-sm whistle-action">`)
			.text(label)
			.attr("data-action", action)
			.on("click", () => {
				if (!reason_required) {
					return run(action);
				}
				frappe.prompt(
					{ fieldname: "reason", fieldtype: "Small Text", label: __("Reason for This Action"), reqd: 1 },
					({ reason }) => run(action, reason),
					label,
					label
				);
			})
			.appendTo($bar);
	});
	(facts.steps || []).forEach((step) => {
		$('<button type="button" class="btn btn-primary btn-sm whistle-step">')
			.text(step.label)
			.attr("data-step", step.step)
			.on("click", () => {
				const dialog = whistle_app.step_dialog(step.label, step.fields, step.label, (values) => ({
					method: "whistle_app.phone.take_step",
					args: { slip, step: step.step, values },
				}));
				if (step.meeting_optional) {
					$('<p class="text-muted small mb-0">')
						.text(__("Fill in the joint meeting only once it has been held; the rest is needed."))
						.prependTo(dialog.$body);
				}
			})
			.appendTo($bar);
	});
	(facts.requests || []).forEach((request) => {
		$('<button type="button" class="btn btn-default btn-sm whistle-request">')
			.text(request.label)
			.attr("data-doctype", request.doctype)
			.on("click", () =>
				whistle_app.step_dialog(request.label, request.fields, __("File the Request"), (values) => ({
					method: "whistle_app.phone.file_request",
					args: { slip, doctype: request.doctype, values },
				}))
			)
			.appendTo($bar);
	});
};

// Photos and files (issue #20): the phone's camera or its files, private, attached only where the user
// may write (whistle_app/uploads.py checks again); too large a file is refused before it is sent.
whistle_app.upload_limit = () => window.whistle_upload_limit || 10 * 1024 * 1024;
whistle_app.upload = function (doctype, docname, file) {
	if (file.size > whistle_app.upload_limit()) {
		frappe.msgprint(
			__("{0} is too large: at most {1} MB.", [file.name, Math.floor(whistle_app.upload_limit() / 1048576)])
		);
		return Promise.reject();
	}
	const form = new FormData();
	form.append("file", file, file.name);
	form.append("doctype", doctype);
	form.append("docname", docname);
	form.append("is_private", 1);
	return fetch("/api/method/upload_file", {
		method: "POST",
		body: form,
		headers: { "X-Frappe-CSRF-Token": frappe.csrf_token, Accept: "application/json" },
	}).then((response) =>
		response.json().then((body) => {
			if (!response.ok) {
				const messages = body._server_messages ? JSON.parse(body._server_messages) : [];
				const text = messages.map((m) => JSON.parse(m).message).join("<br>");
				frappe.msgprint(text || __("The file could not be uploaded."));
				throw new Error("upload refused");
			}
			return body.message;
		})
	);
};

whistle_app.file_picker = function (onFiles) {
	const $wrap = $('<div class="whistle-file-picker d-flex flex-wrap my-2" style="gap: .5rem"></div>');
	const button = (label, attrs) => {
		const $input = $('<input type="file" class="d-none">').attr(attrs);
		$input.on("change", function () {
			onFiles(Array.from(this.files || []));
			this.value = "";
		});
		$('<button type="button" class="btn btn-default btn-sm">')
			.text(label)
			.on("click", () => $input.trigger("click"))
			.appendTo($wrap);
		$wrap.append($input);
	};
	button(__("Take a Photo"), { accept: "image/*", capture: "environment", class: "d-none whistle-camera" });
	button(__("Add Photos or Files"), {
		accept: "image/*,.pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.wps,.txt,.zip",
		multiple: "multiple",
		class: "d-none whistle-files",
	});
	return $wrap;
};

whistle_app.attachments = function (slip, facts) {
	const $box = $(".whistle-attachments");
	const links = (facts.attachments || [])
		.map((a) => `<li><a href="${encodeURI(a.file_url)}" target="_blank">${whistle_app.esc(a.file_name)}</a></li>`)
		.join("");
	if (!links && !facts.can_attach) {
		return;
	}
	$box.html(`<h5 class="mt-3 mb-1">${whistle_app.esc(__("Attachments"))}</h5><ul class="list-unstyled mb-0">${links}</ul>`);
	if (facts.can_attach) {
		$box.append(
			whistle_app.file_picker((files) =>
				Promise.all(files.map((file) => whistle_app.upload("Whistle Slip", slip, file))).then(() =>
					window.location.reload()
				)
			)
		);
	}
};

// A new whistle or demand: photos and files are chosen on the form and sent once it is saved, before the
// page moves on to the list.
whistle_app.stage_uploads = function () {
	const web_form = frappe.web_form;
	if (!web_form || !web_form.is_new || $(".whistle-staged").length) {
		return;
	}
	const staged = [];
	const $list = $('<ul class="whistle-staged list-unstyled mb-0"></ul>');
	const $box = $('<div class="whistle-new-attachments my-3"></div>')
		.append(`<label class="control-label">${whistle_app.esc(__("Attachments"))}</label>`)
		.append($list)
		.append(
			whistle_app.file_picker((files) =>
				files.forEach((file) => {
					if (file.size > whistle_app.upload_limit()) {
						frappe.msgprint(
							__("{0} is too large: at most {1} MB.", [file.name, Math.floor(whistle_app.upload_limit() / 1048576)])
						);
						return;
					}
					staged.push(file);
					$("<li>").text(file.name).appendTo($list);
				})
			)
		);
	$(".web-form-wrapper").first().after($box);
	const handle_success = web_form.handle_success.bind(web_form);
	web_form.handle_success = (data) => {
		const uploads = staged.map((file) => whistle_app.upload(data.doctype, data.name, file).catch(() => null));
		Promise.all(uploads).then(() => handle_success(data));
	};
};

// The phone whistle form's enterprise: one of the park's own (search by name or credit code), or a new
// one registered here with its credit code (whistle_app.phone.add_enterprise checks it).
whistle_app.enterprise_picker = function () {
	const $field = $('.web-form [data-fieldname="enterprise"]').first();
	if (!$field.length || $(".whistle-add-enterprise").length) {
		return;
	}
	$('<button type="button" class="btn btn-link btn-sm px-0 whistle-add-enterprise">')
		.text(__("Register a New Enterprise"))
		.on("click", () => {
			const dialog = new frappe.ui.Dialog({
				title: __("Register a New Enterprise"),
				fields: [
					{ fieldname: "enterprise_name", fieldtype: "Data", label: __("Enterprise Name") },
					{ fieldname: "credit_code", fieldtype: "Data", label: __("Unified Social Credit Code") },
				],
				primary_action_label: __("Register"),
				primary_action(values) {
					frappe.call({ method: "whistle_app.phone.add_enterprise", args: values }).then(({ message }) => {
						dialog.hide();
						frappe.web_form.set_value("enterprise", message.name);
					});
				},
			});
			dialog.show();
		})
		.appendTo($field);
};

// The park urges the departments of its open whistle (催办, plan 二.2): the server says whether this
// user may urge now (its park, an open whistle, not urged yet today) and sends the labels.
window.whistle_app_urge_button = function (slip, $bar) {
	frappe.call({ method: "whistle_app.urging.urge_status", args: { slip } }).then(({ message }) => {
		const status = message || {};
		Object.assign((frappe._messages = frappe._messages || {}), status.messages || {});
		if (!status.can_urge) {
			return;
		}
		$('<button type="button" class="btn btn-warning btn-sm whistle-urge">')
			.text(__("Urge"))
			.on("click", function () {
				const $button = $(this);
				frappe.prompt(
					{
						fieldname: "message",
						fieldtype: "Small Text",
						label: __("Urge Message"),
						description: __("Urge the departments on this whistle (at most 200 characters)."),
						reqd: 1,
					},
					({ message }) =>
						frappe.call({ method: "whistle_app.urging.urge", args: { slip, message } }).then(() => {
							$button.remove();
							frappe.show_alert({ message: __("Urged"), indicator: "green" });
						}),
					__("Urge"),
					__("Urge")
				);
			})
			.appendTo($bar);
	});
};

// Web-form lists on phones: no selection or serial-number column (nothing is deleted from a list
// here), less padding and titles that wrap, so a department's list fits a phone screen. Frappe's
// web-form styles are deeply nested (and load later), hence !important.
document.head.insertAdjacentHTML(
	"beforeend",
	`<style>
	/* the desk hides the field name Frappe keeps beside each control; web pages showed it (issue #20) */
	.frappe-control > .tooltip-content {
		display: none !important;
	}
	/* the slip's title under the form's name wraps instead of ending in "…" (issue #20) */
	.web-form-head p.ellipsis,
	.web-form-header p.ellipsis {
		white-space: normal !important;
		overflow-wrap: anywhere;
	}
	@media (max-width: 576px) {
		.web-list-table thead th:nth-child(-n + 2),
		.web-list-table .list-col-checkbox,
		.web-list-table .list-col-serial {
			display: none !important;
		}
		.web-list-container {
			padding-left: 12px !important;
			padding-right: 12px !important;
		}
		.web-list-table th,
		.web-list-table td {
			max-width: none !important;
			padding-left: 4px !important;
			padding-right: 4px !important;
		}
		.web-list-table td p {
			width: auto !important;
			max-width: none !important;
			white-space: normal !important;
			overflow-wrap: anywhere;
		}
	}
	</style>`
);
