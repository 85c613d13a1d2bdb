"""The live supervision board's pure rules (issue #9): columns, card deadlines, card order."""

from datetime import datetime

from whistle_app.rules import board as bd
from whistle_app.rules import clocks as ck
from whistle_app.rules import lifecycle as lc
from whistle_app.rules.workdays import WorkCalendar

D1 = datetime(2026, 3, 2, 23, 59, 59)
D3 = datetime(2026, 3, 4, 23, 59, 59)
D30 = datetime(2026, 3, 31, 23, 59, 59)


def deadlines(response=D1, meeting=None, completion=None):
	return {ck.RESPONSE: response, ck.MEETING: meeting, ck.COMPLETION: completion}


def statuses(response=None, meeting=None, completion=None):
	return {ck.RESPONSE: response, ck.MEETING: meeting, ck.COMPLETION: completion}


def test_columns_are_the_open_states_in_lifecycle_order():
	assert set(bd.COLUMNS) | bd.HIDDEN_STATES == set(lc.STATES)
	assert not set(bd.COLUMNS) & bd.HIDDEN_STATES
	assert list(bd.COLUMNS) == [s for s in lc.STATES if s in bd.COLUMNS]
	assert bd.HIDDEN_STATES == {lc.DRAFT, lc.DECLINED, lc.CLOSED, lc.TRACKING_ENDED}
	assert lc.OPEN_STATES <= set(bd.COLUMNS)


def test_every_column_names_who_holds_the_slip():
	assert set(bd.COLUMN_HOLDERS) == set(bd.COLUMNS)
	# the holder is the actor of the column's way out (where the lifecycle has one)
	for state, holder in bd.COLUMN_HOLDERS.items():
		leaving = {t.actor for t in lc.TRANSITIONS if t.state == state}
		if leaving:
			assert holder in leaving, state


def test_dispatched_slip_shows_the_response_deadline():
	assert bd.card_deadline(lc.DISPATCHED, deadlines(D1, D3), statuses()) == (ck.RESPONSE, D1)


def test_earliest_pending_clock_wins():
	# response answered late, the joint meeting still missing: the meeting deadline runs
	assert bd.card_deadline(lc.DISPATCHED, deadlines(D1, D3), statuses(lc.LATE)) == (ck.MEETING, D3)
	got = bd.card_deadline(lc.HANDLING, deadlines(D1, D3, D30), statuses(lc.MET, lc.MET))
	assert got == (ck.COMPLETION, D30)


def test_no_deadline_once_every_clock_is_answered_or_outside_the_clock_states():
	done = statuses(lc.MET, lc.MET, lc.LATE)
	assert bd.card_deadline(lc.HANDLING, deadlines(D1, D3, D30), done) is None
	for state in (lc.SUBMITTED, lc.RETURNED, lc.COMPLETED, lc.CONFIRMED, lc.LONG_TERM):
		assert bd.card_deadline(state, deadlines(D1, D3, D30), statuses()) is None, state
	assert bd.card_deadline(lc.DISPATCHED, deadlines(None), statuses()) is None
	# a report sent back for rework: the completion clock waits for the new report (as the job)
	assert bd.card_deadline(lc.DISPATCHED, deadlines(D1, None, D30), statuses(lc.MET)) is None


def test_clocks_run_in_the_states_of_the_deadline_job():
	assert bd.CLOCK_STATES == {
		ck.RESPONSE: {lc.DISPATCHED},
		ck.MEETING: {lc.DISPATCHED, lc.REPORTED, lc.HANDLING},
		ck.COMPLETION: {lc.REPORTED, lc.HANDLING},
	}


