"""Unit tests of whistle_app.rules.scoring (RULES §5, §7, §8, §9 and the worked examples of §11)."""

import datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from whistle_app.rules.scoring import (
	BASELINE_CLASS,
	BASELINE_EXTERNAL,
	LEAD_TEMPLATE,
	PARK_TEMPLATE,
	SATISFACTION_FROM_CLASS_MEAN,
	SATISFACTION_FROM_VOTES,
	SATISFACTION_NONE,
	AnnualInput,
	QuarterInput,
	ScoreError,
	VoteCounts,
	annual_consequences,
	annual_scores,
	apply_bulletin_penalty,
	average_cases,
	comment_required,
	fill_missing_satisfaction,
	is_penalised,
	last_units,
	next_quarter,
	previous_quarter,
	quarter_bounds,
	quarter_of,
	quarter_scores,
	rating_total,
	round2,
	satisfaction,
	slip_score,
	snail_candidates,
	template_is_valid,
	uplift_percent,
)

E1_VOTES = VoteCounts(satisfied=30, fairly_satisfied=10, basically_satisfied=5, dissatisfied=5)


def by_unit(results):
	return {r.unit: r for r in results}


def plain(unit, *scores):
	"""A quarter input with slip scores and no votes (the quarter score is then the slip average)."""
	return QuarterInput(unit, scores)


# ---------------------------------------------------------------------------------------------
# §11 worked examples


def test_e1_satisfaction():
	assert satisfaction(E1_VOTES) == Decimal("82.00")
	assert round2(satisfaction(E1_VOTES)) == Decimal("82.00")


def test_e2_quarter_score():
	(result,) = quarter_scores([QuarterInput("D", [90, 80, 85], E1_VOTES)])
	assert result.cases == 3
	assert result.slip_sum == 255
	assert result.slip_avg == 85
	assert result.satisfaction == 82
	assert result.satisfaction_source == SATISFACTION_FROM_VOTES
	assert result.quarter_score == Decimal("84.10")
	assert str(result.quarter_score_rounded) == "84.10"
	assert result.rank == 1
	assert not result.is_last
	assert not result.substituted


def test_e3_co_department_slip_score():
	assert slip_score(80, 90, True) == Decimal("83.00")
	assert slip_score(80, 90, False) == 80
	assert slip_score(80, None, False) == 80


def test_e4_uplift_and_annual_score():
	assert average_cases([10, 20, 30, 0]) == 15
	assert uplift_percent(20, 15) == 3
	results = by_unit(
		annual_scores(
			[
				AnnualInput("U10", {1: 80}, {1: 10}),
				AnnualInput("U20", {1: 85}, {1: 20}),
				AnnualInput("U30", {1: 90}, {1: 30}),
				AnnualInput("U0", {1: Decimal("85")}, {1: 0}),
			]
		)
	)
	u20 = results["U20"]
	assert u20.base == 85
	assert u20.avg_cases == 15
	assert u20.baseline == BASELINE_CLASS
	assert u20.uplift_percent == 3
	assert u20.annual_score == Decimal("87.55")
	assert results["U30"].uplift_percent == 5
	assert results["U30"].annual_score == Decimal("94.5")
	assert results["U10"].uplift_percent == 0
	assert results["U10"].annual_score == 80
	# A unit without cases gets the mean annual score of the units with cases.
	u0 = results["U0"]
	assert u0.substituted
	assert u0.class_average == Decimal("87.35")
	assert u0.annual_score == Decimal("87.35")
	assert [r.unit for r in sorted(results.values(), key=lambda r: r.final_position)] == [
		"U30",
		"U20",
		"U0",
		"U10",
	]


def test_e5_uplift_capped():
	assert uplift_percent(30, 15) == 5


def test_e6_uplift_exact():
	assert uplift_percent(11, 10) == 1
	assert uplift_percent(11, Decimal("10")) == 1
	assert uplift_percent(11, 10.0) == 1
	assert uplift_percent(11, average_cases([11, 9])) == 1


