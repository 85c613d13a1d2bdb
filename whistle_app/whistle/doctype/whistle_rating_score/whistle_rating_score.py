# Copyright (c) 2026, whistle_app developers
# For license information, please see license.txt

from frappe.model.document import Document


class WhistleRatingScore(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		criterion: DF.Data
		max_points: DF.Int
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		score: DF.Data | None
	# end: auto-generated types
	pass
