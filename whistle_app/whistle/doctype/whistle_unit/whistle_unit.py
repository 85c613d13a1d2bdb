# Copyright (c) 2026, whistle_app developers
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from whistle_app.organisation import (
	REPORTING_UNIT,
	assign_unit_members,
	clear_user_unit_cache,
	validate_unit_users,
)


class UnitClassError(frappe.ValidationError):
	pass


class WhistleUnit(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF
		from whistle_app.whistle.doctype.whistle_unit_liaison.whistle_unit_liaison import WhistleUnitLiaison

		assessment_class: DF.Literal["", "A", "B", "C"]
		deputy_leader_name: DF.Data | None
		deputy_leader_phone: DF.Data | None
		deputy_leader_post: DF.Data | None
		deputy_leader_user: DF.Link | None
		display_order: DF.Int
		division_head_name: DF.Data | None
		division_head_phone: DF.Data | None
		division_head_post: DF.Data | None
		division_head_user: DF.Link | None
		division_name: DF.Data | None
		enabled: DF.Check
		liaisons: DF.Table[WhistleUnitLiaison]
		principal_leader_name: DF.Data | None
		principal_leader_phone: DF.Data | None
		principal_leader_post: DF.Data | None
		principal_leader_user: DF.Link | None
		seed_key: DF.Data | None
		short_name: DF.Data | None
		unit_name: DF.Data
		unit_type: DF.Literal[
			"", "Park", "Town", "Reporting Unit", "Whistle Office", "District Leadership", "Efficiency Office"
		]

	# end: auto-generated types
	def validate(self):
		self.validate_assessment_class()
		self.validate_name_characters()
		self.validate_liaisons_unique()
		validate_unit_users(self)

	def on_update(self):
		assign_unit_members(self)

	def after_rename(self, old, new, merge=False):
		clear_user_unit_cache()

	def validate_assessment_class(self):
		"""RULES §1: reporting units are assessed in class A, B or C; other units never are."""
		if self.unit_type == REPORTING_UNIT and not self.assessment_class:
			frappe.throw(_("A reporting unit needs an assessment class (A, B or C)."), UnitClassError)
		if self.unit_type != REPORTING_UNIT and self.assessment_class:
			frappe.throw(
				_("Only reporting units have an assessment class; {0} is of type {1}.").format(
					self.unit_name, _(self.unit_type)
				),
				UnitClassError,
			)

	def validate_name_characters(self):
		self.unit_name = (self.unit_name or "").strip()
		if any(ch in self.unit_name for ch in "\\'\"<>%"):
			frappe.throw(_("The unit name must not contain \\ ' \" < > or %."))

	def validate_liaisons_unique(self):
		seen = set()
		for row in self.liaisons:
			if row.user in seen:
				frappe.throw(_("Row {0}: liaison {1} is listed twice.").format(row.idx, row.user))
			seen.add(row.user)
