"""Input limits and plain-text storage for every DocType of the app (issue #11).

One ``validate`` hook (``doc_events["*"]`` in ``hooks.py``) runs for each document of the Whistle
module, on the document and its child rows:

* **length**: free-text fields hold at most ``TEXT_LIMITS[fieldtype]`` characters (Data fields keep
  Frappe's own varchar check); a 5 MB description is refused with a clear, translated error before
  the database sees it;
* **rows**: a child table holds at most ``MAX_ROWS`` rows, and a slip at most as many departments as
  there are reporting units (each department appears once);
* **well-formed values**: dates, date-times and numbers sent as text must parse; Frappe would
  otherwise store a malformed date as empty and a malformed number as 0 without a word;
* **plain text**: the app's text fields hold plain text. ``<`` and ``>`` are stored as the character
  references ``&lt;`` and ``&gt;`` (idempotent: the stored value has no angle brackets left), so a
  value shows exactly as typed wherever it is rendered as HTML (desk formatters, web forms, Jinja
  print formats, notifications) and no markup can ever be injected. Frappe's own XSS filter only
  removes what its allow list does not know (it keeps ``<img>``, ``<form>``, ``<link>``, ``<style>``
  and skips values that parse as JSON), which is not enough for plain text. A field that really holds
  HTML opts out with ``ignore_xss_filter``.

Notification Logs about the app's documents are sanitised once more before insert
(``sanitize_notification``): no tag but a few inline ones, no attribute at all.
"""

import html
import json
import re
from datetime import datetime

import bleach
import frappe
from frappe import _
from frappe.translate import print_language
from frappe.utils import cint, escape_html

from whistle_app.organisation import REPORTING_UNIT

MODULE = "Whistle"
TEXT_FIELDTYPES = ("Data", "Small Text", "Text", "Long Text")
# characters of input (before < and > become references; the escaped value still fits the column)
TEXT_LIMITS = {"Small Text": 10_000, "Text": 50_000, "Long Text": 200_000}
MAX_ROWS = 500
NUMBER_FIELDTYPES = ("Int", "Float", "Currency", "Percent", "Check")
DATE_FIELDTYPES = ("Date", "Datetime")
NUMBER = re.compile(r"^\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$")
DATETIME = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}([ T]\d{1,2}:\d{2}(:\d{2}(\.\d{1,6})?)?)?$")
NOTIFICATION_TAGS = frozenset({"b", "strong", "i", "em", "br", "p", "div", "span"})


class InputTooLongError(frappe.ValidationError):
	pass


class TooManyRowsError(frappe.ValidationError):
	pass


class MalformedValueError(frappe.ValidationError):
	pass


def validate_input(doc, method: str | None = None) -> None:
	"""``doc_events["*"]["validate"]``: limits and plain text for documents of the Whistle module."""
	if doc.meta.module != MODULE:
		return
	check_rows(doc)
	for d in (doc, *doc.get_all_children()):
		check_values(d)


def check_rows(doc) -> None:
	for df in doc.meta.get_table_fields():
		rows = doc.get(df.fieldname) or []
		if len(rows) > MAX_ROWS:
			frappe.throw(
				_("{0} has {1} rows; at most {2} are allowed.").format(
					_(df.label, context=doc.doctype), len(rows), MAX_ROWS
				),
				TooManyRowsError,
				title=_("Too many rows"),
			)
	if doc.doctype == "Whistle Slip":
		limit = max_slip_departments()
		count = len(doc.get("departments") or [])
		if count > limit:
			frappe.throw(
				_(
					"A whistle can go to at most {0} departments (each reporting unit once); this one lists {1}."
				).format(limit, count),
				TooManyRowsError,
				title=_("Too many rows"),
			)


def max_slip_departments() -> int:

	if "whistle_reporting_units" not in frappe.local.cache:
		frappe.local.cache["whistle_reporting_units"] = frappe.db.count(
			"Whistle Unit", {"unit_type": REPORTING_UNIT}
		)
	return max(1, frappe.local.cache["whistle_reporting_units"])


def check_values(d) -> None:
	for df in d.meta.fields:
		value = d.get(df.fieldname)
		if value is None or value == "":
			continue
		if df.fieldtype in TEXT_FIELDTYPES and isinstance(value, str):
			limit = TEXT_LIMITS.get(df.fieldtype)
			if limit and len(value) > limit:
				frappe.throw(
					_("{0} is too long: {1} characters; at most {2} are allowed.").format(
						field_label(d, df), len(value), limit
					),
					InputTooLongError,
					title=_("Input too long"),
				)
			if not df.get("ignore_xss_filter"):
				d.set(df.fieldname, plain_text(value))
		elif df.fieldtype in NUMBER_FIELDTYPES and isinstance(value, str):
			if not NUMBER.match(value):
				frappe.throw(
					_("{0}: {1} is not a number.").format(field_label(d, df), shorten(value)),
					MalformedValueError,
					title=_("Invalid value"),
				)
		elif df.fieldtype in DATE_FIELDTYPES and isinstance(value, str):
			check_date(d, df, value)


