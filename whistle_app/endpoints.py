"""Frappe's generic endpoints that answer without a row-level permission check (issue #23).

Registered in ``hooks.override_whitelisted_methods``; each answers only what ``frappe.get_list``
(which applies role permissions, ``permission_query_conditions`` and user permissions) would show.

* ``frappe.client.get_count`` counts with ``frappe.db.count``, no permission check at all: any login
  could test filters on ``Sessions`` (the Administrator's session id, a character at a time), rating
  comments or another unit's slips and read the answer from the count.
* ``frappe.desk.like.toggle_like`` writes ``_liked_by`` on any document by name.
* ``frappe.desk.search.get_link_title`` returns the title of any document by name (a whistle's title
  to a park of another unit).
"""

import frappe
from frappe import _
from frappe.client import get_safe_filters
from frappe.desk.like import _toggle_like
from frappe.desk.search import get_link_title as frappe_get_link_title


@frappe.whitelist()
@frappe.read_only()
def get_count(
	doctype: str, filters: dict | list | str | None = None, debug: bool = False, cache: bool = False
) -> int:
	"""``frappe.client.get_count``: the number of rows ``frappe.get_list`` shows this user."""

	if not isinstance(doctype, str) or not frappe.db.exists("DocType", doctype):
		frappe.throw(_("DocType {0} not found").format(doctype), frappe.DoesNotExistError)
	if not (frappe.has_permission(doctype, "read") or frappe.has_permission(doctype, "select")):
		frappe.throw(_("No permission for {0}").format(_(doctype)), frappe.PermissionError)
	rows = frappe.get_list(
		doctype,
		filters=get_safe_filters(filters),
		fields=[f"count(distinct `tab{doctype}`.`name`) as total"],
		order_by=None,
		limit_page_length=0,
	)
	return int(rows[0].total) if rows else 0


@frappe.whitelist(methods=["POST"])
def toggle_like(doctype: str, name: str, add: str | bool = False) -> None:
	"""``frappe.desk.like.toggle_like``: only on a document the user may read."""

	if not isinstance(doctype, str) or not isinstance(name, str):
		frappe.throw(_("Invalid request"), frappe.ValidationError)
	if not frappe.has_permission(doctype, "read", doc=name):
		frappe.throw(_("No permission for {0}").format(_(doctype)), frappe.PermissionError)
	_toggle_like(doctype, name, add)


@frappe.whitelist()
@frappe.read_only()
def get_link_title(doctype: str, docname: str) -> str | None:
	"""``frappe.desk.search.get_link_title``: a link's title only for a document the user may read or
	select; otherwise the desk shows the name it already has."""

	if (
		not isinstance(doctype, str)
		or not isinstance(docname, str)
		or not frappe.db.exists("DocType", doctype)
	):
		return None
	if not frappe.has_permission(doctype, "select", doc=docname) and not frappe.has_permission(
		doctype, "read", doc=docname
	):
		return None
	return frappe_get_link_title(doctype, docname)
