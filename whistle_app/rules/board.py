"""The live supervision board (可视化督导看板, issue #9) as pure rules: columns, card deadlines, order,
and the windows and rank movements of the unit league table (单位排名).

Framework-free: the board's whitelisted method (``whistle_app.board``) reads the slips through
``frappe.get_list`` and hands plain values to these functions; the page only draws what they return.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Final

from whistle_app.rules import clocks as ck
from whistle_app.rules import lifecycle as lc
from whistle_app.rules.scoring import quarter_bounds, quarter_of
from whistle_app.rules.workdays import WorkCalendar

# --- columns: every state in which a slip is still open, in the order of the lifecycle (§3.1) ------
COLUMNS: Final = (
	lc.SUBMITTED,
	lc.RETURNED,
	lc.DISPATCHED,
	lc.REPORTED,
	lc.HANDLING,
	lc.COMPLETED,
	lc.CONFIRMED,
	lc.LONG_TERM,
)
# never on the board: not filed yet, declined, closed, tracking ended
HIDDEN_STATES: Final = frozenset({lc.DRAFT, lc.DECLINED, lc.CLOSED, lc.TRACKING_ENDED})

# who holds the slip in each column (shown under the column's title)
COLUMN_HOLDERS: Final = {
	lc.SUBMITTED: lc.OFFICE_ACTOR,
	lc.RETURNED: lc.PARK_ACTOR,
	lc.DISPATCHED: lc.REPORTING_ACTOR,
	lc.REPORTED: lc.OFFICE_ACTOR,
	lc.HANDLING: lc.REPORTING_ACTOR,
	lc.COMPLETED: lc.PARK_ACTOR,
	lc.CONFIRMED: lc.OFFICE_ACTOR,
	lc.LONG_TERM: lc.REPORTING_ACTOR,  # it completes the slip once solved (issue #16)
}

# the states in which each clock runs while its action is missing (as the deadline job's
# ``whistle_app.clocks.pending_conditions``); elsewhere a clock neither shows nor warns
CLOCK_STATES: Final = {
	ck.RESPONSE: frozenset({lc.DISPATCHED}),
	ck.MEETING: frozenset({lc.DISPATCHED, lc.REPORTED, lc.HANDLING}),
	ck.COMPLETION: frozenset({lc.REPORTED, lc.HANDLING}),
}

ASSESSMENT_CLASSES: Final = ("A", "B", "C")


def pending_clocks(
	state: str,
	deadlines: dict[str, datetime | None],
	statuses: dict[str, str | None],
) -> dict[str, datetime]:
	"""The clocks of a slip that run now: deadline set, action missing (no Met/Late status yet),
	and the slip in a state where that clock runs. ``deadlines`` and ``statuses`` map each clock of
	``rules.clocks.CLOCKS`` to the slip's deadline and status."""
	return {
		clock: deadline
		for clock in ck.CLOCKS
		if state in CLOCK_STATES[clock]
		and (deadline := deadlines.get(clock)) is not None
		and not statuses.get(clock)
	}


def card_deadline(
	state: str,
	deadlines: dict[str, datetime | None],
	statuses: dict[str, str | None],
) -> tuple[str, datetime] | None:
	"""The deadline a card shows: the earliest clock that runs, as (clock, deadline); else None."""
	pending = pending_clocks(state, deadlines, statuses)
	if not pending:
		return None
	clock = min(pending, key=lambda c: (pending[c], ck.CLOCKS.index(c)))
	return clock, pending[clock]


def card_level(
	now: datetime,
	state: str,
	deadlines: dict[str, datetime | None],
	statuses: dict[str, str | None],
	calendar: WorkCalendar,
	warn_days: int = ck.DEFAULT_WARN_DAYS,
	serious_days: int = ck.DEFAULT_SERIOUS_DAYS,
) -> str:
	"""The card's warning level now: the worst level of its running clocks (正常 when none runs),
	computed as the deadline job computes the stored level, so the board is right between runs."""
	pending = pending_clocks(state, deadlines, statuses)
	return ck.worst(
		ck.warning_level(now, deadline, False, calendar, warn_days, serious_days)
		for deadline in pending.values()
	)


def card_sort_key(level: str | None, deadline: datetime | None, name: str) -> tuple:
	"""Most urgent first: the highest warning level, then the nearest deadline, then the number."""
	rank = ck.LEVELS.index(level) if level in ck.LEVELS else 0
	return (-rank, deadline is None, deadline or datetime.max, name)


def level_counts(levels) -> dict[str, int]:
	"""How many cards carry each warning level (every level present, 正常 for a missing one)."""
	counts = {level: 0 for level in ck.LEVELS}
	for level in levels:
		counts[level if level in counts else ck.NORMAL] += 1
	return counts


# --- the unit league table: the quarter so far, and its movement since last month --------------------

UP: Final = "up"
DOWN: Final = "down"
SAME: Final = "same"
NEW: Final = "new"


@dataclass(frozen=True)
class LeagueWindow:
	"""The slips closed in [start, end) of one quarter that a league table counts."""

	year: int
	quarter: int
	start: datetime
	end: datetime


def _quarter_window(year: int, quarter: int, end: datetime | None = None) -> LeagueWindow:
	first, last = quarter_bounds(year, quarter)
	quarter_end = datetime.combine(last + timedelta(days=1), time())
	return LeagueWindow(year, quarter, datetime.combine(first, time()), min(end or quarter_end, quarter_end))


def month_start(moment: datetime | date) -> datetime:
	"""The first instant of the calendar month of ``moment``."""
	return datetime(moment.year, moment.month, 1)


def league_windows(moment: datetime) -> tuple[LeagueWindow, LeagueWindow]:
	"""The two league tables the board compares ([decision]s, issue #9):

	* **now** — the quarter of ``moment``: the slips closed in it so far (from its first day; a slip is
	  never closed in the future, so the window runs to the quarter's end);
	* **end of last month** — the table as it stood at the first instant of ``moment``'s month: the
	  quarter the previous month belongs to, slips closed from its first day up to that instant. In
	  the first month of a quarter that is the whole previous quarter (the table the board showed then).
	"""
	cutoff = month_start(moment)
	previous_day = (cutoff - timedelta(days=1)).date()
	return _quarter_window(*quarter_of(moment.date())), _quarter_window(*quarter_of(previous_day), cutoff)


def rank_movement(previous: int | None, current: int | None) -> tuple[str | None, int]:
	"""How a unit moved since last month: (UP, places), (DOWN, places), (SAME, 0), (NEW, 0) when it
	had no rank then (its class was not ranked yet), or (None, 0) when it has no rank now."""
	if current is None:
		return None, 0
	if previous is None:
		return NEW, 0
	if previous > current:
		return UP, previous - current
	if previous < current:
		return DOWN, current - previous
	return SAME, 0


def movement_label(kind: str | None, places: int, new_label: str = "新") -> str:
	"""↑2, ↓1, — (unchanged), ``new_label`` (新) or nothing."""
	if kind == UP:
		return f"↑{places}"
	if kind == DOWN:
		return f"↓{places}"
	if kind == SAME:
		return "—"
	if kind == NEW:
		return new_label
	return ""
