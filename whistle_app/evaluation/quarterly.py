"""The quarterly evaluation (RULES §7): inputs gathered in a few set-based queries, the pure
arithmetic of ``rules.scoring``, one Quarterly Evaluation document per quarter."""

from dataclasses import dataclass
from decimal import Decimal

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.query_builder.functions import Count, Sum
from frappe.utils import cint, flt

from whistle_app.evaluation.common import (
	CHAIN_FIELDS,
	FINAL,
	QUARTERLY,
	SCORE,
	SOURCE_OPTIONS,
	SURVEY,
	EvaluationError,
	_num,
	check_quarter,
	check_quarter_ended,
	quarterly_name,
	write_evaluation,
)
from whistle_app.evaluation.snail import propose_snail_awards
from whistle_app.language import stored_text
from whistle_app.lifecycle import now
from whistle_app.organisation import REPORTING_UNIT
from whistle_app.rules import ratings as rr
from whistle_app.rules import scoring
from whistle_app.rules import survey as sv
from whistle_app.surveys import quarter_votes, quarter_window

# --- inputs -------------------------------------------------------------------------------------------


def assessed_units() -> list[frappe._dict]:
	"""Enabled reporting units with a class, in class and display order, with their chain (one query)."""
	unit = DocType("Whistle Unit")
	return (
		frappe.qb.from_(unit)
		.select(unit.name, unit.assessment_class, unit.display_order, *(unit[f] for f in CHAIN_FIELDS))
		.where(unit.unit_type == REPORTING_UNIT)
		.where(unit.enabled == 1)
		.where(unit.assessment_class.isin(list(scoring.CLASS_CODES)))
		.orderby(unit.assessment_class)
		.orderby(unit.display_order)
		.orderby(unit.name)
		.run(as_dict=True)
	)


def quarter_slip_scores(year: int, quarter: int, units: list[str] | None = None) -> list[frappe._dict]:
	"""The complete slip scores of the slips closed in the quarter (one query), excluded ones included
	(flagged): what the quarterly evaluation counts and what the drill-down report lists."""
	start, end = quarter_window(year, quarter)
	score = DocType(SCORE)
	query = (
		frappe.qb.from_(score)
		.select(
			score.name,
			score.slip,
			score.department,
			score.whistle_unit,
			score.is_co_department,
			score.park_rating,
			score.lead_rating,
			score.slip_score,
			score.closed_on,
			score.excluded_from_assessment,
		)
		.where(score.rating_complete == 1)
		.where(score.closed_on >= start)
		.where(score.closed_on < end)
		.orderby(score.closed_on)
		.orderby(score.name)
	)
	if units is not None:
		if not units:
			return []
		query = query.where(score.department.isin(units))
	return query.run(as_dict=True)


@dataclass
class QuarterData:
	"""Everything a quarterly evaluation is computed from."""

	year: int
	quarter: int
	units: list[frappe._dict]
	scores: dict[str, tuple[int, Decimal]]  # per unit: (cases, exact sum of their slip scores)
	excluded: dict[str, int]
	votes: dict[str, scoring.VoteCounts]
	survey: str | None
	survey_status: str | None


def quarter_score_totals(year: int, quarter: int, units: list[str]) -> list[tuple]:
	"""(department, excluded, cases, exact sum) of the complete slip scores of the slips closed in the
	quarter: one grouped query over the rows ``quarter_slip_scores`` lists (issue #10: the evaluation
	reads totals, not every slip score, at district and province scale)."""
	if not units:
		return []
	start, end = quarter_window(year, quarter)
	score = DocType(SCORE)
	return (
		frappe.qb.from_(score)
		.select(score.department, score.excluded_from_assessment, Count("*"), Sum(score.slip_score))
		.where(score.rating_complete == 1)
		.where(score.closed_on >= start)
		.where(score.closed_on < end)
		.where(score.department.isin(units))
		.groupby(score.department, score.excluded_from_assessment)
	).run()


