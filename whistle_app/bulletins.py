"""Monthly supervision bulletin (月度督查通报, RULES §6) on the Frappe side.

Public, stable API for the evaluation (§8 bulletin penalty, §9 Snail Award evidence):

* ``published_namings(year, units=None) -> {unit: count}``
* ``naming_bulletins(unit, year) -> [bulletin names]``

What a bulletin counts and whom it proposes is pure logic in ``whistle_app.rules.bulletin`` (see
its docstring for the counting [decision]s); this module loads the month's facts with a few grouped
queries (``count_month``), drafts bulletins (the daily job, the office's "draft now", corrections)
and publishes them.

[decision]s:

- **Published** means submitted (``docstatus = 1``). A bulletin belongs to the calendar year of its
  period (``year`` field), not of its publication date.
- A **correction** is a new bulletin of the same period with ``corrects`` = the bulletin it
  corrects (``make_correction``). Publishing the correction cancels the corrected bulletin
  (``docstatus = 2``, status 已更正, ``superseded_by`` set) in the same transaction, so at most one
  bulletin per period is published at any time and only the latest version of a period counts. A
  published bulletin is never cancelled any other way and never edited.
- A unit counts once per bulletin that names it (the final list ``named_units``: proposals minus
  the office's removals plus its additions).
- One bulletin per month: the unique ``bulletin_key`` is the period (``2026-03``), and a correction's
  key adds the bulletin it corrects, so each bulletin is corrected at most once (a correction of a
  correction continues the chain).
- The daily job drafts on the first working day (§4 calendar) of a month only, for the previous
  month; the office may draft any month that has ended at any time (``draft_now``).
- The published text is generated in Chinese (the bulletin is an official notice) from the
  figures and the final list; the office may edit it. An unedited text follows every change of the
  naming list; an edited one is kept as the office wrote it.
"""

from datetime import datetime
from decimal import Decimal

import frappe
from frappe import _
from frappe.query_builder import Criterion, DocType
from frappe.query_builder.functions import Count, Sum
from frappe.translate import print_language
from frappe.utils import cint, escape_html, get_datetime

from whistle_app import notify, roles
from whistle_app.access import OFFICE_ROLES, is_office, requires
from whistle_app.calendar import current_date, get_work_calendar
from whistle_app.clocks import now, pending_conditions
from whistle_app.jobs import enqueue_long
from whistle_app.notify import office_users, users_of_units
from whistle_app.organisation import REPORTING_UNIT, ROLE_UNIT_TYPES, unit_user_fields
from whistle_app.rules import bulletin as rb
from whistle_app.rules import lifecycle as lc

BULLETIN = "Supervision Bulletin"
NAMED_UNIT = "Supervision Bulletin Named Unit"
SLIP = "Whistle Slip"
SLIP_DEPARTMENT = "Whistle Slip Department"
SLIP_SCORE = "Whistle Slip Score"
LANGUAGE = "zh"  # the bulletin is an official Chinese notice, whoever drafts it
JOB_ID = "whistle_app:monthly_bulletin"
SAVEPOINT = "whistle_bulletin_draft"


class BulletinError(frappe.ValidationError):
	"""Base of the refusals below (each changes nothing)."""


class BulletinPeriodError(BulletinError):
	"""The period is invalid or has not ended yet."""


class DuplicateBulletinError(BulletinError):
	"""A bulletin for this period (or a correction of this bulletin) already exists."""


class BulletinPublishedError(BulletinError):
	"""A published bulletin is final: no edits, no second publication, no cancellation."""


class BulletinCorrectionError(BulletinError):
	"""The correction does not apply (not published, superseded, no reason)."""


class BulletinAdjustmentError(BulletinError):
	"""An office addition or removal breaks the rules of §6."""


ADJUSTMENT_MESSAGES = {
	"bad_action": "Row for {unit}: choose Add or Remove.",
	"adjusted_twice": "{unit} is added or removed more than once.",
	"reason_missing": "Give the reason for adding or removing {unit}.",
	"remove_not_proposed": "{unit} is not proposed for naming, so it cannot be removed.",
	"add_already_proposed": "{unit} is already proposed for naming; it need not be added.",
	"add_not_reporting_unit": "{unit} is not a reporting unit; only reporting units are named.",
}


