"""The unit league table (单位排名) of the live board (issue #9): the current quarter so far, per class.

``get_league`` is the one whitelisted method behind the board's league tab. It ranks the reporting
units exactly as the quarterly evaluation will (RULES §7, ``rules.scoring.quarter_scores``), on what
is known now:

* the complete slip scores (Whistle Slip Score, ``rating_complete``, not excluded from assessment) of
  the slips closed in the quarter so far, read as one grouped query per table
  (``bulletins.score_totals``, the count and exact sum per unit);
* the votes of the quarter's satisfaction survey once it is closed (``surveys.quarter_votes``); while
  it is open or missing no unit has votes, so the scoring module's rule applies (satisfaction from the
  class mean, or none in the class: the slip average alone);
* the units assessed now (``evaluation.assessed_units``), in their class of now.

The **movement** compares each unit's rank with the table as it stood at the end of the previous
month: the same computation on the slips closed up to the first instant of this month, with the votes
of a survey closed before that instant (``rules.board.league_windows``: in a quarter's first month
that is the previous quarter's whole table). ↑/↓ places, — unchanged, 新 when the unit had no rank
then (its class was not ranked yet).

Access ([decision], as the evaluation reports: ``evaluation.visible_unit``): the office,
administrators, District Leaders and the Efficiency Office see every class; a department user sees
only its own unit's row (its rank, class size and movement tell it where it stands, without the other
units' scores); park and town users and enterprises are refused (the board hides the tab for them).
The table is a live estimate: the evaluation document of the quarter (computed after the quarter
ends, from the survey's final votes) is what counts.
"""

import datetime
from decimal import Decimal

import frappe
from frappe import _
from frappe.utils import get_datetime

from whistle_app.board import BoardFilterError
from whistle_app.bulletins import score_totals
from whistle_app.evaluation import assessed_units, visible_unit
from whistle_app.lifecycle import now
from whistle_app.rules import board as bd
from whistle_app.rules import scoring
from whistle_app.rules import survey as sv
from whistle_app.surveys import quarter_votes

SURVEY = "Satisfaction Survey"
SATISFACTION_SOURCES = {
	scoring.SATISFACTION_FROM_VOTES: "Votes",
	scoring.SATISFACTION_FROM_CLASS_MEAN: "Class Mean",
	scoring.SATISFACTION_NONE: "No Votes in Class",
}


@frappe.whitelist()
@frappe.read_only()  # pure reads: served by the replica where read_from_replica is set
def get_league(assessment_class: str | None = None) -> dict:
	"""The league table of the current quarter so far, per class (or one class), with each unit's
	movement since the end of last month; a department user gets its own row only."""

	own_unit = visible_unit()  # refuses park users and enterprises
	if assessment_class and assessment_class not in bd.ASSESSMENT_CLASSES:
		frappe.throw(_("Unknown assessment class {0}.").format(assessment_class), BoardFilterError)
	moment = get_datetime(now())
	current, previous = bd.league_windows(moment)
	units = assessed_units()
	if own_unit:  # its own class only (none when the unit is not assessed)
		codes = [u.assessment_class for u in units if u.name == own_unit]
	else:
		codes = [c for c in bd.ASSESSMENT_CLASSES if not assessment_class or c == assessment_class]
	units = [u for u in units if u.assessment_class in codes]
	now_votes = closed_votes(current.year, current.quarter)
	results = league_results(units, current, now_votes or {})
	then_votes = closed_votes(previous.year, previous.quarter, previous.end)
	before = league_results(units, previous, then_votes or {})
	last_month = previous.end - datetime.timedelta(days=1)
	previous_ranks = {r.unit: r.rank for class_results in before.values() for r in class_results}
	classes = []
	for code in codes:
		class_results = results.get(code, [])
		rows = [league_row(r, previous_ranks.get(r.unit)) for r in class_results]
		if own_unit:
			rows = [row for row in rows if row["unit"] == own_unit]
		first = class_results[0] if class_results else None
		classes.append(
			{
				"assessment_class": code,
				"label": _("Class {0}").format(code),
				"ranked": bool(first and first.class_ranked),
				"class_size": len(class_results),
				"units_with_cases": first.units_with_cases if first else 0,
				"class_average": number(first.class_average if first else None),
				"rows": rows,
			}
		)
	return {
		"year": current.year,
		"quarter": current.quarter,
		"title": _("{0} Q{1} League Table So Far").format(current.year, current.quarter),
		"as_of": str(moment),
		"compared_with": str(previous.end),
		"compared_label": _("Change since the end of {0}/{1}").format(last_month.year, last_month.month),
		"votes_counted": now_votes is not None,
		"own_unit": own_unit,
		"classes": classes,
	}


