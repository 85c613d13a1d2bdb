# Copyright (c) 2026, whistle_app developers
# For license information, please see license.txt
"""Annual ranking (RULES §8), read from the stored Annual Evaluation (never computed live).

Same audience as the quarterly ranking: a department sees its own row only. A unit links to its
scorecard (its four quarters side by side).
"""

import frappe
from frappe import _
from frappe.utils import cint

from whistle_app import evaluation as ev


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	doc = get_evaluation(filters)
	data = get_data(filters, doc)
	return get_columns(), data, get_message(filters, doc), get_chart_data(data), get_summary(doc)


def get_evaluation(filters):
	name = ev.annual_name(ev.check_year(cint(filters.year)))
	return frappe.get_doc(ev.ANNUAL, name) if frappe.db.exists(ev.ANNUAL, name) else None


def get_columns() -> list[dict]:
	col = ev.report_column
	return [
		col("assessment_class", _("Assessment Class"), "Data", 70),
		col("final_position", _("Final Position"), "Int", 70),
		col("whistle_unit", _("Unit"), "Link", 200, options="Whistle Unit"),
		col("annual_score", _("Annual Score"), precision=2),  # visible at 1440 px (issue #20)
		col("note", _("Note"), "Data", 150),
		*(col(f"q{q}_score", _("Q{0} Score").format(q), precision=2, width=80) for q in (1, 2, 3, 4)),
		col("quarters_counted", _("Quarters Counted"), "Data", 90),
		col("base", _("Base Score"), precision=2),
		col("cases", _("Annual Cases"), "Int", 80),
		col("avg_cases", _("Average Cases"), precision=2),
		col("uplift_percent", _("Uplift %"), "Int", 70),
		col("substituted", _("Class Average Used"), "Check", 80),
		col("position", _("Position before Penalty"), "Int", 90),
		col("namings", _("Bulletin Namings"), "Int", 80),
		col("penalised", _("Penalised (Named 3 Times or More)"), "Check", 90),
		col("is_last", _("Last Place"), "Check", 70),
	]


def get_data(filters, doc=None) -> list[dict]:
	rows = []
	for row in ev.visible_rows(doc, filters):
		ranked = bool(row.class_ranked)
		counted = {int(q) for q in (row.quarters_counted or "").split("、") if q}
		data = {
			"year": doc.year,
			"assessment_class": row.assessment_class,
			"final_position": row.final_position if ranked else None,
			"whistle_unit": row.whistle_unit,
			"quarters_counted": row.quarters_counted,
			"base": ev.rounded(row.base) if counted else None,
			"cases": row.cases,
			"avg_cases": ev.rounded(row.avg_cases),
			"uplift_percent": row.uplift_percent,
			"substituted": row.substituted,
			"note": _("No case, class average used") if row.substituted and ranked else "",
			"annual_score": ev.rounded(row.annual_score_rounded) if ranked else None,
			"position": row.position if ranked else None,
			"namings": row.namings,
			"penalised": row.penalised,
			"is_last": row.is_last,
		}
		for q in (1, 2, 3, 4):
			data[f"q{q}_score"] = ev.rounded(row.get(f"q{q}_score")) if q in counted else None
		rows.append(data)
	return rows


def get_message(filters, doc) -> str | None:
	if doc is None:
		return _("The year {0} has not been evaluated yet.").format(cint(filters.year))
	return ev.draft_message(doc)


def get_chart_data(data: list[dict]) -> dict | None:
	ranked = [row for row in data if row["annual_score"] is not None]
	if not ranked:
		return None
	return {
		"data": {
			"labels": [row["whistle_unit"] for row in ranked],
			"datasets": [{"name": _("Annual Score"), "values": [row["annual_score"] for row in ranked]}],
		},
		"type": "bar",
	}


def get_summary(doc) -> list[dict] | None:
	if doc is None:
		return None
	return [
		{"label": _("Evaluation Status"), "value": _(doc.status), "datatype": "Data"},
		{"label": _("Uplift Baseline"), "value": _(doc.uplift_baseline), "datatype": "Data"},
	]
