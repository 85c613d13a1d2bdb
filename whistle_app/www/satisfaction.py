"""/satisfaction: the enterprise satisfaction survey for enterprise users on a phone (RULES §7)."""

import frappe
from frappe import _

from whistle_app.rules import survey as sv
from whistle_app.surveys import get_ballot

no_cache = 1


def get_context(context):
	if frappe.session.user == "Guest":
		frappe.local.flags.redirect_location = "/login?redirect-to=/satisfaction"
		raise frappe.Redirect
	context.title = _("Enterprise Satisfaction Survey")
	context.no_breadcrumbs = True
	context.ballots = get_ballot()  # refuses users who are not a registered enterprise's login
	context.levels = [(level, _(level)) for level in sv.LEVELS]
	return context