def unfounded_slip_scores(year: int, quarter: int, units: list[str]) -> list[tuple[str, str]]:
	"""(slip, department) of the quarter's complete slip scores that nothing founds: the department is
	not on the slip, or the slip has no submitted park rating of it (issue #25). One query."""
	if not units:
		return []
	start, end = quarter_window(year, quarter)
	score = DocType(SCORE)
	row = DocType("Whistle Slip Department")
	rating = DocType("Whistle Rating")
	return (
		frappe.qb.from_(score)
		.left_join(row)
		.on(
			(row.parent == score.slip)
			& (row.parenttype == "Whistle Slip")
			& (row.department == score.department)
		)
		.left_join(rating)
		.on(
			(rating.slip == score.slip)
			& (rating.rated_department == score.department)
			& (rating.rater_kind == rr.PARK_RATER)
			& (rating.docstatus == 1)
		)
		.select(score.slip, score.department)
		.distinct()
		.where(score.rating_complete == 1)
		.where(score.closed_on >= start)
		.where(score.closed_on < end)
		.where(score.department.isin(units))
		.where(row.name.isnull() | rating.name.isnull())
		.orderby(score.slip)
		.limit(5)
	).run()


def check_slip_scores_founded(year: int, quarter: int, units: list[str]) -> None:
	"""Refuse to evaluate a quarter with a slip score no rating of a department on the slip founds."""
	unfounded = unfounded_slip_scores(year, quarter, units)
	if unfounded:
		frappe.throw(
			_(
				"The evaluation cannot count slip scores without a department on the whistle and its rating: {0}."
			).format("；".join(_("whistle {0}, {1}").format(slip, unit) for slip, unit in unfounded)),
			EvaluationError,
		)


def gather_quarter(year: int, quarter: int) -> QuarterData:
	"""The units, slip scores and votes of a quarter: three set-based reads (units, slip score totals
	per unit, the closed survey's votes and tallies), after the check that every slip score counted is
	founded on a department of the slip and its rating."""
	units = assessed_units()
	names = [u.name for u in units]
	check_slip_scores_founded(year, quarter, names)
	scores: dict[str, tuple[int, Decimal]] = {name: (0, Decimal(0)) for name in names}
	excluded = dict.fromkeys(names, 0)
	for department, is_excluded, cases, total in quarter_score_totals(year, quarter, names):
		if is_excluded:
			excluded[department] += cint(cases)
		else:
			# Frappe stores slip scores as DECIMAL(21,9): the SQL sum is exact
			scores[department] = (cint(cases), Decimal(str(total)))
	survey = sv.survey_name(year, quarter)
	status = frappe.db.get_value(SURVEY, survey, "status")
	return QuarterData(
		year=year,
		quarter=quarter,
		units=units,
		scores=scores,
		excluded=excluded,
		votes=quarter_votes(year, quarter),
		survey=survey if status else None,
		survey_status=status,
	)


# --- computation ----------------------------------------------------------------------------------------


def compute_quarter(data: QuarterData) -> dict[str, list[scoring.QuarterResult]]:
	"""The pure §7 computation per class: {class: results ordered by rank}."""
	results: dict[str, list[scoring.QuarterResult]] = {}
	for code in scoring.CLASS_CODES:
		members = [u for u in data.units if u.assessment_class == code]
		if not members:
			continue
		results[code] = scoring.quarter_scores(
			[
				scoring.QuarterInput(
					u.name,
					votes=data.votes.get(u.name, scoring.VoteCounts()),
					slip_count=data.scores[u.name][0],
					slip_sum=data.scores[u.name][1],
				)
				for u in members
			]
		)
	return results


