"""Evaluation documents: names, periods, constants, errors, writing a period's document and the
controllers' guards (RULES §7, §8; see the package docstring for the [decision]s)."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

import frappe
from frappe import _
from frappe.utils import cint, cstr, flt

from whistle_app import roles
from whistle_app.calendar import current_date, get_work_calendar
from whistle_app.lifecycle import now
from whistle_app.rules import scoring
from whistle_app.rules.workdays import add_working_days

QUARTERLY = "Quarterly Evaluation"
QUARTERLY_ROW = "Quarterly Evaluation Unit"
ANNUAL = "Annual Evaluation"
ANNUAL_ROW = "Annual Evaluation Unit"
SNAIL_AWARD = "Snail Award"
SCORE = "Whistle Slip Score"
SURVEY = "Satisfaction Survey"
BULLETIN = "Supervision Bulletin"
SETTINGS = "Whistle Settings"

DRAFT = "Draft"
FINAL = "Final"

# Snail Award states and the Efficiency Office's two decisions
PROPOSED = "Award Proposed"
AWARDED = "Awarded"
NOT_AWARDED = "Not Awarded"
CONFIRM = "confirm"
REJECT = "reject"

# Uplift baseline (§8 [decision] setting)
BASELINE_CLASS = "Same Class"
BASELINE_ALL = "All Assessed Units"

# where a unit's satisfaction comes from (stored Select values)
SOURCE_OPTIONS = {
	scoring.SATISFACTION_FROM_VOTES: "Votes",
	scoring.SATISFACTION_FROM_CLASS_MEAN: "Class Mean",
	scoring.SATISFACTION_NONE: "No Votes in Class",
}

DEPARTMENT_ROLES = frozenset({roles.DEPARTMENT_LIAISON, roles.DEPARTMENT_LEADER})
CHAIN_FIELDS = ("principal_leader_name", "deputy_leader_name", "division_name", "division_head_name")
JOB_ID = "whistle_app:evaluation_job"
SAVEPOINT = "whistle_evaluation"
MIN_YEAR, MAX_YEAR = 2000, 2999


class EvaluationError(frappe.ValidationError):
	"""A period that cannot be evaluated or finalised (yet)."""


class EvaluationWriteError(frappe.ValidationError):
	"""Evaluations and Snail Awards are written by the system only; final ones never change."""


class SnailAwardError(frappe.ValidationError):
	pass


# --- periods and names -------------------------------------------------------------------------------


def check_year(year: int) -> int:
	if isinstance(year, bool) or not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
		frappe.throw(_("{0} is not a valid year.").format(year), EvaluationError)
	return year


def check_quarter(year: int, quarter: int) -> tuple[int, int]:
	check_year(year)
	if isinstance(quarter, bool) or quarter not in (1, 2, 3, 4):
		frappe.throw(_("{0} Q{1} is not a valid quarter.").format(year, quarter), EvaluationError)
	return year, quarter


def quarterly_name(year: int, quarter: int) -> str:
	"""One quarterly evaluation per quarter: ``QE-2026-Q1``."""
	check_quarter(year, quarter)
	return f"QE-{year}-Q{quarter}"


def annual_name(year: int) -> str:
	"""One annual evaluation per year: ``AE-2026``."""
	check_year(year)
	return f"AE-{year}"


def snail_award_name(year: int, quarter: int, unit: str) -> str:
	"""One Snail Award proposal per unit and quarter: ``SA-2027-Q1-发展和改革委``."""
	return f"SA-{year}-Q{quarter}-{unit}"


def first_working_day_after(day: datetime.date) -> datetime.date:
	"""The first working day (§4 calendar) after ``day``."""
	moment = datetime.datetime.combine(day, datetime.time(12))
	return add_working_days(get_work_calendar(), moment, 1).date()


def check_quarter_ended(year: int, quarter: int) -> None:
	if current_date() <= scoring.quarter_bounds(year, quarter)[1]:
		frappe.throw(
			_("{0} Q{1} has not ended yet; it can be evaluated from {2}.").format(
				year, quarter, scoring.quarter_bounds(year, quarter)[1] + datetime.timedelta(days=1)
			),
			EvaluationError,
		)


def check_year_ended(year: int) -> None:
	if current_date().year <= year:
		frappe.throw(
			_("The year {0} has not ended yet; it can be evaluated from {1}.").format(
				year, datetime.date(year + 1, 1, 1)
			),
			EvaluationError,
		)


def rounded(value, places: int = 2) -> float | None:
	"""A stored number rounded half-up to ``places`` decimals for display and export (None stays None)."""
	if value is None:
		return None
	return float(Decimal(repr(flt(value))).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def whistle_number(value, places: int = 2) -> str:
	"""Print formats (Jinja method): a number rounded half-up to ``places`` decimals."""
	return "" if value is None else f"{rounded(value, places):.{places}f}"


def _num(value) -> float:
	"""A stored number (Frappe keeps 9 decimals); None (not applicable) is stored as 0."""
	return 0.0 if value is None else float(value)


# --- writing a period's document -------------------------------------------------------------------------


def _normalised(meta, values: dict) -> dict:
	out = {}
	for key, value in values.items():
		fieldtype = meta.get_field(key).fieldtype
		if fieldtype in ("Float", "Currency", "Percent"):
			out[key] = round(flt(value), 6)
		elif fieldtype in ("Int", "Check"):
			out[key] = cint(value)
		else:
			out[key] = cstr(value)
	return out


def _unchanged(doc, values: dict, rows: list[dict]) -> bool:
	if _normalised(doc.meta, {k: doc.get(k) for k in values}) != _normalised(doc.meta, values):
		return False
	if len(doc.units) != len(rows):
		return False
	row_meta = frappe.get_meta(doc.meta.get_field("units").options)
	return all(
		_normalised(row_meta, {k: old.get(k) for k in new}) == _normalised(row_meta, new)
		for old, new in zip(doc.units, rows, strict=True)
	)


def write_evaluation(doctype: str, name: str, values: dict, rows: list[dict]) -> str:
	"""Create the draft, or recompute it in place when something changed; a final one is left alone."""
	if frappe.db.exists(doctype, name):
		doc = frappe.get_doc(doctype, name, for_update=True)
		if doc.status == FINAL or _unchanged(doc, values, rows):
			return name
	else:
		doc = frappe.new_doc(doctype)
		doc.status = DRAFT
	doc.update(values)
	doc.set("units", rows)
	doc.evaluated_on = now()
	doc.evaluated_by = frappe.session.user
	doc.flags.evaluation_write = True
	# every link comes from the database just now (units, survey, the quarters): no query per row to
	# check them again (issue #10: the link checks were a third of the evaluation's queries)
	doc.flags.ignore_links = True
	if doc.is_new():
		try:
			doc.insert(ignore_permissions=True)
		except frappe.DuplicateEntryError:  # the job and the office at the same moment: theirs stands
			return name
	else:
		doc.save(ignore_permissions=True)
	return doc.name


# --- controllers' guards --------------------------------------------------------------------------------------


def validate_system_write(doc) -> None:
	"""Evaluation documents and Snail Awards change only through this module; a final evaluation and
	a decided award never change."""
	before = doc.get_doc_before_save()
	if before is not None and before.get("status") in (FINAL, AWARDED, NOT_AWARDED):
		frappe.throw(
			_("{0} {1} is final and cannot be changed.").format(_(doc.doctype), doc.name),
			EvaluationWriteError,
		)
	if not doc.flags.evaluation_write:
		frappe.throw(
			_("{0} is computed by the system; use its buttons (Evaluate Now, Finalise) instead.").format(
				_(doc.doctype)
			),
			EvaluationWriteError,
		)


def validate_deletable(doc) -> None:
	if doc.get("status") in (FINAL, AWARDED, NOT_AWARDED):
		frappe.throw(
			_("{0} {1} is final and cannot be deleted.").format(_(doc.doctype), doc.name),
			EvaluationWriteError,
		)
