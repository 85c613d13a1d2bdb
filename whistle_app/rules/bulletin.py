"""Monthly supervision bulletin (月度督查通报, RULES §6) as pure rules: periods, counts, namings.

Framework-free: this module must never import frappe. Callers load plain rows with a few grouped
queries (``whistle_app.bulletins``), call these functions and store the result on a Supervision
Bulletin. Times are naive Asia/Shanghai local times, as in ``whistle_app.rules.workdays``.

How the month's figures are counted ([decision]s where §6 is silent):

- **Slips received**: slips dispatched (派单) in the month, per department on the slip (sole, lead,
  co- and cross-level departments alike).
- **Clocks** (§4) are the response (报到, sole or lead department), the joint meeting (联商会办, lead
  department of a multi-department slip) and the completion (办结, sole or lead department). A clock
  belongs to the month in which its deadline falls (the completion deadline as moved by approved
  extensions), so each deadline is judged in exactly one bulletin:

  * **on time** — its action was recorded at or before the deadline (stored ``Met``);
  * **late** — recorded after the deadline (stored ``Late``), *or* still missing when the bulletin
    is counted (it can only end late). §6's "completion overdue" is this missing case;
  * a clock whose deadline has not passed when counting, or whose slip is excluded from assessment
    (exempted: 继续跟踪, or this department's approved assessment exclusion), is not counted at all.

  An approved extension moves the completion deadline (and so its month) before it is judged: a
  completion finished by the extended deadline is on time, which is §6's "without an approved
  extension".
- **Open now / overdue now** are counted when the bulletin is drafted (``drafted_on``): open slips
  (待报到 … 继续跟踪) on which the unit is any department; overdue are those of them for which the
  unit answers (sole or lead), not excluded, with a clock still pending past its deadline.
- **Average slip score**: mean of the unit's complete slip scores (Whistle Slip Score) of the slips
  closed (销号) in the month and not excluded from assessment; none when there are none.
- **Urged** (被催办次数, plan 二.2): the parks' urges made in the month on the unit's whistles, once
  per department per urge (``whistle_app.urging``); informational, never a naming rule.
- **Coordination decisions** (议定事项, RULES §12 [decision]): a published decision of the District
  Head's coordination meeting is a clock of each of its responsible units, judged in the month of its
  due date like the others: on time when reported done by then, late when reported after it or still
  not reported; a late one is a late action of the unit.
- **Naming** (通报): a unit is proposed when at least one of its clocks of the month is late — a late
  response, a late joint meeting, a completion overdue or a completion finished late, or a late
  coordination decision. Each
  proposal names its rule and the slips. The office adds or removes units, each with a reason; the
  final list is the proposals minus the removals plus the additions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Final

from whistle_app.rules.clocks import COMPLETION, MEETING, RESPONSE
from whistle_app.rules.coordination import CLOCK as DECISION
from whistle_app.rules.lifecycle import LATE, MET
from whistle_app.rules.workdays import WorkCalendar, is_working_day

# --- outcomes of a clock -----------------------------------------------------------------------------
ON_TIME: Final = "on_time"
LATE_OUTCOME: Final = "late"
MISSING: Final = "missing"  # still missing after the deadline: late, and for a completion "overdue"

# --- naming rules (stored values of Supervision Bulletin Proposal.rule; zh labels in zh.po) -------
LATE_RESPONSE: Final = "Late Response"
LATE_MEETING: Final = "Late Joint Meeting"
COMPLETION_OVERDUE: Final = "Completion Overdue"
COMPLETED_LATE: Final = "Completed Late"
LATE_DECISION: Final = "Late Coordination Decision"
RULES: Final = (LATE_RESPONSE, LATE_MEETING, COMPLETION_OVERDUE, COMPLETED_LATE, LATE_DECISION)

# --- the office's adjustments and the sources of a naming -------------------------------------------
ADD: Final = "Add"
REMOVE: Final = "Remove"
PROPOSED: Final = "Proposed"
ADDED: Final = "Added by the Office"

CLASSES: Final = ("A", "B", "C")

# --- statuses of a bulletin ------------------------------------------------------------------------
DRAFT: Final = "Draft"
PUBLISHED: Final = "Published"
SUPERSEDED: Final = "Superseded"


class BulletinRuleError(ValueError):
	"""Input a rule refuses; ``code`` and ``params`` let callers build a translated message."""

	def __init__(self, code: str, **params):
		super().__init__(code)
		self.code = code
		self.params = params


# --- periods ----------------------------------------------------------------------------------------


def check_period(year: int, month: int) -> tuple[int, int]:
	try:
		year, month = int(year), int(month)
	except (TypeError, ValueError):
		raise BulletinRuleError("bad_period", year=year, month=month) from None
	if not (2000 <= year <= 2099 and 1 <= month <= 12):
		raise BulletinRuleError("bad_period", year=year, month=month)
	return year, month


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
	"""[start, end) of a calendar month: its first instant and the first instant of the next."""
	year, month = check_period(year, month)
	start = datetime(year, month, 1)
	end = datetime(year + (month == 12), month % 12 + 1, 1)
	return start, end


def previous_month(day: date) -> tuple[int, int]:
	return (day.year - 1, 12) if day.month == 1 else (day.year, day.month - 1)


def month_ended(year: int, month: int, moment: datetime) -> bool:
	"""A bulletin is drafted only for a month that is over."""
	return moment >= month_bounds(year, month)[1]


def first_working_day(calendar: WorkCalendar, year: int, month: int) -> date:
	"""The first working day (§4 calendar) of a month."""
	day = date(*check_period(year, month), 1)
	while not is_working_day(calendar, day):
		day += timedelta(days=1)
	return day


def bulletin_key(year: int, month: int, corrects: str | None = None) -> str:
	"""The unique key of a bulletin: one per month, plus one correction per corrected bulletin."""
	year, month = check_period(year, month)
	return f"{year}-{month:02d}" + (f"|corrects:{corrects}" if corrects else "")


def bulletin_name(year: int, month: int, correction: int = 0) -> str:
	"""DCTB-2026-03 for a month's bulletin, DCTB-2026-03-1, -2 … for its corrections (督查通报)."""
	year, month = check_period(year, month)
	return f"DCTB-{year}-{month:02d}" + (f"-{int(correction)}" if correction else "")


