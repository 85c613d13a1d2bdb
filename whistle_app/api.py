"""Whitelisted server API for the desk and other clients."""

import frappe
from frappe import _
from frappe.utils import escape_html

from whistle_app.calendar import MAX_YEAR, MIN_YEAR, compute_deadline
from whistle_app.rules.workdays import MAX_WORKING_DAYS, parse_shanghai_datetime, shanghai_isoformat


class InvalidStartError(frappe.ValidationError):
	pass


class InvalidWorkingDaysError(frappe.ValidationError):
	pass


@frappe.whitelist()
def get_deadline(start: str, working_days: int) -> dict:
	"""The deadline "within `working_days` working days" of `start` (RULES §4).

	`start` is an ISO 8601 date-time in Asia/Shanghai (a value with an offset is converted to
	Shanghai time). Returns ``{"deadline": "YYYY-MM-DDT23:59:59+08:00", "confirmed": bool}``;
	``confirmed`` is false when the deadline's year is not confirmed, and the caller should then
	show the warning "<year> 年工作日历尚未确认".
	"""
	moment = parse_start(start)
	working_days = check_working_days(working_days)
	deadline, confirmed = compute_deadline(moment, working_days)
	return {"deadline": shanghai_isoformat(deadline), "confirmed": confirmed}


def parse_start(start: str):
	try:
		moment = parse_shanghai_datetime(start)
	except (TypeError, ValueError):
		moment = None
	if moment is None or not MIN_YEAR <= moment.year <= MAX_YEAR:
		frappe.throw(
			_(
				"The start {0} is not a date-time between {1} and {2} in ISO 8601 form, such as 2026-12-31T10:00:00+08:00."
			).format(escape_html(str(start)[:64]), MIN_YEAR, MAX_YEAR),
			InvalidStartError,
			title=_("Invalid start"),
		)
	return moment


def check_working_days(working_days: int) -> int:
	if isinstance(working_days, bool) or not isinstance(working_days, int):
		working_days = None
	if working_days is None or not 1 <= working_days <= MAX_WORKING_DAYS:
		frappe.throw(
			_("The number of working days must be a whole number from 1 to {0}.").format(MAX_WORKING_DAYS),
			InvalidWorkingDaysError,
			title=_("Invalid number of working days"),
		)
	return working_days
