"""Fields the server computes are read-only to every client, on every path (issue #23, RULES §10).

The app's DocTypes mark what the server computes as ``read_only`` (deadlines, clock statuses, who and
when, the state history, scores, evaluation rows...). Frappe enforces ``read_only`` only in the
desk's form, so a client could write such a field through REST, ``frappe.client.set_value``,
``insert`` with child rows, bulk edit, data import or a web form. This module is the one place that
refuses that:

* **Which writes are a client's.** Rather than list Frappe's generic endpoints (an attacker needs only
  the one not listed), the app trusts the reverse: its own whitelisted methods
  (``/api/method/whistle_app.…``), its own background jobs, and code run without a request (console,
  migrate, scheduler-less tests). Any other request or job is a client's, and in it the document
  saved at the top of the call stack is the one the client sent; documents saved *inside* that save
  (rating drafts made in a slip's ``on_update``, say) are the server's own work.
* **What is refused.** On a client's save, every server field (``server_fields``: ``read_only`` and
  not fetched by Frappe itself, on the document and its child rows, and whole ``read_only`` tables)
  must keep its stored value; on a new document it must be empty or its default. Anything else is
  refused with ``ServerFieldError``, naming the field, before the controller's ``validate``. So a
  controller fills its server fields in ``validate`` (or later), never in ``before_insert`` or
  ``before_validate``, which run before the guard.
* **Web forms.** A field shown read-only in a web form is never written through it: Frappe's
  ``accept`` copies every field of the form from the client, read-only or not, so such fields are
  put back to their stored values (``web_form_read_only_fields``).

The hook is ``doc_events["*"]["before_validate"]`` (and ``before_update_after_submit``) in
``hooks.py``; Frappe runs it after the controller's ``before_validate`` and before ``validate``.
"""

import sys

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, cstr, flt, get_datetime, getdate

MODULE = "Whistle"
APP_PREFIX = "whistle_app."
# fields Frappe itself manages or checks on every path (workflow transitions, amendments)
MANAGED_ELSEWHERE = frozenset({"amended_from", "workflow_state", "naming_series"})
NO_VALUE_TYPES = frozenset({"Section Break", "Column Break", "Tab Break", "HTML", "Button", "Heading"})
TABLE_TYPES = frozenset({"Table", "Table MultiSelect"})
_SAVE_CODES = frozenset({Document._save.__code__, Document.insert.__code__})


class ServerFieldError(frappe.PermissionError):
	"""A client tried to write a field that only the server writes."""


# --- who is writing ----------------------------------------------------------------------------------


def request_method() -> str | None:
	"""The dotted method a request calls (``/api/method/x`` or the legacy ``cmd``), else None."""
	request = getattr(frappe.local, "request", None)
	if request is None:
		return None
	path = request.path or ""
	for prefix in ("/api/method/", "/api/v1/method/", "/api/v2/method/"):
		if path.startswith(prefix):
			return path[len(prefix) :].strip("/")
	return cstr(frappe.local.form_dict.get("cmd")) or None


def is_client_context() -> bool:
	"""True inside a request or job that is not the app's own code (see the module docstring)."""
	job = getattr(frappe.local, "job", None)
	if job:
		return not cstr(job.get("method")).startswith(APP_PREFIX)
	if getattr(frappe.local, "request", None) is None:
		return False
	return not cstr(request_method()).startswith(APP_PREFIX)


def is_nested_save(doc) -> bool:
	"""True when another document's save or insert is on the call stack below this one."""
	frame = sys._getframe(1)
	while frame is not None:
		if frame.f_code in _SAVE_CODES and frame.f_locals.get("self") is not doc:
			return True
		frame = frame.f_back
	return False


# --- what the server writes ---------------------------------------------------------------------------


def server_fields(meta) -> list:
	"""The DocFields of this DocType that only the server writes."""
	return [
		df
		for df in meta.fields
		if df.read_only
		and df.fieldtype not in NO_VALUE_TYPES
		and not df.fetch_from
		and df.fieldname not in MANAGED_ELSEWHERE
	]


def normalise(df, value):
	if value in (None, ""):
		return None
	if df.fieldtype == "Date":
		return getdate(value)
	if df.fieldtype == "Datetime":
		return get_datetime(value).replace(microsecond=0)
	if df.fieldtype in ("Int", "Check"):
		return cint(value) or None
	if df.fieldtype in ("Float", "Currency", "Percent"):
		return flt(value) or None
	return cstr(value)


