"""The whistle slip's lifecycle and routing as data and pure checks (RULES §3, §3.1, §3.2, §4).

Framework-free: the Frappe workflow JSON, the controller and the tests all read these tables, so
the states, the transitions and who may take them are defined once.
"""

from datetime import datetime

from whistle_app.rules.workflow import SYSTEM_ACTOR, Machine, Transition

# --- states (stored as they are shown: Chinese) -------------------------------------------------
DRAFT = "草稿"
SUBMITTED = "待审核"
RETURNED = "退回补充"
DECLINED = "不予受理"
DISPATCHED = "待报到"
REPORTED = "待审核抄送"
HANDLING = "办理中"
COMPLETED = "待确认评价"
CONFIRMED = "待销号"
CLOSED = "已销号"
LONG_TERM = "继续跟踪"
TRACKING_ENDED = "终止跟踪"

STATES: tuple[str, ...] = (
	DRAFT,
	SUBMITTED,
	RETURNED,
	DECLINED,
	DISPATCHED,
	REPORTED,
	HANDLING,
	COMPLETED,
	CONFIRMED,
	CLOSED,
	LONG_TERM,
	TRACKING_ENDED,
)
OPEN_STATES = frozenset({DISPATCHED, REPORTED, HANDLING, COMPLETED, CONFIRMED, LONG_TERM})
# style of each state's indicator (Frappe Workflow State "style")
STATE_STYLES = {
	DRAFT: "",
	SUBMITTED: "Primary",
	RETURNED: "Warning",
	DECLINED: "Inverse",
	DISPATCHED: "Info",
	REPORTED: "Primary",
	HANDLING: "Info",
	COMPLETED: "Primary",
	CONFIRMED: "Success",
	CLOSED: "Success",
	LONG_TERM: "Warning",
	TRACKING_ENDED: "Inverse",
}

# --- who acts ---------------------------------------------------------------------------------
PARK_ACTOR = "park"  # users of the slip's whistling unit
OFFICE_ACTOR = "office"  # the Whistle Office
REPORTING_ACTOR = "reporting_department"  # users of the slip's sole or lead department
DEPARTMENT_ACTOR = "department"  # users of any department on the slip

ACTOR_ROLES: dict[str, tuple[str, ...]] = {
	PARK_ACTOR: ("Park Agent", "Park Leader"),
	OFFICE_ACTOR: ("Whistle Office",),
	REPORTING_ACTOR: ("Department Liaison", "Department Leader"),
	DEPARTMENT_ACTOR: ("Department Liaison", "Department Leader"),
}


# effect = the slip controller's method that carries the step out (whistle_slip.py)
TRANSITIONS: tuple[Transition, ...] = (
	Transition(DRAFT, "提交吹哨", SUBMITTED, PARK_ACTOR),
	Transition(RETURNED, "重新提交", SUBMITTED, PARK_ACTOR),
	Transition(SUBMITTED, "退回补充", RETURNED, OFFICE_ACTOR, reason_required=True),
	Transition(SUBMITTED, "不予受理", DECLINED, OFFICE_ACTOR, reason_required=True),
	Transition(SUBMITTED, "派单", DISPATCHED, OFFICE_ACTOR, effect="on_dispatch"),
	Transition(DISPATCHED, "报到", REPORTED, REPORTING_ACTOR, effect="on_report"),
	Transition(REPORTED, "退回报到", DISPATCHED, OFFICE_ACTOR, reason_required=True),
	Transition(REPORTED, "审核抄送", HANDLING, OFFICE_ACTOR, effect="on_handling"),
	Transition(HANDLING, "办结", COMPLETED, REPORTING_ACTOR, effect="on_completion"),
	Transition(COMPLETED, "确认解决", CONFIRMED, PARK_ACTOR, effect="on_confirmation"),
	Transition(COMPLETED, "重办", HANDLING, PARK_ACTOR, reason_required=True, effect="on_rehandle"),
	Transition(CONFIRMED, "销号", CLOSED, OFFICE_ACTOR, effect="on_closure"),
	# long-term tracking has two exits (issue #16): the problem is finally solved (办结, then the park
	# confirms and the office closes as usual, still outside the assessment), or the office ends the
	# tracking with a reason when nothing more can be done (e.g. the enterprise has left)
	Transition(LONG_TERM, "办结", COMPLETED, REPORTING_ACTOR, effect="on_completion"),
	Transition(LONG_TERM, "终止跟踪", TRACKING_ENDED, OFFICE_ACTOR, reason_required=True),
)

