"""Units and membership (RULES §1): which unit a user is in, and which units a role fits.

Cross-DocType helpers live here so controllers stay thin; the access rules themselves live in
``whistle_app.permissions``.
"""

import json

import frappe
from frappe import _

from whistle_app import roles
from whistle_app.access import is_administrator

# Unit types (stored values; Chinese labels come from locale/zh.po)
PARK = "Park"
TOWN = "Town"
REPORTING_UNIT = "Reporting Unit"
WHISTLE_OFFICE_UNIT = "Whistle Office"
DISTRICT_LEADERSHIP = "District Leadership"
EFFICIENCY_OFFICE_UNIT = "Efficiency Office"
WHISTLING_TYPES = (PARK, TOWN)

# Which unit types each product role fits. Enterprise users are website users and belong to an
# enterprise, not to a unit.
ROLE_UNIT_TYPES: dict[str, tuple[str, ...]] = {
	roles.WHISTLE_ADMINISTRATOR: (WHISTLE_OFFICE_UNIT,),
	roles.WHISTLE_OFFICE: (WHISTLE_OFFICE_UNIT,),
	roles.PARK_AGENT: WHISTLING_TYPES,
	roles.PARK_LEADER: WHISTLING_TYPES,
	roles.DEPARTMENT_LIAISON: (REPORTING_UNIT,),
	roles.DEPARTMENT_LEADER: (REPORTING_UNIT,),
	roles.DISTRICT_LEADER: (DISTRICT_LEADERSHIP,),
	roles.EFFICIENCY_OFFICE: (EFFICIENCY_OFFICE_UNIT,),
}

USER_UNIT_CACHE_KEY = "whistle_app:user_unit"


class UnitMembershipError(frappe.ValidationError):
	pass


def get_user_unit(user: str | None = None) -> str | None:
	"""The unit the user belongs to (cached; invalidated when the user or a unit changes)."""
	user = user or frappe.session.user

	def load():
		return frappe.db.get_value("User", user, "whistle_unit") or ""

	return frappe.cache.hget(USER_UNIT_CACHE_KEY, user, generator=load) or None


def get_unit_type(unit: str | None) -> str | None:
	return frappe.get_cached_value("Whistle Unit", unit, "unit_type") if unit else None


def clear_user_unit_cache(user: str | None = None) -> None:
	if user:
		frappe.cache.hdel(USER_UNIT_CACHE_KEY, user)
	else:
		frappe.cache.delete_key(USER_UNIT_CACHE_KEY)


def product_roles_of(user_doc) -> list[str]:
	"""The user's roles that require membership of a unit."""
	return [r.role for r in user_doc.get("roles", []) if r.role in ROLE_UNIT_TYPES]


# --- User hooks -------------------------------------------------------------------------------


class UnitAssignmentError(frappe.PermissionError):
	pass


def validate_user(doc, method=None):
	"""Every product user belongs to exactly one unit whose type fits each of its roles; only the
	administrators put a user into a unit."""
	validate_unit_assigner(doc)
	product_roles = product_roles_of(doc)
	if not product_roles or doc.name in ("Administrator", "Guest"):
		return
	if not doc.get("whistle_unit"):
		frappe.throw(
			_("User {0} has the role(s) {1} and must belong to a unit.").format(
				doc.name, "、".join(_(r) for r in product_roles)
			),
			UnitMembershipError,
			title=_("Unit required"),
		)
	unit_type = get_unit_type(doc.whistle_unit)
	for role in product_roles:
		if unit_type not in ROLE_UNIT_TYPES[role]:
			frappe.throw(
				_("The role {0} does not fit unit {1} of type {2}; it needs a unit of type {3}.").format(
					_(role), doc.whistle_unit, _(unit_type), " / ".join(_(t) for t in ROLE_UNIT_TYPES[role])
				),
				UnitMembershipError,
				title=_("Role does not fit the unit"),
			)


def validate_unit_assigner(doc) -> None:
	"""The unit decides what a user sees (RULES §10), so only administrators set or change it."""
	if is_administrator():  # who may put a user into a unit (a user never moves itself: issue #23)
		return
	before = doc.get_doc_before_save()
	old = before.get("whistle_unit") if before else None
	if (doc.get("whistle_unit") or None) != (old or None):
		frappe.throw(
			_("Only an administrator can set or change the unit a user belongs to."),
			UnitAssignmentError,
			title=_("Not permitted"),
		)


def on_user_change(doc, method=None):
	clear_user_unit_cache(doc.name)


# --- Unit helpers ------------------------------------------------------------------------------


def unit_user_fields() -> tuple[str, ...]:
	return ("principal_leader_user", "deputy_leader_user", "division_head_user")


def users_named_on_unit(unit_doc) -> list[str]:
	users = [unit_doc.get(f) for f in unit_user_fields()]
	users += [row.user for row in unit_doc.get("liaisons", [])]
	return [u for u in dict.fromkeys(users) if u]


def validate_unit_users(unit_doc) -> None:
	"""A user named on a unit (chain or liaison) must not belong to another unit."""
	users = users_named_on_unit(unit_doc)
	if not users:
		return
	memberships = dict(
		frappe.get_all("User", filters={"name": ("in", users)}, fields=["name", "whistle_unit"], as_list=True)
	)
	for user in users:
		if user not in memberships:
			continue
		current = memberships[user]
		if current and current != unit_doc.name:
			frappe.throw(
				_("User {0} already belongs to unit {1}; a user belongs to exactly one unit.").format(
					user, current
				),
				UnitMembershipError,
				title=_("Already in another unit"),
			)


def assign_unit_members(unit_doc) -> None:
	"""Users named on the unit who belong to no unit yet become its members."""
	for user in users_named_on_unit(unit_doc):
		if frappe.db.get_value("User", user, "whistle_unit"):
			continue
		user_doc = frappe.get_doc("User", user)
		user_doc.whistle_unit = unit_doc.name
		user_doc.save(ignore_permissions=True)


def ensure_role_profiles() -> list[str]:
	"""Create the role profiles of ``roles.ROLE_PROFILES`` that do not exist yet.

	Existing profiles are left as the administrator keeps them. (Not a fixture: re-importing a Role
	Profile on every migrate queues a background update of all its users and locks the profile
	until a worker runs it.)
	"""
	created = []
	for name, profile_roles in roles.ROLE_PROFILES.items():
		if frappe.db.exists("Role Profile", name):
			continue
		doc = frappe.get_doc({"doctype": "Role Profile", "role_profile": name})
		for role in profile_roles:
			doc.append("roles", {"role": role})
		doc.insert(ignore_permissions=True)
		created.append(name)
	return created
