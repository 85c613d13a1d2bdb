"""Quarterly and annual evaluation on Frappe (RULES §7, §8, §9; issue #8).

The arithmetic is pure (``whistle_app.rules.scoring``). This module gathers its inputs with a few
set-based queries, calls it and stores the result as one document per period, with one row per
assessed unit (an enabled reporting unit with a class) holding every input of the formula, so any row
can be checked by hand:

* ``Quarterly Evaluation`` ``QE-2026-Q1`` (§7): the slip scores of the slips **closed** in the
  quarter (§5 [decision]), only where every rating is in (``rating_complete``) and the slip is not
  excluded from assessment (§3.1; such scores are counted per unit as ``excluded_cases`` and left
  out); the votes of the quarter's **closed** satisfaction survey (``surveys.quarter_votes``).
* ``Annual Evaluation`` ``AE-2026`` (§8): the four quarterly evaluations of the year, recomputed
  exactly from their stored inputs (cases, slip score sum, votes, class; see
  ``stored_quarter_results``), the published bulletin namings of the year
  (``bulletins.published_namings``) and the uplift baseline of Whistle Settings.
* ``Snail Award`` (§9): proposed when a quarterly evaluation is finalised, for every unit at last
  place of its class in that quarter and in the quarter before (Q4 → next Q1 counts), both
  evaluations final; the Efficiency Office confirms or rejects it (a reason is required to reject).

[decision]s:

- **When.** The daily job (``run_evaluation_job``, long queue, one at a time) evaluates a quarter
  from the first working day (§4 calendar) after the quarter ends, as soon as the quarter's
  satisfaction survey is not open any more (closed, or never created); until then it waits. It
  looks at the last two quarters, so a survey closed late in the following quarter is still picked
  up. The year is evaluated from the first working day of the next year, once the four quarterly
  evaluations exist. The office may evaluate any ended period at any time (``evaluate_now``).
- **Draft, then final.** A computed evaluation is a draft: every job run and every "evaluate now"
  recomputes it in place (only if something changed: same inputs, same document, ``modified``
  untouched), so late rating amendments and exclusions are picked up. The office finalises it
  (``finalise``): it is recomputed once more and frozen; a final evaluation is never changed or
  deleted, and re-running returns it unchanged. A quarter can be finalised only once its survey is
  not open; a year only once its four quarters are final.
- **Snail Awards** come from final quarterly evaluations only (so a proposal never has to be
  withdrawn). The evidence bulletins are the published bulletins naming the unit whose month lies
  in one of the two quarters.
- **Units.** A quarterly evaluation covers the units assessed when it is computed (enabled
  reporting units with a class, in their class of that moment). The annual evaluation covers the
  units assessed when it is computed, in their class of that moment; each quarter score keeps the
  class it was computed in, and a quarter in which a unit was not evaluated counts as not ranked
  for it (0 cases).
- **People.** The annual rows keep the unit's accountability chain as it is when the evaluation is
  computed (the job runs in January, i.e. the chain at year end); the consequences report names them.
- **Consecutive last years** (§9, class A) are counted from earlier *final* annual evaluations.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.query_builder.functions import Count, Sum
from frappe.utils import cint, cstr, flt

from whistle_app import roles
from whistle_app.access import is_efficiency_office, is_office, reads_all, require, requires, sees_all
from whistle_app.calendar import current_date, get_work_calendar
from whistle_app.lifecycle import now
from whistle_app.organisation import REPORTING_UNIT, get_unit_type, get_user_unit
from whistle_app.rules import scoring
from whistle_app.rules import survey as sv
from whistle_app.rules.workdays import add_working_days
from whistle_app.surveys import quarter_votes, quarter_window

QUARTERLY = "Quarterly Evaluation"
QUARTERLY_ROW = "Quarterly Evaluation Unit"
ANNUAL = "Annual Evaluation"
ANNUAL_ROW = "Annual Evaluation Unit"
SNAIL_AWARD = "Snail Award"
SCORE = "Whistle Slip Score"
SURVEY = "Satisfaction Survey"
BULLETIN = "Supervision Bulletin"
SETTINGS = "Whistle Settings"

DRAFT = "Draft"
FINAL = "Final"

# Snail Award states and the Efficiency Office's two decisions
PROPOSED = "Award Proposed"
AWARDED = "Awarded"
NOT_AWARDED = "Not Awarded"
CONFIRM = "confirm"
REJECT = "reject"

# Uplift baseline (§8 [decision] setting)
BASELINE_CLASS = "Same Class"
BASELINE_ALL = "All Assessed Units"

# where a unit's satisfaction comes from (stored Select values)
SOURCE_OPTIONS = {
	scoring.SATISFACTION_FROM_VOTES: "Votes",
	scoring.SATISFACTION_FROM_CLASS_MEAN: "Class Mean",
	scoring.SATISFACTION_NONE: "No Votes in Class",
}

DEPARTMENT_ROLES = frozenset({roles.DEPARTMENT_LIAISON, roles.DEPARTMENT_LEADER})
CHAIN_FIELDS = ("principal_leader_name", "deputy_leader_name", "division_name", "division_head_name")
JOB_ID = "whistle_app:evaluation_job"
SAVEPOINT = "whistle_evaluation"
MIN_YEAR, MAX_YEAR = 2000, 2999


class EvaluationError(frappe.ValidationError):
	"""A period that cannot be evaluated or finalised (yet)."""


class EvaluationWriteError(frappe.ValidationError):
	"""Evaluations and Snail Awards are written by the system only; final ones never change."""


class SnailAwardError(frappe.ValidationError):
	pass


# --- periods and names -------------------------------------------------------------------------------


def check_year(year: int) -> int:
	if isinstance(year, bool) or not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
		frappe.throw(_("{0} is not a valid year.").format(year), EvaluationError)
	return year


def check_quarter(year: int, quarter: int) -> tuple[int, int]:
	check_year(year)
	if isinstance(quarter, bool) or quarter not in (1, 2, 3, 4):
		frappe.throw(_("{0} Q{1} is not a valid quarter.").format(year, quarter), EvaluationError)
	return year, quarter


def quarterly_name(year: int, quarter: int) -> str:
	"""One quarterly evaluation per quarter: ``QE-2026-Q1``."""
	check_quarter(year, quarter)
	return f"QE-{year}-Q{quarter}"


def annual_name(year: int) -> str:
	"""One annual evaluation per year: ``AE-2026``."""
	check_year(year)
	return f"AE-{year}"


def snail_award_name(year: int, quarter: int, unit: str) -> str:
	"""One Snail Award proposal per unit and quarter: ``SA-2027-Q1-发展和改革委``."""
	return f"SA-{year}-Q{quarter}-{unit}"


def first_working_day_after(day: datetime.date) -> datetime.date:
	"""The first working day (§4 calendar) after ``day``."""
	moment = datetime.datetime.combine(day, datetime.time(12))
	return add_working_days(get_work_calendar(), moment, 1).date()


def check_quarter_ended(year: int, quarter: int) -> None:
	if current_date() <= scoring.quarter_bounds(year, quarter)[1]:
		frappe.throw(
			_("{0} Q{1} has not ended yet; it can be evaluated from {2}.").format(
				year, quarter, scoring.quarter_bounds(year, quarter)[1] + datetime.timedelta(days=1)
			),
			EvaluationError,
		)


def check_year_ended(year: int) -> None:
	if current_date().year <= year:
		frappe.throw(
			_("The year {0} has not ended yet; it can be evaluated from {1}.").format(
				year, datetime.date(year + 1, 1, 1)
			),
			EvaluationError,
		)


# --- who may do what ---------------------------------------------------------------------------------


def check_office(user: str | None = None) -> None:
	require(is_office, "Only the Whistle Office evaluates and finalises evaluations.", user)


def visible_unit(user: str | None = None) -> str | None:
	"""Whose rows the user sees in the evaluation reports.

	None: every unit (office, administrators, District Leaders, the Efficiency Office, RULES §10).
	A unit name: a department user sees only its own unit's rows ([decision]: conservative; the
	rank, class size and class average on its row tell it where it stands). Anyone else is refused.
	"""
	user = user or frappe.session.user
	if sees_all(user) or reads_all(user, "report"):
		return None
	unit = get_user_unit(user)
	if (
		unit
		and get_unit_type(unit) == REPORTING_UNIT
		and DEPARTMENT_ROLES.intersection(frappe.get_roles(user))
	):
		return unit
	frappe.throw(
		_(
			"Evaluation results are shown to the Whistle Office, District Leaders, the Efficiency Office and to each department for itself."
		),
		frappe.PermissionError,
	)


def visible_rows(doc, filters) -> list:
	"""The rows of an evaluation (``doc.units``) the user may see in a report, filtered by class."""
	unit = visible_unit()  # refuses users outside the evaluation's audience, evaluated or not
	if doc is None:
		return []
	return [
		row
		for row in doc.units
		if (not filters.get("assessment_class") or row.assessment_class == filters.assessment_class)
		and (not unit or row.whistle_unit == unit)
	]


def report_column(fieldname: str, label: str, fieldtype: str = "Float", width: int = 90, **kw) -> dict:
	"""A Script Report column of the evaluation reports."""
	return {"fieldname": fieldname, "label": label, "fieldtype": fieldtype, "width": width, **kw}


def draft_message(doc) -> str | None:
	"""The reports' warning while an evaluation is not final."""
	if doc.status != FINAL:
		return _("Draft: the numbers may still change until the Whistle Office finalises the evaluation.")
	return None


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


