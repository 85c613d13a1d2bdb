"""Snail Awards show who proposed and who decided by name (issue #25): fill the names of the awards
proposed or decided before the name fields existed. Running it again changes nothing."""

import frappe


def execute():
	award = frappe.qb.DocType("Snail Award")
	for link in ("proposed_by", "decided_by"):
		rows = (
			frappe.qb.from_(award)
			.select(award.name, award[link])
			.where(award[link].isnotnull() & (award[link] != ""))
			.where(award[f"{link}_name"].isnull() | (award[f"{link}_name"] == ""))
		).run()
		for name, user in rows:
			frappe.db.set_value(
				"Snail Award", name, f"{link}_name", frappe.utils.get_fullname(user), update_modified=False
			)
