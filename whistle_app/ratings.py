"""One whistle, one rating (RULES §5) on Frappe: templates, who rates whom, slip scores, closure.

The arithmetic lives in ``whistle_app.rules.scoring`` and who rates whom in
``whistle_app.rules.ratings``; this module loads the data, stores the results and is what the
Whistle Rating controller, the slip controller (``validate_closure``) and the tests call.

[decision]s:

- A slip can be rated once it is completed: in 待确认评价 and in 待销号. The office's amendments of
  cancelled ratings are also allowed after closure (已销号); the slip score follows them.
- The template of a rating is the template of its rater kind with the latest ``active_from`` on or
  before the day the rating is created (Asia/Shanghai); it never changes afterwards, and an
  amendment keeps the template of the rating it amends.
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
from frappe.utils import getdate

from whistle_app.lifecycle import department_pairs, now
from whistle_app.rules import ratings as rr
from whistle_app.rules import scoring

DEFAULT_ACTIVE_FROM = "2023-05-08"
DEFAULT_TEMPLATES = (
	("园区镇街满意度评价表", rr.PARK_RATER, scoring.PARK_TEMPLATE),
	("牵头部门满意度评价表", rr.LEAD_RATER, scoring.LEAD_TEMPLATE),
)


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
	"""Rate a department on a slip in one call (phones, API): the rating is created with the template
	in force, scored, checked and submitted as the current user's unit; returns its name."""
	if isinstance(scores, str):
		scores = frappe.parse_json(scores)
	doc = frappe.get_doc({"doctype": "Whistle Rating", "slip": slip, "rated_department": rated_department})
	doc.set("scores", [{"criterion": c, "score": v} for c, v in (scores or {}).items()])
	doc.comment = comment
	doc.insert()
	doc = frappe.get_doc("Whistle Rating", doc.name)  # fresh timestamp (frozen clocks drop microseconds)
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
	if isinstance(scores, str):
		scores = frappe.parse_json(scores)
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
