"""Web form ``whistle`` (RULES §3, §10): park and town agents file and follow their unit's whistles."""

import frappe
from frappe import _

from whistle_app.lifecycle import WEB_FORM_MESSAGES, check_web_form_roles
from whistle_app.phone import page_context
from whistle_app.rules import lifecycle as lc


def get_context(context):
	check_web_form_roles(lc.ACTOR_ROLES[lc.PARK_ACTOR])
	context.whistle_messages = {m: _(m) for m in WEB_FORM_MESSAGES}
	page_context(context)
	if context.get(
		"is_new"
	):  # Frappe joins "New {0}" with the untranslated title: 新建园区吹哨, not 新建 Blow…
		context.title = _("New {0}").format(_(context.web_form_doc.title))
	# a whistle out of the park's hands (submitted, dispatched, in handling...) is read, not edited:
	# no 编辑 that ends in "This form is not editable due to a Workflow" (issue #20)
	name = frappe.form_dict.name
	if name and not context.get("is_new"):
		state = frappe.db.get_value("Whistle Slip", name, "workflow_state")
		if lc.PARK_ACTOR not in lc.EDITORS.get(state, ()):
			context.allow_edit = 0
