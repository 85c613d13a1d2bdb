"""Who rates whom, the closure check and the slip scores (RULES §5)."""

import frappe
from frappe import _
from frappe.query_builder import DocType

from whistle_app.lifecycle import department_pairs, now
from whistle_app.ratings.common import RatingError
from whistle_app.rules import ratings as rr
from whistle_app.rules import scoring

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
	excluded_departments = {row.department for row in slip.departments if row.excluded_from_assessment}
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
			"excluded_from_assessment": int(
				bool(slip.get("excluded_from_assessment")) or department in excluded_departments
			),
		}
		if department in existing:
			frappe.db.set_value("Whistle Slip Score", existing.pop(department), values)
		else:
			frappe.get_doc(
				{"doctype": "Whistle Slip Score", "slip": slip.name, "department": department, **values}
			).insert(ignore_permissions=True)
	for name in existing.values():  # a department no longer on the slip
		frappe.delete_doc("Whistle Slip Score", name, ignore_permissions=True, force=True)
