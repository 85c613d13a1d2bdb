# Copyright (c) 2026, whistle_app developers
# For license information, please see license.txt

from frappe.model.document import Document


class RaterFairnessReview(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		flag: DF.Literal["Uniform", "Lenient", "Favouritism"]
		note: DF.SmallText | None
		outcome: DF.Literal["No Issue", "Reminded", "Other"]
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		reviewed_by: DF.Link | None
		reviewed_on: DF.Datetime | None
	# end: auto-generated types
	pass
