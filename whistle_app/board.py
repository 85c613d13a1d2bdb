"""The live supervision board (可视化督导看板) and the workspace charts (issue #9).

* ``get_board`` — the one whitelisted method behind the desk page ``whistle-board``: every open
  slip the user may read (``frappe.get_list``, so the unit scope of ``whistle_app.permissions``
  applies) as a card in its state's column, with its warning level and the deadline that runs, in
  a fixed number of queries whatever the number of slips.
* ``publish_slip_change`` — ``doc_events`` hook of Whistle Slip: after the transaction commits,
  tell open boards (realtime room of the DocType, joined only by users who may read slips) that a
  slip changed; the board then asks ``get_board`` again, so nothing the user may not read is sent.
* ``get_chart`` — the Dashboard Chart Source of the workspace charts (open slips by state, overdue
  by department, whistles per category and per park over the last 12 months, this month's on-time
  response and completion rates per class, this month's average slip score per class), also through
  ``frappe.get_list`` and never cached across users.

The unit league table of the board's second tab is ``whistle_app.league.get_league``.

The columns, card deadlines and order are pure rules in ``whistle_app.rules.board``.
"""

from decimal import ROUND_HALF_UP, Decimal

import frappe
from frappe import _
from frappe.realtime import get_doctype_room
from frappe.utils import add_months, get_datetime, getdate

from whistle_app.calendar import get_work_calendar
from whistle_app.clocks import get_thresholds
from whistle_app.coordination import slips_under_coordination
from whistle_app.lifecycle import now
from whistle_app.organisation import REPORTING_UNIT
from whistle_app.rules import board as bd
from whistle_app.rules import bulletin as rb
from whistle_app.rules import clocks as ck
from whistle_app.rules import lifecycle as lc

SLIP = "Whistle Slip"
SLIP_DEPARTMENT = "Whistle Slip Department"
SLIP_SCORE = "Whistle Slip Score"
BOARD_EVENT = "whistle_board_update"
DEADLINE_FIELDS = {
	ck.RESPONSE: ("response_deadline", "response_status"),
	ck.MEETING: ("meeting_deadline", "meeting_status"),
	ck.COMPLETION: ("completion_deadline", "completion_status"),
}
CLOCK_LABELS = {
	ck.RESPONSE: "Response Deadline",
	ck.MEETING: "Joint Meeting Deadline",
	ck.COMPLETION: "Completion Deadline",
}
HOLDER_LABELS = {
	lc.PARK_ACTOR: "Park or town",
	lc.OFFICE_ACTOR: "Whistle Office",
	lc.REPORTING_ACTOR: "Sole or lead department",
	lc.DEPARTMENT_ACTOR: "Departments",
}
CARD_FIELDS = [
	"name",
	"title",
	"workflow_state",
	"whistle_unit",
	"category",
	"green_channel",
	"scope",
	"modified",
	*(field for pair in DEADLINE_FIELDS.values() for field in pair),
]


class BoardFilterError(frappe.ValidationError):
	pass


# --- the board -------------------------------------------------------------------------------------


