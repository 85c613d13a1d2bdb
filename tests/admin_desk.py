"""The Whistle Administrator at the desk (issue #22): a user set up from the 吹哨管理员 role profile only
(no System Manager), and the calls the desk makes for it, in this process or over HTTP."""

import json

import frappe
from frappe import is_whitelisted
from frappe.core.doctype.translation.translation import clear_user_translation_cache
from frappe.desk.form.save import savedocs
from frappe.utils.password import update_password

from whistle_app import notifications, workflows
from whistle_app.dev import demo

CONFIGURATOR = "configurator@whistle.localhost"
PROFILE = "吹哨管理员"
OFFICE_UNIT = "区吹哨办"


def make_configurator() -> str:
	"""A desk user whose roles come from the 吹哨管理员 role profile alone (created or reset)."""
	if frappe.db.exists("User", CONFIGURATOR):
		user = frappe.get_doc("User", CONFIGURATOR)
	else:
		user = frappe.new_doc("User")
		user.email = CONFIGURATOR
		user.first_name = "配置管理员"
		user.send_welcome_email = 0
		user.user_type = "System User"
	user.enabled = 1
	user.whistle_unit = OFFICE_UNIT
	user.role_profile_name = PROFILE
	user.set("roles", [])
	user.save(ignore_permissions=True)
	update_password(CONFIGURATOR, demo.DEMO_PASSWORD)
	return CONFIGURATOR


def reset_caches() -> None:
	"""What a rolled-back configuration left in the caches: the app DocTypes' meta, the app's
	notifications, workflows and web forms, the Chinese translations."""
	for doctype in ("Whistle Slip", "Whistle Settings", "ToDo"):
		frappe.clear_cache(doctype=doctype)
	for name in notifications.defaults():
		frappe.clear_document_cache("Notification", name)
	for name in workflows.managed_workflows():
		frappe.clear_document_cache("Workflow", name)
	for name in ("whistle", "whistle-report", "enterprise-demand"):
		frappe.clear_document_cache("Web Form", name)
	frappe.cache.delete_value("notifications")
	clear_user_translation_cache("zh")


# --- in this process (the test's transaction) ---------------------------------------------------------------


def desk_load(doctype: str, name: str) -> dict:
	"""The document as the desk loads it (``getdoc``: permission checked, ``__onload`` filled)."""
	from frappe.desk.form.load import getdoc

	frappe.response.docs = []
	getdoc(doctype, name)
	return frappe.response.docs[0].as_dict()


def desk_save(doc: dict) -> dict:
	"""Save as the desk's Save button does (``savedocs``); returns the saved document."""
	frappe.response.docs = []
	if doc.get("__islocal") and not doc.get("name"):  # the desk's temporary name of a new document
		doc = {**doc, "name": "new-{}-1".format(doc["doctype"].lower().replace(" ", "-"))}
	savedocs(frappe.as_json(doc), "Save")
	return frappe.response.docs[-1]


def desk_method(doc: dict, method: str) -> dict:
	"""A whitelisted method of a document, as ``frm.call`` runs it (``run_doc_method``'s steps: the
	document sent, read permission, whitelisted, run with its hooks)."""
	sent = frappe.get_doc(frappe.parse_json(frappe.as_json(doc)))
	if not sent.has_permission("read"):
		raise frappe.PermissionError(method)
	is_whitelisted(getattr(sent, method).__func__)
	sent.run_method(method)
	return sent.as_dict()


# --- over HTTP (a real session on the test server) -------------------------------------------------------------


def http_ok(response) -> dict:
	assert response.ok, (response.status_code, response.text[:600])
	return response.json()


def http_load(client, doctype: str, name: str) -> dict:
	body = http_ok(client.get("/api/method/frappe.desk.form.load.getdoc", doctype=doctype, name=name))
	return body["docs"][0]


def http_save(client, doc: dict) -> dict:
	body = http_ok(
		client.post("/api/method/frappe.desk.form.save.savedocs", {"doc": json.dumps(doc), "action": "Save"})
	)
	return body["docs"][0]


def http_method(client, doc: dict, method: str) -> dict:
	body = http_ok(client.post("/api/method/run_doc_method", {"docs": json.dumps(doc), "method": method}))
	return body["docs"][0]


def new_row(parent: dict, table: str, child_doctype: str, values: dict) -> dict:
	"""A new child row as the desk adds it (``__islocal``, its parent set, next idx)."""
	row = {
		"doctype": child_doctype,
		"__islocal": 1,
		"parent": parent["name"],
		"parenttype": parent["doctype"],
		"parentfield": table,
		"idx": len(parent.get(table) or []) + 1,
		**values,
	}
	parent.setdefault(table, []).append(row)
	return row
