"""Monthly supervision bulletin rules (RULES §6): periods, counting, proposals, the office's
adjustments. Pure: no Frappe."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from whistle_app.rules import bulletin as rb
from whistle_app.rules.workdays import REST, WORK, WorkCalendar

DT = datetime.fromisoformat
MARCH = rb.month_bounds(2026, 3)
AS_OF = DT("2026-04-01 09:00:00")  # the first working day after March


def row(slip, unit, clock, deadline, status=None, excluded=False):
	return rb.ClockRow(slip, unit, clock, DT(deadline), status, excluded)


# --- periods -------------------------------------------------------------------------------------------


def test_month_bounds_and_previous_month():
	assert MARCH == (DT("2026-03-01 00:00:00"), DT("2026-04-01 00:00:00"))
	assert rb.month_bounds(2026, 12) == (DT("2026-12-01 00:00:00"), DT("2027-01-01 00:00:00"))
	assert rb.previous_month(date(2026, 1, 5)) == (2025, 12)
	assert rb.previous_month(date(2026, 4, 1)) == (2026, 3)
	assert rb.month_ended(2026, 3, DT("2026-04-01 00:00:00"))
	assert not rb.month_ended(2026, 3, DT("2026-03-31 23:59:59"))


@pytest.mark.parametrize("year, month", [(2026, 0), (2026, 13), (1999, 5), ("x", 1), (None, 1)])
def test_bad_periods_are_refused(year, month):
	with pytest.raises(rb.BulletinRuleError) as e:
		rb.check_period(year, month)
	assert e.value.code == "bad_period"


def test_first_working_day_follows_the_calendar():
	cal = WorkCalendar(
		{
			date(2026, 1, 1): REST,
			date(2026, 1, 2): REST,
			date(2026, 1, 4): WORK,  # Sunday, adjusted working day
			date(2026, 10, 1): REST,
			**{date(2026, 10, d): REST for d in range(2, 8)},
		},
		confirmed_years={2026},
	)
	assert rb.first_working_day(cal, 2026, 1) == date(2026, 1, 4)
	assert rb.first_working_day(cal, 2026, 3) == date(2026, 3, 2)  # 03-01 is a Sunday
	assert rb.first_working_day(cal, 2026, 4) == date(2026, 4, 1)
	assert rb.first_working_day(cal, 2026, 10) == date(2026, 10, 8)


def test_keys_and_names():
	assert rb.bulletin_key(2026, 3) == "2026-03"
	assert rb.bulletin_key(2026, 3, "DCTB-2026-03") == "2026-03|corrects:DCTB-2026-03"
	assert rb.bulletin_name(2026, 3) == "DCTB-2026-03"
	assert rb.bulletin_name(2026, 3, 2) == "DCTB-2026-03-2"


# --- clocks ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
	"status, as_of, outcome",
	[
		(rb.MET, "2026-03-10 00:00:00", rb.ON_TIME),
		(rb.LATE, "2026-03-10 00:00:00", rb.LATE_OUTCOME),
		(None, "2026-03-10 00:00:00", rb.MISSING),
		(None, "2026-03-05 23:59:59", None),  # at the deadline: not judged yet
	],
)
def test_clock_outcome(status, as_of, outcome):
	assert rb.clock_outcome(DT("2026-03-05 23:59:59"), status, DT(as_of)) == outcome


def test_trigger_rules():
	assert rb.trigger_rule(rb.RESPONSE, rb.LATE_OUTCOME) == rb.LATE_RESPONSE
	assert rb.trigger_rule(rb.RESPONSE, rb.MISSING) == rb.LATE_RESPONSE
	assert rb.trigger_rule(rb.MEETING, rb.LATE_OUTCOME) == rb.LATE_MEETING
	assert rb.trigger_rule(rb.COMPLETION, rb.MISSING) == rb.COMPLETION_OVERDUE
	assert rb.trigger_rule(rb.COMPLETION, rb.LATE_OUTCOME) == rb.COMPLETED_LATE
	assert rb.trigger_rule(rb.COMPLETION, rb.ON_TIME) is None


def test_a_month_of_clocks_by_hand():
	"""Expected table written by hand from RULES §6 (clocks belong to the month of their deadline)."""
	rows = [
		# 甲: one response on time, one late; a completion on time
		row("S1", "甲", rb.RESPONSE, "2026-03-03 23:59:59", rb.MET),
		row("S2", "甲", rb.RESPONSE, "2026-03-04 23:59:59", rb.LATE),
		row("S1", "甲", rb.COMPLETION, "2026-03-20 23:59:59", rb.MET),
		# 乙: a meeting late, a meeting still missing, response on time, a completion overdue
		row("S3", "乙", rb.RESPONSE, "2026-03-10 23:59:59", rb.MET),
		row("S3", "乙", rb.MEETING, "2026-03-12 23:59:59", rb.LATE),
		row("S4", "乙", rb.MEETING, "2026-03-30 23:59:59", None),
		row("S3", "乙", rb.COMPLETION, "2026-03-31 23:59:59", None),
		# 丙: completed late; its February and April deadlines belong to other bulletins
		row("S5", "丙", rb.COMPLETION, "2026-03-16 23:59:59", rb.LATE),
		row("S6", "丙", rb.RESPONSE, "2026-02-27 23:59:59", rb.LATE),
		row("S7", "丙", rb.COMPLETION, "2026-04-10 23:59:59", None),
		# 丁: everything late, but the slip is exempted: nothing counts
		row("S8", "丁", rb.RESPONSE, "2026-03-05 23:59:59", rb.LATE, excluded=True),
		row("S8", "丁", rb.COMPLETION, "2026-03-25 23:59:59", None, excluded=True),
	]
	figures = rb.count_clocks(rows + rows[:1], *MARCH, AS_OF)  # a repeated row counts once
	table = {
		unit: (
			f.responses_on_time,
			f.responses_late,
			f.meetings_on_time,
			f.meetings_late,
			f.completions_on_time,
			f.completions_late,
		)
		for unit, f in figures.items()
	}
	assert table == {
		"甲": (1, 1, 0, 0, 1, 0),
		"乙": (1, 0, 0, 2, 0, 1),
		"丙": (0, 0, 0, 0, 0, 1),
	}
	assert figures["甲"].triggers == {rb.LATE_RESPONSE: ["S2"]}
	assert figures["乙"].triggers == {rb.LATE_MEETING: ["S3", "S4"], rb.COMPLETION_OVERDUE: ["S3"]}
	assert figures["丙"].triggers == {rb.COMPLETED_LATE: ["S5"]}
	assert [(p.department, p.rule, p.slips) for p in rb.proposals(figures.values())] == [
		("甲", rb.LATE_RESPONSE, ("S2",)),
		("乙", rb.LATE_MEETING, ("S3", "S4")),
		("乙", rb.COMPLETION_OVERDUE, ("S3",)),
		("丙", rb.COMPLETED_LATE, ("S5",)),
	]


def test_a_deadline_not_passed_yet_is_not_judged():
	rows = [row("S1", "甲", rb.COMPLETION, "2026-03-31 23:59:59", None)]
	figures = rb.count_clocks(rows, *MARCH, DT("2026-03-31 12:00:00"))
	assert figures == {}


def test_an_extension_moves_the_completion_into_its_new_month():
	# due 03-06, extended to 04-10 and finished on 04-08: met, and judged in April, not March
	rows = [row("S1", "甲", rb.COMPLETION, "2026-04-10 23:59:59", rb.MET)]
	assert rb.count_clocks(rows, *MARCH, AS_OF) == {}
	april = rb.count_clocks(rows, *rb.month_bounds(2026, 4), DT("2026-05-06 09:00:00"))
	assert (april["甲"].completions_on_time, april["甲"].proposed) == (1, False)


def test_unknown_clock_or_status_is_refused():
	with pytest.raises(rb.BulletinRuleError):
		rb.count_clocks([row("S1", "甲", "lunch", "2026-03-03 23:59:59")], *MARCH, AS_OF)
	with pytest.raises(rb.BulletinRuleError):
		rb.clock_outcome(DT("2026-03-03 23:59:59"), "Maybe", AS_OF)


def test_average_score_is_rounded_half_up():
	assert rb.average_score(Decimal("170.01"), 2) == Decimal("85.01")  # 85.005
	assert rb.average_score(255, 3) == Decimal("85.00")
	assert rb.average_score(0, 0) is None


def test_units_are_grouped_by_class_in_configured_order():
	units = [
		rb.UnitFigures("c1", "C"),
		rb.UnitFigures("a2", "A"),
		rb.UnitFigures("x"),
		rb.UnitFigures("a1", "A"),
	]
	ordered = rb.order_units(units, {"a1": (2,), "a2": (1,)})
	assert [u.department for u in ordered] == ["a2", "a1", "c1", "x"]


# --- the office's adjustments ------------------------------------------------------------------------------

PROPOSALS = [
	rb.Proposal("甲", rb.LATE_RESPONSE, ("S2",)),
	rb.Proposal("乙", rb.LATE_MEETING, ("S3",)),
	rb.Proposal("乙", rb.COMPLETION_OVERDUE, ("S3",)),
]
ELIGIBLE = {"甲", "乙", "丙", "丁"}


def test_final_list_applies_removals_and_additions():
	adjustments = [
		rb.Adjustment("甲", rb.REMOVE, "迟报系系统故障，经核实予以剔除"),
		rb.Adjustment("丙", rb.ADD, "督查中发现推诿扯皮"),
	]
	rb.validate_adjustments(adjustments, {"甲", "乙"}, ELIGIBLE)
	named = rb.final_namings(PROPOSALS, adjustments, ["甲", "乙", "丙", "丁"])
	assert named == [
		rb.Naming("乙", rb.PROPOSED, (rb.LATE_MEETING, rb.COMPLETION_OVERDUE)),
		rb.Naming("丙", rb.ADDED, (), "督查中发现推诿扯皮"),
	]


def test_without_adjustments_the_proposals_are_the_list():
	named = rb.final_namings(PROPOSALS, [], ["乙", "甲"])
	assert [n.department for n in named] == ["乙", "甲"]


@pytest.mark.parametrize(
	"adjustments, code",
	[
		([rb.Adjustment("丙", rb.REMOVE, "理由")], "remove_not_proposed"),
		([rb.Adjustment("甲", rb.ADD, "理由")], "add_already_proposed"),
		([rb.Adjustment("某园区", rb.ADD, "理由")], "add_not_reporting_unit"),
		([rb.Adjustment("甲", rb.REMOVE, "  ")], "reason_missing"),
		([rb.Adjustment("丙", rb.ADD, "理由"), rb.Adjustment("丙", rb.ADD, "再次")], "adjusted_twice"),
		([rb.Adjustment("丙", "Maybe", "理由")], "bad_action"),
	],
)
def test_adjustments_that_break_the_rules(adjustments, code):
	with pytest.raises(rb.BulletinRuleError) as e:
		rb.validate_adjustments(adjustments, {"甲", "乙"}, ELIGIBLE)
	assert e.value.code == code
