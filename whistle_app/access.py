"""One vocabulary of who a user is (RULES §1): predicates on roles, and a decorator for methods.

Every "is this user the office / an administrator / a District Leader" question of the app is asked
here and nowhere else. Role names are the constants of ``whistle_app.roles``; "Administrator" (the
site's own superuser) passes every predicate that grants rights.

* ``is_office``: the Whistle Office's staff, administrators and System Managers. They see every
  unit's data, edit bulletins, manage surveys and evaluations.
* ``is_office_staff``: the office's own staff (Whistle Office, Whistle Administrator); they act for
  the office in the workflows (a System Manager alone does not).
* ``is_administrator``: configures the app (calendar confirmations, users' units).
* ``is_district_leader``, ``is_efficiency_office``: read everything (RULES §10), decide requests.
* ``reads_all``: the read-only audience of every unit's data.

``requires(predicate, message)`` guards a whitelisted method, in the manner of helpdesk's
``agent_only``: put it under ``@frappe.whitelist()``.
"""

from collections.abc import Callable
from functools import wraps

import frappe
from frappe import _

from whistle_app import roles

ADMINISTRATOR = "Administrator"
SYSTEM_MANAGER = "System Manager"
OFFICE_ROLES = frozenset({roles.WHISTLE_OFFICE, roles.WHISTLE_ADMINISTRATOR, SYSTEM_MANAGER})
ADMIN_ROLES = frozenset({roles.WHISTLE_ADMINISTRATOR, SYSTEM_MANAGER})
STAFF_ROLES = frozenset({roles.WHISTLE_OFFICE, roles.WHISTLE_ADMINISTRATOR})
READ_ALL_ROLES = frozenset({roles.DISTRICT_LEADER, roles.EFFICIENCY_OFFICE})
READ_PTYPES = frozenset({"read", "select", "print", "email", "export", "report"})


def user_roles(user: str | None = None) -> set[str]:
	return set(frappe.get_roles(user or frappe.session.user))


def has_role(role: str, user: str | None = None) -> bool:
	return role in user_roles(user)


def _any_of(role_set: frozenset[str], user: str | None) -> bool:
	user = user or frappe.session.user
	return user == ADMINISTRATOR or bool(role_set & user_roles(user))


def is_office(user: str | None = None) -> bool:
	"""The Whistle Office (its staff, administrators, System Managers)."""
	return _any_of(OFFICE_ROLES, user)


def is_office_staff(user: str | None = None) -> bool:
	"""The Whistle Office's own staff (Whistle Office, Whistle Administrator): they act for the office
	in the workflows. A System Manager without these roles administers the site, not the whistles."""
	return _any_of(STAFF_ROLES, user)


def sees_all(user: str | None = None) -> bool:
	"""Reads and writes every unit's documents (within each DocType's own permissions)."""
	return is_office(user)


def is_administrator(user: str | None = None) -> bool:
	"""Configures the app: calendar confirmations, users' units."""
	return _any_of(ADMIN_ROLES, user)


def is_district_leader(user: str | None = None) -> bool:
	return has_role(roles.DISTRICT_LEADER, user)


def is_efficiency_office(user: str | None = None) -> bool:
	return has_role(roles.EFFICIENCY_OFFICE, user)


def is_enterprise(user: str | None = None) -> bool:
	return has_role(roles.ENTERPRISE, user)


def reads_all(user: str | None = None, ptype: str = "read") -> bool:
	"""District Leaders and the Efficiency Office read (never write) every unit's documents."""
	return ptype in READ_PTYPES and bool(READ_ALL_ROLES & user_roles(user))


def require(predicate: Callable[[str | None], bool], message: str, user: str | None = None) -> None:
	"""Refuse (403, translated ``message``) unless the user passes ``predicate``."""
	if not predicate(user):
		frappe.throw(_(message), frappe.PermissionError)


def requires(predicate: Callable[[str | None], bool], message: str):
	"""Decorator of a whitelisted method that only users passing ``predicate`` may call."""

	def decorate(fn):
		@wraps(fn)
		def wrapper(*args, **kwargs):
			require(predicate, message)
			return fn(*args, **kwargs)

		return wrapper

	return decorate
