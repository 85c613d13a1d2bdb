# Copyright (c) 2026, whistle_app developers
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import get_datetime, getdate

from whistle_app.calendar import compute_deadline, unconfirmed_warning
from whistle_app.lifecycle import (
	SlipActionError,
	SlipRoutingError,
	actor_kinds,
	department_pairs,
	notify,
	now,
)
from whistle_app.organisation import REPORTING_UNIT, WHISTLING_TYPES, get_unit_type, get_user_unit
from whistle_app.ratings import create_drafts, validate_closure
from whistle_app.rules import ratings as rr
from whistle_app.rules import lifecycle as lc

ROUTING_MESSAGES = {
	"scope_missing": "Choose the scope of the whistle before dispatching it.",
	"no_departments": "Add at least one department before dispatching.",
	"department_twice": "Department {unit} appears twice on the slip.",
	"not_reporting_unit": "{unit} is not a reporting unit; only reporting units can be dispatched to.",
	"role_missing": "Set the role of department {unit} on the slip.",
	"single_needs_one_sole": "A single-department whistle goes to exactly one department, as sole department.",
	"multi_needs_one_lead": "A multi-department whistle needs exactly one lead department.",
	"multi_needs_co": "A multi-department whistle needs at least one co-department.",
	"cross_level_needs_body": "A cross-level whistle needs the higher-level body it is forwarded to.",
}
REPORT_FIELD_LABELS = {
	"work_plan": "Work Plan",
	"planned_completion": "Planned Completion Date",
	"responsible_persons": "Responsible Persons",
}