def _published_named_rows(year: int):
	"""The query of (bulletin, unit) pairs of the published bulletins of ``year``."""
	bulletin, named = DocType(BULLETIN), DocType(NAMED_UNIT)
	return (
		(
			frappe.qb.from_(named)
			.join(bulletin)
			.on((named.parent == bulletin.name) & (named.parenttype == BULLETIN))
			.where(named.parentfield == "named_units")
			.where(bulletin.docstatus == 1)
			.where(bulletin.year == int(year))
		),
		bulletin,
		named,
	)


def published_namings(year: int, units: list[str] | None = None) -> dict[str, int]:
	"""Number of published bulletins of calendar year ``year`` (by bulletin period) that name each
	unit, in one grouped query. Units never named that year are absent; ``units`` limits the answer
	to those units (an empty list gives an empty answer)."""
	if units is not None and not units:
		return {}
	query, bulletin, named = _published_named_rows(year)
	query = query.select(named.department, Count(bulletin.name).distinct().as_("n")).groupby(named.department)
	if units is not None:
		query = query.where(named.department.isin(list(units)))
	return {unit: int(n) for unit, n in query.run()}


def naming_bulletins(unit: str, year: int) -> list[str]:
	"""Names of the published bulletins of calendar year ``year`` that name ``unit``, in period order
	(evidence for the Snail Award, §9)."""
	query, bulletin, named = _published_named_rows(year)
	query = (
		query.select(bulletin.name, bulletin.month)
		.distinct()
		.where(named.department == unit)
		.orderby(bulletin.month)
		.orderby(bulletin.name)
	)
	return [name for name, _month in query.run()]


# --- who may do what ----------------------------------------------------------------------------------


def check_office() -> None:
	if not is_office():
		frappe.throw(
			_("Only the Whistle Office drafts, edits and publishes supervision bulletins."),
			frappe.PermissionError,
		)


def period_label(year: int, month: int) -> str:
	return _("Year {0}, month {1}").format(int(year), int(month))


def check_period(year, month) -> tuple[int, int]:
	try:
		return rb.check_period(year, month)
	except rb.BulletinRuleError:
		frappe.throw(
			_("{0}-{1} is not a valid bulletin period (year 2000–2099, month 1–12).").format(year, month),
			BulletinPeriodError,
		)


# --- the month's facts: a few grouped queries -------------------------------------------------------------


def slip_departments(slip, dept):
	return (dept.parent == slip.name) & (dept.parenttype == SLIP) & (dept.parentfield == "departments")


def reporting_units() -> list[dict]:
	"""The enabled reporting units with their class and configured order."""
	return frappe.get_all(
		"Whistle Unit",
		filters={"unit_type": REPORTING_UNIT, "enabled": 1},
		fields=["name", "assessment_class", "display_order"],
		order_by="display_order asc, name asc",
	)


def received_counts(start: datetime, end: datetime) -> tuple[dict[str, int], int]:
	"""Slips dispatched in [start, end): per department on the slip (any role), and in all."""
	slip, dept = DocType(SLIP), DocType(SLIP_DEPARTMENT)
	query = (
		frappe.qb.from_(slip)
		.join(dept)
		.on(slip_departments(slip, dept))
		.select(dept.department, Count(slip.name).distinct())
		.where(slip.dispatched_on >= start)
		.where(slip.dispatched_on < end)
		.groupby(dept.department)
	)
	total = (
		frappe.qb.from_(slip)
		.select(Count(slip.name))
		.where(slip.dispatched_on >= start)
		.where(slip.dispatched_on < end)
	)
	return {unit: int(n) for unit, n in query.run()}, int(total.run()[0][0])


