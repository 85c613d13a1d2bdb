"""Assessment arithmetic of RULES §5 (ratings), §7 (quarter), §8 (year) and §9 (consequences).

Framework-free: plain data in, plain data out, no ``import frappe``. Callers load the data, call
these functions and store or show the results; translate ``ScoreError`` into a user message.

Exactness: every computation runs on ``fractions.Fraction``; results are returned as ``Decimal``
(exact whenever the value has a finite decimal expansion, else rounded half-up to 10 places) plus
an explicit 2-decimal ``*_rounded`` value wherever a comparison uses one. Floats given as input are
read by their shortest decimal form (``0.1`` means 1/10), never by their binary value.

[decision]s taken here where the rules are silent (each is repeated where it applies):

- No intermediate rounding: satisfaction, slip averages and quarter scores enter the next formula
  exactly; only ranking and ordering compare 2-decimal (ROUND_HALF_UP) values.
- The class-mean satisfaction of a zero-vote unit (§7) is the unweighted mean of the satisfaction of
  every unit of the class with votes (units without cases included), not a pooled vote count.
- Satisfaction with no votes in the whole class (§7): the satisfaction component is left out and the
  quarter score is ``slip_avg`` alone (the 70/30 weights renormalised to 100/0).
- Last place (§7) is read literally: in a class of ≥ 2 units all tied at rank 1, every unit is last.
- Annual base (§8) is the mean of the quarter scores the caller passes for quarters in which the
  class was ranked; a class in which no unit had a case in the whole year gets no annual order.
- Bottom three (§9) of a class with fewer than three units is every unit; the A-class "last
  position" consequences need at least two units.
- ``consecutive_last_years`` (§9) counts the years BEFORE the assessed one; this year is added here.
- Consecutive last years (§9) are cumulative: a streak of 2 or more lists the deputy's removal, a
  streak of 3 or more also lists the principal leader's resignation.
"""

import datetime
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

Number = int | float | Decimal | Fraction

MAX_SCORE = 100
COMMENT_BELOW = 60
TEMPLATE_TOTAL = 100

PARK_WEIGHT = Fraction(7, 10)  # §5 co-department: park rating
LEAD_WEIGHT = Fraction(3, 10)  # §5 co-department: lead-department rating
SLIP_WEIGHT = Fraction(7, 10)  # §7 quarter score: slip average
SATISFACTION_WEIGHT = Fraction(3, 10)  # §7 quarter score: enterprise satisfaction
FAIRLY_SATISFIED_WEIGHT = Fraction(4, 5)  # 比较满意
BASICALLY_SATISFIED_WEIGHT = Fraction(3, 5)  # 基本满意

MAX_UPLIFT_PERCENT = 5
PENALTY_NAMINGS = 3
BOTTOM_POSITIONS = 3
CLASS_CODES = ("A", "B", "C")

# §5 default rating templates (criterion → maximum points); editable by the administrator.
PARK_TEMPLATE: Mapping[str, int] = {"响应速度": 20, "服务态度": 20, "办理效率": 30, "办理成效": 30}
LEAD_TEMPLATE: Mapping[str, int] = {"配合主动性": 30, "响应速度": 20, "工作质量": 30, "办理时效": 20}

# Where a unit's satisfaction comes from (§7).
SATISFACTION_FROM_VOTES = "votes"
SATISFACTION_FROM_CLASS_MEAN = "class_mean"
SATISFACTION_NONE = "none"

# Where the avg_cases of the uplift comes from (§8).
BASELINE_CLASS = "class"
BASELINE_EXTERNAL = "external"


class ScoreError(ValueError):
	"""Invalid input to a scoring rule; ``code`` and ``params`` let callers build a translated message."""

	def __init__(self, message: str, code: str = "invalid", **params: object) -> None:
		super().__init__(message)
		self.code = code
		self.params = params


# ---------------------------------------------------------------------------------------------
# Numbers


def _frac(value: Number, what: str = "value") -> Fraction:
	"""Read a number exactly (floats by their shortest decimal form)."""
	if isinstance(value, bool) or not isinstance(value, int | float | Decimal | Fraction):
		raise ScoreError(f"{what} must be a number, got {value!r}", "not_a_number", what=what, value=value)
	if isinstance(value, float):
		if not math.isfinite(value):
			raise ScoreError(f"{what} must be finite, got {value!r}", "not_a_number", what=what, value=value)
		return Fraction(repr(value))
	if isinstance(value, Decimal):
		if not value.is_finite():
			raise ScoreError(f"{what} must be finite, got {value!r}", "not_a_number", what=what, value=value)
	return Fraction(value)


