"""Deadline supervision on the Frappe side (RULES §4 reminders and escalation; issue #7 items 1, 2, 5).

Every five minutes the scheduler calls ``run_deadline_job``, which puts ``process_deadlines`` on the
long queue (one job at a time). The worker:

1. finds, with **one set-based query** (``due_rows``), the open slips whose response, joint-meeting
   or completion deadline is due soon, due today or passed while its action is still missing,
   joined with their responsible (sole or lead) department rows;
2. per slip (one transaction each, committed per record): sets the warning level and overdue flag
   of the slip and of the department row when they change (``frappe.db.set_value`` without touching
   ``modified``), and for each reminder or escalation due inserts a ``Whistle Clock Event`` row
   (unique ``event_key`` = slip, department, clock, deadline, kind) and the Notification Logs in the
   same transaction. A key already in the database is skipped, so the job is idempotent; a crash
   before the commit rolls back the event row and its notifications together, so the next run sends
   them (no duplicates, no gaps). A failing slip is rolled back to its savepoint, logged with
   ``frappe.log_error`` and the batch continues;
3. resets slips and department rows still flagged but no longer due (action recorded, exempted,
   deadline moved by an extension) to 正常 with one UPDATE each.

Time comes from ``now()`` only (``frappe.flags.current_datetime`` else the (frozen) clock). The rules
themselves are pure, in ``whistle_app.rules.clocks``.
"""

from datetime import datetime, time

import frappe
from frappe import _
from frappe.query_builder import Case
from frappe.query_builder.functions import IfNull
from frappe.utils import get_datetime

from whistle_app import coordination, desk_cache, lifecycle, notify, roles
from whistle_app.calendar import compute_deadline, get_work_calendar, unconfirmed_warning
from whistle_app.jobs import enqueue_long
from whistle_app.notifications import CLOCK_ESCALATION, CLOCK_REMINDER
from whistle_app.organisation import unit_user_fields
from whistle_app.rules import clocks as ck
from whistle_app.rules import lifecycle as lc
from whistle_app.rules.workdays import add_working_days

EVENT_DOCTYPE = notify.EVENT_DOCTYPE
SLIP = "Whistle Slip"
SLIP_DEPARTMENT = "Whistle Slip Department"
SETTINGS = "Whistle Settings"
JOB_ID = "whistle_app:deadline_job"
SAVEPOINT = "whistle_clock_record"


def now() -> datetime:
	"""The one clock of the jobs (tests set ``frappe.flags.current_datetime`` or freeze time)."""
	return get_datetime(lifecycle.now())


def get_thresholds() -> tuple[int, int]:
	"""(warning_days_before, serious_overdue_days) from Whistle Settings; defaults when never set."""
	singles = frappe.qb.DocType("Singles")
	stored = dict(
		frappe.qb.from_(singles)
		.select(singles.field, singles.value)
		.where(singles.doctype == SETTINGS)
		.where(singles.field.isin(["warning_days_before", "serious_overdue_days"]))
		.run()
	)

	def read(field, default):
		value = stored.get(field)
		return default if value in (None, "") else max(int(float(value)), 0)

	return read("warning_days_before", ck.DEFAULT_WARN_DAYS), read(
		"serious_overdue_days", ck.DEFAULT_SERIOUS_DAYS
	)


# --- the scheduler entry point ---------------------------------------------------------------------


def run_deadline_job() -> None:
	"""Scheduler (every 5 minutes): run ``process_deadlines`` on the long queue, one job at a time."""
	enqueue_long("whistle_app.clocks.process_deadlines", job_id=JOB_ID)


# --- the set-based query -----------------------------------------------------------------------------


def pending_conditions(slip):
	"""The condition under which each clock of a slip is pending (its action still missing)."""
	return {
		ck.RESPONSE: (slip.workflow_state == lc.DISPATCHED)
		& slip.response_deadline.isnotnull()
		& (IfNull(slip.response_status, "") == ""),
		ck.MEETING: slip.workflow_state.isin([lc.DISPATCHED, lc.REPORTED, lc.HANDLING])
		& slip.meeting_deadline.isnotnull()
		& slip.meeting_recorded_on.isnull(),
		ck.COMPLETION: slip.workflow_state.isin([lc.REPORTED, lc.HANDLING])
		& slip.completion_deadline.isnotnull()
		& slip.completed_on.isnull(),
	}