def clock_rows(start: datetime, end: datetime) -> list[rb.ClockRow]:
	"""Every clock of a sole or lead department whose deadline falls in [start, end): one query."""
	slip, dept = DocType(SLIP), DocType(SLIP_DEPARTMENT)
	fields = {
		rb.RESPONSE: (slip.response_deadline, slip.response_status),
		rb.MEETING: (slip.meeting_deadline, slip.meeting_status),
		rb.COMPLETION: (slip.completion_deadline, slip.completion_status),
	}
	due = Criterion.any([(deadline >= start) & (deadline < end) for deadline, _status in fields.values()])
	query = (
		frappe.qb.from_(slip)
		.join(dept)
		.on(slip_departments(slip, dept))
		.select(
			slip.name.as_("slip"),
			dept.department,
			slip.excluded_from_assessment,
			slip.workflow_state,
			*(
				f.as_(f"{clock}_{kind}")
				for clock, pair in fields.items()
				for f, kind in zip(pair, ("deadline", "status"), strict=True)
			),
		)
		.where(dept.department_role.isin([lc.SOLE, lc.LEAD]))
		.where(due)
		.orderby(slip.name)
	)
	rows = []
	for row in query.run(as_dict=True):
		excluded = bool(row.excluded_from_assessment) or row.workflow_state == lc.LONG_TERM
		for clock in fields:
			deadline = row[f"{clock}_deadline"]
			if deadline:
				rows.append(
					rb.ClockRow(
						row.slip,
						row.department,
						clock,
						get_datetime(deadline),
						row[f"{clock}_status"] or None,
						excluded,
					)
				)
	return rows


def open_and_overdue_counts(as_of: datetime) -> tuple[dict[str, int], dict[str, int], int, int]:
	"""As of ``as_of``: open slips per department on them (any role), and those a sole or lead
	department answers for with a pending clock past its deadline (not excluded); then the two
	totals, each slip once."""
	slip, dept = DocType(SLIP), DocType(SLIP_DEPARTMENT)
	is_open = slip.workflow_state.isin(sorted(lc.OPEN_STATES))
	pending = pending_conditions(slip)
	deadlines = {
		rb.RESPONSE: slip.response_deadline,
		rb.MEETING: slip.meeting_deadline,
		rb.COMPLETION: slip.completion_deadline,
	}
	passed = Criterion.any([pending[clock] & (field < as_of) for clock, field in deadlines.items()])
	passed &= slip.excluded_from_assessment == 0

	def per_unit(condition, roles_on_slip=None):
		query = (
			frappe.qb.from_(slip)
			.join(dept)
			.on(slip_departments(slip, dept))
			.select(dept.department, Count(slip.name).distinct())
			.where(condition)
			.groupby(dept.department)
		)
		if roles_on_slip:
			query = query.where(dept.department_role.isin(roles_on_slip))
		return {unit: int(n) for unit, n in query.run()}

	def total(condition):
		return int(frappe.qb.from_(slip).select(Count(slip.name)).where(condition).run()[0][0])

	return (
		per_unit(is_open),
		per_unit(is_open & passed, [lc.SOLE, lc.LEAD]),
		total(is_open),
		total(is_open & passed),
	)


def score_totals(start: datetime, end: datetime) -> dict[str, tuple[int, float]]:
	"""(count, sum) of the complete, assessed slip scores of the slips closed in [start, end)."""
	score = DocType(SLIP_SCORE)
	query = (
		frappe.qb.from_(score)
		.select(score.department, Count(score.name), Sum(score.slip_score))
		.where(score.closed_on >= start)
		.where(score.closed_on < end)
		.where(score.rating_complete == 1)
		.where(score.excluded_from_assessment == 0)
		.groupby(score.department)
	)
	return {unit: (int(n), total) for unit, n, total in query.run()}


