"""Enterprise satisfaction surveys (RULES §7): vote levels, tallies and eligibility — no Frappe.

A survey covers one quarter. Enterprises vote online (one vote per enterprise per reporting unit
per quarter) for the units their whistles involved in that quarter, unless the office widens the
survey to every registered enterprise; the office may also enter tallies (paper or phone surveys).
A unit's votes for the quarter are its online votes plus the office's tallies.
"""

import datetime
from collections.abc import Iterable, Mapping

from whistle_app.rules.scoring import ScoreError, VoteCounts, quarter_bounds

# Stored vote levels (Chinese labels from locale/zh.po) and the VoteCounts field of each
SATISFIED = "Satisfied"  # 满意
FAIRLY_SATISFIED = "Fairly Satisfied"  # 比较满意
BASICALLY_SATISFIED = "Basically Satisfied"  # 基本满意
DISSATISFIED = "Dissatisfied"  # 不满意
LEVELS: dict[str, str] = {
	SATISFIED: "satisfied",
	FAIRLY_SATISFIED: "fairly_satisfied",
	BASICALLY_SATISFIED: "basically_satisfied",
	DISSATISFIED: "dissatisfied",
}

# Survey states
DRAFT = "Draft"
OPEN = "Voting"  # open for votes (投票中)
CLOSED = "Closed"
NEXT_STATES: dict[str, tuple[str, ...]] = {DRAFT: (OPEN,), OPEN: (CLOSED,), CLOSED: ()}

# A tally is one row per reporting unit; more rows than this is not a tally but a mistake
MAX_TALLY_ROWS = 500
MAX_VOTES_PER_LEVEL = 1_000_000


def vote_key(survey: str, enterprise: str, unit: str) -> str:
	"""The unique key of one enterprise's vote for one unit in one survey."""
	return f"{survey}|{enterprise}|{unit}"


def survey_name(year: int, quarter: int) -> str:
	"""One survey per quarter: ``SV-2026-Q1``."""
	quarter_bounds(year, quarter)  # validates year and quarter
	return f"SV-{year}-Q{quarter}"


def can_move(current: str, target: str) -> bool:
	return target in NEXT_STATES.get(current, ())


def add_votes(*counts: VoteCounts) -> VoteCounts:
	"""The sum of several vote counts."""
	return VoteCounts(**{field: sum(getattr(c, field) for c in counts) for field in LEVELS.values()})


def counts_from_levels(levels: Mapping[str, int]) -> VoteCounts:
	"""VoteCounts from ``{level: number}`` with stored level names; unknown levels are refused."""
	unknown = set(levels) - set(LEVELS)
	if unknown:
		raise ScoreError(
			f"unknown vote level {sorted(unknown)[0]!r}", "invalid_level", value=sorted(unknown)[0]
		)
	return VoteCounts(**{LEVELS[level]: int(number) for level, number in levels.items()})


def unit_votes(
	online: Iterable[tuple[str, str, int]], tallies: Iterable[tuple[str, VoteCounts]]
) -> dict[str, VoteCounts]:
	"""Votes per unit: online ``(unit, level, count)`` rows plus the office's ``(unit, counts)`` tallies."""
	per_unit: dict[str, dict[str, int]] = {}
	for unit, level, count in online:
		if level not in LEVELS:
			raise ScoreError(f"unknown vote level {level!r}", "invalid_level", value=level)
		levels = per_unit.setdefault(unit, {})
		levels[level] = levels.get(level, 0) + int(count)
	result = {unit: counts_from_levels(levels) for unit, levels in per_unit.items()}
	for unit, counts in tallies:
		result[unit] = add_votes(result.get(unit, VoteCounts()), counts)
	return result


def active_in_quarter(
	dispatched_on: datetime.datetime | datetime.date | None,
	closed_on: datetime.datetime | datetime.date | None,
	year: int,
	quarter: int,
) -> bool:
	"""A whistle involved its departments in a quarter when it was dispatched by the quarter's last
	day and not closed before its first day. [decision] This is what "slips involved that unit in
	the quarter" means for survey eligibility."""
	if dispatched_on is None:
		return False
	first, last = quarter_bounds(year, quarter)
	dispatched = dispatched_on.date() if isinstance(dispatched_on, datetime.datetime) else dispatched_on
	if dispatched > last:
		return False
	if closed_on is None:
		return True
	closed = closed_on.date() if isinstance(closed_on, datetime.datetime) else closed_on
	return closed >= first