def check_date(d, df, value: str) -> None:

	text = value.strip()
	valid = bool(DATETIME.match(text))  # a Date field also takes a date-time text (its date counts)
	if valid:
		date_part, _sep, time_part = text.replace("T", " ").partition(" ")
		try:
			datetime.strptime(date_part, "%Y-%m-%d")
			if time_part:
				datetime.strptime(
					time_part.split(".")[0], "%H:%M:%S" if time_part.count(":") == 2 else "%H:%M"
				)
		except ValueError:
			valid = False
	if not valid:
		message = (
			_("{0}: {1} is not a valid date (YYYY-MM-DD).")
			if df.fieldtype == "Date"
			else _("{0}: {1} is not a valid date and time (YYYY-MM-DD HH:MM:SS).")
		)
		frappe.throw(
			message.format(field_label(d, df), shorten(value)),
			MalformedValueError,
			title=_("Invalid value"),
		)


def plain_text(value: str) -> str:
	"""``<`` and ``>`` as character references; idempotent."""
	if "<" not in value and ">" not in value:
		return value
	return value.replace("<", "&lt;").replace(">", "&gt;")


def field_label(d, df) -> str:
	label = _(df.label or df.fieldname, context=d.doctype)
	if d.get("parentfield") and d.get("idx"):
		return _("Row {0}: {1}").format(cint(d.idx), label)
	return label


def shorten(value: str, length: int = 40) -> str:

	value = str(value)
	return escape_html(value if len(value) <= length else value[: length - 1] + "…")


def sanitize_notification(doc, method: str | None = None) -> None:
	"""``doc_events["Notification Log"]["before_insert"]``: subject and body of a notification about
	one of the app's documents keep a few inline tags and no attribute; anything else is escaped."""
	if not doc.document_type or not frappe.db.exists(
		"DocType", {"name": doc.document_type, "module": MODULE}
	):
		return
	for field in ("subject", "email_content"):
		if doc.get(field):
			doc.set(field, strict_html(doc.get(field)))


def strict_html(value: str) -> str:

	return bleach.clean(str(value), tags=NOTIFICATION_TAGS, attributes={}, strip=False)


def safe_page_title(context) -> dict | None:
	"""``update_website_context`` hook: the page title of a web form showing one of the app's
	documents. Frappe's base template writes ``{{ title | striptags }}``, and ``striptags`` turns the
	stored ``&lt;`` back into ``<`` inside ``<title>``, so a whistle titled ``</title><script>…``
	would run. The title keeps its text with full-width brackets and ampersand instead."""
	doctype = context.get("reference_doctype")
	if not doctype or not context.get("title"):
		return None
	if not frappe.db.exists("DocType", {"name": doctype, "module": MODULE}):
		return None
	return {"title": title_text(context.title)}


def title_text(value) -> str:

	text = html.unescape(str(value))
	return text.replace("&", "＆").replace("<", "＜").replace(">", "＞")


def login_lock_response(response=None, request=None) -> None:
	"""``after_request``: Frappe answers a login refused by its lockout (too many failures for the user
	or the address) with HTTP 500 and an English message; the app answers 429 with a Chinese one."""

	if response is None or request is None or response.status_code != 500:
		return
	if request.path != "/api/method/login" and frappe.form_dict.get("cmd") != "login":
		return
	body = response.get_data(as_text=True)
	if "SecurityException" not in body:
		return

	seconds = cint(frappe.get_system_settings("allow_login_after_fail")) or 60
	# the login failed before Frappe set the request's language: the site's language it is
	with print_language(frappe.db.get_default("lang") or "zh"):
		message = _("Too many failed logins: this account or address is locked for {0} seconds.").format(
			seconds
		)
		title = _("Login locked")
	response.status_code = 429
	response.mimetype = "application/json"
	response.set_data(
		json.dumps(
			{
				"exc_type": "TooManyRequestsError",
				"message": message,
				"_server_messages": json.dumps([json.dumps({"message": message, "title": title})]),
			},
			ensure_ascii=False,
		)
	)
	response.headers["Retry-After"] = str(seconds)
