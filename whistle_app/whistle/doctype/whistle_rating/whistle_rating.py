# Copyright (c) 2026, whistle_app developers
# For license information, please see license.txt

from decimal import Decimal, InvalidOperation

import frappe
from frappe import _
from frappe.model.document import Document

from whistle_app.access import is_office
from whistle_app.lifecycle import actor_kinds, department_pairs, now
from whistle_app.organisation import get_user_unit
from whistle_app.ratings import (
	RatingError,
	delete_comment,
	required_ratings,
	save_comment,
	stored_comment,
	template_in_force,
	template_maxima,
	update_slip_scores,
	visible_comment,
)
from whistle_app.rules import lifecycle as lc
from whistle_app.rules import fairness
from whistle_app.rules import ratings as rr
from whistle_app.rules import scoring

# fields a rating keeps from its creation on (the scores change only while it is a draft)
FIXED_FIELDS = ("slip", "rated_department", "rater_unit", "rater_kind", "template", "amended_from")
RATER_ACTORS = {rr.PARK_RATER: lc.PARK_ACTOR, rr.LEAD_RATER: lc.REPORTING_ACTOR}


class WhistleRating(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF
		from whistle_app.whistle.doctype.whistle_rating_score.whistle_rating_score import WhistleRatingScore

		amended_from: DF.Link | None
		amendment_reason: DF.SmallText | None
		cancelled_by: DF.Link | None
		comment: DF.SmallText | None
		department_role: DF.Literal["", "Sole", "Lead", "Co"]
		rated_by: DF.Link | None
		rated_department: DF.Link
		rated_on: DF.Datetime | None
		rater_kind: DF.Literal["", "Park", "Lead Department"]
		rater_unit: DF.Link | None
		rating_key: DF.Data | None
		score_signature: DF.Data | None
		scores: DF.Table[WhistleRatingScore]
		slip: DF.Link
		slip_title: DF.Data | None
		template: DF.Link | None
		total: DF.Int
	# end: auto-generated types

	# --- the comment: a virtual field backed by a Whistle Rating Comment (RULES §10) -----------------

	@property
	def comment(self) -> str | None:
		"""What was typed on this document and not saved yet, else the stored comment if the current
		user may read it (``ratings.visible_comment``). Being virtual, the field is never in the
		rating's table, so lists, report views and exports cannot select or filter on it."""
		typed = self.__dict__.get("comment")
		if typed is not None or self.is_new():
			return typed
		return visible_comment(self)

	@comment.setter
	def comment(self, value):
		self.__dict__["comment"] = value

	def validate(self):
		slip = frappe.get_doc("Whistle Slip", self.slip)
		self.validate_slip_access(slip)
		self.validate_fixed_fields()
		self.validate_slip_state(slip)
		self.set_rater(slip)
		self.validate_rater(slip)
		self.set_template()
		self.set_total()
		self.validate_once()
		self.take_comment()
		if self._action == "submit":
			self.validate_complete()
			self.validate_comment()
			self.rated_by = frappe.session.user
			self.rated_on = now()

	def on_update(self):
		self.store_comment()

	def on_submit(self):
		update_slip_scores(self.slip)

	def before_update_after_submit(self):
		if not is_office():
			frappe.throw(
				_("A submitted rating cannot be changed; only the Whistle Office can cancel and amend it."),
				RatingError,
			)
		self.take_comment()
		if self.flags.comment_changed:
			frappe.throw(
				_("The comment of a submitted rating cannot be changed; cancel and amend the rating."),
				RatingError,
			)

	def before_cancel(self):
		if not is_office():
			frappe.throw(_("Only the Whistle Office can cancel a rating."), frappe.PermissionError)
		if not (self.amendment_reason or "").strip():
			frappe.throw(_("Give the reason for cancelling rating {0}.").format(self.name), RatingError)
		self.cancelled_by = frappe.session.user
		self.rating_key = None  # frees the slip/department/rater slot for the amendment

	def on_cancel(self):
		update_slip_scores(self.slip)

	def on_trash(self):
		delete_comment(self.name)

	# --- who rates ---------------------------------------------------------------------------------

	def validate_slip_access(self, slip):
		"""Nothing about a whistle (not even its state) is told to a user who may not read it."""
		if self.flags.system_draft and self.is_new():
			return
		if not slip.has_permission("read"):
			frappe.throw(
				_("{0} cannot rate whistle {1}: it is not one of its whistles.").format(
					get_user_unit() or _("Your unit"), slip.name
				),
				frappe.PermissionError,
			)

	def validate_fixed_fields(self):
		before = self.get_doc_before_save()
		if not before:
			return
		for field in FIXED_FIELDS:
			if (before.get(field) or None) != (self.get(field) or None):
				frappe.throw(
					_("{0} of a rating cannot be changed.").format(_(self.meta.get_label(field))),
					RatingError,
				)

	def set_rater(self, slip):
		"""A new rating belongs to its creator's unit; the drafts made when a slip is completed
		(``ratings.create_drafts``, flag ``system_draft``) name their rater unit themselves."""
		if self.is_new() and not self.amended_from and not self.flags.system_draft:
			self.rater_unit = get_user_unit() or None
		self.rater_kind = rr.rater_kind_of(self.rater_unit, slip.whistle_unit, department_pairs(slip))
		if not self.rater_kind:
			frappe.throw(
				_("{0} does not rate whistle {1}: only its park or town and its lead department do.").format(
					self.rater_unit or _("Your unit"), slip.name
				),
				frappe.PermissionError,
			)

	def validate_rater(self, slip):
		required = {(r.rater_kind, r.rated_department): r for r in required_ratings(slip)}
		wanted = required.get((self.rater_kind, self.rated_department))
		if not wanted or wanted.rater_unit != self.rater_unit:
			frappe.throw(
				_("{0} does not rate {1} on whistle {2}.").format(
					self.rater_unit, self.rated_department, slip.name
				),
				RatingError,
			)
		self.department_role = wanted.department_role
		if self.amended_from:
			if not is_office():
				frappe.throw(_("Only the Whistle Office can amend a rating."), frappe.PermissionError)
			if frappe.db.get_value("Whistle Rating", self.amended_from, "docstatus") != 2:
				frappe.throw(
					_("Cancel rating {0} before amending it.").format(self.amended_from), RatingError
				)
			return
		if self.flags.system_draft and self.is_new():
			return  # made by the server when the slip was completed, not by a user
		if RATER_ACTORS[self.rater_kind] not in actor_kinds(slip):
			frappe.throw(
				_("Only users of {0} can make this rating.").format(self.rater_unit), frappe.PermissionError
			)

	def validate_slip_state(self, slip):
		states = rr.AMENDMENT_STATES if self.amended_from else rr.RATING_STATES
		if slip.workflow_state not in states:
			frappe.throw(
				_("Whistle {0} is in state {1}; it can be rated only once it is completed.").format(
					slip.name, slip.workflow_state
				),
				RatingError,
			)

	# --- the form and the scores ----------------------------------------------------------------------

	def set_template(self):
		"""The template in force when the rating is created; one row per criterion (empty until scored)."""
		if self.is_new() and not self.amended_from:
			self.template = template_in_force(self.rater_kind)
		present = {row.criterion for row in self.scores}
		for criterion, maximum in template_maxima(self.template).items():
			if criterion not in present:
				self.append("scores", {"criterion": criterion, "max_points": maximum, "score": None})

	def score_map(self) -> dict:
		scores = {}
		for row in self.scores:
			if row.criterion in scores:
				frappe.throw(_("Criterion {0} is scored twice.").format(row.criterion), RatingError)
			scores[row.criterion] = _number(row.score)
		return scores

	def set_total(self):
		"""Range and whole-number checks of every score given, always; the total of those scores."""
		maxima = template_maxima(self.template)
		scores = self.score_map()
		try:
			self.total = scoring.partial_rating_total(scores, maxima)
		except scoring.ScoreError as e:
			frappe.throw(self.score_message(e, maxima), RatingError)
		for row in self.scores:
			row.max_points = maxima.get(row.criterion)
			value = scores[row.criterion]
			row.score = None if value is None else str(int(value))
		self.score_signature = fairness.score_signature(scores[row.criterion] for row in self.scores)

	def validate_complete(self):
		"""At submit: every criterion of the template is scored."""
		missing = scoring.unscored_criteria(self.score_map(), template_maxima(self.template))
		if missing:
			frappe.throw(
				_("Score every criterion of template {0}; missing: {1}.").format(
					self.template, "、".join(missing)
				),
				RatingError,
			)

	def score_message(self, e: scoring.ScoreError, maxima: dict[str, int]) -> str:
		if e.code == "unknown_criteria":
			return _("Not a criterion of template {0}: {1}.").format(
				self.template, "、".join(e.params["criteria"])
			)
		if e.code == "invalid_template":
			return _("Rating template {0} is not valid: its maximum points must sum to 100.").format(
				self.template
			)
		criterion = e.params.get("what")
		return _("{0} takes a whole number from 0 to {1}; {2} is not allowed.").format(
			criterion, maxima.get(criterion, ""), e.params.get("value")
		)

	def validate_comment(self):
		if scoring.comment_required(self.total) and not self.flags.comment_text:
			frappe.throw(_("A rating below {0} needs a comment.").format(scoring.COMMENT_BELOW), RatingError)

	def take_comment(self):
		"""Take the comment typed on this document off it (so that neither the table nor the Version
		log ever holds it); ``on_update`` stores it in the rating's Whistle Rating Comment."""
		typed = self.__dict__.get("comment")
		stored = None if self.is_new() else stored_comment(self.name)
		text = stored if typed is None else (str(typed).strip() or None)
		self.flags.comment_text = text
		self.flags.comment_changed = text != stored
		self.__dict__["comment"] = None

	def store_comment(self):
		if self.flags.pop("comment_changed", False):
			save_comment(self.name, self.flags.comment_text)

	def validate_once(self):
		self.rating_key = rr.rating_key(self.slip, self.rated_department, self.rater_kind)
		other = frappe.db.get_value(
			"Whistle Rating", {"rating_key": self.rating_key, "name": ("!=", self.name)}, "name"
		)
		if other:
			frappe.throw(
				_("{0} has already rated {1} on whistle {2} (rating {3}).").format(
					self.rater_unit, self.rated_department, self.slip, other
				),
				RatingError,
			)


def _number(value):
	"""A score as given: numbers stay, numeric text becomes a Decimal, empty means not scored (None)."""
	if value is None:
		return None
	if isinstance(value, str):
		if not value.strip():
			return None
		try:
			return Decimal(value.strip())
		except InvalidOperation:
			return value
	return value