@frappe.whitelist()
@frappe.read_only()  # pure reads: served by the replica where read_from_replica is set
def get_board(
	assessment_class: str | None = None,
	department: str | None = None,
	park: str | None = None,
	category: str | None = None,
	green_channel: bool = False,
	coordination: bool = False,
) -> dict:
	"""Open slips the user may read as board cards, grouped by column, with the filter options.

	Filters: the assessment class of a department on the slip (A/B/C), a department on the slip,
	the whistling park or town, the category, green-channel slips only, slips under the District
	Head's coordination only (RULES §12; every card says whether it is). Five queries without a
	filter, six with one, whatever the number of slips (once Frappe has cached the user's roles).
	"""
	frappe.has_permission(SLIP, "read", throw=True)
	categories = slip_categories()
	if assessment_class and assessment_class not in bd.ASSESSMENT_CLASSES:
		frappe.throw(_("Unknown assessment class {0}.").format(assessment_class), BoardFilterError)
	if category and category not in categories:
		frappe.throw(_("Unknown category {0}.").format(category), BoardFilterError)

	departments = reporting_units()  # query 1: the directory of reporting units (public)
	filters = [[SLIP, "workflow_state", "in", list(bd.COLUMNS)]]
	if department:
		filters.append([SLIP_DEPARTMENT, "department", "=", department])
	if assessment_class:
		in_class = [d.name for d in departments if d.assessment_class == assessment_class]
		filters.append([SLIP_DEPARTMENT, "department", "in", in_class or [""]])
	if park:
		filters.append([SLIP, "whistle_unit", "=", park])
	if category:
		filters.append([SLIP, "category", "=", category])
	if green_channel:
		filters.append([SLIP, "green_channel", "=", 1])

	slips = frappe.get_list(  # query 2: the cards, in the user's unit scope
		SLIP,
		filters=filters,
		fields=[f"`tabWhistle Slip`.`{field}`" for field in CARD_FIELDS],
		distinct=True,
		order_by="`tabWhistle Slip`.`modified` desc",
		limit_page_length=0,
	)
	rows = department_rows([s.name for s in slips])  # query 3: their departments
	# query 4: those under the District Head's coordination (RULES §12), marked and filtered here
	coordinated = slips_under_coordination([s.name for s in slips])
	if coordination:
		slips = [s for s in slips if s.name in coordinated]
	filtered = bool(department or assessment_class or park or category or green_channel or coordination)
	parks = board_parks() if filtered else sorted({s.whistle_unit for s in slips})  # +1 query with a filter

	moment, calendar = get_datetime(now()), get_work_calendar()
	warn_days, serious_days = get_thresholds()  # query 5: the warning thresholds
	cards = [
		make_card(slip, rows.get(slip.name, []), moment, calendar, warn_days, serious_days) for slip in slips
	]
	for card in cards:
		card["coordination"] = int(card["name"] in coordinated)
	cards.sort(key=lambda c: bd.card_sort_key(c["warning_level"], get_datetime(c["deadline"]), c["name"]))
	columns = [
		{
			"state": state,
			"holder": _(HOLDER_LABELS[bd.COLUMN_HOLDERS[state]]),
			"cards": [c for c in cards if c["workflow_state"] == state],
		}
		for state in bd.COLUMNS
	]
	return {
		"columns": columns,
		"total": len(cards),
		"levels": bd.level_counts(c["warning_level"] for c in cards),
		"level_colours": ck.LEVEL_COLOURS,
		"options": {
			"assessment_classes": list(bd.ASSESSMENT_CLASSES),
			"departments": [{"value": d.name, "class": d.assessment_class} for d in departments],
			"parks": parks,
			"categories": [{"value": c, "label": _(c)} for c in categories],
		},
		"generated_on": str(now()),
	}


def make_card(slip, departments: list[dict], moment, calendar, warn_days: int, serious_days: int) -> dict:
	"""One card. Its warning level is computed now from the clocks that run (as the deadline job
	computes the stored level every five minutes), so the board is right between two runs."""
	deadlines = {
		clock: get_datetime(slip.get(f[0])) if slip.get(f[0]) else None
		for clock, f in DEADLINE_FIELDS.items()
	}
	statuses = {clock: slip.get(f[1]) for clock, f in DEADLINE_FIELDS.items()}
	running = bd.card_deadline(slip.workflow_state, deadlines, statuses)
	level = bd.card_level(moment, slip.workflow_state, deadlines, statuses, calendar, warn_days, serious_days)
	return {
		"name": slip.name,
		"title": slip.title,
		"workflow_state": slip.workflow_state,
		"whistle_unit": slip.whistle_unit,
		"category": slip.category,
		"category_label": _(slip.category) if slip.category else "",
		"green_channel": int(slip.green_channel or 0),
		"warning_level": level,
		"level_colour": ck.LEVEL_COLOURS[level],
		"overdue": int(ck.is_overdue(level)),
		"deadline": str(running[1]) if running else None,
		"deadline_label": _(CLOCK_LABELS[running[0]]) if running else None,
		"departments": departments,
		"modified": str(slip.modified),
	}


