"""Deadline supervision as pure rules (RULES §4 reminders and escalation; issue #7 warning levels).

Framework-free: this module must never import frappe. Times are naive Asia/Shanghai local times, as
everywhere in ``whistle_app.rules.workdays``.

A *clock* is one deadline of a slip that one department answers for: the response (报到), the joint
meeting (联商会办) or the completion (办结). While its action is missing it is *pending*:

* **reminder** (提醒) — on the day a deadline falls due (no working day left before it);
* **escalation** (督办) — once the deadline has passed;
* **warning level** — 正常 / 临期 (due within ``warn_days`` working days; 0 = due today) / 逾期 /
  严重逾期 (late by ``serious_days`` working days or more).

Each reminder and escalation is identified by ``event_key`` (slip, department, clock, deadline,
kind): the database keeps one row per key, so it is sent once however often the job runs, and a
moved deadline (extension) is a new key.
"""

from __future__ import annotations

from datetime import datetime
from typing import Final

from whistle_app.rules.workdays import WorkCalendar, count_working_days_between

# --- clocks, kinds, levels (stored as shown; levels in Chinese like the workflow states) ----------
RESPONSE: Final = "response"
MEETING: Final = "meeting"
COMPLETION: Final = "completion"
CLOCKS: Final = (RESPONSE, MEETING, COMPLETION)

REMINDER: Final = "reminder"
ESCALATION: Final = "escalation"

NORMAL: Final = "正常"
DUE_SOON: Final = "临期"
OVERDUE: Final = "逾期"
SERIOUSLY_OVERDUE: Final = "严重逾期"
LEVELS: Final = (NORMAL, DUE_SOON, OVERDUE, SERIOUSLY_OVERDUE)  # in rising order
OVERDUE_LEVELS: Final = frozenset({OVERDUE, SERIOUSLY_OVERDUE})
LEVEL_COLOURS: Final = {NORMAL: "green", DUE_SOON: "yellow", OVERDUE: "orange", SERIOUSLY_OVERDUE: "red"}

DEFAULT_WARN_DAYS: Final = 0
DEFAULT_SERIOUS_DAYS: Final = 3


def warning_level(
	now: datetime,
	deadline: datetime | None,
	done: bool,
	calendar: WorkCalendar,
	warn_days: int = DEFAULT_WARN_DAYS,
	serious_days: int = DEFAULT_SERIOUS_DAYS,
) -> str:
	"""The warning level of one clock at ``now``: 正常, 临期, 逾期 or 严重逾期.

	A clock without a deadline or whose action is done is 正常. Before the deadline it is 临期 when
	at most ``warn_days`` working days lie after today up to the deadline's date (0: the deadline
	falls today, or on a rest day before the next working day). After the deadline it is 逾期, and
	严重逾期 once it is late by ``serious_days`` working days or more (counted as in §4's "late by N").
	"""
	if done or deadline is None:
		return NORMAL
	if now > deadline:
		late = count_working_days_between(calendar, deadline, now)
		return SERIOUSLY_OVERDUE if late >= max(int(serious_days), 1) else OVERDUE
	if count_working_days_between(calendar, now, deadline) <= max(int(warn_days), 0):
		return DUE_SOON
	return NORMAL


def worst(levels) -> str:
	"""The highest of some warning levels (正常 when there are none)."""
	return max(levels, key=LEVELS.index, default=NORMAL)


def is_overdue(level: str) -> bool:
	return level in OVERDUE_LEVELS


def reminder_due(now: datetime, deadline: datetime | None, done: bool, calendar: WorkCalendar) -> bool:
	"""Remind on the day the deadline falls due: not passed yet and no working day left before it."""
	if done or deadline is None or now > deadline:
		return False
	return count_working_days_between(calendar, now, deadline) == 0


def escalation_due(now: datetime, deadline: datetime | None, done: bool) -> bool:
	"""Escalate once the deadline has passed while the action is still missing."""
	return not done and deadline is not None and now > deadline


def event_key(slip: str, department: str, clock: str, deadline: datetime, kind: str) -> str:
	"""The identity of one reminder or escalation (unique in the database)."""
	if clock not in CLOCKS:
		raise ValueError(f"unknown clock {clock!r}")
	if kind not in (REMINDER, ESCALATION):
		raise ValueError(f"unknown kind {kind!r}")
	return f"{slip}|{department}|{clock}|{deadline.replace(microsecond=0).isoformat(sep=' ')}|{kind}"


def due_events(
	now: datetime, deadlines: dict[str, datetime | None], calendar: WorkCalendar
) -> list[tuple[str, str, datetime]]:
	"""The (clock, kind, deadline) events due now for one department's pending clocks.

	``deadlines`` maps each *pending* clock to its deadline (done clocks are left out).
	"""
	events = []
	for clock in CLOCKS:
		deadline = deadlines.get(clock)
		if deadline is None:
			continue
		if escalation_due(now, deadline, False):
			events.append((clock, ESCALATION, deadline))
		elif reminder_due(now, deadline, False, calendar):
			events.append((clock, REMINDER, deadline))
	return events
