"""One whistle, one rating (RULES §5) on Frappe: templates, who rates whom, slip scores, closure.

The arithmetic lives in ``whistle_app.rules.scoring`` and who rates whom in
``whistle_app.rules.ratings``; this module loads the data, stores the results and is what the
Whistle Rating controller, the slip controller (``validate_closure``) and the tests call.

[decision]s:

- A slip can be rated once it is completed: in 待确认评价 and in 待销号. The office's amendments of
  cancelled ratings are also allowed after closure (已销号); the slip score follows them.
- Completing a slip (办结, entering 待确认评价) creates a draft rating (docstatus 0, scores empty) for
  every rating §5 requires (``create_drafts``), keyed by ``rating_key`` so that it happens once;
  the daily job ``remind_pending_ratings`` makes any draft still missing (slips completed before
  this existed, a draft deleted by the office) and reminds the rater's unit of ratings pending
  more than 3 working days after completion, once per rating and completion (a ``Whistle Clock
  Event`` row with clock ``rating`` and a unique key backs it). Raters fill and submit their
  drafts (``submit_rating``, ``rate``, the page ``/ratings``); scores are checked whenever they are
  saved, completeness and the comment below 60 at submit.
- The template of a rating is the template of its rater kind with the latest ``active_from`` on or
  before the day the rating is created (Asia/Shanghai; for the drafts: the day the slip is
  completed); it never changes afterwards, and an amendment keeps the template of the rating it
  amends.
- The comment lives in its own ``Whistle Rating Comment`` record and is shown on the rating as a
  virtual field: the office (and those who read everything), the rater's unit and, unless the
  office sets ``hide_rating_comment_from_rated`` in Whistle Settings, the rated department read it
  (``visible_comment``). Lists, report views and exports never carry it (a virtual field has no
  column); the document (desk, REST), the print formats and the pages read it through the check.
- A template that a rating uses cannot have its criteria, kind or start date changed: a change of
  form is a new template with a later ``active_from``.
- ``Whistle Slip Score`` holds one row per slip and department, refreshed on every rating submit and
  cancel; ``slip_score`` counts only once ``rating_complete`` is set (every rating of that
  department submitted).
  (Frappe stores numbers NOT NULL, so ``rating_complete`` tells a missing score from a 0.)
  ``closed_on`` is stamped at closure (``validate_closure``) and ``excluded_from_assessment`` is
  copied from the slip each time the scores are refreshed.
"""

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.utils import cint, get_datetime, getdate

from whistle_app import notify
from whistle_app.access import reads_all, sees_all
from whistle_app.lifecycle import department_pairs, now
from whistle_app.rules import clocks as ck
from whistle_app.rules import lifecycle as lc
from whistle_app.rules import ratings as rr
from whistle_app.rules import scoring
from whistle_app.rules.requests import APPROVED, EXTENSION

DEFAULT_ACTIVE_FROM = "2023-05-08"
DEFAULT_TEMPLATES = (
	("园区镇街满意度评价表", rr.PARK_RATER, scoring.PARK_TEMPLATE),
	("牵头部门满意度评价表", rr.LEAD_RATER, scoring.LEAD_TEMPLATE),
)


RATING = "Whistle Rating"
COMMENT = "Whistle Rating Comment"
SETTINGS = "Whistle Settings"
HIDE_COMMENT_SETTING = "hide_rating_comment_from_rated"
RATER_ROLES = {
	rr.PARK_RATER: lc.ACTOR_ROLES[lc.PARK_ACTOR],
	rr.LEAD_RATER: lc.ACTOR_ROLES[lc.REPORTING_ACTOR],
}
# the plan's attachments 2 and 3: the title of each rater kind's form
FORM_TITLES = {rr.PARK_RATER: "园区/镇街满意度评价表", rr.LEAD_RATER: "牵头部门满意度评价表"}
REMINDER_SUBJECT = "Whistle {0} ({1}): please rate {2}; the rating is still pending more than {3} working days after completion"


class RatingError(frappe.ValidationError):
	pass


# --- templates ----------------------------------------------------------------------------------


