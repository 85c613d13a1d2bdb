"""Deadline supervision rules (RULES §4 reminders/escalation, warning levels). Pure: no Frappe."""

from datetime import datetime

import pytest

from whistle_app.rules import clocks as ck
from whistle_app.rules.workdays import REST, WORK, WorkCalendar

DT = datetime.fromisoformat


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
	# Spring Festival 2026 as in RULES §4: 02-14 adjusted working day, 02-15…02-23 rest days
	exceptions = {DT(f"2026-02-{d:02d}").date(): REST for d in range(15, 24)}
	exceptions[DT("2026-02-14").date()] = WORK
	exceptions[DT("2026-02-28").date()] = WORK
	return WorkCalendar(exceptions, confirmed_years={2026})


DEADLINE = DT("2026-03-03 23:59:59")  # Tuesday


@pytest.mark.parametrize(
	"now, warn, serious, level",
	[
		("2026-03-02 10:00:00", 0, 3, ck.NORMAL),  # one working day left
		("2026-03-02 10:00:00", 1, 3, ck.DUE_SOON),  # within the warning window of 1 day
		("2026-03-03 08:00:00", 0, 3, ck.DUE_SOON),  # due today
		("2026-03-03 23:59:59", 0, 3, ck.DUE_SOON),  # at the deadline: still met
		("2026-03-04 00:00:00", 0, 3, ck.OVERDUE),  # late by 1 working day
		("2026-03-05 12:00:00", 0, 3, ck.OVERDUE),  # late by 2
		("2026-03-06 00:10:00", 0, 3, ck.SERIOUSLY_OVERDUE),  # late by 3
		("2026-03-05 12:00:00", 0, 2, ck.SERIOUSLY_OVERDUE),  # threshold is a setting
	],
)
def test_warning_level(cal, now, warn, serious, level):
	assert ck.warning_level(DT(now), DEADLINE, False, cal, warn, serious) == level


def test_done_or_no_deadline_is_normal(cal):
	assert ck.warning_level(DT("2026-04-01 10:00:00"), DEADLINE, True, cal) == ck.NORMAL
	assert ck.warning_level(DT("2026-04-01 10:00:00"), None, False, cal) == ck.NORMAL


def test_overdue_days_are_working_days(cal):
	# deadline Fri 02-13; 02-14 adjusted working day, then the Spring Festival rest days
	deadline = DT("2026-02-13 23:59:59")
	assert ck.warning_level(DT("2026-02-14 10:00:00"), deadline, False, cal) == ck.OVERDUE
	assert ck.warning_level(DT("2026-02-23 10:00:00"), deadline, False, cal) == ck.OVERDUE  # late by 1
	assert ck.warning_level(DT("2026-02-25 10:00:00"), deadline, False, cal) == ck.SERIOUSLY_OVERDUE


def test_rest_day_deadline_is_due_on_the_last_working_day_before_it(cal):
	deadline = DT("2026-03-07 23:59:59")  # Saturday
	assert ck.reminder_due(DT("2026-03-06 09:00:00"), deadline, False, cal)  # Friday
	assert not ck.reminder_due(DT("2026-03-05 09:00:00"), deadline, False, cal)
	assert ck.warning_level(DT("2026-03-06 09:00:00"), deadline, False, cal) == ck.DUE_SOON


def test_reminder_and_escalation(cal):
	assert ck.reminder_due(DT("2026-03-03 00:00:01"), DEADLINE, False, cal)
	assert not ck.reminder_due(DT("2026-03-02 23:00:00"), DEADLINE, False, cal)
	assert not ck.reminder_due(DT("2026-03-03 09:00:00"), DEADLINE, True, cal)
	assert not ck.reminder_due(DT("2026-03-04 09:00:00"), DEADLINE, False, cal)
	assert ck.escalation_due(DT("2026-03-04 00:00:00"), DEADLINE, False)
	assert not ck.escalation_due(DT("2026-03-03 23:59:59"), DEADLINE, False)
	assert not ck.escalation_due(DT("2026-03-04 00:00:00"), DEADLINE, True)


def test_due_events(cal):
	now = DT("2026-03-03 10:00:00")
	events = ck.due_events(
		now,
		{
			ck.RESPONSE: DT("2026-03-02 23:59:59"),
			ck.MEETING: DEADLINE,
			ck.COMPLETION: DT("2026-03-20 23:59:59"),
		},
		cal,
	)
	assert events == [
		(ck.RESPONSE, ck.ESCALATION, DT("2026-03-02 23:59:59")),
		(ck.MEETING, ck.REMINDER, DEADLINE),
	]


def test_event_key_names_slip_department_clock_deadline_and_kind():
	key = ck.event_key("CS-2026-00001", "发展和改革委", ck.COMPLETION, DEADLINE, ck.ESCALATION)
	assert key == "CS-2026-00001|发展和改革委|completion|2026-03-03 23:59:59|escalation"
	moved = ck.event_key(
		"CS-2026-00001", "发展和改革委", ck.COMPLETION, DT("2026-03-20 23:59:59"), ck.ESCALATION
	)
	assert moved != key
	with pytest.raises(ValueError):
		ck.event_key("x", "y", "nope", DEADLINE, ck.REMINDER)


def test_worst_level():
	assert ck.worst([]) == ck.NORMAL
	assert ck.worst([ck.DUE_SOON, ck.SERIOUSLY_OVERDUE, ck.OVERDUE]) == ck.SERIOUSLY_OVERDUE
	assert ck.is_overdue(ck.OVERDUE) and not ck.is_overdue(ck.DUE_SOON)
