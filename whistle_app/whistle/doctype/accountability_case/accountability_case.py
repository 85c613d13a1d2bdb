# Copyright (c) 2026, whistle_app developers
# For license information, please see license.txt

from whistle_app.accountability import CaseController


# 问责线索 (RULES §13): the behaviour lives in ``whistle_app.accountability``.
class AccountabilityCase(CaseController):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF
		from whistle_app.whistle.doctype.accountability_case_log.accountability_case_log import (
			AccountabilityCaseLog,
		)
		from whistle_app.whistle.doctype.accountability_case_person.accountability_case_person import (
			AccountabilityCasePerson,
		)

		action_reason: DF.SmallText | None
		closed_by: DF.Link | None
		closed_on: DF.Datetime | None
		closing_reason: DF.SmallText | None
		decided_by: DF.Link | None
		decided_on: DF.Datetime | None
		evidence: DF.DynamicLink
		evidence_type: DF.Literal["Snail Award", "Annual Evaluation", "Supervision Bulletin", "Whistle Slip"]
		facts: DF.Text
		fault_tolerance_application: DF.Link | None
		history: DF.Table[AccountabilityCaseLog]
		kind: DF.Literal[
			"Inaction", "Slow Action", "Reckless Action", "Buck-passing", "Perfunctory Work", "Other"
		]
		opened_on: DF.Date | None
		outcome: DF.Literal["", "Talk Reminder", "Criticism in a Circular", "Post Adjustment", "Other"]
		outcome_details: DF.SmallText | None
		people: DF.Table[AccountabilityCasePerson]
		referral_date: DF.Date | None
		referral_number: DF.Data | None
		referral_result: DF.SmallText | None
		referred_by: DF.Link | None
		registered_by: DF.Link | None
		verified_by: DF.Link | None
		verified_on: DF.Datetime | None
		whistle_unit: DF.Link
		without_accountability: DF.Check
		workflow_state: DF.Link | None
	# end: auto-generated types
	pass
