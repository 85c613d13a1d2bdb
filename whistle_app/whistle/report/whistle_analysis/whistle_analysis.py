# Copyright (c) 2026, whistle_app developers
# For license information, please see license.txt
"""吹哨研判分析 (Whistle Analysis, RULES §14): the whistles filed (past draft, by the date of their
creation) in a date range, by month or quarter, in three views:

- **counts and trend**: per category, sub-topic, enterprise stage, park or department (the "group
  by" filter), the whistles of each period, the total, and the last period's change against the one
  before (``rules/analysis.trend``); a department counts every whistle it is on;
- **top recurring sub-topics**: the sub-topics with the most whistles, with their repeated whistles
  (``repeat_of``) and enterprises;
- **time per stage**: per sole or lead department, the median and 90th percentile of the days from
  filing (submitted to the office, from the state history) to dispatch, report, completion and
  closure (``rules/analysis.stage_durations``).

Through ``frappe.get_list``, so each user sees the whistles of their own scope (RULES §10); grouped
queries, the arithmetic in ``rules/analysis.py``.
"""

from collections import defaultdict
from datetime import date

import frappe
from frappe import _
from frappe.utils import add_days, cint, get_datetime, getdate

from whistle_app.lifecycle import now
from whistle_app.rules import analysis as an
from whistle_app.rules import lifecycle as lc

SLIP = "Whistle Slip"
DEPARTMENT = "Whistle Slip Department"
STATE_LOG = "Whistle Slip State Log"

COUNTS, RECURRING, STAGES = "Counts and Trend", "Top Recurring Sub-topics", "Time per Stage"
VIEWS = (COUNTS, RECURRING, STAGES)
# group by: (filter value, label, the slip's column or None for the department child table)
GROUPS = {
	"Category": ("category", "Category"),
	"Sub-topic": ("sub_topic", "Sub-topic"),
	"Enterprise Stage": ("enterprise_stage", "Enterprise Stage"),
	"Park": ("whistle_unit", "Whistling Unit"),
	"Department": (None, "Department"),
}
MAX_DAYS = 3 * 366  # the longest range one run reads
CHART_SERIES = 5  # the largest groups drawn in the trend chart


class AnalysisFilterError(frappe.ValidationError):
	pass


def execute(filters: dict | None = None):
	filters = validate_filters(frappe._dict(filters or {}))
	columns = get_columns(filters)
	data = get_data(filters)
	return columns, data, None, get_chart_data(filters, data)


def validate_filters(filters):
	today = now().date()
	filters.to_date = getdate(filters.get("to_date") or today)
	filters.from_date = getdate(filters.get("from_date") or date(filters.to_date.year, 1, 1))
	if filters.from_date > filters.to_date:
		frappe.throw(_("The start date must not be after the end date."), AnalysisFilterError)
	if (filters.to_date - filters.from_date).days > MAX_DAYS:
		frappe.throw(_("Choose a range of at most three years."), AnalysisFilterError)
	filters.granularity = filters.get("granularity") or an.MONTH
	filters.view = filters.get("view") or COUNTS
	filters.group_by = filters.get("group_by") or "Category"
	if filters.granularity not in an.GRANULARITIES:
		frappe.throw(_("Choose Month or Quarter."), AnalysisFilterError)
	if filters.view not in VIEWS:
		frappe.throw(_("{0} is not a view of this report.").format(filters.view), AnalysisFilterError)
	if filters.group_by not in GROUPS:
		frappe.throw(_("{0} cannot be grouped by.").format(filters.group_by), AnalysisFilterError)
	filters.periods = an.periods_between(filters.from_date, filters.to_date, filters.granularity)
	return filters


def base_filters(filters) -> list:
	return [
		[SLIP, "workflow_state", "!=", lc.DRAFT],
		[SLIP, "creation", ">=", f"{filters.from_date} 00:00:00"],
		[SLIP, "creation", "<", f"{add_days(filters.to_date, 1)} 00:00:00"],
	]


# --- columns ----------------------------------------------------------------------------------------