def gather_quarter(year: int, quarter: int) -> QuarterData:
	"""The units, slip scores and votes of a quarter: three set-based reads (units, slip score totals
	per unit, the closed survey's votes and tallies)."""
	units = assessed_units()
	names = [u.name for u in units]
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


def rounded(value, places: int = 2) -> float | None:
	"""A stored number rounded half-up to ``places`` decimals for display and export (None stays None)."""
	if value is None:
		return None
	return float(Decimal(repr(flt(value))).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def whistle_number(value, places: int = 2) -> str:
	"""Print formats (Jinja method): a number rounded half-up to ``places`` decimals."""
	return "" if value is None else f"{rounded(value, places):.{places}f}"


def _num(value) -> float:
	"""A stored number (Frappe keeps 9 decimals); None (not applicable) is stored as 0."""
	return 0.0 if value is None else float(value)


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


# --- writing a period's document -------------------------------------------------------------------------


def _normalised(meta, values: dict) -> dict:
	out = {}
	for key, value in values.items():
		fieldtype = meta.get_field(key).fieldtype
		if fieldtype in ("Float", "Currency", "Percent"):
			out[key] = round(flt(value), 6)
		elif fieldtype in ("Int", "Check"):
			out[key] = cint(value)
		else:
			out[key] = cstr(value)
	return out


def _unchanged(doc, values: dict, rows: list[dict]) -> bool:
	if _normalised(doc.meta, {k: doc.get(k) for k in values}) != _normalised(doc.meta, values):
		return False
	if len(doc.units) != len(rows):
		return False
	row_meta = frappe.get_meta(doc.meta.get_field("units").options)
	return all(
		_normalised(row_meta, {k: old.get(k) for k in new}) == _normalised(row_meta, new)
		for old, new in zip(doc.units, rows, strict=True)
	)


def write_evaluation(doctype: str, name: str, values: dict, rows: list[dict]) -> str:
	"""Create the draft, or recompute it in place when something changed; a final one is left alone."""
	if frappe.db.exists(doctype, name):
		doc = frappe.get_doc(doctype, name, for_update=True)
		if doc.status == FINAL or _unchanged(doc, values, rows):
			return name
	else:
		doc = frappe.new_doc(doctype)
		doc.status = DRAFT
	doc.update(values)
	doc.set("units", rows)
	doc.evaluated_on = now()
	doc.evaluated_by = frappe.session.user
	doc.flags.evaluation_write = True
	# every link comes from the database just now (units, survey, the quarters): no query per row to
	# check them again (issue #10: the link checks were a third of the evaluation's queries)
	doc.flags.ignore_links = True
	if doc.is_new():
		try:
			doc.insert(ignore_permissions=True)
		except frappe.DuplicateEntryError:  # the job and the office at the same moment: theirs stands
			return name
	else:
		doc.save(ignore_permissions=True)
	return doc.name


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
		"title": _("{0} Q{1} Quarterly Evaluation").format(year, quarter),
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


# --- annual evaluation (§8) ---------------------------------------------------------------------------------


def uplift_baseline() -> str:
	"""The §8 uplift baseline setting (Whistle Settings): the unit's class (default) or all units."""
	value = frappe.db.get_single_value(SETTINGS, "uplift_baseline")
	return BASELINE_ALL if value == BASELINE_ALL else BASELINE_CLASS


def year_inputs(year: int) -> tuple[dict[int, str], dict[int, dict[str, scoring.QuarterResult]]]:
	names = {q: quarterly_name(year, q) for q in (1, 2, 3, 4)}
	missing = [q for q, name in names.items() if not frappe.db.exists(QUARTERLY, name)]
	if missing:
		frappe.throw(
			_(
				"The annual evaluation of {0} needs the evaluations of all four quarters; missing: {1}."
			).format(year, "、".join(f"Q{q}" for q in missing)),
			EvaluationError,
		)
	return names, {q: stored_quarter_results(frappe.get_doc(QUARTERLY, name)) for q, name in names.items()}


def compute_year(
	units: list[frappe._dict],
	quarters: dict[int, dict[str, scoring.QuarterResult]],
	namings: dict[str, int],
	baseline: str,
) -> tuple[dict[str, list[scoring.AnnualResult]], Fraction]:
	"""The pure §8 computation per class: ({class: results ordered by final position}, the average
	cases of all assessed units)."""
	inputs: dict[str, list[scoring.AnnualInput]] = {}
	for u in units:
		scores, cases = {}, {}
		for q, results in quarters.items():
			r = results.get(u.name)
			scores[q] = r.quarter_score if r is not None and r.class_ranked else None
			cases[q] = r.cases if r is not None else 0
		inputs.setdefault(u.assessment_class, []).append(
			scoring.AnnualInput(u.name, scores, cases, namings.get(u.name, 0), cint(u.display_order))
		)
	all_avg = scoring.average_cases(sum(i.quarter_cases.values()) for group in inputs.values() for i in group)
	external = all_avg if baseline == BASELINE_ALL else None
	return {
		code: scoring.annual_scores(inputs[code], baseline_avg_cases=external)
		for code in scoring.CLASS_CODES
		if code in inputs
	}, all_avg


def annual_rows(units: list[frappe._dict], results: dict[str, list[scoring.AnnualResult]]) -> list[dict]:
	info = {u.name: u for u in units}
	rows = []
	for code, class_results in results.items():
		size = len(class_results)
		for r in class_results:
			unit = info[r.unit]
			row = {
				"assessment_class": code,
				"final_position": r.final_position or 0,
				"whistle_unit": r.unit,
				"display_order": cint(unit.display_order),
			}
			for q in (1, 2, 3, 4):
				row[f"q{q}_score"] = _num(r.quarter_scores.get(q))
				row[f"q{q}_cases"] = r.quarter_cases.get(q, 0)
			row.update(
				{
					"quarters_counted": "、".join(str(q) for q in r.ranked_quarters),
					"base": _num(r.base),
					"cases": r.cases,
					"avg_cases": _num(r.avg_cases),
					"uplift_percent": r.uplift_percent,
					"computed_score": _num(r.computed_score),
					"class_average": _num(r.class_average),
					"substituted": int(r.substituted),
					"annual_score": _num(r.annual_score),
					"annual_score_rounded": _num(r.annual_score_rounded),
					"class_ranked": int(r.class_ranked),
					"position": r.position or 0,
					"namings": r.namings,
					"penalised": int(r.penalised),
					"is_last": int(r.class_ranked and size >= 2 and r.final_position == size),
					"principal_leader": unit.principal_leader_name,
					"deputy_leader": unit.deputy_leader_name,
					"division_name": unit.division_name,
					"division_head": unit.division_head_name,
				}
			)
			rows.append(row)
	return rows


def evaluate_year(year: int) -> str:
	"""Create or recompute the draft annual evaluation of an ended year from its four quarterly
	evaluations; a final one is returned unchanged."""
	from whistle_app.bulletins import published_namings

	year = check_year(int(year))
	name = annual_name(year)
	if frappe.db.get_value(ANNUAL, name, "status") == FINAL:
		return name
	check_year_ended(year)
	names, quarters = year_inputs(year)
	units = assessed_units()
	baseline = uplift_baseline()
	namings = published_namings(year, [u.name for u in units])
	results, all_avg = compute_year(units, quarters, namings, baseline)
	values = {
		"year": year,
		"title": _("{0} Annual Evaluation").format(year),
		"uplift_baseline": baseline,
		"all_units_avg_cases": float(all_avg),
		**{f"q{q}_evaluation": name for q, name in names.items()},
	}
	return write_evaluation(ANNUAL, name, values, annual_rows(units, results))


def finalise_year(year: int) -> str:
	"""Freeze the annual evaluation once the four quarterly evaluations are final."""
	year = check_year(int(year))
	names = [quarterly_name(year, q) for q in (1, 2, 3, 4)]
	statuses = dict(
		frappe.get_all(QUARTERLY, filters={"name": ("in", names)}, fields=["name", "status"], as_list=True)
	)
	pending = [f"Q{q}" for q, name in enumerate(names, 1) if statuses.get(name) != FINAL]
	if pending and frappe.db.get_value(ANNUAL, annual_name(year), "status") != FINAL:
		frappe.throw(
			_("Finalise the quarterly evaluations of {0} first: {1}.").format(year, "、".join(pending)),
			EvaluationError,
		)
	name = evaluate_year(year)
	doc = frappe.get_doc(ANNUAL, name, for_update=True)
	if doc.status != FINAL:
		freeze(doc)
	return name


def consecutive_last_years(year: int, units: list[str]) -> dict[str, int]:
	"""Per unit: the number of consecutive years right before ``year`` in which it held the last
	class-A position of a final annual evaluation (input of ``scoring.annual_consequences``)."""
	if not units:
		return {}
	evaluation, row = DocType(ANNUAL), DocType(ANNUAL_ROW)
	rows = (
		frappe.qb.from_(row)
		.join(evaluation)
		.on((row.parent == evaluation.name) & (row.parenttype == ANNUAL))
		.select(evaluation.year, row.whistle_unit)
		.where(evaluation.status == FINAL)
		.where(evaluation.year < year)
		.where(row.assessment_class == "A")
		.where(row.is_last == 1)
		.where(row.whistle_unit.isin(units))
		.run()
	)
	last_in = {(cint(y), unit) for y, unit in rows}
	streaks = {}
	for unit in units:
		n = 0
		while (year - 1 - n, unit) in last_in:
			n += 1
		streaks[unit] = n
	return streaks


# --- Snail Award (§9) --------------------------------------------------------------------------------------


def _final_quarter(year: int, quarter: int):
	name = quarterly_name(year, quarter)
	if frappe.db.get_value(QUARTERLY, name, "status") != FINAL:
		return None
	return frappe.get_doc(QUARTERLY, name)


def evidence_bulletins(unit: str, periods: list[tuple[int, int]]) -> list[str]:
	"""The published bulletins naming ``unit`` whose month lies in one of the quarters ``periods``."""
	from whistle_app.bulletins import naming_bulletins

	names: list[str] = []
	for year in sorted({y for y, _q in periods}):
		names.extend(b for b in naming_bulletins(unit, year) if b not in names)
	if not names:
		return []
	months = {
		b.name: (cint(b.year), (cint(b.month) - 1) // 3 + 1)
		for b in frappe.get_all(BULLETIN, filters={"name": ("in", names)}, fields=["name", "year", "month"])
	}
	return [b for b in names if months.get(b) in set(periods)]


def propose_snail_awards(year: int, quarter: int) -> list[str]:
	"""Snail Award proposals for (year, quarter): every unit at last place of its class there and in
	the quarter before, both evaluations final (§9). Idempotent: one proposal per unit and quarter."""
	previous = scoring.previous_quarter(year, quarter)
	current_doc, previous_doc = _final_quarter(year, quarter), _final_quarter(*previous)
	if current_doc is None or previous_doc is None:
		return []
	rows = {
		(year, quarter): {r.whistle_unit: r for r in current_doc.units},
		previous: {r.whistle_unit: r for r in previous_doc.units},
	}
	last = {period: {u for u, r in by_unit.items() if r.is_last} for period, by_unit in rows.items()}
	created = []
	for unit in sorted(scoring.snail_candidates(last, year, quarter)):
		name = snail_award_name(year, quarter, unit)
		if frappe.db.exists(SNAIL_AWARD, name):
			continue
		now_row, before_row = rows[(year, quarter)][unit], rows[previous][unit]
		bulletins = evidence_bulletins(unit, [previous, (year, quarter)])
		doc = frappe.get_doc(
			{
				"doctype": SNAIL_AWARD,
				"whistle_unit": unit,
				"assessment_class": now_row.assessment_class,
				"year": year,
				"quarter": str(quarter),
				"status": PROPOSED,
				"proposed_on": now(),
				"quarterly_evaluation": current_doc.name,
				"rank": now_row.rank,
				"class_size": now_row.class_size,
				"quarter_score": now_row.quarter_score,
				"previous_evaluation": previous_doc.name,
				"previous_rank": before_row.rank,
				"previous_class_size": before_row.class_size,
				"previous_quarter_score": before_row.quarter_score,
				"naming_count": len(bulletins),
				"bulletins": [{"bulletin": b} for b in bulletins],
			}
		)
		doc.flags.evaluation_write = True
		doc.insert(ignore_permissions=True)
		created.append(doc.name)
	return created


@frappe.whitelist(methods=["POST"])
@requires(is_efficiency_office, "Only the Efficiency Office confirms or rejects Snail Awards.")
def decide_snail_award(name: str, decision: str, reason: str | None = None) -> str:
	"""The Efficiency Office confirms (认定) or rejects a proposed Snail Award; rejecting needs a
	reason. Returns the new status."""
	if decision not in (CONFIRM, REJECT):
		frappe.throw(
			_("Please choose one of: {0}.").format(
				"、".join((_("Confirm Snail Award"), _("Reject Snail Award")))
			),
			SnailAwardError,
		)
	reason = (reason or "").strip()
	if decision == REJECT and not reason:
		frappe.throw(_("A reason is required to reject a Snail Award."), SnailAwardError)
	if not frappe.db.exists(SNAIL_AWARD, name):
		frappe.throw(_("Snail Award {0} does not exist.").format(name), frappe.DoesNotExistError)
	doc = frappe.get_doc(SNAIL_AWARD, name, for_update=True)
	doc.check_permission("read")
	if doc.status != PROPOSED:
		frappe.throw(
			_("Snail Award {0} has already been decided: {1}.").format(name, _(doc.status)), SnailAwardError
		)
	doc.status = AWARDED if decision == CONFIRM else NOT_AWARDED
	doc.decided_by = frappe.session.user
	doc.decided_on = now()
	doc.decision_reason = reason or None
	doc.flags.evaluation_write = True
	doc.save(ignore_permissions=True)
	return doc.status


# --- controllers' guards --------------------------------------------------------------------------------------


def validate_system_write(doc) -> None:
	"""Evaluation documents and Snail Awards change only through this module; a final evaluation and
	a decided award never change."""
	before = doc.get_doc_before_save()
	if before is not None and before.get("status") in (FINAL, AWARDED, NOT_AWARDED):
		frappe.throw(
			_("{0} {1} is final and cannot be changed.").format(_(doc.doctype), doc.name),
			EvaluationWriteError,
		)
	if not doc.flags.evaluation_write:
		frappe.throw(
			_("{0} is computed by the system; use its buttons (Evaluate Now, Finalise) instead.").format(
				_(doc.doctype)
			),
			EvaluationWriteError,
		)


def validate_deletable(doc) -> None:
	if doc.get("status") in (FINAL, AWARDED, NOT_AWARDED):
		frappe.throw(
			_("{0} {1} is final and cannot be deleted.").format(_(doc.doctype), doc.name),
			EvaluationWriteError,
		)


# --- the office's buttons -----------------------------------------------------------------------------------


def _period(year, quarter) -> tuple[int, int | None]:
	quarter = cint(quarter) if quarter not in (None, "") else None
	return cint(year), (quarter or None)


@frappe.whitelist(methods=["POST"])
@requires(is_office, "Only the Whistle Office evaluates and finalises evaluations.")
def evaluate_now(year: int, quarter: int | None = None) -> str:
	"""The office evaluates an ended quarter (or, without a quarter, an ended year) now: the draft is
	created or recomputed; a final evaluation is returned unchanged. Returns the document's name."""
	year, quarter = _period(year, quarter)
	return evaluate_year(year) if quarter is None else evaluate_quarter(year, quarter)


@frappe.whitelist(methods=["POST"])
@requires(is_office, "Only the Whistle Office evaluates and finalises evaluations.")
def finalise(year: int, quarter: int | None = None) -> str:
	"""The office finalises a quarterly (or, without a quarter, the annual) evaluation."""
	year, quarter = _period(year, quarter)
	return finalise_year(year) if quarter is None else finalise_quarter(year, quarter)


# --- the daily job ---------------------------------------------------------------------------------------------


def run_evaluation_job() -> None:
	"""Scheduler (daily): run ``evaluate_due_periods`` on the long queue, one job at a time."""
	from whistle_app.jobs import enqueue_long

	enqueue_long("whistle_app.evaluation.evaluate_due_periods", JOB_ID)


def quarter_due(year: int, quarter: int, today: datetime.date) -> bool:
	"""Whether the job evaluates the quarter today: a draft is always refreshed; a missing one is
	created from the first working day after the quarter, once its survey is not open."""
	status = frappe.db.get_value(QUARTERLY, quarterly_name(year, quarter), "status")
	if status:
		return status == DRAFT
	if today < first_working_day_after(scoring.quarter_bounds(year, quarter)[1]):
		return False
	return frappe.db.get_value(SURVEY, sv.survey_name(year, quarter), "status") in (None, sv.CLOSED)


def year_due(year: int, today: datetime.date) -> bool:
	"""A draft is always refreshed; a missing one is created from the first working day of the next
	year, once the four quarterly evaluations exist."""
	status = frappe.db.get_value(ANNUAL, annual_name(year), "status")
	if status:
		return status == DRAFT
	if today < first_working_day_after(datetime.date(year, 12, 31)):
		return False
	names = [quarterly_name(year, q) for q in (1, 2, 3, 4)]
	return frappe.db.count(QUARTERLY, {"name": ("in", names)}) == 4


def evaluate_due_periods(commit: bool | None = None) -> dict:
	"""Evaluate what is due today (see the module doc): the last two quarters, then last year.

	Commits per period in production; in tests (``frappe.flags.in_test``) only savepoints. A failing
	period is rolled back, logged and the others go on. Returns what was evaluated and what failed.
	"""
	if commit is None:
		commit = not frappe.flags.in_test
	today = current_date()
	last = scoring.previous_quarter(*scoring.quarter_of(today))
	summary: dict[str, list[str]] = {"evaluated": [], "failed": []}
	periods = [
		("quarter", scoring.previous_quarter(*last)),
		("quarter", last),
		("year", (today.year - 1, None)),
	]
	for kind, (year, quarter) in periods:
		if kind == "quarter" and not quarter_due(year, quarter, today):
			continue
		if kind == "year" and not year_due(year, today):
			continue
		label = quarterly_name(year, quarter) if kind == "quarter" else annual_name(year)
		frappe.db.savepoint(SAVEPOINT)
		try:
			evaluate_quarter(year, quarter) if kind == "quarter" else evaluate_year(year)
		except Exception:
			try:
				frappe.db.rollback(save_point=SAVEPOINT)
			except Exception:  # e.g. a deadlock already rolled the transaction back
				frappe.db.rollback()
			summary["failed"].append(label)
			frappe.log_error(title=_("Evaluation job failed for {0}").format(label))
		else:
			summary["evaluated"].append(label)
		if commit:
			frappe.db.commit()
	return summary
