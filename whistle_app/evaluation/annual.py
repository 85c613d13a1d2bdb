"""The annual evaluation (RULES §8): the four stored quarters recomputed exactly, the bulletin
namings and the uplift baseline; consecutive last years (§9)."""

from fractions import Fraction

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.utils import cint

from whistle_app.bulletins import published_namings
from whistle_app.evaluation.common import (
	ANNUAL,
	ANNUAL_ROW,
	BASELINE_ALL,
	BASELINE_CLASS,
	FINAL,
	QUARTERLY,
	SETTINGS,
	EvaluationError,
	_num,
	annual_name,
	check_year,
	check_year_ended,
	quarterly_name,
	write_evaluation,
)
from whistle_app.evaluation.quarterly import assessed_units, freeze, stored_quarter_results
from whistle_app.language import stored_text
from whistle_app.rules import scoring

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
	cases of all assessed units). ``quarters`` are §7 results recomputed from the stored inputs
	(``stored_quarter_results``), never the stored scores; their exact scores enter (§8 [decision])."""
	inputs: dict[str, list[scoring.AnnualInput]] = {}
	for u in units:
		inputs.setdefault(u.assessment_class, []).append(
			scoring.annual_input(
				u.name,
				{q: results.get(u.name) for q, results in quarters.items()},
				namings.get(u.name, 0),
				cint(u.display_order),
			)
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
		"title": stored_text("{0} Annual Evaluation").format(year),  # read by everyone (#25)
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
		warn_incomplete_chains(doc)
	return name


def incomplete_chains(doc) -> list[str]:
	"""The units of an annual evaluation whose accountability chain (RULES §1) lacks a person the
	consequences name (§9: principal leader, deputy in charge, head of the responsible division)."""
	return [
		row.whistle_unit
		for row in doc.units
		if not (row.principal_leader and row.deputy_leader and row.division_head)
	]


def warn_incomplete_chains(doc) -> None:
	"""Finalising warns (issue #25): the consequences of these units will read 未登记."""
	missing = incomplete_chains(doc)
	if missing:
		frappe.msgprint(
			_(
				"{0} unit(s) have no complete accountability chain, their consequences read 未登记: {1}."
			).format(len(missing), "、".join(missing)),
			title=_("Accountability Chain Not Registered"),
			indicator="orange",
		)


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
