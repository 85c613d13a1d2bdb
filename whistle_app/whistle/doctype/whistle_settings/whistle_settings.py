# Copyright (c) 2026, whistle_app developers
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, flt

from whistle_app.rules import lifecycle as lc

DEADLINE_MESSAGES = {
	"response": "The response deadline can be at most {longest} working day and at least 1; {value} is not allowed.",
	"meeting": "The joint meeting deadline can be at most {longest} working days and at least 1; {value} is not allowed.",
}


class DeadlineSettingError(frappe.ValidationError):
	pass


class FairnessSettingError(frappe.ValidationError):
	pass


class WhistleSettings(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from whistle_app.whistle.doctype.whistle_deadline_rule.whistle_deadline_rule import (
			WhistleDeadlineRule,
		)

		category_deadlines: DF.Table[WhistleDeadlineRule]
		completion_span_months: DF.Int
		coordination_extensions: DF.Int
		coordination_overdue_days: DF.Int
		coordination_reworks: DF.Int
		fairness_favour_gap: DF.Float
		fairness_favour_min: DF.Int
		fairness_lenient_full: DF.Percent
		fairness_lenient_gap: DF.Float
		fairness_min_ratings: DF.Int
		fairness_uniform_identical: DF.Percent
		fairness_uniform_sd: DF.Float
		green_channel_meeting_days: DF.Int
		green_channel_response_days: DF.Int
		hide_rating_comment_from_rated: DF.Check
		seeded_units: DF.LongText | None
		serious_overdue_days: DF.Int
		uplift_baseline: DF.Literal["Same Class", "All Assessed Units"]
		warning_days_before: DF.Int
	# end: auto-generated types

	def validate(self):
		self.validate_deadline_days()
		self.validate_fairness_thresholds()

	def validate_fairness_thresholds(self):
		"""§14: the counts are at least 1 and the shares are percentages (0 to 100)."""
		for field in ("fairness_min_ratings", "fairness_favour_min"):
			if self.get(field) is not None and cint(self.get(field)) < 1:
				frappe.throw(
					_("{0} must be at least 1.").format(_(self.meta.get_label(field))), FairnessSettingError
				)
		for field in ("fairness_uniform_identical", "fairness_lenient_full"):
			if self.get(field) is not None and not 0 <= flt(self.get(field)) <= 100:
				frappe.throw(
					_("{0} must be between 0 and 100.").format(_(self.meta.get_label(field))),
					FairnessSettingError,
				)

	def validate_deadline_days(self):
		"""§4 [decision]: shorter than the plan's deadlines, never longer and never below 1; one row per
		category."""
		rows = [(_("Green Channel"), self.green_channel_response_days, self.green_channel_meeting_days)]
		rows += [(_(row.category), row.response_days, row.meeting_days) for row in self.category_deadlines]
		for where, response, meeting in rows:
			try:
				lc.check_deadline_days(response, meeting)
			except lc.DeadlineDaysError as e:
				frappe.throw(
					f"{where}：" + _(DEADLINE_MESSAGES[e.code]).format(**e.params), DeadlineSettingError
				)
		categories = [row.category for row in self.category_deadlines]
		for category in set(categories):
			if categories.count(category) > 1:
				frappe.throw(
					_("The category {0} has more than one deadline row.").format(_(category)),
					DeadlineSettingError,
				)


def deadline_days(category: str | None, green_channel: bool) -> tuple[int, int]:
	"""The (response, meeting) working days for a whistle dispatched now, from the settings (§4)."""
	settings = frappe.get_cached_doc("Whistle Settings")
	by_category = {row.category: (row.response_days, row.meeting_days) for row in settings.category_deadlines}
	green = (settings.green_channel_response_days, settings.green_channel_meeting_days)
	return lc.deadline_days(category, bool(green_channel), green, by_category)
