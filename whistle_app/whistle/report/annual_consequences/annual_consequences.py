# Copyright (c) 2026, whistle_app developers
# For license information, please see license.txt
"""Annual consequences (RULES §9) of the final positions of the stored Annual Evaluation.

Per class, each unit's final position and the outcomes of ``scoring.annual_consequences`` with the
people concerned, named from the unit's accountability chain as kept on the annual evaluation (the
chain when it was computed, i.e. at year end). For class A's last unit, the consecutive years at
last place count the earlier final annual evaluations. The product lists outcomes for the
leadership to act on; it never acts on people. Office, District Leaders and the Efficiency Office.

The report leads with what happens to whom (issue #25): per class, the last unit's bonus deductions
with the people's names, removal and resignation, then the bottom three's outcomes (section 重点结果);
the full list follows (section 全部结果). A person the chain does not name is shown as 未登记 in red
(``person_missing``), so a missing name is never an empty cell.
"""

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.query_builder.functions import Count
from frappe.utils import cint

from whistle_app import evaluation as ev
from whistle_app.rules import scoring

# (code, role) -> English source of the outcome (zh.po carries the plan's Chinese wording)
OUTCOMES = {
	(
		"export_to_performance",
		None,
	): "Annual result included in the district's comprehensive performance assessment",
	("no_first_prize", None): "Not eligible for the first prize of the comprehensive performance assessment",
	("bonus_deduction", "principal_leader"): "Principal leader: 1/2 of the annual assessment bonus deducted",
	(
		"bonus_deduction",
		"deputy_leader",
	): "Deputy leader in charge: 1/3 of the annual assessment bonus deducted",
	(
		"bonus_deduction",
		"responsible_person",
	): "Responsible person: 1/4 of the annual assessment bonus deducted",
	(
		"deputy_removal",
		"deputy_leader",
	): "Last place two years in a row: the deputy leader in charge is removed from office",
	(
		"principal_resignation",
		"principal_leader",
	): "Last place three years in a row: the principal leader resigns",
	("copy_to_superior", None): "Annual result copied to the unit's superior department",
}
# the consequences that happen to someone, in the order a notice lists them (the rest: the full list)
KEY_ORDER = {
	"bonus_deduction": 0,
	"deputy_removal": 1,
	"principal_resignation": 2,
	"no_first_prize": 3,
	"copy_to_superior": 3,
}
KEY_SECTION, FULL_SECTION = "Key Consequences", "Full List"
ROLE_LABELS = {
	"principal_leader": "Principal Leader",
	"deputy_leader": "Deputy Leader in Charge",
	"responsible_person": "Responsible Person",
}


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	if ev.visible_unit() is not None:
		frappe.throw(
			_(
				"Only the Whistle Office, District Leaders and the Efficiency Office see the annual consequences."
			),
			frappe.PermissionError,
		)
	name = ev.annual_name(ev.check_year(cint(filters.year)))
	if not frappe.db.exists(ev.ANNUAL, name):
		return get_columns(), [], _("The year {0} has not been evaluated yet.").format(cint(filters.year))
	doc = frappe.get_doc(ev.ANNUAL, name)
	data = get_data(filters, doc)
	return get_columns(), data, ev.draft_message(doc), get_chart_data(data)


def get_columns() -> list[dict]:
	return [
		{"fieldname": "section", "label": _("Section"), "fieldtype": "Data", "width": 90},
		{"fieldname": "assessment_class", "label": _("Assessment Class"), "fieldtype": "Data", "width": 70},
		{"fieldname": "final_position", "label": _("Final Position"), "fieldtype": "Int", "width": 70},
		{
			"fieldname": "whistle_unit",
			"label": _("Unit"),
			"fieldtype": "Link",
			"options": "Whistle Unit",
			"width": 180,
		},
		{
			"fieldname": "annual_score",
			"label": _("Annual Score"),
			"fieldtype": "Float",
			"precision": 2,
			"width": 90,
		},
		{"fieldname": "consequence", "label": _("Consequence"), "fieldtype": "Data", "width": 380},
		{"fieldname": "role", "label": _("Person Concerned"), "fieldtype": "Data", "width": 110},
		{"fieldname": "person", "label": _("Person's Name"), "fieldtype": "Data", "width": 160},
		{"fieldname": "bonus_deduction", "label": _("Bonus Deducted"), "fieldtype": "Data", "width": 80},
		{
			"fieldname": "last_years",
			"label": _("Consecutive Years at Last Place"),
			"fieldtype": "Int",
			"width": 110,
		},
		{"fieldname": "snail_awards", "label": _("Snail Awards This Year"), "fieldtype": "Int", "width": 100},
	]


