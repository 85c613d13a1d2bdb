# Copyright (c) 2026, whistle_app developers
# For license information, please see license.txt

from frappe.model.document import Document

from whistle_app.evaluation import quarterly_name, validate_deletable, validate_system_write


# Written by ``whistle_app.evaluation`` only (RULES §7); a final evaluation never changes.
class QuarterlyEvaluation(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF
		from whistle_app.whistle.doctype.quarterly_evaluation_unit.quarterly_evaluation_unit import (
			QuarterlyEvaluationUnit,
		)

		counted_cases: DF.Int
		evaluated_by: DF.Link | None
		evaluated_on: DF.Datetime | None
		excluded_cases: DF.Int
		finalised_by: DF.Link | None
		finalised_on: DF.Datetime | None
		period_end: DF.Date | None
		period_start: DF.Date | None
		quarter: DF.Literal["1", "2", "3", "4"]
		status: DF.Literal["Draft", "Final"]
		survey: DF.Link | None
		survey_status: DF.Data | None
		title: DF.Data | None
		units: DF.Table[QuarterlyEvaluationUnit]
		year: DF.Int

	# end: auto-generated types
	def autoname(self):
		self.name = quarterly_name(int(self.year or 0), int(self.quarter or 0))

	def validate(self):
		validate_system_write(self)

	def on_trash(self):
		validate_deletable(self)
