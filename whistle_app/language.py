"""The site's language: texts the app stores or prints for everyone are written in it.

A request runs in its user's language, but a background job, the scheduler or a bench command runs
in Frappe's fallback (English). What such code stores (a slip's calendar warning, a bulletin's title)
is read by every user, so it is translated in the site's language (System Settings), never the
caller's."""

import json

import frappe
from frappe import _

LANGUAGE = "zh"  # install.set_site_defaults sets it; the fallback when the site has none


def site_language() -> str:
	"""The site's language (System Settings → Language), ``zh`` unless the administrator changed it."""
	return frappe.db.get_default("lang") or LANGUAGE


def stored_text(message: str) -> str:
	"""``message`` translated in the site's language: for text stored once and read by everyone."""
	return _(message, lang=site_language())


# Frappe's own words that its web form and web form list scripts show, which Frappe leaves out of the
# page's translations (it sends only the form's title, labels and options)
WEB_FORM_WORDS = (
	"Missing Values Required",
	"Following fields have missing values:",
	"Load More",
	"Not Saved",
	"Saved",
	"Submit",
	"Save",
	"Discard",
	"Cancel",
	"Edit",
	"New",
	"Delete",
	"Yes",
	"No",
	"Today",
	"Now",
	"Close",
	"Previous",
	"Next",
	"Error",
	"Message",
)


def web_form_messages(context) -> dict | None:
	"""``update_website_context``: a web form page also gets Frappe's words above and every option of
	its DocType's Select fields (list columns show them: 按时, 超时), in the page's language."""
	if not context.get("translated_messages") or not context.get("doc_type"):
		return None
	messages = json.loads(context.translated_messages)
	words = list(WEB_FORM_WORDS)
	meta = frappe.get_meta(context.doc_type)
	for m in (meta, *(frappe.get_meta(df.options) for df in meta.get_table_fields())):
		for df in m.get_select_fields():
			words.extend(o for o in (df.options or "").split("\n") if o)
	for word in words:
		messages.setdefault(word, _(word))
	return {"translated_messages": frappe.as_json(messages)}


def web_page_words(context) -> dict:
	"""``update_website_context``: what Frappe's web page templates print without translating it, in
	the page's language: a web form's introduction (the template writes the stored English text) and
	the footer's "Built on Frappe" (replaced by the app's name)."""
	words = {"footer_powered": _("Parks Blow the Whistle, Departments Report for Duty")}
	if context.get("introduction_text"):
		words["introduction_text"] = _(context.introduction_text)
	return words
