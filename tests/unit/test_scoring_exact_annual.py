"""Issue #16 point 7: quarter scores enter the annual arithmetic exactly (RULES §8 [decision]: no
intermediate rounding; only the final annual score is shown and compared at 2 decimals).

Everything goes through the path the app takes: ``quarter_scores`` per quarter, ``annual_input`` (what
``evaluation.annual.compute_year`` calls per unit) and ``annual_scores``. The property test checks
that path against an exact computation written here from RULES §7/§8 with Fractions.
"""

import math
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from whistle_app.rules.scoring import (
	QuarterInput,
	ScoreError,
	VoteCounts,
	annual_consequences,
	annual_input,
	annual_scores,
	last_units,
	quarter_scores,
)

A2_QUARTER = [80.2, 80.3, 80.2, 80.3]  # mean 80.25, four cases


def annual_inputs(year: dict[int, dict[str, list]], votes=None, namings=None):
	"""The §8 inputs of one class as the app builds them: ``quarter_scores`` per quarter, then
	``annual_input`` per unit (what ``evaluation.annual.compute_year`` calls)."""
	votes, namings = votes or {}, namings or {}
	units = list(next(iter(year.values())))
	quarters = {
		q: {
			r.unit: r
			for r in quarter_scores(
				[QuarterInput(u, scores[u], votes.get((q, u), VoteCounts())) for u in units]
			)
		}
		for q, scores in year.items()
	}
	return [
		annual_input(u, {q: quarters[q][u] for q in quarters}, namings.get(u, 0), i)
		for i, u in enumerate(units)
	]


def evaluate(year: dict[int, dict[str, list]], votes=None, namings=None):
	"""{unit: AnnualResult} and the final order of one class, the app's pure path."""
	results = annual_scores(annual_inputs(year, votes, namings))
	return {r.unit: r for r in results}, [r.unit for r in results if r.final_position is not None]


def test_issue_example_as_stated_gives_a1_exactly_80_255_but_a2_earns_an_uplift():
	"""The issue's example, worked by hand with the rules.

	No unit of class A has votes, so (§7 [decision], ``quarter_scores``) each quarter score is the
	slip average alone. A1: Q1 80, Q2 80, Q3 81, Q4 (4 × 80 + 80.1) / 5 = 80.02; base = 321.02 / 4 =
	80.255 exactly (every quarter score terminates, so nothing is rounded on the way). A2: 80.25 in
	every quarter. But cases are 8 (A1) and 16 (A2): avg_cases 12, and A2 is 4/12 above it, 33 %, so
	+3 % (§8): 80.25 × 1.03 = 82.6575. A2 is first by the rules, not by a rounding defect.
	"""
	results, order = evaluate(
		{
			1: {"A1": [80], "A2": A2_QUARTER},
			2: {"A1": [80], "A2": A2_QUARTER},
			3: {"A1": [81], "A2": A2_QUARTER},
			4: {"A1": [80, 80, 80, 80, 80.1], "A2": A2_QUARTER},
		}
	)
	a1, a2 = results["A1"], results["A2"]
	assert (a1.base, a1.cases, a1.uplift_percent, a1.annual_score) == (
		Decimal("80.255"),
		8,
		0,
		Decimal("80.255"),
	)
	assert a1.annual_score_rounded == Decimal("80.26")
	assert (a2.base, a2.cases, a2.avg_cases, a2.uplift_percent) == (Decimal("80.25"), 16, 12, 3)
	assert a2.annual_score == Decimal("82.6575")
	assert order == ["A2", "A1"]


