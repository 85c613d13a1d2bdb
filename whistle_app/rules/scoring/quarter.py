"""RULES §7: quarter scores, ranks and last places."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from whistle_app.rules.scoring.base import (
	MAX_SCORE,
	SATISFACTION_WEIGHT,
	SLIP_WEIGHT,
	Number,
	ScoreError,
	_check_score,
	_decimal,
	_frac,
	_mean,
	_round_fraction,
	_unique,
)
from whistle_app.rules.scoring.enterprise_satisfaction import VoteCounts, _fill_missing

# ---------------------------------------------------------------------------------------------
# §7 Quarterly evaluation


@dataclass(frozen=True)
class QuarterInput:
	"""One unit of a class in one quarter: its slip scores (exempted/excluded slips left out) and votes."""

	unit: str
	slip_scores: Sequence[Number] = ()
	votes: VoteCounts = field(default_factory=VoteCounts)
	# The same slip scores given as their count and exact sum (a grouped query at district or province
	# scale, issue #10); when ``slip_count`` is set, ``slip_scores`` is ignored and the result lists none.
	slip_count: int | None = None
	slip_sum: Number | None = None


def _slip_totals(u: QuarterInput) -> tuple[list[Fraction], int, Fraction]:
	"""(the checked scores, their count, their sum) of one unit's input, list or totals."""
	what = f"slip score of {u.unit}"
	if u.slip_count is None:
		scores = [_check_score(s, what) for s in u.slip_scores]
		return scores, len(scores), sum(scores, Fraction(0))
	count = u.slip_count
	if isinstance(count, bool) or not isinstance(count, int) or count < 0:
		raise ScoreError(
			f"slip count of {u.unit} must be a whole number, got {count!r}", "not_a_number", what=what
		)
	total = _frac(u.slip_sum if count else 0, f"slip score sum of {u.unit}")
	if not 0 <= total <= MAX_SCORE * count:
		raise ScoreError(
			f"{what}s must be between 0 and {MAX_SCORE}, got a sum of {u.slip_sum!r} over {count}",
			"out_of_range",
			what=what,
			value=u.slip_sum,
		)
	return [], count, total


@dataclass(frozen=True)
class QuarterResult:
	"""One unit's quarter evaluation with every input of the formula, so it can be checked by hand.

	``computed_score`` = 0.7 × slip_avg + 0.3 × satisfaction (slip_avg alone when satisfaction is
	None), None with no cases; ``quarter_score`` is ``computed_score`` or, for a unit with no cases
	(``substituted``), ``class_average`` = mean computed_score of the class's units with cases.
	The Decimal fields are for storing and showing (exact when the decimal terminates, else 10
	places); ``quarter_score_exact`` is the same score as an exact Fraction: what the annual
	evaluation takes (§8 [decision]: no intermediate rounding).
	"""

	unit: str
	slip_scores: tuple[Decimal, ...]
	cases: int
	slip_sum: Decimal
	slip_avg: Decimal | None
	votes: VoteCounts
	vote_total: int
	satisfaction: Decimal | None
	satisfaction_source: str
	computed_score: Decimal | None
	class_average: Decimal | None
	units_with_cases: int
	substituted: bool
	quarter_score: Decimal | None
	quarter_score_rounded: Decimal | None
	class_ranked: bool
	class_size: int
	rank: int | None
	is_last: bool
	quarter_score_exact: Fraction | None


def _ranks(keys: Sequence[Decimal]) -> list[int]:
	"""Competition ranks, highest first: equal keys share a rank and the next rank skips (1, 2, 2, 4)."""
	return [1 + sum(1 for other in keys if other > key) for key in keys]


def quarter_scores(units: Sequence[QuarterInput]) -> list[QuarterResult]:
	"""Quarter scores and ranks of ONE class in ONE quarter (§7).

	Ranks compare scores rounded to 2 decimals; equal scores share a rank and the next skips. Last
	place is every unit holding the largest rank number, in a class with ≥ 2 units (read literally:
	in a class tied entirely at rank 1, every unit is last). If no unit has
	cases the class is unranked: ``class_ranked`` False, ranks and quarter scores None. Results come
	ordered by rank (ties in input order); an unranked class keeps the input order.
	"""
	_unique((u.unit for u in units), "unit")
	satisfactions = _fill_missing({u.unit: u.votes for u in units})
	computed: dict[str, Fraction | None] = {}
	scores: dict[str, list[Fraction]] = {}
	totals: dict[str, tuple[int, Fraction]] = {}
	for u in units:
		scores[u.unit], count, total = _slip_totals(u)
		totals[u.unit] = (count, total)
		sat = satisfactions[u.unit][0]
		if not count:
			computed[u.unit] = None
		elif sat is None:
			computed[u.unit] = total / count
		else:
			computed[u.unit] = SLIP_WEIGHT * (total / count) + SATISFACTION_WEIGHT * sat
	with_cases = [value for value in computed.values() if value is not None]
	class_ranked = bool(with_cases)
	class_average = _mean(with_cases) if with_cases else None
	final = {unit: (value if value is not None else class_average) for unit, value in computed.items()}
	rounded = {unit: (None if value is None else _round_fraction(value, 2)) for unit, value in final.items()}
	ranks: dict[str, int | None] = dict.fromkeys(final)
	if class_ranked:
		names = [u.unit for u in units]
		ranks = dict(zip(names, _ranks([rounded[n] for n in names]), strict=True))
	largest = max((r for r in ranks.values() if r is not None), default=None)
	results = []
	for u in units:
		slip = scores[u.unit]
		count, total = totals[u.unit]
		sat, source = satisfactions[u.unit]
		rank = ranks[u.unit]
		results.append(
			QuarterResult(
				unit=u.unit,
				slip_scores=tuple(_decimal(s) for s in slip),
				cases=count,
				slip_sum=_decimal(total),
				slip_avg=_decimal(total / count) if count else None,
				votes=u.votes,
				vote_total=u.votes.total,
				satisfaction=_decimal(sat),
				satisfaction_source=source,
				computed_score=_decimal(computed[u.unit]),
				class_average=_decimal(class_average),
				units_with_cases=len(with_cases),
				substituted=class_ranked and not count,
				quarter_score=_decimal(final[u.unit]),
				quarter_score_rounded=rounded[u.unit],
				class_ranked=class_ranked,
				class_size=len(units),
				rank=rank,
				is_last=(len(units) >= 2 and rank is not None and rank == largest),
				quarter_score_exact=final[u.unit],
			)
		)
	if class_ranked:
		results.sort(key=lambda r: r.rank)
	return results


def last_units(results: Iterable[QuarterResult]) -> set[str]:
	"""The units at last place in a class's quarter results (input of ``snail_candidates``)."""
	return {r.unit for r in results if r.is_last}
