# Copyright (c) 2026, whistle_app developers
# For license information, please see license.txt
"""The slip scores behind a unit's quarterly evaluation (drill-down of Quarterly Ranking).

Lists the complete slip scores of the slips closed in the quarter (RULES §5 [decision]) through
``frappe.get_list``, so the Whistle Slip Score access scope applies; a department sees its own only.
Scores of slips excluded from assessment (§3.1) are listed only on request and marked as not
counted. The summary compares the counted cases and sum with the stored evaluation: they differ
only if a rating was amended or a slip excluded after the evaluation was last computed.
"""

import frappe
from frappe import _
from frappe.utils import cint, flt

from whistle_app import evaluation as ev
from whistle_app.surveys import quarter_window


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	unit = unit_filter(filters)
	data = get_data(filters, unit)
	return get_columns(), data, None, get_chart_data(data), get_summary(filters, unit, data)


def get_columns() -> list[dict]:
	return [
		{
			"fieldname": "department",
			"label": _("Department"),
			"fieldtype": "Link",
			"options": "Whistle Unit",
			"width": 180,
		},
		{
			"fieldname": "slip",
			"label": _("Whistle Slip"),
			"fieldtype": "Link",
			"options": "Whistle Slip",
			"width": 150,
		},
		{
			"fieldname": "whistle_unit",
			"label": _("Whistling Unit"),
			"fieldtype": "Link",
			"options": "Whistle Unit",
			"width": 130,
		},
		{"fieldname": "is_co_department", "label": _("Co-department"), "fieldtype": "Check", "width": 80},
		{"fieldname": "park_rating", "label": _("Park Rating"), "fieldtype": "Int", "width": 90},
		{"fieldname": "lead_rating", "label": _("Lead Department Rating"), "fieldtype": "Int", "width": 100},
		{
			"fieldname": "slip_score",
			"label": _("Slip Score"),
			"fieldtype": "Float",
			"precision": 2,
			"width": 90,
		},
		{"fieldname": "closed_on", "label": _("Closed On"), "fieldtype": "Datetime", "width": 150},
		{"fieldname": "counted", "label": _("Counted"), "fieldtype": "Check", "width": 70},
	]


def unit_filter(filters) -> str | None:
	"""The unit to list: a department user's own unit, else the filter (None = every unit)."""
	own = ev.visible_unit()
	if own and filters.get("whistle_unit") and filters.whistle_unit != own:
		frappe.throw(_("A department sees only its own evaluation."), frappe.PermissionError)
	return own or filters.get("whistle_unit") or None


def get_data(filters, unit: str | None = None) -> list[dict]:
	year, quarter = ev.check_quarter(cint(filters.year), cint(filters.quarter))
	start, end = quarter_window(year, quarter)
	conditions = [
		["rating_complete", "=", 1],
		["closed_on", ">=", start],
		["closed_on", "<", end],
	]
	if unit:
		conditions.append(["department", "=", unit])
	if not cint(filters.get("include_excluded")):
		conditions.append(["excluded_from_assessment", "=", 0])
	rows = frappe.get_list(
		ev.SCORE,
		filters=conditions,
		fields=[
			"department",
			"slip",
			"whistle_unit",
			"is_co_department",
			"park_rating",
			"lead_rating",
			"slip_score",
			"closed_on",
			"excluded_from_assessment",
		],
		order_by="department asc, closed_on asc, name asc",
		limit_page_length=0,
	)
	for row in rows:
		row.counted = 0 if row.pop("excluded_from_assessment") else 1
		if not row.is_co_department:
			row.lead_rating = None
	return rows


def get_chart_data(data: list[dict]) -> None:
	return None


def get_summary(filters, unit: str | None, data: list[dict]) -> list[dict]:
	counted = [row for row in data if row.counted]
	total = round(sum(flt(row.slip_score) for row in counted), 2)
	summary = [
		{"label": _("Cases Counted"), "value": len(counted), "datatype": "Int"},
		{"label": _("Slip Score Sum"), "value": total, "datatype": "Float"},
		{
			"label": _("Slip Average"),
			"value": round(total / len(counted), 4) if counted else 0,
			"datatype": "Float",
		},
	]
	name = ev.quarterly_name(cint(filters.year), cint(filters.quarter))
	if unit and frappe.db.exists(ev.QUARTERLY, name):
		stored = frappe.db.get_value(
			ev.QUARTERLY_ROW,
			{"parent": name, "parenttype": ev.QUARTERLY, "whistle_unit": unit},
			["cases", "slip_sum"],
			as_dict=True,
		)
		if stored:
			same = cint(stored.cases) == len(counted) and round(flt(stored.slip_sum), 2) == total
			summary.append(
				{
					"label": _("Compared with the Evaluation"),
					"value": _("Matches") if same else _("Differs"),
					"indicator": "Green" if same else "Red",
					"datatype": "Data",
				}
			)
	return summary
