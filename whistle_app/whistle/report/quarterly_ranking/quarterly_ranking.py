# Copyright (c) 2026, whistle_app developers
# For license information, please see license.txt
"""Quarterly ranking (RULES §7), read from the stored Quarterly Evaluation (never computed live).

Office, administrators, District Leaders and the Efficiency Office see every unit; a department
sees its own row only (``evaluation.visible_unit``). The "cases" of a row link to the slip scores
behind it (report Evaluation Slip Scores). Issue #20/#25: the quarter score comes right after the
unit (visible at 1440 px), numbers with two decimals, a unit without cases is marked
无办件，取本类平均, and a quarter without any case says so instead of "not evaluated".
"""

import frappe
from frappe import _
from frappe.utils import cint, getdate

from whistle_app import evaluation as ev
from whistle_app.calendar import current_date
from whistle_app.rules import scoring


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	doc = get_evaluation(filters)
	data = get_data(filters, doc)
	return get_columns(), data, get_message(filters, doc), get_chart_data(data), get_summary(doc)


def get_evaluation(filters):
	year, quarter = ev.check_quarter(cint(filters.year), cint(filters.quarter))
	name = ev.quarterly_name(year, quarter)
	return frappe.get_doc(ev.QUARTERLY, name) if frappe.db.exists(ev.QUARTERLY, name) else None


def get_columns() -> list[dict]:
	col = ev.report_column
	return [
		col("assessment_class", _("Assessment Class"), "Data", 70),
		col("rank", _("Rank"), "Int", 60),
		col("whistle_unit", _("Unit"), "Link", 200, options="Whistle Unit"),
		col("quarter_score", _("Quarter Score"), precision=2),
		col("note", _("Note"), "Data", 150),
		col("is_last", _("Last Place"), "Check", 70),
		col("cases", _("Cases"), "Int", 70),
		col("excluded_cases", _("Excluded Cases"), "Int", 80),
		col("slip_sum", _("Slip Score Sum"), precision=2),
		col("slip_avg", _("Slip Average"), precision=2),
		col("satisfied", _("Satisfied"), "Int", 60),
		col("fairly_satisfied", _("Fairly Satisfied"), "Int", 70),
		col("basically_satisfied", _("Basically Satisfied"), "Int", 70),
		col("dissatisfied", _("Dissatisfied"), "Int", 60),
		col("vote_total", _("Total Votes"), "Int", 70),
		col("satisfaction", _("Satisfaction"), precision=2),
		col("satisfaction_source", _("Satisfaction Source"), "Data", 100),
		col("class_average", _("Class Average"), precision=2),
		col("substituted", _("Class Average Used"), "Check", 80),
	]


def get_data(filters, doc=None) -> list[dict]:
	"""The evaluation's rows the user may see, in class and rank order, numbers as shown in print."""
	rows = []
	for row in ev.visible_rows(doc, filters):
		ranked, with_cases = bool(row.class_ranked), cint(row.cases) > 0
		rows.append(
			{
				"year": doc.year,
				"quarter": doc.quarter,
				"assessment_class": row.assessment_class,
				"rank": row.rank if ranked else None,
				"whistle_unit": row.whistle_unit,
				"cases": row.cases,
				"excluded_cases": row.excluded_cases,
				"slip_sum": ev.rounded(row.slip_sum),
				"slip_avg": ev.rounded(row.slip_avg) if with_cases else None,
				"satisfied": row.satisfied,
				"fairly_satisfied": row.fairly_satisfied,
				"basically_satisfied": row.basically_satisfied,
				"dissatisfied": row.dissatisfied,
				"vote_total": row.vote_total,
				"satisfaction": ev.rounded(row.satisfaction)
				if row.satisfaction_source != ev.SOURCE_OPTIONS[scoring.SATISFACTION_NONE]
				else None,
				"satisfaction_source": _(row.satisfaction_source),
				"class_average": ev.rounded(row.class_average) if ranked else None,
				"substituted": row.substituted,
				"note": substitution_note(row),
				"quarter_score": ev.rounded(row.quarter_score_rounded) if ranked else None,
				"is_last": row.is_last,
			}
		)
	return rows


def substitution_note(row) -> str:
	"""RULES §7: a unit without cases takes its class's average, said in words (issue #20)."""
	return _("No case, class average used") if row.substituted and row.class_ranked else ""


def get_message(filters, doc) -> str | None:
	year, quarter = cint(filters.year), cint(filters.quarter)
	if doc is None:
		if quarter_without_cases(year, quarter):
			return _("{0} Q{1}: no case this quarter, no ranking.").format(year, quarter)
		return _("{0} Q{1} has not been evaluated yet.").format(year, quarter)
	if not cint(doc.counted_cases):
		return _("{0} Q{1}: no case this quarter, no ranking.").format(year, quarter)
	return ev.draft_message(doc)


def quarter_without_cases(year: int, quarter: int) -> bool:
	"""An ended quarter in which no whistle's rated score was closed: nothing to rank (issue #25)."""
	start, end = scoring.quarter_bounds(year, quarter)
	if getdate(end) >= getdate(current_date()):
		return False
	return not frappe.db.exists(
		ev.SCORE,
		{"rating_complete": 1, "closed_on": ("between", [f"{start} 00:00:00", f"{end} 23:59:59.999999"])},
	)


def get_chart_data(data: list[dict]) -> dict | None:
	ranked = [row for row in data if row["quarter_score"] is not None]
	if not ranked:
		return None
	return {
		"data": {
			"labels": [row["whistle_unit"] for row in ranked],
			"datasets": [
				{"name": _("Quarter Score"), "values": [row["quarter_score"] for row in ranked]},
				{"name": _("Class Average"), "values": [row["class_average"] for row in ranked]},
			],
		},
		"type": "bar",
		"colors": ["#2490ef", "#d3d3d3"],
	}


def get_summary(doc) -> list[dict] | None:
	if doc is None:
		return None
	status = {"label": _("Evaluation Status"), "value": _(doc.status), "datatype": "Data"}
	if ev.visible_unit() is not None:  # a department: its own row, no district totals
		return [status]
	return [
		status,
		{"label": _("Cases Counted"), "value": doc.counted_cases, "datatype": "Int"},
		{"label": _("Cases Excluded"), "value": doc.excluded_cases, "datatype": "Int"},
		{
			"label": _("Satisfaction Survey Status"),
			"value": _(doc.survey_status) if doc.survey_status else "—",
			"datatype": "Data",
		},
	]