def _round_fraction(value: Fraction, places: int) -> Decimal:
	"""Round half-up (ties away from zero) to ``places`` decimals, exactly."""
	scaled = abs(value) * 10**places
	quotient, remainder = divmod(scaled.numerator, scaled.denominator)
	if 2 * remainder >= scaled.denominator:
		quotient += 1
	sign = "-" if value < 0 and quotient else ""
	return Decimal(f"{sign}{quotient}E-{places}")


def _decimal(value: Fraction | None) -> Decimal | None:
	"""The exact decimal of ``value`` if it terminates, else rounded half-up to 10 places."""
	if value is None:
		return None
	rest = value.denominator
	twos = fives = 0
	while rest % 2 == 0:
		rest //= 2
		twos += 1
	while rest % 5 == 0:
		rest //= 5
		fives += 1
	if rest != 1:
		return _round_fraction(value, 10)
	places = max(twos, fives)
	return Decimal(f"{value.numerator * (10**places // value.denominator)}E-{places}")


def round2(value: Number) -> Decimal:
	"""``value`` rounded to 2 decimals, ROUND_HALF_UP, computed exactly (the comparison key of §7/§8)."""
	return _round_fraction(_frac(value), 2)


def _mean(values: Sequence[Fraction]) -> Fraction:
	return sum(values, Fraction(0)) / len(values)


def _whole(value: Number, what: str) -> int:
	"""A whole number given as int (or an integral float/Decimal/Fraction)."""
	number = _frac(value, what)
	if number.denominator != 1:
		raise ScoreError(f"{what} must be a whole number, got {value!r}", "not_whole", what=what, value=value)
	return int(number)


def _check_score(value: Number, what: str) -> Fraction:
	number = _frac(value, what)
	if not 0 <= number <= MAX_SCORE:
		raise ScoreError(
			f"{what} must be between 0 and {MAX_SCORE}, got {value!r}", "out_of_range", what=what, value=value
		)
	return number


def _unique(names: Iterable[str], what: str) -> None:
	seen: set[str] = set()
	for name in names:
		if name in seen:
			raise ScoreError(f"{what} {name!r} appears more than once", "duplicate", what=what, value=name)
		seen.add(name)


# ---------------------------------------------------------------------------------------------
# §5 Ratings and slip scores


def template_is_valid(maxima: Mapping[str, int]) -> bool:
	"""A rating template is valid when it has criteria, each max a positive int, summing to 100."""
	if not maxima:
		return False
	for maximum in maxima.values():
		if isinstance(maximum, bool) or not isinstance(maximum, int) or maximum <= 0:
			return False
	return sum(maxima.values()) == TEMPLATE_TOTAL


def rating_total(scores: Mapping[str, int], maxima: Mapping[str, int]) -> int:
	"""Total of one rating: every criterion of the template scored with a whole number 0..its max."""
	if not template_is_valid(maxima):
		raise ScoreError(
			"the rating template needs criteria with positive whole maxima summing to 100", "invalid_template"
		)
	missing = unscored_criteria(scores, maxima)
	if missing:
		raise ScoreError(f"criteria not scored: {', '.join(missing)}", "missing_criteria", criteria=missing)
	return partial_rating_total(scores, maxima)


def unscored_criteria(scores: Mapping[str, Number | None], maxima: Mapping[str, int]) -> list[str]:
	"""The criteria of the template that have no score yet (absent or ``None``), in template order."""
	return [criterion for criterion in maxima if scores.get(criterion) is None]


def partial_rating_total(scores: Mapping[str, Number | None], maxima: Mapping[str, int]) -> int:
	"""Total of the criteria scored so far, for a draft rating: ``None`` means not scored yet; every
	given score is checked as in ``rating_total`` (a whole number from 0 to the criterion's max) and a
	criterion outside the template is refused even without a score."""
	if not template_is_valid(maxima):
		raise ScoreError(
			"the rating template needs criteria with positive whole maxima summing to 100", "invalid_template"
		)
	unknown = [criterion for criterion in scores if criterion not in maxima]
	if unknown:
		raise ScoreError(
			f"criteria not in the template: {', '.join(unknown)}", "unknown_criteria", criteria=unknown
		)
	total = 0
	for criterion, maximum in maxima.items():
		if scores.get(criterion) is None:
			continue
		points = _whole(scores[criterion], criterion)
		if not 0 <= points <= maximum:
			raise ScoreError(
				f"{criterion} must be between 0 and {maximum}, got {points}",
				"out_of_range",
				what=criterion,
				value=points,
				maximum=maximum,
			)
		total += points
	return total


def comment_required(total: Number) -> bool:
	"""A rating below 60 needs a comment."""
	return _frac(total, "total") < COMMENT_BELOW


