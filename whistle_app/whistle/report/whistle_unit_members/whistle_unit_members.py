# Copyright (c) 2026, whistle_app developers
# For license information, please see license.txt
"""Per unit: its members and their roles, and who is missing (for administrators)."""

import frappe
from frappe import _
from frappe.query_builder import DocType

from whistle_app import roles
from whistle_app.organisation import REPORTING_UNIT, ROLE_UNIT_TYPES, WHISTLING_TYPES

# unit type -> roles that every such unit should have at least one member with
EXPECTED_ROLES: dict[str, tuple[str, ...]] = {
	REPORTING_UNIT: (roles.DEPARTMENT_LIAISON, roles.DEPARTMENT_LEADER),
	**{t: (roles.PARK_AGENT, roles.PARK_LEADER) for t in WHISTLING_TYPES},
}


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	data = get_data(filters)
	return get_columns(), data, None, get_chart_data(data)


def get_columns() -> list[dict]:
	return [
		{
			"fieldname": "unit",
			"label": _("Unit"),
			"fieldtype": "Link",
			"options": "Whistle Unit",
			"width": 220,
		},
		{"fieldname": "unit_type", "label": _("Unit Type"), "fieldtype": "Data", "width": 100},
		{"fieldname": "assessment_class", "label": _("Assessment Class"), "fieldtype": "Data", "width": 80},
		{"fieldname": "member_count", "label": _("Members"), "fieldtype": "Int", "width": 80},
		{"fieldname": "members", "label": _("Members and Roles"), "fieldtype": "Data", "width": 420},
		{"fieldname": "missing", "label": _("Missing"), "fieldtype": "Data", "width": 220},
	]


def get_data(filters) -> list[dict]:
	unit_filters = {"enabled": 1}
	if filters.get("unit_type"):
		unit_filters["unit_type"] = filters.unit_type
	units = frappe.get_list(
		"Whistle Unit",
		filters=unit_filters,
		fields=["name", "unit_type", "assessment_class"],
		order_by="display_order asc, name asc",
		limit_page_length=0,
	)
	members = get_members()
	rows = []
	for unit in units:
		unit_members = members.get(unit.name, {})
		held = {role for user_roles in unit_members.values() for role in user_roles}
		missing = [_(role) for role in EXPECTED_ROLES.get(unit.unit_type, ()) if role not in held]
		if filters.get("only_missing") and not missing:
			continue
		rows.append(
			{
				"unit": unit.name,
				"unit_type": _(unit.unit_type),
				"assessment_class": unit.assessment_class,
				"member_count": len(unit_members),
				"members": "；".join(
					f"{user}（{'、'.join(_(r) for r in sorted(r_))}）"
					for user, r_ in sorted(unit_members.items())
				),
				"missing": "、".join(missing),
			}
		)
	return rows


def get_members() -> dict[str, dict[str, set[str]]]:
	"""unit -> user -> product roles, for enabled users (one query)."""
	user, has_role = DocType("User"), DocType("Has Role")
	rows = (
		frappe.qb.from_(user)
		.left_join(has_role)
		.on((has_role.parent == user.name) & (has_role.parenttype == "User"))
		.select(user.whistle_unit, user.name, has_role.role)
		.where(user.enabled == 1)
		.where(user.whistle_unit.isnotnull())
		.where(user.whistle_unit != "")
	).run()
	out: dict[str, dict[str, set[str]]] = {}
	for unit, name, role in rows:
		user_roles = out.setdefault(unit, {}).setdefault(name, set())
		if role in ROLE_UNIT_TYPES:
			user_roles.add(role)
	return out


def get_chart_data(data: list[dict]) -> dict:
	complete = sum(1 for row in data if not row["missing"])
	return {
		"data": {
			"labels": [_("Complete"), _("Missing people")],
			"datasets": [{"name": _("Units"), "values": [complete, len(data) - complete]}],
		},
		"type": "pie",
	}
