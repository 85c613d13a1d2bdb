"""The working-day calendar on the Frappe side (RULES §4).

One ``Work Calendar Year`` record per year holds its exception days (rest days and adjusted working
days) and whether an administrator confirmed it against the State Council notice. The records are
filled from the maintained ``holidays`` package (`seed_year`) without ever overwriting what an
administrator changed, and deadlines are computed by the pure module ``whistle_app.rules.workdays``.

Cache: all years are loaded with two queries into one Redis value (`CACHE_KEY`) that carries a
random version; each process keeps the `WorkCalendar` built from it, keyed by site and version, and
``frappe.cache.get_value`` keeps the value in ``frappe.local.cache`` for the rest of the request or
job. Computing a deadline therefore costs neither a query nor a Redis call once the calendar is
loaded. Any change of a year record drops the value (at once, and again after the transaction
commits or rolls back), so the next computation rebuilds it with a new version.
"""

from datetime import date, datetime

import frappe
from frappe.desk.doctype.notification_settings.notification_settings import is_notifications_enabled
from frappe.utils import get_datetime, getdate

from whistle_app import roles
from whistle_app.access import is_administrator, require
from whistle_app.language import stored_text
from whistle_app.notifications import CALENDAR_UNCONFIRMED
from whistle_app.notify import office_users, tell  # the office is reminded of unconfirmed years
from whistle_app.rules.workdays import (
	REST,
	WORK,
	WorkCalendar,
	add_working_days,
	china_exceptions,
	deadline_year_confirmed,
	shanghai_date,
)

DOCTYPE = "Work Calendar Year"
DAY_DOCTYPE = "Work Calendar Day"

# Stored values of Work Calendar Day (Chinese labels come from locale/zh.po)
REST_DAY = "Rest Day"
ADJUSTED_WORKING_DAY = "Adjusted Working Day"
KIND_OF_LABEL = {REST_DAY: REST, ADJUSTED_WORKING_DAY: WORK}
LABEL_OF_KIND = {REST: REST_DAY, WORK: ADJUSTED_WORKING_DAY}
OFFICIAL = "Official"
ADMINISTRATOR = "Administrator"

MIN_YEAR = 2000
MAX_YEAR = 2099

REMINDER_FROM_MONTH = 11  # from 1 November the office is reminded to confirm next year

CACHE_KEY = "whistle_app:work_calendar"
_PROCESS_MEMO: dict[str, tuple[str, WorkCalendar]] = {}


# --- dates ------------------------------------------------------------------------------------------


def current_date() -> date:
	"""Today in Asia/Shanghai (the system time zone); tests set ``frappe.flags.current_date``."""
	return getdate(frappe.flags.current_date) if frappe.flags.current_date else getdate()


# --- seeding from the holidays package ---------------------------------------------------------


def seed_current_and_next_year() -> list[dict]:
	"""Fill this year and next year from the package (install, migrate and the yearly job)."""
	year = current_date().year
	return [seed_year(year), seed_year(year + 1)]


def seed_year(year: int) -> dict:
	"""Create or refresh the record of `year` from the ``holidays`` package; idempotent.

	Rows an administrator added or edited (source Administrator) and days an administrator removed
	are never touched; official rows follow the package (added, updated, or removed when the package
	drops a day). A confirmed year is left alone entirely. Returns what changed.
	"""
	year = int(year)
	result = {"year": year, "created": False, "added": [], "updated": [], "removed": [], "skipped": None}
	official = {day: (LABEL_OF_KIND[kind], name) for day, (kind, name) in china_exceptions(year).items()}

	if not frappe.db.exists(DOCTYPE, str(year)):
		doc = frappe.new_doc(DOCTYPE)
		doc.year = str(year)
		for day, (kind, name) in official.items():
			doc.append("days", {"date": day, "kind": kind, "holiday_name": name, "source": OFFICIAL})
		doc.flags.whistle_seeding = True
		doc.insert(ignore_permissions=True)
		result["created"] = True
		result["added"] = [day.isoformat() for day in official]
		return result

	doc = frappe.get_doc(DOCTYPE, str(year))
	if doc.confirmed:
		result["skipped"] = "confirmed"
		return result

	removed_by_administrator = set(doc.get_removed_days())
	rows = {getdate(row.date): row for row in doc.days}
	for day, (kind, name) in official.items():
		row = rows.get(day)
		if day in removed_by_administrator:
			continue
		if row is None:
			doc.append("days", {"date": day, "kind": kind, "holiday_name": name, "source": OFFICIAL})
			result["added"].append(day.isoformat())
		elif row.source == OFFICIAL and (row.kind, row.holiday_name or "") != (kind, name):
			row.kind, row.holiday_name = kind, name
			result["updated"].append(day.isoformat())
	for day, row in rows.items():
		if row.source == OFFICIAL and day not in official:
			doc.remove(row)
			result["removed"].append(day.isoformat())

	if result["added"] or result["updated"] or result["removed"]:
		doc.flags.whistle_seeding = True
		doc.save(ignore_permissions=True)
	return result


# --- confirmation --------------------------------------------------------------------------------


def check_can_confirm(user: str | None = None) -> None:
	"""Only a Whistle Administrator (or System Manager) confirms a year or revokes a confirmation."""
	require(
		is_administrator,
		"Only a Whistle Administrator can confirm a working-day calendar or revoke its confirmation.",
		user,
	)


@frappe.whitelist(methods=["POST"])
def confirm_year(year: int) -> dict:
	"""Confirm that the record of `year` matches the State Council notice (records who and when)."""
	return _set_confirmed(year, True)


