"""Whistle slip lifecycle on Frappe: the slip's kernel spec, actors, actions with reasons, notifications.

The states and transitions are data in ``whistle_app.rules.lifecycle`` (``lc.SLIP``); the workflow
kernel (``whistle_app.kernel``) builds the Frappe Workflow from them and checks every step. This
module says who the slip's actors are (``actor_kinds``) and whom each step notifies, and holds the
whitelisted methods the desk form, the web forms and the tests call.
"""

import frappe
from frappe import _

from whistle_app import kernel, roles
from whistle_app.access import is_office_staff
from whistle_app.notifications import SLIP_STEP
from whistle_app.notify import office_users, tell, users_of_units
from whistle_app.organisation import get_user_unit
from whistle_app.rules import lifecycle as lc

WORKFLOW_NAME = lc.SLIP.workflow
ACTOR_LABELS = {
	lc.PARK_ACTOR: "the whistling park or town",
	lc.OFFICE_ACTOR: "the Whistle Office",
	lc.REPORTING_ACTOR: "the sole or lead department",
	lc.DEPARTMENT_ACTOR: "a department on the whistle",
}


class SlipActionError(frappe.ValidationError):
	pass


class SlipRoutingError(frappe.ValidationError):
	pass


# --- who acts -----------------------------------------------------------------------------------


def department_pairs(slip) -> list[tuple[str, str]]:
	return [(row.department, row.department_role) for row in slip.get("departments") or []]


def actor_kinds(slip, user: str | None = None) -> set[str]:
	"""The actor kinds (rules.lifecycle.*_ACTOR) this user holds on this slip: role and unit both count."""
	user = user or frappe.session.user
	user_roles = set(frappe.get_roles(user))
	unit = get_user_unit(user)
	kinds = set()
	if is_office_staff(user):
		kinds.add(lc.OFFICE_ACTOR)
	if unit and unit == slip.whistle_unit and user_roles & set(lc.ACTOR_ROLES[lc.PARK_ACTOR]):
		kinds.add(lc.PARK_ACTOR)
	if unit and user_roles & set(lc.ACTOR_ROLES[lc.DEPARTMENT_ACTOR]):
		pairs = department_pairs(slip)
		if unit in {d for d, _r in pairs}:
			kinds.add(lc.DEPARTMENT_ACTOR)
		if unit == lc.reporting_department(pairs):
			kinds.add(lc.REPORTING_ACTOR)
	return kinds


def may_save_reason(slip, kinds: set[str]) -> bool:
	"""The desk saves a step's reason first, then takes the action (whistle_slip.js): a save that
	changes only the reason, by a user who has a step needing one."""
	return slip.only_reason_changed() and any(
		t.reason_required for t in lc.SLIP.available(slip.workflow_state, kinds)
	)


SPEC = kernel.register(
	kernel.Spec(
		machine=lc.SLIP,
		actor_kinds=actor_kinds,
		actor_labels=ACTOR_LABELS,
		errors=kernel.Errors(
			step=SlipActionError, actor=frappe.PermissionError, reason=SlipActionError, locked=SlipActionError
		),
		history_table="state_log",
		may_save=may_save_reason,
	)
)
WORKFLOW_PATH = SPEC.workflow_path


def build_workflow() -> dict:
	"""The Frappe Workflow of the slip, built from the lifecycle table (what the JSON file holds)."""
	return kernel.build_workflow(lc.SLIP)


def sync_workflow() -> None:
	"""Install or update the slip workflow from the committed JSON (on install and migrate)."""
	kernel.sync(SPEC)


@frappe.whitelist()
def act(slip: str, action: str, reason: str | None = None) -> str:
	"""Take a workflow action on a slip, with the reason the rules demand; returns the new state.

	Used by the desk form, the web forms and the API. The kernel checks state, actor and reason,
	the workflow and the slip's controller check again; nothing is changed when one fails.
	"""
	return kernel.act("Whistle Slip", slip, action, reason, perm="write")


