"""Side paths of a whistle slip (RULES §3.1): extension, exemption and assessment exclusion.

Each side path is its own submittable document on the workflow kernel (``whistle_app.kernel``):

* **Whistle Extension Request** (延期申请): the slip's sole or lead department asks for a later
  completion date; the Whistle Office approves (the slip's deadline moves) or rejects.
* **Whistle Exemption Request** (不列入考核申请): the department asks; the office reviews (forwards
  or rejects); a District Leader approves (the slip becomes long-term tracking, 继续跟踪, and is
  excluded from assessment) or rejects.
* **Assessment Exclusion Request** (考核剔除申请): after rating, the department files a written
  explanation; a District Leader approves (the slip leaves the assessment) or rejects.

States, steps and who takes them are the tables of ``whistle_app.rules.requests``; the kernel builds
the workflow JSON committed under ``whistle/workflow/`` from them and checks every step. This module
says who the actors are, what else a request must satisfy (``SlipRequest.validate_against_slip``),
what each step records, and whom it notifies. An approval changes the slip only through the slip's
own named functions (``WhistleSlip.extend_completion`` and the like).
"""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import escape_html, getdate

from whistle_app import kernel, roles
from whistle_app.access import is_district_leader, is_office_staff
from whistle_app.bounds import check_planned_completion
from whistle_app.lifecycle import department_pairs
from whistle_app.notifications import REQUEST_STEP
from whistle_app.notify import district_leaders, office_users, tell
from whistle_app.organisation import get_user_unit
from whistle_app.rules import lifecycle as lc
from whistle_app.rules.requests import (
	ACTOR_LABELS,
	ACTOR_ROLES,
	APPROVE,
	APPROVED,
	DECIDED,
	DEPARTMENT,
	DRAFT,
	EXCLUSION,
	EXEMPTION,
	EXTENSION,
	FILE,
	FORWARD,
	KINDS,
	LEADER,
	LEADER_REVIEW,
	OFFICE,
	OFFICE_REVIEW,
	PENDING,
	REJECT,
	REJECTED,
	REQUEST_DOCTYPES,
	STATE_STYLES,
	RequestKind,
)
from whistle_app.rules.workflow import Transition

DEFAULT_APPROVAL_OPINION = "Agreed"  # recorded when an approver gives no text (translated: 同意)
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


def department_excluded(slip, department: str | None) -> bool:
	return any(row.department == department and row.excluded_from_assessment for row in slip.departments)


# --- who acts -------------------------------------------------------------------------------------------


def actor_kinds(request, user: str | None = None) -> set[str]:
	"""The actor kinds this user holds on this request: role and (for departments) unit both count."""
	user = user or frappe.session.user
	kinds = set()
	if is_office_staff(user):
		kinds.add(OFFICE)
	if is_district_leader(user):
		kinds.add(LEADER)
	unit = get_user_unit(user)
	if (
		unit
		and unit == request.get("department")
		and set(frappe.get_roles(user)) & set(ACTOR_ROLES[DEPARTMENT])
	):
		kinds.add(DEPARTMENT)
	return kinds


SPECS = {
	doctype: kernel.register(
		kernel.Spec(
			machine=kind.machine,
			actor_kinds=actor_kinds,
			actor_labels=ACTOR_LABELS,
			errors=kernel.Errors(
				step=RequestStateError,
				actor=RequestActorError,
				reason=RequestReasonError,
				locked=RequestLockedError,
			),
		)
	)
	for doctype, kind in KINDS.items()
}


def build_workflow(kind: RequestKind) -> dict:
	"""The Frappe Workflow of a request kind (what its committed JSON holds)."""
	return kernel.build_workflow(kind.machine)


def sync_request_workflows() -> None:
	"""Install or update the three request workflows from their committed JSON (install, migrate)."""
	for spec in SPECS.values():
		kernel.sync(spec)


@frappe.whitelist()
def act(doctype: str, name: str, action: str, reason: str | None = None) -> str:
	"""Take a workflow action on a request, with the reason it needs; returns the new state.

	The kernel checks state, actor and reason first with clear messages, then saves (or, for a
	decision, submits) the request, which its controller checks once more. Nothing changes when a
	check fails.
	"""
	if doctype not in KINDS:
		frappe.throw(_("{0} is not a whistle request.").format(doctype), RequestError)
	return kernel.act(doctype, name, action, reason)


# --- the controllers' shared behaviour ----------------------------------------------------------------