def test_e7_bulletin_penalty():
	assert apply_bulletin_penalty(["A", "B", "C", "D"], {"B", "D"}) == ["A", "C", "B", "D"]
	results = annual_scores(
		[
			AnnualInput("A", {1: 95}, {1: 5}),
			AnnualInput("B", {1: 90}, {1: 5}, namings=3),
			AnnualInput("C", {1: 88}, {1: 5}),
			AnnualInput("D", {1: 80}, {1: 5}, namings=4),
		]
	)
	assert [r.unit for r in results] == ["A", "C", "B", "D"]
	assert [(r.unit, r.position, r.final_position, r.penalised) for r in results] == [
		("A", 1, 1, False),
		("C", 3, 2, False),
		("B", 2, 3, True),
		("D", 4, 4, True),
	]


def test_e8_penalised_block_on_top():
	assert apply_bulletin_penalty(["P1", "P2", "N"], {"P1", "P2"}) == ["N", "P1", "P2"]


def test_e9_snail_award():
	last = {(2026, 3): {"X"}, (2026, 4): {"A-unit"}, (2027, 1): {"A-unit"}}
	assert snail_candidates(last, 2027, 1) == {"A-unit"}
	assert snail_candidates(last, 2026, 4) == set()
	assert snail_candidates(last, 2027, 2) == set()


# ---------------------------------------------------------------------------------------------
# §5 ratings


def test_default_templates_are_valid():
	assert template_is_valid(PARK_TEMPLATE)
	assert template_is_valid(LEAD_TEMPLATE)


@pytest.mark.parametrize(
	"maxima",
	[
		{},
		{"a": 50, "b": 49},
		{"a": 50, "b": 51},
		{"a": 100, "b": 0},
		{"a": 110, "b": -10},
		{"a": 50.0, "b": 50},
		{"a": True, "b": 99},
	],
)
def test_invalid_templates(maxima):
	assert not template_is_valid(maxima)
	with pytest.raises(ScoreError) as error:
		rating_total(dict.fromkeys(maxima, 0), maxima)
	assert error.value.code == "invalid_template"


def test_rating_total():
	assert rating_total({"响应速度": 20, "服务态度": 15, "办理效率": 30, "办理成效": 25}, PARK_TEMPLATE) == 90
	assert rating_total(dict.fromkeys(LEAD_TEMPLATE, 0), LEAD_TEMPLATE) == 0
	assert rating_total(dict(LEAD_TEMPLATE), LEAD_TEMPLATE) == 100
	assert (
		rating_total({"响应速度": 20.0, "服务态度": 20, "办理效率": 30, "办理成效": 30}, PARK_TEMPLATE) == 100
	)


@pytest.mark.parametrize(
	("value", "code"),
	[(21, "out_of_range"), (-1, "out_of_range"), (19.5, "not_whole"), (Decimal("0.5"), "not_whole")],
)
def test_rating_criterion_errors(value, code):
	scores = {"响应速度": value, "服务态度": 20, "办理效率": 30, "办理成效": 30}
	with pytest.raises(ScoreError) as error:
		rating_total(scores, PARK_TEMPLATE)
	assert error.value.code == code
	assert isinstance(error.value, ValueError)


@pytest.mark.parametrize("value", ["20", None, True])
def test_rating_criterion_not_a_number(value):
	with pytest.raises(ScoreError):
		rating_total({"响应速度": value, "服务态度": 20, "办理效率": 30, "办理成效": 30}, PARK_TEMPLATE)


def test_rating_missing_and_unknown_criteria():
	with pytest.raises(ScoreError) as error:
		rating_total({"响应速度": 20}, PARK_TEMPLATE)
	assert error.value.code == "missing_criteria"
	with pytest.raises(ScoreError) as error:
		rating_total({**PARK_TEMPLATE, "额外": 1}, PARK_TEMPLATE)
	assert error.value.code == "unknown_criteria"