def slip_score(park: Number, lead: Number | None, is_co_department: bool) -> Decimal:
	"""A department's score on a slip: the park's rating, or 0.7 × park + 0.3 × lead for a co-department."""
	park_rating = _check_score(park, "park rating")
	if not is_co_department:
		return _decimal(park_rating)
	if lead is None:
		raise ScoreError("a co-department needs the lead department's rating", "missing_lead_rating")
	lead_rating = _check_score(lead, "lead rating")
	return _decimal(PARK_WEIGHT * park_rating + LEAD_WEIGHT * lead_rating)


# ---------------------------------------------------------------------------------------------
# §7 Satisfaction


@dataclass(frozen=True)
class VoteCounts:
	"""Enterprise satisfaction votes of one unit in one quarter."""

	satisfied: int = 0  # 满意
	fairly_satisfied: int = 0  # 比较满意
	basically_satisfied: int = 0  # 基本满意
	dissatisfied: int = 0  # 不满意

	def __post_init__(self) -> None:
		for name in ("satisfied", "fairly_satisfied", "basically_satisfied", "dissatisfied"):
			count = getattr(self, name)
			if isinstance(count, bool) or not isinstance(count, int) or count < 0:
				raise ScoreError(
					f"vote count {name} must be a whole number ≥ 0, got {count!r}",
					"invalid_votes",
					what=name,
					value=count,
				)

	@property
	def total(self) -> int:
		"""Number of votes."""
		return self.satisfied + self.fairly_satisfied + self.basically_satisfied + self.dissatisfied


@dataclass(frozen=True)
class Satisfaction:
	"""A unit's satisfaction for the quarter and where it comes from (votes, class mean or none)."""

	value: Decimal | None
	source: str


def _satisfaction(votes: VoteCounts) -> Fraction | None:
	if votes.total == 0:
		return None
	weighted = (
		votes.satisfied
		+ FAIRLY_SATISFIED_WEIGHT * votes.fairly_satisfied
		+ BASICALLY_SATISFIED_WEIGHT * votes.basically_satisfied
	)
	return weighted / votes.total * 100


def satisfaction(votes: VoteCounts) -> Decimal | None:
	"""(满意 + 0.8 × 比较满意 + 0.6 × 基本满意) / total × 100; None without votes."""
	return _decimal(_satisfaction(votes))


def _fill_missing(votes_by_unit: Mapping[str, VoteCounts]) -> dict[str, tuple[Fraction | None, str]]:
	own = {unit: _satisfaction(votes) for unit, votes in votes_by_unit.items()}
	voted = [value for value in own.values() if value is not None]
	class_mean = _mean(voted) if voted else None
	filled: dict[str, tuple[Fraction | None, str]] = {}
	for unit, value in own.items():
		if value is not None:
			filled[unit] = (value, SATISFACTION_FROM_VOTES)
		elif class_mean is not None:
			filled[unit] = (class_mean, SATISFACTION_FROM_CLASS_MEAN)
		else:
			filled[unit] = (None, SATISFACTION_NONE)
	return filled


def fill_missing_satisfaction(class_units: Mapping[str, VoteCounts]) -> dict[str, Satisfaction]:
	"""Satisfaction of every unit of one class in one quarter.

	A unit with votes gets its own satisfaction; a unit with zero votes gets the (unweighted) mean
	satisfaction of the class's units that have votes ([decision] of §7). [decision] If no unit of
	the class has votes, every unit's satisfaction is None (source ``"none"``) and the quarter score
	is the slip average alone (see ``quarter_scores``).
	"""
	return {
		unit: Satisfaction(_decimal(value), source)
		for unit, (value, source) in _fill_missing(class_units).items()
	}


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
			)
		)
	if class_ranked:
		results.sort(key=lambda r: r.rank)
	return results


def last_units(results: Iterable[QuarterResult]) -> set[str]:
	"""The units at last place in a class's quarter results (input of ``snail_candidates``)."""
	return {r.unit for r in results if r.is_last}


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


# ---------------------------------------------------------------------------------------------
# Quarters and §9 consequences


def quarter_of(day: datetime.date) -> tuple[int, int]:
	"""(year, quarter 1..4) of a calendar date (take the date in Asia/Shanghai before calling)."""
	return day.year, (day.month - 1) // 3 + 1


def _check_quarter(year: int, quarter: int) -> None:
	if isinstance(quarter, bool) or quarter not in (1, 2, 3, 4):
		raise ScoreError(f"quarter must be 1..4, got {quarter!r}", "invalid_quarter", value=quarter)
	if isinstance(year, bool) or not isinstance(year, int):
		raise ScoreError(f"year must be an int, got {year!r}", "invalid_year", value=year)