class SlipRequest(Document):
	"""Controller of the three request DocTypes (each subclasses this with its generated types)."""

	@property
	def kind(self) -> RequestKind:
		return KINDS[self.doctype]

	def validate(self):
		before = self.get_doc_before_save()
		self.keep_system_fields(before)
		if self.is_new() and get_user_unit() and not self.department:
			self.department = get_user_unit()
		self.validate_filer()
		step = kernel.check(self)  # the step (table, actor, reason) or the editor's right to save
		self.validate_applicant_fields(before)
		if self.workflow_state == DRAFT or (step and step.next_state != REJECTED):
			self.validate_against_slip(filing=bool(step and step.state == DRAFT))
		kernel.apply(self, step)  # the step's effect (on_file, on_forward, on_approve, on_reject)

	def on_update(self):
		step = self.flags.get("step")
		if step and step.next_state not in DECIDED:
			notify(self, step, self.flags.get("reason"))

	def on_submit(self):
		step = self.flags.get("step")
		if self.workflow_state == APPROVED:
			self.apply_to_slip()  # once the decided request is stored
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

	def validate_filer(self):
		"""A new request is filed by the whistle's sole or lead department."""
		if self.is_new() and DEPARTMENT not in actor_kinds(self):
			frappe.throw(
				_("Only the whistle's sole or lead department files a {0}.").format(_(self.doctype)),
				RequestActorError,
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
		if self.doctype == EXCLUSION:
			self.validate_on_slip(slip)
		elif not self.department or self.department != reporting:
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
		if self.doctype != EXTENSION and (
			slip.excluded_from_assessment
			or (self.doctype == EXCLUSION and department_excluded(slip, self.department))
		):
			frappe.throw(
				_("Whistle {0} is already excluded from assessment.").format(slip.name), RequestStateError
			)
		if self.doctype == EXCLUSION:
			self.validate_points_lost(slip)
		if not (self.reason or "").strip():
			frappe.throw(
				_("Please give the {0}.").format(_(self.meta.get_label("reason"))), RequestReasonError
			)
		if self.doctype == EXTENSION:
			self.validate_new_date(slip)
		if filing:
			self.validate_no_pending_duplicate()

	def validate_on_slip(self, slip):
		"""考核剔除 (issue #16): any department on the whistle may file, for its own score only."""
		on_slip = [department for department, _role in department_pairs(slip)]
		if not self.department or self.department not in on_slip:
			frappe.throw(
				_("Only a department on whistle {0} can file a {1}; {2} is not on it.").format(
					slip.name, _(self.doctype), self.department or "—"
				),
				RequestDepartmentError,
			)

	def validate_points_lost(self, slip):
		"""An exclusion removes a score that lost points: once the department's ratings are complete,
		a full score has nothing to exclude. Before that (a confirmed slip whose ratings are still
		coming in) it may file, and the District Leader decides on the facts."""
		score = frappe.db.get_value(
			"Whistle Slip Score",
			{"slip": slip.name, "department": self.department, "rating_complete": 1},
			"slip_score",
		)
		if score is not None and score >= 100:
			frappe.throw(
				_("The slip score of {0} on whistle {1} lost no points; there is nothing to exclude.").format(
					self.department, slip.name
				),
				RequestStateError,
			)

	def validate_new_date(self, slip):
		self.previous_completion_date = slip.planned_completion
		if not self.new_completion_date:
			frappe.throw(_("Please enter the new completion date."), ExtensionDateError)
		check_planned_completion(self.new_completion_date, slip.dispatched_on, slip.long_term_tracking)
		if slip.planned_completion and getdate(self.new_completion_date) <= getdate(slip.planned_completion):
			frappe.throw(
				_("The new completion date {0} must be later than the current completion date {1}.").format(
					getdate(self.new_completion_date), getdate(slip.planned_completion)
				),
				ExtensionDateError,
			)

	def validate_no_pending_duplicate(self):
		filters = {
			"slip": self.slip,
			"docstatus": 0,
			"workflow_state": ("in", PENDING),
			"name": ("!=", self.name),
		}
		if self.doctype == EXCLUSION:  # each department files for its own score
			filters["department"] = self.department
		pending = frappe.get_all(self.doctype, filters=filters, pluck="name")
		if pending:
			frappe.throw(
				_("{0} {1} for whistle {2} is already awaiting a decision.").format(
					_(self.doctype), pending[0], self.slip
				),
				DuplicateRequestError,
			)

	# --- what each step records: the effects named in rules.requests --------------------------------

	def on_file(self, step, moment):
		self.requested_by = frappe.session.user
		self.requested_on = moment

	def on_forward(self, step, moment):
		self.record_office_review(moment)
		self.office_review_opinion = self.flags.reason

	def on_reject(self, step, moment):
		if step.actor == OFFICE:
			self.record_office_review(moment)
		self.record_decision(moment, self.flags.reason)

	def on_approve(self, step, moment):
		if step.actor == OFFICE:
			self.record_office_review(moment)
		self.record_decision(moment, self.flags.reason or _(DEFAULT_APPROVAL_OPINION))

	def record_office_review(self, moment):
		if self.meta.has_field("office_reviewed_by"):
			self.office_reviewed_by = frappe.session.user
			self.office_reviewed_on = moment

	def record_decision(self, moment, reason: str | None):
		self.approved_by = frappe.session.user
		self.approved_on = moment
		self.decision_reason = reason

	def apply_to_slip(self):
		"""The approved request's effect, taken by the slip's own function for it (the slip writes
		its state-history row, which names this request)."""
		slip = frappe.get_doc("Whistle Slip", self.slip)
		reason, user, moment = self.slip_log_reason(), self.approved_by, self.approved_on
		if self.doctype == EXTENSION:
			slip.extend_completion(self.new_completion_date, reason, user, moment)
		elif self.doctype == EXEMPTION:
			slip.track_long_term(reason, user, moment)
		else:
			slip.exclude_from_assessment(self.department, reason, user, moment)
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


def recipients_for(request, step: Transition) -> list[str]:
	requester = [request.requested_by or request.owner]
	if step.next_state == OFFICE_REVIEW:
		return office_users()
	if step.next_state == LEADER_REVIEW:
		return district_leaders() + (requester if step.actor == OFFICE else [])
	return requester  # decided: the requester hears of the decision


def notify(request, step: Transition, reason: str | None = None) -> None:
	"""A system notification (and email) to whoever the step hands the request to (the request
	DocType's Notification record, which the administrator edits)."""
	context = {
		"action": step.action,
		"state": step.state,
		"next_state": step.next_state,
		"reason": escape_html(reason) if reason else None,
	}
	tell(REQUEST_STEP[request.doctype], request, recipients_for(request, step), context, after_commit=True)
