"""One notification service: who hears of something, "tell these users about this document", and
"record this event once by its key, then tell them" (RULES §4 reminders and escalations, §5 rating
reminders, §3.1 hand-offs, §8 bulletins, the calendar reminder).

Every hand-off of the app goes through ``tell``: the text is the app's Notification record of that
hand-off, which the administrator edits in the desk (subject, message, extra recipients, enabled,
condition; ``whistle_app.notifications``), rendered against the document and the event's variables,
sent to the users the rules name plus the record's own recipients. ``send`` writes the Notification
Logs (and their e-mails); every event that must be sent once goes through ``record_once`` (a
``Whistle Clock Event`` row with a unique key, written in the caller's transaction before the
notifications, so a second run, or a concurrent one, sends nothing).
"""

import frappe
from frappe.desk.doctype.notification_log.notification_log import make_notification_logs
from frappe.email.doctype.notification.notification import get_context

from whistle_app import notifications, roles
from whistle_app.organisation import unit_user_fields

EVENT_DOCTYPE = "Whistle Clock Event"
NOBODY = frozenset({"", None, "Administrator", "Guest"})


# --- who ---------------------------------------------------------------------------------------------


def users_with_roles(role_names) -> list[str]:
	"""Enabled desk users (not Administrator or Guest) holding any of these roles, in one query."""
	user, has_role = frappe.qb.DocType("User"), frappe.qb.DocType("Has Role")
	return (
		frappe.qb.from_(user)
		.join(has_role)
		.on((has_role.parent == user.name) & (has_role.parenttype == "User"))
		.select(user.name)
		.distinct()
		.where(has_role.role.isin(list(role_names)))
		.where(user.enabled == 1)
		.where(user.user_type == "System User")
		.where(user.name.notin(["Administrator", "Guest"]))
		.orderby(user.name)
	).run(pluck=True)


def users_of_units(units: list[str], role_names: tuple[str, ...]) -> list[str]:
	"""Users of these units holding any of these roles."""
	units = [u for u in units if u]
	holders = users_with_roles(role_names) if units else []
	if not holders:
		return []
	return frappe.get_all(
		"User",
		filters={"whistle_unit": ("in", units), "name": ("in", holders)},
		pluck="name",
		order_by="name",
	)


def office_users() -> list[str]:
	return users_with_roles([roles.WHISTLE_OFFICE])


def district_leaders() -> list[str]:
	return users_with_roles([roles.DISTRICT_LEADER])


def unit_leaders(unit: str) -> list[str]:
	"""A unit's accountability chain (§1: principal, deputy, division head) and its Department Leaders."""
	chain = frappe.db.get_value("Whistle Unit", unit, list(unit_user_fields()), as_dict=True) or {}
	users = [u for u in chain.values() if u]
	users += users_of_units([unit], (roles.DEPARTMENT_LEADER,))
	return sorted(set(users) - NOBODY)


# --- tell ----------------------------------------------------------------------------------------------


def send(
	users,
	doctype: str,
	name: str,
	subject: str,
	body: str | None = None,
	*,
	after_commit: bool = False,
	exclude_self: bool = True,
) -> list[str]:
	"""A system notification (Notification Log, and its email) about a document to each user.

	By default the logs are written in the caller's transaction, so they commit or roll back with
	the change they announce (a job's event row, a published bulletin). ``after_commit`` hands them
	to a background job instead (a user's workflow step: the request answers sooner). The acting
	user is left out unless ``exclude_self`` is False. Returns the users notified.
	"""

	skip = NOBODY | ({frappe.session.user} if exclude_self else set())
	users = sorted(set(users) - skip)
	if not users:
		return []
	log = {
		"type": "Alert",
		"document_type": doctype,
		"document_name": name,
		"subject": subject,
		"email_content": body or subject,
	}
	if exclude_self:
		log["from_user"] = frappe.session.user
	if after_commit:
		frappe.enqueue(  # after the commit: a step that is rolled back announces nothing
			"frappe.desk.doctype.notification_log.notification_log.make_notification_logs",
			doc=frappe._dict(log),
			users=users,
			now=frappe.flags.in_test,
			enqueue_after_commit=True,
		)
	else:
		make_notification_logs(frappe._dict(log), users)
	return users


def tell(
	notification: str,
	doc,
	users,
	context: dict | None = None,
	*,
	after_commit: bool = False,
	exclude_self: bool = True,
) -> list[str]:
	"""Announce a hand-off with the app's Notification record ``notification``: its subject and
	message rendered against ``doc`` and ``context``, to ``users`` (whom the rules name) and the
	record's own recipients, through ``send``. Nothing is sent while the administrator has it disabled
	or its condition does not hold; a template that fails to render is logged and the default text is
	sent instead (a notification never stops the step it announces). Returns the users notified."""
	record = notifications.get_record(notification)
	if not record.enabled:
		return []
	ctx = {**get_context(doc), **(context or {})}
	try:
		if record.condition and not frappe.safe_eval(record.condition, None, ctx):
			return []
		subject = frappe.render_template(record.subject or "", ctx)
		body = frappe.render_template(record.message, ctx) if record.message else subject
		users = [*users, *notifications.extra_recipients(record, doc, ctx)]
	except Exception:
		frappe.clear_last_message()  # the failure is the administrator's to fix, not the actor's
		frappe.log_error(
			title=f"Notification {notification}",
			reference_doctype="Notification",
			reference_name=notification,
		)
		subject, body = (frappe.render_template(t, ctx) for t in notifications.default_text(notification))
	return send(
		users, doc.doctype, doc.name, subject, body, after_commit=after_commit, exclude_self=exclude_self
	)


def sent_keys(filters: dict) -> set[str]:
	"""The keys of the events already recorded (``filters`` on ``Whistle Clock Event``)."""
	return set(frappe.get_all(EVENT_DOCTYPE, filters=filters, pluck="event_key"))


def record_once(event: dict) -> bool:
	"""Record an event under its unique ``event_key`` in the caller's transaction; False when it was
	recorded before (by an earlier or a concurrent run): the caller then sends nothing."""
	doc = frappe.get_doc({"doctype": EVENT_DOCTYPE, **event})
	try:
		doc.db_insert()  # no controller: the jobs are the only writers; the unique key guards it
	except (frappe.DuplicateEntryError, frappe.UniqueValidationError):
		return False
	return True
