"""Select fields take the Chinese label or the code (issue #20: REST for mobile clients).

The app stores a Select field's code (``Multi``, ``Lead``, ``Efficiency Improvement``) and shows its
Chinese label (多部门事项, 牵头部门, 效能提升类). A phone client that only knows what it showed its
user may send either: before validation (``doc_events["*"]["before_validate"]``) each Select value of
an app DocType and its rows that is not a code is mapped to the code whose label it is, in the site's
language or the user's; a code in other letter case is the code. A value that is neither is refused
with one message listing every allowed value as label and code, so nothing is saved. Generic: the
fields and their labels come from the DocType meta and the zh translations, no list to keep.
"""

import frappe
from frappe import _
from frappe.utils import escape_html

from whistle_app.language import site_language

MODULE = "Whistle"
MAX_SHOWN = 50  # characters of a refused value repeated in the message


class SelectValueError(frappe.ValidationError):
	"""A Select value that is neither one of the field's codes nor one of their labels."""


def normalise(doc, method: str | None = None) -> None:
	"""``doc_events["*"]["before_validate"]``: the codes of the labels a client sent."""
	if doc.meta.module != MODULE:
		return
	for row in (doc, *doc.get_all_children()):
		normalise_row(row)


def normalise_row(row) -> None:
	for df in row.meta.get_select_fields():
		value = row.get(df.fieldname)
		if not value or not isinstance(value, str) or df.fieldname == "naming_series":
			continue
		codes = [o for o in (df.options or "").split("\n") if o]
		if not codes or value in codes:
			continue
		code = code_of(codes, value.strip())
		if code is None:
			refuse(row, df, value, codes)
		row.set(df.fieldname, code)


def code_of(codes: list[str], value: str) -> str | None:
	"""The code ``value`` stands for: itself, in any letter case, or its label in zh or the user's."""
	for code in codes:
		if value == code or value.casefold() == code.casefold():
			return code
	for lang in languages():
		for code in codes:
			if value == _(code, lang=lang):
				return code
	return None


def languages() -> list[str]:
	langs = [site_language(), frappe.local.lang or "en"]
	return list(dict.fromkeys(langs))


def allowed_values(codes: list[str]) -> str:
	"""``多部门事项（Multi）、…``: what a client may send for the field, label and code."""
	lang = site_language()
	return "、".join(
		f"{_(code, lang=lang)}（{code}）" if _(code, lang=lang) != code else code for code in codes
	)


def refuse(row, df, value: str, codes: list[str]) -> None:
	label = _(df.label or df.fieldname, context=row.doctype)
	if row.get("parentfield"):
		label = _("Row {0}: {1}").format(row.idx, label)
	frappe.throw(
		_('{0} cannot be "{1}". Send the Chinese label or the code in brackets: {2}.').format(
			label, escape_html(value[:MAX_SHOWN]), allowed_values(codes)
		),
		SelectValueError,
		title=_("Invalid value"),
	)
