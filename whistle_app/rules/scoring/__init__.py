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

from whistle_app.rules.scoring.annual import (
	AnnualInput,
	AnnualResult,
	_annual_row,
	_AnnualRow,
	_quarter_keys,
	annual_input,
	annual_scores,
	apply_bulletin_penalty,
	average_cases,
	is_penalised,
	uplift_percent,
)
from whistle_app.rules.scoring.base import (
	BASELINE_CLASS,
	BASELINE_EXTERNAL,
	BASICALLY_SATISFIED_WEIGHT,
	BOTTOM_POSITIONS,
	CLASS_CODES,
	COMMENT_BELOW,
	FAIRLY_SATISFIED_WEIGHT,
	LEAD_TEMPLATE,
	LEAD_WEIGHT,
	MAX_SCORE,
	MAX_UPLIFT_PERCENT,
	PARK_TEMPLATE,
	PARK_WEIGHT,
	PENALTY_NAMINGS,
	SATISFACTION_FROM_CLASS_MEAN,
	SATISFACTION_FROM_VOTES,
	SATISFACTION_NONE,
	SATISFACTION_WEIGHT,
	SLIP_WEIGHT,
	TEMPLATE_TOTAL,
	ScoreError,
	_check_score,
	_decimal,
	_frac,
	_mean,
	_round_fraction,
	_unique,
	_whole,
	round2,
)
from whistle_app.rules.scoring.consequences import (
	BONUS_DEDUCTIONS,
	COPY_TO_SUPERIOR,
	DEPUTY_REMOVAL,
	EXPORT_TO_PERFORMANCE,
	NO_FIRST_PRIZE,
	PRINCIPAL_RESIGNATION,
	Consequence,
	_check_quarter,
	annual_consequences,
	next_quarter,
	previous_quarter,
	quarter_bounds,
	quarter_of,
	snail_candidates,
)
from whistle_app.rules.scoring.enterprise_satisfaction import (
	Satisfaction,
	VoteCounts,
	_fill_missing,
	_satisfaction,
	fill_missing_satisfaction,
	satisfaction,
)
from whistle_app.rules.scoring.quarter import (
	QuarterInput,
	QuarterResult,
	_ranks,
	_slip_totals,
	last_units,
	quarter_scores,
)
from whistle_app.rules.scoring.rating import (
	comment_required,
	partial_rating_total,
	rating_total,
	slip_score,
	template_is_valid,
	unscored_criteria,
)

__all__ = [
	"BASELINE_CLASS",
	"BASELINE_EXTERNAL",
	"BASICALLY_SATISFIED_WEIGHT",
	"BONUS_DEDUCTIONS",
	"BOTTOM_POSITIONS",
	"CLASS_CODES",
	"COMMENT_BELOW",
	"COPY_TO_SUPERIOR",
	"DEPUTY_REMOVAL",
	"EXPORT_TO_PERFORMANCE",
	"FAIRLY_SATISFIED_WEIGHT",
	"LEAD_TEMPLATE",
	"LEAD_WEIGHT",
	"MAX_SCORE",
	"MAX_UPLIFT_PERCENT",
	"NO_FIRST_PRIZE",
	"PARK_TEMPLATE",
	"PARK_WEIGHT",
	"PENALTY_NAMINGS",
	"PRINCIPAL_RESIGNATION",
	"SATISFACTION_FROM_CLASS_MEAN",
	"SATISFACTION_FROM_VOTES",
	"SATISFACTION_NONE",
	"SATISFACTION_WEIGHT",
	"SLIP_WEIGHT",
	"TEMPLATE_TOTAL",
	"AnnualInput",
	"AnnualResult",
	"Consequence",
	"QuarterInput",
	"QuarterResult",
	"Satisfaction",
	"ScoreError",
	"VoteCounts",
	"_AnnualRow",
	"_annual_row",
	"_check_quarter",
	"_check_score",
	"_decimal",
	"_fill_missing",
	"_frac",
	"_mean",
	"_quarter_keys",
	"_ranks",
	"_round_fraction",
	"_satisfaction",
	"_slip_totals",
	"_unique",
	"_whole",
	"annual_consequences",
	"annual_input",
	"annual_scores",
	"apply_bulletin_penalty",
	"average_cases",
	"comment_required",
	"fill_missing_satisfaction",
	"is_penalised",
	"last_units",
	"next_quarter",
	"partial_rating_total",
	"previous_quarter",
	"quarter_bounds",
	"quarter_of",
	"quarter_scores",
	"rating_total",
	"round2",
	"satisfaction",
	"slip_score",
	"snail_candidates",
	"template_is_valid",
	"unscored_criteria",
	"uplift_percent",
]
