"""Drafting bulletins (RULES §6): the daily job, the office's "draft now", recount, corrections, publish."""

from datetime import datetime

import frappe
from frappe import _
from frappe.utils import get_datetime

from whistle_app.access import is_office, requires
from whistle_app.bulletins.common import (
	BULLETIN,
	JOB_ID,
	SAVEPOINT,
	BulletinCorrectionError,
	BulletinPeriodError,
	BulletinPublishedError,
	DuplicateBulletinError,
	check_period,
	period_label,
	stored_period_label,
)
from whistle_app.bulletins.filling import fill_figures
from whistle_app.calendar import current_date, get_work_calendar
from whistle_app.clocks import now
from whistle_app.jobs import enqueue_long
from whistle_app.notifications import BULLETIN_DRAFTED
from whistle_app.notify import office_users, tell
from whistle_app.rules import bulletin as rb

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
	enqueue_long("whistle_app.bulletins.drafting.draft_previous_month", job_id=JOB_ID)


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
	"""The office hears of the draft (the Notification record 督查通报待发布)."""
	doc = frappe.get_doc(BULLETIN, name)
	tell(BULLETIN_DRAFTED, doc, office_users(), {"period": stored_period_label(doc.year, doc.month)})


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
