"""Accountability and fault tolerance (RULES §13) on the workflow kernel.

* **Accountability Case** (问责线索, ``WZ-2026-00001``): the Efficiency Office opens one from evidence
  (a decided Snail Award, an Annual Evaluation with the unit's consequence, a published bulletin
  naming the unit, a whistle slip the unit is on); the people concerned are the unit's §1 chain as
  of that day; 登记 → 核实 → 处理 / 移送 → 办结, each step with who, when and why in its history.
  Nobody deletes or cancels a case.
* **Fault Tolerance Application** (容错免责申请, ``RC-2026-00001``): the unit concerned applies
  against its open case; the Efficiency Office reviews; a District Leader decides. A grant closes
  the case without accountability through the case's own ``close_by_fault_tolerance`` (the kernel's
  system step 容错免责), so the case's history has one writer.

The tables are ``whistle_app.rules.accountability``; access is ``permissions.accountability_case_scope``
and ``fault_tolerance_scope`` (hooks' ``UNIT_SCOPED_DOCTYPES``).
"""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import escape_html, getdate

from whistle_app import kernel
from whistle_app.access import is_district_leader, is_efficiency_office
from whistle_app.language import stored_text
from whistle_app.notify import district_leaders, send, users_with_roles
from whistle_app.organisation import get_user_unit
from whistle_app.rules import accountability as ac
from whistle_app.rules.workflow import Transition

# --- errors (all refuse and change nothing) ------------------------------------------------------------


class AccountabilityError(frappe.ValidationError):
	"""Base of the refusals below."""


class AccountabilityStateError(AccountabilityError):
	"""The case or application is not in a state where this applies."""


class AccountabilityActorError(AccountabilityError):
	"""The user may not take this step (wrong role or unit)."""


class AccountabilityReasonError(AccountabilityError):
	"""A reason or a required record of the step is missing."""


class AccountabilityLockedError(AccountabilityError):
	"""The document cannot be changed (or deleted) now."""


class EvidenceError(AccountabilityError):
	"""The evidence does not exist or does not concern the unit."""


ERRORS = kernel.Errors(
	step=AccountabilityStateError,
	actor=AccountabilityActorError,
	reason=AccountabilityReasonError,
	locked=AccountabilityLockedError,
)


# --- who acts -------------------------------------------------------------------------------------------


def actor_kinds(doc, user: str | None = None) -> set[str]:
	"""The actor kinds this user holds on a case or application: role, and for the unit its unit."""
	user = user or frappe.session.user
	kinds = set()
	if is_efficiency_office(user):
		kinds.add(ac.EFFICIENCY)
	if is_district_leader(user):
		kinds.add(ac.LEADER)
	unit = get_user_unit(user)
	if (
		unit
		and unit == doc.get("whistle_unit")
		and set(frappe.get_roles(user)) & set(ac.ACTOR_ROLES[ac.UNIT])
	):
		kinds.add(ac.UNIT)
	return kinds


CASE_SPEC = kernel.register(
	kernel.Spec(
		machine=ac.CASE_MACHINE,
		actor_kinds=actor_kinds,
		actor_labels=ac.ACTOR_LABELS,
		errors=ERRORS,
		history_table="history",
	)
)
APPLICATION_SPEC = kernel.register(
	kernel.Spec(
		machine=ac.APPLICATION_MACHINE,
		actor_kinds=actor_kinds,
		actor_labels=ac.ACTOR_LABELS,
		errors=ERRORS,
	)
)


def sync_accountability_workflows() -> None:
	"""Install or update both workflows from their committed JSON (install, migrate)."""
	kernel.sync(CASE_SPEC)
	kernel.sync(APPLICATION_SPEC)


@frappe.whitelist()
def act(doctype: str, name: str, action: str, reason: str | None = None) -> str:
	"""Take a workflow action on an accountability case or a fault-tolerance application, with the
	reason it needs; returns the new state. Nothing changes when a check fails."""
	if doctype not in (ac.CASE, ac.APPLICATION):
		frappe.throw(_("{0} is not an accountability document.").format(_(doctype)), AccountabilityError)
	return kernel.act(doctype, name, action, reason)


def changed(doc, before, field: str) -> bool:
	"""Whether a field differs from its stored value (dates compared as dates)."""
	new, old = doc.get(field), before.get(field)
	if doc.meta.get_field(field).fieldtype == "Date":
		return (getdate(new) if new else None) != (getdate(old) if old else None)
	return str(new or "") != str(old or "")