def due_cutoff(moment: datetime, warn_days: int) -> datetime:
	"""Deadlines before this instant are due soon, due today or passed (start of the (warn+1)-th
	working day after today)."""
	nxt = add_working_days(get_work_calendar(), moment, warn_days + 1)
	return datetime.combine(nxt.date(), time.min)


def due_rows(moment: datetime, warn_days: int) -> list[dict]:
	"""One query: every responsible department row of an open slip with a pending deadline before
	the cutoff, with the pending deadlines (None when that clock is done or not due) and the flags
	as they are now. Exempted (继续跟踪), completed and closed slips never match."""
	slip = frappe.qb.DocType(SLIP)
	dept = frappe.qb.DocType(SLIP_DEPARTMENT)
	cutoff = due_cutoff(moment, warn_days)
	pending = pending_conditions(slip)
	deadline_fields = {
		ck.RESPONSE: slip.response_deadline,
		ck.MEETING: slip.meeting_deadline,
		ck.COMPLETION: slip.completion_deadline,
	}
	due = None
	for clock, field in deadline_fields.items():
		cond = pending[clock] & (field < cutoff)
		due = cond if due is None else due | cond
	query = (
		frappe.qb.from_(slip)
		.join(dept)
		.on((dept.parent == slip.name) & (dept.parenttype == SLIP) & (dept.parentfield == "departments"))
		.select(
			slip.name.as_("slip"),
			slip.title,
			slip.warning_level.as_("slip_level"),
			slip.overdue.as_("slip_overdue"),
			dept.name.as_("row"),
			dept.department,
			dept.warning_level.as_("row_level"),
			dept.overdue.as_("row_overdue"),
			*(
				Case().when(pending[clock], field).else_(None).as_(clock)
				for clock, field in deadline_fields.items()
			),
		)
		.where(dept.department_role.isin([lc.SOLE, lc.LEAD]))
		.where(due)
		.orderby(slip.name)
	)
	return query.run(as_dict=True)


# --- the worker ----------------------------------------------------------------------------------------


def process_deadlines(commit: bool | None = None) -> dict:
	"""Reminders, escalations, warning levels and overdue flags for every due slip (see module doc).

	Commits per slip in production; in tests (``frappe.flags.in_test``) it only uses savepoints so
	the test's transaction can be rolled back. Returns counts and the slips that failed.
	"""
	if commit is None:
		commit = not frappe.flags.in_test
	moment = now()
	cal = get_work_calendar()
	warn_days, serious_days = get_thresholds()
	rows = due_rows(moment, warn_days)

	by_slip: dict[str, list[dict]] = {}
	for row in rows:
		by_slip.setdefault(row.slip, []).append(row)
	sent_keys = existing_keys(list(by_slip))
	summary = {"slips": len(by_slip), "reminders": 0, "escalations": 0, "flags": 0, "reset": 0, "failed": []}

	for name, slip_rows in by_slip.items():
		frappe.db.savepoint(SAVEPOINT)
		try:
			counts = process_slip(name, slip_rows, moment, cal, warn_days, serious_days, sent_keys)
		except Exception:
			try:
				frappe.db.rollback(save_point=SAVEPOINT)
			except Exception:  # e.g. a deadlock already rolled the transaction back
				frappe.db.rollback()
			summary["failed"].append(name)
			frappe.log_error(
				title=_("Deadline job failed for whistle {0}").format(name),
				reference_doctype=SLIP,
				reference_name=name,
			)
		else:
			for key in ("reminders", "escalations", "flags"):
				summary[key] += counts[key]
		if commit:
			frappe.db.commit()

	summary["reset"] = reset_flags(list(by_slip), {row.row for row in rows})
	if commit:
		frappe.db.commit()
	summary["coordination"] = run_coordination(moment, commit)
	if summary["flags"] or summary["reset"]:
		desk_cache.bump_version()  # the desks' overdue counts (written without doc events)
	return summary


