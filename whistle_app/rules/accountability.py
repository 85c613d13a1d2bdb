"""Accountability and fault tolerance (RULES §13) as workflow tables (framework-free).

* **Accountability Case** (问责线索): opened by the Efficiency Office from evidence; 登记 → 核实 →
  处理 (an internal outcome) or 移送 (referred to the discipline commission: date, reference number,
  later its result) → 办结. Every user step needs a reason (RULES: "every step: who, when, why").
  A granted fault-tolerance application closes the case by the app's own step 容错免责 (taken only
  by ``AccountabilityCase.close_by_fault_tolerance``). The case is never submitted or cancelled:
  it stays one document whose history is its state log, and nothing is deleted.
* **Fault Tolerance Application** (容错免责申请): the unit concerned applies against an open case;
  the Efficiency Office reviews (forwards or refuses); a District Leader decides (grants or
  refuses). Submitted when decided, like the slip's requests.

[decision]s where RULES §13 is silent:

* The unit concerned sees a case only once it is decided (处理, 移送, 办结), so it applies against a
  case in 处理 or 移送 (open, and known to it); a case in 登记 or 核实 is not yet the unit's business.
* One application at a time per case; a refused one may be followed by a new one.
* The people concerned are the unit's §1 chain copied onto the case when it is opened (the chain as
  of that date); later changes of the unit's chain do not change the case.
"""

from whistle_app import roles
from whistle_app.rules.workflow import SYSTEM_ACTOR, Machine, Transition

CASE = "Accountability Case"
APPLICATION = "Fault Tolerance Application"

# --- the case ------------------------------------------------------------------------------------
REGISTERED = "登记"
VERIFYING = "核实"
DECIDED = "处理"
REFERRED = "移送"
CLOSED = "办结"
CASE_STATES = (REGISTERED, VERIFYING, DECIDED, REFERRED, CLOSED)
# what the unit concerned sees (decided outcomes) and where it may apply for fault tolerance
UNIT_VISIBLE_STATES = (DECIDED, REFERRED, CLOSED)
TOLERABLE_STATES = (DECIDED, REFERRED)

VERIFY = "核实"
DECIDE = "作出处理"
REFER = "移送纪工委监委"
CLOSE = "办结"
TOLERATE = "容错免责"  # the app's step when a District Leader grants an application

# --- the application -------------------------------------------------------------------------------
DRAFT = "草稿"
REVIEW = "待效能办审核"
LEADER_DECISION = "待区领导决定"
GRANTED = "准予免责"
REFUSED = "不予免责"
APPLICATION_DECIDED = frozenset({GRANTED, REFUSED})
APPLICATION_PENDING = (REVIEW, LEADER_DECISION)

FILE = "提交申请"
FORWARD = "审核通过"
GRANT = "准予"
REFUSE = "驳回"

# --- who acts ------------------------------------------------------------------------------------------
EFFICIENCY = "efficiency"  # the Efficiency Office
LEADER = "leader"  # a District Leader
UNIT = "unit"  # users of the unit concerned
ACTOR_ROLES: dict[str, tuple[str, ...]] = {
	EFFICIENCY: (roles.EFFICIENCY_OFFICE,),
	LEADER: (roles.DISTRICT_LEADER,),
	UNIT: (roles.DEPARTMENT_LIAISON, roles.DEPARTMENT_LEADER, roles.PARK_AGENT, roles.PARK_LEADER),
}
ACTOR_LABELS = {
	EFFICIENCY: "the Efficiency Office",
	LEADER: "a District Leader",
	UNIT: "the unit concerned",
}

CASE_MACHINE = Machine(
	workflow=f"{CASE} Workflow",
	doctype=CASE,
	states=CASE_STATES,
	transitions=(
		Transition(REGISTERED, VERIFY, VERIFYING, EFFICIENCY, reason_required=True, effect="on_verify"),
		Transition(VERIFYING, DECIDE, DECIDED, EFFICIENCY, reason_required=True, effect="on_decide"),
		Transition(VERIFYING, REFER, REFERRED, EFFICIENCY, reason_required=True, effect="on_refer"),
		Transition(DECIDED, CLOSE, CLOSED, EFFICIENCY, reason_required=True, effect="on_close"),
		Transition(REFERRED, CLOSE, CLOSED, EFFICIENCY, reason_required=True, effect="on_close"),
		Transition(DECIDED, TOLERATE, CLOSED, SYSTEM_ACTOR, reason_required=True),
		Transition(REFERRED, TOLERATE, CLOSED, SYSTEM_ACTOR, reason_required=True),
	),
	actor_roles=ACTOR_ROLES,
	# facts while registered or verified; the referral's result while referred
	editors={
		REGISTERED: frozenset({EFFICIENCY}),
		VERIFYING: frozenset({EFFICIENCY}),
		REFERRED: frozenset({EFFICIENCY}),
	},
	styles={
		REGISTERED: "",
		VERIFYING: "Primary",
		DECIDED: "Warning",
		REFERRED: "Danger",
		CLOSED: "Success",
	},
)

APPLICATION_MACHINE = Machine(
	workflow=f"{APPLICATION} Workflow",
	doctype=APPLICATION,
	states=(DRAFT, REVIEW, LEADER_DECISION, GRANTED, REFUSED),
	transitions=(
		Transition(DRAFT, FILE, REVIEW, UNIT, effect="on_file"),
		Transition(REVIEW, FORWARD, LEADER_DECISION, EFFICIENCY, effect="on_forward"),
		Transition(REVIEW, REFUSE, REFUSED, EFFICIENCY, reason_required=True, effect="on_refuse"),
		Transition(LEADER_DECISION, GRANT, GRANTED, LEADER, reason_required=True, effect="on_grant"),
		Transition(LEADER_DECISION, REFUSE, REFUSED, LEADER, reason_required=True, effect="on_refuse"),
	),
	actor_roles=ACTOR_ROLES,
	editors={
		DRAFT: frozenset({UNIT}),
		REVIEW: frozenset({EFFICIENCY}),
		LEADER_DECISION: frozenset({LEADER}),
	},
	styles={DRAFT: "", REVIEW: "Primary", LEADER_DECISION: "Primary", GRANTED: "Success", REFUSED: "Danger"},
	submitted=APPLICATION_DECIDED,
)

# --- what a case is about -----------------------------------------------------------------------------
SNAIL_AWARD = "Snail Award"
ANNUAL_EVALUATION = "Annual Evaluation"
BULLETIN = "Supervision Bulletin"
SLIP = "Whistle Slip"
EVIDENCE_TYPES = (SNAIL_AWARD, ANNUAL_EVALUATION, BULLETIN, SLIP)

# the §1 chain on Whistle Unit: (role on the case, name field, post field, user field)
CHAIN = (
	("Principal Leader", "principal_leader_name", "principal_leader_post", "principal_leader_user"),
	("Deputy Leader in Charge", "deputy_leader_name", "deputy_leader_post", "deputy_leader_user"),
	("Division Head", "division_head_name", "division_head_post", "division_head_user"),
)


def people_concerned(unit: dict) -> list[dict]:
	"""The chain's people named on a unit (a mapping of Whistle Unit fields), in chain order."""
	people = []
	for role, name_field, post_field, user_field in CHAIN:
		if name := (unit.get(name_field) or "").strip():
			person = {
				"role": role,
				"person_name": name,
				"post": unit.get(post_field),
				"user": unit.get(user_field),
			}
			if role == "Division Head":
				person["post"] = " ".join(p for p in (unit.get("division_name"), unit.get(post_field)) if p)
			people.append(person)
	return people