def quarter_rows(data: QuarterData, results: dict[str, list[scoring.QuarterResult]]) -> list[dict]:
	order = {u.name: u for u in data.units}
	rows = []
	for code, class_results in results.items():
		for r in class_results:
			rows.append(
				{
					"assessment_class": code,
					"rank": r.rank or 0,
					"whistle_unit": r.unit,
					"display_order": cint(order[r.unit].display_order),
					"cases": r.cases,
					"excluded_cases": data.excluded.get(r.unit, 0),
					"slip_sum": _num(r.slip_sum),
					"slip_avg": _num(r.slip_avg),
					"satisfied": r.votes.satisfied,
					"fairly_satisfied": r.votes.fairly_satisfied,
					"basically_satisfied": r.votes.basically_satisfied,
					"dissatisfied": r.votes.dissatisfied,
					"vote_total": r.vote_total,
					"satisfaction": _num(r.satisfaction),
					"satisfaction_source": SOURCE_OPTIONS[r.satisfaction_source],
					"computed_score": _num(r.computed_score),
					"units_with_cases": r.units_with_cases,
					"class_average": _num(r.class_average),
					"substituted": int(r.substituted),
					"quarter_score": _num(r.quarter_score),
					"quarter_score_rounded": _num(r.quarter_score_rounded),
					"class_ranked": int(r.class_ranked),
					"class_size": r.class_size,
					"is_last": int(r.is_last),
				}
			)
	return rows


def stored_quarter_results(doc) -> dict[str, scoring.QuarterResult]:
	"""The exact §7 results of a stored quarterly evaluation, recomputed from its stored inputs.

	A row keeps cases, the slip score sum (a sum of 2-decimal scores, stored exactly), the votes and
	the class: ``cases`` copies of the mean have the same mean, so the pure module gives the stored
	results again, without the 9-decimal rounding of stored numbers. The annual evaluation uses this.
	"""
	by_class: dict[str, list[scoring.QuarterInput]] = {}
	for row in doc.units:
		cases = cint(row.cases)
		votes = scoring.VoteCounts(
			cint(row.satisfied),
			cint(row.fairly_satisfied),
			cint(row.basically_satisfied),
			cint(row.dissatisfied),
		)
		by_class.setdefault(row.assessment_class, []).append(
			scoring.QuarterInput(
				row.whistle_unit,
				votes=votes,
				slip_count=cases,
				slip_sum=Decimal(repr(flt(row.slip_sum, 2))),
			)
		)
	return {r.unit: r for inputs in by_class.values() for r in scoring.quarter_scores(inputs)}


# --- quarterly evaluation (§7) ------------------------------------------------------------------------------


def evaluate_quarter(year: int, quarter: int) -> str:
	"""Create or recompute the draft evaluation of an ended quarter; a final one is returned unchanged."""
	year, quarter = check_quarter(int(year), int(quarter))
	name = quarterly_name(year, quarter)
	if frappe.db.get_value(QUARTERLY, name, "status") == FINAL:
		return name
	check_quarter_ended(year, quarter)
	data = gather_quarter(year, quarter)
	rows = quarter_rows(data, compute_quarter(data))
	start, end = scoring.quarter_bounds(year, quarter)
	values = {
		"year": year,
		"quarter": str(quarter),
		"title": stored_text("{0} Q{1} Quarterly Evaluation").format(year, quarter),  # (#25)
		"period_start": start,
		"period_end": end,
		"survey": data.survey,
		"survey_status": data.survey_status,
		"counted_cases": sum(row["cases"] for row in rows),
		"excluded_cases": sum(row["excluded_cases"] for row in rows),
	}
	return write_evaluation(QUARTERLY, name, values, rows)


def finalise_quarter(year: int, quarter: int) -> str:
	"""Recompute the draft once more and freeze it; then propose the Snail Awards it completes."""
	year, quarter = check_quarter(int(year), int(quarter))
	name = evaluate_quarter(year, quarter)
	doc = frappe.get_doc(QUARTERLY, name, for_update=True)
	if doc.status == FINAL:
		return name
	if doc.survey_status in (sv.DRAFT, sv.OPEN):
		frappe.throw(
			_(
				"The satisfaction survey {0} of this quarter is not closed yet; close it before finalising."
			).format(doc.survey),
			EvaluationError,
		)
	freeze(doc)
	propose_snail_awards(year, quarter)
	propose_snail_awards(*scoring.next_quarter(year, quarter))
	return name


def freeze(doc) -> None:
	doc.status = FINAL
	doc.finalised_on = now()
	doc.finalised_by = frappe.session.user
	doc.flags.evaluation_write = True
	doc.save(ignore_permissions=True)
