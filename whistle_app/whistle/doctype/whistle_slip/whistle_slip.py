# Copyright (c) 2026, whistle_app developers
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import get_datetime, getdate

from whistle_app import kernel
from whistle_app.bounds import validate_planned_completion
from whistle_app.analysis import set_repeat_of, validate_sub_topic
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
from whistle_app.ratings import create_drafts, update_slip_scores, validate_closure
from whistle_app.rules import lifecycle as lc
from whistle_app.rules import ratings as rr
from whistle_app.rules.workdays import end_of_day
from whistle_app.whistle.doctype.whistle_settings.whistle_settings import deadline_days

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
# the joint meeting record (联商会办) and the labels its refusal names
MEETING_FIELDS = {
	"meeting_date": "Meeting Date",
	"meeting_departments": "Departments Present",
	"meeting_minutes": "Minutes",
	"meeting_solution": "Solution",
	"meeting_task_division": "Division of Tasks",
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
		enterprise_stage: DF.Literal[
			"",
			"\u62db\u5546\u5f15\u8d44",
			"\u9879\u76ee\u5f00\u5de5\u5efa\u8bbe",
			"\u4f01\u4e1a\u6295\u4ea7\u8fd0\u8425",
		]
		excluded_from_assessment: DF.Check
		green_channel: DF.Check
		green_channel_kind: DF.Literal[
			"", "Provincial or Municipal Major Project", "District Key Project", "Chain Project"
		]
		higher_level_body: DF.Data | None
		long_term_tracking: DF.Check
		meeting_date: DF.Datetime | None
		meeting_days: DF.Int
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
		repeat_of: DF.Link | None
		reported_by: DF.Link | None
		reported_on: DF.Datetime | None
		response_days: DF.Int
		response_deadline: DF.Datetime | None
		response_status: DF.Literal["", "Met", "Late"]
		responsible_persons: DF.Data | None
		result: DF.SmallText | None
		scope: DF.Literal["", "Single", "Multi", "Cross-level"]
		state_log: DF.Table[WhistleSlipStateLog]
		sub_topic: DF.Link | None
		title: DF.Data
		warning_level: DF.Literal["\u6b63\u5e38", "\u4e34\u671f", "\u903e\u671f", "\u4e25\u91cd\u903e\u671f"]
		whistle_unit: DF.Link
		work_plan: DF.SmallText | None

	# end: auto-generated types
	def before_insert(self):
		self.set_whistle_unit()

	def validate(self):
		self.validate_whistle_unit()
		self.validate_sub_topic()
		validate_planned_completion(self)  # at most a year after dispatch unless long-term (issue #20)
		kernel.validate(self)  # the step (table, actor, reason, effect, history) or the editor's right
		self.validate_progress_entries()
		self.validate_meeting_record()

	def on_update(self):
		step = self.flags.pop("step", None)
		if step:
			if step.next_state == rr.DRAFTS_ON:
				create_drafts(self)  # §5: the ratings the slip now owes, as drafts for the raters
			notify(self, step, self.flags.pop("reason", None))

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

	def validate_sub_topic(self):
		"""§14: the typical problem belongs to the slip's category; the enterprise's stage is one of three."""
		validate_sub_topic(self, self.category)
		# a repeated whistle is linked while the park files it; the office sees the link at review
		set_repeat_of(self, self.workflow_state in (None, "", lc.DRAFT, lc.SUBMITTED, lc.RETURNED))

	# --- who may do what ----------------------------------------------------------------------------

	# --- who may do what: the workflow kernel (kernel.validate), with the slip's spec in lifecycle.py

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

	# --- what each step does: the effects named in rules.lifecycle.TRANSITIONS --------------------
	# (sending a report back for rework, 退回报到, has none: the clocks keep running)

	def on_dispatch(self, transition, moment):
		self.validate_routing()
		self.dispatched_on = moment
		self.dispatched_by = frappe.session.user
		# the numbers in force now stay with the slip (§4 [decision]: a later change of the settings
		# applies to whistles dispatched afterwards)
		self.response_days, self.meeting_days = deadline_days(self.category, self.green_channel)
		self.response_deadline, confirmed = compute_deadline(moment, self.response_days)
		warnings = [] if confirmed else [unconfirmed_warning(self.response_deadline)]
		if lc.needs_joint_meeting(department_pairs(self)):
			self.meeting_deadline, confirmed = compute_deadline(moment, self.meeting_days)
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
		if lc.needs_joint_meeting(pairs) and not self.meeting_recorded_on and self.meeting_given():
			self.record_meeting(moment)  # the meeting was held already: recorded with the report
		self.reported_on = moment
		self.reported_by = frappe.session.user
		if not self.response_status:  # the first report answers the response clock
			self.response_status = lc.mark(moment, get_datetime(self.response_deadline))
		self.completion_deadline = end_of_day(getdate(self.planned_completion))
		reporting = lc.reporting_department(pairs)
		for row in self.departments:
			if row.department == reporting:
				row.dept_status = "Reported"

	# --- the joint meeting (联商会办): its own clock, recorded with the report or afterwards -----------

	def meeting_given(self) -> bool:
		return any(self.get(field) for field in MEETING_FIELDS)

	def validate_meeting_record(self):
		"""A save that fills in the meeting records it (desk, REST, the department's web form): only
		the lead department, only before the completion; a recorded meeting is not rewritten."""
		before = self.get_doc_before_save()
		if before is None or not any(
			(self.get(field) or None) != (before.get(field) or None) for field in MEETING_FIELDS
		):
			return
		if before.meeting_recorded_on:
			frappe.throw(_("The joint meeting is recorded already and cannot be changed."), SlipActionError)
		if self.meeting_recorded_on:  # recorded by this step (the report)
			return
		if not lc.needs_joint_meeting(department_pairs(self)):
			frappe.throw(_("Only a whistle with co-departments has a joint meeting."), SlipActionError)
		if self.workflow_state not in lc.MEETING_RECORD_STATES:
			frappe.throw(
				_("The joint meeting is recorded after dispatch and before completion."), SlipActionError
			)
		if lc.REPORTING_ACTOR not in actor_kinds(self):
			frappe.throw(_("Only the lead department records the joint meeting."), frappe.PermissionError)
		self.record_meeting(now())

	def record_meeting(self, moment):
		"""Every part of the record, all missing ones named at once; a held meeting's date lies between
		the dispatch and now; the server stamps the record and marks the meeting clock (§4)."""
		missing = [label for field, label in MEETING_FIELDS.items() if not self.get(field)]
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
		held = get_datetime(self.meeting_date)
		if held > get_datetime(moment):
			frappe.throw(_("The meeting date cannot lie in the future."), SlipActionError)
		if self.dispatched_on and held < get_datetime(self.dispatched_on):
			frappe.throw(_("The meeting date cannot be before the dispatch."), SlipActionError)
		self.meeting_recorded_on = moment
		self.meeting_status = lc.mark(get_datetime(moment), get_datetime(self.meeting_deadline))

	def on_handling(self, transition, moment):
		for row in self.departments:
			row.dept_status = "Handling"

	def on_rehandle(self, transition, moment):  # 重办: the park sends the result back
		self.rehandle_count = (self.rehandle_count or 0) + 1
		self.completed_on = None
		self.completion_status = None
		self.on_handling(transition, moment)

	def on_completion(self, transition, moment):
		if not (self.result or "").strip():
			frappe.throw(_("Report the result before completing the whistle."), SlipActionError)
		if lc.needs_joint_meeting(department_pairs(self)) and not self.meeting_recorded_on:
			frappe.throw(_("Record the joint meeting before completing the whistle."), SlipActionError)
		self.completed_on = moment
		self.completion_status = lc.mark(moment, get_datetime(self.completion_deadline))
		for row in self.departments:
			row.dept_status = "Completed"

	def on_confirmation(self, transition, moment):
		self.confirmed_on = moment

	def on_closure(self, transition, moment):
		validate_closure(self, moment)  # §5: every required rating is in; scores take the closure date
		self.closed_on = moment

	# --- the app's steps on a decided request (rules.lifecycle.SYSTEM_STEPS) -------------------------
	# The approved request is the authority and the record; these are the only ways another document
	# changes a slip. Written without the slip's save: its editors are the actors of its state (a
	# 待销号/已销号 slip has none), while this change is made by the app on the approver's decision.

	def extend_completion(self, new_date, reason: str, user: str, moment):
		"""延期: the completion deadline moves to the approved date."""
		new_date = getdate(new_date)
		kernel.take_system_step(
			self,
			lc.EXTEND,
			{"planned_completion": new_date, "completion_deadline": end_of_day(new_date)},
			reason,
			user,
			moment,
		)

	def track_long_term(self, reason: str, user: str, moment):
		"""不列入考核: the slip becomes long-term tracking and leaves the assessment."""
		kernel.take_system_step(
			self, lc.EXEMPT, {"long_term_tracking": 1, "excluded_from_assessment": 1}, reason, user, moment
		)
		update_slip_scores(self.name)  # the slip's scores leave the assessment with it

	def exclude_from_assessment(self, department: str, reason: str, user: str, moment):
		"""考核剔除: the department's slip score leaves the assessment; the other departments' stay."""
		kernel.take_system_step(self, lc.EXCLUDE, {}, f"{department}：{reason}", user, moment)
		for row in self.departments:
			if row.department == department:
				row.db_set("excluded_from_assessment", 1)
		update_slip_scores(self.name)