# --- notifications ---------------------------------------------------------------------------------


def recipients_for(slip, transition: lc.Transition) -> list[str]:
	"""§3.1 hand-offs: who hears of this step."""
	dept_roles = lc.ACTOR_ROLES[lc.DEPARTMENT_ACTOR]
	park_roles = lc.ACTOR_ROLES[lc.PARK_ACTOR]
	pairs = department_pairs(slip)
	departments = [d for d, _r in pairs]
	if transition.next_state == lc.SUBMITTED:
		return office_users()
	if transition.next_state == lc.DISPATCHED:
		if transition.state == lc.REPORTED:  # report returned for rework
			return users_of_units([lc.reporting_department(pairs)], dept_roles)
		return users_of_units(departments, ("Department Liaison",))
	if transition.next_state == lc.REPORTED:
		return office_users()
	if transition.next_state == lc.HANDLING:
		if transition.state == lc.COMPLETED:  # re-handling
			return users_of_units(departments, dept_roles)
		return users_of_units([slip.whistle_unit], park_roles) + users_of_units(departments, dept_roles)
	if transition.next_state == lc.COMPLETED:
		return users_of_units([slip.whistle_unit], park_roles)
	if transition.next_state in (lc.RETURNED, lc.DECLINED, lc.CLOSED):
		return users_of_units([slip.whistle_unit], park_roles)
	if transition.next_state == lc.CONFIRMED:
		return office_users()
	return []


def notify(slip, transition: lc.Transition, reason: str | None = None) -> None:
	"""System notification and email to everybody the step hands the slip to (the Notification record
	吹哨事项流转通知, which the administrator edits)."""
	context = {
		"action": transition.action,
		"state": transition.state,
		"next_state": transition.next_state,
		"reason": frappe.utils.escape_html(reason) if reason else None,
	}
	tell(SLIP_STEP, slip, recipients_for(slip, transition), context, after_commit=True)


now = kernel.now


# --- web forms (phones) --------------------------------------------------------------------------------

WEB_FORM_MESSAGES = (
	"Add Progress",
	"Progress",
	"Saved",
	"Reason for This Action",
	*(t.action for t in lc.TRANSITIONS),
)


def check_web_form_roles(allowed_roles) -> None:
	"""A web form for product users: the visitor must hold one of its roles (guests log in first)."""
	if frappe.session.user == "Guest":
		return
	if not set(allowed_roles) & set(frappe.get_roles()):
		frappe.throw(_("This form is not for your role."), frappe.PermissionError)


@frappe.whitelist()
def available_actions(slip: str) -> list[dict]:
	"""The workflow actions this user may take on the slip now (state, role and unit all count)."""
	doc = frappe.get_doc("Whistle Slip", slip)
	doc.check_permission("read")
	return kernel.available_actions(doc)


@frappe.whitelist()
def add_progress(slip: str, content: str) -> int:
	"""Append a progress entry as the current user's unit; returns the number of entries."""
	content = (content or "").strip()
	if not content:
		frappe.throw(_("Write the progress first."), SlipActionError)
	doc = frappe.get_doc("Whistle Slip", slip)
	doc.check_permission("write")
	doc.append("progress", {"content": content})
	doc.save()
	return len(doc.progress)


def validate_enterprise(doc, method: str | None = None) -> None:
	"""Whistle Slip ``validate`` (issue #20): the slip's enterprise is one of its park's own (every
	path: the phone form, the desk, REST)."""
	if not doc.enterprise or not doc.has_value_changed("enterprise"):
		return
	unit = frappe.db.get_value("Enterprise", doc.enterprise, "whistle_unit")
	if unit != doc.whistle_unit:
		frappe.throw(
			_("Enterprise {0} is not registered with {1}; choose one of its own enterprises.").format(
				doc.enterprise, doc.whistle_unit or "—"
			),
			SlipActionError,
		)
