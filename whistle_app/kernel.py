"""The workflow kernel on Frappe: one adapter for every workflow DocType of the app.

A workflow DocType is a ``rules.workflow.Machine`` (its transition table) plus a ``Spec`` here: how
to tell the actor kinds a user holds on a document, the errors it raises, the labels of its actors
and the table of its state history. The kernel owns, for all of them:

* the Frappe Workflow built from the table and kept in sync (``build_workflow``, ``sync``);
* taking an action (``act``): the transition, the actor check and the reason check first with a
  clear message, then Frappe's ``apply_workflow`` (save, or submit for a final state);
* the same checks on every save (``validate``): a change of state is a transition of the table
  taken by its actor, with its reason; without a step only the state's editors may save;
* the state-history row of each step (``record``), the only writer of such rows;
* the named effect of each step (``run_effect``): a method of the DocType's controller;
* the app's own steps (``take_system_step``), e.g. a slip's when a request is approved.

Adding a workflow DocType: write its ``Machine`` in ``rules/``, ``register`` a ``Spec`` for it,
call ``kernel.validate(self)`` from the controller's ``validate`` and ``kernel.sync`` on migrate.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.model.workflow import apply_workflow
from frappe.utils import now_datetime

from whistle_app.rules.workflow import SYSTEM_ACTOR, Machine, Transition
from whistle_app.workflows import install_workflow, workflow_doc


class WorkflowStepError(frappe.ValidationError):
	"""A step that the document's state or its table does not allow."""


class WorkflowActorError(frappe.ValidationError):
	"""The user is not the actor of this step."""


class WorkflowReasonError(frappe.ValidationError):
	"""The step needs a reason and none was given."""


class WorkflowLockedError(frappe.ValidationError):
	"""The document cannot be changed in its state by this user."""


@dataclass(frozen=True)
class Errors:
	step: type[Exception] = WorkflowStepError
	actor: type[Exception] = WorkflowActorError
	reason: type[Exception] = WorkflowReasonError
	locked: type[Exception] = WorkflowLockedError


@dataclass(frozen=True)
class Spec:
	machine: Machine
	actor_kinds: Callable[..., set[str]]  # (doc, user=None) -> actor kinds the user holds on doc
	actor_labels: dict[str, str]
	errors: Errors = field(default_factory=Errors)
	history_table: str | None = None  # child table of state-history rows, if the DocType keeps one
	# extra test of a save without a step (e.g. the slip's reason saved before its action)
	may_save: Callable[..., bool] | None = None

	@property
	def doctype(self) -> str:
		return self.machine.doctype

	@property
	def workflow_path(self) -> Path:
		folder = frappe.scrub(self.machine.workflow)
		return Path(__file__).parent / "whistle" / "workflow" / folder / f"{folder}.json"


SPECS: dict[str, Spec] = {}


def register(spec: Spec) -> Spec:
	SPECS[spec.doctype] = spec
	return spec


def spec_of(doctype: str) -> Spec:
	if doctype not in SPECS:
		frappe.throw(_("{0} is not a whistle request.").format(_(doctype)), WorkflowStepError)
	return SPECS[doctype]


def now():
	"""The current Asia/Shanghai time (system time zone): ``frappe.flags.current_datetime`` when set
	(demo data and jobs replaying the past), else the clock (which tests freeze)."""
	return frappe.flags.current_datetime or now_datetime()


# --- the Frappe Workflow --------------------------------------------------------------------------


def build_workflow(machine: Machine) -> dict:
	"""The Frappe Workflow of a machine: what its committed JSON holds."""
	return workflow_doc(
		machine.workflow, machine.doctype, machine.frappe_states(), machine.frappe_transitions()
	)


def sync(spec: Spec) -> bool:
	"""Install or update a workflow from its committed JSON (on install and migrate)."""
	return install_workflow(json.loads(spec.workflow_path.read_text()), spec.machine.styles)


def sync_all() -> None:
	for spec in SPECS.values():
		sync(spec)


# --- checks -----------------------------------------------------------------------------------------


def label(doc: Document) -> str:
	return f"{_(doc.doctype)} {doc.name or ''}".strip()


def check_actor(spec: Spec, doc: Document, t: Transition, kinds: set[str] | None = None) -> None:
	kinds = spec.actor_kinds(doc) if kinds is None else kinds
	if t.actor == SYSTEM_ACTOR or t.actor not in kinds:
		frappe.throw(
			_("Only {0} may take the action {1} on {2} {3}.").format(
				_(spec.actor_labels.get(t.actor, t.actor)), t.action, _(doc.doctype), doc.name or ""
			),
			spec.errors.actor,
		)


def check_reason(spec: Spec, t: Transition, reason: str | None) -> str | None:
	reason = (reason or "").strip()
	if t.reason_required and not reason:
		frappe.throw(_("The action {0} needs a reason.").format(t.action), spec.errors.reason)
	return reason or None


def step_of(spec: Spec, doc: Document) -> Transition | None:
	"""The transition a save makes (None when the state stays); refused when the table has none."""
	before = doc.get_doc_before_save()
	if not before:
		if doc.workflow_state not in (None, "", spec.machine.initial):
			frappe.throw(
				_("A new {0} starts as {1}.").format(_(doc.doctype), spec.machine.initial), spec.errors.step
			)
		doc.workflow_state = spec.machine.initial
		return None
	old, new = before.workflow_state, doc.workflow_state
	if not old or old == new:
		return None
	t = spec.machine.between(old, new)
	if not t:
		frappe.throw(_("{0} cannot go from {1} to {2}.").format(label(doc), old, new), spec.errors.step)
	return t