def refuse_delete(doc) -> None:
	frappe.throw(
		_("{0} {1} is part of the accountability record; nothing in it is deleted.").format(
			_(doc.doctype), doc.name
		),
		AccountabilityLockedError,
	)


# --- the case ------------------------------------------------------------------------------------------

CASE_OPENING_FIELDS = ("evidence_type", "evidence", "whistle_unit")
CASE_FACT_FIELDS = ("kind", "facts")
CASE_DECISION_FIELDS = ("outcome", "outcome_details")
CASE_REFERRAL_FIELDS = ("referral_date", "referral_number")


class CaseController(Document):
	"""Behaviour of Accountability Case (its DocType's controller subclasses this)."""

	def validate(self):
		before = self.get_doc_before_save()
		self.validate_opener()
		step = kernel.check(self)
		self.validate_fixed_fields(before, step)
		self.validate_evidence()
		if self.is_new():
			self.set_opening()
		kernel.apply(self, step)  # on_verify, on_decide, on_refer, on_close

	def on_update(self):
		if step := self.flags.get("step"):
			notify_case(self, step, self.flags.get("reason"))

	def on_trash(self):
		refuse_delete(self)

	# --- checks ---------------------------------------------------------------------------------------

	def validate_opener(self):
		if self.is_new() and ac.EFFICIENCY not in actor_kinds(self):
			frappe.throw(
				_("Only the Efficiency Office opens an accountability case."), AccountabilityActorError
			)

	def validate_fixed_fields(self, before, step):
		"""What the case is about never changes; the facts are fixed once decided or referred, the
		decision and referral once taken."""
		if not before:
			return
		fixed = list(CASE_OPENING_FIELDS)
		if before.workflow_state not in (ac.REGISTERED, ac.VERIFYING):
			fixed += CASE_FACT_FIELDS + CASE_DECISION_FIELDS + CASE_REFERRAL_FIELDS
		for field in fixed:
			if changed(self, before, field):
				frappe.throw(
					_("{0} of {1} {2} can no longer be changed.").format(
						_(self.meta.get_label(field)), _(self.doctype), self.name
					),
					AccountabilityLockedError,
				)

	def validate_evidence(self):
		"""The evidence exists and concerns the unit (RULES §13: opened from evidence)."""
		if self.evidence_type not in ac.EVIDENCE_TYPES or not self.evidence:
			frappe.throw(_("Please choose the evidence this case is opened from."), EvidenceError)
		if not frappe.db.exists(self.evidence_type, self.evidence):
			frappe.throw(
				_("{0} {1} does not exist.").format(_(self.evidence_type), self.evidence), EvidenceError
			)
		if not self.whistle_unit and self.evidence_type == ac.SNAIL_AWARD:
			self.whistle_unit = frappe.db.get_value(ac.SNAIL_AWARD, self.evidence, "whistle_unit")
		if not self.whistle_unit:
			frappe.throw(_("Please choose the unit concerned."), EvidenceError)
		if not evidence_concerns(self.evidence_type, self.evidence, self.whistle_unit):
			frappe.throw(
				_("{0} {1} is not evidence concerning {2}: {3}").format(
					_(self.evidence_type),
					self.evidence,
					self.whistle_unit,
					_(EVIDENCE_RULES[self.evidence_type]),
				),
				EvidenceError,
			)

	def set_opening(self):
		"""Opened today by the Efficiency Office, naming the unit's chain as it stands today."""
		self.opened_on = getdate(kernel.now())
		self.registered_by = frappe.session.user
		unit = frappe.db.get_value(
			"Whistle Unit",
			self.whistle_unit,
			["division_name", *[f for row in ac.CHAIN for f in row[1:]]],
			as_dict=True,
		)
		self.set("people", ac.people_concerned(unit or {}))

	# --- the steps' effects (named in rules.accountability) ----------------------------------------

	def on_verify(self, step, moment):
		self.verified_by = frappe.session.user
		self.verified_on = moment

	def on_decide(self, step, moment):
		if not self.outcome:
			frappe.throw(
				_("Please choose the outcome before {0}.").format(step.action), AccountabilityReasonError
			)
		self.decided_by = frappe.session.user
		self.decided_on = moment

	def on_refer(self, step, moment):
		if not self.referral_date or not (self.referral_number or "").strip():
			frappe.throw(
				_("Please enter the referral date and reference number before {0}.").format(step.action),
				AccountabilityReasonError,
			)
		self.referred_by = frappe.session.user

	def on_close(self, step, moment):
		if step.state == ac.REFERRED and not (self.referral_result or "").strip():
			frappe.throw(
				_("Please enter the result of the referral before closing the case."),
				AccountabilityReasonError,
			)
		self.record_closing(frappe.session.user, moment, self.flags.reason)

	def record_closing(self, user, moment, reason):
		self.closed_by = user
		self.closed_on = moment
		self.closing_reason = reason

	# --- the app's own step -------------------------------------------------------------------------

	def close_by_fault_tolerance(self, application: str, reason: str, user: str, moment) -> None:
		"""A granted fault-tolerance application closes the case without accountability (RULES §13):
		the kernel's system step 容错免责, with the application and the leader's reason."""
		why = _("Fault tolerance granted ({0} {1}): {2}").format(_(ac.APPLICATION), application, reason)
		kernel.take_system_step(
			self,
			ac.TOLERATE,
			{
				"without_accountability": 1,
				"fault_tolerance_application": application,
				"closed_by": user,
				"closed_on": moment,
				"closing_reason": why,
			},
			why,
			user,
			moment,
		)
		self.add_comment("Info", why)