def test_comment_required_below_60():
	assert comment_required(59)
	assert comment_required(Decimal("59.99"))
	assert not comment_required(60)
	assert not comment_required(100)
	assert comment_required(0)


def test_slip_score_errors():
	with pytest.raises(ScoreError):
		slip_score(80, None, True)
	with pytest.raises(ScoreError):
		slip_score(101, None, False)
	with pytest.raises(ScoreError):
		slip_score(80, -1, True)


def test_slip_score_exact_with_floats_and_fractions():
	assert slip_score(81, 93, True) == Decimal("84.6")
	assert slip_score(80.5, 90.5, True) == Decimal("83.5")
	assert slip_score(Fraction(1, 3), 0, False) == Decimal("0.3333333333")


# ---------------------------------------------------------------------------------------------
# §7 satisfaction


def test_satisfaction_edge_cases():
	assert satisfaction(VoteCounts()) is None
	assert satisfaction(VoteCounts(satisfied=1)) == 100
	assert satisfaction(VoteCounts(dissatisfied=3)) == 0
	assert satisfaction(VoteCounts(fairly_satisfied=1, basically_satisfied=1)) == 70
	assert satisfaction(VoteCounts(satisfied=1, dissatisfied=2)) == Decimal("33.3333333333")


@pytest.mark.parametrize("bad", [-1, 1.5, True, "3"])
def test_vote_counts_validated(bad):
	with pytest.raises(ScoreError):
		VoteCounts(satisfied=bad)


def test_fill_missing_satisfaction():
	filled = fill_missing_satisfaction(
		{"U1": E1_VOTES, "U2": VoteCounts(satisfied=4), "U3": VoteCounts(), "U4": VoteCounts(dissatisfied=1)}
	)
	assert filled["U1"].value == 82
	assert filled["U1"].source == SATISFACTION_FROM_VOTES
	# Unweighted mean of the units with votes: (82 + 100 + 0) / 3.
	assert filled["U3"].value == Decimal("60.6666666667")
	assert filled["U3"].source == SATISFACTION_FROM_CLASS_MEAN
	assert filled["U4"].value == 0


def test_fill_missing_satisfaction_no_votes_in_class():
	filled = fill_missing_satisfaction({"U1": VoteCounts(), "U2": VoteCounts()})
	assert all(s.value is None and s.source == SATISFACTION_NONE for s in filled.values())


# ---------------------------------------------------------------------------------------------
# §7 quarter scores and ranks


def test_unit_with_cases_but_no_votes_gets_class_mean_satisfaction():
	results = by_unit(
		quarter_scores(
			[
				QuarterInput("U1", [80], E1_VOTES),
				QuarterInput("U2", [80], VoteCounts(satisfied=10)),
				QuarterInput("U3", [70]),
			]
		)
	)
	u3 = results["U3"]
	assert u3.vote_total == 0
	assert u3.satisfaction == 91
	assert u3.satisfaction_source == SATISFACTION_FROM_CLASS_MEAN
	assert u3.quarter_score == Decimal("76.3")
	assert u3.rank == 3
	assert u3.is_last


def test_no_votes_in_class_uses_slip_average_alone():
	results = by_unit(quarter_scores([plain("U1", 90, 81), plain("U2", 80)]))
	assert results["U1"].satisfaction is None
	assert results["U1"].satisfaction_source == SATISFACTION_NONE
	assert results["U1"].quarter_score == Decimal("85.5")
	assert results["U2"].quarter_score == 80


