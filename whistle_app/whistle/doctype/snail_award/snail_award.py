# Copyright (c) 2026, whistle_app developers
# For license information, please see license.txt

from frappe.model.document import Document

from whistle_app.evaluation import snail_award_name, validate_deletable, validate_system_write


# Proposed by ``whistle_app.evaluation.snail.propose_snail_awards`` (RULES §9) or opened by the
# Efficiency Office from published bulletins (``propose_from_bulletins``); decided only through
# ``decide_snail_award`` by the Efficiency Office; a decided award never changes.
class SnailAward(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF
		from whistle_app.whistle.doctype.snail_award_bulletin.snail_award_bulletin import SnailAwardBulletin

		assessment_class: DF.Literal["", "A", "B", "C"]
		bulletins: DF.Table[SnailAwardBulletin]
		class_size: DF.Int
		decided_by: DF.Link | None
		decided_by_name: DF.Data | None
		decided_on: DF.Datetime | None
		decision_reason: DF.SmallText | None
		naming_count: DF.Int
		origin: DF.Literal["Automatic Proposal", "Efficiency Office Clue"]
		previous_class_size: DF.Int
		previous_evaluation: DF.Link | None
		previous_quarter_score: DF.Float
		previous_rank: DF.Int
		proposal_reason: DF.SmallText | None
		proposed_by: DF.Link | None
		proposed_by_name: DF.Data | None
		proposed_on: DF.Datetime | None
		quarter: DF.Literal["1", "2", "3", "4"]
		quarter_score: DF.Float
		quarterly_evaluation: DF.Link | None
		rank: DF.Int
		status: DF.Literal["Award Proposed", "Awarded", "Not Awarded"]
		whistle_unit: DF.Link | None
		year: DF.Int

	# end: auto-generated types
	def autoname(self):
		self.name = snail_award_name(int(self.year or 0), int(self.quarter or 0), self.whistle_unit)

	def validate(self):
		validate_system_write(self)

	def on_trash(self):
		validate_deletable(self)