def reporting_units() -> list:
	"""Enabled reporting units in directory order (the same list every user may read)."""
	return frappe.get_all(
		"Whistle Unit",
		filters={"unit_type": REPORTING_UNIT, "enabled": 1},
		fields=["name", "assessment_class"],
		order_by="assessment_class asc, display_order asc, name asc",
	)


def department_rows(slips: list[str]) -> dict[str, list[dict]]:
	"""The departments of these slips (already read through the user's scope), lead first."""
	if not slips:
		return {}
	rows = frappe.get_all(
		SLIP_DEPARTMENT,
		filters={"parenttype": SLIP, "parentfield": "departments", "parent": ("in", slips)},
		fields=["parent", "department", "department_role"],
		order_by="idx asc",
	)
	order = {lc.LEAD: 0, lc.SOLE: 0, lc.CO: 1}
	by_slip: dict[str, list[dict]] = {}
	for row in sorted(rows, key=lambda r: order.get(r.department_role, 2)):
		by_slip.setdefault(row.parent, []).append(
			{
				"department": row.department,
				"role": row.department_role,
				"role_label": _(row.department_role) if row.department_role else "",
			}
		)
	return by_slip


def board_parks() -> list[str]:
	"""The whistling units of every open slip the user may read (for the park filter)."""
	rows = frappe.get_list(
		SLIP,
		filters={"workflow_state": ("in", list(bd.COLUMNS))},
		fields=["whistle_unit"],
		distinct=True,
		order_by="whistle_unit asc",
		limit_page_length=0,
	)
	return [r.whistle_unit for r in rows if r.whistle_unit]


def slip_categories() -> list[str]:
	return [c for c in (frappe.get_meta(SLIP).get_field("category").options or "").split("\n") if c]


# --- realtime --------------------------------------------------------------------------------------


def publish_slip_change(doc, method=None) -> None:
	"""``doc_events`` (on_update, on_trash) of Whistle Slip: open boards refresh after the commit.

	Sent to the DocType's realtime room, which only users who may read slips join; the message
	names the slip only, and each board then reads its own scope through ``get_board``.
	"""
	frappe.publish_realtime(BOARD_EVENT, {"slip": doc.name}, room=get_doctype_room(SLIP), after_commit=True)


# --- workspace charts (Dashboard Chart Source "Whistle Slip Statistics") -----------------------------

OPEN_BY_STATE = "open_by_state"
OVERDUE_BY_DEPARTMENT = "overdue_by_department"
MONTHLY_BY_CATEGORY = "monthly_by_category"
MONTHLY_BY_PARK = "monthly_by_park"
ON_TIME_BY_CLASS = "on_time_by_class"
SCORE_BY_CLASS = "score_by_class"
DIMENSIONS = (
	OPEN_BY_STATE,
	OVERDUE_BY_DEPARTMENT,
	MONTHLY_BY_CATEGORY,
	MONTHLY_BY_PARK,
	ON_TIME_BY_CLASS,
	SCORE_BY_CLASS,
)
RATE_CLOCKS = (ck.RESPONSE, ck.COMPLETION)
RATE_LABELS = {ck.RESPONSE: "On-time Response Rate (%)", ck.COMPLETION: "On-time Completion Rate (%)"}
MONTHS = 12


def get_chart(filters: dict | str | None = None) -> dict:
	"""Chart data of one dimension (``filters["dimension"]``) for the current user's scope."""
	filters = frappe.parse_json(filters) or {}
	dimension = filters.get("dimension") or OPEN_BY_STATE
	if dimension not in DIMENSIONS:
		frappe.throw(_("Unknown chart {0}.").format(dimension), BoardFilterError)
	if dimension == OPEN_BY_STATE:
		return open_by_state()
	if dimension == OVERDUE_BY_DEPARTMENT:
		return overdue_by_department()
	if dimension == ON_TIME_BY_CLASS:
		return on_time_by_class()
	if dimension == SCORE_BY_CLASS:
		return score_by_class()
	return monthly(MONTHLY_BY_CATEGORY if dimension == MONTHLY_BY_CATEGORY else MONTHLY_BY_PARK)