def person(row, role: str | None) -> str:
	if role == "principal_leader":
		return row.principal_leader or ""
	if role == "deputy_leader":
		return row.deputy_leader or ""
	if role == "responsible_person":
		head, division = row.division_head or "", row.division_name or ""
		return f"{head}（{division}）" if head and division else head or division
	return ""


def named(row, role: str | None) -> dict:
	"""The person concerned, or 未登记 (flagged) where the unit's chain does not name them."""
	name = person(row, role)
	if role and not name:
		return {"person": _("Not registered"), "person_missing": 1}
	return {"person": name, "person_missing": 0}


def snail_awards(year: int) -> dict[str, int]:
	award = DocType(ev.SNAIL_AWARD)
	return dict(
		frappe.qb.from_(award)
		.select(award.whistle_unit, Count("*"))
		.where(award.year == year)
		.where(award.status == ev.AWARDED)
		.groupby(award.whistle_unit)
		.run()
	)


def get_data(filters, doc) -> list[dict]:
	awards = snail_awards(cint(doc.year))
	data, rest = [], []
	for code in scoring.CLASS_CODES:
		if filters.get("assessment_class") and code != filters.assessment_class:
			continue
		rows = sorted(
			(r for r in doc.units if r.assessment_class == code and r.class_ranked),
			key=lambda r: r.final_position,
		)
		if not rows:
			continue
		order = [r.whistle_unit for r in rows]
		key, full = [], []
		streaks = ev.consecutive_last_years(cint(doc.year), order) if code == "A" else {}
		outcomes = scoring.annual_consequences(code, order, streaks)
		for row in rows:
			base = {
				"assessment_class": code,
				"final_position": row.final_position,
				"whistle_unit": row.whistle_unit,
				"annual_score": ev.rounded(row.annual_score_rounded),
				"last_years": streaks.get(row.whistle_unit, 0) + 1 if code == "A" and row.is_last else 0,
				"snail_awards": awards.get(row.whistle_unit, 0),
				"annual_evaluation": doc.name,  # the evidence of an accountability case (RULES §13)
			}
			listed = outcomes[row.whistle_unit]
			if not listed:
				full.append({**base, "consequence": "", "role": "", "person": "", "bonus_deduction": ""})
			for c in listed:
				entry = {
					**base,
					"code": c.code,
					"consequence": _(OUTCOMES[(c.code, c.role)]),
					"role": _(ROLE_LABELS[c.role]) if c.role else "",
					**named(row, c.role),
					"bonus_deduction": f"{c.fraction.numerator}/{c.fraction.denominator}"
					if c.fraction
					else "",
				}
				(key if c.code in KEY_ORDER else full).append(entry)
		data.extend(
			sorted(key, key=lambda r: (KEY_ORDER[r["code"]], r["final_position"]))  # stable: roles in order
		)
		rest.extend(full)
	for entry in data:
		entry.update({"section": _(KEY_SECTION), "key": 1})
	for entry in rest:
		entry.update({"section": _(FULL_SECTION), "key": 0})
	return data + rest


def get_chart_data(data: list[dict]) -> None:
	return None


def print_annual_consequences(doc) -> list[dict]:
	"""Jinja method of the print format 年度考核结果运用: this report's rows of the annual evaluation
	``doc`` (key consequences first), for the report's audience only."""
	if ev.visible_unit() is not None:
		frappe.throw(
			_(
				"Only the Whistle Office, District Leaders and the Efficiency Office see the annual consequences."
			),
			frappe.PermissionError,
		)
	return get_data(frappe._dict(), doc)
