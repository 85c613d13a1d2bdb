"""RULES §7: enterprise satisfaction from votes, and the class mean where a unit has none."""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from whistle_app.rules.scoring.base import (
	BASICALLY_SATISFIED_WEIGHT,
	FAIRLY_SATISFIED_WEIGHT,
	SATISFACTION_FROM_CLASS_MEAN,
	SATISFACTION_FROM_VOTES,
	SATISFACTION_NONE,
	ScoreError,
	_decimal,
	_mean,
)

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
