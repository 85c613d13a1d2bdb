"""The office's buttons (evaluate now, finalise) and the daily evaluation job."""

import datetime

import frappe
from frappe import _
from frappe.utils import cint

from whistle_app.access import is_office, requires
from whistle_app.calendar import current_date
from whistle_app.evaluation.annual import evaluate_year, finalise_year
from whistle_app.evaluation.common import (
	ANNUAL,
	DRAFT,
	JOB_ID,
	QUARTERLY,
	SAVEPOINT,
	SURVEY,
	annual_name,
	first_working_day_after,
	quarterly_name,
)
from whistle_app.evaluation.quarterly import evaluate_quarter, finalise_quarter
from whistle_app.jobs import enqueue_long
from whistle_app.rules import scoring
from whistle_app.rules import survey as sv

# --- the office's buttons -----------------------------------------------------------------------------------


def _period(year, quarter) -> tuple[int, int | None]:
	quarter = cint(quarter) if quarter not in (None, "") else None
	return cint(year), (quarter or None)


@frappe.whitelist(methods=["POST"])
@requires(is_office, "Only the Whistle Office evaluates and finalises evaluations.")
def evaluate_now(year: int, quarter: int | None = None) -> str:
	"""The office evaluates an ended quarter (or, without a quarter, an ended year) now: the draft is
	created or recomputed; a final evaluation is returned unchanged. Returns the document's name."""
	year, quarter = _period(year, quarter)
	return evaluate_year(year) if quarter is None else evaluate_quarter(year, quarter)


@frappe.whitelist(methods=["POST"])
@requires(is_office, "Only the Whistle Office evaluates and finalises evaluations.")
def finalise(year: int, quarter: int | None = None) -> str:
	"""The office finalises a quarterly (or, without a quarter, the annual) evaluation."""
	year, quarter = _period(year, quarter)
	return finalise_year(year) if quarter is None else finalise_quarter(year, quarter)


# --- the daily job ---------------------------------------------------------------------------------------------


def run_evaluation_job() -> None:
	"""Scheduler (daily): run ``evaluate_due_periods`` on the long queue, one job at a time."""

	enqueue_long("whistle_app.evaluation.jobs.evaluate_due_periods", JOB_ID)


def quarter_due(year: int, quarter: int, today: datetime.date) -> bool:
	"""Whether the job evaluates the quarter today: a draft is always refreshed; a missing one is
	created from the first working day after the quarter, once its survey is not open."""
	status = frappe.db.get_value(QUARTERLY, quarterly_name(year, quarter), "status")
	if status:
		return status == DRAFT
	if today < first_working_day_after(scoring.quarter_bounds(year, quarter)[1]):
		return False
	return frappe.db.get_value(SURVEY, sv.survey_name(year, quarter), "status") in (None, sv.CLOSED)


def year_due(year: int, today: datetime.date) -> bool:
	"""A draft is always refreshed; a missing one is created from the first working day of the next
	year, once the four quarterly evaluations exist."""
	status = frappe.db.get_value(ANNUAL, annual_name(year), "status")
	if status:
		return status == DRAFT
	if today < first_working_day_after(datetime.date(year, 12, 31)):
		return False
	names = [quarterly_name(year, q) for q in (1, 2, 3, 4)]
	return frappe.db.count(QUARTERLY, {"name": ("in", names)}) == 4


def evaluate_due_periods(commit: bool | None = None) -> dict:
	"""Evaluate what is due today (see the module doc): the last two quarters, then last year.

	Commits per period in production; in tests (``frappe.flags.in_test``) only savepoints. A failing
	period is rolled back, logged and the others go on. Returns what was evaluated and what failed.
	"""
	if commit is None:
		commit = not frappe.flags.in_test
	today = current_date()
	last = scoring.previous_quarter(*scoring.quarter_of(today))
	summary: dict[str, list[str]] = {"evaluated": [], "failed": []}
	periods = [
		("quarter", scoring.previous_quarter(*last)),
		("quarter", last),
		("year", (today.year - 1, None)),
	]
	for kind, (year, quarter) in periods:
		if kind == "quarter" and not quarter_due(year, quarter, today):
			continue
		if kind == "year" and not year_due(year, today):
			continue
		label = quarterly_name(year, quarter) if kind == "quarter" else annual_name(year)
		frappe.db.savepoint(SAVEPOINT)
		try:
			evaluate_quarter(year, quarter) if kind == "quarter" else evaluate_year(year)
		except Exception:
			try:
				frappe.db.rollback(save_point=SAVEPOINT)
			except Exception:  # e.g. a deadlock already rolled the transaction back
				frappe.db.rollback()
			summary["failed"].append(label)
			frappe.log_error(title=_("Evaluation job failed for {0}").format(label))
		else:
			summary["evaluated"].append(label)
		if commit:
			frappe.db.commit()
	return summary