def test_unit_without_cases_gets_class_average_and_is_marked():
	results = quarter_scores([plain("U1", 90), plain("U2", 80), QuarterInput("U3", [], E1_VOTES)])
	assert [(r.unit, r.rank, r.is_last) for r in results] == [
		("U1", 1, False),
		("U3", 2, False),
		("U2", 3, True),
	]
	rows = by_unit(results)
	u3 = rows["U3"]
	assert u3.substituted
	assert u3.cases == 0
	assert u3.slip_avg is None
	assert u3.computed_score is None
	assert u3.satisfaction == 82
	# U3's votes are the only votes of the class, so U1 and U2 get satisfaction 82 as the class mean:
	# U1 = 0.7 × 90 + 0.3 × 82 = 87.6, U2 = 0.7 × 80 + 0.3 × 82 = 80.6, class average 84.1.
	assert rows["U1"].satisfaction_source == SATISFACTION_FROM_CLASS_MEAN
	assert rows["U1"].quarter_score == Decimal("87.6")
	assert rows["U2"].quarter_score == Decimal("80.6")
	assert u3.class_average == Decimal("84.1")
	assert u3.units_with_cases == 2
	assert u3.quarter_score == Decimal("84.1")
	assert not rows["U1"].substituted


def test_class_where_nobody_has_cases_is_unranked():
	results = quarter_scores([QuarterInput("U1", [], E1_VOTES), plain("U2"), plain("U3")])
	assert [r.unit for r in results] == ["U1", "U2", "U3"]
	for r in results:
		assert not r.class_ranked
		assert r.rank is None
		assert r.quarter_score is None
		assert r.quarter_score_rounded is None
		assert not r.substituted
		assert not r.is_last
	assert last_units(results) == set()


def test_class_tied_entirely_is_all_last():
	"""§7 read literally: every unit holds the largest rank number (1), so every unit is last."""
	results = quarter_scores([plain("U1", 90), plain("U2", 90)])
	assert [(r.unit, r.rank, r.is_last) for r in results] == [("U1", 1, True), ("U2", 1, True)]


def test_tie_at_the_top():
	results = quarter_scores([plain("U1", 90), plain("U2", 90), plain("U3", 80)])
	assert [(r.unit, r.rank, r.is_last) for r in results] == [
		("U1", 1, False),
		("U2", 1, False),
		("U3", 3, True),
	]


def test_tie_in_the_middle_skips_the_next_rank():
	results = quarter_scores([plain("U1", 90), plain("U4", 80), plain("U2", 85), plain("U3", 85)])
	assert [(r.unit, r.rank) for r in results] == [("U1", 1), ("U2", 2), ("U3", 2), ("U4", 4)]
	assert last_units(results) == {"U4"}


def test_tie_at_the_bottom_makes_all_tied_units_last():
	results = quarter_scores([plain("U1", 90), plain("U2", 80), plain("U3", 80)])
	assert [(r.unit, r.rank) for r in results] == [("U1", 1), ("U2", 2), ("U3", 2)]
	assert last_units(results) == {"U2", "U3"}


def test_ties_compare_two_decimals_half_up():
	results = by_unit(
		quarter_scores(
			[
				plain("A", Decimal("84.104")),
				plain("B", Decimal("84.096")),
				plain("C", Decimal("84.105")),
				plain("D", Decimal("84.1049")),
			]
		)
	)
	assert results["C"].quarter_score_rounded == Decimal("84.11")
	assert results["C"].rank == 1
	assert {results[u].rank for u in "ABD"} == {2}
	assert {results[u].quarter_score_rounded for u in "ABD"} == {Decimal("84.10")}
	assert results["A"].quarter_score == Decimal("84.104")


def test_last_place_needs_two_units():
	(alone,) = quarter_scores([plain("U1", 50)])
	assert alone.rank == 1
	assert not alone.is_last
	results = quarter_scores([plain("U1", 70), plain("U2", 70)])
	assert [r.rank for r in results] == [1, 1]
	assert last_units(results) == {"U1", "U2"}


def test_quarter_input_errors():
	with pytest.raises(ScoreError):
		quarter_scores([plain("U1", 101)])
	with pytest.raises(ScoreError):
		quarter_scores([plain("U1", 90), plain("U1", 80)])
	assert quarter_scores([]) == []


# ---------------------------------------------------------------------------------------------
# §8 uplift and annual evaluation


