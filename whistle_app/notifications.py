"""The app's notifications as Frappe Notification records that the administrator edits (issue #22).

Every hand-off the app announces has one Notification record (``setup/notifications.json``): a slip's
step, a request's step (one per request DocType), the reminder and the escalation of each clock
(response, joint meeting, completion), the rating reminder, a bulletin drafted, published or naming a
unit, the calendar reminder and a park's urge. Its **subject and message** are Jinja templates
rendered against the document (``doc``) and the event's variables (listed on the desk form); its
**recipients** table adds people (by role, by a field of the document, cc) to those the rules name;
**enabled** switches it off and its **condition** filters it. The code keeps what the rules decide:
when a notification goes out (the step, the job's once-per-key events of ``notify.record_once``) and
whom the rules name (``notify.users_of_units`` & co.); ``notify.tell`` renders and sends.

[decision] The records are **ordinary (not standard) Notification records created once, when missing,
on migrate** (``ensure_notifications``), with event ``Custom`` (Frappe never fires them itself; the
app does) and channel ``System Notification`` (a Notification Log and its e-mail, as before). Frappe's
standard module records would be re-imported over the administrator's text whenever the app shipped
a newer file, and Frappe refuses every edit of an enabled standard notification outside developer
mode (``Notification.validate_standard``) and sends a standard one with the message of its file: the
administrator could not edit them. So the app's defaults live in ``setup/notifications.json``, which
Frappe does not sync; a record the administrator changed is never written again, a deleted one comes
back with its default on the next migrate (to stop one, untick Enabled), and until then the app sends
the default text. ``protect`` keeps the parts the app relies on (document type, event, channel) and
``onload`` tells the desk form (``public/js/notification.js``) whom the rules name and which
variables the templates may use.
"""

import json
from functools import cache
from pathlib import Path

import frappe
from frappe import _

from whistle_app.rules import clocks as ck

DEFAULTS_PATH = Path(__file__).resolve().parent / "setup" / "notifications.json"
EVENT = "Custom"
CHANNEL = "System Notification"
# fields of an app notification the app relies on: Frappe would send it itself with another event
FIXED_FIELDS = (
	"document_type",
	"event",
	"channel",
	"method",
	"is_standard",
	"value_changed",
	"date_changed",
	"set_property_after_alert",
)

# the records, by the hand-off they announce (names as in setup/notifications.json)
SLIP_STEP = "吹哨事项流转通知"
REQUEST_STEP = {
	"Whistle Extension Request": "延期申请流转通知",
	"Whistle Exemption Request": "不列入考核申请流转通知",
	"Assessment Exclusion Request": "考核剔除申请流转通知",
}
CLOCK_REMINDER = {
	ck.RESPONSE: "报到时限到期提醒",
	ck.MEETING: "联商会办时限到期提醒",
	ck.COMPLETION: "办结时限到期提醒",
}
CLOCK_ESCALATION = {
	ck.RESPONSE: "报到逾期督办",
	ck.MEETING: "联商会办逾期督办",
	ck.COMPLETION: "办结逾期督办",
}
RATING_REMINDER = "评价待办提醒"
BULLETIN_DRAFTED = "督查通报待发布"
BULLETIN_PUBLISHED = "督查通报发布通知"
BULLETIN_NAMING = "督查通报点名通知"
CALENDAR_UNCONFIRMED = "工作日历待确认提醒"
URGE = "园区催办通知"


class ManagedNotificationError(frappe.ValidationError):
	"""A change of what an app notification needs to be sent by the app."""


@cache
def defaults() -> dict[str, dict]:
	"""Record name -> its default (subject, message, document type; whom the rules name; variables)."""
	return {d["name"]: d for d in json.loads(DEFAULTS_PATH.read_text(encoding="utf-8"))}


def default_record(name: str) -> dict:
	d = defaults()[name]
	return {
		"doctype": "Notification",
		"name": name,
		"subject": d["subject"],
		"document_type": d["document_type"],
		"event": EVENT,
		"channel": CHANNEL,
		"enabled": 1,
		"message_type": "HTML",
		"message": d["message"],
	}


def ensure_notifications() -> list[str]:
	"""Create the app's Notification records that are missing (install and every migrate); a record
	that exists is the administrator's and is left as it is. Returns the names created."""
	created = []
	for name in defaults():
		if frappe.db.exists("Notification", name):
			continue
		frappe.get_doc(default_record(name)).insert(ignore_permissions=True)
		created.append(name)
	return created


def get_record(name: str):
	"""The Notification record as the administrator keeps it, or its default while it is missing."""
	if frappe.db.exists("Notification", name):
		return frappe.get_cached_doc("Notification", name)
	return frappe.get_doc(default_record(name))


def default_text(name: str) -> tuple[str, str]:
	d = defaults()[name]
	return d["subject"], d["message"]


def extra_recipients(record, doc, context: dict) -> list[str]:
	"""The users the record's own recipients table adds (roles, document fields, cc/bcc)."""
	if not record.get("recipients"):
		return []
	to, cc, bcc = record.get_list_of_recipients(doc, context)
	emails = sorted({e.strip() for e in (*to, *cc, *bcc) if e and e.strip()})
	if not emails:
		return []
	return frappe.get_all("User", filters={"email": ("in", emails), "enabled": 1}, pluck="name")


# --- the desk (doc_events) ----------------------------------------------------------------------------------


def protect(doc, method: str | None = None) -> None:
	"""``doc_events["Notification"]["validate"]``: an app notification keeps the document type, event
	and channel it is sent with; a confined administrator changes only the app's notifications."""
	from whistle_app.configuration import ConfigurationScopeError, is_confined

	if doc.name not in defaults():
		if is_confined("Notification"):
			frappe.throw(
				_("As Whistle Administrator you may change the app's own notifications only."),
				ConfigurationScopeError,
				title=_("Not permitted"),
			)
		return
	expected = frappe._dict(default_record(doc.name))
	before = doc.get_doc_before_save() or expected
	for field in FIXED_FIELDS:
		if (doc.get(field) or None) != (before.get(field) or None):
			frappe.throw(
				_(
					"The notification {0} is sent by the app at the moments the rules set; its {1} stays "
					"as the app defines it. You may change its subject, message, recipients, condition "
					"and whether it is enabled."
				).format(doc.name, _(doc.meta.get_label(field))),
				ManagedNotificationError,
				title=_("Managed by the app"),
			)


def onload(doc, method: str | None = None) -> None:
	"""``doc_events["Notification"]["onload"]``: the desk form's note (``public/js/notification.js``)."""
	d = defaults().get(doc.name)
	if d:
		doc.set_onload("whistle_app_notification", {"who": d["who"], "variables": d["variables"]})
