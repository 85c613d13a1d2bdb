// Copyright (c) 2026, whistle_app developers
// For license information, please see license.txt

frappe.listview_settings["Snail Award"] = {
	get_indicator(doc) {
		const colours = { "Award Proposed": "orange", Awarded: "red", "Not Awarded": "gray" };
		return [__(doc.status), colours[doc.status] || "gray", `status,=,${doc.status}`];
	},
};
