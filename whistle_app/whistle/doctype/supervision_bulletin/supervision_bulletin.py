# Copyright (c) 2026, whistle_app developers
# For license information, please see license.txt

from datetime import timedelta

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.translate import print_language

from whistle_app import bulletins as bl
from whistle_app.clocks import now
from whistle_app.rules import bulletin as rb

# filled by the system only: a client cannot set them (kept from the stored document)
SYSTEM_FIELDS = (
	"drafted_on",
	"slips_dispatched",
	"open_total",
	"overdue_total",
	"published_on",
	"published_by",
	"superseded_by",
	"generated_text",
)
SYSTEM_TABLES = ("units", "proposals")
RECOUNT_KEEPS = ("published_on", "published_by", "superseded_by", "generated_text")


class SupervisionBulletin(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF
		from whistle_app.whistle.doctype.supervision_bulletin_adjustment.supervision_bulletin_adjustment import (
			SupervisionBulletinAdjustment,
		)
		from whistle_app.whistle.doctype.supervision_bulletin_named_unit.supervision_bulletin_named_unit import (
			SupervisionBulletinNamedUnit,
		)
		from whistle_app.whistle.doctype.supervision_bulletin_proposal.supervision_bulletin_proposal import (
			SupervisionBulletinProposal,
		)
		from whistle_app.whistle.doctype.supervision_bulletin_unit.supervision_bulletin_unit import (
			SupervisionBulletinUnit,
		)

		adjustments: DF.Table[SupervisionBulletinAdjustment]
		amended_from: DF.Link | None
		bulletin_key: DF.Data | None
		bulletin_text: DF.LongText | None
		correction_reason: DF.SmallText | None
		corrects: DF.Link | None
		drafted_on: DF.Datetime | None
		generated_text: DF.LongText | None
		issuing_office: DF.Data | None
		month: DF.Int
		named_units: DF.Table[SupervisionBulletinNamedUnit]
		open_total: DF.Int
		overdue_total: DF.Int
		period_end: DF.Date | None
		period_start: DF.Date | None
		proposals: DF.Table[SupervisionBulletinProposal]
		published_by: DF.Link | None
		published_on: DF.Datetime | None
		slips_dispatched: DF.Int
		status: DF.Literal["Draft", "Published", "Superseded"]
		superseded_by: DF.Link | None
		title: DF.Data | None
		units: DF.Table[SupervisionBulletinUnit]
		year: DF.Int

	# end: auto-generated types
	def autoname(self):
		number = 0
		if self.corrects:
			number = (
				frappe.db.count(
					bl.BULLETIN, {"year": self.year, "month": self.month, "corrects": ("is", "set")}
				)
				+ 1
			)
		self.name = rb.bulletin_name(self.year, self.month, number)

	def before_insert(self):
		self.set_correction()  # before naming: a correction is named after the period it corrects
		bl.check_period(self.year, self.month)
		bl.check_month_ended(self.year, self.month)

	def fill_new(self):
		"""A new bulletin's figures, counted by the server (in validate: after the server-field guard of
		whistle_app/guard.py, which refuses a client's own figures)."""
		self.status = rb.DRAFT
		bl.fill_figures(self, self.flags.get("as_of"))

	def validate(self):
		if self.is_new():
			self.fill_new()
		self.check_editor()
		self.keep_system_fields()
		self.year, self.month = bl.check_period(self.year, self.month)
		self.set_period()
		self.validate_unique()
		self.validate_correction()
		bl.validate_adjustments(self)
		bl.set_named_units(self)
		bl.set_text(self)

	def before_submit(self):
		if not (self.bulletin_text or "").strip():
			frappe.throw(_("Write the bulletin text before publishing."), bl.BulletinError)
		self.status = rb.PUBLISHED
		self.published_on = now()
		self.published_by = frappe.session.user

	def on_submit(self):
		bl.supersede(self)
		bl.notify_publication(self)

	def before_update_after_submit(self):
		bl.raise_published(self)

	def before_cancel(self):
		if not self.flags.get("superseded_by"):
			frappe.throw(
				_("A published supervision bulletin is corrected only by a new bulletin that corrects it."),
				bl.BulletinPublishedError,
			)

	def on_cancel(self):
		self.db_set({"status": rb.SUPERSEDED, "superseded_by": self.flags.superseded_by})

	def on_trash(self):
		if self.docstatus != 0:
			frappe.throw(
				_("Supervision bulletin {0} has been published; it cannot be deleted.").format(self.name),
				bl.BulletinPublishedError,
			)

	# --- steps ---------------------------------------------------------------------------------------

	def check_editor(self):
		if not self.flags.ignore_permissions:
			bl.check_office()

	def keep_system_fields(self):
		"""Counted figures and system stamps come from the server, never from a client's save."""
		before = self.get_doc_before_save()
		if not before:
			return
		recount = self.flags.get("recount")  # ``bulletins.recount`` counted the month again
		for field in RECOUNT_KEEPS if recount else SYSTEM_FIELDS:
			self.set(field, before.get(field))
		if recount:
			return
		for table in SYSTEM_TABLES:
			self.set(table, [row.as_dict() for row in before.get(table)])
		for field in ("year", "month", "corrects"):
			self.set(field, before.get(field))

	def set_period(self):
		start, end = rb.month_bounds(self.year, self.month)
		self.period_start = start.date()
		self.period_end = (end - timedelta(days=1)).date()
		with print_language(bl.LANGUAGE):  # an official Chinese notice, whoever drafts it (a job too)
			title = _("Supervision Bulletin {0}").format(bl.period_label(self.year, self.month))
			self.title = title + (f"（{_('Correction')}）" if self.corrects else "")
		self.bulletin_key = rb.bulletin_key(self.year, self.month, self.corrects)

	def validate_unique(self):
		filters = {"bulletin_key": self.bulletin_key}
		if not self.is_new():
			filters["name"] = ("!=", self.name)
		other = frappe.db.get_value(bl.BULLETIN, filters)
		if not other:
			return
		if self.corrects:
			message = _("Supervision bulletin {0} is already being corrected by {1}.").format(
				self.corrects, other
			)
		else:
			message = _("The supervision bulletin of {0} already exists: {1}.").format(
				bl.period_label(self.year, self.month), other
			)
		frappe.throw(message, bl.DuplicateBulletinError)

	def set_correction(self):
		"""A correction takes the period of the bulletin it corrects."""
		if self.corrects:
			period = frappe.db.get_value(bl.BULLETIN, self.corrects, ["year", "month"])
			if period:
				self.year, self.month = period

	def validate_correction(self):
		if not self.corrects:
			return
		original = bl.check_correctable(self.corrects)
		if (original.year, original.month) != (self.year, self.month):
			frappe.throw(
				_("A correction has the period of the bulletin it corrects."), bl.BulletinCorrectionError
			)
		if not (self.correction_reason or "").strip():
			frappe.throw(_("Give the reason for the correction."), bl.BulletinCorrectionError)
