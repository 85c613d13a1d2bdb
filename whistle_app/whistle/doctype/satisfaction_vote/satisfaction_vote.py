# Copyright (c) 2026, whistle_app developers
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document


class SatisfactionVote(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		enterprise: DF.Link
		level: DF.Literal["Satisfied", "Fairly Satisfied", "Basically Satisfied", "Dissatisfied"]
		survey: DF.Link
		vote_key: DF.Data | None
		voted_by: DF.Link | None
		voted_on: DF.Datetime | None
		whistle_unit: DF.Link

	# end: auto-generated types
	def validate(self):
		self.validate_cast_by_enterprise()

	def validate_cast_by_enterprise(self):
		"""Votes are written only by ``whistle_app.surveys.cast_vote`` and never changed."""
		if not self.flags.cast_by_enterprise:
			frappe.throw(_("A satisfaction vote cannot be changed."), frappe.PermissionError)
