// Copyright (c) 2026, whistle_app developers
// For license information, please see license.txt

frappe.ui.form.on("Enterprise", {
	credit_code(frm) {
		// the server checks the code (GB 32100-2015); here it is only tidied up
		const tidy = (frm.doc.credit_code || "").replace(/\s+/g, "").toUpperCase();
		if (tidy !== frm.doc.credit_code) {
			frm.set_value("credit_code", tidy);
		}
	},
});
