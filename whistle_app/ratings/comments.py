"""The rating's comment (RULES §10): its own record, read through ``visible_comment``."""

import frappe
from frappe import _
from frappe.utils import cint

from whistle_app.access import reads_all, sees_all
from whistle_app.organisation import get_user_unit
from whistle_app.ratings.common import COMMENT, HIDE_COMMENT_SETTING, SETTINGS
from whistle_app.rules import ratings as rr

# --- the comment (RULES §10) -------------------------------------------------------------------------------


def stored_comment(rating: str | None) -> str | None:
	"""The stored comment of a rating, unchecked (server use only)."""
	return frappe.db.get_value(COMMENT, {"rating": rating}, "comment") if rating else None


def comment_hidden_from_rated() -> bool:
	"""Whistle Settings: the office hides raters' comments from the rated departments."""
	return bool(cint(frappe.db.get_single_value(SETTINGS, HIDE_COMMENT_SETTING, cache=False)))


@frappe.whitelist(methods=["POST"])
def set_comment_hidden_from_rated(hide: bool) -> bool:
	"""The Whistle Office switches whether rated departments read their raters' comments."""
	if not sees_all(frappe.session.user):
		frappe.throw(_("Only the Whistle Office decides who reads rating comments."), frappe.PermissionError)
	frappe.db.set_single_value(SETTINGS, HIDE_COMMENT_SETTING, int(bool(cint(hide))))
	return comment_hidden_from_rated()


def may_read_comment(rating, user: str | None = None) -> bool:

	user = user or frappe.session.user
	return rr.comment_visible(
		sees_all(user) or reads_all(user, "read"),
		get_user_unit(user),
		rating.rater_unit,
		rating.rated_department,
		comment_hidden_from_rated(),
	)


def visible_comment(rating, user: str | None = None) -> str | None:
	"""The comment of a rating if ``user`` (default: the current user) may read it, else None."""
	return stored_comment(rating.name) if may_read_comment(rating, user) else None


def save_comment(rating: str, text: str | None) -> None:
	"""Write (or, for an empty text, remove) the comment record of a rating; the rating's controller
	is the only caller."""
	name = frappe.db.get_value(COMMENT, {"rating": rating})
	if not text:
		if name:
			frappe.delete_doc(COMMENT, name, ignore_permissions=True, force=True)
		return
	if name:
		doc = frappe.get_doc(COMMENT, name)
		doc.comment = text
		doc.save(ignore_permissions=True)
	else:
		frappe.get_doc({"doctype": COMMENT, "rating": rating, "comment": text}).insert(
			ignore_permissions=True
		)


def delete_comment(rating: str) -> None:
	save_comment(rating, None)
