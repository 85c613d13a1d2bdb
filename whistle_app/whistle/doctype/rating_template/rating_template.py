# Copyright (c) 2026, whistle_app developers
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from whistle_app.ratings import RatingError
from whistle_app.rules import scoring


class RatingTemplate(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF
		from whistle_app.whistle.doctype.rating_template_criterion.rating_template_criterion import (
			RatingTemplateCriterion,
		)

		active_from: DF.Date
		criteria: DF.Table[RatingTemplateCriterion]
		rater_kind: DF.Literal["", "Park", "Lead Department"]
		template_name: DF.Data
		total_points: DF.Int

	# end: auto-generated types
	def validate(self):
		maxima: dict[str, int] = {}
		for row in self.criteria:
			row.criterion = (row.criterion or "").strip()
			if row.criterion in maxima:
				frappe.throw(_("Criterion {0} appears twice.").format(row.criterion), RatingError)
			maxima[row.criterion] = _whole(row.max_points)
		if not scoring.template_is_valid(maxima):
			frappe.throw(
				_(
					"The maximum points of a rating template must be positive whole numbers summing to {0}; these sum to {1}."
				).format(scoring.TEMPLATE_TOTAL, sum(v for v in maxima.values() if isinstance(v, int))),
				RatingError,
			)
		self.total_points = sum(maxima.values())
		self.validate_in_use()

	def validate_in_use(self):
		"""A template some rating uses keeps its form: changes go into a new template (new ratings only)."""
		before = self.get_doc_before_save()
		if not before or not frappe.db.exists("Whistle Rating", {"template": self.name}):
			return
		if _form(before) != _form(self):
			frappe.throw(
				_(
					"Rating template {0} is used by ratings and cannot change; create a new template with a later Active From."
				).format(self.name),
				RatingError,
			)

	def on_trash(self):
		if frappe.db.exists("Whistle Rating", {"template": self.name}):
			frappe.throw(_("Rating template {0} is used by ratings.").format(self.name), RatingError)


def _whole(value):
	if isinstance(value, float) and value.is_integer():
		return int(value)
	return value


def _form(doc) -> tuple:
	return (
		doc.rater_kind,
		str(doc.active_from),
		tuple((row.criterion, int(row.max_points or 0)) for row in doc.criteria),
	)
