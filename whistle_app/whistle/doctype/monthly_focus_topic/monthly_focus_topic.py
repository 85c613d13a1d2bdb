# Copyright (c) 2026, whistle_app developers
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate

from whistle_app.analysis import FocusTopicError, refresh_month_bulletin, validate_focus_sub_topic


class MonthlyFocusTopic(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		category: DF.Literal[
			"",
			"Efficiency Improvement",
			"Comprehensive Coordination",
			"Docking and Striving",
			"Case by Case",
			"Other",
		]
		month: DF.Date
		month_key: DF.Data | None
		note: DF.SmallText | None
		sub_topic: DF.Link
		title: DF.Data

	# end: auto-generated types
	def autoname(self):
		self.set_month()
		self.name = f"MFT-{self.month_key}"

	def validate(self):
		self.set_month()
		self.validate_unique_month()
		validate_focus_sub_topic(self)

	def on_update(self):
		refresh_month_bulletin(self)  # a draft bulletin of the month shows the topic at once

	def after_delete(self):
		refresh_month_bulletin(self)

	def set_month(self):
		if not self.month:
			frappe.throw(_("Choose the month of the focus topic."), FocusTopicError)
		day = getdate(self.month)
		self.month = day.replace(day=1)
		self.month_key = f"{day.year}-{day.month:02d}"

	def validate_unique_month(self):
		filters = {"month_key": self.month_key}
		if not self.is_new():
			filters["name"] = ("!=", self.name)
		other = frappe.db.get_value("Monthly Focus Topic", filters) or (
			self.is_new() and frappe.db.exists("Monthly Focus Topic", self.name)
		)
		if other:
			frappe.throw(
				_("The focus topic of {0} already exists: {1}.").format(self.month_key, other),
				FocusTopicError,
			)
