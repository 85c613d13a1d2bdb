# Copyright (c) 2026, whistle_app developers
# For license information, please see license.txt

from frappe.model.document import Document


class AnnualEvaluationUnit(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		annual_score: DF.Float
		annual_score_rounded: DF.Float
		assessment_class: DF.Literal["", "A", "B", "C"]
		avg_cases: DF.Float
		base: DF.Float
		cases: DF.Int
		class_average: DF.Float
		class_ranked: DF.Check
		computed_score: DF.Float
		deputy_leader: DF.Data | None
		display_order: DF.Int
		division_head: DF.Data | None
		division_name: DF.Data | None
		final_position: DF.Int
		is_last: DF.Check
		namings: DF.Int
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		penalised: DF.Check
		position: DF.Int
		principal_leader: DF.Data | None
		q1_cases: DF.Int
		q1_score: DF.Float
		q2_cases: DF.Int
		q2_score: DF.Float
		q3_cases: DF.Int
		q3_score: DF.Float
		q4_cases: DF.Int
		q4_score: DF.Float
		quarters_counted: DF.Data | None
		substituted: DF.Check
		uplift_percent: DF.Int
		whistle_unit: DF.Link | None
	# end: auto-generated types
	pass
