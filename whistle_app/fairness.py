"""Rater fairness (RULES §14, 不得打和牌、人情分、关系分) on Frappe: the statistics of the pure rules
(``whistle_app.rules.fairness``) stored per rating unit and quarter, the daily job, the freeze with
the final quarterly evaluation and the office's review of a flag.

[decision]s (the rules' own are in ``rules/fairness.py``):

- One ``Rater Fairness Statistic`` document per rating unit and quarter (``RF-2026-Q4-<unit>``),
  not one quarterly record with rows: each row is then scoped by ``permissions.py`` like any unit
  document (the rater's own unit reads it; the office, District Leaders and the Efficiency Office
  read all; a rated department never reads another rater's statistics), and the office's reviews
  are child rows of the flagged rater's own document (``Rater Fairness Review``).
- The inputs are two grouped queries per quarter (ratings per rater and department; ratings per
  rater and identical set of criterion scores), never a loop over ratings.
- The daily job (``run_fairness_job``, long queue) recomputes the current quarter and the one before
  it while they are open; a quarter is open until its Quarterly Evaluation is final. Finalising the
  evaluation recomputes the quarter once more and freezes its documents (``frozen``): the job never
  touches them again. A document is written only when one of its numbers or flags changed, so the
  job run twice changes nothing.
- A rater whose ratings were all cancelled loses its document, unless the office reviewed it (the
  review stays on record, with zero ratings).
- A flag never changes a score: nothing here writes a rating or a slip score.
"""

import datetime
from fractions import Fraction

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.query_builder.functions import Count, Sum
from frappe.utils import cint, flt
from pypika.terms import Case

from whistle_app.access import is_office, requires
from whistle_app.calendar import current_date
from whistle_app.jobs import enqueue_long
from whistle_app.lifecycle import now
from whistle_app.rules import fairness as fr
from whistle_app.rules import scoring
from whistle_app.surveys import quarter_window

STATISTIC = "Rater Fairness Statistic"
REVIEW = "Rater Fairness Review"
RATING = "Whistle Rating"
QUARTERLY = "Quarterly Evaluation"
SETTINGS = "Whistle Settings"
FINAL = "Final"
JOB_ID = "whistle_app:fairness_job"

# stored Select values of a flag, and the check field of each
FLAG_VALUES = {fr.UNIFORM: "Uniform", fr.LENIENT: "Lenient", fr.FAVOURITISM: "Favouritism"}
FLAG_FIELDS = {fr.UNIFORM: "flag_uniform", fr.LENIENT: "flag_lenient", fr.FAVOURITISM: "flag_favouritism"}
OUTCOMES = ("No Issue", "Reminded", "Other")

# Whistle Settings field → Thresholds attribute (section 研判分析)
SETTING_FIELDS = {
	"fairness_min_ratings": "min_ratings",
	"fairness_uniform_sd": "uniform_sd",
	"fairness_uniform_identical": "uniform_identical",
	"fairness_lenient_full": "lenient_full",
	"fairness_lenient_gap": "lenient_gap",
	"fairness_favour_gap": "favour_gap",
	"fairness_favour_min": "favour_min",
}
NUMBER_FIELDS = (
	"ratings",
	"mean_total",
	"std_dev",
	"full_marks_share",
	"identical_share",
	"peer_mean",
	"peer_gap",
	"has_peers",
	"favoured_department",
	"favour_gap",
	"favoured_ratings",
	"flag_uniform",
	"flag_lenient",
	"flag_favouritism",
	"flagged",
	"rater_kind",
)


class FairnessError(frappe.ValidationError):
	pass


# --- settings -------------------------------------------------------------------------------------------


def thresholds() -> fr.Thresholds:
	"""The §14 thresholds of Whistle Settings; a threshold never saved keeps its default."""
	stored = frappe.db.get_singles_dict(SETTINGS)
	return fr.Thresholds.of(
		**{attr: stored.get(field) for field, attr in SETTING_FIELDS.items() if stored.get(field) is not None}
	)


def ensure_settings_defaults() -> None:
	"""On install and migrate: write the defaults of thresholds a site has never saved, so that the
	settings form shows them (a Single's unsaved number reads as 0)."""
	stored = frappe.db.get_singles_dict(SETTINGS)
	defaults = fr.Thresholds()
	for field, attr in SETTING_FIELDS.items():
		if stored.get(field) is None:
			value = getattr(defaults, attr)
			frappe.db.set_single_value(SETTINGS, field, int(value) if value == int(value) else float(value))


# --- inputs: two grouped queries ----------------------------------------------------------------------


def _window(year: int, quarter: int):
	return quarter_window(year, quarter)


