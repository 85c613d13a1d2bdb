# Copyright (c) 2026, whistle_app developers
# For license information, please see license.txt

from frappe.model.document import Document


class WhistleDeadlineRule(Document):
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
		meeting_days: DF.Int
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		response_days: DF.Int
	# end: auto-generated types
	pass