def count_month(year: int, month: int, as_of: datetime | None = None) -> tuple[list[rb.UnitFigures], dict]:
	"""Every reporting unit's figures and naming triggers for a month, in bulletin order (class A, B,
	C, then the configured order; units outside the list that had activity are added), and the
	month's totals counted once per slip (dispatched, open now, overdue now). Six queries."""
	year, month = check_period(year, month)
	as_of = get_datetime(as_of or now())
	start, end = rb.month_bounds(year, month)
	units = reporting_units()
	figures = {u.name: rb.UnitFigures(u.name, u.assessment_class or None) for u in units}
	order = {u.name: (cint(u.display_order), u.name) for u in units}
	rb.count_clocks(clock_rows(start, end), start, end, as_of, figures)
	received, dispatched = received_counts(start, end)
	opened, overdue, open_total, overdue_total = open_and_overdue_counts(as_of)
	scores = score_totals(start, end)
	for unit in set(received) | set(opened) | set(overdue) | set(scores):
		figures.setdefault(unit, rb.UnitFigures(unit))
	extra = [u for u, f in figures.items() if u not in order]
	if extra:
		classes = dict(
			frappe.get_all(
				"Whistle Unit",
				filters={"name": ("in", extra)},
				fields=["name", "assessment_class"],
				as_list=True,
			)
		)
		for unit in extra:
			figures[unit].assessment_class = classes.get(unit) or None
	for unit, f in figures.items():
		f.slips_received = received.get(unit, 0)
		f.open_now = opened.get(unit, 0)
		f.overdue_now = overdue.get(unit, 0)
		count, total = scores.get(unit, (0, 0))
		f.closures = count
		f.average_score = rb.average_score(total, count)
	summary = {"slips_dispatched": dispatched, "open_total": open_total, "overdue_total": overdue_total}
	return rb.order_units(figures.values(), order), summary


# --- filling a bulletin -----------------------------------------------------------------------------------


def fill_figures(doc, as_of: datetime | None = None) -> None:
	"""Count the bulletin's month into its unit rows and proposals (as of ``as_of``, default now)."""
	as_of = get_datetime(as_of or now())
	figures, summary = count_month(doc.year, doc.month, as_of)
	doc.drafted_on = as_of
	doc.update(summary)
	doc.set(
		"units",
		[
			{
				"department": f.department,
				"assessment_class": f.assessment_class,
				"slips_received": f.slips_received,
				"responses_on_time": f.responses_on_time,
				"responses_late": f.responses_late,
				"meetings_on_time": f.meetings_on_time,
				"meetings_late": f.meetings_late,
				"completions_on_time": f.completions_on_time,
				"completions_late": f.completions_late,
				"open_now": f.open_now,
				"overdue_now": f.overdue_now,
				"closures": f.closures,
				"average_score": float(f.average_score) if f.average_score is not None else 0,
				"proposed": int(f.proposed),
			}
			for f in figures
		],
	)
	classes = {f.department: f.assessment_class for f in figures}
	doc.set(
		"proposals",
		[
			{
				"department": p.department,
				"assessment_class": classes.get(p.department),
				"rule": p.rule,
				"slip_count": len(p.slips),
				"slips": "、".join(p.slips),
			}
			for p in rb.proposals(figures)
		],
	)


def doc_proposals(doc) -> list[rb.Proposal]:
	return [
		rb.Proposal(row.department, row.rule, tuple(s for s in (row.slips or "").split("、") if s))
		for row in doc.proposals
	]


def doc_adjustments(doc) -> list[rb.Adjustment]:
	return [rb.Adjustment(row.department, row.action, (row.reason or "").strip()) for row in doc.adjustments]


def validate_adjustments(doc) -> None:
	eligible = set(frappe.get_all("Whistle Unit", filters={"unit_type": REPORTING_UNIT}, pluck="name"))
	try:
		rb.validate_adjustments(doc_adjustments(doc), {p.department for p in doc_proposals(doc)}, eligible)
	except rb.BulletinRuleError as e:
		frappe.throw(_(ADJUSTMENT_MESSAGES[e.code]).format(**e.params), BulletinAdjustmentError)


