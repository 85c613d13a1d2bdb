"""The park's right to urge (督办权, plan 二.2; issue #16): a park or town urges (催办) the departments
of its own open whistle with a short message.

* **Who**: a user of the slip's own park or town with a park role: the slip's park actor as the
  lifecycle decides it (``lifecycle.actor_kinds``). Users who cannot read the slip are refused by
  Frappe's permission check (403); readers who are not its park (departments, the office) by
  ``UrgeActorError``.
* **When**: while the departments owe the next step: 待报到, 待审核抄送, 办理中 (``URGE_STATES``).
  Not in draft or review, not once completed (the park itself confirms then), closed, declined or
  under long-term tracking (exempted, RULES §3.1).
* **How often**: once per slip per working day. [decision] The working day of an urge is its date
  in Asia/Shanghai (``kernel.now``); an urge on a rest day counts for that rest day's own date (the
  departments see it on the next working day), so the calendar need not be consulted.
* **What it leaves**: a row of the slip's state history (action 催办, from and to the slip's
  current state, the message as its reason), written by ``kernel.record``; one ``Whistle Clock
  Event`` per department on the slip, keyed ``urge:<slip>:<date>:<department>`` (unique: a second
  urge of the same day, even a concurrent one, is refused); the monthly bulletin counts these events
  per department (``urge_counts``); and, after the commit, a notification to each department's
  liaisons and its leaders (accountability chain and Department Leaders).

Every refusal is a ``UrgeError`` (or Frappe's PermissionError) with a translated message and changes
nothing.
"""

from datetime import date, datetime

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.query_builder.functions import Count
from frappe.utils import escape_html, getdate

from whistle_app import kernel, lifecycle, notify, roles
from whistle_app.notifications import URGE
from whistle_app.rules import lifecycle as lc
from whistle_app.rules.workflow import Transition
from whistle_app.security import plain_text

SLIP = "Whistle Slip"
URGE_ACTION = "催办"
URGE_STATES = (lc.DISPATCHED, lc.REPORTED, lc.HANDLING)
MAX_MESSAGE_LENGTH = 200
KEY_PREFIX = "urge:"

# the labels the phone page and the desk form show (the web page gets them from ``urge_status``)
UI_MESSAGES = (
	"Urge",
	"Urge Message",
	"Urge the departments on this whistle (at most 200 characters).",
	"Urged",
	"Urged today",
)


class UrgeError(frappe.ValidationError):
	"""Base of the refusals of an urge (each changes nothing)."""


class UrgeActorError(UrgeError):
	"""The user may read the slip but is not its park or town."""


class UrgeStateError(UrgeError):
	"""The slip is not open for urging."""


class UrgeMessageError(UrgeError):
	"""The message is empty or too long."""


class AlreadyUrgedError(UrgeError):
	"""The slip was urged already on this working day."""


# --- rules ----------------------------------------------------------------------------------------------


def urge_day(moment: datetime) -> date:
	"""The working day an urge counts for: its Asia/Shanghai date (a rest day counts as its own date)."""
	return getdate(moment)


def urge_key(slip: str, day: date, department: str) -> str:
	return f"{KEY_PREFIX}{slip}:{day.isoformat()}:{department}"


def departments_of(slip) -> list[str]:
	return sorted({d for d, _r in lifecycle.department_pairs(slip) if d})


def may_urge(slip, user: str | None = None) -> bool:
	"""The user is the slip's park (unit and role) and the slip is open for urging."""
	return slip.workflow_state in URGE_STATES and lc.PARK_ACTOR in lifecycle.actor_kinds(slip, user)


def urged_on(slip: str, day: date) -> bool:
	"""Whether the slip was urged on that working day."""
	event = DocType(notify.EVENT_DOCTYPE)
	return bool(
		frappe.qb.from_(event)
		.select(event.name)
		.where(event.slip == slip)
		.where(event.event_key.like(f"{KEY_PREFIX}{slip}:{day.isoformat()}:%"))
		.limit(1)
		.run()
	)


def check_message(message: str | None) -> str:
	"""The message trimmed, 1 to ``MAX_MESSAGE_LENGTH`` characters (stored as plain text, shown escaped)."""
	text = (message or "").strip()
	if not text:
		frappe.throw(_("Write what you urge the departments to do."), UrgeMessageError)
	if len(text) > MAX_MESSAGE_LENGTH:
		frappe.throw(
			_("An urge message has at most {0} characters; this one has {1}.").format(
				MAX_MESSAGE_LENGTH, len(text)
			),
			UrgeMessageError,
		)
	return text