def test_card_level_is_the_worst_running_clock():
	cal = WorkCalendar({}, confirmed_years={2026})
	now = datetime(2026, 3, 5, 10, 0)  # Thursday
	# response passed on Monday (late by 3 working days), meeting due tomorrow
	level = bd.card_level(
		now, lc.DISPATCHED, deadlines(D1, datetime(2026, 3, 6, 23, 59, 59)), statuses(), cal
	)
	assert level == ck.SERIOUSLY_OVERDUE
	assert bd.card_level(now, lc.DISPATCHED, deadlines(D1, D3), statuses(lc.MET), cal) == ck.OVERDUE
	assert bd.card_level(now, lc.DISPATCHED, deadlines(D1, D3), statuses(lc.MET, lc.LATE), cal) == ck.NORMAL
	due_today = deadlines(D1, D3, datetime(2026, 3, 5, 23, 59, 59))
	assert bd.card_level(now, lc.HANDLING, due_today, statuses(lc.MET, lc.MET), cal) == ck.DUE_SOON
	# waiting for the park: no clock runs, whatever the deadlines say
	assert bd.card_level(now, lc.COMPLETED, deadlines(D1, D3), statuses(), cal) == ck.NORMAL
	assert bd.card_level(now, lc.DISPATCHED, deadlines(D1), statuses(), cal, serious_days=5) == ck.OVERDUE


def test_cards_sort_most_urgent_first():
	cards = [
		("a", ck.NORMAL, D1),
		("b", ck.OVERDUE, D30),
		("c", ck.SERIOUSLY_OVERDUE, None),
		("d", ck.DUE_SOON, D3),
		("e", ck.OVERDUE, D3),
		("f", None, None),
		("g", ck.NORMAL, None),
	]
	ordered = sorted(cards, key=lambda c: bd.card_sort_key(c[1], c[2], c[0]))
	assert [c[0] for c in ordered] == ["c", "e", "b", "d", "a", "f", "g"]


def test_level_counts_cover_every_level():
	counts = bd.level_counts([ck.OVERDUE, ck.NORMAL, None, "unknown", ck.OVERDUE])
	assert counts == {ck.NORMAL: 3, ck.DUE_SOON: 0, ck.OVERDUE: 2, ck.SERIOUSLY_OVERDUE: 0}
	assert list(counts) == list(ck.LEVELS)


# --- the unit league table ------------------------------------------------------------------------


def test_league_compares_the_quarter_so_far_with_the_end_of_last_month():
	now, before = bd.league_windows(datetime(2026, 11, 26, 14, 30))
	assert now == bd.LeagueWindow(2026, 4, datetime(2026, 10, 1), datetime(2027, 1, 1))
	assert before == bd.LeagueWindow(2026, 4, datetime(2026, 10, 1), datetime(2026, 11, 1))
	# the last month of a quarter: two months of it so far
	now, before = bd.league_windows(datetime(2026, 3, 31, 23, 59, 59))
	assert (now.start, now.end) == (datetime(2026, 1, 1), datetime(2026, 4, 1))
	assert (before.year, before.quarter, before.end) == (2026, 1, datetime(2026, 3, 1))


def test_league_in_a_quarters_first_month_compares_with_the_whole_previous_quarter():
	now, before = bd.league_windows(datetime(2026, 4, 1, 0, 0))
	assert (now.year, now.quarter, now.start) == (2026, 2, datetime(2026, 4, 1))
	assert before == bd.LeagueWindow(2026, 1, datetime(2026, 1, 1), datetime(2026, 4, 1))
	now, before = bd.league_windows(datetime(2027, 1, 15, 9, 0))
	assert (now.year, now.quarter) == (2027, 1)
	assert before == bd.LeagueWindow(2026, 4, datetime(2026, 10, 1), datetime(2027, 1, 1))


def test_rank_movement():
	assert bd.rank_movement(5, 3) == (bd.UP, 2)
	assert bd.rank_movement(1, 2) == (bd.DOWN, 1)
	assert bd.rank_movement(4, 4) == (bd.SAME, 0)
	assert bd.rank_movement(None, 1) == (bd.NEW, 0)
	assert bd.rank_movement(3, None) == (None, 0)
	assert bd.rank_movement(None, None) == (None, 0)
	labels = [
		bd.movement_label(*bd.rank_movement(p, c)) for p, c in ((5, 3), (1, 2), (4, 4), (None, 1), (2, None))
	]
	assert labels == ["↑2", "↓1", "—", "新", ""]
	assert bd.movement_label(bd.NEW, 0, "new") == "new"
