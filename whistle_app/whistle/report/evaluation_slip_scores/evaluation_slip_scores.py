# Copyright (c) 2026, whistle_app developers
# For license information, please see license.txt
"""The slip scores behind a unit's quarterly evaluation (drill-down of Quarterly Ranking).

Lists the complete slip scores of the slips closed in the quarter (RULES §5 [decision]) through
``frappe.get_list``, so the Whistle Slip Score access scope applies; a department sees its own only.
Scores of slips excluded from assessment (§3.1) are listed only on request and marked as not
counted. Each row links the park's (and for a co-department the lead department's) rating behind
it. The summary recounts the unit's cases and sum from the submitted ratings of the departments on
the slips (RULES §5: park rating, or 0.7 × park + 0.3 × lead for a co-department) and compares the
recount with the stored evaluation (issue #25: not the evaluation with itself): they differ if a
rating was amended or a slip excluded after the evaluation was last computed, or a score has no
rating behind it.
"""

import frappe
from frappe import _
from frappe.utils import cint, flt

from whistle_app import evaluation as ev
from whistle_app.rules import lifecycle as lc
from whistle_app.rules import ratings as rr
from whistle_app.rules import scoring
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
		{
			"fieldname": "park_rating_name",
			"label": _("Park Rating Form"),
			"fieldtype": "Link",
			"options": "Whistle Rating",
			"width": 130,
		},
		{"fieldname": "lead_rating", "label": _("Lead Department Rating"), "fieldtype": "Int", "width": 100},
		{
			"fieldname": "lead_rating_name",
			"label": _("Lead Department Rating Form"),
			"fieldtype": "Link",
			"options": "Whistle Rating",
			"width": 130,
		},
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
	ratings = rating_names(rows)
	for row in rows:
		row.counted = 0 if row.pop("excluded_from_assessment") else 1
		row.park_rating_name = ratings.get((row.slip, row.department, rr.PARK_RATER))
		row.lead_rating_name = ratings.get((row.slip, row.department, rr.LEAD_RATER))
		if not row.is_co_department:
			row.lead_rating = None
	return rows


def rating_names(rows: list[dict]) -> dict[tuple[str, str, str], str]:
	"""{(slip, department, rater kind): rating} of the submitted ratings behind the rows, through
	``frappe.get_list`` (the rating's own access scope: the rater's unit and the rated department)."""
	slips = sorted({row.slip for row in rows})
	if not slips:
		return {}
	found = frappe.get_list(
		"Whistle Rating",
		filters={"slip": ("in", slips), "docstatus": 1},
		fields=["name", "slip", "rated_department", "rater_kind"],
		limit_page_length=0,
	)
	return {(r.slip, r.rated_department, r.rater_kind): r.name for r in found}


def recount(data: list[dict], unit: str) -> tuple[int, float]:
	"""(cases, sum) of the unit's counted rows recounted from the submitted ratings of the
	departments on their slips: a row without its department on the slip or without the ratings
	behind it is not counted. Two queries."""
	slips = sorted({row.slip for row in data if row.counted})
	if not slips:
		return 0, 0.0
	roles = dict(
		frappe.get_all(
			"Whistle Slip Department",
			filters={"parent": ("in", slips), "parenttype": "Whistle Slip", "department": unit},
			fields=["parent", "department_role"],
			as_list=True,
		)
	)
	totals = {
		(r.slip, r.rater_kind): r.total
		for r in frappe.get_all(
			"Whistle Rating",
			filters={"slip": ("in", slips), "rated_department": unit, "docstatus": 1},
			fields=["slip", "rater_kind", "total"],
		)
	}
	cases, total = 0, 0.0
	for slip in slips:
		if slip not in roles or (slip, rr.PARK_RATER) not in totals:
			continue
		is_co = roles[slip] == lc.CO
		lead = totals.get((slip, rr.LEAD_RATER))
		if is_co and lead is None:
			continue
		cases += 1
		total += float(scoring.round2(scoring.slip_score(totals[(slip, rr.PARK_RATER)], lead, is_co)))
	return cases, round(total, 2)


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
			"value": round(total / len(counted), 2) if counted else 0,
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
			cases, recounted = recount(data, unit)
			same = (
				cint(stored.cases) == cases == len(counted)
				and round(flt(stored.slip_sum), 2) == recounted == total
			)
			summary.append(
				{
					"label": _("Recount from the Ratings"),
					"value": _("Matches") if same else _("Differs"),
					"indicator": "Green" if same else "Red",
					"datatype": "Data",
				}
			)
	return summary
