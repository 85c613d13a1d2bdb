"""The side paths of a whistle (RULES §3.1) as workflow tables: extension, exemption, exclusion.

Framework-free. Each request is its own submittable DocType with one ``Machine``: it stays a draft
(docstatus 0) while it is filed and reviewed and is submitted when it is decided, so a decided
request can no longer change. The approval's effect names the request controller's method that
asks the slip to take its step (``lifecycle.SYSTEM_STEPS``); the other effects record who took
each step and when.
"""

from dataclasses import dataclass

from whistle_app import roles
from whistle_app.rules import lifecycle as lc
from whistle_app.rules.workflow import Machine, Transition

EXTENSION = "Whistle Extension Request"
EXEMPTION = "Whistle Exemption Request"
EXCLUSION = "Assessment Exclusion Request"
REQUEST_DOCTYPES = (EXTENSION, EXEMPTION, EXCLUSION)

# --- states (stored as shown: Chinese) ------------------------------------------------------------
DRAFT = lc.DRAFT  # 草稿
OFFICE_REVIEW = "待区吹哨办审核"
LEADER_REVIEW = "待区领导审批"
APPROVED = "已批准"
REJECTED = "已驳回"
DECIDED = frozenset({APPROVED, REJECTED})
PENDING = (OFFICE_REVIEW, LEADER_REVIEW)
STATE_STYLES = {
	DRAFT: "",
	OFFICE_REVIEW: "Primary",
	LEADER_REVIEW: "Primary",
	APPROVED: "Success",
	REJECTED: "Danger",
}

# --- actions ----------------------------------------------------------------------------------------
FILE = "提交申请"
FORWARD = "审核通过"  # the office forwards an exemption to the District Leader
APPROVE = "批准"
REJECT = "驳回"

# --- who acts ---------------------------------------------------------------------------------------
DEPARTMENT = "department"  # users of the requesting (sole or lead) department
OFFICE = "office"  # the Whistle Office
LEADER = "leader"  # a District Leader
ACTOR_ROLES: dict[str, tuple[str, ...]] = {
	DEPARTMENT: (roles.DEPARTMENT_LIAISON, roles.DEPARTMENT_LEADER),
	OFFICE: (roles.WHISTLE_OFFICE,),
	LEADER: (roles.DISTRICT_LEADER,),
}
ACTOR_LABELS = {
	DEPARTMENT: "the requesting department",
	OFFICE: "the Whistle Office",
	LEADER: "a District Leader",
}
# who may save a request (without taking a step) in each state
EDITORS = {
	DRAFT: frozenset({DEPARTMENT}),
	OFFICE_REVIEW: frozenset({OFFICE}),
	LEADER_REVIEW: frozenset({LEADER}),
}


@dataclass(frozen=True)
class RequestKind:
	machine: Machine
	slip_states: tuple[str, ...]  # slip states in which the request can be filed and approved
	slip_step: str  # the slip's system step (lifecycle.SYSTEM_STEPS) an approval takes

	@property
	def doctype(self) -> str:
		return self.machine.doctype

	@property
	def workflow(self) -> str:
		return self.machine.workflow


def _machine(doctype: str, steps: tuple[Transition, ...]) -> Machine:
	used = {DRAFT} | {t.next_state for t in steps}
	return Machine(
		workflow=f"{doctype} Workflow",
		doctype=doctype,
		states=tuple(state for state in STATE_STYLES if state in used),
		transitions=steps,
		actor_roles=ACTOR_ROLES,
		editors={state: actors for state, actors in EDITORS.items() if state in used},
		styles=STATE_STYLES,
		submitted=DECIDED,
	)


def _decisions(state: str, actor: str) -> tuple[Transition, ...]:
	return (
		Transition(state, APPROVE, APPROVED, actor, effect="on_approve"),
		Transition(state, REJECT, REJECTED, actor, reason_required=True, effect="on_reject"),
	)


def _file(next_state: str) -> Transition:
	return Transition(DRAFT, FILE, next_state, DEPARTMENT, effect="on_file")


KINDS: dict[str, RequestKind] = {
	EXTENSION: RequestKind(
		machine=_machine(
			EXTENSION,
			(_file(OFFICE_REVIEW), *_decisions(OFFICE_REVIEW, OFFICE)),
		),
		slip_states=(lc.HANDLING, lc.REPORTED),
		slip_step=lc.EXTEND,
	),
	EXEMPTION: RequestKind(
		machine=_machine(
			EXEMPTION,
			(
				_file(OFFICE_REVIEW),
				Transition(OFFICE_REVIEW, FORWARD, LEADER_REVIEW, OFFICE, effect="on_forward"),
				Transition(OFFICE_REVIEW, REJECT, REJECTED, OFFICE, reason_required=True, effect="on_reject"),
				*_decisions(LEADER_REVIEW, LEADER),
			),
		),
		slip_states=(lc.HANDLING,),
		slip_step=lc.EXEMPT,
	),
	EXCLUSION: RequestKind(
		machine=_machine(
			EXCLUSION,
			(_file(LEADER_REVIEW), *_decisions(LEADER_REVIEW, LEADER)),
		),
		slip_states=(lc.CONFIRMED, lc.CLOSED),
		slip_step=lc.EXCLUDE,
	),
}
