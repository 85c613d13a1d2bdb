# Copyright (c) 2026, whistle_app developers
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cstr, strip_html

from whistle_app.analysis import set_repeat_of, validate_sub_topic
from whistle_app.demand import (
	GUARDED_FIELDS,
	OPEN,
	RESOLVED_LOCALLY,
	TRIAGE_FIELDS,
	DemandStateError,
	DemandUnitError,
	ResolutionRequiredError,
	stamp_new_demand,
)
from whistle_app.organisation import WHISTLING_TYPES, get_unit_type


class EnterpriseDemand(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		contact_person: DF.Data | None
		contact_phone: DF.Data | None
		description: DF.SmallText
		enterprise: DF.Link
		enterprise_name: DF.Data | None
		enterprise_stage: DF.Literal[
			"",
			"\u62db\u5546\u5f15\u8d44",
			"\u9879\u76ee\u5f00\u5de5\u5efa\u8bbe",
			"\u4f01\u4e1a\u6295\u4ea7\u8fd0\u8425",
		]
		escalated_by: DF.Link | None
		escalated_on: DF.Datetime | None
		grid: DF.Data | None
		naming_series: DF.Literal["QS-.YYYY.-"]
		project_name: DF.Data | None
		received_on: DF.Date
		repeat_of: DF.Link | None
		request: DF.SmallText | None
		resolution: DF.SmallText | None
		resolved_by: DF.Link | None
		resolved_on: DF.Datetime | None
		source: DF.Literal["Visit", "Enterprise Online", "Phone", "Other"]
		status: DF.Literal["Open", "Resolved Locally", "Escalated"]
		sub_topic: DF.Link | None
		submitted_by_enterprise: DF.Link | None
		whistle_slip: DF.Link | None
		whistle_unit: DF.Link

	# end: auto-generated types
	def validate(self):
		if self.is_new():
			stamp_new_demand(self)  # in validate: after the server-field guard (whistle_app/guard.py)
		self.validate_unit()
		self.validate_enterprise_unit()
		self.validate_triage_fields()
		self.validate_sub_topic()

	def validate_unit(self):
		unit_type = get_unit_type(self.whistle_unit)
		if unit_type not in WHISTLING_TYPES:
			frappe.throw(
				_("Demands are collected by a park or town; {0} is of type {1}.").format(
					self.whistle_unit, _(unit_type or "")
				),
				DemandUnitError,
			)

	def validate_enterprise_unit(self):
		enterprise_unit = frappe.db.get_value("Enterprise", self.enterprise, "whistle_unit")
		if enterprise_unit and enterprise_unit != self.whistle_unit:
			frappe.throw(
				_("Enterprise {0} belongs to {1}; its demands are collected by {1}, not by {2}.").format(
					self.enterprise_name or self.enterprise, enterprise_unit, self.whistle_unit
				),
				DemandUnitError,
			)

	def validate_triage_fields(self):
		"""Status, result and slip change only through triage (resolve locally / escalate)."""
		if not self.flags.triage:
			if self.is_new():
				if (self.status or OPEN) != OPEN or self.whistle_slip or self.resolution:
					frappe.throw(
						_("A new demand starts open; resolve or escalate it once it is saved."),
						DemandStateError,
					)
				self.status = OPEN
				for fieldname in TRIAGE_FIELDS:
					self.set(fieldname, None)
			else:
				before = self.get_doc_before_save() or frappe.get_doc(self.doctype, self.name)
				changed = [f for f in GUARDED_FIELDS if cstr(before.get(f)) != cstr(self.get(f))]
				if changed:
					frappe.throw(
						_("{0} of a demand change only by resolving it locally or escalating it.").format(
							"、".join(_(self.meta.get_label(f)) for f in changed)
						),
						DemandStateError,
					)
				if before.status != OPEN:
					for fieldname in ("enterprise", "whistle_unit"):
						if cstr(before.get(fieldname)) != cstr(self.get(fieldname)):
							frappe.throw(
								_("The {0} of a triaged demand cannot change.").format(
									_(self.meta.get_label(fieldname))
								),
								DemandStateError,
							)
				for fieldname in TRIAGE_FIELDS:
					self.set(fieldname, before.get(fieldname))
		if self.status == RESOLVED_LOCALLY and not strip_html(cstr(self.resolution)).strip():
			frappe.throw(
				_("Please enter the result of resolving the demand locally."), ResolutionRequiredError
			)

	def validate_sub_topic(self):
		"""§14: an existing, enabled sub-topic and one of the three stages; while the demand is open it is
		linked to an earlier whistle of the same enterprise and sub-topic within 90 days."""
		validate_sub_topic(self, None)
		set_repeat_of(self, (self.status or OPEN) == OPEN)
