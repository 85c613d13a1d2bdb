"""Side paths of a whistle slip (RULES §3.1): extension, exemption and assessment exclusion.

Each side path is its own submittable document with a Frappe Workflow:

* **Whistle Extension Request** (延期申请): the slip's sole or lead department asks for a later
  completion date; the Whistle Office approves (the slip's deadline moves) or rejects.
* **Whistle Exemption Request** (不列入考核申请): the department asks; the office reviews (forwards
  or rejects); a District Leader approves (the slip becomes long-term tracking, 继续跟踪, and is
  excluded from assessment) or rejects.
* **Assessment Exclusion Request** (考核剔除申请): after rating, the department files a written
  explanation; a District Leader approves (the slip leaves the assessment) or rejects.

States, steps and who takes them are data here (``KINDS``); the workflow JSON committed under
``whistle/workflow/`` is built from them (``build_workflow``) and installed by
``sync_request_workflows`` on install and migrate. A request stays a draft (docstatus 0) while it
is filed and reviewed and is submitted (docstatus 1) when it is decided, approved or rejected, so a
decided request can no longer change. The controllers (``SlipRequest``) check every step again on
the server: who takes it (role *and* unit), the reason a rejection needs, and that the request
still applies to the slip; nothing is changed when a check fails.
"""

import json
from dataclasses import dataclass
from pathlib import Path

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import escape_html, get_datetime, getdate

from whistle_app import roles
from whistle_app.lifecycle import OFFICE_ROLES, department_pairs, now, office_users, users_with_roles
from whistle_app.organisation import get_user_unit
from whistle_app.rules import lifecycle as lc
from whistle_app.workflows import install_workflow, workflow_doc

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
DOC_STATUS = {DRAFT: "0", OFFICE_REVIEW: "0", LEADER_REVIEW: "0", APPROVED: "1", REJECTED: "1"}

# --- actions ----------------------------------------------------------------------------------------
FILE = "提交申请"
FORWARD = "审核通过"  # the office forwards an exemption to the District Leader
APPROVE = "批准"
REJECT = "驳回"
DEFAULT_APPROVAL_OPINION = "Agreed"  # recorded when an approver gives no text (translated: 同意)

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
EDITORS = {DRAFT: DEPARTMENT, OFFICE_REVIEW: OFFICE, LEADER_REVIEW: LEADER}
# what the department enters; fixed once the request is filed
APPLICANT_FIELDS = ("slip", "department", "reason", "new_completion_date", "explanation_attachment")
# set by the controller only
SYSTEM_FIELDS = (
	"whistle_unit",
	"slip_title",
	"previous_completion_date",
	"requested_by",
	"requested_on",
	"office_reviewed_by",
	"office_reviewed_on",
	"office_review_opinion",
	"approved_by",
	"approved_on",
	"decision_reason",
)


@dataclass(frozen=True)
class Step:
	state: str
	action: str
	next_state: str
	actor: str
	reason_required: bool = False


@dataclass(frozen=True)
class RequestKind:
	doctype: str
	workflow: str
	slip_states: tuple[str, ...]  # slip states in which the request can be filed and approved
	steps: tuple[Step, ...]
	log_action: str  # the action written into the slip's state history on approval

	@property
	def states(self) -> tuple[str, ...]:
		"""The states this kind uses, in STATE_STYLES order (the draft first)."""
		used = {DRAFT} | {step.next_state for step in self.steps}
		return tuple(state for state in STATE_STYLES if state in used)

	def step(self, state: str | None, action: str) -> Step | None:
		return next((s for s in self.steps if s.state == state and s.action == action), None)

	def step_to(self, state: str | None, next_state: str | None) -> Step | None:
		return next((s for s in self.steps if s.state == state and s.next_state == next_state), None)

	@property
	def workflow_path(self) -> Path:
		folder = frappe.scrub(self.workflow)
		return Path(__file__).parent / "whistle" / "workflow" / folder / f"{folder}.json"


