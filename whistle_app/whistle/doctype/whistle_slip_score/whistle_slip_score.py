# Copyright (c) 2026, whistle_app developers
# For license information, please see license.txt

from frappe.model.document import Document


# System-maintained by ``whistle_app.ratings.scores.update_slip_scores``; read-only for users.
class WhistleSlipScore(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		assessment_class: DF.Literal["", "A", "B", "C"]
		closed_on: DF.Datetime | None
		department: DF.Link | None
		excluded_from_assessment: DF.Check
		is_co_department: DF.Check
		lead_rating: DF.Int
		park_rating: DF.Int
		rating_complete: DF.Check
		slip: DF.Link | None
		slip_score: DF.Float
		whistle_unit: DF.Link | None

	# end: auto-generated types
	def autoname(self):
		self.name = f"{self.slip}-{self.department}"
