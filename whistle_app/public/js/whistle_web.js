// Shared by the whistle web forms: show the workflow actions the server says this user may take.
window.whistle_app_actions = function (withProgress) {
	const doc = frappe.web_form && frappe.web_form.doc;
	if (!doc || !doc.name || $(".whistle-actions").length) {
		return;
	}
	const $bar = $('<div class="whistle-actions d-flex flex-wrap my-3" style="gap: .5rem"></div>');
	const run = (action, reason) =>
		frappe
			.call({ method: "whistle_app.lifecycle.act", args: { slip: doc.name, action, reason } })
			.then(() => window.location.reload());
	frappe
		.call({ method: "whistle_app.lifecycle.available_actions", args: { slip: doc.name } })
		.then(({ message }) => {
			(message || []).forEach(({ action, reason_required }) => {
				$('<button type="button" class="btn btn-primary btn-sm">')
					.text(__(action))
					.on("click", () => {
						if (!reason_required) {
							return run(action);
						}
						frappe.prompt(
							{ fieldname: "reason", fieldtype: "Small Text", label: __("Reason for This Action"), reqd: 1 },
							({ reason }) => run(action, reason),
							__(action)
						);
					})
					.appendTo($bar);
			});
			if (withProgress) {
				$('<button type="button" class="btn btn-default btn-sm">')
					.text(__("Add Progress"))
					.on("click", () =>
						frappe.prompt(
							{ fieldname: "content", fieldtype: "Small Text", label: __("Progress"), reqd: 1 },
							({ content }) =>
								frappe
									.call({ method: "whistle_app.lifecycle.add_progress", args: { slip: doc.name, content } })
									.then(() => frappe.show_alert({ message: __("Saved"), indicator: "green" })),
							__("Add Progress")
						)
					)
					.appendTo($bar);
			}
			$(".web-form-header, .web-form-head").first().after($bar);
			window.whistle_app_urge_button(doc.name, $bar);
		});
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