EVIDENCE_RULES = {
	ac.SNAIL_AWARD: "a Snail Award of the unit that the Efficiency Office has confirmed",
	ac.ANNUAL_EVALUATION: "an annual evaluation with a row of the unit",
	ac.BULLETIN: "a published supervision bulletin naming the unit",
	ac.SLIP: "a whistle of the unit or with the unit as a department",
}


def evidence_concerns(evidence_type: str, name: str, unit: str) -> bool:
	if evidence_type == ac.SNAIL_AWARD:
		return bool(
			frappe.db.exists(ac.SNAIL_AWARD, {"name": name, "whistle_unit": unit, "status": "Awarded"})
		)
	if evidence_type == ac.ANNUAL_EVALUATION:
		return bool(
			frappe.db.exists(
				"Annual Evaluation Unit",
				{"parent": name, "parenttype": ac.ANNUAL_EVALUATION, "whistle_unit": unit},
			)
		)
	if evidence_type == ac.BULLETIN:
		return frappe.db.get_value(ac.BULLETIN, name, "docstatus") == 1 and bool(
			frappe.db.exists(
				"Supervision Bulletin Named Unit",
				{"parent": name, "parenttype": ac.BULLETIN, "department": unit},
			)
		)
	if evidence_type == ac.SLIP:
		return frappe.db.get_value(ac.SLIP, name, "whistle_unit") == unit or bool(
			frappe.db.exists(
				"Whistle Slip Department", {"parent": name, "parenttype": ac.SLIP, "department": unit}
			)
		)
	return False


# --- the application ------------------------------------------------------------------------------

APPLICANT_FIELDS = ("case", "reason", "description", "evidence_attachment")