def get_columns(filters) -> list[dict]:
	if filters.view == RECURRING:
		return [
			{
				"fieldname": "sub_topic",
				"label": _("Sub-topic"),
				"fieldtype": "Link",
				"options": "Whistle Sub Topic",
				"width": 160,
			},
			{"fieldname": "category", "label": _("Category"), "fieldtype": "Data", "width": 120},
			{"fieldname": "whistles", "label": _("Whistles"), "fieldtype": "Int", "width": 90},
			{"fieldname": "repeats", "label": _("Repeated Whistles"), "fieldtype": "Int", "width": 110},
			{"fieldname": "enterprises", "label": _("Enterprises"), "fieldtype": "Int", "width": 90},
			{"fieldname": "last_period", "label": _("Last Period"), "fieldtype": "Int", "width": 90},
		]
	if filters.view == STAGES:
		columns = [
			{
				"fieldname": "department",
				"label": _("Department"),
				"fieldtype": "Link",
				"options": "Whistle Unit",
				"width": 180,
			},
			{"fieldname": "whistles", "label": _("Whistles"), "fieldtype": "Int", "width": 80},
		]
		for key, label in an.STAGES:
			columns.append(
				{
					"fieldname": f"{key}_median",
					"label": _("{0}: Median (Days)").format(_(label)),
					"fieldtype": "Float",
					"precision": 1,
					"width": 120,
				}
			)
			columns.append(
				{
					"fieldname": f"{key}_p90",
					"label": _("{0}: P90 (Days)").format(_(label)),
					"fieldtype": "Float",
					"precision": 1,
					"width": 120,
				}
			)
		return columns
	_field, label = GROUPS[filters.group_by]
	columns = [{"fieldname": "group", "label": _(label), "fieldtype": "Data", "width": 180}]
	columns += [
		{"fieldname": period_key(p), "label": p, "fieldtype": "Int", "width": 80} for p in filters.periods
	]
	columns += [
		{"fieldname": "total", "label": _("Total"), "fieldtype": "Int", "width": 80},
		{"fieldname": "change", "label": _("Change on Previous Period"), "fieldtype": "Int", "width": 110},
		{"fieldname": "change_percent", "label": _("Change (%)"), "fieldtype": "Percent", "width": 100},
	]
	return columns


def period_key(period: str) -> str:
	return "p_" + period.replace("-", "_").lower()


# --- data -------------------------------------------------------------------------------------------


def get_data(filters) -> list[dict]:
	if filters.view == RECURRING:
		return recurring_rows(filters)
	if filters.view == STAGES:
		return stage_rows(filters)
	return count_rows(filters)


def period_fields() -> list[str]:
	return ["date_format(creation, '%Y%m') as ym"]