@pytest.mark.parametrize(
	("cases", "avg", "expected"),
	[
		(11, 10, 1),  # exactly 10 % above
		(12, 10, 2),  # 20 %
		(15, 10, 5),  # 50 %
		(16, 10, 5),  # 60 % → capped
		(109, 100, 0),  # 9 %: just below 10 %
		(11, Decimal("10.01"), 0),  # 9.89 %
		(10, 10, 0),  # equal
		(9, 10, 0),  # below
		(5, 0, 0),  # no average
		(0, 0, 0),
		(119, 100, 1),
		(120, 100, 2),
	],
)
def test_uplift_percent(cases, avg, expected):
	assert uplift_percent(cases, avg) == expected


def test_uplift_is_exact_where_floats_are_not():
	# avg = 10/3: 10 × (4 − 10/3) / (10/3) is exactly 2; in floats it is 1.9999999999999996.
	assert uplift_percent(4, average_cases([4, 3, 3])) == 2
	assert uplift_percent(2, average_cases([2, 2, 1])) == 2


def test_annual_base_uses_only_ranked_quarters():
	results = by_unit(
		annual_scores(
			[
				AnnualInput("U1", {1: 80, 2: None, 3: 90, 4: 85}, {1: 2, 2: 0, 3: 1, 4: 0}),
				AnnualInput("U2", {1: 70, 2: None, 3: 60, 4: 65}, {1: 1, 2: 0, 3: 2, 4: 3}),
			]
		)
	)
	u1 = results["U1"]
	assert u1.ranked_quarters == (1, 3, 4)
	assert u1.base == 85
	assert u1.cases == 3
	assert results["U2"].cases == 6
	assert u1.avg_cases == Decimal("4.5")
	assert u1.uplift_percent == 0
	assert results["U2"].uplift_percent == 3  # 10 × 1.5 / 4.5 = 3.33
	assert results["U2"].annual_score == Decimal("66.95")
	assert (u1.final_position, results["U2"].final_position) == (1, 2)


def test_annual_external_baseline():
	(result,) = annual_scores([AnnualInput("U1", {1: 80}, {1: 12})], baseline_avg_cases=Fraction(10))
	assert result.baseline == BASELINE_EXTERNAL
	assert result.avg_cases == 10
	assert result.uplift_percent == 2
	assert result.annual_score == Decimal("81.6")


def test_annual_ties_by_cases_then_display_order():
	results = annual_scores(
		[
			AnnualInput("Few", {1: Decimal("90.004")}, {1: 1}, display_order=1),
			AnnualInput("Many", {1: Decimal("89.996")}, {1: 3}, display_order=3),
			AnnualInput("Late", {1: 90}, {1: 1}, display_order=9),
			AnnualInput("Early", {1: 90}, {1: 1}, display_order=2),
		],
		baseline_avg_cases=100,
	)
	assert [r.unit for r in results] == ["Many", "Few", "Early", "Late"]
	assert [r.position for r in results] == [1, 2, 3, 4]
	assert {r.annual_score_rounded for r in results} == {Decimal("90.00")}


def test_annual_class_without_any_case_is_unranked():
	results = annual_scores([AnnualInput("U1", {1: None}, {1: 0}), AnnualInput("U2", {}, {})])
	assert all(not r.class_ranked and r.position is None and r.final_position is None for r in results)
	assert all(r.annual_score is None and not r.substituted for r in results)


def test_annual_input_errors():
	with pytest.raises(ScoreError):
		annual_scores([AnnualInput("U1", {1: None}, {1: 2})])
	with pytest.raises(ScoreError):
		annual_scores([AnnualInput("U1", {5: 80}, {5: 2})])
	with pytest.raises(ScoreError):
		annual_scores([AnnualInput("U1", {1: 80}, {1: -1})])


def test_is_penalised():
	assert not is_penalised(0)
	assert not is_penalised(2)
	assert is_penalised(3)
	assert is_penalised(7)