KINDS: dict[str, RequestKind] = {
	EXTENSION: RequestKind(
		doctype=EXTENSION,
		workflow="Whistle Extension Request Workflow",
		slip_states=(lc.HANDLING, lc.REPORTED),
		steps=(
			Step(DRAFT, FILE, OFFICE_REVIEW, DEPARTMENT),
			Step(OFFICE_REVIEW, APPROVE, APPROVED, OFFICE),
			Step(OFFICE_REVIEW, REJECT, REJECTED, OFFICE, reason_required=True),
		),
		log_action="延期",
	),
	EXEMPTION: RequestKind(
		doctype=EXEMPTION,
		workflow="Whistle Exemption Request Workflow",
		slip_states=(lc.HANDLING,),
		steps=(
			Step(DRAFT, FILE, OFFICE_REVIEW, DEPARTMENT),
			Step(OFFICE_REVIEW, FORWARD, LEADER_REVIEW, OFFICE),
			Step(OFFICE_REVIEW, REJECT, REJECTED, OFFICE, reason_required=True),
			Step(LEADER_REVIEW, APPROVE, APPROVED, LEADER),
			Step(LEADER_REVIEW, REJECT, REJECTED, LEADER, reason_required=True),
		),
		log_action="不列入考核",
	),
	EXCLUSION: RequestKind(
		doctype=EXCLUSION,
		workflow="Assessment Exclusion Request Workflow",
		slip_states=(lc.CONFIRMED, lc.CLOSED),
		steps=(
			Step(DRAFT, FILE, LEADER_REVIEW, DEPARTMENT),
			Step(LEADER_REVIEW, APPROVE, APPROVED, LEADER),
			Step(LEADER_REVIEW, REJECT, REJECTED, LEADER, reason_required=True),
		),
		log_action="考核剔除",
	),
}


# --- errors (all refuse and change nothing) ----------------------------------------------------------


class RequestError(frappe.ValidationError):
	"""Base of the refusals below."""


class RequestStateError(RequestError):
	"""The request or its whistle is not in a state where this applies."""


class RequestDepartmentError(RequestError):
	"""The requesting unit is not the whistle's sole or lead department."""


class RequestActorError(RequestError):
	"""The user may not take this step (wrong role or unit)."""


class RequestReasonError(RequestError):
	"""A reason is missing (the request's own, or a rejection's)."""


class ExtensionDateError(RequestError):
	"""The new completion date is missing or not later than the current one."""


class RequestLockedError(RequestError):
	"""A filed or decided request cannot be edited."""


class DuplicateRequestError(RequestError):
	"""The same kind of request on the same whistle is already awaiting a decision."""


# --- the Workflow documents ----------------------------------------------------------------------------


def build_workflow(kind: RequestKind) -> dict:
	"""The Frappe Workflow of a request kind (what its committed JSON holds)."""
	states = []
	for state in kind.states:
		editors = ACTOR_ROLES[EDITORS[state]] if state in EDITORS else (roles.WHISTLE_ADMINISTRATOR,)
		for role in editors:
			states.append({"state": state, "doc_status": DOC_STATUS[state], "allow_edit": role})
	transitions = [
		{
			"state": step.state,
			"action": step.action,
			"next_state": step.next_state,
			"allowed": role,
			"allow_self_approval": 1,
		}
		for step in kind.steps
		for role in ACTOR_ROLES[step.actor]
	]
	return workflow_doc(kind.workflow, kind.doctype, states, transitions)


def sync_request_workflows() -> None:
	"""Install or update the three request workflows from their committed JSON (install, migrate)."""
	for kind in KINDS.values():
		install_workflow(json.loads(kind.workflow_path.read_text()), STATE_STYLES)


# --- who acts -------------------------------------------------------------------------------------------


def actor_kinds(request, user: str | None = None) -> set[str]:
	"""The actor kinds this user holds on this request: role and (for departments) unit both count."""
	user = user or frappe.session.user
	user_roles = set(frappe.get_roles(user))
	kinds = set()
	if user_roles & OFFICE_ROLES:
		kinds.add(OFFICE)
	if roles.DISTRICT_LEADER in user_roles:
		kinds.add(LEADER)
	unit = get_user_unit(user)
	if unit and unit == request.get("department") and user_roles & set(ACTOR_ROLES[DEPARTMENT]):
		kinds.add(DEPARTMENT)
	return kinds


