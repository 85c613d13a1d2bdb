"""RULES §8: annual scores, uplift and the bulletin penalty."""

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from whistle_app.rules.scoring.base import (
	BASELINE_CLASS,
	BASELINE_EXTERNAL,
	MAX_UPLIFT_PERCENT,
	PENALTY_NAMINGS,
	Number,
	ScoreError,
	_check_score,
	_decimal,
	_frac,
	_mean,
	_round_fraction,
	_unique,
	_whole,
)
from whistle_app.rules.scoring.quarter import QuarterResult

# ---------------------------------------------------------------------------------------------
# §8 Annual evaluation


def average_cases(cases: Iterable[int]) -> Fraction:
	"""Mean annual cases over the given units, zeros included (the uplift baseline); 0 for no units."""
	values = [_whole(c, "cases") for c in cases]
	return Fraction(sum(values), len(values)) if values else Fraction(0)


def uplift_percent(cases: int, avg_cases: Number) -> int:
	"""Uplift in whole percent: min(5, floor(10 × (cases − avg) / avg)) when cases > avg > 0, else 0."""
	count = _frac(cases, "cases")
	average = _frac(avg_cases, "avg_cases")
	if not count > average > 0:
		return 0
	return min(MAX_UPLIFT_PERCENT, math.floor(10 * (count - average) / average))


def is_penalised(namings: int) -> bool:
	"""A unit named in ≥ 3 published bulletins in the year drops one position (§8)."""
	return _whole(namings, "namings") >= PENALTY_NAMINGS


def apply_bulletin_penalty(order: Sequence[str], penalised: set[str] | frozenset[str]) -> list[str]:
	"""Drop every penalised unit one position, applied from the bottom position upwards (§8).

	Walking positions from the second-to-last up to the first, the unit currently at a position
	swaps with the unit right below it when it is penalised and that one is not. So [P1, P2, N]:
	P2 ↔ N gives [P1, N, P2], then P1 ↔ N gives [N, P1, P2]; a penalised unit already last stays last.
	"""
	_unique(order, "unit")
	result = list(order)
	for i in range(len(result) - 2, -1, -1):
		if result[i] in penalised and result[i + 1] not in penalised:
			result[i], result[i + 1] = result[i + 1], result[i]
	return result


@dataclass(frozen=True)
class AnnualInput:
	"""One unit of a class in one year.

	``quarter_scores`` maps quarter 1..4 to the unit's quarter score, or None when its class was not
	ranked that quarter (those quarters are left out of the base); ``quarter_cases`` maps quarter to
	cases; ``namings`` = published bulletins naming the unit in the year; ``display_order`` = the
	unit's configured order (the last tie-break; defaults to the input position).
	"""

	unit: str
	quarter_scores: Mapping[int, Number | None]
	quarter_cases: Mapping[int, int]
	namings: int = 0
	display_order: int | None = None


@dataclass(frozen=True)
class AnnualResult:
	"""One unit's annual evaluation with every input of the formula.

	``computed_score`` = base × (1 + uplift / 100); ``annual_score`` is that, or for a unit with no
	cases in the year (``substituted``) ``class_average`` = mean computed_score of units with cases.
	``position`` is the order before the bulletin penalty, ``final_position`` after it.
	"""

	unit: str
	quarter_scores: dict[int, Decimal | None]
	ranked_quarters: tuple[int, ...]
	base: Decimal | None
	quarter_cases: dict[int, int]
	cases: int
	avg_cases: Decimal
	baseline: str
	uplift_percent: int
	computed_score: Decimal | None
	class_average: Decimal | None
	substituted: bool
	annual_score: Decimal | None
	annual_score_rounded: Decimal | None
	display_order: int
	class_ranked: bool
	position: int | None
	namings: int
	penalised: bool
	final_position: int | None


def annual_input(
	unit: str,
	quarters: Mapping[int, QuarterResult | None],
	namings: int = 0,
	display_order: int | None = None,
) -> AnnualInput:
	"""One unit's §8 input from its §7 results of the year (quarter → its result, None when the unit
	was not evaluated that quarter: not ranked, 0 cases).

	A quarter counts in the base when the unit's class was ranked in it, with its EXACT quarter score
	(``quarter_score_exact``; the class average for a unit without cases), never the Decimal shown,
	which is rounded to 10 places when it does not terminate (§8 [decision]: no intermediate rounding).
	"""
	scores: dict[int, Number | None] = {}
	cases: dict[int, int] = {}
	for q, r in quarters.items():
		if r is not None and r.unit != unit:
			raise ScoreError(f"Q{q} result of {r.unit} given for {unit}", "wrong_unit", value=r.unit)
		scores[q] = r.quarter_score_exact if r is not None and r.class_ranked else None
		cases[q] = r.cases if r is not None else 0
	return AnnualInput(unit, scores, cases, namings, display_order)


def _quarter_keys(mapping: Mapping[int, object], unit: str) -> None:
	for quarter in mapping:
		if isinstance(quarter, bool) or quarter not in (1, 2, 3, 4):
			raise ScoreError(
				f"{unit}: quarter must be 1..4, got {quarter!r}", "invalid_quarter", value=quarter
			)