@pytest.mark.parametrize(
	("order", "penalised", "expected"),
	[
		(["A", "P1", "P2", "B", "C"], {"P1", "P2"}, ["A", "B", "P1", "P2", "C"]),  # block in the middle
		(["A", "B", "P1", "P2"], {"P1", "P2"}, ["A", "B", "P1", "P2"]),  # block at the bottom
		(["A", "B", "P"], {"P"}, ["A", "B", "P"]),  # already last stays last
		(["P", "A", "B"], {"P"}, ["A", "P", "B"]),
		(["P1", "N", "P2", "M"], {"P1", "P2"}, ["N", "P1", "M", "P2"]),
		(["A", "B"], set(), ["A", "B"]),
		(["A", "B"], {"A", "B"}, ["A", "B"]),
		([], set(), []),
	],
)
def test_bulletin_penalty_cases(order, penalised, expected):
	assert apply_bulletin_penalty(order, penalised) == expected


def test_bulletin_penalty_rejects_duplicates():
	with pytest.raises(ScoreError):
		apply_bulletin_penalty(["A", "A"], set())


# ---------------------------------------------------------------------------------------------
# Quarters and §9


def test_quarter_helpers_across_years():
	assert quarter_of(datetime.date(2026, 12, 31)) == (2026, 4)
	assert quarter_of(datetime.date(2027, 1, 1)) == (2027, 1)
	assert quarter_of(datetime.datetime(2026, 6, 30, 23, 59)) == (2026, 2)
	assert previous_quarter(2027, 1) == (2026, 4)
	assert previous_quarter(2027, 3) == (2027, 2)
	assert next_quarter(2026, 4) == (2027, 1)
	assert quarter_bounds(2026, 4) == (datetime.date(2026, 10, 1), datetime.date(2026, 12, 31))
	assert quarter_bounds(2024, 1) == (datetime.date(2024, 1, 1), datetime.date(2024, 3, 31))
	with pytest.raises(ScoreError):
		previous_quarter(2027, 5)


def test_snail_award_with_a_tie_for_last_place():
	q3 = quarter_scores([plain("U1", 90), plain("X", 70), plain("Y", 70)])
	q4 = quarter_scores([plain("U1", 90), plain("X", 80), plain("Y", 75)])
	q1 = quarter_scores([plain("U1", 60), plain("X", 60), plain("Y", 90)])
	last = {(2026, 3): last_units(q3), (2026, 4): last_units(q4), (2027, 1): last_units(q1)}
	assert last[(2026, 3)] == {"X", "Y"}
	assert snail_candidates(last, 2026, 4) == {"Y"}
	assert last[(2027, 1)] == {"U1", "X"}
	assert snail_candidates(last, 2027, 1) == set()


def test_e9_from_class_a_quarter_results_across_the_year_end():
	"""§11 E9 with the last places computed from a class-A ranking in 2026-Q4 and 2027-Q1."""
	units = [f"A{i:02}" for i in range(1, 15)]

	def quarter(last_score):
		return quarter_scores(
			[plain(u, last_score if u == "A14" else 80 + i % 5) for i, u in enumerate(units)]
		)

	last = {(2026, 4): last_units(quarter(70)), (2027, 1): last_units(quarter(Decimal("79.99")))}
	assert last == {(2026, 4): {"A14"}, (2027, 1): {"A14"}}
	assert snail_candidates(last, 2027, 1) == {"A14"}
	assert snail_candidates(last, 2026, 4) == set()  # 2026-Q3 unknown: not two in a row


def test_snail_award_tie_for_last_place_across_the_year_end():
	"""Q4 → next Q1 counts, and every unit tied for last place in both quarters is proposed."""
	q4 = quarter_scores([plain("U1", 90), plain("X", 70), plain("Y", 70), plain("Z", 80)])
	q1 = quarter_scores([plain("U1", 90), plain("X", 65), plain("Y", 65), plain("Z", 65)])
	last = {(2026, 4): last_units(q4), (2027, 1): last_units(q1)}
	assert last == {(2026, 4): {"X", "Y"}, (2027, 1): {"X", "Y", "Z"}}
	assert snail_candidates(last, 2027, 1) == {"X", "Y"}
	assert snail_candidates(last, 2027, 2) == set()


