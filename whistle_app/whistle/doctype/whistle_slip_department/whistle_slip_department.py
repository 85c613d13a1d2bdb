# Copyright (c) 2026, whistle_app developers
# For license information, please see license.txt

from frappe.model.document import Document


class WhistleSlipDepartment(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		assigned_task: DF.SmallText | None
		department: DF.Link
		department_role: DF.Literal["", "Sole", "Lead", "Co"]
		dept_status: DF.Literal["", "Pending", "Reported", "Handling", "Completed"]
		excluded_from_assessment: DF.Check
		overdue: DF.Check
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		warning_level: DF.Literal["\u6b63\u5e38", "\u4e34\u671f", "\u903e\u671f", "\u4e25\u91cd\u903e\u671f"]
	# end: auto-generated types
	pass