def test_a1_ranks_first_with_80_26_when_its_quarter_scores_do_not_terminate():
	"""The closest case that shows the defect: A1 closes three slips in each of Q1–Q3 instead of one.

	By hand: Q1 = Q2 = (80 + 80 + 80.1) / 3 = 240.1 / 3 = 80.0333…, Q3 = (81 + 81 + 80.8) / 3 = 242.8 / 3
	= 80.9333…, Q4 = 400.1 / 5 = 80.02; Q1 + Q2 + Q3 = 723 / 3 = 241, base = (241 + 80.02) / 4 = 80.255
	exactly. Cases 14 and 16: avg 15; A2 is 1/15 above it (6.7 %, below 10 %): no uplift for anyone.
	A1 80.255 → 80.26 beats A2 80.25. With the quarter scores rounded to 10 places first (80.0333333333
	twice, 80.9333333333) the base was 80.254999999975 → 80.25, a tie that A2 won on cases.
	"""
	results, order = evaluate(
		{
			1: {"A1": [80, 80, 80.1], "A2": A2_QUARTER},
			2: {"A1": [80, 80, 80.1], "A2": A2_QUARTER},
			3: {"A1": [81, 81, 80.8], "A2": A2_QUARTER},
			4: {"A1": [80, 80, 80, 80, 80.1], "A2": A2_QUARTER},
		}
	)
	a1, a2 = results["A1"], results["A2"]
	assert (a1.cases, a2.cases, a1.uplift_percent, a2.uplift_percent) == (14, 16, 0, 0)
	assert a1.quarter_scores[1] == Decimal("80.0333333333")  # shown rounded, used exactly
	assert a1.base == a1.annual_score == Decimal("80.255")
	assert (a1.annual_score_rounded, a2.annual_score_rounded) == (Decimal("80.26"), Decimal("80.25"))
	assert order == ["A1", "A2"]
	assert (a1.final_position, a2.final_position) == (1, 2)


def test_annual_input_takes_the_exact_quarter_score():
	(r,) = quarter_scores([QuarterInput("U1", [80, 80, 80.1])])
	assert r.quarter_score == Decimal("80.0333333333")
	assert r.quarter_score_exact == Fraction(2401, 30)
	one = annual_input("U1", {1: r, 2: None})
	assert one.quarter_scores == {1: Fraction(2401, 30), 2: None}
	assert one.quarter_cases == {1: 3, 2: 0}
	with pytest.raises(ScoreError) as e:
		annual_input("U2", {1: r})
	assert e.value.code == "wrong_unit"


# ---------------------------------------------------------------------------------------------
# §8/§9 [decision]s


def test_class_without_any_case_in_the_year_has_no_ranking_and_no_outcome():
	results, order = evaluate({q: {"U1": [], "U2": []} for q in (1, 2, 3, 4)}, namings={"U2": 5})
	assert order == []
	assert all(not r.class_ranked and r.final_position is None for r in results.values())
	assert annual_consequences("A", order, {"U2": 3}) == {}


def test_three_or_more_years_last_list_both_outcomes():
	order = ["U1", "U2", "U3"]
	for before, expected in (
		(0, set()),
		(1, {"deputy_removal"}),
		(2, {"deputy_removal", "principal_resignation"}),
		(3, {"deputy_removal", "principal_resignation"}),
		(9, {"deputy_removal", "principal_resignation"}),
	):
		codes = {c.code for c in annual_consequences("A", order, {"U3": before})["U3"]}
		assert codes & {"deputy_removal", "principal_resignation"} == expected, before


def test_a_class_of_one_ranked_unit_has_no_last_place():
	(alone,) = quarter_scores([QuarterInput("U1", [40])])
	assert (alone.rank, alone.is_last, last_units([alone])) == (1, False, set())
	results, order = evaluate({q: {"U1": [40]} for q in (1, 2, 3, 4)})
	assert order == ["U1"] and results["U1"].final_position == 1
	codes = [c.code for c in annual_consequences("A", order, {"U1": 5})["U1"]]
	assert not {"bonus_deduction", "deputy_removal", "principal_resignation"} & set(codes)


# ---------------------------------------------------------------------------------------------
# Property: the app's pure path equals an exact computation from RULES §7/§8


def _exact(value) -> Fraction:
	return Fraction(str(value))


def _half_up2(value: Fraction) -> Fraction:
	"""RULES §7/§8: compared at 2 decimals, ROUND_HALF_UP (scores are ≥ 0)."""
	return Fraction(math.floor(value * 100 + Fraction(1, 2)), 100)


def _mean(values):
	return sum(values, Fraction(0)) / len(values)


