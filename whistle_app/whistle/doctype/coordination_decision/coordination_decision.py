# Copyright (c) 2026, whistle_app developers
# For license information, please see license.txt

from whistle_app.coordination import DecisionController


# 议定事项 (RULES §12): the behaviour lives in ``whistle_app.coordination``.
class CoordinationDecision(DecisionController):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF
		from whistle_app.whistle.doctype.coordination_decision_log.coordination_decision_log import (
			CoordinationDecisionLog,
		)
		from whistle_app.whistle.doctype.coordination_decision_unit.coordination_decision_unit import (
			CoordinationDecisionUnit,
		)

		accepted_by: DF.Link | None
		accepted_on: DF.Datetime | None
		action_reason: DF.SmallText | None
		amended_from: DF.Link | None
		chair: DF.Link | None
		deadline_date: DF.Date | None
		deadline_type: DF.Literal["\u6307\u5b9a\u65e5\u671f", "\u5370\u53d1\u540e\u5de5\u4f5c\u65e5"]
		due_on: DF.Datetime | None
		history: DF.Table[CoordinationDecisionLog]
		meeting: DF.Link
		office_reason: DF.SmallText | None
		overdue: DF.Check
		published_on: DF.Datetime | None
		reported_by: DF.Link | None
		reported_on: DF.Datetime | None
		responsible_units: DF.TableMultiSelect[CoordinationDecisionUnit]
		result: DF.SmallText | None
		slip: DF.Link
		slip_title: DF.Data | None
		what: DF.SmallText
		whistle_unit: DF.Link | None
		workflow_state: DF.Link | None
		working_days: DF.Int
	# end: auto-generated types
	pass
