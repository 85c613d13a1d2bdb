"""§7 quarter scores from slip-score totals (count and exact sum), as the evaluation reads them at
district and province scale (issue #10): the same results as from the list of slip scores."""

from decimal import Decimal

import pytest

from whistle_app.rules.scoring import QuarterInput, ScoreError, VoteCounts, quarter_scores

E1_VOTES = VoteCounts(satisfied=30, fairly_satisfied=10, basically_satisfied=5, dissatisfied=5)
CLASS = {
	"U1": [90, 80, 85],
	"U2": [88.5, 91.25],
	"U3": [],
	"U4": [60, 70.1, 99.99, 100],
}
VOTES = {"U1": E1_VOTES, "U2": VoteCounts(satisfied=3), "U3": E1_VOTES, "U4": VoteCounts()}


def comparable(results):
	"""Every field but the per-slip list (which a totals input does not carry)."""
	return [{k: v for k, v in vars(r).items() if k != "slip_scores"} for r in results]


def test_totals_give_the_same_results_as_the_slip_scores():
	from_lists = quarter_scores([QuarterInput(u, s, VOTES[u]) for u, s in CLASS.items()])
	from_totals = quarter_scores(
		[
			QuarterInput(u, votes=VOTES[u], slip_count=len(s), slip_sum=sum(Decimal(str(x)) for x in s))
			for u, s in CLASS.items()
		]
	)
	assert comparable(from_totals) == comparable(from_lists)
	assert [r.slip_scores for r in from_totals] == [(), (), (), ()]
	e2 = next(r for r in from_totals if r.unit == "U1")
	assert (e2.cases, e2.slip_sum, e2.slip_avg) == (3, 255, 85)


def test_totals_are_checked():
	with pytest.raises(ScoreError) as e:
		quarter_scores([QuarterInput("U1", slip_count=2, slip_sum=Decimal("200.01"))])
	assert e.value.code == "out_of_range"
	with pytest.raises(ScoreError) as e:
		quarter_scores([QuarterInput("U1", slip_count=-1, slip_sum=0)])
	assert e.value.code == "not_a_number"
	(empty,) = quarter_scores([QuarterInput("U1", slip_count=0, slip_sum=None)])
	assert (empty.cases, empty.slip_avg, empty.class_ranked) == (0, None, False)
