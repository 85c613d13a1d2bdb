"""Publishing a bulletin (RULES §6): who hears of it, and a correction superseding the bulletin it corrects."""

import frappe
from frappe import _
from frappe.utils import escape_html

from whistle_app import notify
from whistle_app.access import OFFICE_ROLES
from whistle_app.bulletins.common import BULLETIN, period_label
from whistle_app.notify import users_of_units
from whistle_app.organisation import ROLE_UNIT_TYPES

# --- publication --------------------------------------------------------------------------------------------

UNIT_ROLES = tuple(role for role in ROLE_UNIT_TYPES if role not in OFFICE_ROLES)


def unit_users() -> list[str]:
	"""The users of every unit (parks, towns, reporting units, leadership, Efficiency Office)."""
	units = frappe.get_all("Whistle Unit", pluck="name")
	return users_of_units(units, UNIT_ROLES)


def send(users, name: str, subject: str, body: str | None = None) -> None:
	"""Notification Logs (and emails) in this transaction: they commit or roll back with it."""
	notify.send(users, BULLETIN, name, subject, body)


def notify_publication(doc) -> None:
	"""Every unit's users hear of the publication; each named unit's leaders hear why it is named."""
	period = period_label(doc.year, doc.month)
	subject = _("Supervision bulletin {0} ({1}) has been published.").format(doc.name, period)
	if doc.named_units:
		names = "、".join(row.department for row in doc.named_units)
		body = subject + "<br>" + escape_html(_("Named units: {0}").format(names))
	else:
		body = subject + "<br>" + _("No unit is named this month.")
	send(unit_users(), doc.name, subject, body)
	for row in doc.named_units:
		send(
			notify.unit_leaders(row.department),
			doc.name,
			_("Supervision bulletin {0} ({1}) names {2}: {3}").format(
				doc.name, period, row.department, row.reasons
			),
		)


def supersede(doc) -> None:
	"""Publishing a correction cancels the bulletin it corrects (the only way a bulletin is cancelled)."""
	if not doc.corrects:
		return
	old = frappe.get_doc(BULLETIN, doc.corrects)
	old.flags.superseded_by = doc.name
	old.flags.ignore_permissions = True
	old.flags.ignore_links = True  # the correction links to it: that is the point
	old.cancel()
