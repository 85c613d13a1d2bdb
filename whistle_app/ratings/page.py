"""The rating page ``/ratings`` (待我评价): the open drafts of the user's unit and the rating form
with the slip's facts, on phones."""

import frappe
from frappe import _
from frappe.utils import cint, get_datetime

from whistle_app.organisation import get_user_unit
from whistle_app.ratings.common import FORM_TITLES, RATER_ROLES, RATING
from whistle_app.rules import clocks as ck
from whistle_app.rules import lifecycle as lc
from whistle_app.rules import ratings as rr
from whistle_app.rules import scoring
from whistle_app.rules.requests import APPROVED, EXTENSION

# --- the rating page (/ratings) ------------------------------------------------------------------------------


def rater_kinds_of_user(user: str | None = None) -> set[str]:
	"""The rater kinds the user's roles allow (park roles rate as the park, department roles as the lead)."""
	user_roles = set(frappe.get_roles(user or frappe.session.user))
	return {kind for kind, kind_roles in RATER_ROLES.items() if user_roles & set(kind_roles)}


@frappe.whitelist()
def pending_ratings() -> list[dict]:
	"""待我评价: the open drafts of the current user's unit on slips awaiting their ratings, oldest
	completion first."""

	unit = get_user_unit()
	kinds = rater_kinds_of_user()
	if not unit or not kinds:
		return []
	drafts = frappe.get_list(
		RATING,
		filters={"rater_unit": unit, "docstatus": 0, "rater_kind": ("in", sorted(kinds))},
		fields=["name", "slip", "slip_title", "rated_department", "department_role", "rater_kind", "total"],
		order_by="creation asc",
	)
	if not drafts:
		return []
	slips = {
		row.name: row
		for row in frappe.get_list(
			"Whistle Slip",
			filters={
				"name": ("in", sorted({d.slip for d in drafts})),
				"workflow_state": ("in", sorted(rr.RATING_STATES)),
			},
			fields=["name", "completed_on", "workflow_state"],
		)
	}
	pending = [
		{
			**draft,
			"department_role_label": _(draft.department_role),
			"form_title": FORM_TITLES[draft.rater_kind],
			"completed_on": slips[draft.slip].completed_on,
			"completed_on_label": _when(slips[draft.slip].completed_on),
		}
		for draft in drafts
		if draft.slip in slips
	]
	return sorted(pending, key=lambda d: (get_datetime(d["completed_on"] or "1900-01-01"), d["name"]))


STATUS_LABELS = {lc.MET: "Met", lc.LATE: "Late", rr.OPEN: "Not Recorded"}
DEADLINE_LABELS = {
	ck.RESPONSE: "Response Deadline",
	ck.MEETING: "Joint Meeting Deadline",
	ck.COMPLETION: "Completion Deadline",
}


def _when(value) -> str | None:
	return get_datetime(value).strftime("%Y-%m-%d %H:%M") if value else None


@frappe.whitelist()
def rating_form(name: str) -> dict:
	"""What the rating page shows: the criteria with their maximum points and the scores so far, the
	total and the comment, and next to them the slip's facts (departments and roles, each deadline met
	or late, approved extensions, completion). Only for the rater's unit."""

	doc = frappe.get_doc(RATING, name)
	doc.check_permission("read")
	if not doc.rater_unit or doc.rater_unit != get_user_unit():
		frappe.throw(_("Rating {0} is not your unit's to make.").format(name), frappe.PermissionError)
	slip = frappe.get_doc("Whistle Slip", doc.slip)
	slip.check_permission("read")
	return {
		"name": doc.name,
		"docstatus": doc.docstatus,
		"rater_kind": doc.rater_kind,
		"form_title": FORM_TITLES[doc.rater_kind],
		"template": doc.template,
		"rater_unit": doc.rater_unit,
		"rated_department": doc.rated_department,
		"department_role": _(doc.department_role),
		"criteria": [
			{
				"criterion": row.criterion,
				"max_points": row.max_points,
				"score": None if row.score in (None, "") else cint(row.score),
			}
			for row in doc.scores
		],
		"total": doc.total,
		"comment": doc.comment or "",
		"comment_below": scoring.COMMENT_BELOW,
		"slip": slip_facts(slip, doc.rated_department),
	}


def slip_facts(slip, rated_department: str | None = None) -> dict:
	"""The facts a rater weighs (RULES §4, §3.1): who was on the slip in which role, each deadline with
	met or late, the approved extensions and the completion."""
	deadlines = rr.deadline_facts(
		{
			ck.RESPONSE: get_datetime(slip.response_deadline) if slip.response_deadline else None,
			ck.MEETING: get_datetime(slip.meeting_deadline) if slip.meeting_deadline else None,
			ck.COMPLETION: get_datetime(slip.completion_deadline) if slip.completion_deadline else None,
		},
		{
			ck.RESPONSE: get_datetime(slip.reported_on) if slip.reported_on else None,
			ck.MEETING: get_datetime(slip.meeting_recorded_on) if slip.meeting_recorded_on else None,
			ck.COMPLETION: get_datetime(slip.completed_on) if slip.completed_on else None,
		},
		{
			ck.RESPONSE: slip.response_status,
			ck.MEETING: slip.meeting_status,
			ck.COMPLETION: slip.completion_status,
		},
	)
	extensions = frappe.get_all(
		EXTENSION,
		filters={"slip": slip.name, "workflow_state": APPROVED},
		fields=["department", "previous_completion_date", "new_completion_date", "approved_on", "reason"],
		order_by="approved_on asc",
	)
	return {
		"name": slip.name,
		"title": slip.title,
		"whistle_unit": slip.whistle_unit,
		"scope": _(slip.scope) if slip.scope else "",
		"category": _(slip.category) if slip.category else "",
		"departments": [
			{
				"department": row.department,
				"role": _(row.department_role),
				"rated": row.department == rated_department,
			}
			for row in slip.departments
		],
		"deadlines": [
			{
				"clock": fact.clock,
				"label": _(DEADLINE_LABELS[fact.clock]),
				"deadline": _when(fact.deadline),
				"done_at": _when(fact.done_at),
				"status": fact.status,
				"status_label": _(STATUS_LABELS[fact.status]),
			}
			for fact in deadlines
		],
		"extensions": [
			{
				"department": row.department,
				"previous": str(row.previous_completion_date or ""),
				"new": str(row.new_completion_date or ""),
				"approved_on": _when(row.approved_on),
				"reason": row.reason or "",
			}
			for row in extensions
		],
		"completed_on": _when(slip.completed_on),
		"result": slip.result or "",
	}
