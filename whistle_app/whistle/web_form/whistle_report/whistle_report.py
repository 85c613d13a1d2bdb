"""Web form ``whistle-report`` (RULES §3.1 stages 4–7, §10): a department reports for duty,
records the joint meeting, adds progress and reports completion for its unit's part."""

from frappe import _

from whistle_app.lifecycle import WEB_FORM_MESSAGES, check_web_form_roles
from whistle_app.phone import page_context
from whistle_app.rules import lifecycle as lc


def get_context(context):
	check_web_form_roles(lc.ACTOR_ROLES[lc.DEPARTMENT_ACTOR])
	context.whistle_messages = {m: _(m) for m in WEB_FORM_MESSAGES}
	page_context(context)
