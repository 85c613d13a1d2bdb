# Copyright (c) 2026, whistle_app developers
# For license information, please see license.txt

from frappe.model.document import Document


class CoordinationAgendaItem(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		candidate_reasons: DF.SmallText | None
		category: DF.Data | None
		clocks: DF.SmallText | None
		departments: DF.SmallText | None
		extensions: DF.SmallText | None
		facts_as_of: DF.Datetime | None
		green_channel: DF.Check
		last_progress: DF.SmallText | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		ratings: DF.SmallText | None
		rework_count: DF.Int
		slip: DF.Link
		slip_state: DF.Data | None
		slip_title: DF.Data | None
		whistle_unit: DF.Link | None
	# end: auto-generated types
	pass
