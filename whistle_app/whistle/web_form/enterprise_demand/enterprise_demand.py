"""Web form ``enterprise-demand`` (RULES §2, §10): an enterprise submits a demand and follows it.

Only website users acting for a registered enterprise use it. The enterprise, park, grid and
source of a new demand are set by the Enterprise Demand controller from the user's Enterprise
record, never from the form; the list shows the enterprise's own demands only (document
permissions, ``apply_document_permissions``), and a saved demand shows its public progress
(``whistle_app.demand.get_public_progress``).
"""

import frappe
from frappe import _

from whistle_app.demand import is_enterprise_user
from whistle_app.phone import page_context
from whistle_app.whistle.doctype.enterprise.enterprise import get_user_enterprise

# Strings the page's script shows (translated on the server, merged into the page's messages)
PAGE_MESSAGES = (
	"Progress",
	"Demand Number",
	"Status",
	"Open",
	"Resolved Locally",
	"Escalated",
	"Received On",
	"Result",
	"Resolved On",
	"Escalated On",
	"Whistle Slip",
	"Title",
	"Current Stage",
	"Dispatched On",
	"Completed On",
	"State Changes",
	"Not dispatched yet",
	"Not completed yet",
	"Your park or town is looking into this demand.",
	"Enterprise Online",
)


def get_context(context):
	user = frappe.session.user
	if user == "Guest":
		return  # login required: the page asks the visitor to log in
	if not is_enterprise_user(user):
		frappe.throw(_("This form is for enterprises; please use the desk."), frappe.PermissionError)
	enterprise = get_user_enterprise(user)
	if not enterprise:
		frappe.throw(
			_(
				"Your login is not linked to a registered enterprise; please ask your park or town to register it."
			),
			frappe.PermissionError,
		)
	context.enterprise_name = frappe.db.get_value("Enterprise", enterprise, "enterprise_name")
	context.whistle_messages = {message: _(message) for message in PAGE_MESSAGES}
	page_context(context)
	if context.get("is_new"):  # Frappe joins "New {0}" with the untranslated title
		context.title = _("New {0}").format(_(context.web_form_doc.title))
