"""A month's facts for the bulletin (RULES §6): a few grouped queries, counted by ``rules.bulletin``."""

from dataclasses import dataclass
from datetime import datetime

import frappe
from frappe.query_builder import Criterion, DocType
from frappe.query_builder.functions import Count, Sum
from frappe.utils import cint, get_datetime

from whistle_app.bulletins.common import SLIP, SLIP_DEPARTMENT, SLIP_SCORE, check_period
from whistle_app.clocks import now, pending_conditions
from whistle_app.organisation import REPORTING_UNIT
from whistle_app.rules import bulletin as rb
from whistle_app.rules import coordination as co
from whistle_app.rules import lifecycle as lc
from whistle_app.urging import urge_counts


@dataclass
class UnitCounts(rb.UnitFigures):
	"""A unit's line in the bulletin with the month's urges by the parks (被催办次数, plan 二.2). Urges
	trigger no naming, so the pure rules (``rules.bulletin``) know nothing of them."""

	urged: int = 0


# --- the month's facts: a few grouped queries -------------------------------------------------------------


def slip_departments(slip, dept):
	return (dept.parent == slip.name) & (dept.parenttype == SLIP) & (dept.parentfield == "departments")


def reporting_units() -> list[dict]:
	"""The enabled reporting units with their class and configured order."""
	return frappe.get_all(
		"Whistle Unit",
		filters={"unit_type": REPORTING_UNIT, "enabled": 1},
		fields=["name", "assessment_class", "display_order"],
		order_by="display_order asc, name asc",
	)


def received_counts(start: datetime, end: datetime) -> tuple[dict[str, int], int]:
	"""Slips dispatched in [start, end): per department on the slip (any role), and in all."""
	slip, dept = DocType(SLIP), DocType(SLIP_DEPARTMENT)
	query = (
		frappe.qb.from_(slip)
		.join(dept)
		.on(slip_departments(slip, dept))
		.select(dept.department, Count(slip.name).distinct())
		.where(slip.dispatched_on >= start)
		.where(slip.dispatched_on < end)
		.groupby(dept.department)
	)
	total = (
		frappe.qb.from_(slip)
		.select(Count(slip.name))
		.where(slip.dispatched_on >= start)
		.where(slip.dispatched_on < end)
	)
	return {unit: int(n) for unit, n in query.run()}, int(total.run()[0][0])


def clock_rows(start: datetime, end: datetime) -> list[rb.ClockRow]:
	"""Every clock of a sole or lead department whose deadline falls in [start, end): one query."""
	slip, dept = DocType(SLIP), DocType(SLIP_DEPARTMENT)
	fields = {
		rb.RESPONSE: (slip.response_deadline, slip.response_status),
		rb.MEETING: (slip.meeting_deadline, slip.meeting_status),
		rb.COMPLETION: (slip.completion_deadline, slip.completion_status),
	}
	due = Criterion.any([(deadline >= start) & (deadline < end) for deadline, _status in fields.values()])
	query = (
		frappe.qb.from_(slip)
		.join(dept)
		.on(slip_departments(slip, dept))
		.select(
			slip.name.as_("slip"),
			dept.department,
			slip.excluded_from_assessment,
			dept.excluded_from_assessment.as_("department_excluded"),
			slip.workflow_state,
			*(
				f.as_(f"{clock}_{kind}")
				for clock, pair in fields.items()
				for f, kind in zip(pair, ("deadline", "status"), strict=True)
			),
		)
		.where(dept.department_role.isin([lc.SOLE, lc.LEAD]))
		.where(due)
		.orderby(slip.name)
	)
	rows = []
	for row in query.run(as_dict=True):
		excluded = (  # exempted (继续跟踪), or this department's score excluded (考核剔除, issue #16)
			bool(row.excluded_from_assessment or row.department_excluded)
			or row.workflow_state == lc.LONG_TERM
		)
		for clock in fields:
			deadline = row[f"{clock}_deadline"]
			if deadline:
				rows.append(
					rb.ClockRow(
						row.slip,
						row.department,
						clock,
						get_datetime(deadline),
						row[f"{clock}_status"] or None,
						excluded,
					)
				)
	return rows


def decision_rows(start: datetime, end: datetime) -> list[rb.ClockRow]:
	"""Every published coordination decision due in [start, end), once per responsible unit (RULES
	§12 [decision]): met when reported done by its due date, late when reported after it, missing
	while still open. One query; the row's ``slip`` is the decision."""
	dec, unit = DocType(co.DECISION), DocType("Coordination Decision Unit")
	query = (
		frappe.qb.from_(dec)
		.join(unit)
		.on((unit.parent == dec.name) & (unit.parenttype == co.DECISION))
		.select(dec.name, unit.unit, dec.due_on, dec.reported_on, dec.workflow_state)
		.where(dec.due_on >= start)
		.where(dec.due_on < end)
		.where(dec.workflow_state.isin(co.DECISION_MACHINE.states[1:]))
		.orderby(dec.name)
	)
	rows = []
	for row in query.run(as_dict=True):
		due = get_datetime(row.due_on)
		status = None
		if row.workflow_state in (co.REPORTED, co.DONE) and row.reported_on:
			status = lc.MET if get_datetime(row.reported_on) <= due else lc.LATE
		rows.append(rb.ClockRow(row.name, row.unit, co.CLOCK, due, status))
	return rows