def run_coordination(moment: datetime, commit: bool) -> dict:
	"""The District Head's coordination (RULES §12): candidates proposed once per slip and reason,
	then the decisions' reminders, overdue flags and escalations (``whistle_app.coordination``). A
	failure is rolled back and logged; the slips' clocks above are committed already."""
	frappe.db.savepoint(SAVEPOINT)
	try:
		result = {
			"candidates": len(coordination.propose_candidates(moment)),
			**coordination.process_decisions(moment),
		}
	except Exception:
		try:
			frappe.db.rollback(save_point=SAVEPOINT)
		except Exception:
			frappe.db.rollback()
		frappe.log_error(title=_("Deadline job failed for the coordination meeting"))
		return {"failed": True}
	if commit:
		frappe.db.commit()
	return result


def existing_keys(slips: list[str]) -> set[str]:
	if not slips:
		return set()
	return notify.sent_keys({"slip": ("in", slips)})


def process_slip(name, slip_rows, moment, cal, warn_days, serious_days, sent_keys) -> dict:
	"""One slip: flags of the slip and its responsible department rows, then the events due."""
	counts = {"reminders": 0, "escalations": 0, "flags": 0}
	row_levels = []
	for row in slip_rows:
		deadlines = {clock: get_datetime(row[clock]) for clock in ck.CLOCKS if row[clock]}
		level = ck.worst(
			ck.warning_level(moment, d, False, cal, warn_days, serious_days) for d in deadlines.values()
		)
		row_levels.append(level)
		counts["flags"] += set_flags(SLIP_DEPARTMENT, row.row, row.row_level, row.row_overdue, level)
		for clock, kind, deadline in ck.due_events(moment, deadlines, cal):
			key = ck.event_key(name, row.department, clock, deadline, kind)
			if key in sent_keys:
				continue
			if send_event(row, clock, kind, deadline, key, moment):
				sent_keys.add(key)
				counts["reminders" if kind == ck.REMINDER else "escalations"] += 1
	first = slip_rows[0]
	counts["flags"] += set_flags(SLIP, name, first.slip_level, first.slip_overdue, ck.worst(row_levels))
	return counts


def set_flags(doctype: str, name: str, level_now, overdue_now, level: str) -> int:
	"""Write the warning level and overdue flag only when they change (``modified`` untouched)."""
	overdue = int(ck.is_overdue(level))
	if (level_now or ck.NORMAL, int(overdue_now or 0)) == (level, overdue):
		return 0
	frappe.db.set_value(doctype, name, {"warning_level": level, "overdue": overdue}, update_modified=False)
	return 1


def reset_flags(due_slips: list[str], due_row_names: set[str]) -> int:
	"""Slips and department rows still flagged but no longer due go back to 正常 (two UPDATEs)."""
	changed = 0
	for doctype, keep in ((SLIP, due_slips), (SLIP_DEPARTMENT, list(due_row_names))):
		table = frappe.qb.DocType(doctype)
		# sargable (indexes on warning_level and overdue, whistle_app/indexes.py): a NULL level is 正常
		flagged = table.warning_level.isin(["", *(level for level in ck.LEVELS if level != ck.NORMAL)]) | (
			table.overdue == 1
		)
		names = frappe.qb.from_(table).select(table.name).where(flagged)
		if keep:
			names = names.where(table.name.notin(keep))
		names = [n for (n,) in names.run()]
		if names:
			(
				frappe.qb.update(table)
				.set(table.warning_level, ck.NORMAL)
				.set(table.overdue, 0)
				.where(table.name.isin(names))
				.run()
			)
			changed += len(names)
	return changed


# --- the calendar changed ----------------------------------------------------------------------------


