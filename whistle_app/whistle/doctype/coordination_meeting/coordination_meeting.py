# Copyright (c) 2026, whistle_app developers
# For license information, please see license.txt

from whistle_app.coordination import MeetingController


# 区长调度会商会 (RULES §12): the behaviour lives in ``whistle_app.coordination``.
class CoordinationMeeting(MeetingController):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF
		from whistle_app.whistle.doctype.coordination_agenda_item.coordination_agenda_item import (
			CoordinationAgendaItem,
		)
		from whistle_app.whistle.doctype.coordination_meeting_log.coordination_meeting_log import (
			CoordinationMeetingLog,
		)
		from whistle_app.whistle.doctype.coordination_meeting_unit.coordination_meeting_unit import (
			CoordinationMeetingUnit,
		)

		action_reason: DF.SmallText | None
		agenda: DF.Table[CoordinationAgendaItem]
		amended_from: DF.Link | None
		attending_units: DF.TableMultiSelect[CoordinationMeetingUnit]
		chair: DF.Link
		chair_name: DF.Data | None
		held_on: DF.Datetime | None
		history: DF.Table[CoordinationMeetingLog]
		location: DF.Data | None
		meeting_date: DF.Date
		meeting_title: DF.Data | None
		published_by: DF.Link | None
		published_on: DF.Datetime | None
		summary: DF.Text | None
		workflow_state: DF.Link | None
	# end: auto-generated types
	pass
