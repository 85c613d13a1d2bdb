"""What the Whistle Administrator configures in the desk, without code (issue #22).

The administrator (role Whistle Administrator, profile 吹哨管理员) customizes the app's own forms and
outputs with Frappe's own tools, and nothing else:

* **Rights.** Frappe gives its configuration DocTypes (Customize Form, Custom Field, Property Setter,
  Print Format, Web Form, Notification, Workflow, Workflow State, Translation) to System Managers
  only. ``ensure_administrator_rights`` (every migrate) adds the Whistle Administrator to each, with
  exactly the rights of ``roles.ADMINISTRATOR_RIGHTS``, through Frappe's own Role Permission Manager
  calls (``frappe.permissions``), which keep every standard rule of the DocType.
* **Scope.** Those rights would reach every DocType of the site; ``check_scope`` (``doc_events``)
  confines an administrator who is not also a System Manager to the app's own: custom fields,
  property setters (labels, help texts, the default print format) and print formats of the app's
  DocTypes, the app's phone web forms, the labels (Translation) of the app's workflow states and
  actions and of its DocTypes, the styles of its workflow states. The app's notifications and
  workflows protect themselves (``whistle_app.notifications``, ``whistle_app.workflows``).
* **Phone web forms.** The app's web forms are standard (their scripts and role checks live in the
  module folder), and Frappe lets nobody edit a standard web form outside developer mode.
  ``WhistleWebForm`` (``override_doctype_class``) lets an administrator edit the app's own: titles,
  introductions, success texts and fields, but never the settings that decide who may use the form
  and how (route, document type, login, edit and list rights, conditions, scripts). A field added to
  the form writes the document only if it is one of the form's own editable fields or a custom
  field; any other field is shown read-only (web forms save without Frappe's permission levels, so a
  routing field on the park's form would otherwise be a way around them). Edits are stored in the
  site only (never exported to files) and kept by ``bench migrate``, which re-imports a web form
  only when the app ships a newer version of its file.
"""

import json
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import frappe
from frappe import _
from frappe.permissions import add_permission, setup_custom_perms, update_permission_property
from frappe.website.doctype.web_form.web_form import WebForm

from whistle_app import roles
from whistle_app.access import ADMINISTRATOR, SYSTEM_MANAGER, user_roles
from whistle_app.doctype_index import doctype_definitions

MODULE = "Whistle"
WEB_FORM_FOLDER = Path(__file__).resolve().parent / "whistle" / "web_form"
# Frappe's own roles that hold each configuration DocType: their holders are not confined here
NATIVE_ROLES = {"Web Form": frozenset({SYSTEM_MANAGER, "Website Manager"})}
# settings of the app's web forms that decide who may use them and how: the app's, not the desk's
PROTECTED_WEB_FORM_FIELDS = (
	"route",
	"doc_type",
	"module",
	"is_standard",
	"login_required",
	"anonymous",
	"apply_document_permissions",
	"allow_edit",
	"allow_multiple",
	"allow_delete",
	"allow_incomplete",
	"show_list",
	"condition_json",
	"client_script",
	"breadcrumbs",
)
LAYOUT_TYPES = frozenset({"Section Break", "Column Break", "Page Break", "Tab Break", "HTML"})


class ConfigurationScopeError(frappe.PermissionError):
	"""An administrator's change outside the app's own forms and outputs."""


class WebFormSettingError(frappe.ValidationError):
	"""A change of the app's web form that the app keeps as its own."""


# --- rights --------------------------------------------------------------------------------------------


def ensure_administrator_rights() -> list[str]:
	"""Give the Whistle Administrator its rights on Frappe's configuration DocTypes (every migrate;
	idempotent: only a missing right is written). Returns the DocTypes changed."""
	changed = []
	role = roles.WHISTLE_ADMINISTRATOR
	for doctype, ptypes in roles.ADMINISTRATOR_RIGHTS.items():
		if not frappe.db.exists("DocType", doctype):
			continue
		row = frappe.db.get_value(
			"Custom DocPerm",
			{"parent": doctype, "role": role, "permlevel": 0, "if_owner": 0},
			["name", *ptypes],
			as_dict=True,
		)
		if row and all(row.get(p) for p in ptypes):
			continue
		setup_custom_perms(doctype)  # the standard rules become custom ones, kept as they are
		if not row:
			add_permission(doctype, role, 0, ptypes[0])
		for ptype in ptypes:
			update_permission_property(doctype, role, 0, ptype, 1, validate=False)
		frappe.clear_cache(doctype=doctype)
		changed.append(doctype)
	return changed


# --- scope -----------------------------------------------------------------------------------------------


def is_confined(doctype: str, user: str | None = None) -> bool:
	"""Whether the user's rights on ``doctype`` come from the Whistle Administrator role only (no
	System Manager, nor the DocType's own Frappe role), so that they reach the app's records only."""
	user = user or frappe.session.user
	if user == ADMINISTRATOR or frappe.flags.in_install or frappe.flags.in_migrate or frappe.flags.in_patch:
		return False
	held = user_roles(user)
	native = NATIVE_ROLES.get(doctype, frozenset({SYSTEM_MANAGER}))
	return roles.WHISTLE_ADMINISTRATOR in held and not held & native


def app_doctypes() -> frozenset[str]:
	return frozenset(doctype_definitions())


def is_app_doctype(doctype: str | None) -> bool:
	return bool(doctype) and (
		doctype in app_doctypes() or frappe.db.get_value("DocType", doctype, "module") == MODULE
	)