def open_by_state() -> dict:
	"""Open slips per column of the board."""
	rows = frappe.get_list(
		SLIP,
		filters={"workflow_state": ("in", list(bd.COLUMNS))},
		fields=["workflow_state", "count(name) as count"],
		group_by="workflow_state",
	)
	counts = {r.workflow_state: r.count for r in rows}
	return {
		"labels": [_(state) for state in bd.COLUMNS],
		"datasets": [{"name": _("Open Whistles"), "values": [counts.get(s, 0) for s in bd.COLUMNS]}],
	}


def overdue_by_department() -> dict:
	"""Open slips with an overdue department, per department (most first, then by name)."""
	rows = frappe.get_list(
		SLIP,
		filters=[
			[SLIP, "workflow_state", "in", list(bd.COLUMNS)],
			[SLIP_DEPARTMENT, "overdue", "=", 1],
		],
		fields=[
			"`tabWhistle Slip Department`.`department` as department",
			"count(distinct `tabWhistle Slip`.`name`) as count",
		],
		group_by="`tabWhistle Slip Department`.`department`",
		order_by="count desc, department asc",  # ties in a fixed order
	)
	rows = [r for r in rows if r.department]
	return {
		"labels": [r.department for r in rows],
		"datasets": [{"name": _("Overdue Whistles"), "values": [r.count for r in rows]}],
	}


def month_labels(today) -> list[tuple[int, int]]:
	"""The last ``MONTHS`` calendar months up to and including this one, oldest first."""
	first = getdate(today).replace(day=1)
	months = [getdate(add_months(first, -i)) for i in range(MONTHS - 1, -1, -1)]
	return [(m.year, m.month) for m in months]


def monthly(dimension: str) -> dict:
	"""Whistles filed (not drafts) per month of the last 12, stacked per category or per park."""
	months = month_labels(now())
	start = get_datetime(f"{months[0][0]}-{months[0][1]:02d}-01 00:00:00")
	field = "category" if dimension == MONTHLY_BY_CATEGORY else "whistle_unit"
	rows = frappe.get_list(
		SLIP,
		filters=[[SLIP, "workflow_state", "!=", lc.DRAFT], [SLIP, "creation", ">=", start]],
		fields=[field, "creation"],
		order_by="creation asc",
		limit_page_length=0,
	)
	index = {m: i for i, m in enumerate(months)}
	series: dict[str, list[int]] = {}
	if dimension == MONTHLY_BY_CATEGORY:
		for category in slip_categories():
			series[category] = [0] * len(months)
	for row in rows:
		created = get_datetime(row.creation)
		i = index.get((created.year, created.month))
		key = row.get(field) or ""
		if i is None or not key:
			continue
		series.setdefault(key, [0] * len(months))[i] += 1
	if dimension == MONTHLY_BY_CATEGORY:
		datasets = [{"name": _(key), "values": values} for key, values in series.items()]
	else:
		datasets = [{"name": key, "values": values} for key, values in sorted(series.items())]
	return {"labels": [f"{y}-{m:02d}" for y, m in months], "datasets": datasets}


def class_labels() -> list[str]:
	return [_("Class {0}").format(code) for code in bd.ASSESSMENT_CLASSES]


def this_month() -> tuple:
	"""[start, end) of the current calendar month and the moment now."""
	moment = get_datetime(now())
	return (*rb.month_bounds(moment.year, moment.month), moment)


