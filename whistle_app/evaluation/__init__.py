"""Quarterly and annual evaluation on Frappe (RULES §7, §8, §9; issue #8).

The arithmetic is pure (``whistle_app.rules.scoring``). This module gathers its inputs with a few
set-based queries, calls it and stores the result as one document per period, with one row per
assessed unit (an enabled reporting unit with a class) holding every input of the formula, so any row
can be checked by hand:

* ``Quarterly Evaluation`` ``QE-2026-Q1`` (§7): the slip scores of the slips **closed** in the
  quarter (§5 [decision]), only where every rating is in (``rating_complete``) and the slip is not
  excluded from assessment (§3.1; such scores are counted per unit as ``excluded_cases`` and left
  out); the votes of the quarter's **closed** satisfaction survey (``surveys.quarter_votes``).
* ``Annual Evaluation`` ``AE-2026`` (§8): the four quarterly evaluations of the year, recomputed
  exactly from their stored inputs (cases, slip score sum, votes, class; see
  ``stored_quarter_results``), the published bulletin namings of the year
  (``bulletins.published_namings``) and the uplift baseline of Whistle Settings.
* ``Snail Award`` (§9): proposed when a quarterly evaluation is finalised, for every unit at last
  place of its class in that quarter and in the quarter before (Q4 → next Q1 counts), both
  evaluations final; the Efficiency Office confirms or rejects it (a reason is required to reject).

[decision]s:

- **When.** The daily job (``run_evaluation_job``, long queue, one at a time) evaluates a quarter
  from the first working day (§4 calendar) after the quarter ends, as soon as the quarter's
  satisfaction survey is not open any more (closed, or never created); until then it waits. It
  looks at the last two quarters, so a survey closed late in the following quarter is still picked
  up. The year is evaluated from the first working day of the next year, once the four quarterly
  evaluations exist. The office may evaluate any ended period at any time (``evaluate_now``).
- **Draft, then final.** A computed evaluation is a draft: every job run and every "evaluate now"
  recomputes it in place (only if something changed: same inputs, same document, ``modified``
  untouched), so late rating amendments and exclusions are picked up. The office finalises it
  (``finalise``): it is recomputed once more and frozen; a final evaluation is never changed or
  deleted, and re-running returns it unchanged. A quarter can be finalised only once its survey is
  not open; a year only once its four quarters are final.
- **Snail Awards** come from final quarterly evaluations only (so a proposal never has to be
  withdrawn). The evidence bulletins are the published bulletins naming the unit whose month lies
  in one of the two quarters.
- **Units.** A quarterly evaluation covers the units assessed when it is computed (enabled
  reporting units with a class, in their class of that moment). The annual evaluation covers the
  units assessed when it is computed, in their class of that moment; each quarter score keeps the
  class it was computed in, and a quarter in which a unit was not evaluated counts as not ranked
  for it (0 cases).
- **People.** The annual rows keep the unit's accountability chain as it is when the evaluation is
  computed (the job runs in January, i.e. the chain at year end); the consequences report names them.
- **Consecutive last years** (§9, class A) are counted from earlier *final* annual evaluations.
"""

from whistle_app.evaluation.annual import (
	annual_rows,
	compute_year,
	consecutive_last_years,
	evaluate_year,
	finalise_year,
	uplift_baseline,
	year_inputs,
)
from whistle_app.evaluation.common import (
	ANNUAL,
	ANNUAL_ROW,
	AWARDED,
	BASELINE_ALL,
	BASELINE_CLASS,
	BULLETIN,
	CHAIN_FIELDS,
	CONFIRM,
	DEPARTMENT_ROLES,
	DRAFT,
	FINAL,
	JOB_ID,
	MAX_YEAR,
	MIN_YEAR,
	NOT_AWARDED,
	PROPOSED,
	QUARTERLY,
	QUARTERLY_ROW,
	REJECT,
	SAVEPOINT,
	SCORE,
	SETTINGS,
	SNAIL_AWARD,
	SOURCE_OPTIONS,
	SURVEY,
	EvaluationError,
	EvaluationWriteError,
	SnailAwardError,
	_normalised,
	_num,
	_unchanged,
	annual_name,
	check_quarter,
	check_quarter_ended,
	check_year,
	check_year_ended,
	first_working_day_after,
	quarterly_name,
	rounded,
	snail_award_name,
	validate_deletable,
	validate_system_write,
	whistle_number,
	write_evaluation,
)
from whistle_app.evaluation.jobs import (
	_period,
	evaluate_due_periods,
	evaluate_now,
	finalise,
	quarter_due,
	run_evaluation_job,
	year_due,
)
from whistle_app.evaluation.quarterly import (
	QuarterData,
	assessed_units,
	compute_quarter,
	evaluate_quarter,
	finalise_quarter,
	freeze,
	gather_quarter,
	quarter_rows,
	quarter_score_totals,
	quarter_slip_scores,
	stored_quarter_results,
)
from whistle_app.evaluation.report import (
	check_office,
	draft_message,
	report_column,
	visible_rows,
	visible_unit,
)
from whistle_app.evaluation.snail import (
	_final_quarter,
	decide_snail_award,
	evidence_bulletins,
	propose_snail_awards,
)

__all__ = [
	"ANNUAL",
	"ANNUAL_ROW",
	"AWARDED",
	"BASELINE_ALL",
	"BASELINE_CLASS",
	"BULLETIN",
	"CHAIN_FIELDS",
	"CONFIRM",
	"DEPARTMENT_ROLES",
	"DRAFT",
	"FINAL",
	"JOB_ID",
	"MAX_YEAR",
	"MIN_YEAR",
	"NOT_AWARDED",
	"PROPOSED",
	"QUARTERLY",
	"QUARTERLY_ROW",
	"REJECT",
	"SAVEPOINT",
	"SCORE",
	"SETTINGS",
	"SNAIL_AWARD",
	"SOURCE_OPTIONS",
	"SURVEY",
	"EvaluationError",
	"EvaluationWriteError",
	"QuarterData",
	"SnailAwardError",
	"_final_quarter",
	"_normalised",
	"_num",
	"_period",
	"_unchanged",
	"annual_name",
	"annual_rows",
	"assessed_units",
	"check_office",
	"check_quarter",
	"check_quarter_ended",
	"check_year",
	"check_year_ended",
	"compute_quarter",
	"compute_year",
	"consecutive_last_years",
	"decide_snail_award",
	"draft_message",
	"evaluate_due_periods",
	"evaluate_now",
	"evaluate_quarter",
	"evaluate_year",
	"evidence_bulletins",
	"finalise",
	"finalise_quarter",
	"finalise_year",
	"first_working_day_after",
	"freeze",
	"gather_quarter",
	"propose_snail_awards",
	"quarter_due",
	"quarter_rows",
	"quarter_score_totals",
	"quarter_slip_scores",
	"quarterly_name",
	"report_column",
	"rounded",
	"run_evaluation_job",
	"snail_award_name",
	"stored_quarter_results",
	"uplift_baseline",
	"validate_deletable",
	"validate_system_write",
	"visible_rows",
	"visible_unit",
	"whistle_number",
	"write_evaluation",
	"year_due",
	"year_inputs",
]
