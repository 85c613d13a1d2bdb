# Copyright (c) 2026, whistle_app developers
# For license information, please see license.txt
"""园区、镇街吹哨统计: per park or town, the whistles it blew in a year (filed, that is not drafts,
by the year of their creation) and where they stand now: open (of which overdue), completed and
awaiting confirmation, closed, tracked long-term, returned for more information, declined.

Through ``frappe.get_list``, so each user sees the units of their own scope (RULES §10): a park or
town its own row, the office and the leaders every unit. One grouped query.
"""

import frappe
from frappe import _
from frappe.utils import cint

from whistle_app.lifecycle import now
from whistle_app.rules import board as bd
from whistle_app.rules import lifecycle as lc

SLIP = "Whistle Slip"
# column: the states it counts (the board's open columns, less what has its own column)
STATE_COLUMNS = (
	(
		"open",
		"Open Whistles",
		tuple(s for s in bd.COLUMNS if s not in {lc.RETURNED, lc.COMPLETED, lc.LONG_TERM}),
	),
	("completed", "Whistles Awaiting Confirmation", (lc.COMPLETED,)),
	("closed", "Closed Whistles", (lc.CLOSED,)),
	("long_term", "Long-term Tracking", (lc.LONG_TERM, lc.TRACKING_ENDED)),
	("returned", "Returned Whistles", (lc.RETURNED,)),
	("declined", "Declined Whistles", (lc.DECLINED,)),
)


class ParkStatisticsFilterError(frappe.ValidationError):
	pass


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	year = validate_year(filters.get("year"))
	data = get_data(year)
	return get_columns(), data, None, get_chart_data(data)


def validate_year(value) -> int:
	year = cint(value) or now().year
	if not 2000 <= year <= 2100:
		frappe.throw(_("Year must be between 2000 and 2100."), ParkStatisticsFilterError)
	return year


def get_columns() -> list[dict]:
	return [
		{
			"fieldname": "whistle_unit",
			"label": _("Whistling Unit"),
			"fieldtype": "Link",
			"options": "Whistle Unit",
			"width": 200,
		},
		{"fieldname": "filed", "label": _("Whistles Filed"), "fieldtype": "Int", "width": 100},
		*(
			{"fieldname": key, "label": _(label), "fieldtype": "Int", "width": 110}
			for key, label, _states in STATE_COLUMNS[:1]
		),
		{"fieldname": "overdue", "label": _("Of Which Overdue"), "fieldtype": "Int", "width": 100},
		*(
			{"fieldname": key, "label": _(label), "fieldtype": "Int", "width": 110}
			for key, label, _states in STATE_COLUMNS[1:]
		),
	]


def get_data(year: int) -> list[dict]:
	rows = frappe.get_list(
		SLIP,
		filters=[
			[SLIP, "workflow_state", "!=", lc.DRAFT],
			[SLIP, "creation", ">=", f"{year}-01-01 00:00:00"],
			[SLIP, "creation", "<", f"{year + 1}-01-01 00:00:00"],
		],
		fields=["whistle_unit", "workflow_state", "count(name) as count", "sum(overdue) as overdue"],
		group_by="whistle_unit, workflow_state",
		order_by="whistle_unit asc",
		limit_page_length=0,
	)
	column_of = {state: key for key, _label, states in STATE_COLUMNS for state in states}
	units: dict[str, dict] = {}
	for r in rows:
		unit = units.setdefault(
			r.whistle_unit,
			{"whistle_unit": r.whistle_unit, "filed": 0, "overdue": 0, **{k: 0 for k, *_ in STATE_COLUMNS}},
		)
		count = cint(r.count)
		unit["filed"] += count
		key = column_of.get(r.workflow_state)
		if key:
			unit[key] += count
		if r.workflow_state in bd.COLUMNS:
			unit["overdue"] += cint(r.overdue)
	return sorted(units.values(), key=lambda u: (-u["filed"], u["whistle_unit"]))


def get_chart_data(data: list[dict]) -> dict | None:
	if not data:
		return None
	return {
		"data": {
			"labels": [row["whistle_unit"] for row in data],
			"datasets": [
				{"name": _(label), "values": [row[key] for row in data]}
				for key, label, _states in STATE_COLUMNS[:3]
			],
		},
		"type": "bar",
		"barOptions": {"stacked": 1},
	}
