# Copyright (c) 2026, whistle_app developers
# For license information, please see license.txt

from frappe.model.document import Document


class SupervisionBulletinUnit(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		assessment_class: DF.Literal["", "A", "B", "C"]
		average_score: DF.Float
		closures: DF.Int
		completions_late: DF.Int
		decisions_late: DF.Int
		completions_on_time: DF.Int
		department: DF.Link
		meetings_late: DF.Int
		meetings_on_time: DF.Int
		named: DF.Check
		open_now: DF.Int
		overdue_now: DF.Int
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		proposed: DF.Check
		responses_late: DF.Int
		responses_on_time: DF.Int
		slips_received: DF.Int
		urged: DF.Int
	# end: auto-generated types
	pass