@frappe.whitelist(methods=["POST"])
def revoke_year_confirmation(year: int) -> dict:
	"""Take back the confirmation of `year` (deadlines in it show the warning again)."""
	return _set_confirmed(year, False)


def _set_confirmed(year: int, confirmed: bool) -> dict:
	check_can_confirm()
	doc = frappe.get_doc(DOCTYPE, str(int(year)))
	if bool(doc.confirmed) != confirmed:
		doc.confirmed = int(confirmed)
		doc.save()
	return {
		"year": int(doc.year),
		"confirmed": bool(doc.confirmed),
		"confirmed_by": doc.confirmed_by,
		"confirmed_on": doc.confirmed_on,
	}


# --- the cached calendar ---------------------------------------------------------------------------


def get_work_calendar() -> WorkCalendar:
	"""The calendar of all years, from the cache (see the module docstring)."""
	data = frappe.cache.get_value(CACHE_KEY, generator=load_calendar_data)
	memo = _PROCESS_MEMO.get(frappe.local.site)
	if memo is None or memo[0] != data["version"]:
		memo = (data["version"], build_calendar(data))
		_PROCESS_MEMO[frappe.local.site] = memo
	return memo[1]


def load_calendar_data() -> dict:
	"""Every exception day and confirmed year, as plain data for the cache (two queries)."""
	day = frappe.qb.DocType(DAY_DOCTYPE)
	rows = (
		frappe.qb.from_(day)
		.select(day.date, day.kind, day.holiday_name)
		.where(day.parenttype == DOCTYPE)
		.where(day.parentfield == "days")
		.run()
	)
	confirmed = frappe.get_all(DOCTYPE, filters={"confirmed": 1}, pluck="year")
	return {
		"version": frappe.generate_hash(length=16),
		"days": [
			(getdate(d).isoformat(), kind, name or "") for d, kind, name in rows if kind in KIND_OF_LABEL
		],
		"confirmed": sorted(int(y) for y in confirmed),
	}


def build_calendar(data: dict) -> WorkCalendar:
	exceptions = {date.fromisoformat(d): (KIND_OF_LABEL[kind], name) for d, kind, name in data["days"]}
	return WorkCalendar(exceptions, confirmed_years=data["confirmed"])


def invalidate_work_calendar() -> None:
	"""Drop the cached calendar now and again when the current transaction ends."""
	_drop_cached_calendar()
	frappe.db.after_commit.add(_drop_cached_calendar)
	frappe.db.after_rollback.add(_drop_cached_calendar)


def _drop_cached_calendar() -> None:
	frappe.cache.delete_value(CACHE_KEY)


# --- deadlines and warnings ----------------------------------------------------------------------


def compute_deadline(start: datetime | date | str, working_days: int) -> tuple[datetime, bool]:
	"""The deadline "within N working days" of `start` (RULES §4) and whether its year is confirmed.

	A naive `start` (or a string without offset) is Shanghai local time and gives a naive Shanghai
	result; an aware one gives the same instant in its own tzinfo.
	"""
	if isinstance(start, str) or (isinstance(start, date) and not isinstance(start, datetime)):
		start = get_datetime(start)
	cal = get_work_calendar()
	deadline = add_working_days(cal, start, working_days)
	return deadline, deadline_year_confirmed(cal, deadline)


def unconfirmed_warning(deadline: datetime | date | None) -> str | None:
	"""The warning to show with a deadline in an unconfirmed year (RULES §4), else None."""
	if not deadline:
		return None
	if isinstance(deadline, str):
		deadline = get_datetime(deadline)
	if deadline_year_confirmed(get_work_calendar(), deadline):
		return None
	return unconfirmed_year_message(shanghai_date(deadline).year)


def unconfirmed_year_message(year: int) -> str:
	"""Stored on slips (the deadline job, the demo): in the site's language, whoever computes it."""
	return stored_text("The {0} working-day calendar is not confirmed yet").format(int(year))


def years_awaiting_confirmation(today: date | None = None) -> list[int]:
	"""The years the office must confirm now: this year, and from 1 November next year."""
	today = today or current_date()
	years = [today.year]
	if today.month >= REMINDER_FROM_MONTH:
		years.append(today.year + 1)
	cal = get_work_calendar()
	return [year for year in years if not cal.is_confirmed(year)]


@frappe.whitelist()
def get_calendar_warnings() -> list[str]:
	"""Warnings for the office workspace, e.g. "2027 年工作日历尚未确认"."""
	return [unconfirmed_year_message(year) for year in years_awaiting_confirmation()]


# --- the office reminder -------------------------------------------------------------------------


def remind_unconfirmed_next_year() -> list[tuple[str, int]]:
	"""Daily job: remind every Whistle Office user once per year awaiting confirmation.

	From 1 November (Asia/Shanghai) next year awaits confirmation, and so does the current year
	while it is unconfirmed. Each user gets one system notification (Notification Log) per year,
	however often the job runs. Returns the (user, year) pairs notified by this run.
	"""

	sent = []
	years = years_awaiting_confirmation()
	if not years:
		return sent
	users = office_users()
	for year in years:
		if not frappe.db.exists(DOCTYPE, str(year)):
			seed_year(year)
		notified = set(
			frappe.get_all(
				"Notification Log",
				filters={
					"document_type": DOCTYPE,
					"document_name": str(year),
					"type": "Alert",
					"for_user": ("in", users or [""]),
				},
				pluck="for_user",
			)
		)
		due = [u for u in users if u not in notified and is_notifications_enabled(u)]
		if due:
			tell(
				CALENDAR_UNCONFIRMED,
				frappe.get_doc(DOCTYPE, str(year)),
				due,
				{"year": year},
				exclude_self=False,
			)
		sent += [(user, year) for user in due]
	return sent
