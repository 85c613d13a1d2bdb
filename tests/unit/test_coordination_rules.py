"""The District Head's coordination rules (RULES §12), without a database."""

from datetime import date, datetime

import pytest

from whistle_app.rules import coordination as co
from whistle_app.rules.workdays import REST, WORK, WorkCalendar
from whistle_app.rules.workflow import SYSTEM_ACTOR

DT = datetime.fromisoformat


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
	# Spring Festival 2026 as in RULES §4: 02-14 adjusted working day, 02-15…02-23 rest days
	exceptions = {date(2026, 2, d): REST for d in range(15, 24)}
	exceptions[date(2026, 2, 14)] = WORK
	return WorkCalendar(exceptions, confirmed_years={2026})


DEADLINE = DT("2026-03-03 23:59:59")  # Tuesday


@pytest.mark.parametrize(
	"now, days, expected",
	[
		("2026-03-09 10:00:00", 5, False),  # late by 4 working days (Wed–Mon)
		("2026-03-10 10:00:00", 5, True),  # late by 5
		("2026-03-09 10:00:00", 4, True),  # the number is a setting
		("2026-03-03 23:59:59", 1, False),  # at the deadline: not overdue
	],
)
def test_completion_overdue_threshold(cal, now, days, expected):
	facts = co.SlipFacts(completion_deadline=DEADLINE)
	reasons = co.candidate_reasons(DT(now), facts, cal, co.Thresholds(overdue_days=days))
	assert (co.COMPLETION_OVERDUE in reasons) is expected


def test_completed_slip_is_not_overdue(cal):
	facts = co.SlipFacts(completion_deadline=DEADLINE, completed=True)
	assert co.candidate_reasons(DT("2026-04-01 10:00:00"), facts, cal) == []


@pytest.mark.parametrize("count, expected", [(1, False), (2, True), (3, True)])
def test_extensions_and_reworks_at_and_below_threshold(cal, count, expected):
	now = DT("2026-03-02 10:00:00")
	assert (
		co.EXTENSIONS in co.candidate_reasons(now, co.SlipFacts(approved_extensions=count), cal)
	) is expected
	assert (co.REWORK in co.candidate_reasons(now, co.SlipFacts(reworks=count), cal)) is expected
	# the numbers are settings
	three = co.Thresholds(extensions=3, reworks=3)
	assert (
		co.EXTENSIONS in co.candidate_reasons(now, co.SlipFacts(approved_extensions=2), cal, three)
	) is False
	assert (co.REWORK in co.candidate_reasons(now, co.SlipFacts(reworks=3), cal, three)) is True


def test_exemption_and_green_channel(cal):
	now = DT("2026-03-04 00:00:01")
	assert co.candidate_reasons(now, co.SlipFacts(exemption_requested=True), cal) == [co.EXEMPTION]
	green = co.SlipFacts(green_channel=True, pending_deadlines=(DEADLINE,))
	assert co.candidate_reasons(now, green, cal) == [co.GREEN_CHANNEL_OVERDUE]
	# just before the deadline passes, or not a green-channel slip: nothing
	assert co.candidate_reasons(DEADLINE, green, cal) == []
	assert co.candidate_reasons(now, co.SlipFacts(pending_deadlines=(DEADLINE,)), cal) == []


def test_candidate_key_once_per_slip_and_reason():
	assert co.candidate_key("CS-2026-00001", co.REWORK) == "CS-2026-00001|多次重办"
	assert co.candidate_key("CS-2026-00001", co.OFFICE_NOMINATION) is None
	with pytest.raises(ValueError):
		co.candidate_key("CS-2026-00001", "whatever")


def test_meeting_flow_is_the_office_s():
	m = co.MEETING_MACHINE
	assert m.initial == co.DRAFT
	assert m.find(co.DRAFT, co.HOLD).next_state == co.HELD
	assert m.find(co.HELD, co.PUBLISH).next_state == co.PUBLISHED
	assert all(t.actor == co.OFFICE for t in m.transitions)
	assert m.submitted == {co.PUBLISHED}
	assert not m.may_edit(co.PUBLISHED, {co.OFFICE, co.UNIT})


def test_decision_flow():
	m = co.DECISION_MACHINE
	issue = m.find(co.DRAFT, co.ISSUE)
	assert issue.next_state == co.OPEN and issue.actor == SYSTEM_ACTOR
	assert m.find(co.OPEN, co.REPORT).actor == co.UNIT
	assert m.find(co.REPORTED, co.ACCEPT).next_state == co.DONE
	reopen = m.find(co.REPORTED, co.REOPEN)
	assert reopen.next_state == co.OPEN and reopen.reason_required and reopen.actor == co.OFFICE
	assert not m.find(co.OPEN, co.ACCEPT)  # the office accepts only what was reported
	assert m.submitted == {co.DONE}


def test_decision_due(cal):
	published = DT("2026-02-12 10:00:00")  # Thursday before the Spring Festival
	assert co.decision_due(co.BY_WORKING_DAYS, published, cal, working_days=1) == DT("2026-02-13 23:59:59")
	assert co.decision_due(co.BY_WORKING_DAYS, published, cal, working_days=3) == DT("2026-02-24 23:59:59")
	assert co.decision_due(co.BY_DATE, published, cal, deadline_date=date(2026, 3, 1)) == DT(
		"2026-03-01 23:59:59"
	)
	with pytest.raises(ValueError):
		co.decision_due(co.BY_WORKING_DAYS, published, cal, working_days=0)
	with pytest.raises(ValueError):
		co.decision_due(co.BY_DATE, published, cal)


def test_decision_clock(cal):
	assert co.decision_events(DT("2026-03-02 10:00:00"), DEADLINE, False, cal) == []
	assert co.decision_events(DT("2026-03-03 08:00:00"), DEADLINE, False, cal) == [co.REMINDER]
	assert co.decision_events(DT("2026-03-04 00:00:00"), DEADLINE, False, cal) == [co.ESCALATION]
	assert co.decision_events(DT("2026-03-04 00:00:00"), DEADLINE, True, cal) == []
	assert co.is_overdue(DT("2026-03-04 00:00:00"), DEADLINE, False)
	assert not co.is_overdue(DEADLINE, DEADLINE, False)
	key = co.decision_event_key("YD-1", "财政局", DEADLINE, co.ESCALATION)
	assert key == "YD-1|财政局|decision|2026-03-03 23:59:59|escalation"
	with pytest.raises(ValueError):
		co.decision_event_key("YD-1", "财政局", DEADLINE, "other")


def test_a_late_decision_is_a_late_action_in_the_bulletin():
	from whistle_app.rules import bulletin as rb

	start, end = DT("2026-03-01 00:00:00"), DT("2026-04-01 00:00:00")
	rows = [
		rb.ClockRow("YD-1", "财政局", co.CLOCK, DEADLINE, None),  # still open after its due date
		rb.ClockRow("YD-2", "财政局", co.CLOCK, DEADLINE, "Met"),
		rb.ClockRow("YD-3", "商务局", co.CLOCK, DEADLINE, "Late"),
	]
	figures = rb.count_clocks(rows, start, end, DT("2026-04-01 09:00:00"))
	assert (figures["财政局"].decisions_on_time, figures["财政局"].decisions_late) == (1, 1)
	assert figures["财政局"].triggers == {rb.LATE_DECISION: ["YD-1"]}
	assert figures["商务局"].triggers == {rb.LATE_DECISION: ["YD-3"]}
	assert [p.rule for p in rb.proposals(figures.values())] == [rb.LATE_DECISION, rb.LATE_DECISION]