def ensure_default_templates() -> None:
	"""Install the two §5 default templates where no template of their rater kind exists yet."""
	for name, kind, criteria in DEFAULT_TEMPLATES:
		if frappe.db.exists("Rating Template", {"rater_kind": kind}):
			continue
		frappe.get_doc(
			{
				"doctype": "Rating Template",
				"template_name": name,
				"rater_kind": kind,
				"active_from": DEFAULT_ACTIVE_FROM,
				"criteria": [{"criterion": c, "max_points": m} for c, m in criteria.items()],
			}
		).insert(ignore_permissions=True)


def template_in_force(rater_kind: str, day=None) -> str:
	"""The template of ``rater_kind`` with the latest ``active_from`` on or before ``day``."""
	day = getdate(day or now())
	names = frappe.get_all(
		"Rating Template",
		filters={"rater_kind": rater_kind, "active_from": ("<=", day)},
		order_by="active_from desc, creation desc",
		pluck="name",
		limit=1,
	)
	if not names:
		frappe.throw(
			_("No rating template for {0} is in force on {1}.").format(_(rater_kind), day), RatingError
		)
	return names[0]


def template_maxima(template: str) -> dict[str, int]:
	rows = frappe.get_all(
		"Rating Template Criterion",
		filters={"parent": template, "parenttype": "Rating Template", "parentfield": "criteria"},
		fields=["criterion", "max_points"],
		order_by="idx asc",
	)
	return {row.criterion: row.max_points for row in rows}


# --- who rates whom -----------------------------------------------------------------------------


def required_ratings(slip) -> list[rr.RequiredRating]:
	"""The ratings §5 requires on this slip (a document or a name)."""
	if isinstance(slip, str):
		slip = frappe.get_doc("Whistle Slip", slip)
	return rr.required_ratings(slip.whistle_unit, department_pairs(slip))


def submitted_ratings(slip_name: str) -> dict[tuple[str, str], int]:
	"""{(rater_kind, rated_department): total} of the submitted ratings of a slip."""
	rows = frappe.get_all(
		"Whistle Rating",
		filters={"slip": slip_name, "docstatus": 1},
		fields=["rater_kind", "rated_department", "total"],
	)
	return {(row.rater_kind, row.rated_department): row.total for row in rows}


def missing_ratings(slip) -> list[rr.RequiredRating]:
	if isinstance(slip, str):
		slip = frappe.get_doc("Whistle Slip", slip)
	done = submitted_ratings(slip.name)
	return [r for r in required_ratings(slip) if (r.rater_kind, r.rated_department) not in done]


def validate_closure(slip, moment=None) -> None:
	"""Called by the slip controller on 销号: refuse while a required rating is missing, then stamp
	the closure time on the slip's scores (they belong to the quarter of the closure date)."""
	missing = missing_ratings(slip)
	if missing:
		frappe.throw(
			_("Whistle {0} cannot be closed before every rating is submitted; missing: {1}.").format(
				slip.name,
				"；".join(_("{0} rating {1}").format(r.rater_unit, r.rated_department) for r in missing),
			),
			RatingError,
		)
	update_slip_scores(slip)
	score = DocType("Whistle Slip Score")
	frappe.qb.update(score).set(score.closed_on, moment or now()).where(score.slip == slip.name).run()


# --- slip scores ----------------------------------------------------------------------------------