def quarter_tallies(year: int, quarter: int) -> list[tuple]:
	"""(rater unit, rater kind, rated department, count, sum, sum of squares, full marks) of the
	submitted ratings given in the quarter: one grouped query."""
	start, end = _window(year, quarter)
	rating = DocType(RATING)
	return (
		frappe.qb.from_(rating)
		.select(
			rating.rater_unit,
			rating.rater_kind,
			rating.rated_department,
			Count("*"),
			Sum(rating.total),
			Sum(rating.total * rating.total),
			Sum(Case().when(rating.total == fr.FULL_MARKS, 1).else_(0)),
		)
		.where(rating.docstatus == 1)
		.where(rating.rated_on >= start)
		.where(rating.rated_on < end)
		.groupby(rating.rater_unit, rating.rater_kind, rating.rated_department)
	).run()


def quarter_identical(year: int, quarter: int) -> dict[str, int]:
	"""Per rater unit, how many of its ratings in the quarter share its most frequent set of criterion
	scores: one grouped query over the ratings' stored score signatures (``rules.fairness.score_signature``,
	set when a rating is scored)."""
	start, end = _window(year, quarter)
	rating = DocType(RATING)
	counts = (
		frappe.qb.from_(rating)
		.select(rating.rater_unit, Count("*"))
		.where(rating.docstatus == 1)
		.where(rating.rated_on >= start)
		.where(rating.rated_on < end)
		.groupby(rating.rater_unit, rating.score_signature)
	).run()
	best: dict[str, int] = {}
	for rater, count in counts:
		best[rater] = max(best.get(rater, 0), cint(count))
	return best


def compute_quarter(year: int, quarter: int) -> tuple[list[fr.RaterStatistic], dict[str, str]]:
	"""The statistics of every rater of the quarter and each rater's kind."""
	rows = quarter_tallies(year, quarter)
	kinds = {rater: kind for rater, kind, *_rest in rows}
	tallies = [
		fr.Tally(rater, dept, cint(n), cint(total), cint(squares), cint(full))
		for rater, _kind, dept, n, total, squares, full in rows
	]
	return fr.rater_statistics(tallies, quarter_identical(year, quarter), thresholds()), kinds


# --- stored documents ----------------------------------------------------------------------------------


def statistic_name(year: int, quarter: int, rater: str) -> str:
	return f"RF-{year}-Q{quarter}-{rater}"


def _num(value: Fraction | None) -> float:
	return flt(float(value), 6) if value is not None else 0.0


def stored_values(stat: fr.RaterStatistic, kind: str | None) -> dict:
	return {
		"rater_kind": kind,
		"ratings": stat.ratings,
		"mean_total": _num(stat.mean),
		"std_dev": flt(stat.sd, 6),
		"full_marks_share": _num(stat.full_share),
		"identical_share": _num(stat.identical_share),
		"peer_mean": _num(stat.peer_mean),
		"peer_gap": _num(stat.peer_gap),
		"has_peers": int(stat.peer_mean is not None),
		"favoured_department": stat.favoured_department,
		"favour_gap": _num(stat.favour_gap),
		"favoured_ratings": stat.favoured_ratings,
		**{field: int(flag in stat.flags) for flag, field in FLAG_FIELDS.items()},
		"flagged": int(bool(stat.flags)),
	}


def _differs(doc, values: dict) -> bool:
	for field, value in values.items():
		old = doc.get(field)
		if isinstance(value, float):
			if abs(flt(old) - value) > 1e-6:
				return True
		elif isinstance(value, int):
			if cint(old) != value:
				return True
		elif (old or None) != (value or None):
			return True
	return False


def quarter_open(year: int, quarter: int) -> bool:
	"""A quarter's statistics change until its Quarterly Evaluation is final."""
	return frappe.db.get_value(QUARTERLY, f"QE-{year}-Q{quarter}", "status") != FINAL