def live_standing(unit: str) -> dict | None:
	"""The unit's row of the league of the quarter now running, as the board computes it (issue #25:
	the scorecard shows it beside the final evaluation): {year, quarter, rank, class_size, score};
	None for a unit that is not assessed. The caller checks who may see the unit."""
	moment = get_datetime(now())
	current, _previous = bd.league_windows(moment)
	units = assessed_units()
	code = next((u.assessment_class for u in units if u.name == unit), None)
	if not code:
		return None
	results = league_results(
		[u for u in units if u.assessment_class == code],
		current,
		closed_votes(current.year, current.quarter) or {},
	).get(code, [])
	r = next((r for r in results if r.unit == unit), None)
	if r is None:
		return None
	return {
		"year": current.year,
		"quarter": current.quarter,
		"rank": r.rank if r.class_ranked else None,
		"class_size": r.class_size,
		"score": number(r.quarter_score) if r.class_ranked else None,
	}


def closed_votes(year: int, quarter: int, before=None) -> dict[str, scoring.VoteCounts] | None:
	"""The quarter's votes if its survey is closed (with ``before``: was closed before then); None
	while they do not count yet (no survey, or still open)."""
	survey = frappe.db.get_value(SURVEY, sv.survey_name(year, quarter), ["status", "closed_on"], as_dict=True)
	if not survey or survey.status != sv.CLOSED:
		return None
	if before is not None and (not survey.closed_on or get_datetime(survey.closed_on) >= before):
		return None
	return quarter_votes(year, quarter)


def league_results(
	units: list, window: bd.LeagueWindow, votes: dict[str, scoring.VoteCounts]
) -> dict[str, list[scoring.QuarterResult]]:
	"""The pure §7 computation per class on the slips closed in the window: {class: results by rank}."""
	totals = score_totals(window.start, window.end)
	by_class: dict[str, list[scoring.QuarterInput]] = {}
	for u in units:
		count, total = totals.get(u.name, (0, 0))
		by_class.setdefault(u.assessment_class, []).append(
			scoring.QuarterInput(
				u.name,
				votes=votes.get(u.name, scoring.VoteCounts()),
				slip_count=int(count),
				slip_sum=Decimal(str(total or 0)),
			)
		)
	return {code: scoring.quarter_scores(inputs) for code, inputs in by_class.items()}


def number(value) -> str | None:
	"""A score as shown: 2 decimals, half-up (None stays None)."""
	return None if value is None else str(scoring.round2(value))


def league_row(r: scoring.QuarterResult, previous_rank: int | None) -> dict:
	kind, places = bd.rank_movement(previous_rank, r.rank)
	return {
		"unit": r.unit,
		"rank": r.rank,
		"score": number(r.quarter_score),
		"cases": r.cases,
		"slip_avg": number(r.slip_avg),
		"satisfaction": number(r.satisfaction),
		"satisfaction_source": _(SATISFACTION_SOURCES[r.satisfaction_source]),
		"substituted": int(r.substituted),
		"is_last": int(r.is_last),
		"previous_rank": previous_rank,
		"movement": kind,
		"places": places,
		"movement_label": bd.movement_label(kind, places, _("New in Ranking")),
	}
