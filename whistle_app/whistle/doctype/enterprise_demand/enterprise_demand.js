// Copyright (c) 2026, whistle_app developers
// For license information, please see license.txt

// Triage (RULES §2): an open demand is resolved locally (with its result) or escalated into a
// draft whistle slip. The server checks access and state; these buttons only ask for input.
frappe.ui.form.on("Enterprise Demand", {
	setup(frm) {
		frm.set_query("sub_topic", () => ({ filters: { enabled: 1 } }));
	},

	refresh(frm) {
		whistle_app.show_repeat(frm);
		if (frm.doc.whistle_slip) {
			frm.add_custom_button(__("Open Whistle Slip"), () =>
				frappe.set_route("Form", "Whistle Slip", frm.doc.whistle_slip)
			);
		}
		if (frm.is_new() || frm.doc.status !== "Open" || !frm.perm[0].write) {
			return;
		}
		const ensure_saved = () => {
			if (frm.is_dirty()) {
				frappe.throw(__("Save the demand first."));
			}
		};
		frm.add_custom_button(
			__("Resolve Locally"),
			() => {
				ensure_saved();
				frappe.prompt(
					[{ fieldname: "resolution", fieldtype: "Small Text", label: __("Result"), reqd: 1 }],
					(values) =>
						frappe
							.xcall("whistle_app.demand.resolve_locally", {
								demand: frm.doc.name,
								resolution: values.resolution,
							})
							.then(() => frm.reload_doc()),
					__("Resolve Locally"),
					__("Resolve")
				);
			},
			__("Triage")
		);
		frm.add_custom_button(
			__("Escalate to Whistle Slip"),
			async () => {
				ensure_saved();
				const categories = await frappe.xcall("whistle_app.demand.get_slip_categories");
				frappe.prompt(
					[
						{
							fieldname: "title",
							fieldtype: "Data",
							label: __("Title"),
							description: __("Leave empty to title the slip after the enterprise and the problem."),
						},
						{
							fieldname: "category",
							fieldtype: "Select",
							label: __("Category"),
							options: categories.map((c) => ({ value: c.value, label: c.label })),
							default: "Other",
							reqd: 1,
						},
					],
					(values) =>
						frappe
							.xcall("whistle_app.demand.escalate", {
								demand: frm.doc.name,
								title: values.title,
								category: values.category,
							})
							.then((slip) => frappe.set_route("Form", "Whistle Slip", slip)),
					__("Escalate to Whistle Slip"),
					__("Create Draft Slip")
				);
			},
			__("Triage")
		);
	},
});