def refresh_open_deadlines() -> list[str]:
	"""After the working-day calendar changed (a day edited, a year confirmed or its confirmation
	revoked): each response and joint-meeting deadline still ahead, its action still missing, is
	computed again from the dispatch with the calendar as it is now; deadlines that have passed or
	whose action is recorded are kept, since reminders, escalations and the Met/Late marks were given
	against them. Every slip's calendar warning (RULES §4) then follows its deadlines: it goes when
	their years are confirmed and comes back when a confirmation is revoked. A moved deadline is noted
	on the slip. Idempotent; returns the slips changed."""
	moment = now()
	slip = frappe.qb.DocType(SLIP)
	pending = pending_conditions(slip)
	ahead_response = pending[ck.RESPONSE] & (slip.response_deadline > moment)
	ahead_meeting = pending[ck.MEETING] & (slip.meeting_deadline > moment)
	rows = (
		frappe.qb.from_(slip)
		.select(
			slip.name,
			slip.dispatched_on,
			slip.response_deadline,
			slip.meeting_deadline,
			slip.response_days,
			slip.meeting_days,
			slip.calendar_warning,
			Case().when(ahead_response, 1).else_(0).as_("response_ahead"),
			Case().when(ahead_meeting, 1).else_(0).as_("meeting_ahead"),
		)
		.where(slip.dispatched_on.isnotnull())
		.where(ahead_response | ahead_meeting | (IfNull(slip.calendar_warning, "") != ""))
		.run(as_dict=True)
	)
	changed = []
	for row in rows:
		values = {}
		for clock, field, days in (  # the slip's own numbers; the plan's for slips dispatched before
			(ck.RESPONSE, "response_deadline", row.response_days or lc.RESPONSE_DAYS),
			(ck.MEETING, "meeting_deadline", row.meeting_days or lc.MEETING_DAYS),
		):
			if row[f"{clock}_ahead"]:
				deadline, _confirmed = compute_deadline(row.dispatched_on, days)
				if deadline != get_datetime(row[field]):
					values[field] = deadline
		deadlines = [values.get(f, row[f]) for f in ("response_deadline", "meeting_deadline")]
		warnings = [w for w in (unconfirmed_warning(d) for d in deadlines if d) if w]
		warning = warnings[0] if warnings else None
		if (row.calendar_warning or None) != warning:
			values["calendar_warning"] = warning
		if not values:
			continue
		frappe.db.set_value(SLIP, row.name, values, update_modified=False)
		for field in ("response_deadline", "meeting_deadline"):
			if field in values:
				note = _("The working-day calendar changed: {0} moved from {1} to {2}.")
				label = _(frappe.get_meta(SLIP).get_label(field))
				frappe.get_doc(SLIP, row.name).add_comment(
					"Info", note.format(label, row[field], values[field])
				)
		changed.append(row.name)
	return changed


# --- events and notifications -------------------------------------------------------------------------


def send_event(row, clock: str, kind: str, deadline: datetime, key: str, moment: datetime) -> bool:
	"""Record the event once (unique key) and notify, in the caller's transaction. False when another
	run recorded the same key first."""
	users = (
		reminder_recipients(row.department) if kind == ck.REMINDER else escalation_recipients(row.department)
	)
	event = {
		"slip": row.slip,
		"department": row.department,
		"clock": clock,
		"deadline": deadline,
		"kind": kind,
		"sent_on": moment,
		"recipients": "\n".join(users),
		"event_key": key,
	}
	if not notify.record_once(event):
		return False
	record = (CLOCK_REMINDER if kind == ck.REMINDER else CLOCK_ESCALATION)[clock]
	context = {"deadline": deadline.strftime("%Y-%m-%d %H:%M"), "department": row.department}
	notify.tell(record, frappe.get_doc(SLIP, row.slip), users, context, exclude_self=False)
	return True


def reminder_recipients(department: str) -> list[str]:
	"""The responsible department's liaisons (报到员)."""
	return sorted(set(notify.users_of_units([department], (roles.DEPARTMENT_LIAISON,))) - notify.NOBODY)


def escalation_recipients(department: str) -> list[str]:
	"""The department's accountability chain (§1) and Department Leaders, and the Whistle Office."""
	return sorted(set(notify.unit_leaders(department) + notify.office_users()) - notify.NOBODY)


# --- shown in the desk -----------------------------------------------------------------------------------


@frappe.whitelist()
@frappe.read_only()
def get_warning_summary() -> dict:
	"""Open slips per warning level (what the current user may read), for the dashboard."""
	rows = frappe.get_list(
		SLIP,
		filters={"workflow_state": ("in", sorted(lc.OPEN_STATES - {lc.LONG_TERM}))},
		fields=["warning_level", "count(name) as count"],
		group_by="warning_level",
	)
	counts = {level: 0 for level in ck.LEVELS}
	for row in rows:
		counts[row.warning_level or ck.NORMAL] = counts.get(row.warning_level or ck.NORMAL, 0) + row.count
	return {"counts": counts, "colours": ck.LEVEL_COLOURS}