def refresh_quarter(year: int, quarter: int, freeze: bool = False) -> dict:
	"""Recompute a quarter's statistics and store what changed; with ``freeze`` also freeze them.
	Frozen documents are never touched. Returns counts of what was written."""
	stats, kinds = compute_quarter(year, quarter)
	existing = {
		d.name: d
		for d in frappe.get_all(
			STATISTIC, filters={"year": year, "quarter": str(quarter)}, fields=["name", "frozen"]
		)
	}
	written = {"created": 0, "updated": 0, "deleted": 0, "frozen": 0}
	moment = now()
	seen = set()
	for stat in stats:
		name = statistic_name(year, quarter, stat.rater)
		seen.add(name)
		values = stored_values(stat, kinds.get(stat.rater))
		if name not in existing:
			doc = frappe.new_doc(STATISTIC)
			doc.update(
				{
					"rater_unit": stat.rater,
					"year": year,
					"quarter": str(quarter),
					"computed_on": moment,
					**values,
				}
			)
			doc.frozen = int(freeze)
			doc.insert(ignore_permissions=True)
			written["created"] += 1
			continue
		if existing[name].frozen:
			continue
		doc = frappe.get_doc(STATISTIC, name)
		if _differs(doc, values):
			doc.update(values)
			doc.computed_on = moment
			doc.save(ignore_permissions=True)
			written["updated"] += 1
	for name, row in existing.items():
		if name in seen or row.frozen:
			continue
		if frappe.db.exists(REVIEW, {"parent": name, "parenttype": STATISTIC}):
			doc = frappe.get_doc(STATISTIC, name)
			empty = {
				field: 0 for field in NUMBER_FIELDS if field not in ("favoured_department", "rater_kind")
			}
			if _differs(doc, empty):
				doc.update(empty)
				doc.favoured_department = None
				doc.computed_on = moment
				doc.save(ignore_permissions=True)
				written["updated"] += 1
			continue
		frappe.delete_doc(STATISTIC, name, ignore_permissions=True, force=True)
		written["deleted"] += 1
	if freeze:
		stat_table = DocType(STATISTIC)
		written["frozen"] = frappe.db.count(STATISTIC, {"year": year, "quarter": str(quarter), "frozen": 0})
		(
			frappe.qb.update(stat_table)
			.set(stat_table.frozen, 1)
			.where(stat_table.year == year)
			.where(stat_table.quarter == str(quarter))
		).run()
	return written


# --- the daily job and the freeze ------------------------------------------------------------------------


def run_fairness_job() -> None:
	"""Scheduler (daily): recompute the open quarters' rater statistics on the long queue."""
	enqueue_long("whistle_app.fairness.refresh_open_quarters", JOB_ID)


def open_quarters(today: datetime.date) -> list[tuple[int, int]]:
	"""The current quarter and the one before it, while their evaluation is not final."""
	current = scoring.quarter_of(today)
	return [q for q in (scoring.previous_quarter(*current), current) if quarter_open(*q)]


def refresh_open_quarters(commit: bool | None = None) -> dict:
	if commit is None:
		commit = not frappe.flags.in_test
	summary = {}
	for year, quarter in open_quarters(current_date()):
		summary[f"{year}-Q{quarter}"] = refresh_quarter(year, quarter)
		if commit:
			frappe.db.commit()
	return summary


def on_evaluation_update(doc, method=None) -> None:
	"""Quarterly Evaluation ``on_update``: once it is final, its quarter's statistics are recomputed
	one last time and frozen (once: frozen documents are never touched again)."""
	if doc.status != FINAL:
		return
	year, quarter = cint(doc.year), cint(doc.quarter)
	filters = {"year": year, "quarter": str(quarter)}
	if frappe.db.exists(STATISTIC, {**filters, "frozen": 1}) and not frappe.db.exists(
		STATISTIC, {**filters, "frozen": 0}
	):
		return
	refresh_quarter(year, quarter, freeze=True)


# --- the office's review of a flag -----------------------------------------------------------------------


@frappe.whitelist(methods=["POST"])
@requires(is_office, "Only the Whistle Office reviews rater fairness flags.")
def review_flag(name: str, flag: str, outcome: str, note: str | None = None) -> str:
	"""The office records its review of one flag of a rater's quarter: 无问题 / 已提醒 / 其他 (a note
	is required for 其他). Nothing else changes: a flag never changes a score."""
	doc = frappe.get_doc(STATISTIC, name)
	doc.check_permission("read")
	flag_key = next((key for key, value in FLAG_VALUES.items() if value == flag), None)
	if flag_key is None:
		frappe.throw(_("{0} is not a rater fairness flag.").format(flag), FairnessError)
	if not cint(doc.get(FLAG_FIELDS[flag_key])):
		frappe.throw(_("{0} has no {1} flag to review.").format(doc.rater_unit, _(flag)), FairnessError)
	if outcome not in OUTCOMES:
		frappe.throw(_("{0} is not a review outcome.").format(outcome), FairnessError)
	if outcome == "Other" and not (note or "").strip():
		frappe.throw(_("A note is required when the outcome is Other."), FairnessError)
	doc.append(
		"reviews",
		{
			"flag": flag,
			"outcome": outcome,
			"note": (note or "").strip() or None,
			"reviewed_by": frappe.session.user,
			"reviewed_on": now(),
		},
	)
	doc.flags.fairness_review = True
	doc.save(ignore_permissions=True)
	return doc.name
