"""Rating comments move out of the rating (RULES §10): the ``comment`` column of Whistle Rating becomes a
virtual field backed by Whistle Rating Comment. Copy what the column holds, then drop it, so no list
query can select or filter on the old text."""

import frappe


def execute():
	if not frappe.db.has_column("Whistle Rating", "comment"):
		return
	rating = frappe.qb.DocType("Whistle Rating")
	rows = (
		frappe.qb.from_(rating)
		.select(rating.name, rating.comment)
		.where(rating.comment.isnotnull() & (rating.comment != ""))
		.run(as_dict=True)
	)
	for row in rows:
		if not frappe.db.exists("Whistle Rating Comment", {"rating": row.name}):
			frappe.get_doc(
				{"doctype": "Whistle Rating Comment", "rating": row.name, "comment": row.comment}
			).insert(ignore_permissions=True)
	frappe.db.commit()
	frappe.db.sql_ddl("alter table `tabWhistle Rating` drop column `comment`")
	frappe.cache.hdel("table_columns", "tabWhistle Rating")