def update_slip_scores(slip) -> None:
	"""Refresh the slip's ``Whistle Slip Score`` rows from its submitted ratings (one per department)."""
	if isinstance(slip, str):
		slip = frappe.get_doc("Whistle Slip", slip)
	done = submitted_ratings(slip.name)
	pairs = department_pairs(slip)
	existing = {
		row.department: row.name
		for row in frappe.get_all(
			"Whistle Slip Score", filters={"slip": slip.name}, fields=["name", "department"]
		)
	}
	for department, role in pairs:
		is_co = role == rr.lc.CO
		park = done.get((rr.PARK_RATER, department))
		lead = done.get((rr.LEAD_RATER, department)) if is_co else None
		complete = park is not None and (lead is not None or not is_co)
		score = float(scoring.round2(scoring.slip_score(park, lead, is_co))) if complete else 0
		values = {
			"whistle_unit": slip.whistle_unit,
			"assessment_class": frappe.db.get_value("Whistle Unit", department, "assessment_class"),
			"is_co_department": int(is_co),
			"park_rating": park or 0,
			"lead_rating": lead or 0,
			"slip_score": score,
			"rating_complete": int(complete),
			"closed_on": slip.get("closed_on"),
			"excluded_from_assessment": int(bool(slip.get("excluded_from_assessment"))),
		}
		if department in existing:
			frappe.db.set_value("Whistle Slip Score", existing.pop(department), values)
		else:
			frappe.get_doc(
				{"doctype": "Whistle Slip Score", "slip": slip.name, "department": department, **values}
			).insert(ignore_permissions=True)
	for name in existing.values():  # a department no longer on the slip
		frappe.delete_doc("Whistle Slip Score", name, ignore_permissions=True, force=True)


# --- actions ---------------------------------------------------------------------------------------


@frappe.whitelist()
def rating_tasks(slip: str) -> list[dict]:
	"""The ratings the current user's unit owes on this slip, with the rating made so far (if any)."""
	from whistle_app.organisation import get_user_unit

	doc = frappe.get_doc("Whistle Slip", slip)
	doc.check_permission("read")
	unit = get_user_unit()
	tasks = []
	for r in required_ratings(doc):
		if r.rater_unit != unit:
			continue
		rating = frappe.db.get_value(
			"Whistle Rating",
			{"rating_key": rr.rating_key(doc.name, r.rated_department, r.rater_kind)},
			["name", "docstatus", "total"],
			as_dict=True,
		)
		tasks.append(
			{
				"rater_kind": r.rater_kind,
				"rated_department": r.rated_department,
				"department_role": r.department_role,
				"rating": rating.name if rating else None,
				"submitted": bool(rating and rating.docstatus == 1),
				"total": rating.total if rating else None,
			}
		)
	return tasks


@frappe.whitelist()
def rate(slip: str, rated_department: str, scores: dict | str, comment: str | None = None) -> str:
	"""Rate a department on a slip in one call (phones, API) as the current user's unit: its draft
	(made when the slip was completed) is filled and submitted; where there is none, a rating is
	created with the template in force and submitted. Everything is checked; returns the name."""
	scores = parse_scores(scores)
	frappe.get_doc("Whistle Slip", slip).check_permission("read")
	draft = draft_for(slip, rated_department)
	if draft:
		return submit_rating(draft, scores, comment)
	doc = frappe.get_doc({"doctype": RATING, "slip": slip, "rated_department": rated_department})
	fill_scores(doc, scores, comment)
	doc.insert()
	doc = frappe.get_doc(RATING, doc.name)  # fresh timestamp (frozen clocks drop microseconds)
	doc.submit()
	return doc.name


@frappe.whitelist()
def cancel_rating(name: str, reason: str) -> str:
	"""The office cancels a submitted rating with a reason that stays on the record."""
	doc = frappe.get_doc("Whistle Rating", name)
	doc.amendment_reason = reason
	doc.cancel()
	return doc.name


@frappe.whitelist()
def amend_rating(name: str, scores: dict | str, comment: str | None = None) -> str:
	"""The office amends a cancelled rating: a new rating with the same template, submitted."""
	scores = parse_scores(scores)
	original = frappe.get_doc("Whistle Rating", name)
	doc = frappe.copy_doc(original)
	doc.docstatus = 0
	doc.amended_from = original.name
	doc.comment = comment if comment is not None else original.comment
	for row in doc.scores:
		if row.criterion in scores:
			row.score = scores[row.criterion]
	doc.insert()
	doc = frappe.get_doc("Whistle Rating", doc.name)  # fresh timestamp (frozen clocks drop microseconds)
	doc.submit()
	return doc.name


# --- drafts: made when a slip is completed ----------------------------------------------------------------