@cache
def app_workflow_texts() -> tuple[frozenset[str], frozenset[str]]:
	"""(states, actions) of the app's workflows, from their committed JSON."""
	states, actions = set(), set()
	for path in (Path(__file__).resolve().parent / "whistle" / "workflow").glob("*/*.json"):
		data = json.loads(path.read_text(encoding="utf-8"))
		states.update(row["state"] for row in data.get("states", []))
		actions.update(row["action"] for row in data.get("transitions", []))
	return frozenset(states), frozenset(actions)


def app_labels() -> frozenset[str]:
	"""Texts whose label (Translation) the administrator may change: the app's workflow states and
	actions, and the names of its DocTypes."""
	states, actions = app_workflow_texts()
	return states | actions | app_doctypes()


def target_of(doc) -> tuple[bool, str]:
	"""(whether the record belongs to the app's configuration, what it configures) for the scope
	check of a confined administrator."""
	if doc.doctype == "Custom Field":
		return is_app_doctype(doc.dt), doc.dt
	if doc.doctype == "Property Setter":
		return is_app_doctype(doc.doc_type), doc.doc_type
	if doc.doctype == "Print Format":
		return is_app_doctype(doc.doc_type), doc.doc_type or doc.name
	if doc.doctype == "Web Form":
		return is_app_web_form(doc), doc.name
	if doc.doctype == "Translation":
		return (doc.source_text or "").strip() in app_labels(), doc.source_text
	if doc.doctype == "Workflow State":
		return doc.name in app_workflow_texts()[0], doc.name
	return True, doc.name


def check_scope(doc, method: str | None = None) -> None:
	"""``doc_events`` (validate, on_trash) of Frappe's configuration DocTypes: a confined administrator
	changes only what belongs to the app (its DocTypes, web forms, workflow labels and styles)."""
	if not is_confined(doc.doctype):
		return
	ours, what = target_of(doc)
	if ours:
		return
	frappe.throw(
		_(
			"As Whistle Administrator you configure the app's own forms, print formats, labels and "
			"notifications only; {0} {1} is not one of them (ask a System Manager)."
		).format(_(doc.doctype), what or ""),
		ConfigurationScopeError,
		title=_("Not permitted"),
	)


# --- the app's phone web forms -------------------------------------------------------------------------


def is_app_web_form(doc) -> bool:
	return bool(doc.is_standard) and doc.module == MODULE and shipped_web_form(doc.name) is not None


@cache
def shipped_web_form(name: str) -> dict | None:
	"""The web form as the app ships it (its JSON file), or None when the app has no such form."""
	folder = frappe.scrub(name)
	path = WEB_FORM_FOLDER / folder / f"{folder}.json"
	return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def shipped_editable_fields(name: str) -> frozenset[str]:
	shipped = shipped_web_form(name) or {}
	return frozenset(
		row["fieldname"]
		for row in shipped.get("web_form_fields", [])
		if row.get("fieldname") and not row.get("read_only")
	)


def may_edit_app_web_form(doc) -> bool:
	"""The app's phone forms are edited in the desk by administrators, outside developer mode."""
	from whistle_app.access import is_administrator

	return is_app_web_form(doc) and not frappe.conf.developer_mode and is_administrator()


def setting(doc, fieldname: str):
	"""A web form setting as compared: unset alike, the conditions as data (the desk rewrites their
	JSON on every save)."""
	value = doc.get(fieldname) or None
	if fieldname == "condition_json":
		try:
			return json.loads(value or "[]")
		except ValueError:
			return value
	return value


def check_web_form_change(doc) -> None:
	"""Refuse a change of the settings the app keeps, and a field that would write what the form
	must not write (not one of its own editable fields nor a custom field, yet not read-only)."""
	before = doc.get_doc_before_save()
	if before:
		for fieldname in PROTECTED_WEB_FORM_FIELDS:
			if setting(doc, fieldname) != setting(before, fieldname):
				label = _(doc.meta.get_label(fieldname))
				frappe.throw(
					_(
						"The phone form {0} keeps {1} as the app defines it: it decides who may use the "
						"form and how. You may change its title, texts and fields."
					).format(doc.name, label),
					WebFormSettingError,
				)
	own = shipped_editable_fields(doc.name)
	meta = frappe.get_meta(doc.doc_type)
	for row in doc.web_form_fields:
		if not row.fieldname or row.fieldtype in LAYOUT_TYPES or row.read_only or row.fieldname in own:
			continue
		df = meta.get_field(row.fieldname)
		if df and df.get("is_custom_field"):
			continue
		frappe.throw(
			_(
				"The phone form {0} can show {1} read-only only: a field the form writes is one of the "
				"form's own fields or a custom field. Tick Read Only for it."
			).format(doc.name, _(row.label or row.fieldname)),
			WebFormSettingError,
		)


@contextmanager
def standard_web_form_edit():
	"""Frappe refuses every edit of a standard web form "in the user's environment"; the app's own
	forms are edited by administrators (checked before), so that one check is passed over here."""
	previous = frappe.flags.in_fixtures
	frappe.flags.in_fixtures = True
	try:
		yield
	finally:
		frappe.flags.in_fixtures = previous


class WhistleWebForm(WebForm):
	"""Frappe's Web Form; the app's own phone forms are editable by administrators (see above)."""

	def validate(self):
		if not may_edit_app_web_form(self):
			return super().validate()
		check_web_form_change(self)
		with standard_web_form_edit():
			return super().validate()


def web_form_onload(doc, method: str | None = None) -> None:
	"""``doc_events["Web Form"]["onload"]``: tell the desk form that this administrator may edit it."""
	if may_edit_app_web_form(doc):
		doc.set_onload("whistle_app_editable", {"protected": list(PROTECTED_WEB_FORM_FIELDS)})