class WhistleSlip(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF
		from whistle_app.whistle.doctype.whistle_slip_department.whistle_slip_department import (
			WhistleSlipDepartment,
		)
		from whistle_app.whistle.doctype.whistle_slip_progress.whistle_slip_progress import (
			WhistleSlipProgress,
		)
		from whistle_app.whistle.doctype.whistle_slip_state_log.whistle_slip_state_log import (
			WhistleSlipStateLog,
		)

		action_reason: DF.SmallText | None
		calendar_warning: DF.Data | None
		category: DF.Literal[
			"",
			"Efficiency Improvement",
			"Comprehensive Coordination",
			"Docking and Striving",
			"Case by Case",
			"Other",
		]
		closed_on: DF.Datetime | None
		completed_on: DF.Datetime | None
		completion_deadline: DF.Datetime | None
		completion_status: DF.Literal["", "Met", "Late"]
		confirmed_on: DF.Datetime | None
		contact_person: DF.Data | None
		contact_phone: DF.Data | None
		demand: DF.SmallText | None
		departments: DF.Table[WhistleSlipDepartment]
		description: DF.SmallText
		dispatched_by: DF.Link | None
		dispatched_on: DF.Datetime | None
		enterprise: DF.Link | None
		enterprise_demand: DF.Link | None
		excluded_from_assessment: DF.Check
		green_channel: DF.Check
		green_channel_kind: DF.Literal[
			"", "Provincial or Municipal Major Project", "District Key Project", "Chain Project"
		]
		higher_level_body: DF.Data | None
		long_term_tracking: DF.Check
		meeting_date: DF.Datetime | None
		meeting_deadline: DF.Datetime | None
		meeting_departments: DF.SmallText | None
		meeting_minutes: DF.SmallText | None
		meeting_recorded_on: DF.Datetime | None
		meeting_solution: DF.SmallText | None
		meeting_status: DF.Literal["", "Met", "Late"]
		meeting_task_division: DF.SmallText | None
		naming_series: DF.Literal["CS-.YYYY.-"]
		overdue: DF.Check
		planned_completion: DF.Date | None
		progress: DF.Table[WhistleSlipProgress]
		project_kind: DF.Literal["", "Industrial Project", "Livelihood Project", "None"]
		project_name: DF.Data | None
		rehandle_count: DF.Int
		reported_by: DF.Link | None
		reported_on: DF.Datetime | None
		response_deadline: DF.Datetime | None
		response_status: DF.Literal["", "Met", "Late"]
		responsible_persons: DF.Data | None
		result: DF.SmallText | None
		scope: DF.Literal["", "Single", "Multi", "Cross-level"]
		state_log: DF.Table[WhistleSlipStateLog]
		title: DF.Data
		warning_level: DF.Literal["\u6b63\u5e38", "\u4e34\u671f", "\u903e\u671f", "\u4e25\u91cd\u903e\u671f"]
		whistle_unit: DF.Link
		work_plan: DF.SmallText | None

	# end: auto-generated types
	def before_insert(self):
		self.set_whistle_unit()

	def validate(self):
		self.keep_state_history()
		self.validate_whistle_unit()
		transition = self.get_transition()
		if transition:
			self.validate_actor(transition)
			self.validate_reason(transition)
		else:
			self.validate_editor()
		self.validate_progress_entries()
		if transition:
			self.apply_transition(transition)
			self.flags.transition = transition
			self.action_reason = None  # consumed: it is kept in the state history

	def on_update(self):
		transition = self.flags.pop("transition", None)
		if transition:
			if transition.next_state == rr.DRAFTS_ON:
				create_drafts(self)  # §5: the ratings the slip now owes, as drafts for the raters
			notify(self, transition, self.flags.pop("reason", None))

	# --- filing -----------------------------------------------------------------------------------

	def set_whistle_unit(self):
		if not self.whistle_unit:
			unit = get_user_unit()
			if get_unit_type(unit) in WHISTLING_TYPES:
				self.whistle_unit = unit

	def validate_whistle_unit(self):
		if get_unit_type(self.whistle_unit) not in WHISTLING_TYPES:
			frappe.throw(
				_("Only a park or town can blow the whistle; {0} is not one.").format(self.whistle_unit)
			)

	# --- who may do what ----------------------------------------------------------------------------

	def get_transition(self) -> lc.Transition | None:
		before = self.get_doc_before_save()
		old = before.workflow_state if before else None
		if not old or old == self.workflow_state:
			return None
		transition = lc.find_transition(old, self.workflow_state)
		if not transition:
			frappe.throw(
				_("A whistle cannot go from {0} to {1}.").format(old, self.workflow_state), SlipActionError
			)
		return transition

	def validate_actor(self, transition: lc.Transition):
		if transition.actor not in actor_kinds(self):
			frappe.throw(
				_("Only {0} may take the action {1} on this whistle.").format(
					_(ACTOR_LABELS[transition.actor]), transition.action
				),
				frappe.PermissionError,
			)

	def validate_reason(self, transition: lc.Transition):
		reason = (self.action_reason or "").strip()
		if transition.reason_required and not reason:
			frappe.throw(_("The action {0} needs a reason.").format(transition.action), SlipActionError)
		self.flags.reason = reason or None

	def keep_state_history(self):
		"""The state history is written by the server only: whatever a client sends is replaced."""
		before = self.get_doc_before_save()
		if before:
			self.set("state_log", [row.as_dict() for row in before.state_log])

	def validate_editor(self):
		if self.is_new():
			return
		state = self.workflow_state
		kinds = actor_kinds(self)
		if lc.EDITORS.get(state, frozenset()) & kinds:
			return
		if self.only_reason_changed() and any(
			t.state == state and t.reason_required and t.actor in kinds for t in lc.TRANSITIONS
		):
			return  # the desk saves the reason first, then takes the action (whistle_slip.js)
		frappe.throw(
			_("Whistle {0} is in state {1}; you cannot change it now.").format(self.name, state),
			SlipActionError,
		)

	def only_reason_changed(self) -> bool:
		before = self.get_doc_before_save()
		skip = {"action_reason", "modified", "modified_by"}
		for df in self.meta.fields:
			if df.fieldname in skip or df.fieldtype in ("Section Break", "Column Break", "Tab Break"):
				continue
			if df.fieldtype == "Table":
				if len(self.get(df.fieldname) or []) != len(before.get(df.fieldname) or []):
					return False
			elif (self.get(df.fieldname) or None) != (before.get(df.fieldname) or None):
				return False
		return True

	def validate_progress_entries(self):
		"""Entries already saved never change; a new entry is stamped with its author and unit."""
		before = self.get_doc_before_save()
		old = {row.name: row for row in (before.progress if before else [])}
		for row in self.progress:
			if row.name in old:
				prev = old[row.name]
				if (row.content, row.department, row.entered_by) != (
					prev.content,
					prev.department,
					prev.entered_by,
				):
					frappe.throw(_("Saved progress entries cannot be changed."), SlipActionError)
				continue
			if self.workflow_state not in lc.PROGRESS_STATES:
				frappe.throw(
					_("Progress can be added only while the whistle is being handled."), SlipActionError
				)
			kinds = actor_kinds(self)
			if not kinds & {lc.DEPARTMENT_ACTOR, lc.OFFICE_ACTOR}:
				frappe.throw(
					_("Only the departments on the whistle and the office add progress."), SlipActionError
				)
			row.entered_by = frappe.session.user
			row.department = get_user_unit() or row.department
			row.entry_time = now()
		removed = set(old) - {row.name for row in self.progress}
		if removed:
			frappe.throw(_("Saved progress entries cannot be removed."), SlipActionError)

	# --- what each step does --------------------------------------------------------------------------

	def apply_transition(self, transition: lc.Transition):
		moment = now()
		handler = {
			lc.DISPATCHED: self.on_dispatch,
			lc.REPORTED: self.on_report,
			lc.HANDLING: self.on_handling,
			lc.COMPLETED: self.on_completion,
			lc.CONFIRMED: self.on_confirmation,
			lc.CLOSED: self.on_closure,
		}.get(transition.next_state)
		if handler:
			handler(transition, moment)
		self.append(
			"state_log",
			{
				"changed_on": moment,
				"from_state": transition.state,
				"action": transition.action,
				"to_state": transition.next_state,
				"changed_by": frappe.session.user,
				"reason": self.flags.reason,
			},
		)

	def on_dispatch(self, transition, moment):
		if transition.state == lc.REPORTED:  # report sent back for rework: the clocks keep running
			return
		self.validate_routing()
		self.dispatched_on = moment
		self.dispatched_by = frappe.session.user
		self.response_deadline, confirmed = compute_deadline(moment, lc.RESPONSE_DAYS)
		warnings = [] if confirmed else [unconfirmed_warning(self.response_deadline)]
		if lc.needs_joint_meeting(department_pairs(self)):
			self.meeting_deadline, confirmed = compute_deadline(moment, lc.MEETING_DAYS)
			if not confirmed:
				warnings.append(unconfirmed_warning(self.meeting_deadline))
		self.calendar_warning = warnings[0] if warnings else None
		for row in self.departments:
			row.dept_status = "Pending"

	def validate_routing(self):
		reporting_units = set(
			frappe.get_all(
				"Whistle Unit",
				filters={
					"name": ("in", [d for d, _r in department_pairs(self)]),
					"unit_type": REPORTING_UNIT,
				},
				pluck="name",
			)
		)
		try:
			lc.validate_routing(self.scope, department_pairs(self), reporting_units, self.higher_level_body)
		except lc.RoutingError as e:
			frappe.throw(_(ROUTING_MESSAGES[e.code]).format(**e.params), SlipRoutingError)

	def on_report(self, transition, moment):
		missing = lc.missing_report_fields(self.work_plan, self.planned_completion, self.responsible_persons)
		if missing:
			frappe.throw(
				_("The report for duty needs: {0}.").format(
					"、".join(_(REPORT_FIELD_LABELS[f]) for f in missing)
				),
				SlipActionError,
			)
		if getdate(self.planned_completion) < getdate(self.dispatched_on):
			frappe.throw(_("The completion deadline cannot be before the dispatch date."), SlipActionError)
		pairs = department_pairs(self)
		if lc.needs_joint_meeting(pairs):
			self.validate_joint_meeting(moment)
		self.reported_on = moment
		self.reported_by = frappe.session.user
		if not self.response_status:  # the first report answers the response clock
			self.response_status = lc.mark(moment, get_datetime(self.response_deadline))
		self.completion_deadline = get_datetime(f"{self.planned_completion} 23:59:59")
		reporting = lc.reporting_department(pairs)
		for row in self.departments:
			if row.department == reporting:
				row.dept_status = "Reported"

	def validate_joint_meeting(self, moment):
		missing = [
			label
			for field, label in (
				("meeting_date", "Meeting Date"),
				("meeting_departments", "Departments Present"),
				("meeting_minutes", "Minutes"),
				("meeting_solution", "Solution"),
				("meeting_task_division", "Division of Tasks"),
			)
			if not self.get(field)
		]
		missing += [
			_("Assigned Task") + f"（{row.department}）"
			for row in self.departments
			if row.department_role == lc.CO
			and not (row.assigned_task or "").strip()
			and row.department not in (self.meeting_task_division or "")
		]
		if missing:
			frappe.throw(
				_("The joint meeting record needs: {0}.").format("、".join(_(m) for m in missing)),
				SlipActionError,
			)
		if not self.meeting_recorded_on:
			self.meeting_recorded_on = moment
			self.meeting_status = lc.mark(moment, get_datetime(self.meeting_deadline))

	def on_handling(self, transition, moment):
		if transition.state == lc.COMPLETED:  # re-handling (重办)
			self.rehandle_count = (self.rehandle_count or 0) + 1
			self.completed_on = None
			self.completion_status = None
		for row in self.departments:
			row.dept_status = "Handling"

	def on_completion(self, transition, moment):
		if not (self.result or "").strip():
			frappe.throw(_("Report the result before completing the whistle."), SlipActionError)
		self.completed_on = moment
		self.completion_status = lc.mark(moment, get_datetime(self.completion_deadline))
		for row in self.departments:
			row.dept_status = "Completed"

	def on_confirmation(self, transition, moment):
		self.confirmed_on = moment

	def on_closure(self, transition, moment):
		validate_closure(self, moment)  # §5: every required rating is in; scores take the closure date
		self.closed_on = moment


ACTOR_LABELS = {
	lc.PARK_ACTOR: "the whistling park or town",
	lc.OFFICE_ACTOR: "the Whistle Office",
	lc.REPORTING_ACTOR: "the sole or lead department",
	lc.DEPARTMENT_ACTOR: "a department on the whistle",
}
