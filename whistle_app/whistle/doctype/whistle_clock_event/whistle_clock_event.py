# Copyright (c) 2026, whistle_app developers
# For license information, please see license.txt

from frappe.model.document import Document


class WhistleClockEvent(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		clock: DF.Literal["", "response", "meeting", "completion", "rating", "decision"]
		deadline: DF.Datetime
		decision: DF.Link | None
		department: DF.Link
		event_key: DF.Data
		kind: DF.Literal["", "reminder", "escalation"]
		recipients: DF.SmallText | None
		sent_on: DF.Datetime | None
		slip: DF.Link
	# end: auto-generated types
	pass