# --- plain rows in ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClockRow:
	"""One clock of one slip that ``department`` (sole or lead) answers for."""

	slip: str
	department: str
	clock: str
	deadline: datetime
	status: str | None  # MET, LATE, or None while the action is missing
	excluded: bool = False  # exempted or excluded from assessment


@dataclass
class UnitFigures:
	"""One reporting unit's line in the bulletin."""

	department: str
	assessment_class: str | None = None
	slips_received: int = 0
	responses_on_time: int = 0
	responses_late: int = 0
	meetings_on_time: int = 0
	meetings_late: int = 0
	completions_on_time: int = 0
	completions_late: int = 0
	decisions_on_time: int = 0
	decisions_late: int = 0
	open_now: int = 0
	overdue_now: int = 0
	closures: int = 0
	average_score: Decimal | None = None
	triggers: dict[str, list[str]] = field(default_factory=dict)  # rule → slips

	@property
	def proposed(self) -> bool:
		return bool(self.triggers)


@dataclass(frozen=True)
class Proposal:
	department: str
	rule: str
	slips: tuple[str, ...]


@dataclass(frozen=True)
class Adjustment:
	department: str
	action: str  # ADD or REMOVE
	reason: str


@dataclass(frozen=True)
class Naming:
	department: str
	source: str  # PROPOSED or ADDED
	rules: tuple[str, ...]  # the rules that proposed it (empty when added by the office)
	reason: str | None = None  # the office's reason of an addition


# --- counting ---------------------------------------------------------------------------------------


def clock_outcome(deadline: datetime, status: str | None, as_of: datetime) -> str | None:
	"""ON_TIME, LATE_OUTCOME, MISSING (deadline passed, action missing) or None (not judged yet)."""
	if status == MET:
		return ON_TIME
	if status == LATE:
		return LATE_OUTCOME
	if status:
		raise BulletinRuleError("bad_status", status=status)
	return MISSING if as_of > deadline else None


def trigger_rule(clock: str, outcome: str) -> str | None:
	"""The naming rule a clock's outcome triggers (None when on time)."""
	if outcome == ON_TIME or outcome is None:
		return None
	if clock == RESPONSE:
		return LATE_RESPONSE
	if clock == MEETING:
		return LATE_MEETING
	if clock == COMPLETION:
		return COMPLETION_OVERDUE if outcome == MISSING else COMPLETED_LATE
	if clock == DECISION:
		return LATE_DECISION
	raise BulletinRuleError("bad_clock", clock=clock)


COUNT_FIELDS: Final = {
	RESPONSE: ("responses_on_time", "responses_late"),
	MEETING: ("meetings_on_time", "meetings_late"),
	COMPLETION: ("completions_on_time", "completions_late"),
	DECISION: ("decisions_on_time", "decisions_late"),
}


