"""Satisfaction survey rules (RULES §7) without Frappe."""

import datetime
from decimal import Decimal

import pytest

from whistle_app.rules import survey as sv
from whistle_app.rules.scoring import ScoreError, VoteCounts, round2, satisfaction


def test_survey_name_is_one_per_quarter():
	assert sv.survey_name(2026, 1) == "SV-2026-Q1"
	assert sv.survey_name(2027, 4) == "SV-2027-Q4"
	with pytest.raises(ScoreError):
		sv.survey_name(2026, 5)


def test_vote_key_identifies_enterprise_unit_and_survey():
	assert sv.vote_key("SV-2026-Q1", "E1", "U1") != sv.vote_key("SV-2026-Q1", "E1", "U2")
	assert sv.vote_key("SV-2026-Q1", "E1", "U1") != sv.vote_key("SV-2026-Q2", "E1", "U1")
	assert sv.vote_key("SV-2026-Q1", "E1", "U1") == sv.vote_key("SV-2026-Q1", "E1", "U1")


def test_states_move_forward_only():
	assert sv.can_move(sv.DRAFT, sv.OPEN)
	assert sv.can_move(sv.OPEN, sv.CLOSED)
	assert not sv.can_move(sv.DRAFT, sv.CLOSED)
	assert not sv.can_move(sv.CLOSED, sv.OPEN)
	assert not sv.can_move(sv.OPEN, sv.OPEN)


def test_online_votes_and_tallies_add_up_to_e1():
	"""RULES §11 E1 split between online votes and an office tally: still 82.00."""
	online = [("U", sv.SATISFIED, 20), ("U", sv.FAIRLY_SATISFIED, 10), ("U", sv.DISSATISFIED, 5)]
	tallies = [("U", VoteCounts(satisfied=10, basically_satisfied=5))]
	votes = sv.unit_votes(online, tallies)
	assert votes["U"] == VoteCounts(30, 10, 5, 5)
	assert round2(satisfaction(votes["U"])) == Decimal("82.00")


def test_units_only_in_tallies_or_only_online():
	votes = sv.unit_votes([("A", sv.SATISFIED, 2)], [("B", VoteCounts(dissatisfied=1))])
	assert votes == {"A": VoteCounts(satisfied=2), "B": VoteCounts(dissatisfied=1)}


def test_unknown_level_refused():
	with pytest.raises(ScoreError):
		sv.unit_votes([("A", "Very Happy", 1)], [])
	with pytest.raises(ScoreError):
		sv.counts_from_levels({"Meh": 1})


def test_add_votes():
	assert sv.add_votes(VoteCounts(1, 2, 3, 4), VoteCounts(4, 3, 2, 1)) == VoteCounts(5, 5, 5, 5)
	assert sv.add_votes() == VoteCounts()


@pytest.mark.parametrize(
	("dispatched", "closed", "expected"),
	[
		(datetime.datetime(2026, 2, 10, 9), None, True),  # open, dispatched in the quarter
		(datetime.datetime(2025, 12, 30, 9), None, True),  # open, dispatched before the quarter
		(datetime.datetime(2025, 12, 30, 9), datetime.datetime(2026, 1, 1, 0, 0), True),  # closed on day one
		(datetime.datetime(2025, 12, 1, 9), datetime.datetime(2025, 12, 31, 23, 59), False),  # closed before
		(datetime.datetime(2026, 3, 31, 23, 59), None, True),  # dispatched on the last day
		(datetime.datetime(2026, 4, 1, 0, 0), None, False),  # dispatched after
		(None, None, False),  # never dispatched
		(datetime.date(2026, 1, 5), datetime.date(2026, 6, 1), True),
	],
)
def test_active_in_quarter(dispatched, closed, expected):
	assert sv.active_in_quarter(dispatched, closed, 2026, 1) is expected