def month_clock_rows(clock: str, start, end) -> list[rb.ClockRow]:
	"""The clocks ``clock`` of a sole or lead department whose deadline falls in [start, end), of the
	slips the user may read (one query)."""
	deadline_field, status_field = DEADLINE_FIELDS[clock]
	rows = frappe.get_list(
		SLIP,
		filters=[
			[SLIP, deadline_field, ">=", start],
			[SLIP, deadline_field, "<", end],
			[SLIP_DEPARTMENT, "department_role", "in", [lc.SOLE, lc.LEAD]],
		],
		fields=[
			"`tabWhistle Slip`.`name` as slip",
			"`tabWhistle Slip Department`.`department` as department",
			f"`tabWhistle Slip`.`{deadline_field}` as deadline",
			f"`tabWhistle Slip`.`{status_field}` as status",
			"`tabWhistle Slip`.`excluded_from_assessment` as excluded_from_assessment",
			"`tabWhistle Slip`.`workflow_state` as workflow_state",
		],
		limit_page_length=0,
	)
	return [
		rb.ClockRow(
			r.slip,
			r.department,
			clock,
			get_datetime(r.deadline),
			r.status or None,
			bool(r.excluded_from_assessment) or r.workflow_state == lc.LONG_TERM,
		)
		for r in rows
		if r.department
	]


def on_time_by_class() -> dict:
	"""This month's on-time response and completion rates per class of the sole or lead department, in
	percent (1 decimal), counted as the monthly bulletin counts its clocks (``rules.bulletin``): a
	deadline belongs to the month it falls in; it is on time when the action was recorded by it (Met),
	late when recorded after it (Late) or still missing once it has passed; deadlines still ahead and
	slips excluded from assessment are not counted. A class with nothing counted shows 0. Two queries
	plus the directory of units, in the user's unit scope."""
	start, end, moment = this_month()
	classes = {u.name: u.assessment_class for u in reporting_units()}
	counts = {(clock, code): [0, 0] for clock in RATE_CLOCKS for code in bd.ASSESSMENT_CLASSES}
	for clock in RATE_CLOCKS:
		figures = rb.count_clocks(month_clock_rows(clock, start, end), start, end, moment)
		on_time_field, late_field = rb.COUNT_FIELDS[clock]
		for unit, f in figures.items():
			code = classes.get(unit)
			if code in bd.ASSESSMENT_CLASSES:
				counts[(clock, code)][0] += getattr(f, on_time_field)
				counts[(clock, code)][1] += getattr(f, late_field)
	return {
		"labels": class_labels(),
		"datasets": [
			{
				"name": _(RATE_LABELS[clock]),
				"values": [rate(*counts[(clock, code)]) for code in bd.ASSESSMENT_CLASSES],
			}
			for clock in RATE_CLOCKS
		],
		"counts": {
			clock: {code: {"on_time": c[0], "late": c[1]} for (k, code), c in counts.items() if k == clock}
			for clock in RATE_CLOCKS
		},
	}


def rate(on_time: int, late: int) -> float:
	"""On-time share in percent, 1 decimal half-up; 0 when nothing was counted."""
	judged = on_time + late
	if not judged:
		return 0.0
	return float((Decimal(on_time * 100) / Decimal(judged)).quantize(Decimal("0.1"), ROUND_HALF_UP))


def score_by_class() -> dict:
	"""This month's average slip score per class (2 decimals; 0 without scores): the complete slip
	scores (Whistle Slip Score, not excluded from assessment) of the slips closed this month, by the
	department's class, that the user may read (one grouped query)."""
	start, end, _moment = this_month()
	rows = frappe.get_list(
		SLIP_SCORE,
		filters=[
			[SLIP_SCORE, "closed_on", ">=", start],
			[SLIP_SCORE, "closed_on", "<", end],
			[SLIP_SCORE, "rating_complete", "=", 1],
			[SLIP_SCORE, "excluded_from_assessment", "=", 0],
		],
		fields=["assessment_class", "count(name) as count", "sum(slip_score) as total"],
		group_by="assessment_class",
	)
	by_class = {r.assessment_class: r for r in rows}
	values = []
	for code in bd.ASSESSMENT_CLASSES:
		row = by_class.get(code)
		average = rb.average_score(row.total, int(row.count)) if row else None
		values.append(float(average) if average is not None else 0.0)
	return {
		"labels": class_labels(),
		"datasets": [{"name": _("Average Slip Score"), "values": values}],
		"counts": {
			code: int(by_class[code].count) if code in by_class else 0 for code in bd.ASSESSMENT_CLASSES
		},
	}