def existing_keys(slips: list[str]) -> set[str]:
	"""The rating keys taken on these slips (drafts, submitted ratings and amendments)."""
	if not slips:
		return set()
	return set(
		frappe.get_all(
			RATING, filters={"slip": ("in", slips), "rating_key": ("is", "set")}, pluck="rating_key"
		)
	)


def create_drafts(slip) -> list[str]:
	"""Make the draft of every rating a completed slip requires and has not got yet (the rating key
	decides, so running it again makes nothing); returns the names made. Called by the slip
	controller when the slip enters 待确认评价 and by the daily job."""
	if slip.workflow_state not in rr.RATING_STATES:
		return []
	missing = rr.missing_drafts(required_ratings(slip), slip.name, existing_keys([slip.name]))
	return [name for name in (insert_draft(slip.name, r) for r in missing) if name]


def insert_draft(slip: str, required: rr.RequiredRating) -> str | None:
	"""One server-made draft (docstatus 0, template in force, criteria with empty scores); None when
	another transaction made it first (the unique rating key)."""
	doc = frappe.get_doc(
		{
			"doctype": RATING,
			"slip": slip,
			"rated_department": required.rated_department,
			"rater_unit": required.rater_unit,
		}
	)
	doc.flags.system_draft = True
	frappe.db.savepoint("whistle_rating_draft")
	try:
		doc.insert(ignore_permissions=True)
	except (frappe.DuplicateEntryError, frappe.UniqueValidationError):
		frappe.db.rollback(save_point="whistle_rating_draft")
		return None
	except frappe.ValidationError:
		# e.g. no template in force: completing the slip goes on; the daily job tries again
		frappe.db.rollback(save_point="whistle_rating_draft")
		frappe.log_error(
			title=_("Draft rating of {0} on whistle {1} could not be made").format(
				required.rated_department, slip
			),
			reference_doctype="Whistle Slip",
			reference_name=slip,
		)
		return None
	return doc.name


def ensure_drafts() -> int:
	"""Make the drafts still missing on every slip awaiting its ratings (slips completed before drafts
	existed, a draft the office deleted), with three queries to find them; returns how many."""
	slip, dept = DocType("Whistle Slip"), DocType("Whistle Slip Department")
	rows = (
		frappe.qb.from_(slip)
		.join(dept)
		.on(
			(dept.parent == slip.name)
			& (dept.parenttype == "Whistle Slip")
			& (dept.parentfield == "departments")
		)
		.select(slip.name, slip.whistle_unit, dept.department, dept.department_role)
		.where(slip.workflow_state.isin(list(rr.RATING_STATES)))
		.orderby(slip.name)
		.orderby(dept.idx)
		.run(as_dict=True)
	)
	slips: dict[str, tuple[str, list[tuple[str, str]]]] = {}
	for row in rows:
		slips.setdefault(row.name, (row.whistle_unit, []))[1].append((row.department, row.department_role))
	keys = existing_keys(list(slips))
	made = 0
	for name, (park, pairs) in slips.items():
		for required in rr.missing_drafts(rr.required_ratings(park, pairs), name, keys):
			made += bool(insert_draft(name, required))
	return made


def draft_for(slip: str, rated_department: str, unit: str | None = None) -> str | None:
	"""The open draft in which ``unit`` (default: the current user's) rates ``rated_department``."""
	from whistle_app.organisation import get_user_unit

	doc = frappe.get_doc("Whistle Slip", slip)
	kind = rr.rater_kind_of(unit or get_user_unit(), doc.whistle_unit, department_pairs(doc))
	if not kind:
		return None
	return frappe.db.get_value(
		RATING, {"rating_key": rr.rating_key(slip, rated_department, kind), "docstatus": 0}, "name"
	)


def parse_scores(scores) -> dict:
	if isinstance(scores, str):
		scores = frappe.parse_json(scores) if scores.strip() else {}
	if scores is not None and not isinstance(scores, dict):
		frappe.throw(_("Scores are given as criterion and points."), RatingError)
	return scores or {}


