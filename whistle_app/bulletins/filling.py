"""Filling a bulletin (RULES §6): its figures, proposals, the office's adjustments and the text."""

from datetime import datetime
from decimal import Decimal

import frappe
from frappe import _
from frappe.translate import print_language
from frappe.utils import cint, get_datetime

from whistle_app.analysis import focus_topic_paragraph
from whistle_app.bulletins.common import ADJUSTMENT_MESSAGES, LANGUAGE, BulletinAdjustmentError, period_label
from whistle_app.bulletins.figures import count_month
from whistle_app.clocks import now
from whistle_app.organisation import REPORTING_UNIT
from whistle_app.rules import bulletin as rb

# --- filling a bulletin -----------------------------------------------------------------------------------


def fill_figures(doc, as_of: datetime | None = None) -> None:
	"""Count the bulletin's month into its unit rows and proposals (as of ``as_of``, default now)."""
	as_of = get_datetime(as_of or now())
	figures, summary = count_month(doc.year, doc.month, as_of)
	doc.drafted_on = as_of
	doc.update(summary)
	doc.set(
		"units",
		[
			{
				"department": f.department,
				"assessment_class": f.assessment_class,
				"slips_received": f.slips_received,
				"responses_on_time": f.responses_on_time,
				"responses_late": f.responses_late,
				"meetings_on_time": f.meetings_on_time,
				"meetings_late": f.meetings_late,
				"completions_on_time": f.completions_on_time,
				"completions_late": f.completions_late,
				"decisions_late": f.decisions_late,
				"open_now": f.open_now,
				"overdue_now": f.overdue_now,
				"urged": f.urged,
				"closures": f.closures,
				"average_score": float(f.average_score) if f.average_score is not None else 0,
				"proposed": int(f.proposed),
			}
			for f in figures
		],
	)
	classes = {f.department: f.assessment_class for f in figures}
	doc.set(
		"proposals",
		[
			{
				"department": p.department,
				"assessment_class": classes.get(p.department),
				"rule": p.rule,
				"slip_count": len(p.slips),
				"slips": "、".join(p.slips),
			}
			for p in rb.proposals(figures)
		],
	)


def doc_proposals(doc) -> list[rb.Proposal]:
	return [
		rb.Proposal(row.department, row.rule, tuple(s for s in (row.slips or "").split("、") if s))
		for row in doc.proposals
	]


def doc_adjustments(doc) -> list[rb.Adjustment]:
	return [rb.Adjustment(row.department, row.action, (row.reason or "").strip()) for row in doc.adjustments]


def validate_adjustments(doc) -> None:
	eligible = set(frappe.get_all("Whistle Unit", filters={"unit_type": REPORTING_UNIT}, pluck="name"))
	try:
		rb.validate_adjustments(doc_adjustments(doc), {p.department for p in doc_proposals(doc)}, eligible)
	except rb.BulletinRuleError as e:
		frappe.throw(_(ADJUSTMENT_MESSAGES[e.code]).format(**e.params), BulletinAdjustmentError)


def set_named_units(doc) -> None:
	"""The final list from the proposals and the office's adjustments, with the reasons (Chinese)."""
	namings = rb.final_namings(
		doc_proposals(doc), doc_adjustments(doc), [row.department for row in doc.units]
	)
	slips = {(p.department, p.rule): p.slips for p in doc_proposals(doc)}
	classes = {row.department: row.assessment_class for row in doc.units}
	with print_language(LANGUAGE):
		rows = []
		for n in namings:
			if n.source == rb.PROPOSED:
				reasons = "；".join(
					f"{_(rule)}（{'、'.join(slips.get((n.department, rule), ()))}）" for rule in n.rules
				)
			else:
				reasons = n.reason
			rows.append(
				{
					"department": n.department,
					"assessment_class": classes.get(n.department)
					or frappe.db.get_value("Whistle Unit", n.department, "assessment_class"),
					"source": n.source,
					"reasons": reasons,
				}
			)
	doc.set("named_units", rows)
	named = {n.department for n in namings}
	proposed = {p.department for p in doc_proposals(doc)}
	for row in doc.units:
		row.proposed = int(row.department in proposed)
		row.named = int(row.department in named)


def totals(doc) -> dict:
	keys = (
		"slips_received",
		"responses_on_time",
		"responses_late",
		"meetings_on_time",
		"meetings_late",
		"completions_on_time",
		"completions_late",
		"open_now",
		"overdue_now",
		"urged",
		"closures",
	)
	out = {key: sum(cint(row.get(key)) for row in doc.units) for key in keys}
	# the units' averages are stored to 2 decimals: the month's mean is taken from them (weighted)
	scored = [(cint(r.closures), Decimal(str(r.average_score or 0))) for r in doc.units if cint(r.closures)]
	count = sum(n for n, _avg in scored)
	out["average_score"] = rb.average_score(sum(n * avg for n, avg in scored), count)
	return out


def generate_text(doc) -> str:
	"""The bulletin's text in Chinese: the month's summary, then the named units (or that none is)."""
	t = totals(doc)
	with print_language(LANGUAGE):
		period = period_label(doc.year, doc.month)
		paragraphs = [
			_(
				"In {0}, the Whistle Office supervised how the reporting units handled the whistles "
				"dispatched to them. {1} whistles were dispatched this month."
			).format(period, cint(doc.slips_dispatched)),
			_(
				"Of the deadlines that fell due this month: responses {0} on time and {1} late; joint "
				"meetings {2} on time and {3} late; completions {4} on time and {5} late or overdue."
			).format(
				t["responses_on_time"],
				t["responses_late"],
				t["meetings_on_time"],
				t["meetings_late"],
				t["completions_on_time"],
				t["completions_late"],
			),
		]
		if t["average_score"] is not None:
			paragraphs.append(
				_("{0} slip scores of whistles closed this month average {1} points.").format(
					t["closures"], t["average_score"]
				)
			)
		if doc.drafted_on:
			drafted = get_datetime(doc.drafted_on)
			paragraphs.append(
				_("As of {0}, {1} whistles are still open, {2} of them overdue.").format(
					_("Year {0}, month {1}, day {2}").format(drafted.year, drafted.month, drafted.day),
					cint(doc.open_total),
					cint(doc.overdue_total),
				)
			)
		focus = focus_topic_paragraph(doc.year, doc.month)  # 每月一题 (RULES §14)
		if focus:
			paragraphs.append(focus)
		if doc.named_units:
			paragraphs.append(
				_("Under the monthly supervision rules, the following units are named: {0}.").format(
					"；".join(f"{row.department}（{row.reasons}）" for row in doc.named_units)
				)
			)
			paragraphs.append(
				_(
					"The named units shall analyse the causes, correct them without delay and report "
					"the correction to the Whistle Office within 5 working days."
				)
			)
		else:
			paragraphs.append(_("No unit is named this month."))
	return "\n\n".join(paragraphs)


def set_text(doc) -> None:
	"""Regenerate the text unless the office edited it since it was last generated."""
	generated = generate_text(doc)
	current = (doc.bulletin_text or "").strip()
	if not current or current == (doc.generated_text or "").strip():
		doc.bulletin_text = generated
	doc.generated_text = generated