def default_of(df):
	default = cstr(df.default)
	if df.fieldtype in TABLE_TYPES or not default or default.startswith(":") or default in ("Now", "Today"):
		return None
	return normalise(df, default)


def allowed(df, value, before, new: bool = False) -> bool:
	"""A server field keeps its stored value; a new document or row holds nothing or the default (an
	amendment: or the amended document's value)."""
	value = normalise(df, value)
	if before is not None and value == normalise(df, before.get(df.fieldname)):
		return True
	return (before is None or new) and value in (None, default_of(df))


def row_values(row) -> tuple:
	"""A child row's values, for comparisons."""
	return tuple(
		normalise(df, row.get(df.fieldname))
		for df in row.meta.fields
		if df.fieldtype not in NO_VALUE_TYPES and df.fieldtype not in TABLE_TYPES
	)


def changed_server_fields(doc) -> list:
	"""The server fields (of the document and its rows) a client changed, as (row or doc, DocField).

	An amendment (a new document with ``amended_from``) may carry over what the amended document holds,
	as Frappe's desk copies it."""
	before = doc.get_doc_before_save() if not doc.is_new() else None
	if before is None and doc.get("amended_from") and frappe.db.exists(doc.doctype, doc.amended_from):
		before = frappe.get_doc(doc.doctype, doc.amended_from)
	changed = []
	for df in server_fields(doc.meta):
		if df.fieldtype in TABLE_TYPES:
			rows = [row_values(r) for r in doc.get(df.fieldname) or []]
			old = [row_values(r) for r in (before.get(df.fieldname) if before else [])]
			if rows and rows != old:
				changed.append((doc, df))
			elif not rows and old and not doc.is_new():
				changed.append((doc, df))
			continue
		if not allowed(df, doc.get(df.fieldname), before, new=doc.is_new()):
			changed.append((doc, df))
	for table_df in doc.meta.get_table_fields():
		if table_df.read_only:
			continue
		rows = doc.get(table_df.fieldname) or []
		if not rows:
			continue
		child_fields = server_fields(frappe.get_meta(table_df.options))
		if not child_fields:
			continue
		old_rows = {r.name: r for r in (before.get(table_df.fieldname) if before else [])}
		for row in rows:
			old = old_rows.get(row.name)
			for df in child_fields:
				if not allowed(df, row.get(df.fieldname), old):
					changed.append((row, df))
	return changed


# --- the hook ---------------------------------------------------------------------------------------------


def guard_server_fields(doc, method: str | None = None) -> None:
	"""``doc_events["*"]``: refuse a client's write of a server field of one of the app's DocTypes."""
	if doc.meta.module != MODULE or not is_client_context() or is_nested_save(doc):
		return
	if frappe.flags.in_web_form:
		restore_web_form_read_only_fields(doc)
	changed = changed_server_fields(doc)
	if changed:
		row, df = changed[0]
		label = _(df.label or df.fieldname, context=row.doctype)
		if row is not doc:
			label = _("Row {0}: {1}").format(cint(row.idx), label)
		frappe.throw(
			_("{0} is filled in by the system and cannot be changed.").format(label),
			ServerFieldError,
			title=_("Not permitted"),
		)


def web_form_read_only_fields(doctype: str) -> set[str]:
	"""Fields shown read-only in the web form being submitted (``accept``'s ``web_form`` argument)."""
	name = frappe.local.form_dict.get("web_form")
	if not name or not isinstance(name, str):
		return set()
	form = frappe.get_cached_doc("Web Form", name)
	if form.doc_type != doctype:
		return set()
	return {f.fieldname for f in form.web_form_fields if f.read_only and f.fieldname}


def restore_web_form_read_only_fields(doc) -> None:
	"""Put the web form's read-only fields back to their stored values (new documents: empty)."""
	before = doc.get_doc_before_save() if not doc.is_new() else None
	for fieldname in web_form_read_only_fields(doc.doctype):
		df = doc.meta.get_field(fieldname)
		if not df or df.fieldtype in TABLE_TYPES:
			continue
		doc.set(fieldname, before.get(fieldname) if before else None)
