"""Remove committed test documents and everything that hangs off them (the HTTP and concurrency
tests commit their own fixtures so the server and other connections see them; the shared demo data
is never touched)."""

import frappe

# DocType -> [(dependent DocType, its link field to the DocType)]: removed first
DEPENDENTS: dict[str, list[tuple[str, str]]] = {
	"Whistle Slip": [
		("Whistle Rating", "slip"),
		("Whistle Slip Score", "slip"),
		("Whistle Extension Request", "slip"),
		("Whistle Exemption Request", "slip"),
		("Assessment Exclusion Request", "slip"),
		("Whistle Clock Event", "slip"),
		("Accountability Case", "evidence"),
		("Coordination Candidate", "slip"),
		("Coordination Decision", "slip"),
	],
	"Coordination Meeting": [("Coordination Decision", "meeting")],
	"Accountability Case": [("Fault Tolerance Application", "case")],
	"Whistle Rating": [("Whistle Rating Comment", "rating")],
	"Enterprise": [("Enterprise Demand", "enterprise"), ("Satisfaction Vote", "enterprise")],
	"Satisfaction Survey": [("Satisfaction Vote", "survey")],
	# finalising quarters proposes Snail Awards that link both quarters
	"Quarterly Evaluation": [("Snail Award", "quarterly_evaluation"), ("Snail Award", "previous_evaluation")],
}


def purge(doctype: str, names) -> int:
	"""Delete these documents (children, dependents, versions, comments, notifications, deleted-
	document copies) with plain deletes; returns how many rows of ``doctype`` went. No commit."""
	names = sorted({n for n in names if n})
	if not names or not frappe.db.table_exists(doctype):
		return 0
	for dependent, link in DEPENDENTS.get(doctype, []):
		if frappe.db.table_exists(dependent) and frappe.get_meta(dependent).has_field(link):
			purge(dependent, frappe.get_all(dependent, filters={link: ("in", names)}, pluck="name"))
	meta = frappe.get_meta(doctype)
	for df in meta.get_table_fields():
		frappe.db.delete(df.options, {"parent": ("in", names), "parenttype": doctype})
	frappe.db.delete("Version", {"ref_doctype": doctype, "docname": ("in", names)})
	frappe.db.delete("Comment", {"reference_doctype": doctype, "reference_name": ("in", names)})
	frappe.db.delete("Notification Log", {"document_type": doctype, "document_name": ("in", names)})
	frappe.db.delete("Deleted Document", {"deleted_doctype": doctype, "deleted_name": ("in", names)})
	frappe.db.delete("Access Log", {"export_from": doctype, "reference_document": ("in", names)})
	frappe.db.delete("File", {"attached_to_doctype": doctype, "attached_to_name": ("in", names)})
	before = frappe.db.count(doctype, {"name": ("in", names)})
	frappe.db.delete(doctype, {"name": ("in", names)})
	return before


def purge_all(created) -> None:
	"""``created``: (doctype, name) pairs, removed newest first; commits."""
	frappe.db.rollback()
	by_doctype: dict[str, list[str]] = {}
	order: list[str] = []
	for doctype, name in reversed(list(created)):
		if doctype not in by_doctype:
			order.append(doctype)
		by_doctype.setdefault(doctype, []).append(name)
	for doctype in order:
		purge(doctype, by_doctype[doctype])
	frappe.db.commit()


def purge_access_logs(users, since) -> None:
	"""Access Logs the users' exports and prints wrote since ``since`` (a datetime); commits."""
	frappe.db.delete("Access Log", {"user": ("in", list(users)), "creation": (">=", since)})
	frappe.db.commit()
