"""The District Head's coordination (区长调度会商, RULES §12) as pure rules (framework-free).

* **Candidates** (提请调度): ``candidate_reasons`` says which of §12's automatic reasons hold for an
  open slip, with the numbers as parameters (``Thresholds``, kept in Whistle Settings). Each
  proposal is made once per slip and reason (``candidate_key``, unique in the database).
* **Meeting** (调度会商会): 草稿 → 已召开 → 纪要已印发, every step the office's; publishing the
  minutes submits the meeting and publishes its decisions.
* **Decision** (议定事项): recorded as 草稿, published with the minutes (the app's step 印发: its due
  date is fixed then, ``decision_due``), reported done by a responsible unit (已报完成), accepted by
  the office (办结) or reopened with a reason (back to 办理中).
* **Follow-up clock**: a reminder on the due day, an overdue flag and one escalation once it has
  passed (``decision_events``, keys ``decision_event_key``: once per decision, unit, due date and
  kind, §4).

[decision]s where RULES §12 is silent:

* "Completion overdue by ≥ N working days" counts working days after the completion deadline's
  date up to today (as §4's "late by N"); "a green-channel slip overdue on any clock" is any pending
  clock of a green-channel slip past its deadline.
* "An exemption requested" is an exemption request filed (not a draft), whatever its outcome.
* A decision's deadline in working days counts from the publication day (as §4: the day itself
  never counts); a date deadline is due at the end of that date.
* A reopened decision keeps its due date: the clock already ran against it, so a reopened overdue
  decision stays overdue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from whistle_app import roles
from whistle_app.rules.workdays import WorkCalendar, add_working_days, count_working_days_between, end_of_day
from whistle_app.rules.workflow import SYSTEM_ACTOR, Machine, Transition

CANDIDATE = "Coordination Candidate"
MEETING = "Coordination Meeting"
DECISION = "Coordination Decision"

# --- candidates ---------------------------------------------------------------------------------------
COMPLETION_OVERDUE = "办结逾期"
EXTENSIONS = "多次延期"
REWORK = "多次重办"
EXEMPTION = "申请不列入考核"
GREEN_CHANNEL_OVERDUE = "绿色通道逾期"
AUTOMATIC_REASONS = (COMPLETION_OVERDUE, EXTENSIONS, REWORK, EXEMPTION, GREEN_CHANNEL_OVERDUE)
OFFICE_NOMINATION = "办公室提名"
UNIT_REQUEST = "单位申请"
REASONS = (*AUTOMATIC_REASONS, OFFICE_NOMINATION, UNIT_REQUEST)

SOURCE_AUTOMATIC = "自动"
SOURCE_OFFICE = "办公室提名"
SOURCE_UNIT = "单位申请"

PENDING = "待处理"
ON_AGENDA = "已列入议程"
DECLINED = "已驳回"
CANDIDATE_STATES = (PENDING, ON_AGENDA, DECLINED)

DEFAULT_OVERDUE_DAYS = 5
DEFAULT_EXTENSIONS = 2
DEFAULT_REWORKS = 2


@dataclass(frozen=True)
class Thresholds:
	overdue_days: int = DEFAULT_OVERDUE_DAYS  # completion overdue by at least this many working days
	extensions: int = DEFAULT_EXTENSIONS  # at least this many approved extensions
	reworks: int = DEFAULT_REWORKS  # sent back for rework (重办) at least this many times


@dataclass(frozen=True)
class SlipFacts:
	"""What the candidate rules read of an open slip."""

	completion_deadline: datetime | None = None
	completed: bool = False
	approved_extensions: int = 0
	reworks: int = 0
	exemption_requested: bool = False
	green_channel: bool = False
	pending_deadlines: tuple[datetime, ...] = ()  # every clock still waiting for its action


def completion_days_overdue(now: datetime, facts: SlipFacts, cal: WorkCalendar) -> int:
	"""Working days the completion is late by now (0 while not overdue or done)."""
	deadline = facts.completion_deadline
	if facts.completed or deadline is None or now <= deadline:
		return 0
	return count_working_days_between(cal, deadline, now)


def candidate_reasons(
	now: datetime, facts: SlipFacts, cal: WorkCalendar, thresholds: Thresholds = Thresholds()
) -> list[str]:
	"""The automatic reasons of §12 that hold for an open slip now, in the order of §12."""
	reasons = []
	late = completion_days_overdue(now, facts, cal)
	if late and late >= max(int(thresholds.overdue_days), 1):
		reasons.append(COMPLETION_OVERDUE)
	if facts.approved_extensions >= max(int(thresholds.extensions), 1):
		reasons.append(EXTENSIONS)
	if facts.reworks >= max(int(thresholds.reworks), 1):
		reasons.append(REWORK)
	if facts.exemption_requested:
		reasons.append(EXEMPTION)
	if facts.green_channel and any(now > d for d in facts.pending_deadlines if d):
		reasons.append(GREEN_CHANNEL_OVERDUE)
	return reasons


def candidate_key(slip: str, reason: str) -> str | None:
	"""The identity of an automatic proposal (one per slip and reason); hand-made ones have none."""
	if reason not in REASONS:
		raise ValueError(f"unknown reason {reason!r}")
	return f"{slip}|{reason}" if reason in AUTOMATIC_REASONS else None


# --- who acts -------------------------------------------------------------------------------------------
OFFICE = "office"  # the Whistle Office
UNIT = "unit"  # users of a responsible unit of the decision
ACTOR_ROLES: dict[str, tuple[str, ...]] = {
	OFFICE: (roles.WHISTLE_OFFICE,),
	UNIT: (roles.DEPARTMENT_LIAISON, roles.DEPARTMENT_LEADER, roles.PARK_AGENT, roles.PARK_LEADER),
}
ACTOR_LABELS = {OFFICE: "the Whistle Office", UNIT: "a responsible unit of the decision"}

# --- the meeting ------------------------------------------------------------------------------------------
DRAFT = "草稿"
HELD = "已召开"
PUBLISHED = "纪要已印发"
HOLD = "会议召开"
PUBLISH = "印发纪要"

MEETING_MACHINE = Machine(
	workflow=f"{MEETING} Workflow",
	doctype=MEETING,
	states=(DRAFT, HELD, PUBLISHED),
	transitions=(
		Transition(DRAFT, HOLD, HELD, OFFICE, effect="on_hold"),
		Transition(HELD, PUBLISH, PUBLISHED, OFFICE, effect="on_publish"),
	),
	actor_roles=ACTOR_ROLES,
	editors={DRAFT: frozenset({OFFICE}), HELD: frozenset({OFFICE})},
	styles={DRAFT: "", HELD: "Primary", PUBLISHED: "Success"},
	submitted=frozenset({PUBLISHED}),
)

# --- the decision -----------------------------------------------------------------------------------------
OPEN = "办理中"
REPORTED = "已报完成"
DONE = "已办结"
ISSUE = "印发"  # the app's step when the minutes are published
REPORT = "报告完成"
ACCEPT = "验收办结"
REOPEN = "退回重办"
OPEN_DECISION_STATES = (OPEN, REPORTED)

DECISION_MACHINE = Machine(
	workflow=f"{DECISION} Workflow",
	doctype=DECISION,
	states=(DRAFT, OPEN, REPORTED, DONE),
	transitions=(
		Transition(DRAFT, ISSUE, OPEN, SYSTEM_ACTOR),
		Transition(OPEN, REPORT, REPORTED, UNIT, effect="on_report"),
		Transition(REPORTED, ACCEPT, DONE, OFFICE, effect="on_accept"),
		Transition(REPORTED, REOPEN, OPEN, OFFICE, reason_required=True, effect="on_reopen"),
	),
	actor_roles=ACTOR_ROLES,
	# the office records the decision before publication; a responsible unit writes its result
	editors={DRAFT: frozenset({OFFICE}), OPEN: frozenset({UNIT})},
	styles={DRAFT: "", OPEN: "Primary", REPORTED: "Warning", DONE: "Success"},
	submitted=frozenset({DONE}),
)

# --- the decision's deadline and clock -----------------------------------------------------------------
BY_DATE = "指定日期"
BY_WORKING_DAYS = "印发后工作日"
DEADLINE_TYPES = (BY_DATE, BY_WORKING_DAYS)

CLOCK = "decision"
REMINDER = "reminder"
ESCALATION = "escalation"


def decision_due(
	deadline_type: str,
	published: datetime,
	cal: WorkCalendar,
	deadline_date: date | None = None,
	working_days: int | None = None,
) -> datetime:
	"""The due moment of a decision, fixed when the minutes are published: the end of its date, or
	the end of the N-th working day after the publication day (§4)."""
	if deadline_type == BY_DATE:
		if deadline_date is None:
			raise ValueError("a date deadline needs its date")
		return end_of_day(deadline_date)
	if deadline_type == BY_WORKING_DAYS:
		if not working_days or int(working_days) < 1:
			raise ValueError("a deadline in working days needs at least one day")
		return add_working_days(cal, published, int(working_days))
	raise ValueError(f"unknown deadline type {deadline_type!r}")


def decision_events(now: datetime, due: datetime | None, done: bool, cal: WorkCalendar) -> list[str]:
	"""The notices due now for an open decision: a reminder on its due day, an escalation once past."""
	if done or due is None:
		return []
	if now > due:
		return [ESCALATION]
	if count_working_days_between(cal, now, due) == 0:
		return [REMINDER]
	return []


def is_overdue(now: datetime, due: datetime | None, done: bool) -> bool:
	return not done and due is not None and now > due


def decision_event_key(decision: str, unit: str, due: datetime, kind: str) -> str:
	"""The identity of one reminder or escalation of a decision (unique in the database)."""
	if kind not in (REMINDER, ESCALATION):
		raise ValueError(f"unknown kind {kind!r}")
	return f"{decision}|{unit}|{CLOCK}|{due.replace(microsecond=0).isoformat(sep=' ')}|{kind}"
