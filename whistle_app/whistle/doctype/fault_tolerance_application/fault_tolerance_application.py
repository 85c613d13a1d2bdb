# Copyright (c) 2026, whistle_app developers
# For license information, please see license.txt

from whistle_app.accountability import ApplicationController


# 容错免责申请 (RULES §13): the behaviour lives in ``whistle_app.accountability``.
class FaultToleranceApplication(ApplicationController):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		action_reason: DF.SmallText | None
		amended_from: DF.Link | None
		applied_by: DF.Link | None
		applied_on: DF.Datetime | None
		case: DF.Link
		decided_by: DF.Link | None
		decided_on: DF.Datetime | None
		decision_reason: DF.SmallText | None
		description: DF.Text
		evidence_attachment: DF.Attach | None
		reason: DF.Literal["Pioneering Trial", "Unclear Policy Boundary", "Force Majeure", "Other"]
		review_opinion: DF.SmallText | None
		reviewed_by: DF.Link | None
		reviewed_on: DF.Datetime | None
		whistle_unit: DF.Link | None
		workflow_state: DF.Link | None
	# end: auto-generated types
	pass