def previous_quarter(year: int, quarter: int) -> tuple[int, int]:
	"""The quarter before (Q1's previous is Q4 of the previous year)."""
	_check_quarter(year, quarter)
	return (year - 1, 4) if quarter == 1 else (year, quarter - 1)


def next_quarter(year: int, quarter: int) -> tuple[int, int]:
	"""The quarter after (Q4's next is Q1 of the next year)."""
	_check_quarter(year, quarter)
	return (year + 1, 1) if quarter == 4 else (year, quarter + 1)


def quarter_bounds(year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
	"""First and last calendar day of a quarter."""
	_check_quarter(year, quarter)
	next_year, next_q = next_quarter(year, quarter)
	last = datetime.date(next_year, 3 * next_q - 2, 1) - datetime.timedelta(days=1)
	return datetime.date(year, 3 * quarter - 2, 1), last


def snail_candidates(
	last_by_quarter: Mapping[tuple[int, int], set[str]], year: int, quarter: int
) -> set[str]:
	"""Units proposed for the Snail Award in (year, quarter): last there and in the previous quarter (§9).

	Every unit tied for last place counts as last; Q4 → next Q1 counts as consecutive.
	"""
	current = set(last_by_quarter.get((year, quarter), set()))
	previous = set(last_by_quarter.get(previous_quarter(year, quarter), set()))
	return current & previous


@dataclass(frozen=True)
class Consequence:
	"""One annual outcome for a unit (§9): a machine code, a Chinese description, and for people the
	role it concerns (``principal_leader``, ``deputy_leader``, ``responsible_person``) and the share of
	the annual bonus deducted. The module only lists outcomes; it never acts on people."""

	code: str
	description: str
	role: str | None = None
	fraction: Fraction | None = None


EXPORT_TO_PERFORMANCE = Consequence("export_to_performance", "年度考核结果纳入区级机关部门综合绩效考核")
NO_FIRST_PRIZE = Consequence("no_first_prize", "取消综合绩效考核一等奖评选资格")
BONUS_DEDUCTIONS = (
	Consequence("bonus_deduction", "部门主要负责人扣减1/2年度考核奖", "principal_leader", Fraction(1, 2)),
	Consequence("bonus_deduction", "部门分管负责人扣减1/3年度考核奖", "deputy_leader", Fraction(1, 3)),
	Consequence("bonus_deduction", "部门具体责任人扣减1/4年度考核奖", "responsible_person", Fraction(1, 4)),
)
DEPUTY_REMOVAL = Consequence(
	"deputy_removal", "连续两年考核排名末位，部门分管负责人给予免职", "deputy_leader"
)
PRINCIPAL_RESIGNATION = Consequence(
	"principal_resignation", "连续三年考核排名末位，部门主要负责人引咎辞职", "principal_leader"
)
COPY_TO_SUPERIOR = Consequence("copy_to_superior", "年度考核结果抄送上级部门")


def annual_consequences(
	class_code: str, final_order: Sequence[str], consecutive_last_years: Mapping[str, int]
) -> dict[str, list[Consequence]]:
	"""Annual outcomes per unit of one class from its final order (after the bulletin penalty), §9.

	``consecutive_last_years[unit]`` = the number of consecutive years immediately BEFORE this one in
	which the unit held the last A-class position (0 or absent if it was not last last year); this
	year's last place is added here. [decision] Bottom three of a class with fewer than three units is
	every unit; "last position" needs ≥ 2 units; streaks are cumulative (≥ 2 years → deputy removal,
	≥ 3 years → also principal resignation). Every unit of ``final_order`` is a key (maybe with []).
	"""
	if class_code not in CLASS_CODES:
		raise ScoreError(
			f"class must be one of A, B, C, got {class_code!r}", "invalid_class", value=class_code
		)
	_unique(final_order, "unit")
	bottom = set(final_order[-BOTTOM_POSITIONS:])
	last = final_order[-1] if len(final_order) >= 2 else None
	outcomes: dict[str, list[Consequence]] = {}
	for unit in final_order:
		listed: list[Consequence] = []
		if class_code in ("A", "B"):
			listed.append(EXPORT_TO_PERFORMANCE)
			if unit in bottom:
				listed.append(NO_FIRST_PRIZE)
		if class_code == "A" and unit == last:
			listed.extend(BONUS_DEDUCTIONS)
			streak = 1 + _whole(consecutive_last_years.get(unit, 0), "consecutive_last_years")
			if streak >= 2:
				listed.append(DEPUTY_REMOVAL)
			if streak >= 3:
				listed.append(PRINCIPAL_RESIGNATION)
		if class_code in ("B", "C") and unit in bottom:
			listed.append(COPY_TO_SUPERIOR)
		outcomes[unit] = listed
	return outcomes