def count_clocks(
	rows: Iterable[ClockRow],
	start: datetime,
	end: datetime,
	as_of: datetime,
	figures: dict[str, UnitFigures] | None = None,
) -> dict[str, UnitFigures]:
	"""Add the clocks due in [start, end) to each department's figures (created when missing): on
	time / late counts and the naming triggers. Excluded slips and clocks not yet judged are
	skipped; a clock is counted once even if its row is given twice."""
	figures = {} if figures is None else figures
	seen: set[tuple[str, str, str]] = set()
	for row in rows:
		if row.clock not in COUNT_FIELDS:
			raise BulletinRuleError("bad_clock", clock=row.clock)
		if row.excluded or not (start <= row.deadline < end):
			continue
		key = (row.slip, row.department, row.clock)
		if key in seen:
			continue
		seen.add(key)
		outcome = clock_outcome(row.deadline, row.status, as_of)
		if outcome is None:
			continue
		unit = figures.setdefault(row.department, UnitFigures(row.department))
		on_time_field, late_field = COUNT_FIELDS[row.clock]
		if outcome == ON_TIME:
			setattr(unit, on_time_field, getattr(unit, on_time_field) + 1)
			continue
		setattr(unit, late_field, getattr(unit, late_field) + 1)
		slips = unit.triggers.setdefault(trigger_rule(row.clock, outcome), [])
		if row.slip not in slips:
			slips.append(row.slip)
	return figures


def average_score(total: Decimal | float | int | None, count: int) -> Decimal | None:
	"""The mean slip score, 2 decimals half-up; None without closures."""
	if not count:
		return None
	return (Decimal(str(total or 0)) / Decimal(count)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def proposals(figures: Iterable[UnitFigures]) -> list[Proposal]:
	"""One proposal per unit and triggered rule (rules in §6 order, slips sorted)."""
	out = []
	for unit in figures:
		for rule in RULES:
			if unit.triggers.get(rule):
				out.append(Proposal(unit.department, rule, tuple(sorted(unit.triggers[rule]))))
	return out


def order_units(figures: Iterable[UnitFigures], order: dict[str, tuple] | None = None) -> list[UnitFigures]:
	"""Units grouped by class A, B, C (then no class), in the configured order within a class."""
	order = order or {}

	def key(unit: UnitFigures):
		cls = unit.assessment_class
		return (
			CLASSES.index(cls) if cls in CLASSES else len(CLASSES),
			order.get(unit.department, ()),
			unit.department,
		)

	return sorted(figures, key=key)


# --- the office's adjustments and the final list ------------------------------------------------------


def validate_adjustments(adjustments: Iterable[Adjustment], proposed: set[str], eligible: set[str]) -> None:
	"""Each unit is adjusted at most once, with a reason; only proposed units are removed, only
	unproposed reporting units (``eligible``) are added."""
	seen: set[str] = set()
	for adj in adjustments:
		if adj.action not in (ADD, REMOVE):
			raise BulletinRuleError("bad_action", unit=adj.department, action=adj.action)
		if adj.department in seen:
			raise BulletinRuleError("adjusted_twice", unit=adj.department)
		seen.add(adj.department)
		if not (adj.reason or "").strip():
			raise BulletinRuleError("reason_missing", unit=adj.department)
		if adj.action == REMOVE and adj.department not in proposed:
			raise BulletinRuleError("remove_not_proposed", unit=adj.department)
		if adj.action == ADD:
			if adj.department in proposed:
				raise BulletinRuleError("add_already_proposed", unit=adj.department)
			if adj.department not in eligible:
				raise BulletinRuleError("add_not_reporting_unit", unit=adj.department)


def final_namings(
	proposals_: Iterable[Proposal], adjustments: Iterable[Adjustment], unit_order: list[str] | None = None
) -> list[Naming]:
	"""The named units: the proposed ones minus the removals plus the additions, in ``unit_order``
	(the bulletin's class order; units outside it last, by name)."""
	adjustments = list(adjustments)
	removed = {a.department for a in adjustments if a.action == REMOVE}
	rules: dict[str, list[str]] = {}
	for p in proposals_:
		if p.department not in removed:
			rules.setdefault(p.department, [])
			if p.rule not in rules[p.department]:
				rules[p.department].append(p.rule)
	named = [Naming(unit, PROPOSED, tuple(r for r in RULES if r in found)) for unit, found in rules.items()]
	named += [
		Naming(a.department, ADDED, (), a.reason.strip())
		for a in adjustments
		if a.action == ADD and a.department not in rules
	]
	position = {unit: i for i, unit in enumerate(unit_order or [])}
	return sorted(named, key=lambda n: (position.get(n.department, len(position)), n.department))
