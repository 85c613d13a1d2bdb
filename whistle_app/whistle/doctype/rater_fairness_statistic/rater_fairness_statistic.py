# Copyright (c) 2026, whistle_app developers
# For license information, please see license.txt

from frappe.model.document import Document


class RaterFairnessStatistic(Document):
	"""Written by the fairness job only (``whistle_app.fairness``); users read it, the office adds its
	reviews through ``fairness.review_flag``."""

	pass
