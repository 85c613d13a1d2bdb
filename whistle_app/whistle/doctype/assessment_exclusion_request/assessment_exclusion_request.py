# Copyright (c) 2026, whistle_app developers
# For license information, please see license.txt

from whistle_app.requests import SlipRequest


# 考核剔除申请 (RULES §3.1 assessment exclusion after rating): the behaviour is shared and lives in ``whistle_app.requests``.
class AssessmentExclusionRequest(SlipRequest):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		action_reason: DF.SmallText | None
		amended_from: DF.Link | None
		approved_by: DF.Link | None
		approved_on: DF.Datetime | None
		decision_reason: DF.SmallText | None
		department: DF.Link | None
		explanation_attachment: DF.Attach | None
		reason: DF.SmallText
		requested_by: DF.Link | None
		requested_on: DF.Datetime | None
		slip: DF.Link
		slip_title: DF.Data | None
		whistle_unit: DF.Link | None
		workflow_state: DF.Link | None
	# end: auto-generated types
