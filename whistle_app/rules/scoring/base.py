"""Scoring constants, the error and exact arithmetic helpers (Fraction in, Decimal out)."""

import math
from collections.abc import Iterable, Mapping, Sequence
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
