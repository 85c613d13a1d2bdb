"""The live supervision board (可视化督导看板, issue #9) as pure rules: columns, card deadlines, order.

Framework-free: the board's whitelisted method (``whistle_app.board``) reads the slips through
``frappe.get_list`` and hands plain values to these functions; the page only draws what they return.
"""

from __future__ import annotations

from datetime import datetime
from typing import Final

from whistle_app.rules import clocks as ck
from whistle_app.rules import lifecycle as lc
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
# never on the board: not filed yet, declined, closed
HIDDEN_STATES: Final = frozenset({lc.DRAFT, lc.DECLINED, lc.CLOSED})

# who holds the slip in each column (shown under the column's title)
COLUMN_HOLDERS: Final = {
	lc.SUBMITTED: lc.OFFICE_ACTOR,
	lc.RETURNED: lc.PARK_ACTOR,
	lc.DISPATCHED: lc.REPORTING_ACTOR,
	lc.REPORTED: lc.OFFICE_ACTOR,
	lc.HANDLING: lc.REPORTING_ACTOR,
	lc.COMPLETED: lc.PARK_ACTOR,
	lc.CONFIRMED: lc.OFFICE_ACTOR,
	lc.LONG_TERM: lc.DEPARTMENT_ACTOR,
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
