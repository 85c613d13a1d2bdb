"""Supervision bulletins (RULES §6): names, errors, who may do what, periods."""

import frappe
from frappe import _

from whistle_app.access import is_office
from whistle_app.language import stored_text
from whistle_app.rules import bulletin as rb

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


# --- who may do what ----------------------------------------------------------------------------------


def check_office() -> None:
	if not is_office():
		frappe.throw(
			_("Only the Whistle Office drafts, edits and publishes supervision bulletins."),
			frappe.PermissionError,
		)


def period_label(year: int, month: int) -> str:
	return _("Year {0}, month {1}").format(int(year), int(month))


def stored_period_label(year: int, month: int) -> str:
	"""The period in the site's language: for what is stored and read by everyone (notifications),
	whoever publishes (a bench command, a job, a user of another language)."""
	return stored_text("Year {0}, month {1}").format(int(year), int(month))


def check_period(year, month) -> tuple[int, int]:
	try:
		return rb.check_period(year, month)
	except rb.BulletinRuleError:
		frappe.throw(
			_("{0}-{1} is not a valid bulletin period (year 2000–2099, month 1–12).").format(year, month),
			BulletinPeriodError,
		)
