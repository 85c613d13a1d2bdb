"""Publishing a bulletin (RULES §6): who hears of it, and a correction superseding the bulletin it corrects."""

import frappe
from frappe import _
from frappe.utils import escape_html

from whistle_app import notify
from whistle_app.access import OFFICE_ROLES
from whistle_app.bulletins.common import BULLETIN, stored_period_label
from whistle_app.notifications import BULLETIN_NAMING, BULLETIN_PUBLISHED
from whistle_app.notify import users_of_units
from whistle_app.organisation import ROLE_UNIT_TYPES

# --- publication --------------------------------------------------------------------------------------------

UNIT_ROLES = tuple(role for role in ROLE_UNIT_TYPES if role not in OFFICE_ROLES)


def unit_users() -> list[str]:
	"""The users of every unit (parks, towns, reporting units, leadership, Efficiency Office)."""
	units = frappe.get_all("Whistle Unit", pluck="name")
	return users_of_units(units, UNIT_ROLES)


def notify_publication(doc) -> None:
	"""Every unit's users hear of the publication; each named unit's leaders hear why it is named
	(the Notification records 督查通报发布通知 and 督查通报点名通知, in this transaction)."""
	period = stored_period_label(doc.year, doc.month)
	names = "、".join(row.department for row in doc.named_units)
	notify.tell(BULLETIN_PUBLISHED, doc, unit_users(), {"period": period, "named_units": escape_html(names)})
	for row in doc.named_units:
		context = {"period": period, "department": row.department, "reasons": row.reasons}
		notify.tell(BULLETIN_NAMING, doc, notify.unit_leaders(row.department), context)


def supersede(doc) -> None:
	"""Publishing a correction cancels the bulletin it corrects (the only way a bulletin is cancelled)."""
	if not doc.corrects:
		return
	old = frappe.get_doc(BULLETIN, doc.corrects)
	old.flags.superseded_by = doc.name
	old.flags.ignore_permissions = True
	old.flags.ignore_links = True  # the correction links to it: that is the point
	old.cancel()
