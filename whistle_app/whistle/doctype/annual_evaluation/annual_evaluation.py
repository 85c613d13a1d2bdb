# Copyright (c) 2026, whistle_app developers
# For license information, please see license.txt

from frappe.model.document import Document

from whistle_app.evaluation import annual_name, validate_deletable, validate_system_write


# Written by ``whistle_app.evaluation`` only (RULES §8); a final evaluation never changes.
class AnnualEvaluation(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF
		from whistle_app.whistle.doctype.annual_evaluation_unit.annual_evaluation_unit import (
			AnnualEvaluationUnit,
		)

		all_units_avg_cases: DF.Float
		evaluated_by: DF.Link | None
		evaluated_on: DF.Datetime | None
		finalised_by: DF.Link | None
		finalised_on: DF.Datetime | None
		q1_evaluation: DF.Link | None
		q2_evaluation: DF.Link | None
		q3_evaluation: DF.Link | None
		q4_evaluation: DF.Link | None
		status: DF.Literal["Draft", "Final"]
		title: DF.Data | None
		units: DF.Table[AnnualEvaluationUnit]
		uplift_baseline: DF.Literal["Same Class", "All Assessed Units"]
		year: DF.Int

	# end: auto-generated types
	def autoname(self):
		self.name = annual_name(int(self.year or 0))

	def validate(self):
		validate_system_write(self)

	def on_trash(self):
		validate_deletable(self)
