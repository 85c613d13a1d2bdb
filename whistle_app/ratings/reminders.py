"""The daily rating job: drafts still missing, and one reminder per pending rating (RULES §5)."""

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.utils import get_datetime

from whistle_app import notify
from whistle_app.calendar import get_work_calendar
from whistle_app.lifecycle import now
from whistle_app.notifications import RATING_REMINDER
from whistle_app.ratings.common import RATER_ROLES, RATING
from whistle_app.ratings.drafts import ensure_drafts
from whistle_app.rules import clocks as ck
from whistle_app.rules import ratings as rr

# --- reminders (daily job) ------------------------------------------------------------------------------------


def pending_rows() -> list[dict]:
	"""One query: every open draft of a slip awaiting its ratings, with the slip's completion time."""
	rating, slip = DocType(RATING), DocType("Whistle Slip")
	return (
		frappe.qb.from_(rating)
		.join(slip)
		.on(slip.name == rating.slip)
		.select(
			rating.name,
			rating.slip,
			rating.rated_department,
			rating.rater_unit,
			rating.rater_kind,
			slip.title,
			slip.completed_on,
		)
		.where(rating.docstatus == 0)
		.where(slip.workflow_state.isin(list(rr.RATING_STATES)))
		.where(slip.completed_on.isnotnull())
		.orderby(rating.name)
		.run(as_dict=True)
	)


def remind_pending_ratings(commit: bool | None = None) -> dict:
	"""Daily job: make the drafts still missing, then remind the rater's unit of every rating pending
	more than 3 working days after its slip's completion, once per rating and completion (a ``Whistle
	Clock Event`` with a unique key is written with the notifications, in one transaction). Reads the
	time through ``lifecycle.now()``; commits per rating outside tests. Returns counts."""

	if commit is None:
		commit = not frappe.flags.in_test
	moment = get_datetime(now())
	summary = {"drafts": ensure_drafts(), "reminders": 0, "failed": []}
	if commit:
		frappe.db.commit()
	cal = get_work_calendar()
	rows = pending_rows()
	sent = notify.sent_keys(
		{"clock": rr.REMINDER_CLOCK, "slip": ("in", sorted({r.slip for r in rows}) or [""])}
	)
	for row in rows:
		completed = get_datetime(row.completed_on)
		if not rr.reminder_due(moment, completed, cal):
			continue
		deadline = rr.reminder_deadline(cal, completed)
		key = rr.reminder_key(row.slip, row.rated_department, row.rater_kind, deadline)
		if key in sent:
			continue
		frappe.db.savepoint("whistle_rating_reminder")
		try:
			if send_reminder(row, deadline, key, moment):
				sent.add(key)
				summary["reminders"] += 1
		except Exception:
			frappe.db.rollback(save_point="whistle_rating_reminder")
			summary["failed"].append(row.name)
			frappe.log_error(
				title=_("Rating reminder failed for {0}").format(row.name),
				reference_doctype=RATING,
				reference_name=row.name,
			)
		if commit:
			frappe.db.commit()
	return summary


def send_reminder(row, deadline, key: str, moment) -> bool:
	"""Record the reminder once (unique key) and notify the rater's unit; False when already recorded."""
	users = sorted(set(notify.users_of_units([row.rater_unit], RATER_ROLES[row.rater_kind])) - notify.NOBODY)
	event = {
		"slip": row.slip,
		"department": row.rated_department,
		"clock": rr.REMINDER_CLOCK,
		"deadline": deadline,
		"kind": ck.REMINDER,
		"sent_on": moment,
		"recipients": "\n".join(users),
		"event_key": key,
	}
	if not notify.record_once(event):
		return False
	context = {"title": row.title, "days": rr.REMINDER_AFTER_WORKING_DAYS}
	notify.tell(RATING_REMINDER, frappe.get_doc(RATING, row.name), users, context, exclude_self=False)
	return True
