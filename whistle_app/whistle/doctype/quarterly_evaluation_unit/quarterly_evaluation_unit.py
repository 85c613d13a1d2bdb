# Copyright (c) 2026, whistle_app developers
# For license information, please see license.txt

from frappe.model.document import Document


class QuarterlyEvaluationUnit(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		assessment_class: DF.Literal["", "A", "B", "C"]
		basically_satisfied: DF.Int
		cases: DF.Int
		class_average: DF.Float
		class_ranked: DF.Check
		class_size: DF.Int
		computed_score: DF.Float
		display_order: DF.Int
		dissatisfied: DF.Int
		excluded_cases: DF.Int
		fairly_satisfied: DF.Int
		is_last: DF.Check
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		quarter_score: DF.Float
		quarter_score_rounded: DF.Float
		rank: DF.Int
		satisfaction: DF.Float
		satisfaction_source: DF.Literal["Votes", "Class Mean", "No Votes in Class"]
		satisfied: DF.Int
		slip_avg: DF.Float
		slip_sum: DF.Float
		substituted: DF.Check
		units_with_cases: DF.Int
		vote_total: DF.Int
		whistle_unit: DF.Link | None
	# end: auto-generated types
	pass
