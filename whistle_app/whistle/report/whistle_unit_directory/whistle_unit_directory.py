# Copyright (c) 2026, whistle_app developers
# For license information, please see license.txt
"""Units grouped by assessment class, with their accountability chain (RULES §1)."""

import frappe
from frappe import _

CHAIN_FIELDS = [
	"principal_leader_name",
	"principal_leader_phone",
	"deputy_leader_name",
	"deputy_leader_phone",
	"division_name",
	"division_head_name",
	"division_head_phone",
]


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	data = get_data(filters)
	return get_columns(), data, None, get_chart_data(data)


def get_columns() -> list[dict]:
	columns = [
		{"fieldname": "assessment_class", "label": _("Assessment Class"), "fieldtype": "Data", "width": 90},
		{
			"fieldname": "name",
			"label": _("Unit"),
			"fieldtype": "Link",
			"options": "Whistle Unit",
			"width": 220,
		},
		{"fieldname": "unit_type", "label": _("Unit Type"), "fieldtype": "Data", "width": 100},
		{
			"fieldname": "principal_leader_name",
			"label": _("Principal Leader"),
			"fieldtype": "Data",
			"width": 110,
		},
		{"fieldname": "principal_leader_phone", "label": _("Principal Leader Phone"), "fieldtype": "Data"},
		{"fieldname": "deputy_leader_name", "label": _("Deputy Leader in Charge"), "fieldtype": "Data"},
		{"fieldname": "deputy_leader_phone", "label": _("Deputy Leader Phone"), "fieldtype": "Data"},
		{"fieldname": "division_name", "label": _("Responsible Division"), "fieldtype": "Data"},
		{"fieldname": "division_head_name", "label": _("Division Head"), "fieldtype": "Data"},
		{"fieldname": "division_head_phone", "label": _("Division Head Phone"), "fieldtype": "Data"},
		{"fieldname": "liaison_count", "label": _("Liaisons"), "fieldtype": "Int", "width": 80},
	]
	return columns


def chain_incomplete(unit) -> bool:
	"""An assessed unit whose chain lacks a person the consequences name (RULES §1, §9: principal
	leader, deputy in charge, head of the responsible division): to complete before the year is
	finalised (issue #25; the annual evaluation warns on the same units)."""
	return bool(unit.assessment_class) and not (
		unit.principal_leader_name and unit.deputy_leader_name and unit.division_head_name
	)


def get_data(filters) -> list[dict]:
	"""Rows through ``frappe.get_list``: the user's unit scope applies (RULES §10)."""
	conditions = {"enabled": 1}
	for key in ("unit_type", "assessment_class"):
		if filters.get(key):
			conditions[key] = filters[key]
	units = frappe.get_list(
		"Whistle Unit",
		filters=conditions,
		fields=["name", "unit_type", "assessment_class", "display_order", *CHAIN_FIELDS],
		order_by="display_order asc, name asc",
		limit_page_length=0,
	)
	liaisons = dict(
		frappe.get_all(
			"Whistle Unit Liaison",
			filters={"parent": ("in", [u.name for u in units]), "parenttype": "Whistle Unit"},
			fields=["parent", "count(name) as n"],
			group_by="parent",
			as_list=True,
		)
	)
	if filters.get("chain_incomplete"):
		units = [u for u in units if chain_incomplete(u)]
	rows = []
	for unit in sorted(units, key=lambda u: (u.assessment_class or "Z", u.display_order or 0)):
		unit.liaison_count = liaisons.get(unit.name, 0)
		unit.unit_type = _(unit.unit_type)
		rows.append(unit)
	return rows


def get_chart_data(data: list[dict]) -> dict:
	classes = ["A", "B", "C"]
	counts = [sum(1 for row in data if row.assessment_class == c) for c in classes]
	return {
		"data": {
			"labels": [_("Class {0}").format(c) for c in classes],
			"datasets": [{"name": _("Units"), "values": counts}],
		},
		"type": "bar",
	}