# Steps the app takes on a decided request (RULES §3.1 side paths), named by the slip's function that
# takes them (whistle_slip.py); each is a row of the slip's state history like a user's step.
EXTEND = "延期"
EXEMPT = "不列入考核"
EXCLUDE = "考核剔除"
SYSTEM_STEPS: tuple[Transition, ...] = (
	*(Transition(s, EXTEND, s, SYSTEM_ACTOR, effect="extend_completion") for s in (REPORTED, HANDLING)),
	Transition(HANDLING, EXEMPT, LONG_TERM, SYSTEM_ACTOR, effect="track_long_term"),
	*(Transition(s, EXCLUDE, s, SYSTEM_ACTOR, effect="exclude_from_assessment") for s in (CONFIRMED, CLOSED)),
)


def find_transition(state: str, next_state: str) -> Transition | None:
	return SLIP.between(state, next_state)


# --- routing (§3.2) -------------------------------------------------------------------------------
SINGLE = "Single"
MULTI = "Multi"
CROSS_LEVEL = "Cross-level"
SOLE = "Sole"
LEAD = "Lead"
CO = "Co"

MET = "Met"
LATE = "Late"

RESPONSE_DAYS = 1  # §4: report for duty within 1 working day of dispatch
MEETING_DAYS = 3  # §4: joint meeting within 3 working days of dispatch


class DeadlineDaysError(ValueError):
	"""A configured deadline outside the plan's bounds; ``code`` names the bound."""

	def __init__(self, code: str, **params):
		super().__init__(code)
		self.code = code
		self.params = params


def check_deadline_days(response: int | None, meeting: int | None) -> None:
	"""§4 [decision]: the office may shorten the response and joint-meeting deadlines, never beyond the
	plan's 1 and 3 working days and never below 1 (``None`` or 0: the plan's own number)."""
	for value, longest, code in ((response, RESPONSE_DAYS, "response"), (meeting, MEETING_DAYS, "meeting")):
		if value and not 1 <= value <= longest:
			raise DeadlineDaysError(code, value=value, longest=longest)


def deadline_days(
	category: str | None,
	green_channel: bool,
	green: tuple[int | None, int | None] | None = None,
	by_category: dict[str, tuple[int | None, int | None]] | None = None,
) -> tuple[int, int]:
	"""The (response, meeting) working days of a slip dispatched now (§4): the plan's 1 and 3, shortened
	by the green channel's setting for a green-channel slip and by its category's setting; where both
	apply the shorter wins. An unset (``None``/0) number keeps the plan's."""
	response, meeting = RESPONSE_DAYS, MEETING_DAYS
	overrides = []
	if green_channel and green:
		overrides.append(green)
	if category and by_category and category in by_category:
		overrides.append(by_category[category])
	for short_response, short_meeting in overrides:
		check_deadline_days(short_response, short_meeting)
		response = min(response, short_response or response)
		meeting = min(meeting, short_meeting or meeting)
	return response, meeting


class RoutingError(ValueError):
	"""A routing that §3.2 does not allow; ``code`` names the rule, ``params`` fill its message."""

	def __init__(self, code: str, **params):
		super().__init__(code)
		self.code = code
		self.params = params