class ApplicationController(Document):
	"""Behaviour of Fault Tolerance Application (its DocType's controller subclasses this)."""

	def validate(self):
		before = self.get_doc_before_save()
		if self.is_new() and self.case:
			self.whistle_unit = frappe.db.get_value(ac.CASE, self.case, "whistle_unit")
		elif before:
			self.whistle_unit = before.whistle_unit
		self.validate_applicant()
		step = kernel.check(self)
		self.validate_applicant_fields(before)
		if self.workflow_state == ac.DRAFT or (step and step.next_state != ac.REFUSED):
			self.validate_case(filing=bool(step and step.state == ac.DRAFT))
		kernel.apply(self, step)  # on_file, on_forward, on_grant, on_refuse

	def on_update(self):
		step = self.flags.get("step")
		if step and step.next_state not in ac.APPLICATION_DECIDED:
			notify_application(self, step, self.flags.get("reason"))

	def on_submit(self):
		step = self.flags.get("step")
		if self.workflow_state == ac.GRANTED:
			frappe.get_doc(ac.CASE, self.case).close_by_fault_tolerance(
				self.name, self.decision_reason, self.decided_by, self.decided_on
			)
		if step:
			notify_application(self, step, self.flags.get("reason"))

	def before_update_after_submit(self):
		frappe.throw(
			_("{0} {1} has been decided; it cannot be changed.").format(_(self.doctype), self.name),
			AccountabilityLockedError,
		)

	def on_cancel(self):
		frappe.throw(
			_("A decided {0} is never cancelled.").format(_(self.doctype)), AccountabilityLockedError
		)

	def on_trash(self):
		if self.workflow_state not in (ac.DRAFT, None, ""):
			refuse_delete(self)

	# --- checks ---------------------------------------------------------------------------------------

	def validate_applicant(self):
		if self.is_new() and ac.UNIT not in actor_kinds(self):
			frappe.throw(
				_("Only the unit concerned applies for fault tolerance on its own accountability case."),
				AccountabilityActorError,
			)

	def validate_applicant_fields(self, before):
		if not before or before.workflow_state == ac.DRAFT:
			return
		for field in APPLICANT_FIELDS:
			if changed(self, before, field):
				frappe.throw(
					_("{0} {1} has been filed; its content cannot be changed.").format(
						_(self.doctype), self.name
					),
					AccountabilityLockedError,
				)

	def validate_case(self, filing: bool):
		state = frappe.db.get_value(ac.CASE, self.case, "workflow_state") if self.case else None
		if state not in ac.TOLERABLE_STATES:
			frappe.throw(
				_("Fault tolerance applies only to a case in state {0}; case {1} is in state {2}.").format(
					"、".join(ac.TOLERABLE_STATES), self.case or "—", state or "—"
				),
				AccountabilityStateError,
			)
		if not (self.description or "").strip():
			frappe.throw(_("Please explain the grounds for fault tolerance."), AccountabilityReasonError)
		if filing:
			pending = frappe.get_all(
				ac.APPLICATION,
				filters={
					"case": self.case,
					"docstatus": 0,
					"workflow_state": ("in", ac.APPLICATION_PENDING),
					"name": ("!=", self.name),
				},
				pluck="name",
			)
			if pending:
				frappe.throw(
					_("{0} {1} for case {2} is already awaiting a decision.").format(
						_(self.doctype), pending[0], self.case
					),
					AccountabilityStateError,
				)

	# --- the steps' effects --------------------------------------------------------------------------

	def on_file(self, step, moment):
		self.applied_by = frappe.session.user
		self.applied_on = moment

	def on_forward(self, step, moment):
		self.record_review(moment, self.flags.reason)

	def on_refuse(self, step, moment):
		if step.actor == ac.EFFICIENCY:
			self.record_review(moment, self.flags.reason)
		self.record_decision(moment, self.flags.reason)

	def on_grant(self, step, moment):
		self.record_decision(moment, self.flags.reason)

	def record_review(self, moment, opinion):
		self.reviewed_by = frappe.session.user
		self.reviewed_on = moment
		self.review_opinion = opinion

	def record_decision(self, moment, reason):
		self.decided_by = frappe.session.user
		self.decided_on = moment
		self.decision_reason = reason


# --- notifications ---------------------------------------------------------------------------------------


def efficiency_office() -> list[str]:
	return users_with_roles(["Efficiency Office"])


def notify_case(case, step: Transition, reason: str | None) -> None:
	"""A decided, referred or closed case is told to the unit's chain users (they now see it)."""
	if step.next_state not in ac.UNIT_VISIBLE_STATES:
		return
	users = [row.user for row in case.people if row.user]
	_send(users, case, step, reason)


def notify_application(application, step: Transition, reason: str | None) -> None:
	if step.next_state == ac.REVIEW:
		users = efficiency_office()
	elif step.next_state == ac.LEADER_DECISION:
		users = [*district_leaders(), application.applied_by]
	else:
		users = [application.applied_by, application.reviewed_by, *efficiency_office()]
	_send(users, application, step, reason)


def _send(users, doc, step: Transition, reason: str | None) -> None:
	# stored and read by everyone: in the site's language, whoever acts
	subject = stored_text("{0} {1}: {2} → {3}").format(
		stored_text(doc.doctype), doc.name, step.action, step.next_state
	)
	body = subject + ("<br>" + stored_text("Reason: {0}").format(escape_html(reason)) if reason else "")
	send([u for u in users if u], doc.doctype, doc.name, subject, body, after_commit=True)