@frappe.whitelist()
def act(doctype: str, name: str, action: str, reason: str | None = None) -> str:
	"""Take a workflow action on a request, with the reason it needs; returns the new state.

	Checks state, actor and reason first with clear messages, then saves (or, for a decision,
	submits) the request, which its controller checks once more. Nothing changes when a check fails.
	"""
	if doctype not in KINDS:
		frappe.throw(_("{0} is not a whistle request.").format(doctype), RequestError)
	kind = KINDS[doctype]
	doc = frappe.get_doc(doctype, name)
	doc.check_permission("read")
	step = kind.step(doc.workflow_state, action)
	if not step:
		frappe.throw(
			_("{0} {1} is in state {2}; the action {3} is not possible now.").format(
				_(doctype), name, doc.workflow_state, action
			),
			RequestStateError,
		)
	check_actor(doc, step)
	check_reason(step, reason)
	doc.action_reason = reason
	doc.workflow_state = step.next_state
	if DOC_STATUS[step.next_state] == "1":
		doc.submit()
	else:
		doc.save()
	doc.add_comment("Workflow", _(step.next_state))
	return doc.workflow_state


def check_actor(doc, step: Step) -> None:
	if step.actor not in actor_kinds(doc):
		frappe.throw(
			_("Only {0} may take the action {1} on {2} {3}.").format(
				_(ACTOR_LABELS[step.actor]), step.action, _(doc.doctype), doc.name or ""
			),
			RequestActorError,
		)


def check_reason(step: Step, reason: str | None) -> str | None:
	reason = (reason or "").strip()
	if step.reason_required and not reason:
		frappe.throw(_("The decision {0} needs a reason.").format(step.action), RequestReasonError)
	return reason or None


# --- the controllers' shared behaviour ----------------------------------------------------------------


