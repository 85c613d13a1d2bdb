# Copyright (c) 2026, whistle_app developers
# For license information, please see license.txt

from frappe.model.document import Document


class WhistleSubTopic(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		category: DF.Literal[
			"Efficiency Improvement",
			"Comprehensive Coordination",
			"Docking and Striving",
			"Case by Case",
			"Other",
		]
		enabled: DF.Check
		sort_order: DF.Int
		topic_name: DF.Data

	# end: auto-generated types
	def before_insert(self):  # the name is taken from it next
		self.topic_name = (self.topic_name or "").strip()