def validate_routing(
	scope: str | None,
	departments: list[tuple[str, str]],
	reporting_units: set[str],
	higher_level_body: str | None = None,
) -> None:
	"""Check a dispatch against §3.2. ``departments`` is [(unit, role on slip)]."""
	if scope not in (SINGLE, MULTI, CROSS_LEVEL):
		raise RoutingError("scope_missing")
	if not departments:
		raise RoutingError("no_departments")
	seen: set[str] = set()
	for unit, role in departments:
		if unit in seen:
			raise RoutingError("department_twice", unit=unit)
		seen.add(unit)
		if unit not in reporting_units:
			raise RoutingError("not_reporting_unit", unit=unit)
		if role not in (SOLE, LEAD, CO):
			raise RoutingError("role_missing", unit=unit)
	roles = [role for _unit, role in departments]
	if scope == SINGLE:
		if len(departments) != 1 or roles != [SOLE]:
			raise RoutingError("single_needs_one_sole")
	elif scope == MULTI:
		if roles.count(LEAD) != 1 or roles.count(SOLE):
			raise RoutingError("multi_needs_one_lead")
		if roles.count(CO) < 1:
			raise RoutingError("multi_needs_co")
	else:
		if not (higher_level_body or "").strip():
			raise RoutingError("cross_level_needs_body")
		if len(departments) == 1:
			if roles != [SOLE]:
				raise RoutingError("single_needs_one_sole")
		elif roles.count(LEAD) != 1 or roles.count(SOLE):
			raise RoutingError("multi_needs_one_lead")


def reporting_department(departments: list[tuple[str, str]]) -> str | None:
	"""The department with the duty to report: the sole or the lead department."""
	for unit, role in departments:
		if role in (SOLE, LEAD):
			return unit
	return None


def co_departments(departments: list[tuple[str, str]]) -> list[str]:
	return [unit for unit, role in departments if role == CO]


def needs_joint_meeting(departments: list[tuple[str, str]]) -> bool:
	"""A slip with co-departments needs the lead's joint meeting (联商会办)."""
	return bool(co_departments(departments))


# the joint meeting (联商会办) is recorded by the lead in these states, with or after the report and
# before the completion (issue #16: the lead's response and meeting clocks are independent)
MEETING_RECORD_STATES = frozenset({DISPATCHED, REPORTED, HANDLING})


def mark(done_at: datetime, deadline: datetime) -> str:
	"""§4: met if recorded at or before the deadline, late otherwise."""
	return MET if done_at <= deadline else LATE


def missing_report_fields(work_plan: str | None, planned_completion, responsible: str | None) -> list[str]:
	"""The report (§3.1 stage 4) needs a work plan, a completion deadline and responsible persons."""
	missing = []
	if not (work_plan or "").strip():
		missing.append("work_plan")
	if not planned_completion:
		missing.append("planned_completion")
	if not (responsible or "").strip():
		missing.append("responsible_persons")
	return missing


# --- who may save the slip in each state (without changing state) -----------------------------------
EDITORS: dict[str, frozenset[str]] = {
	DRAFT: frozenset({PARK_ACTOR, OFFICE_ACTOR}),
	RETURNED: frozenset({PARK_ACTOR, OFFICE_ACTOR}),
	SUBMITTED: frozenset({OFFICE_ACTOR}),
	DECLINED: frozenset(),
	DISPATCHED: frozenset({REPORTING_ACTOR, DEPARTMENT_ACTOR, OFFICE_ACTOR}),
	REPORTED: frozenset({REPORTING_ACTOR, DEPARTMENT_ACTOR, OFFICE_ACTOR}),
	HANDLING: frozenset({REPORTING_ACTOR, DEPARTMENT_ACTOR, OFFICE_ACTOR}),
	COMPLETED: frozenset({OFFICE_ACTOR}),
	CONFIRMED: frozenset({OFFICE_ACTOR}),
	CLOSED: frozenset(),
	LONG_TERM: frozenset({REPORTING_ACTOR, DEPARTMENT_ACTOR, OFFICE_ACTOR}),
	TRACKING_ENDED: frozenset(),
}
# states in which departments add progress entries (§3.1 stage 6 and long-term tracking)
PROGRESS_STATES = frozenset({DISPATCHED, REPORTED, HANDLING, LONG_TERM})


SLIP = Machine(
	workflow="Whistle Slip Workflow",
	doctype="Whistle Slip",
	states=STATES,
	transitions=TRANSITIONS + SYSTEM_STEPS,
	actor_roles=ACTOR_ROLES,
	editors=EDITORS,
	styles=STATE_STYLES,
)
