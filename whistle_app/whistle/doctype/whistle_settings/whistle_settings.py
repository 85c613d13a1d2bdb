# Copyright (c) 2026, whistle_app developers
# For license information, please see license.txt

from frappe.model.document import Document


class WhistleSettings(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		hide_rating_comment_from_rated: DF.Check
		seeded_units: DF.LongText | None
		serious_overdue_days: DF.Int
		uplift_baseline: DF.Literal["Same Class", "All Assessed Units"]
		warning_days_before: DF.Int
	# end: auto-generated types
	pass