def test_uplift_boundaries_in_an_annual_class():
	"""Cases 10 %, 20 %, 50 % and 60 % above a class average of exactly 10 (60 cases / 6 units)."""
	results = by_unit(
		annual_scores(
			[
				AnnualInput(name, {1: 80}, {1: cases})
				for name, cases in (("P10", 11), ("P20", 12), ("P50", 15), ("P60", 16), ("L1", 3), ("L2", 3))
			]
		)
	)
	assert {r.avg_cases for r in results.values()} == {10}
	assert [results[u].uplift_percent for u in ("P10", "P20", "P50", "P60", "L1")] == [1, 2, 5, 5, 0]
	assert [results[u].annual_score for u in ("P10", "P20", "P50", "P60")] == [
		Decimal("80.8"),
		Decimal("81.6"),
		Decimal("84"),
		Decimal("84"),
	]
	# equal scores: more cases first (P60 before P50), then the input order
	assert [r.unit for r in sorted(results.values(), key=lambda r: r.final_position)] == [
		"P60",
		"P50",
		"P20",
		"P10",
		"L1",
		"L2",
	]


def test_uplift_just_below_each_boundary():
	assert uplift_percent(Fraction(109, 10), 10) == 0
	assert uplift_percent(Fraction(119, 10), 10) == 1
	assert uplift_percent(Fraction(149, 10), 10) == 4
	assert uplift_percent(Fraction(159, 10), 10) == 5


def test_annual_penalty_blocks_at_the_bottom_and_in_the_middle():
	def order(namings):
		results = annual_scores(
			[AnnualInput(u, {1: 95 - i}, {1: 5}, namings=namings.get(u, 0)) for i, u in enumerate("ABCDE")]
		)
		return [r.unit for r in results]

	assert order({"B": 3, "C": 3}) == ["A", "D", "B", "C", "E"]  # block in the middle
	assert order({"D": 3, "E": 4}) == ["A", "B", "C", "D", "E"]  # block at the bottom stays
	assert order({"C": 2, "D": 2}) == ["A", "B", "C", "D", "E"]  # 2 namings: no penalty


def test_annual_ties_at_the_top_and_the_bottom():
	results = annual_scores(
		[
			AnnualInput("Top1", {1: 90}, {1: 4}, display_order=2),
			AnnualInput("Top2", {1: 90}, {1: 4}, display_order=1),
			AnnualInput("Mid", {1: 85}, {1: 4}),
			AnnualInput("Low1", {1: 70}, {1: 3}),
			AnnualInput("Low2", {1: 70}, {1: 5}),
		],
		baseline_avg_cases=100,
	)
	assert [(r.unit, r.position) for r in results] == [
		("Top2", 1),
		("Top1", 2),
		("Mid", 3),
		("Low2", 4),
		("Low1", 5),
	]


def codes(consequences):
	return [(c.code, c.role) for c in consequences]


def test_annual_consequences_class_a():
	order = [f"A{i:02}" for i in range(1, 15)]
	outcomes = annual_consequences("A", order, {})
	assert set(outcomes) == set(order)
	assert codes(outcomes["A01"]) == [("export_to_performance", None)]
	assert codes(outcomes["A12"]) == [("export_to_performance", None), ("no_first_prize", None)]
	last = outcomes["A14"]
	assert codes(last) == [
		("export_to_performance", None),
		("no_first_prize", None),
		("bonus_deduction", "principal_leader"),
		("bonus_deduction", "deputy_leader"),
		("bonus_deduction", "responsible_person"),
	]
	assert [c.fraction for c in last if c.code == "bonus_deduction"] == [
		Fraction(1, 2),
		Fraction(1, 3),
		Fraction(1, 4),
	]
	assert all(c.description for c in last)


