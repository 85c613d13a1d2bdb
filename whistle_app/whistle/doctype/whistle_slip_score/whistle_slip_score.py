# Copyright (c) 2026, whistle_app developers
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from whistle_app.ratings import RatingError, submitted_ratings
from whistle_app.rules import ratings as rr


class SlipScoreIntegrityError(RatingError):
	"""A slip score for a department not on the slip, or for a rating that does not exist (issue #25)."""


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

	def validate(self):
		self.validate_department_on_slip()
		self.validate_ratings_exist()

	def validate_department_on_slip(self) -> None:
		"""A slip score belongs to a department on the slip (RULES §5: per department on the slip)."""
		if not frappe.db.exists(
			"Whistle Slip Department",
			{"parent": self.slip, "parenttype": "Whistle Slip", "department": self.department},
		):
			frappe.throw(
				_("{0} is not a department on whistle {1}: it can have no slip score there.").format(
					self.department, self.slip
				),
				SlipScoreIntegrityError,
			)

	def validate_ratings_exist(self) -> None:
		"""Every rating a slip score carries is a submitted rating of that department on the slip."""
		done = submitted_ratings(self.slip)
		needed = []
		if self.rating_complete or self.park_rating:
			needed.append(rr.PARK_RATER)
		if self.is_co_department and (self.rating_complete or self.lead_rating):
			needed.append(rr.LEAD_RATER)
		for kind in needed:
			if (kind, self.department) not in done:
				frappe.throw(
					_(
						"Whistle {0} has no submitted {1} rating of {2}: a slip score needs the rating behind it."
					).format(self.slip, _(kind), self.department),
					SlipScoreIntegrityError,
				)
