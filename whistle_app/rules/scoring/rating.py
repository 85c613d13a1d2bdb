"""RULES §5: a rating's total, the comment rule and the slip score."""

from collections.abc import Mapping
from decimal import Decimal

from whistle_app.rules.scoring.base import (
	COMMENT_BELOW,
	LEAD_WEIGHT,
	PARK_WEIGHT,
	TEMPLATE_TOTAL,
	Number,
	ScoreError,
	_check_score,
	_decimal,
	_frac,
	_whole,
)

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
