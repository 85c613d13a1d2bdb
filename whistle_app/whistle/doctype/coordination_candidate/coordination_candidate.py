# Copyright (c) 2026, whistle_app developers
# For license information, please see license.txt

from whistle_app.coordination import CandidateController


# 提请调度 (RULES §12): the behaviour lives in ``whistle_app.coordination``.
class CoordinationCandidate(CandidateController):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		candidate_key: DF.Data | None
		decided_by: DF.Link | None
		decided_on: DF.Datetime | None
		decline_reason: DF.SmallText | None
		details: DF.SmallText | None
		meeting: DF.Link | None
		proposed_by: DF.Link | None
		proposed_on: DF.Datetime | None
		reason: DF.Literal[
			"\u529e\u7ed3\u903e\u671f",
			"\u591a\u6b21\u5ef6\u671f",
			"\u591a\u6b21\u91cd\u529e",
			"\u7533\u8bf7\u4e0d\u5217\u5165\u8003\u6838",
			"\u7eff\u8272\u901a\u9053\u903e\u671f",
			"\u529e\u516c\u5ba4\u63d0\u540d",
			"\u5355\u4f4d\u7533\u8bf7",
		]
		requesting_unit: DF.Link | None
		slip: DF.Link
		slip_title: DF.Data | None
		source: DF.Literal["\u81ea\u52a8", "\u529e\u516c\u5ba4\u63d0\u540d", "\u5355\u4f4d\u7533\u8bf7"]
		status: DF.Literal["\u5f85\u5904\u7406", "\u5df2\u5217\u5165\u8bae\u7a0b", "\u5df2\u9a73\u56de"]
		whistle_unit: DF.Link | None
	# end: auto-generated types
	pass