def check_docstatus(spec: Spec, doc: Document, t: Transition | None) -> None:
	"""A document is submitted by the step into a final state, and only by it."""
	final = bool(t and t.next_state in spec.machine.submitted)
	if spec.machine.submitted and (doc.docstatus == 1) != final:
		frappe.throw(_("{0} is submitted only by its decision.").format(_(doc.doctype)), spec.errors.step)


def check_editor(spec: Spec, doc: Document, kinds: set[str] | None = None) -> None:
	"""Without a step, only the actor kinds the state waits for may save."""
	kinds = spec.actor_kinds(doc) if kinds is None else kinds
	if spec.machine.may_edit(doc.workflow_state, kinds):
		return
	if spec.may_save and spec.may_save(doc, kinds):
		return
	frappe.throw(
		_("{0} {1} is in state {2}; you cannot change it now.").format(
			_(doc.doctype), doc.name, doc.workflow_state
		),
		spec.errors.locked,
	)


def check(doc: Document, reason_field: str = "action_reason") -> Transition | None:
	"""The checks of every save of a workflow document: the step it takes (its table, actor and
	reason), or, without a step, the editor's right to save. Returns the step, which is kept with its
	reason in ``doc.flags.step`` / ``doc.flags.reason`` for ``apply`` and ``on_update``."""
	spec = spec_of(doc.doctype)
	doc.flags.step = doc.flags.reason = None
	keep_history(spec, doc)
	t = step_of(spec, doc)
	check_docstatus(spec, doc, t)
	if not t:
		if not doc.is_new():
			check_editor(spec, doc)
		return None
	check_actor(spec, doc, t)
	doc.flags.step, doc.flags.reason = t, check_reason(spec, t, doc.get(reason_field))
	return t


def apply(doc: Document, t: Transition | None, reason_field: str = "action_reason") -> None:
	"""Carry a checked step out: its named effect, then its state-history row; the reason is consumed
	(it is kept in the history or in the document's own fields)."""
	if not t:
		return
	moment = now()
	run_effect(doc, t, moment)
	record(spec_of(doc.doctype), doc, t, doc.flags.reason, moment)
	doc.set(reason_field, None)


def validate(doc: Document, reason_field: str = "action_reason") -> Transition | None:
	"""``check`` and ``apply`` in one: for a controller with no checks of its own in between."""
	t = check(doc, reason_field)
	apply(doc, t, reason_field)
	return t


def run_effect(doc: Document, t: Transition, moment) -> None:
	if t.effect:
		getattr(doc, t.effect)(t, moment)


# --- state history -----------------------------------------------------------------------------------


def keep_history(spec: Spec, doc: Document) -> None:
	"""The state history is written by the kernel only: whatever a client sends is replaced."""
	if not spec.history_table:
		return
	before = doc.get_doc_before_save()
	if before:
		doc.set(spec.history_table, [row.as_dict() for row in before.get(spec.history_table)])
	else:  # a new document has no history yet
		doc.set(spec.history_table, [])


def record(
	spec: Spec,
	doc: Document,
	t: Transition,
	reason: str | None,
	moment,
	user: str | None = None,
	persist: bool = False,
) -> None:
	"""The state-history row of a step (the only writer of such rows). ``persist`` writes it at
	once, for a step taken outside the document's own save (``take_system_step``)."""
	if not spec.history_table:
		return
	row = doc.append(
		spec.history_table,
		{
			"changed_on": moment,
			"from_state": t.state,
			"action": t.action,
			"to_state": t.next_state,
			"changed_by": user or frappe.session.user,
			"reason": reason,
		},
	)
	if persist:
		row.db_insert()


# --- taking steps ---------------------------------------------------------------------------------------


def act(doctype: str, name: str, action: str, reason: str | None = None, perm: str = "read") -> str:
	"""Take an action on a workflow document, with the reason it needs; returns the new state.

	State, actor and reason are checked first with clear messages; then Frappe's ``apply_workflow``
	saves (or, for a final state, submits) the document, whose ``validate`` checks all of it once
	more. Nothing changes when a check fails.
	"""

	spec = spec_of(doctype)
	doc = frappe.get_doc(doctype, name)
	doc.check_permission(perm)
	t = spec.machine.find(doc.workflow_state, action)
	if not t or t.actor == SYSTEM_ACTOR:
		not_now(spec, doc, action)
	check_actor(spec, doc, t)
	if reason is None:
		reason = doc.get("action_reason")  # saved before the action (the desk saves it first)
	check_reason(spec, t, reason)
	doc.db_set("action_reason", reason, update_modified=False)
	doc = apply_workflow(doc.as_dict(), action)
	return doc.workflow_state


def not_now(spec: Spec, doc: Document, action: str):
	frappe.throw(
		_("{0} {1} is in state {2}; the action {3} is not possible now.").format(
			_(doc.doctype), doc.name, doc.workflow_state, action
		),
		spec.errors.step,
	)


def take_system_step(
	doc: Document, action: str, values: dict, reason: str | None, user: str, moment
) -> Transition:
	"""A step the app takes on a document (not a user's action): ``values`` written and the history
	row recorded at once. Used by the document's own named functions, never from outside it."""
	spec = spec_of(doc.doctype)
	t = spec.machine.find(doc.workflow_state, action)
	if not t or t.actor != SYSTEM_ACTOR:
		not_now(spec, doc, action)
	record(spec, doc, t, reason, moment, user=user, persist=True)
	doc.db_set({**values, "workflow_state": t.next_state})
	return t


def available_actions(doc: Document) -> list[dict]:
	"""The actions this user may take on the document now (state, role and unit all count)."""
	spec = spec_of(doc.doctype)
	return [
		{"action": t.action, "reason_required": t.reason_required}
		for t in spec.machine.available(doc.workflow_state, spec.actor_kinds(doc))
	]
