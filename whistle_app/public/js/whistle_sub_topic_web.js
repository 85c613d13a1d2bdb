// The phone forms' typical problem (典型问题, RULES §14): the sub-topic offers the enabled sub-topics
// of the chosen category only (the slip's form), or all of them named with their category (the
// enterprise's demand form, which has no category). The server checks the choice again.
frappe.ready(() => {
	const bind = (tries) => {
		const form = frappe.web_form;
		if (!form || !form.fields_dict || !form.fields_dict.sub_topic) {
			if (tries > 0) {
				setTimeout(() => bind(tries - 1), 200);
			}
			return;
		}
		const load = () => {
			const category = form.fields_dict.category ? form.get_value("category") : null;
			frappe
				.call({ method: "whistle_app.analysis.sub_topic_options", args: { category: category || null } })
				.then(({ message }) => {
					const options = message || [];
					const field = form.fields_dict.sub_topic;
					field.df.options = options;
					if (field.set_data) {
						field.set_data(options);
					}
					const current = form.get_value("sub_topic");
					if (current && !options.some((o) => o.value === current)) {
						form.set_value("sub_topic", "");
					}
				});
		};
		if (form.fields_dict.category) {
			form.on("category", load);
		}
		load();
	};
	bind(50);
});
