# Copyright (c) 2026, whistle_app developers
# For license information, please see license.txt

from frappe.model.document import Document


class RaterFairnessStatistic(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF
		from whistle_app.whistle.doctype.rater_fairness_review.rater_fairness_review import (
			RaterFairnessReview,
		)

		computed_on: DF.Datetime | None
		favour_gap: DF.Float
		favoured_department: DF.Link | None
		favoured_ratings: DF.Int
		flag_favouritism: DF.Check
		flag_lenient: DF.Check
		flag_uniform: DF.Check
		flagged: DF.Check
		frozen: DF.Check
		full_marks_share: DF.Percent
		has_peers: DF.Check
		identical_share: DF.Percent
		mean_total: DF.Float
		peer_gap: DF.Float
		peer_mean: DF.Float
		quarter: DF.Literal["1", "2", "3", "4"]
		rater_kind: DF.Literal["Park", "Lead Department"]
		rater_unit: DF.Link
		ratings: DF.Int
		reviews: DF.Table[RaterFairnessReview]
		std_dev: DF.Float
		year: DF.Int
	# end: auto-generated types
	# written by the fairness job only (whistle_app.fairness); users read it, the office adds its
	# reviews through fairness.review_flag
	pass
