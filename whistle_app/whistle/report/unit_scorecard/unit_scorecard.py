# Copyright (c) 2026, whistle_app developers
# For license information, please see license.txt
"""One unit's evaluation year at a glance: its four quarters and the year side by side (RULES §7, §8).

Rows are the figures, columns the quarters; read from the stored evaluations. A department sees
only its own unit (the default when it gives none). Issue #25: in the quarter now running, two more
rows show the live standing as the board's league computes it (``league.live_standing``), labelled as
such, beside the final evaluation's rows, which stay empty until the office evaluates; numbers
with two decimals.
"""

import frappe
from frappe import _
from frappe.utils import cint

from whistle_app import evaluation as ev
from whistle_app.rules import scoring

QUARTERS = (1, 2, 3, 4)


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	unit = get_unit(filters)
	if not unit:
		return get_columns(), [], _("Please choose a unit.")
	evaluations = get_evaluations(cint(filters.year), unit)
	data = get_data(evaluations, live_standing(cint(filters.year), unit))
	return get_columns(), data, None, get_chart_data(evaluations)


def get_unit(filters) -> str | None:
	own = ev.visible_unit()
	if own and filters.get("whistle_unit") and filters.whistle_unit != own:
		frappe.throw(_("A department sees only its own evaluation."), frappe.PermissionError)
	return own or filters.get("whistle_unit") or None


def get_evaluations(year: int, unit: str) -> dict:
	"""{1..4: (quarterly evaluation, the unit's row) or None, "year": (annual evaluation, row) or None}."""
	ev.check_year(year)
	found: dict = {}
	for key, doctype, name in [
		*((q, ev.QUARTERLY, ev.quarterly_name(year, q)) for q in QUARTERS),
		("year", ev.ANNUAL, ev.annual_name(year)),
	]:
		found[key] = None
		if frappe.db.exists(doctype, name):
			doc = frappe.get_doc(doctype, name)
			row = next((r for r in doc.units if r.whistle_unit == unit), None)
			if row is not None:
				found[key] = (doc, row)
	return found


def get_columns() -> list[dict]:
	return [
		{"fieldname": "item", "label": _("Evaluation Item"), "fieldtype": "Data", "width": 200},
		*(
			{"fieldname": f"q{q}", "label": _("Q{0}").format(q), "fieldtype": "Data", "width": 120}
			for q in QUARTERS
		),
		{"fieldname": "year", "label": _("Whole Year"), "fieldtype": "Data", "width": 130},
	]


def live_standing(year: int, unit: str) -> dict[str, dict[str, str]]:
	"""{"q<n>": {"live_score", "live_position"}} for the quarter of ``year`` now running: the unit's
	place in the board's league so far (not a final evaluation); empty in any other year."""
	from whistle_app import league

	found = league.live_standing(unit)
	if not found or found["year"] != year:
		return {}
	return {
		f"q{found['quarter']}": {
			"live_score": found["score"] or "",
			"live_position": f"{found['rank']} / {found['class_size']}" if found["rank"] else _("Not ranked"),
		}
	}


def _fmt(value, places: int = 2) -> str:
	return "" if value is None else f"{ev.rounded(value, places):.{places}f}"


def _quarter_values(doc, row) -> dict[str, str]:
	ranked, with_cases = bool(row.class_ranked), cint(row.cases) > 0
	no_votes = row.satisfaction_source == ev.SOURCE_OPTIONS[scoring.SATISFACTION_NONE]
	return {
		"status": _(doc.status),
		"cases": str(row.cases),
		"excluded_cases": str(row.excluded_cases),
		"slip_avg": _fmt(row.slip_avg) if with_cases else "",
		"vote_total": str(row.vote_total),
		"satisfaction": "" if no_votes else _fmt(row.satisfaction),
		"satisfaction_source": _(row.satisfaction_source),
		"class_average": _fmt(row.class_average) if ranked else "",
		"score": _fmt(row.quarter_score_rounded) if ranked else "",
		"substituted": _("Yes, class average") if row.substituted else "",
		"position": f"{row.rank} / {row.class_size}" if ranked else _("Not ranked"),
		"is_last": _("Last place") if row.is_last else "",
	}


def _year_values(doc, row) -> dict[str, str]:
	ranked = bool(row.class_ranked)
	size = sum(1 for r in doc.units if r.assessment_class == row.assessment_class)
	return {
		"status": _(doc.status),
		"cases": str(row.cases),
		"avg_cases": _fmt(row.avg_cases),
		"base": _fmt(row.base) if row.quarters_counted else "",
		"uplift": f"{row.uplift_percent}%",
		"class_average": _fmt(row.class_average) if ranked else "",
		"score": _fmt(row.annual_score_rounded) if ranked else "",
		"substituted": _("Yes, class average") if row.substituted else "",
		"namings": str(row.namings),
		"position": f"{row.final_position} / {size}" if ranked else _("Not ranked"),
		"is_last": _("Last place") if row.is_last else "",
	}


ITEMS = [
	("status", "Evaluation Status"),
	("cases", "Cases"),
	("excluded_cases", "Excluded Cases"),
	("slip_avg", "Slip Average"),
	("vote_total", "Total Votes"),
	("satisfaction", "Satisfaction"),
	("satisfaction_source", "Satisfaction Source"),
	("avg_cases", "Average Cases"),
	("base", "Base Score"),
	("uplift", "Uplift %"),
	("namings", "Bulletin Namings"),
	("class_average", "Class Average"),
	("substituted", "Class Average Used"),
	("score", "Score"),
	("position", "Rank / Units in Class"),
	("is_last", "Last Place"),
	("live_score", "Live Score So Far (Board, Not Final)"),
	("live_position", "Live Rank So Far (Board, Not Final)"),
]


def get_data(evaluations: dict, live: dict | None = None) -> list[dict]:
	columns: dict[str, dict[str, str]] = {}
	for q in QUARTERS:
		columns[f"q{q}"] = (
			_quarter_values(*evaluations[q]) if evaluations[q] else {"status": _("Not evaluated")}
		)
		columns[f"q{q}"].update((live or {}).get(f"q{q}", {}))
	columns["year"] = (
		_year_values(*evaluations["year"]) if evaluations["year"] else {"status": _("Not evaluated")}
	)
	return [
		{"item": _(label), **{column: values.get(key, "") for column, values in columns.items()}}
		for key, label in ITEMS
	]


def get_chart_data(evaluations: dict) -> dict | None:
	quarters = [q for q in QUARTERS if evaluations[q] and evaluations[q][1].class_ranked]
	if not quarters:
		return None
	return {
		"data": {
			"labels": [_("Q{0}").format(q) for q in quarters],
			"datasets": [
				{
					"name": _("Quarter Score"),
					"values": [ev.rounded(evaluations[q][1].quarter_score_rounded) for q in quarters],
				},
				{
					"name": _("Class Average"),
					"values": [ev.rounded(evaluations[q][1].class_average) for q in quarters],
				},
			],
		},
		"type": "line",
	}
