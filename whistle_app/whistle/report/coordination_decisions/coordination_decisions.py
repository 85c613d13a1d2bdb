# Copyright (c) 2026, whistle_app developers
# For license information, please see license.txt
"""议定事项跟踪 (Coordination Decisions, RULES §12): the published decisions of the District Head's
coordination meetings still open (or, with the filter, all), overdue first, then by due date.

Through ``frappe.get_list``, so each user sees the decisions of their own scope: the office and
District Leaders all, a unit those assigned to it (and a park those on its whistles). Two queries.
"""

import frappe
from frappe import _
from frappe.utils import cint, get_datetime

from whistle_app.coordination import DECISION_UNIT
from whistle_app.lifecycle import now
from whistle_app.rules import coordination as co

FIELDS = ["name", "meeting", "slip", "slip_title", "what", "due_on", "overdue", "workflow_state", "chair"]


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	data = get_data(bool(cint(filters.get("include_done"))))
	return get_columns(), data, None, get_chart_data(data)


def get_columns() -> list[dict]:
	return [
		{
			"fieldname": "name",
			"label": _("Coordination Decision"),
			"fieldtype": "Link",
			"options": co.DECISION,
			"width": 140,
		},
		{"fieldname": "what", "label": _("What Was Decided"), "fieldtype": "Data", "width": 280},
		{"fieldname": "units", "label": _("Responsible Units"), "fieldtype": "Data", "width": 180},
		{"fieldname": "due_on", "label": _("Due On"), "fieldtype": "Datetime", "width": 150},
		{"fieldname": "days_overdue", "label": _("Days Overdue"), "fieldtype": "Int", "width": 90},
		{"fieldname": "workflow_state", "label": _("State"), "fieldtype": "Data", "width": 90},
		{
			"fieldname": "slip",
			"label": _("Whistle Slip"),
			"fieldtype": "Link",
			"options": "Whistle Slip",
			"width": 140,
		},
		{
			"fieldname": "meeting",
			"label": _("Coordination Meeting"),
			"fieldtype": "Link",
			"options": co.MEETING,
			"width": 130,
		},
	]


def get_data(include_done: bool = False) -> list[dict]:
	states = list(co.DECISION_MACHINE.states[1:] if include_done else co.OPEN_DECISION_STATES)
	rows = frappe.get_list(
		co.DECISION,
		filters={"workflow_state": ("in", states)},
		fields=FIELDS,
		order_by="overdue desc, due_on asc",
		limit_page_length=0,
	)
	units: dict[str, list[str]] = {}
	if rows:
		for r in frappe.get_all(
			DECISION_UNIT,
			filters={"parenttype": co.DECISION, "parent": ("in", [r.name for r in rows])},
			fields=["parent", "unit"],
			order_by="idx asc",
		):
			units.setdefault(r.parent, []).append(r.unit)
	moment = get_datetime(now())
	for row in rows:
		row.units = "、".join(units.get(row.name, []))
		due = get_datetime(row.due_on) if row.due_on else None
		row.days_overdue = (moment.date() - due.date()).days if due and row.overdue else 0
	return rows


def get_chart_data(data: list[dict]) -> dict | None:
	if not data:
		return None
	overdue = sum(1 for row in data if row.overdue)
	return {
		"data": {
			"labels": [_("Overdue"), _("On Schedule")],
			"datasets": [{"name": _("Coordination Decisions"), "values": [overdue, len(data) - overdue]}],
		},
		"type": "pie",
		"colors": ["#e24c4c", "#5e64ff"],
	}