def reference_year(units, year, votes, namings):
	"""{(q, unit): exact quarter score, None where the class was not ranked}, {unit: exact annual score
	or None}, {unit: cases}, final order; from the rules, nothing shared with the module."""
	quarter_score, quarter_cases, ranked = {}, {}, {}
	for q, scores in year.items():
		sat = {}
		for u in units:
			v = votes.get((q, u))
			if v is not None and v.total:
				sat[u] = Fraction(
					100 * (5 * v.satisfied + 4 * v.fairly_satisfied + 3 * v.basically_satisfied), 5 * v.total
				)
		voted = list(sat.values())
		computed = {}
		for u in units:
			quarter_cases[q, u] = len(scores[u])
			if not scores[u]:
				continue
			slip_avg = _mean([_exact(s) for s in scores[u]])
			own = sat.get(u, _mean(voted) if voted else None)
			# no vote in the whole class: the slip average alone (the app's §7 [decision])
			computed[u] = slip_avg if own is None else Fraction(7, 10) * slip_avg + Fraction(3, 10) * own
		ranked[q] = bool(computed)
		for u in units:
			quarter_score[q, u] = computed.get(u, _mean(list(computed.values())) if computed else None)
	cases = {u: sum(quarter_cases[q, u] for q in year) for u in units}
	avg = Fraction(sum(cases.values()), len(units))
	annual = {}
	for u in units:
		if not cases[u]:
			continue
		base = _mean([quarter_score[q, u] for q in year if ranked[q]])
		uplift = min(5, math.floor(10 * (cases[u] - avg) / avg)) if cases[u] > avg > 0 else 0
		annual[u] = base * (1 + Fraction(uplift, 100))
	if not annual:
		return quarter_score, dict.fromkeys(units), cases, []
	class_mean = _mean(list(annual.values()))
	annual = {u: annual.get(u, class_mean) for u in units}
	order = sorted(units, key=lambda u: (-_half_up2(annual[u]), -cases[u], units.index(u)))
	for i in range(len(order) - 2, -1, -1):  # §8 penalty, from the bottom position upwards
		if namings.get(order[i], 0) >= 3 and namings.get(order[i + 1], 0) < 3:
			order[i], order[i + 1] = order[i + 1], order[i]
	return quarter_score, annual, cases, order


SLIP = st.one_of(
	st.integers(0, 1000).map(lambda n: Decimal(n).scaleb(-1)),
	st.integers(0, 10000).map(lambda n: Decimal(n).scaleb(-2)),
)
VOTES = st.one_of(st.none(), st.builds(VoteCounts, *(st.integers(0, 12) for _ in range(4))))


@st.composite
def years(draw):
	units = [f"U{i}" for i in range(draw(st.integers(1, 5)))]
	year = {q: {u: draw(st.lists(SLIP, max_size=6)) for u in units} for q in (1, 2, 3, 4)}
	votes = {(q, u): draw(VOTES) for q in year for u in units}
	namings = {u: draw(st.integers(0, 4)) for u in units}
	return units, year, votes, namings


def _issue_case():
	year = {
		1: {"A1": ["80", "80", "80.1"], "A2": A2_QUARTER},
		2: {"A1": ["80", "80", "80.1"], "A2": A2_QUARTER},
		3: {"A1": ["81", "81", "80.8"], "A2": A2_QUARTER},
		4: {"A1": ["80", "80", "80", "80", "80.1"], "A2": A2_QUARTER},
	}
	year = {q: {u: [Decimal(str(s)) for s in v] for u, v in units.items()} for q, units in year.items()}
	return ["A1", "A2"], year, {}, {}


@settings(max_examples=150, deadline=None)
@given(years())
@example(_issue_case())
def test_annual_path_equals_exact_computation(case):
	units, year, votes, namings = case
	quarter, expected, cases, order = reference_year(units, year, votes, namings)
	given_votes = {k: v for k, v in votes.items() if v is not None}
	# the quarter scores enter the annual arithmetic exactly, as the rules compute them
	for inp in annual_inputs(year, given_votes, namings):
		assert inp.quarter_scores == {q: quarter[q, inp.unit] for q in year}, inp.unit
	results, final = evaluate(year, given_votes, namings)
	assert final == order
	for u in units:
		r = results[u]
		assert r.cases == cases[u]
		if expected[u] is None:
			assert r.annual_score is None and r.annual_score_rounded is None
			continue
		assert Fraction(r.annual_score_rounded) == _half_up2(expected[u]), u
		# the shown full value is the exact one, to half a unit of its 10th decimal at most
		assert abs(Fraction(r.annual_score) - expected[u]) <= Fraction(1, 2 * 10**10), u