def open_and_overdue_counts(as_of: datetime) -> tuple[dict[str, int], dict[str, int], int, int]:
	"""As of ``as_of``: open slips per department on them (any role), and those a sole or lead
	department answers for with a pending clock past its deadline (not excluded); then the two
	totals, each slip once."""
	slip, dept = DocType(SLIP), DocType(SLIP_DEPARTMENT)
	is_open = slip.workflow_state.isin(sorted(lc.OPEN_STATES))
	pending = pending_conditions(slip)
	deadlines = {
		rb.RESPONSE: slip.response_deadline,
		rb.MEETING: slip.meeting_deadline,
		rb.COMPLETION: slip.completion_deadline,
	}
	passed = Criterion.any([pending[clock] & (field < as_of) for clock, field in deadlines.items()])
	passed &= slip.excluded_from_assessment == 0

	def per_unit(condition, roles_on_slip=None):
		query = (
			frappe.qb.from_(slip)
			.join(dept)
			.on(slip_departments(slip, dept))
			.select(dept.department, Count(slip.name).distinct())
			.where(condition)
			.groupby(dept.department)
		)
		if roles_on_slip:
			query = query.where(dept.department_role.isin(roles_on_slip))
		return {unit: int(n) for unit, n in query.run()}

	def total(condition):
		return int(frappe.qb.from_(slip).select(Count(slip.name)).where(condition).run()[0][0])

	return (
		per_unit(is_open),
		per_unit(is_open & passed, [lc.SOLE, lc.LEAD]),
		total(is_open),
		total(is_open & passed),
	)


def score_totals(start: datetime, end: datetime) -> dict[str, tuple[int, float]]:
	"""(count, sum) of the complete, assessed slip scores of the slips closed in [start, end)."""
	score = DocType(SLIP_SCORE)
	query = (
		frappe.qb.from_(score)
		.select(score.department, Count(score.name), Sum(score.slip_score))
		.where(score.closed_on >= start)
		.where(score.closed_on < end)
		.where(score.rating_complete == 1)
		.where(score.excluded_from_assessment == 0)
		.groupby(score.department)
	)
	return {unit: (int(n), total) for unit, n, total in query.run()}


def count_month(year: int, month: int, as_of: datetime | None = None) -> tuple[list[UnitCounts], dict]:
	"""Every reporting unit's figures and naming triggers for a month, in bulletin order (class A, B,
	C, then the configured order; units outside the list that had activity are added), and the
	month's totals counted once per slip (dispatched, open now, overdue now). Eight queries."""
	year, month = check_period(year, month)
	as_of = get_datetime(as_of or now())
	start, end = rb.month_bounds(year, month)
	units = reporting_units()
	figures = {u.name: UnitCounts(u.name, u.assessment_class or None) for u in units}
	order = {u.name: (cint(u.display_order), u.name) for u in units}
	clocks = clock_rows(start, end) + decision_rows(start, end)
	received, dispatched = received_counts(start, end)
	opened, overdue, open_total, overdue_total = open_and_overdue_counts(as_of)
	scores = score_totals(start, end)
	urged = urge_counts(start, end)
	active = {row.department for row in clocks} | set(received) | set(opened) | set(overdue)
	for unit in active | set(scores) | set(urged):
		figures.setdefault(unit, UnitCounts(unit))
	rb.count_clocks(clocks, start, end, as_of, figures)
	extra = [u for u, f in figures.items() if u not in order]
	if extra:
		classes = dict(
			frappe.get_all(
				"Whistle Unit",
				filters={"name": ("in", extra)},
				fields=["name", "assessment_class"],
				as_list=True,
			)
		)
		for unit in extra:
			figures[unit].assessment_class = classes.get(unit) or None
	for unit, f in figures.items():
		f.slips_received = received.get(unit, 0)
		f.open_now = opened.get(unit, 0)
		f.overdue_now = overdue.get(unit, 0)
		count, total = scores.get(unit, (0, 0))
		f.closures = count
		f.average_score = rb.average_score(total, count)
		f.urged = urged.get(unit, 0)
	summary = {"slips_dispatched": dispatched, "open_total": open_total, "overdue_total": overdue_total}
	return rb.order_units(figures.values(), order), summary
