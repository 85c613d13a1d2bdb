# Copyright (c) 2026, whistle_app developers
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from whistle_app.rules import survey as sv
from whistle_app.surveys import SurveyStateError, SurveyTallyError, survey_name

TALLY_COUNTS = ("satisfied", "fairly_satisfied", "basically_satisfied", "dissatisfied")


class SatisfactionSurvey(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF
		from whistle_app.whistle.doctype.satisfaction_survey_tally.satisfaction_survey_tally import (
			SatisfactionSurveyTally,
		)

		closed_by: DF.Link | None
		closed_on: DF.Datetime | None
		open_to_all_enterprises: DF.Check
		opened_by: DF.Link | None
		opened_on: DF.Datetime | None
		quarter: DF.Literal["1", "2", "3", "4"]
		status: DF.Literal["Draft", "Voting", "Closed"]
		tallies: DF.Table[SatisfactionSurveyTally]
		title: DF.Data | None
		year: DF.Int

	# end: auto-generated types
	def autoname(self):
		self.name = survey_name(int(self.year or 0), int(self.quarter or 0))

	def before_insert(self):
		self.validate_new_period()

	def validate(self):
		self.validate_status_change()
		self.validate_closed_unchanged()
		self.set_title()
		self.validate_tallies()

	def on_trash(self):
		self.validate_no_votes()

	def validate_new_period(self):
		if frappe.db.exists("Satisfaction Survey", survey_name(int(self.year or 0), int(self.quarter or 0))):
			frappe.throw(
				_("The satisfaction survey of {0} Q{1} already exists.").format(self.year, self.quarter),
				SurveyStateError,
			)
		self.status = sv.DRAFT
		for field in ("opened_on", "opened_by", "closed_on", "closed_by"):
			self.set(field, None)

	def validate_status_change(self):
		before = self.get_doc_before_save()
		saved = before.status if before else sv.DRAFT
		if self.status != saved and not self.flags.survey_transition:
			frappe.throw(_("Open or close the survey with its buttons."), SurveyStateError)

	def validate_closed_unchanged(self):
		before = self.get_doc_before_save()
		if before and before.status == sv.CLOSED:
			frappe.throw(
				_("Satisfaction survey {0} is closed and can no longer be changed.").format(self.name),
				SurveyStateError,
			)

	def set_title(self):
		self.title = _("{0} Q{1} Enterprise Satisfaction Survey").format(self.year, self.quarter)

	def validate_tallies(self):
		if len(self.tallies) > sv.MAX_TALLY_ROWS:
			frappe.throw(
				_("A tally has at most {0} rows, one per reporting unit.").format(sv.MAX_TALLY_ROWS),
				SurveyTallyError,
			)
		seen = set()
		for row in self.tallies:
			if row.whistle_unit in seen:
				frappe.throw(
					_("Row {0}: {1} has more than one tally row.").format(row.idx, row.whistle_unit),
					SurveyTallyError,
				)
			seen.add(row.whistle_unit)
			if frappe.db.get_value("Whistle Unit", row.whistle_unit, "unit_type") != "Reporting Unit":
				frappe.throw(
					_("Row {0}: {1} is not a reporting unit.").format(row.idx, row.whistle_unit),
					SurveyTallyError,
				)
			for field in TALLY_COUNTS:
				value = whole_number(row.get(field))
				if value is None or value < 0 or value > sv.MAX_VOTES_PER_LEVEL:
					frappe.throw(
						_("Row {0}: vote counts are whole numbers from 0 to {1}.").format(
							row.idx, sv.MAX_VOTES_PER_LEVEL
						),
						SurveyTallyError,
					)
				row.set(field, value)
			row.total = sum(row.get(field) for field in TALLY_COUNTS)

	def validate_no_votes(self):
		if frappe.db.exists("Satisfaction Vote", {"survey": self.name}):
			frappe.throw(
				_("Satisfaction survey {0} has votes and cannot be deleted.").format(self.name),
				SurveyStateError,
			)


def whole_number(value) -> int | None:
	"""A vote count as an int (empty is 0); None when it is not a whole number."""
	if value in (None, ""):
		return 0
	if isinstance(value, bool):
		return None
	if isinstance(value, int):
		return value
	if isinstance(value, float):
		return int(value) if value.is_integer() else None
	text = str(value).strip()
	return int(text) if text.lstrip("-").isdigit() else None
