# Copyright (c) 2026, whistle_app developers
# For license information, please see license.txt

from frappe.model.document import Document


class SupervisionBulletinProposal(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		assessment_class: DF.Literal["", "A", "B", "C"]
		department: DF.Link
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		rule: DF.Literal[
			"",
			"Late Response",
			"Late Joint Meeting",
			"Completion Overdue",
			"Completed Late",
			"Late Coordination Decision",
		]
		slip_count: DF.Int
		slips: DF.SmallText | None
	# end: auto-generated types
	pass
