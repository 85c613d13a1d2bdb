"""The workflow kernel's data: a document's states and transitions as one table (framework-free).

Every workflow DocType of the app (the whistle slip, the three requests, and any that follow) is a
``Machine``: its states, the transitions between them (state, action, next state, actor, reason
required, effect), who holds each actor kind (roles), who may save without a step (editors) and
which states are final (submitted). ``whistle_app.kernel`` serves all of them on Frappe: it builds
the Frappe Workflow from the table, looks up the transition, checks the actor and the reason,
writes the state history and calls the named effect.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

SYSTEM_ACTOR = "system"  # taken by the app itself (an approved request), never offered to a user


@dataclass(frozen=True)
class Transition:
	state: str
	action: str
	next_state: str
	actor: str
	reason_required: bool = False
	# name of the function (a method of the DocType's controller) that carries the step out
	effect: str | None = None


@dataclass(frozen=True)
class Machine:
	workflow: str  # the Frappe Workflow's name
	doctype: str
	states: tuple[str, ...]
	transitions: tuple[Transition, ...]
	actor_roles: Mapping[str, tuple[str, ...]]
	# state -> the actor kinds who may save the document in it without taking a step
	editors: Mapping[str, frozenset[str]]
	styles: Mapping[str, str] = field(default_factory=dict)
	submitted: frozenset[str] = frozenset()  # states whose documents are submitted (docstatus 1)
	# the role that may edit a state nobody else edits (Frappe needs one row per state)
	fallback_editor: str = "Whistle Administrator"

	def __post_init__(self):
		for t in self.transitions:
			if t.state not in self.states or t.next_state not in self.states:
				raise ValueError(f"{self.doctype}: {t.action} uses a state outside the machine")
			if t.actor != SYSTEM_ACTOR and t.actor not in self.actor_roles:
				raise ValueError(f"{self.doctype}: {t.action} has no roles for actor {t.actor}")
		for key in (self.states[0], *self.editors):
			if key not in self.states:
				raise ValueError(f"{self.doctype}: unknown state {key}")

	@property
	def initial(self) -> str:
		return self.states[0]

	def find(self, state: str | None, action: str) -> Transition | None:
		"""The transition an action takes from a state."""
		return next((t for t in self.transitions if t.state == state and t.action == action), None)

	def between(self, state: str | None, next_state: str | None) -> Transition | None:
		"""The transition from one state to another (a user's: system steps are taken by name)."""
		return next(
			(
				t
				for t in self.transitions
				if t.state == state and t.next_state == next_state and t.actor != SYSTEM_ACTOR
			),
			None,
		)

	def available(self, state: str | None, kinds: Iterable[str]) -> list[Transition]:
		"""The transitions these actor kinds may take from a state."""
		kinds = set(kinds)
		return [t for t in self.transitions if t.state == state and t.actor in kinds]

	def may_edit(self, state: str | None, kinds: Iterable[str]) -> bool:
		return bool(self.editors.get(state, frozenset()) & set(kinds))

	def doc_status(self, state: str) -> str:
		return "1" if state in self.submitted else "0"

	def actions(self) -> list[str]:
		return list(dict.fromkeys(t.action for t in self.transitions if t.actor != SYSTEM_ACTOR))

	def frappe_states(self) -> list[dict]:
		"""The Frappe Workflow's state rows: one per state and editing role."""
		rows = []
		for state in self.states:
			editors = sorted(
				{role for actor in self.editors.get(state, ()) for role in self.actor_roles[actor]}
			)
			for role in editors or [self.fallback_editor]:
				rows.append({"state": state, "doc_status": self.doc_status(state), "allow_edit": role})
		return rows

	def frappe_transitions(self) -> list[dict]:
		"""The Frappe Workflow's transition rows: one per user transition and role (no system steps)."""
		return [
			{
				"state": t.state,
				"action": t.action,
				"next_state": t.next_state,
				"allowed": role,
				"allow_self_approval": 1,
			}
			for t in self.transitions
			if t.actor != SYSTEM_ACTOR
			for role in self.actor_roles[t.actor]
		]