class SlipRequest(Document):
	"""Controller of the three request DocTypes (each subclasses this with its generated types)."""

	@property
	def kind(self) -> RequestKind:
		return KINDS[self.doctype]

	def validate(self):
		self.flags.step = self.flags.reason = None
		before = self.get_doc_before_save()
		self.keep_system_fields(before)
		step = self.get_step(before)
		if step:
			check_actor(self, step)
			reason = check_reason(step, self.action_reason)
		else:
			self.validate_editor()
		self.validate_applicant_fields(before)
		if self.workflow_state == DRAFT or (step and step.next_state != REJECTED):
			self.validate_against_slip(filing=bool(step and step.state == DRAFT))
		if step:
			self.apply_step(step, reason)
			self.flags.step = step
			self.flags.reason = reason
			self.action_reason = None  # consumed; saved without a step, it waits for the next action

	def before_submit(self):
		if not self.flags.get("step") or self.workflow_state not in DECIDED:
			frappe.throw(
				_("A request is submitted only by its decision (approve or reject)."), RequestStateError
			)

	def on_update(self):
		step = self.flags.get("step")
		if step and step.next_state not in DECIDED:
			notify(self, step, self.flags.get("reason"))

	def on_submit(self):
		step = self.flags.get("step")
		if self.workflow_state == APPROVED:
			self.apply_to_slip()
		if step:
			notify(self, step, self.flags.get("reason"))

	def before_update_after_submit(self):
		frappe.throw(
			_("{0} {1} has been decided; it cannot be changed.").format(_(self.doctype), self.name),
			RequestLockedError,
		)

	def on_trash(self):
		if self.workflow_state not in (DRAFT, None, ""):
			frappe.throw(_("Only a draft request can be deleted."), RequestLockedError)

	# --- checks ---------------------------------------------------------------------------------------

	def keep_system_fields(self, before):
		"""The fields the controller fills cannot be set by a client."""
		for field in SYSTEM_FIELDS:
			if self.meta.has_field(field):
				self.set(field, before.get(field) if before else None)

	def get_step(self, before) -> Step | None:
		if not before:
			if self.workflow_state not in (None, "", DRAFT):
				frappe.throw(_("A new request starts as a draft."), RequestStateError)
			self.workflow_state = DRAFT
			return None
		if before.workflow_state == self.workflow_state:
			return None
		step = self.kind.step_to(before.workflow_state, self.workflow_state)
		if not step:
			frappe.throw(
				_("{0} cannot go from {1} to {2}.").format(
					_(self.doctype), before.workflow_state, self.workflow_state
				),
				RequestStateError,
			)
		if (DOC_STATUS[step.next_state] == "1") != (self.docstatus == 1):
			frappe.throw(
				_("A request is submitted only by its decision (approve or reject)."), RequestStateError
			)
		return step

	def validate_editor(self):
		"""Without a step, only the actor the state waits for may save (and only a draft's author edits)."""
		if self.is_new():
			if get_user_unit() and not self.department:
				self.department = get_user_unit()
			if DEPARTMENT not in actor_kinds(self):
				frappe.throw(
					_("Only the whistle's sole or lead department files a {0}.").format(_(self.doctype)),
					RequestActorError,
				)
			return
		editor = EDITORS.get(self.workflow_state)
		if not editor or editor not in actor_kinds(self):
			frappe.throw(
				_("{0} {1} is in state {2}; you cannot change it now.").format(
					_(self.doctype), self.name, self.workflow_state
				),
				RequestLockedError,
			)

	def validate_applicant_fields(self, before):
		if not before or before.workflow_state == DRAFT:
			return
		for field in APPLICANT_FIELDS:
			if self.meta.has_field(field) and str(self.get(field) or "") != str(before.get(field) or ""):
				frappe.throw(
					_("{0} {1} has been filed; its content cannot be changed.").format(
						_(self.doctype), self.name
					),
					RequestLockedError,
				)

	def validate_against_slip(self, filing: bool):
		"""The request applies to the slip: right department, right state, a reason, a later date."""
		if not self.slip or not frappe.db.exists("Whistle Slip", self.slip):
			frappe.throw(_("Please choose the whistle this request is about."), RequestError)
		slip = frappe.get_doc("Whistle Slip", self.slip)
		self.whistle_unit = slip.whistle_unit
		self.slip_title = slip.title
		reporting = lc.reporting_department(department_pairs(slip))
		if not self.department or self.department != reporting:
			frappe.throw(
				_("Only the sole or lead department of whistle {0} ({1}) can file a {2}; {3} cannot.").format(
					slip.name, reporting or "—", _(self.doctype), self.department or "—"
				),
				RequestDepartmentError,
			)
		if slip.workflow_state not in self.kind.slip_states:
			frappe.throw(
				_(
					"A {0} applies only while the whistle is in state {1}; whistle {2} is in state {3}."
				).format(_(self.doctype), "、".join(self.kind.slip_states), slip.name, slip.workflow_state),
				RequestStateError,
			)
		if self.doctype != EXTENSION and slip.excluded_from_assessment:
			frappe.throw(
				_("Whistle {0} is already excluded from assessment.").format(slip.name), RequestStateError
			)
		if not (self.reason or "").strip():
			frappe.throw(
				_("Please give the {0}.").format(_(self.meta.get_label("reason"))), RequestReasonError
			)
		if self.doctype == EXTENSION:
			self.validate_new_date(slip)
		if filing:
			self.validate_no_pending_duplicate()

	def validate_new_date(self, slip):
		self.previous_completion_date = slip.planned_completion
		if not self.new_completion_date:
			frappe.throw(_("Please enter the new completion date."), ExtensionDateError)
		if slip.planned_completion and getdate(self.new_completion_date) <= getdate(slip.planned_completion):
			frappe.throw(
				_("The new completion date {0} must be later than the current completion date {1}.").format(
					getdate(self.new_completion_date), getdate(slip.planned_completion)
				),
				ExtensionDateError,
			)

	def validate_no_pending_duplicate(self):
		pending = frappe.get_all(
			self.doctype,
			filters={
				"slip": self.slip,
				"docstatus": 0,
				"workflow_state": ("in", PENDING),
				"name": ("!=", self.name),
			},
			pluck="name",
		)
		if pending:
			frappe.throw(
				_("{0} {1} for whistle {2} is already awaiting a decision.").format(
					_(self.doctype), pending[0], self.slip
				),
				DuplicateRequestError,
			)

	# --- what each step records ------------------------------------------------------------------------

	def apply_step(self, step: Step, reason: str | None):
		user, moment = frappe.session.user, now()
		if step.action == FILE:
			self.requested_by = user
			self.requested_on = moment
		if step.actor == OFFICE and self.meta.has_field("office_reviewed_by"):
			self.office_reviewed_by = user
			self.office_reviewed_on = moment
			if step.next_state == LEADER_REVIEW:
				self.office_review_opinion = reason
		if step.next_state in DECIDED:
			self.approved_by = user
			self.approved_on = moment
			self.decision_reason = reason or (_(DEFAULT_APPROVAL_OPINION) if step.action == APPROVE else None)

	def apply_to_slip(self):
		"""The approved request's effect on the slip, with a row in the slip's state history.

		Written with ``db_set`` / ``db_insert`` on purpose: the slip's controller lets only the
		actors of its current state save it (and a 待销号/已销号 slip nobody), while this change is
		made by the system on the approver's decision. The approved request is the authority and
		the record; the slip's state history row names it.
		"""
		slip = frappe.get_doc("Whistle Slip", self.slip)
		from_state = slip.workflow_state
		if self.doctype == EXTENSION:
			values = {
				"planned_completion": getdate(self.new_completion_date),
				"completion_deadline": get_datetime(f"{getdate(self.new_completion_date)} 23:59:59"),
			}
		elif self.doctype == EXEMPTION:
			values = {"workflow_state": lc.LONG_TERM, "long_term_tracking": 1, "excluded_from_assessment": 1}
		else:
			values = {"excluded_from_assessment": 1}
		row = slip.append(
			"state_log",
			{
				"changed_on": self.approved_on,
				"from_state": from_state,
				"action": self.kind.log_action,
				"to_state": values.get("workflow_state", from_state),
				"changed_by": self.approved_by,
				"reason": self.slip_log_reason(),
			},
		)
		row.db_insert()
		slip.db_set(values)
		if values.get("excluded_from_assessment"):
			from whistle_app.ratings import update_slip_scores

			update_slip_scores(slip.name)  # the slip's scores leave the assessment with it
		slip.add_comment(
			"Info",
			_("{0} {1} approved by {2}.").format(_(self.doctype), self.name, self.approved_by),
		)

	def slip_log_reason(self) -> str:
		text = self.reason.strip()
		if self.doctype == EXTENSION:
			text += "（" + _("completion date {0} → {1}").format(
				getdate(self.previous_completion_date), getdate(self.new_completion_date)
			)
			text += f"；{_(self.doctype)} {self.name}）"
		else:
			text += f"（{_(self.doctype)} {self.name}）"
		return text