def set_named_units(doc) -> None:
	"""The final list from the proposals and the office's adjustments, with the reasons (Chinese)."""
	namings = rb.final_namings(
		doc_proposals(doc), doc_adjustments(doc), [row.department for row in doc.units]
	)
	slips = {(p.department, p.rule): p.slips for p in doc_proposals(doc)}
	classes = {row.department: row.assessment_class for row in doc.units}
	with print_language(LANGUAGE):
		rows = []
		for n in namings:
			if n.source == rb.PROPOSED:
				reasons = "；".join(
					f"{_(rule)}（{'、'.join(slips.get((n.department, rule), ()))}）" for rule in n.rules
				)
			else:
				reasons = n.reason
			rows.append(
				{
					"department": n.department,
					"assessment_class": classes.get(n.department)
					or frappe.db.get_value("Whistle Unit", n.department, "assessment_class"),
					"source": n.source,
					"reasons": reasons,
				}
			)
	doc.set("named_units", rows)
	named = {n.department for n in namings}
	proposed = {p.department for p in doc_proposals(doc)}
	for row in doc.units:
		row.proposed = int(row.department in proposed)
		row.named = int(row.department in named)


def totals(doc) -> dict:
	keys = (
		"slips_received",
		"responses_on_time",
		"responses_late",
		"meetings_on_time",
		"meetings_late",
		"completions_on_time",
		"completions_late",
		"open_now",
		"overdue_now",
		"closures",
	)
	out = {key: sum(cint(row.get(key)) for row in doc.units) for key in keys}
	# the units' averages are stored to 2 decimals: the month's mean is taken from them (weighted)
	scored = [(cint(r.closures), Decimal(str(r.average_score or 0))) for r in doc.units if cint(r.closures)]
	count = sum(n for n, _avg in scored)
	out["average_score"] = rb.average_score(sum(n * avg for n, avg in scored), count)
	return out


def generate_text(doc) -> str:
	"""The bulletin's text in Chinese: the month's summary, then the named units (or that none is)."""
	t = totals(doc)
	with print_language(LANGUAGE):
		period = period_label(doc.year, doc.month)
		paragraphs = [
			_(
				"In {0}, the Whistle Office supervised how the reporting units handled the whistles "
				"dispatched to them. {1} whistles were dispatched this month."
			).format(period, cint(doc.slips_dispatched)),
			_(
				"Of the deadlines that fell due this month: responses {0} on time and {1} late; joint "
				"meetings {2} on time and {3} late; completions {4} on time and {5} late or overdue."
			).format(
				t["responses_on_time"],
				t["responses_late"],
				t["meetings_on_time"],
				t["meetings_late"],
				t["completions_on_time"],
				t["completions_late"],
			),
		]
		if t["average_score"] is not None:
			paragraphs.append(
				_("{0} slip scores of whistles closed this month average {1} points.").format(
					t["closures"], t["average_score"]
				)
			)
		if doc.drafted_on:
			drafted = get_datetime(doc.drafted_on)
			paragraphs.append(
				_("As of {0}, {1} whistles are still open, {2} of them overdue.").format(
					_("Year {0}, month {1}, day {2}").format(drafted.year, drafted.month, drafted.day),
					cint(doc.open_total),
					cint(doc.overdue_total),
				)
			)
		if doc.named_units:
			paragraphs.append(
				_("Under the monthly supervision rules, the following units are named: {0}.").format(
					"；".join(f"{row.department}（{row.reasons}）" for row in doc.named_units)
				)
			)
			paragraphs.append(
				_(
					"The named units shall analyse the causes, correct them without delay and report "
					"the correction to the Whistle Office within 5 working days."
				)
			)
		else:
			paragraphs.append(_("No unit is named this month."))
	return "\n\n".join(paragraphs)


def set_text(doc) -> None:
	"""Regenerate the text unless the office edited it since it was last generated."""
	generated = generate_text(doc)
	current = (doc.bulletin_text or "").strip()
	if not current or current == (doc.generated_text or "").strip():
		doc.bulletin_text = generated
	doc.generated_text = generated


# --- drafting -------------------------------------------------------------------------------------------


def existing_bulletin(year: int, month: int, corrects: str | None = None) -> str | None:
	return frappe.db.get_value(BULLETIN, {"bulletin_key": rb.bulletin_key(year, month, corrects)})


