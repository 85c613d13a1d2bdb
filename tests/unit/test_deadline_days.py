"""The deadline numbers a slip is dispatched with (RULES §4 [decision], issue #16): the plan's 1 and 3
working days, shortened for the green channel and per category, never longer, never below 1."""

import pytest

from whistle_app.rules import lifecycle as lc


def test_the_plans_numbers_without_settings():
	assert lc.deadline_days("Other", False) == (1, 3)
	assert lc.deadline_days("Other", True, (None, None), {}) == (1, 3)


def test_the_green_channel_applies_only_to_green_channel_slips():
	assert lc.deadline_days("Other", True, (1, 2)) == (1, 2)
	assert lc.deadline_days("Other", False, (1, 2)) == (1, 3)


def test_a_category_row_applies_to_its_category_and_the_shorter_wins():
	rules = {"Case by Case": (None, 2)}
	assert lc.deadline_days("Case by Case", False, None, rules) == (1, 2)
	assert lc.deadline_days("Other", False, None, rules) == (1, 3)
	assert lc.deadline_days("Case by Case", True, (0, 1), rules) == (1, 1)
	assert lc.deadline_days("Case by Case", True, (0, 3), rules) == (1, 2)


@pytest.mark.parametrize(("response", "meeting"), [(2, None), (None, 4), (None, -1), (-1, None)])
def test_never_longer_than_the_plan_nor_below_one(response, meeting):
	with pytest.raises(lc.DeadlineDaysError):
		lc.check_deadline_days(response, meeting)


@pytest.mark.parametrize(("response", "meeting"), [(1, 1), (1, 3), (None, 2), (0, 0)])
def test_within_the_bounds(response, meeting):
	lc.check_deadline_days(response, meeting)
