"""Rating actions and drafts (RULES §5): the drafts made when a slip is completed, filled and
submitted by the rater's unit; the office's cancel and amend."""

import frappe
from frappe import _
from frappe.query_builder import DocType

from whistle_app.lifecycle import department_pairs
from whistle_app.organisation import get_user_unit
from whistle_app.ratings.common import RATING, RatingError
from whistle_app.ratings.scores import required_ratings
from whistle_app.rules import ratings as rr

# --- actions ---------------------------------------------------------------------------------------


@frappe.whitelist()
def rating_tasks(slip: str) -> list[dict]:
	"""The ratings the current user's unit owes on this slip, with the rating made so far (if any)."""

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