def period_of_row(row, granularity: str) -> str:
	ym = cint(row.ym)
	return an.period_of(date(ym // 100, ym % 100, 1), granularity)


def child_filters(filters) -> list:
	"""A child row carries its slip's creation (Frappe stamps it so), hence the slip's period."""
	return [
		["parenttype", "=", SLIP],
		["creation", ">=", f"{filters.from_date} 00:00:00"],
		["creation", "<", f"{add_days(filters.to_date, 1)} 00:00:00"],
	]


def grouped_counts(filters) -> list:
	"""(group, year-month, count) rows: one grouped query (the slip's, or its departments')."""
	field, _label = GROUPS[filters.group_by]
	if field:
		return frappe.get_list(
			SLIP,
			filters=base_filters(filters),
			fields=[f"{field} as grp", *period_fields(), "count(name) as count"],
			group_by="grp, ym",
			order_by="grp asc",
			limit_page_length=0,
		)
	# a department counts every whistle it is on; departments are added at dispatch, never to a draft
	return frappe.get_list(
		DEPARTMENT,
		parent_doctype=SLIP,
		filters=child_filters(filters),
		fields=["department as grp", *period_fields(), "count(distinct parent) as count"],
		group_by="grp, ym",
		order_by="grp asc",
		limit_page_length=0,
	)


def group_label(filters, value) -> str:
	if not value:
		return _("Not Given")
	return _(value) if filters.group_by == "Category" else value


def count_rows(filters) -> list[dict]:
	groups: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
	for r in grouped_counts(filters):
		if filters.group_by == "Department" and not r.grp:
			continue  # a whistle not yet routed has no department
		groups[r.grp or ""][period_of_row(r, filters.granularity)] += cint(r.count)
	rows = []
	for value, by_period in groups.items():
		counts = [by_period.get(p, 0) for p in filters.periods]
		last = an.trend(counts)[-1] if counts else an.Trend(None, None)
		row = {"group": group_label(filters, value), "group_value": value, "total": sum(counts)}
		row.update({period_key(p): c for p, c in zip(filters.periods, counts, strict=True)})
		row["change"] = last.change
		row["change_percent"] = last.percent
		rows.append(row)
	return sorted(rows, key=lambda r: (-r["total"], r["group"]))


def recurring_rows(filters) -> list[dict]:
	extra = [[SLIP, "sub_topic", "is", "set"]]
	rows = frappe.get_list(
		SLIP,
		filters=base_filters(filters) + extra,
		fields=[
			"sub_topic",
			*period_fields(),
			"count(name) as count",
			"count(repeat_of) as repeats",
		],
		group_by="sub_topic, ym",
		limit_page_length=0,
	)
	enterprises = frappe.get_list(
		SLIP,
		filters=base_filters(filters) + extra,
		fields=["sub_topic", "count(distinct enterprise) as enterprises"],
		group_by="sub_topic",
		limit_page_length=0,
	)
	last_period = filters.periods[-1]
	totals: dict[str, int] = defaultdict(int)
	repeats: dict[str, int] = defaultdict(int)
	latest: dict[str, int] = defaultdict(int)
	for r in rows:
		totals[r.sub_topic] += cint(r.count)
		repeats[r.sub_topic] += cint(r.repeats)
		if period_of_row(r, filters.granularity) == last_period:
			latest[r.sub_topic] += cint(r.count)
	companies = {r.sub_topic: cint(r.enterprises) for r in enterprises}
	categories = dict(
		frappe.get_all(
			"Whistle Sub Topic",
			filters={"name": ("in", list(totals) or [""])},
			fields=["name", "category"],
			as_list=True,
		)
	)
	return [
		{
			"sub_topic": topic,
			"category": _(categories.get(topic) or ""),
			"whistles": count,
			"repeats": repeats[topic],
			"enterprises": companies.get(topic, 0),
			"last_period": latest[topic],
		}
		for topic, count in an.top_recurring(dict(totals), limit=20)
	]


def stage_rows(filters) -> list[dict]:
	slips = frappe.get_list(
		SLIP,
		filters=[*base_filters(filters), [DEPARTMENT, "department_role", "in", [lc.SOLE, lc.LEAD]]],
		fields=[
			"`tabWhistle Slip`.name as name",
			f"`tab{DEPARTMENT}`.department as department",
			"`tabWhistle Slip`.creation as created",
			"`tabWhistle Slip`.dispatched_on as dispatched",
			"`tabWhistle Slip`.reported_on as reported",
			"`tabWhistle Slip`.completed_on as completed",
			"`tabWhistle Slip`.closed_on as closed",
		],
		limit_page_length=0,
	)
	submitted = {
		r.name: r.filed
		for r in frappe.get_list(
			STATE_LOG,
			parent_doctype=SLIP,
			filters=[*child_filters(filters), ["to_state", "=", lc.SUBMITTED]],
			fields=["parent as name", "min(changed_on) as filed"],
			group_by="parent",
			limit_page_length=0,
		)
	}
	durations: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
	counted: dict[str, set] = defaultdict(set)
	for s in slips:
		times = {
			"filed": get_datetime(submitted.get(s.name) or s.created),
			"dispatched": s.dispatched and get_datetime(s.dispatched),
			"reported": s.reported and get_datetime(s.reported),
			"completed": s.completed and get_datetime(s.completed),
			"closed": s.closed and get_datetime(s.closed),
		}
		counted[s.department].add(s.name)
		for key, days in an.stage_durations(times).items():
			durations[s.department][key].append(days)
	rows = []
	for department in sorted(counted):
		row = {"department": department, "whistles": len(counted[department])}
		for key, _label in an.STAGES:
			values = durations[department][key]
			row[f"{key}_median"] = rounded(an.median(values))
			row[f"{key}_p90"] = rounded(an.percentile(values, 90))
		rows.append(row)
	return sorted(rows, key=lambda r: (-r["whistles"], r["department"]))


def rounded(value: float | None) -> float | None:
	return None if value is None else round(value, 1)


# --- chart ------------------------------------------------------------------------------------------


def get_chart_data(filters, data: list[dict]) -> dict | None:
	if not data:
		return None
	if filters.view == RECURRING:
		return {
			"data": {
				"labels": [r["sub_topic"] for r in data],
				"datasets": [
					{"name": _("Whistles"), "values": [r["whistles"] for r in data]},
					{"name": _("Repeated Whistles"), "values": [r["repeats"] for r in data]},
				],
			},
			"type": "bar",
		}
	if filters.view == STAGES:
		top = data[:10]
		return {
			"data": {
				"labels": [r["department"] for r in top],
				"datasets": [
					{"name": _(label), "values": [r[f"{key}_median"] or 0 for r in top]}
					for key, label in an.STAGES
				],
			},
			"type": "bar",
			"barOptions": {"stacked": 1},
		}
	return {
		"data": {
			"labels": filters.periods,
			"datasets": [
				{"name": r["group"], "values": [r[period_key(p)] for p in filters.periods]}
				for r in data[:CHART_SERIES]
			],
		},
		"type": "line",
	}
