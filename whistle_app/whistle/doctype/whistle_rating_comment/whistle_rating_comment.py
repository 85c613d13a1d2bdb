# Copyright (c) 2026, whistle_app developers
# For license information, please see license.txt

from frappe.model.document import Document


class WhistleRatingComment(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		comment: DF.SmallText | None
		rating: DF.Link
	# end: auto-generated types

	# Written by the Whistle Rating controller only (``whistle_app.ratings.comments.save_comment``); read
	# through the rating's virtual ``comment`` field, which checks who is reading (RULES §10).
	pass