def check_urge(slip, day: date) -> None:
	"""Who, state and once a day, in that order (the message is checked by ``check_message``)."""
	if lc.PARK_ACTOR not in lifecycle.actor_kinds(slip):
		frappe.throw(
			_("Only the park or town that blew whistle {0} may urge its departments.").format(slip.name),
			UrgeActorError,
		)
	if slip.workflow_state not in URGE_STATES:
		frappe.throw(
			_("Whistle {0} is {1}; it can be urged only while it is {2}.").format(
				slip.name, _(slip.workflow_state), "、".join(_(s) for s in URGE_STATES)
			),
			UrgeStateError,
		)
	if urged_on(slip.name, day):
		refuse_second_urge(slip.name, day)


def refuse_second_urge(slip: str, day: date):
	frappe.throw(
		_("Whistle {0} was already urged on {1}; a whistle can be urged once per working day.").format(
			slip, day.isoformat()
		),
		AlreadyUrgedError,
	)


# --- the urge -------------------------------------------------------------------------------------------


def recipients(department: str) -> list[str]:
	"""A department's liaisons (报到员) and its leaders (RULES §1 chain and Department Leaders)."""
	users = notify.users_of_units([department], (roles.DEPARTMENT_LIAISON,)) + notify.unit_leaders(department)
	return sorted(set(users) - notify.NOBODY)


def record_urge(slip, message: str, moment: datetime) -> None:
	"""The urge as a row of the slip's state history (the state does not change), written at once."""
	step = Transition(slip.workflow_state, URGE_ACTION, slip.workflow_state, lc.PARK_ACTOR)
	kernel.record(lifecycle.SPEC, slip, step, message, moment, persist=True)


@frappe.whitelist(methods=["POST"])
def urge(slip: str, message: str) -> dict:
	"""The park urges the departments of its open whistle (RULES plan 二.2): once per working day,
	recorded in the slip's history and counted per department; the departments' liaisons and leaders
	are notified after the commit. Returns what was recorded."""
	doc = frappe.get_doc(SLIP, slip)
	doc.check_permission("read")
	moment = kernel.now()
	day = urge_day(moment)
	check_urge(doc, day)
	text = check_message(message)
	departments = departments_of(doc)
	notified: set[str] = set()
	for department in departments:
		users = recipients(department)
		event = {
			"slip": doc.name,
			"department": department,
			"sent_on": moment,
			"recipients": "\n".join(users),
			"event_key": urge_key(doc.name, day, department),
		}
		if not notify.record_once(event):  # a concurrent urge of the same day came first
			refuse_second_urge(doc.name, day)
		notified.update(users)
	record_urge(doc, plain_text(text), moment)
	context = {"unit": doc.whistle_unit, "message": escape_html(text)}
	sent = notify.tell(URGE, doc, sorted(notified), context, after_commit=True)
	return {
		"slip": doc.name,
		"urged_on": moment,
		"day": day.isoformat(),
		"departments": departments,
		"notified": sent,
	}


@frappe.whitelist()
def urge_status(slip: str) -> dict:
	"""Whether the current user may urge the slip now (for the 催办 buttons), and the labels."""
	doc = frappe.get_doc(SLIP, slip)
	doc.check_permission("read")
	allowed = may_urge(doc)
	urged_today = allowed and urged_on(doc.name, urge_day(kernel.now()))
	return {
		"may_urge": allowed,
		"urged_today": urged_today,
		"can_urge": allowed and not urged_today,
		"max_length": MAX_MESSAGE_LENGTH,
		"messages": {m: _(m) for m in UI_MESSAGES},
	}


# --- counted in the monthly bulletin --------------------------------------------------------------------


def urge_counts(start: datetime, end: datetime) -> dict[str, int]:
	"""Urges made in [start, end), per department on the urged slips (one query)."""
	event = DocType(notify.EVENT_DOCTYPE)
	query = (
		frappe.qb.from_(event)
		.select(event.department, Count(event.name))
		.where(event.event_key.like(f"{KEY_PREFIX}%"))
		.where(event.sent_on >= start)
		.where(event.sent_on < end)
		.groupby(event.department)
	)
	return {unit: int(n) for unit, n in query.run() if unit}
