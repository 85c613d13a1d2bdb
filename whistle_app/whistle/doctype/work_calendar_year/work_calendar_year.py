# Copyright (c) 2026, whistle_app developers
# For license information, please see license.txt

from datetime import date

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate, now_datetime

from whistle_app.calendar import (
	ADMINISTRATOR,
	MAX_YEAR,
	MIN_YEAR,
	OFFICIAL,
	check_can_confirm,
	confirm_year,
	invalidate_work_calendar,
	revoke_year_confirmation,
)
from whistle_app.clocks import refresh_open_deadlines


class CalendarYearError(frappe.ValidationError):
	pass


class DayOutsideYearError(frappe.ValidationError):
	pass


class DuplicateDayError(frappe.ValidationError):
	pass


class WorkCalendarYear(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF
		from whistle_app.whistle.doctype.work_calendar_day.work_calendar_day import WorkCalendarDay

		confirmed: DF.Check
		confirmed_by: DF.Link | None
		confirmed_on: DF.Datetime | None
		days: DF.Table[WorkCalendarDay]
		removed_days: DF.SmallText | None
		year: DF.Data

	# end: auto-generated types
	def autoname(self):
		self.validate_year()
		self.name = self.year

	def validate(self):
		self.validate_year()
		self.set_day_values()
		self.validate_days_in_year()
		self.validate_unique_days()
		self.set_day_sources()
		self.set_removed_days()
		self.set_day_order()
		self.set_confirmation()

	def on_update(self):
		invalidate_work_calendar()
		refresh_open_deadlines()  # deadlines still ahead follow the calendar; warnings follow (§4)

	def on_trash(self):
		invalidate_work_calendar()

	@frappe.whitelist()
	def confirm(self):
		return confirm_year(self.year)

	@frappe.whitelist()
	def revoke_confirmation(self):
		return revoke_year_confirmation(self.year)

	def get_removed_days(self) -> list:
		"""The days an administrator removed (seeding never adds them again), as dates."""
		return [getdate(line) for line in (self.removed_days or "").split() if line]

	# --- validation ------------------------------------------------------------------------------

	def validate_year(self):
		"""Four digits (a text field, so that the desk never shows it as 2,026)."""
		self.year = str(self.year or "").strip()
		if not (self.year.isascii() and self.year.isdigit()) or not MIN_YEAR <= int(self.year) <= MAX_YEAR:
			frappe.throw(
				_("The calendar year must be between {0} and {1}.").format(MIN_YEAR, MAX_YEAR),
				CalendarYearError,
			)

	def set_day_values(self):
		for row in self.days:
			row.date = getdate(row.date) if row.date else None
			row.holiday_name = (row.holiday_name or "").strip()

	def validate_days_in_year(self):
		for row in self.days:
			if row.date and row.date.year != int(self.year):
				frappe.throw(
					_("Row {0}: {1} does not lie in {2}.").format(row.idx, row.date.isoformat(), self.year),
					DayOutsideYearError,
				)

	def validate_unique_days(self):
		seen = set()
		for row in self.days:
			if row.date and row.date in seen:
				frappe.throw(
					_("Row {0}: the day {1} is listed twice.").format(row.idx, row.date.isoformat()),
					DuplicateDayError,
				)
			seen.add(row.date)

	def set_day_sources(self):
		"""A row a user adds or edits is the administrator's; only the seeder writes official rows."""
		if self.flags.whistle_seeding:
			return
		before = {row.name: row for row in self.stored_days()}
		for row in self.days:
			old = before.get(row.name)
			if old is None or old.source != OFFICIAL or row_changed(old, row):
				row.source = ADMINISTRATOR
			else:
				row.source = OFFICIAL

	def set_removed_days(self):
		"""Remember the days a user removed or moved, so that seeding never brings them back."""
		before = self.get_doc_before_save()
		removed = set(before.get_removed_days()) if before else set()
		if not self.flags.whistle_seeding:
			current = {row.name: row.date for row in self.days}
			for old in self.stored_days():
				if current.get(old.name) != getdate(old.date):
					removed.add(getdate(old.date))
		removed -= {row.date for row in self.days}
		self.removed_days = "\n".join(sorted(day.isoformat() for day in removed)) or None

	def set_day_order(self):
		self.days.sort(key=lambda row: row.date or date.min)
		for idx, row in enumerate(self.days, start=1):
			row.idx = idx

	def set_confirmation(self):
		"""Who confirmed and when is recorded here only: it cannot be set by hand."""
		before = self.get_doc_before_save()
		was_confirmed = bool(before and before.confirmed)
		if bool(self.confirmed) == was_confirmed:
			self.confirmed_by = before.confirmed_by if was_confirmed else None
			self.confirmed_on = before.confirmed_on if was_confirmed else None
			return
		check_can_confirm()
		if self.confirmed:
			self.confirmed_by = frappe.session.user
			self.confirmed_on = now_datetime()
		else:
			self.confirmed_by = None
			self.confirmed_on = None

	def stored_days(self) -> list:
		before = self.get_doc_before_save()
		return list(before.days) if before else []


def row_changed(old, new) -> bool:
	return (getdate(old.date), old.kind, old.holiday_name or "") != (
		getdate(new.date),
		new.kind,
		new.holiday_name or "",
	)