def check_month_ended(year: int, month: int) -> None:
	"""A bulletin counts a whole month: none is made before the month is over (any path: the job, the
	office's "draft now", REST)."""
	if not rb.month_ended(year, month, now()):
		frappe.throw(
			_(
				"{0} has not ended yet; its bulletin can be drafted from the first day of the next month."
			).format(period_label(year, month)),
			BulletinPeriodError,
		)


def draft_bulletin(year: int, month: int, as_of: datetime | None = None) -> str | None:
	"""Draft the bulletin of a month (counted as of ``as_of``, default now); None when one exists.

	The unique ``bulletin_key`` backs this: a concurrent second draft fails on insert and changes
	nothing."""
	year, month = check_period(year, month)
	if existing_bulletin(year, month):
		return None
	doc = frappe.get_doc({"doctype": BULLETIN, "year": year, "month": month})
	doc.flags.as_of = as_of
	doc.insert(ignore_permissions=True)
	return doc.name


def run_monthly_bulletin_job() -> None:
	"""Scheduler (daily): on the first working day of a month, draft last month's bulletin on the
	long queue; on any other day, or when it exists already, do nothing."""
	today = current_date()
	if today != rb.first_working_day(get_work_calendar(), today.year, today.month):
		return
	if existing_bulletin(*rb.previous_month(today)):
		return
	enqueue_long("whistle_app.bulletins.draft_previous_month", job_id=JOB_ID)


def draft_previous_month(commit: bool | None = None) -> dict:
	"""The worker: draft the previous month's bulletin and tell the office. A failure is rolled back,
	logged with ``frappe.log_error`` and reported in the summary; it never stops the worker.
	Commits in production; in tests (``frappe.flags.in_test``) it leaves the transaction open."""
	if commit is None:
		commit = not frappe.flags.in_test
	year, month = rb.previous_month(current_date())
	summary = {"period": rb.bulletin_key(year, month), "drafted": [], "failed": []}
	frappe.db.savepoint(SAVEPOINT)
	try:
		name = draft_bulletin(year, month)
		if name:
			notify_office_of_draft(name)
	except Exception:
		try:
			frappe.db.rollback(save_point=SAVEPOINT)
		except Exception:  # e.g. a deadlock already rolled the transaction back
			frappe.db.rollback()
		summary["failed"].append(summary["period"])
		frappe.log_error(
			title=_("Drafting the supervision bulletin of {0} failed").format(period_label(year, month)),
			reference_doctype=BULLETIN,
		)
	else:
		if name:
			summary["drafted"].append(name)
	if commit:
		frappe.db.commit()
	return summary


def notify_office_of_draft(name: str) -> None:
	doc = frappe.get_doc(BULLETIN, name)
	subject = _("The supervision bulletin {0} ({1}) has been drafted; please review and publish it.").format(
		name, period_label(doc.year, doc.month)
	)
	send(office_users(), name, subject)


@frappe.whitelist()
@requires(is_office, "Only the Whistle Office drafts, edits and publishes supervision bulletins.")
def draft_now(year: int, month: int) -> str:
	"""The office drafts the bulletin of a month that has ended, now; returns its name."""
	year, month = check_period(year, month)
	check_month_ended(year, month)
	existing = existing_bulletin(year, month)
	if existing:
		frappe.throw(
			_("The supervision bulletin of {0} already exists: {1}.").format(
				period_label(year, month), existing
			),
			DuplicateBulletinError,
		)
	return draft_bulletin(year, month)


@frappe.whitelist()
@requires(is_office, "Only the Whistle Office drafts, edits and publishes supervision bulletins.")
def recount(name: str) -> str:
	"""The office counts a draft again as of now (its additions, removals and edited text stay)."""
	doc = frappe.get_doc(BULLETIN, name)
	doc.check_permission("write")
	if doc.docstatus != 0:
		raise_published(doc)
	fill_figures(doc)
	doc.flags.recount = True
	doc.save()
	return doc.name


