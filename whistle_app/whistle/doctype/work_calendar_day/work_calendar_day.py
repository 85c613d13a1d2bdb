# Copyright (c) 2026, whistle_app developers
# For license information, please see license.txt

from frappe.model.document import Document


class WorkCalendarDay(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		date: DF.Date
		holiday_name: DF.Data | None
		kind: DF.Literal["Rest Day", "Adjusted Working Day"]
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		source: DF.Literal["Official", "Administrator"]
	# end: auto-generated types
	pass