def fill_scores(doc, scores: dict, comment: str | None = None) -> None:
	"""Put ``{criterion: points}`` on a rating's rows (a criterion without a row gets one, which the
	controller refuses unless the template has it); ``comment`` None keeps the comment."""
	rows = {row.criterion: row for row in doc.scores}
	for criterion, points in scores.items():
		if criterion in rows:
			rows[criterion].score = points
		else:
			doc.append("scores", {"criterion": criterion, "score": points})
	if comment is not None:
		doc.comment = comment


def own_draft(name: str):
	"""A draft of the current user's unit, for filling in; anything else is refused."""
	from whistle_app.organisation import get_user_unit

	doc = frappe.get_doc(RATING, name)
	doc.check_permission("write")
	if not doc.rater_unit or doc.rater_unit != get_user_unit():
		frappe.throw(_("Rating {0} is not your unit's to make.").format(name), frappe.PermissionError)
	if doc.docstatus != 0:
		frappe.throw(_("Rating {0} has already been submitted.").format(name), RatingError)
	return doc


@frappe.whitelist(methods=["POST"])
def save_draft(name: str, scores: dict | str | None = None, comment: str | None = None) -> str:
	"""Save scores and/or the comment on the current unit's draft without submitting it (desk, API)."""
	doc = own_draft(name)
	fill_scores(doc, parse_scores(scores), comment)
	doc.save()
	return doc.name


@frappe.whitelist(methods=["POST"])
def submit_rating(name: str, scores: dict | str, comment: str | None = None) -> str:
	"""Fill the current unit's draft with ``scores`` and ``comment`` and submit it (the rating page).
	The controller checks every score, that every criterion is scored and the comment below 60."""
	doc = own_draft(name)
	fill_scores(doc, parse_scores(scores), comment)
	doc.submit()
	return doc.name


# --- the rating page (/ratings) ------------------------------------------------------------------------------


def rater_kinds_of_user(user: str | None = None) -> set[str]:
	"""The rater kinds the user's roles allow (park roles rate as the park, department roles as the lead)."""
	user_roles = set(frappe.get_roles(user or frappe.session.user))
	return {kind for kind, kind_roles in RATER_ROLES.items() if user_roles & set(kind_roles)}


@frappe.whitelist()
def pending_ratings() -> list[dict]:
	"""待我评价: the open drafts of the current user's unit on slips awaiting their ratings, oldest
	completion first."""
	from whistle_app.organisation import get_user_unit

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
	from whistle_app.organisation import get_user_unit

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


# --- the comment (RULES §10) -------------------------------------------------------------------------------


def stored_comment(rating: str | None) -> str | None:
	"""The stored comment of a rating, unchecked (server use only)."""
	return frappe.db.get_value(COMMENT, {"rating": rating}, "comment") if rating else None


def comment_hidden_from_rated() -> bool:
	"""Whistle Settings: the office hides raters' comments from the rated departments."""
	return bool(cint(frappe.db.get_single_value(SETTINGS, HIDE_COMMENT_SETTING, cache=False)))


@frappe.whitelist(methods=["POST"])
def set_comment_hidden_from_rated(hide: bool) -> bool:
	"""The Whistle Office switches whether rated departments read their raters' comments."""
	if not sees_all(frappe.session.user):
		frappe.throw(_("Only the Whistle Office decides who reads rating comments."), frappe.PermissionError)
	frappe.db.set_single_value(SETTINGS, HIDE_COMMENT_SETTING, int(bool(cint(hide))))
	return comment_hidden_from_rated()


def may_read_comment(rating, user: str | None = None) -> bool:
	from whistle_app.organisation import get_user_unit

	user = user or frappe.session.user
	return rr.comment_visible(
		sees_all(user) or reads_all(user, "read"),
		get_user_unit(user),
		rating.rater_unit,
		rating.rated_department,
		comment_hidden_from_rated(),
	)


def visible_comment(rating, user: str | None = None) -> str | None:
	"""The comment of a rating if ``user`` (default: the current user) may read it, else None."""
	return stored_comment(rating.name) if may_read_comment(rating, user) else None