@frappe.whitelist()
@requires(is_office, "Only the Whistle Office drafts, edits and publishes supervision bulletins.")
def make_correction(name: str, reason: str) -> str:
	"""The office starts a correction of a published bulletin: a new draft of the same period that
	references it, counted as of now, with its additions and removals; returns the new name."""
	original = frappe.get_doc(BULLETIN, name)
	original.check_permission("read")
	check_correctable(name)
	doc = frappe.get_doc(
		{
			"doctype": BULLETIN,
			"year": original.year,
			"month": original.month,
			"corrects": original.name,
			"correction_reason": (reason or "").strip(),
			"issuing_office": original.issuing_office,
			"adjustments": [
				{"department": row.department, "action": row.action, "reason": row.reason}
				for row in original.adjustments
			],
		}
	)
	doc.insert()
	return doc.name


def check_correctable(name: str):
	"""Only the published (latest) version of a period can be corrected; returns its period."""
	original = frappe.db.get_value(
		BULLETIN, name, ["docstatus", "year", "month", "superseded_by"], as_dict=True
	)
	if not original or original.docstatus == 0:
		frappe.throw(
			_("Only a published bulletin can be corrected; {0} is not published.").format(name),
			BulletinCorrectionError,
		)
	if original.docstatus == 2:
		frappe.throw(
			_("Supervision bulletin {0} has been superseded by {1}; correct that one instead.").format(
				name, original.superseded_by or "—"
			),
			BulletinCorrectionError,
		)
	return original


@frappe.whitelist()
@requires(is_office, "Only the Whistle Office drafts, edits and publishes supervision bulletins.")
def publish(name: str) -> str:
	"""Publish (submit) a draft bulletin; a published one is refused with a clear error."""
	doc = frappe.get_doc(BULLETIN, name)
	if doc.docstatus != 0:
		raise_published(doc)
	doc.submit()
	return doc.status


def raise_published(doc) -> None:
	if doc.docstatus == 2:
		frappe.throw(
			_("Supervision bulletin {0} has been superseded by {1}; it cannot be changed.").format(
				doc.name, doc.superseded_by or "—"
			),
			BulletinPublishedError,
		)
	frappe.throw(
		_(
			"Supervision bulletin {0} was published on {1}; it is final and cannot be published again or "
			"changed. Corrections are made by a new bulletin."
		).format(
			doc.name, get_datetime(doc.published_on).strftime("%Y-%m-%d %H:%M") if doc.published_on else "—"
		),
		BulletinPublishedError,
	)


# --- publication --------------------------------------------------------------------------------------------

UNIT_ROLES = tuple(role for role in ROLE_UNIT_TYPES if role not in OFFICE_ROLES)


def unit_users() -> list[str]:
	"""The users of every unit (parks, towns, reporting units, leadership, Efficiency Office)."""
	units = frappe.get_all("Whistle Unit", pluck="name")
	return users_of_units(units, UNIT_ROLES)


def send(users, name: str, subject: str, body: str | None = None) -> None:
	"""Notification Logs (and emails) in this transaction: they commit or roll back with it."""
	notify.send(users, BULLETIN, name, subject, body)


def notify_publication(doc) -> None:
	"""Every unit's users hear of the publication; each named unit's leaders hear why it is named."""
	period = period_label(doc.year, doc.month)
	subject = _("Supervision bulletin {0} ({1}) has been published.").format(doc.name, period)
	if doc.named_units:
		names = "、".join(row.department for row in doc.named_units)
		body = subject + "<br>" + escape_html(_("Named units: {0}").format(names))
	else:
		body = subject + "<br>" + _("No unit is named this month.")
	send(unit_users(), doc.name, subject, body)
	for row in doc.named_units:
		send(
			notify.unit_leaders(row.department),
			doc.name,
			_("Supervision bulletin {0} ({1}) names {2}: {3}").format(
				doc.name, period, row.department, row.reasons
			),
		)


def supersede(doc) -> None:
	"""Publishing a correction cancels the bulletin it corrects (the only way a bulletin is cancelled)."""
	if not doc.corrects:
		return
	old = frappe.get_doc(BULLETIN, doc.corrects)
	old.flags.superseded_by = doc.name
	old.flags.ignore_permissions = True
	old.flags.ignore_links = True  # the correction links to it: that is the point
	old.cancel()