def test_annual_consequences_consecutive_last_years():
	order = ["A1", "A2", "A3", "A4"]
	second = codes(annual_consequences("A", order, {"A4": 1})["A4"])
	assert ("deputy_removal", "deputy_leader") in second
	assert ("principal_resignation", "principal_leader") not in second
	third = codes(annual_consequences("A", order, {"A4": 2})["A4"])
	assert ("deputy_removal", "deputy_leader") in third
	assert ("principal_resignation", "principal_leader") in third
	# A streak only counts for the unit that is last this year.
	assert "deputy_removal" not in [c.code for c in annual_consequences("A", order, {"A1": 5})["A1"]]


def test_annual_consequences_classes_b_and_c():
	order = ["U1", "U2", "U3", "U4", "U5"]
	b = annual_consequences("B", order, {})
	assert [c.code for c in b["U1"]] == ["export_to_performance"]
	assert [c.code for c in b["U3"]] == ["export_to_performance", "no_first_prize", "copy_to_superior"]
	assert [c.code for c in b["U5"]] == ["export_to_performance", "no_first_prize", "copy_to_superior"]
	c = annual_consequences("C", order, {"U5": 3})
	assert c["U1"] == [] and c["U2"] == []
	assert [x.code for x in c["U3"]] == ["copy_to_superior"]
	assert [x.code for x in c["U5"]] == ["copy_to_superior"]


def test_annual_consequences_small_classes():
	two = annual_consequences("A", ["U1", "U2"], {})
	assert [c.code for c in two["U1"]] == ["export_to_performance", "no_first_prize"]
	assert "bonus_deduction" in [c.code for c in two["U2"]]
	one = annual_consequences("A", ["U1"], {"U1": 4})
	assert [c.code for c in one["U1"]] == ["export_to_performance", "no_first_prize"]
	assert annual_consequences("C", [], {}) == {}
	with pytest.raises(ScoreError):
		annual_consequences("D", ["U1"], {})


# ---------------------------------------------------------------------------------------------
# Properties


@given(
	cases=st.integers(min_value=0, max_value=10_000),
	more=st.integers(min_value=0, max_value=1_000),
	avg=st.fractions(min_value=0, max_value=5_000),
)
def test_uplift_is_a_bounded_int_and_monotone(cases, more, avg):
	low = uplift_percent(cases, avg)
	high = uplift_percent(cases + more, avg)
	assert type(low) is int
	assert 0 <= low <= 5
	assert 0 <= high <= 5
	assert low <= high


@given(st.lists(st.tuples(st.integers(0, 10**6), st.booleans()), max_size=12, unique_by=lambda t: t[0]))
def test_penalty_is_a_permutation_moving_penalised_units_down_at_most_one(rows):
	order = [f"U{n}" for n, _ in rows]
	penalised = {f"U{n}" for n, flag in rows if flag}
	result = apply_bulletin_penalty(order, penalised)
	assert sorted(result) == sorted(order)
	for unit in order:
		before, after = order.index(unit), result.index(unit)
		if unit in penalised:
			assert after - before in (0, 1)
		else:
			assert after <= before
	assert [u for u in result if u in penalised] == [u for u in order if u in penalised]


@given(st.decimals(min_value=-1000, max_value=1000, allow_nan=False, allow_infinity=False, places=6))
def test_round2_matches_decimal_half_up(value):
	assert round2(value) == value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@given(st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=8))
def test_quarter_ranks_are_competition_ranks(hundredths):
	units = [plain(f"U{i}", Fraction(h, 100)) for i, h in enumerate(hundredths)]
	results = quarter_scores(units)
	for r in results:
		assert r.rank == 1 + sum(1 for o in results if o.quarter_score_rounded > r.quarter_score_rounded)
	ranks = [r.rank for r in results]
	assert ranks == sorted(ranks)
	assert all(r.is_last == (len(results) >= 2 and r.rank == max(ranks)) for r in results)
