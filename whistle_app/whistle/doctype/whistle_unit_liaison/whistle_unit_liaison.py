# Copyright (c) 2026, whistle_app developers
# For license information, please see license.txt

from frappe.model.document import Document


class WhistleUnitLiaison(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		full_name: DF.Data | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		phone: DF.Data | None
		user: DF.Link
	# end: auto-generated types
	pass