def save_comment(rating: str, text: str | None) -> None:
	"""Write (or, for an empty text, remove) the comment record of a rating; the rating's controller
	is the only caller."""
	name = frappe.db.get_value(COMMENT, {"rating": rating})
	if not text:
		if name:
			frappe.delete_doc(COMMENT, name, ignore_permissions=True, force=True)
		return
	if name:
		doc = frappe.get_doc(COMMENT, name)
		doc.comment = text
		doc.save(ignore_permissions=True)
	else:
		frappe.get_doc({"doctype": COMMENT, "rating": rating, "comment": text}).insert(
			ignore_permissions=True
		)


def delete_comment(rating: str) -> None:
	save_comment(rating, None)


# --- reminders (daily job) ------------------------------------------------------------------------------------


def pending_rows() -> list[dict]:
	"""One query: every open draft of a slip awaiting its ratings, with the slip's completion time."""
	rating, slip = DocType(RATING), DocType("Whistle Slip")
	return (
		frappe.qb.from_(rating)
		.join(slip)
		.on(slip.name == rating.slip)
		.select(
			rating.name,
			rating.slip,
			rating.rated_department,
			rating.rater_unit,
			rating.rater_kind,
			slip.title,
			slip.completed_on,
		)
		.where(rating.docstatus == 0)
		.where(slip.workflow_state.isin(list(rr.RATING_STATES)))
		.where(slip.completed_on.isnotnull())
		.orderby(rating.name)
		.run(as_dict=True)
	)


def remind_pending_ratings(commit: bool | None = None) -> dict:
	"""Daily job: make the drafts still missing, then remind the rater's unit of every rating pending
	more than 3 working days after its slip's completion, once per rating and completion (a ``Whistle
	Clock Event`` with a unique key is written with the notifications, in one transaction). Reads the
	time through ``lifecycle.now()``; commits per rating outside tests. Returns counts."""
	from whistle_app.calendar import get_work_calendar

	if commit is None:
		commit = not frappe.flags.in_test
	moment = get_datetime(now())
	summary = {"drafts": ensure_drafts(), "reminders": 0, "failed": []}
	if commit:
		frappe.db.commit()
	cal = get_work_calendar()
	rows = pending_rows()
	sent = notify.sent_keys(
		{"clock": rr.REMINDER_CLOCK, "slip": ("in", sorted({r.slip for r in rows}) or [""])}
	)
	for row in rows:
		completed = get_datetime(row.completed_on)
		if not rr.reminder_due(moment, completed, cal):
			continue
		deadline = rr.reminder_deadline(cal, completed)
		key = rr.reminder_key(row.slip, row.rated_department, row.rater_kind, deadline)
		if key in sent:
			continue
		frappe.db.savepoint("whistle_rating_reminder")
		try:
			if send_reminder(row, deadline, key, moment):
				sent.add(key)
				summary["reminders"] += 1
		except Exception:
			frappe.db.rollback(save_point="whistle_rating_reminder")
			summary["failed"].append(row.name)
			frappe.log_error(
				title=_("Rating reminder failed for {0}").format(row.name),
				reference_doctype=RATING,
				reference_name=row.name,
			)
		if commit:
			frappe.db.commit()
	return summary


def send_reminder(row, deadline, key: str, moment) -> bool:
	"""Record the reminder once (unique key) and notify the rater's unit; False when already recorded."""
	users = sorted(set(notify.users_of_units([row.rater_unit], RATER_ROLES[row.rater_kind])) - notify.NOBODY)
	event = {
		"slip": row.slip,
		"department": row.rated_department,
		"clock": rr.REMINDER_CLOCK,
		"deadline": deadline,
		"kind": ck.REMINDER,
		"sent_on": moment,
		"recipients": "\n".join(users),
		"event_key": key,
	}
	if not notify.record_once(event):
		return False
	subject = _(REMINDER_SUBJECT).format(
		row.slip, row.title, row.rated_department, rr.REMINDER_AFTER_WORKING_DAYS
	)
	notify.send(users, RATING, row.name, subject, exclude_self=False)
	return True