# --- notifications --------------------------------------------------------------------------------------


def district_leaders() -> list[str]:
	return users_with_roles([roles.DISTRICT_LEADER])


def recipients_for(request, step: Step) -> list[str]:
	requester = [request.requested_by or request.owner]
	if step.next_state == OFFICE_REVIEW:
		return office_users()
	if step.next_state == LEADER_REVIEW:
		return district_leaders() + (requester if step.actor == OFFICE else [])
	return requester  # decided: the requester hears of the decision


def notify(request, step: Step, reason: str | None = None) -> None:
	"""A system notification (and email) to whoever the step hands the request to."""
	from frappe.desk.doctype.notification_log.notification_log import enqueue_create_notification

	users = sorted(set(recipients_for(request, step)) - {frappe.session.user, "", None})
	if not users:
		return
	subject = _("{0} {1} (whistle {2}): {3} → {4}").format(
		_(request.doctype), request.name, request.slip, step.action, step.next_state
	)
	body = subject
	if reason:
		body += "<br>" + _("Reason: {0}").format(escape_html(reason))
	enqueue_create_notification(
		users,
		{
			"type": "Alert",
			"document_type": request.doctype,
			"document_name": request.name,
			"subject": subject,
			"email_content": body,
			"from_user": frappe.session.user,
		},
	)