@dataclass(frozen=True)
class _AnnualRow:
	"""One unit's validated annual input (internal)."""

	unit: AnnualInput
	index: int
	quarter_scores: dict[int, Fraction | None]
	quarter_cases: dict[int, int]
	ranked_quarters: tuple[int, ...]
	base: Fraction | None
	cases: int
	display_order: int


def _annual_row(u: AnnualInput, index: int) -> _AnnualRow:
	_quarter_keys(u.quarter_scores, u.unit)
	_quarter_keys(u.quarter_cases, u.unit)
	scores = {
		q: (None if s is None else _check_score(s, f"{u.unit} Q{q} score"))
		for q, s in sorted(u.quarter_scores.items())
	}
	cases = {q: _whole(c, f"{u.unit} Q{q} cases") for q, c in sorted(u.quarter_cases.items())}
	for q, c in cases.items():
		if c < 0:
			raise ScoreError(f"{u.unit}: Q{q} cases must be ≥ 0", "out_of_range", what="cases", value=c)
		if c > 0 and scores.get(q) is None:
			raise ScoreError(
				f"{u.unit} has cases in Q{q} but no quarter score", "missing_quarter_score", quarter=q
			)
	ranked = tuple(q for q, s in scores.items() if s is not None)
	return _AnnualRow(
		unit=u,
		index=index,
		quarter_scores=scores,
		quarter_cases=cases,
		ranked_quarters=ranked,
		base=_mean([scores[q] for q in ranked]) if ranked else None,
		cases=sum(cases.values()),
		display_order=index if u.display_order is None else _whole(u.display_order, "display_order"),
	)


def annual_scores(
	units: Sequence[AnnualInput], baseline_avg_cases: Number | None = None
) -> list[AnnualResult]:
	"""Annual scores, order and bulletin penalty of ONE class in one year (§8).

	base = mean of the unit's quarter scores over the quarters in which its class was ranked;
	cases = sum of quarter cases; avg_cases = mean cases over the class's units (zeros included) or
	``baseline_avg_cases`` when given (the "all assessed units" setting; see ``average_cases``).
	Order: annual_score rounded to 2 decimals desc, then cases desc, then display_order, then
	input position. [decision] If no unit of the class has a case in the year the class gets no
	order (``class_ranked`` False, positions None). Results come ordered by final position.
	"""
	_unique((u.unit for u in units), "unit")
	rows = [_annual_row(u, index) for index, u in enumerate(units)]
	if baseline_avg_cases is None:
		avg = average_cases(row.cases for row in rows)
		baseline = BASELINE_CLASS
	else:
		avg = _frac(baseline_avg_cases, "baseline_avg_cases")
		if avg < 0:
			raise ScoreError("baseline_avg_cases must be ≥ 0", "out_of_range", what="baseline_avg_cases")
		baseline = BASELINE_EXTERNAL

	uplifts = {row.unit.unit: uplift_percent(row.cases, avg) for row in rows}
	computed = {
		row.unit.unit: (row.base * (1 + Fraction(uplifts[row.unit.unit], 100)) if row.cases > 0 else None)
		for row in rows
	}
	with_cases = [value for value in computed.values() if value is not None]
	class_ranked = bool(with_cases)
	class_average = _mean(with_cases) if with_cases else None
	final = {unit: (value if value is not None else class_average) for unit, value in computed.items()}
	rounded = {unit: (None if value is None else _round_fraction(value, 2)) for unit, value in final.items()}

	positions: dict[str, int | None] = dict.fromkeys(computed)
	final_positions: dict[str, int | None] = dict.fromkeys(computed)
	penalised = {u.unit for u in units if is_penalised(u.namings)}
	if class_ranked:
		ordered = sorted(
			rows, key=lambda row: (-rounded[row.unit.unit], -row.cases, row.display_order, row.index)
		)
		order_names = [row.unit.unit for row in ordered]
		positions = {name: i + 1 for i, name in enumerate(order_names)}
		final_positions = {
			name: i + 1 for i, name in enumerate(apply_bulletin_penalty(order_names, penalised))
		}

	results = [
		AnnualResult(
			unit=row.unit.unit,
			quarter_scores={q: _decimal(s) for q, s in row.quarter_scores.items()},
			ranked_quarters=row.ranked_quarters,
			base=_decimal(row.base),
			quarter_cases=row.quarter_cases,
			cases=row.cases,
			avg_cases=_decimal(avg),
			baseline=baseline,
			uplift_percent=uplifts[row.unit.unit],
			computed_score=_decimal(computed[row.unit.unit]),
			class_average=_decimal(class_average),
			substituted=class_ranked and row.cases == 0,
			annual_score=_decimal(final[row.unit.unit]),
			annual_score_rounded=rounded[row.unit.unit],
			display_order=row.display_order,
			class_ranked=class_ranked,
			position=positions[row.unit.unit],
			namings=row.unit.namings,
			penalised=row.unit.unit in penalised,
			final_position=final_positions[row.unit.unit],
		)
		for row in rows
	]
	if class_ranked:
		results.sort(key=lambda r: r.final_position)
	return results
