"""The District Head's coordination (区长调度会商, RULES §12) on the workflow kernel.

* **Coordination Candidate** (提请调度, ``TQ-2026-00001``): proposed by the deadline job
  (``propose_candidates``, once per slip and reason: a unique ``candidate_key``), nominated by the
  office (``nominate``) or asked for by a park or department on the slip (``request_coordination``);
  the office accepts (``accept_candidate``) or declines it with a reason (``decline_candidate``). A
  whistle put on a meeting's agenda takes its pending candidates with it (已列入议程).
* **Coordination Meeting** (调度会商会, ``DD-2026-001``): 草稿 → 已召开 → 纪要已印发, the office's
  steps; the agenda's facts are filled in from the slip when a whistle is added and on
  ``refresh_agenda``; publishing the minutes (print format 会议纪要) publishes every decision.
* **Coordination Decision** (议定事项, ``YD-2026-00001``): recorded by the office, published with the
  minutes by the kernel's system step 印发 (``CoordinationDecision.publish``: its due date fixed
  then), reported done by a responsible unit, accepted or reopened with a reason by the office. Its
  clock runs in the deadline job (``process_decisions``) through ``notify.record_once``.

The tables are ``whistle_app.rules.coordination``; access is ``permissions.coordination_*_scope``.
[decision]: the park of a whistle reads the decisions on it (it is told of them at publication).
"""

from datetime import datetime

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.query_builder.functions import Count
from frappe.utils import escape_html, get_datetime, getdate

from whistle_app import kernel, notify
from whistle_app.access import is_district_leader, is_office_staff, requires
from whistle_app.calendar import get_work_calendar
from whistle_app.language import stored_text
from whistle_app.organisation import get_user_unit
from whistle_app.rules import coordination as co
from whistle_app.rules import lifecycle as lc
from whistle_app.rules import requests as rq
from whistle_app.rules.workflow import Transition

SLIP = "Whistle Slip"
SETTINGS = "Whistle Settings"
DECISION_UNIT = "Coordination Decision Unit"
MEETING_UNIT = "Coordination Meeting Unit"

DEFAULT_TITLE = "区长调度会商会"

NOTIFY_CANDIDATE = "提请调度通知"
NOTIFY_PUBLISHED = "调度会商纪要印发通知"
NOTIFY_DECISION_STEP = "议定事项流转通知"
NOTIFY_REMINDER = "议定事项到期提醒"
NOTIFY_ESCALATION = "议定事项逾期督办"

# --- errors (all refuse and change nothing) ------------------------------------------------------------


class CoordinationError(frappe.ValidationError):
	"""Base of the refusals below."""


class CoordinationStateError(CoordinationError):
	"""The meeting, decision or candidate is not in a state where this applies."""


class CoordinationActorError(CoordinationError):
	"""The user may not take this step (wrong role or unit)."""


class CoordinationReasonError(CoordinationError):
	"""A reason or a required record of the step is missing."""


class CoordinationLockedError(CoordinationError):
	"""The document cannot be changed (or deleted) now."""


class CoordinationInputError(CoordinationError):
	"""The meeting or decision holds something invalid (chair, agenda, units, deadline)."""


ERRORS = kernel.Errors(
	step=CoordinationStateError,
	actor=CoordinationActorError,
	reason=CoordinationReasonError,
	locked=CoordinationLockedError,
)


# --- who acts -------------------------------------------------------------------------------------------


def responsible_units(doc) -> list[str]:
	return [row.unit for row in doc.get("responsible_units") or [] if row.unit]


def actor_kinds(doc, user: str | None = None) -> set[str]:
	"""The office's staff; on a decision also the users of its responsible units."""
	user = user or frappe.session.user
	kinds = set()
	if is_office_staff(user):
		kinds.add(co.OFFICE)
	if doc.doctype == co.DECISION:
		unit = get_user_unit(user)
		if (
			unit
			and unit in responsible_units(doc)
			and set(frappe.get_roles(user)) & set(co.ACTOR_ROLES[co.UNIT])
		):
			kinds.add(co.UNIT)
	return kinds


MEETING_SPEC = kernel.register(
	kernel.Spec(
		machine=co.MEETING_MACHINE,
		actor_kinds=actor_kinds,
		actor_labels=co.ACTOR_LABELS,
		errors=ERRORS,
		history_table="history",
	)
)
DECISION_SPEC = kernel.register(
	kernel.Spec(
		machine=co.DECISION_MACHINE,
		actor_kinds=actor_kinds,
		actor_labels=co.ACTOR_LABELS,
		errors=ERRORS,
		history_table="history",
	)
)


def sync_coordination_workflows() -> None:
	"""Install or update both workflows from their committed JSON (install, migrate)."""
	kernel.sync(MEETING_SPEC)
	kernel.sync(DECISION_SPEC)


@frappe.whitelist()
def act(doctype: str, name: str, action: str, reason: str | None = None) -> str:
	"""Take a workflow action on a coordination meeting or decision, with the reason it needs;
	returns the new state. Nothing changes when a check fails."""
	if doctype not in (co.MEETING, co.DECISION):
		frappe.throw(_("{0} is not a coordination document.").format(_(doctype)), CoordinationError)
	return kernel.act(doctype, name, action, reason)


def refuse_change(doc, field: str) -> None:
	frappe.throw(
		_("{0} of {1} {2} can no longer be changed.").format(
			_(doc.meta.get_label(field)), _(doc.doctype), doc.name
		),
		CoordinationLockedError,
	)


def changed(doc, before, field: str) -> bool:
	new, old = doc.get(field), before.get(field)
	df = doc.meta.get_field(field)
	if df.fieldtype in ("Table", "Table MultiSelect"):
		key = "unit" if df.options in (DECISION_UNIT, MEETING_UNIT) else "slip"
		return [r.get(key) for r in new or []] != [r.get(key) for r in old or []]
	if df.fieldtype == "Date":
		return (getdate(new) if new else None) != (getdate(old) if old else None)
	if df.fieldtype == "Int":
		return int(new or 0) != int(old or 0)
	return str(new or "") != str(old or "")


# --- the slip's facts for the agenda -------------------------------------------------------------------


def slip_facts(slip_name: str) -> dict:
	"""What the chair needs to decide on a whistle: its state, category, departments, deadlines and
	clocks, extensions, re-handlings, last progress and ratings so far (filled into an agenda row)."""
	slip = frappe.get_doc(SLIP, slip_name)
	departments = "、".join(
		f"{row.department}（{_(row.department_role)}）" for row in slip.departments if row.department
	)
	clocks = []
	for field, status in (
		("response_deadline", "response_status"),
		("meeting_deadline", "meeting_status"),
		("completion_deadline", "completion_status"),
	):
		if slip.get(field):
			mark = _(slip.get(status)) if slip.get(status) else _("Pending")
			clocks.append(
				f"{_(slip.meta.get_label(field))}：{get_datetime(slip.get(field)):%Y-%m-%d %H:%M}（{mark}）"
			)
	if slip.warning_level:
		clocks.append(_("Warning Level") + "：" + slip.warning_level)
	extensions = frappe.get_all(
		rq.EXTENSION,
		filters={"slip": slip_name, "workflow_state": rq.APPROVED},
		fields=["name", "previous_completion_date", "new_completion_date", "reason"],
		order_by="creation asc",
	)
	progress = sorted(slip.progress, key=lambda r: get_datetime(r.entry_time or slip.creation))
	last = progress[-1] if progress else None
	ratings = frappe.get_all(
		"Whistle Rating",
		filters={"slip": slip_name, "docstatus": 1},
		fields=["rated_department", "rater_unit", "total"],
		order_by="rated_department asc",
	)
	reasons = frappe.get_all(
		co.CANDIDATE,
		filters={"slip": slip_name, "status": ("!=", co.DECLINED)},
		pluck="reason",
		order_by="creation asc",
	)
	return {
		"slip_title": slip.title,
		"whistle_unit": slip.whistle_unit,
		"slip_state": slip.workflow_state,
		"category": _(slip.category) if slip.category else "",
		"green_channel": slip.green_channel,
		"departments": departments,
		"clocks": "\n".join(clocks),
		"extensions": "\n".join(
			f"{e.name}：{e.previous_completion_date or '—'} → {e.new_completion_date}（{e.reason or ''}）"
			for e in extensions
		),
		"rework_count": slip.rehandle_count or 0,
		"last_progress": (
			f"{get_datetime(last.entry_time):%Y-%m-%d} {last.department or ''}：{last.content or ''}"
			if last
			else ""
		),
		"ratings": "\n".join(f"{r.rater_unit} → {r.rated_department}：{r.total}" for r in ratings),
		"candidate_reasons": "、".join(dict.fromkeys(reasons)),
		"facts_as_of": kernel.now(),
	}


# --- the meeting -------------------------------------------------------------------------------------------


class MeetingController(Document):
	"""Behaviour of Coordination Meeting (its DocType's controller subclasses this)."""

	def validate(self):
		self.validate_scheduler()
		step = kernel.check(self)
		self.meeting_title = (self.meeting_title or "").strip() or DEFAULT_TITLE
		self.validate_chair()
		self.validate_units()
		self.validate_agenda()
		self.set_agenda_facts()
		kernel.apply(self, step)  # on_hold, on_publish

	def on_update(self):
		self.put_candidates_on_agenda()
		if step := self.flags.get("step"):
			notify_meeting(self, step)

	def on_submit(self):
		self.put_candidates_on_agenda()
		publish_decisions(self)
		if step := self.flags.get("step"):
			notify_meeting(self, step)

	def before_update_after_submit(self):
		frappe.throw(
			_("The minutes of {0} {1} have been published; it cannot be changed.").format(
				_(self.doctype), self.name
			),
			CoordinationLockedError,
		)

	def on_cancel(self):
		frappe.throw(_("Published minutes are never cancelled."), CoordinationLockedError)

	def on_trash(self):
		if self.workflow_state not in (co.DRAFT, None, ""):
			frappe.throw(
				_("{0} {1} has been held; it is kept.").format(_(self.doctype), self.name),
				CoordinationLockedError,
			)

	# --- checks -----------------------------------------------------------------------------------------

	def validate_scheduler(self):
		if self.is_new() and co.OFFICE not in actor_kinds(self):
			frappe.throw(
				_("Only the Whistle Office schedules a coordination meeting."), CoordinationActorError
			)

	def validate_chair(self):
		if not self.chair or not is_district_leader(self.chair):
			frappe.throw(
				_("The chair of a coordination meeting must be a District Leader user."),
				CoordinationInputError,
			)

	def validate_units(self):
		units = [row.unit for row in self.attending_units]
		if len(units) != len(set(units)):
			frappe.throw(_("A unit attends a meeting only once."), CoordinationInputError)

	def validate_agenda(self):
		slips = [row.slip for row in self.agenda]
		if len(slips) != len(set(slips)):
			frappe.throw(_("A whistle is on the agenda only once."), CoordinationInputError)
		before = self.get_doc_before_save()
		known = {row.slip for row in before.agenda} if before else set()
		for slip in set(slips) - known:
			state = frappe.db.get_value(SLIP, slip, "workflow_state")
			if state not in lc.OPEN_STATES:
				frappe.throw(
					_("Whistle {0} is not open (state {1}); only open whistles go on the agenda.").format(
						slip, state or "—"
					),
					CoordinationInputError,
				)
		if self.workflow_state == co.HELD and before and before.workflow_state == co.HELD:
			if changed(self, before, "agenda"):
				refuse_change(self, "agenda")

	def set_agenda_facts(self):
		"""A whistle added to the agenda gets its facts now; the rows keep them until refreshed."""
		for row in self.agenda:
			if not row.facts_as_of:
				row.update(slip_facts(row.slip))

	def refresh_facts(self):
		for row in self.agenda:
			row.update(slip_facts(row.slip))

	def put_candidates_on_agenda(self):
		"""The pending candidates of the agenda's whistles are now on the agenda of this meeting."""
		slips = [row.slip for row in self.agenda]
		if not slips:
			return
		cand = frappe.qb.DocType(co.CANDIDATE)
		(
			frappe.qb.update(cand)
			.set(cand.status, co.ON_AGENDA)
			.set(cand.meeting, self.name)
			.where(cand.slip.isin(slips))
			.where(cand.status == co.PENDING)
		).run()

	# --- the steps' effects ----------------------------------------------------------------------------

	def on_hold(self, step, moment):
		if not self.agenda:
			frappe.throw(_("Please put at least one whistle on the agenda."), CoordinationReasonError)
		self.held_on = moment

	def on_publish(self, step, moment):
		decided = set(
			frappe.get_all(co.DECISION, filters={"meeting": self.name, "docstatus": 0}, pluck="slip")
		)
		if not decided:
			frappe.throw(
				_("Please record the meeting's decisions before publishing the minutes."),
				CoordinationReasonError,
			)
		self.published_on = moment
		self.published_by = frappe.session.user


@frappe.whitelist()
@requires(is_office_staff, "Only the Whistle Office refreshes the agenda of a coordination meeting.")
def refresh_agenda(meeting: str) -> str:
	"""Fill each agenda row with its whistle's facts as they are now (before the minutes are out)."""
	doc = frappe.get_doc(co.MEETING, meeting)
	doc.check_permission("write")
	if doc.docstatus != 0:
		frappe.throw(_("The minutes have been published; the agenda is final."), CoordinationLockedError)
	doc.refresh_facts()
	doc.save()
	return doc.name


def publish_decisions(meeting) -> list[str]:
	"""Publishing the minutes publishes each recorded decision: its due date fixed, units told."""
	names = frappe.get_all(
		co.DECISION,
		filters={"meeting": meeting.name, "workflow_state": co.DRAFT},
		pluck="name",
		order_by="creation asc",
	)
	moment = get_datetime(meeting.published_on or kernel.now())
	cal = get_work_calendar()
	for name in names:
		frappe.get_doc(co.DECISION, name).publish(meeting, moment, cal)
	return names


# --- the decision -----------------------------------------------------------------------------------------

DECISION_RECORD_FIELDS = (
	"meeting",
	"slip",
	"what",
	"responsible_units",
	"deadline_type",
	"deadline_date",
	"working_days",
)


class DecisionController(Document):
	"""Behaviour of Coordination Decision (its DocType's controller subclasses this)."""

	def validate(self):
		before = self.get_doc_before_save()
		self.validate_recorder()
		step = kernel.check(self)
		self.validate_fixed_fields(before)
		self.validate_meeting()
		self.validate_units()
		self.validate_deadline()
		kernel.apply(self, step)  # on_report, on_accept, on_reopen

	def on_update(self):
		if step := self.flags.get("step"):
			notify_decision(self, step, self.flags.get("reason"))

	def on_submit(self):
		if step := self.flags.get("step"):
			notify_decision(self, step, self.flags.get("reason"))

	def before_update_after_submit(self):
		frappe.throw(
			_("{0} {1} has been accepted as done; it cannot be changed.").format(_(self.doctype), self.name),
			CoordinationLockedError,
		)

	def on_cancel(self):
		frappe.throw(_("A decision of the minutes is never cancelled."), CoordinationLockedError)

	def on_trash(self):
		if self.workflow_state not in (co.DRAFT, None, ""):
			frappe.throw(
				_("{0} {1} has been published with the minutes; it is kept.").format(
					_(self.doctype), self.name
				),
				CoordinationLockedError,
			)

	# --- checks -----------------------------------------------------------------------------------------

	def validate_recorder(self):
		if self.is_new() and co.OFFICE not in actor_kinds(self):
			frappe.throw(
				_("Only the Whistle Office records the meeting's decisions."), CoordinationActorError
			)

	def validate_fixed_fields(self, before):
		"""Once published, what was decided, by whom and by when never changes; a unit writes only
		its result."""
		if not before or before.workflow_state == co.DRAFT:
			return
		for field in DECISION_RECORD_FIELDS:
			if changed(self, before, field):
				refuse_change(self, field)

	def validate_meeting(self):
		state = frappe.db.get_value(co.MEETING, self.meeting, "workflow_state")
		if self.workflow_state == co.DRAFT and state not in (co.DRAFT, co.HELD):
			frappe.throw(
				_("The minutes of {0} have been published; no decision can be added.").format(self.meeting),
				CoordinationStateError,
			)
		on_agenda = frappe.db.exists(
			"Coordination Agenda Item",
			{"parent": self.meeting, "parenttype": co.MEETING, "slip": self.slip},
		)
		if not on_agenda:
			frappe.throw(
				_("Whistle {0} is not on the agenda of {1}.").format(self.slip, self.meeting),
				CoordinationInputError,
			)

	def validate_units(self):
		units = responsible_units(self)
		if not units:
			frappe.throw(_("Please choose the responsible unit(s)."), CoordinationInputError)
		if len(units) != len(set(units)):
			frappe.throw(_("A unit is named only once on a decision."), CoordinationInputError)

	def validate_deadline(self):
		if self.deadline_type == co.BY_DATE and not self.deadline_date:
			frappe.throw(_("Please enter the deadline date."), CoordinationInputError)
		if self.deadline_type == co.BY_WORKING_DAYS and int(self.working_days or 0) < 1:
			frappe.throw(
				_("Please enter the number of working days after publication (at least 1)."),
				CoordinationInputError,
			)
		if self.deadline_type not in co.DEADLINE_TYPES:
			frappe.throw(_("Please choose the deadline type."), CoordinationInputError)

	# --- the steps' effects ----------------------------------------------------------------------------

	def on_report(self, step, moment):
		if not (self.result or "").strip():
			frappe.throw(
				_("Please write the result before {0}.").format(step.action), CoordinationReasonError
			)
		self.reported_by = frappe.session.user
		self.reported_on = moment

	def on_accept(self, step, moment):
		self.accepted_by = frappe.session.user
		self.accepted_on = moment
		self.overdue = 0

	def on_reopen(self, step, moment):
		self.office_reason = self.flags.reason

	# --- the app's own step -------------------------------------------------------------------------

	def publish(self, meeting, moment: datetime, cal) -> None:
		"""The minutes are out: the kernel's system step 印发 fixes the due date (RULES §12)."""
		due = co.decision_due(
			self.deadline_type,
			moment,
			cal,
			deadline_date=getdate(self.deadline_date) if self.deadline_date else None,
			working_days=int(self.working_days or 0) or None,
		)
		kernel.take_system_step(
			self,
			co.ISSUE,
			{"published_on": moment, "due_on": due},
			_("Minutes of {0} published").format(meeting.name),
			frappe.session.user,
			moment,
		)
		self.reload()
		notify.tell(
			NOTIFY_PUBLISHED,
			self,
			published_recipients(self),
			{"meeting": meeting.name, "due": f"{due:%Y-%m-%d}"},
			after_commit=True,
		)


# --- candidates --------------------------------------------------------------------------------------------


def thresholds() -> co.Thresholds:
	"""The §12 numbers of Whistle Settings (defaults while never set)."""
	singles = frappe.qb.DocType("Singles")
	stored = dict(
		frappe.qb.from_(singles)
		.select(singles.field, singles.value)
		.where(singles.doctype == SETTINGS)
		.where(
			singles.field.isin(
				["coordination_overdue_days", "coordination_extensions", "coordination_reworks"]
			)
		)
		.run()
	)

	def read(field, default):
		value = stored.get(field)
		return default if value in (None, "") else max(int(float(value)), 1)

	return co.Thresholds(
		overdue_days=read("coordination_overdue_days", co.DEFAULT_OVERDUE_DAYS),
		extensions=read("coordination_extensions", co.DEFAULT_EXTENSIONS),
		reworks=read("coordination_reworks", co.DEFAULT_REWORKS),
	)


def open_slip_facts() -> dict[str, co.SlipFacts]:
	"""The facts of every open slip the candidate rules read, in four grouped queries."""
	slip = frappe.qb.DocType(SLIP)
	rows = (
		frappe.qb.from_(slip)
		.select(
			slip.name,
			slip.workflow_state,
			slip.green_channel,
			slip.rehandle_count,
			slip.response_deadline,
			slip.response_status,
			slip.meeting_deadline,
			slip.meeting_recorded_on,
			slip.completion_deadline,
			slip.completed_on,
		)
		.where(slip.workflow_state.isin(sorted(lc.OPEN_STATES - {lc.LONG_TERM})))
		.run(as_dict=True)
	)
	if not rows:
		return {}
	names = [r.name for r in rows]
	ext = frappe.qb.DocType(rq.EXTENSION)
	extensions = dict(
		frappe.qb.from_(ext)
		.select(ext.slip, Count("*"))
		.where(ext.slip.isin(names))
		.where(ext.workflow_state == rq.APPROVED)
		.groupby(ext.slip)
		.run()
	)
	exm = frappe.qb.DocType(rq.EXEMPTION)
	exempt = set(
		frappe.qb.from_(exm)
		.select(exm.slip)
		.distinct()
		.where(exm.slip.isin(names))
		.where(exm.workflow_state != rq.DRAFT)
		.run(pluck=True)
	)
	facts = {}
	for r in rows:
		pending = []
		if r.workflow_state == lc.DISPATCHED and r.response_deadline and not r.response_status:
			pending.append(get_datetime(r.response_deadline))
		meeting_open = r.workflow_state in (lc.DISPATCHED, lc.REPORTED, lc.HANDLING)
		if meeting_open and r.meeting_deadline and not r.meeting_recorded_on:
			pending.append(get_datetime(r.meeting_deadline))
		completing = r.workflow_state in (lc.REPORTED, lc.HANDLING)
		if completing and r.completion_deadline and not r.completed_on:
			pending.append(get_datetime(r.completion_deadline))
		facts[r.name] = co.SlipFacts(
			completion_deadline=get_datetime(r.completion_deadline) if r.completion_deadline else None,
			completed=not completing or bool(r.completed_on),
			approved_extensions=int(extensions.get(r.name, 0)),
			reworks=int(r.rehandle_count or 0),
			exemption_requested=r.name in exempt,
			green_channel=bool(r.green_channel),
			pending_deadlines=tuple(pending),
		)
	return facts


def propose_candidates(moment: datetime | None = None) -> list[str]:
	"""The deadline job's proposals (RULES §12): each open slip for each automatic reason that holds,
	once per slip and reason (the unique ``candidate_key``). Returns the candidates created."""
	moment = get_datetime(moment or kernel.now())
	cal, limits = get_work_calendar(), thresholds()
	due = {
		name: reasons
		for name, facts in open_slip_facts().items()
		if (reasons := co.candidate_reasons(moment, facts, cal, limits))
	}
	if not due:
		return []
	known = set(
		frappe.get_all(
			co.CANDIDATE,
			filters={"slip": ("in", list(due)), "candidate_key": ("is", "set")},
			pluck="candidate_key",
		)
	)
	created = []
	for slip, reasons in due.items():
		for reason in reasons:
			key = co.candidate_key(slip, reason)
			if key in known:
				continue
			doc = make_candidate(
				slip, reason, co.SOURCE_AUTOMATIC, None, auto_details(slip, reason, limits), moment
			)
			doc.candidate_key = key
			try:
				doc.insert(ignore_permissions=True)
			except (frappe.DuplicateEntryError, frappe.UniqueValidationError):
				continue  # a concurrent run proposed it first
			created.append(doc.name)
	if created:
		notify.send(
			notify.office_users(),
			co.CANDIDATE,
			created[0],
			_("{0} whistle(s) proposed for the District Head's coordination").format(len(created)),
			exclude_self=False,
		)
	return created


AUTO_DETAILS = {
	co.COMPLETION_OVERDUE: "Completion overdue by at least {overdue} working days.",
	co.EXTENSIONS: "At least {extensions} approved extensions.",
	co.REWORK: "Sent back for re-handling at least {reworks} times.",
	co.EXEMPTION: "An exemption from assessment was requested.",
	co.GREEN_CHANNEL_OVERDUE: "A green-channel whistle is overdue.",
}


def auto_details(slip: str, reason: str, limits: co.Thresholds) -> str:
	return _(AUTO_DETAILS[reason]).format(
		overdue=limits.overdue_days, extensions=limits.extensions, reworks=limits.reworks
	)


def make_candidate(slip: str, reason: str, source: str, unit: str | None, details: str, moment):
	return frappe.get_doc(
		{
			"doctype": co.CANDIDATE,
			"slip": slip,
			"reason": reason,
			"source": source,
			"requesting_unit": unit,
			"details": details,
			"status": co.PENDING,
			"proposed_on": moment,
			"proposed_by": frappe.session.user,
		}
	)


def open_slip(slip: str):
	doc = frappe.get_doc(SLIP, slip)
	doc.check_permission("read")
	if doc.workflow_state not in lc.OPEN_STATES:
		frappe.throw(
			_(
				"Whistle {0} is not open (state {1}); only open whistles go to the coordination meeting."
			).format(slip, doc.workflow_state),
			CoordinationStateError,
		)
	return doc


def need_reason(reason: str | None) -> str:
	reason = (reason or "").strip()
	if not reason:
		frappe.throw(_("Please give the reason."), CoordinationReasonError)
	return reason


def refuse_pending_duplicate(slip: str, source: str) -> None:
	if frappe.db.exists(co.CANDIDATE, {"slip": slip, "source": source, "status": co.PENDING}):
		frappe.throw(
			_("Whistle {0} is already waiting in the coordination queue.").format(slip),
			CoordinationStateError,
		)


class CandidateController(Document):
	"""Coordination Candidate: written by the app only (the job and the methods below)."""

	def validate(self):
		if not self.flags.ignore_permissions:
			frappe.throw(
				_(
					"Coordination candidates are proposed by the deadline job, the office or a unit's request."
				),
				CoordinationActorError,
			)
		if self.reason not in co.REASONS or self.status not in co.CANDIDATE_STATES:
			frappe.throw(_("Unknown reason or status."), CoordinationInputError)

	def on_trash(self):
		frappe.throw(_("The coordination queue keeps every proposal."), CoordinationLockedError)


@frappe.whitelist(methods=["POST"])
@requires(is_office_staff, "Only the Whistle Office nominates a whistle for the coordination meeting.")
def nominate(slip: str, reason: str) -> str:
	"""The office nominates any open whistle for the coordination meeting, with a reason."""
	reason = need_reason(reason)
	open_slip(slip)
	refuse_pending_duplicate(slip, co.SOURCE_OFFICE)
	doc = make_candidate(slip, co.OFFICE_NOMINATION, co.SOURCE_OFFICE, None, reason, kernel.now())
	doc.insert(ignore_permissions=True)
	return doc.name


@frappe.whitelist(methods=["POST"])
def request_coordination(slip: str, reason: str) -> str:
	"""A park or department on the whistle asks the office to put it before the coordination
	meeting, with a reason; the office accepts or declines."""
	reason = need_reason(reason)
	doc = open_slip(slip)
	unit = get_user_unit()
	on_slip = unit and (unit == doc.whistle_unit or unit in {row.department for row in doc.departments})
	if not on_slip or not set(frappe.get_roles()) & set(co.ACTOR_ROLES[co.UNIT]):
		frappe.throw(
			_("Only the park or a department on whistle {0} may ask for the coordination meeting.").format(
				slip
			),
			CoordinationActorError,
		)
	if frappe.db.exists(co.CANDIDATE, {"slip": slip, "requesting_unit": unit, "status": co.PENDING}):
		frappe.throw(
			_("Whistle {0} is already waiting in the coordination queue.").format(slip),
			CoordinationStateError,
		)
	cand = make_candidate(slip, co.UNIT_REQUEST, co.SOURCE_UNIT, unit, reason, kernel.now())
	cand.insert(ignore_permissions=True)
	notify.tell(NOTIFY_CANDIDATE, cand, notify.office_users(), {"action": _("Requested")}, after_commit=True)
	return cand.name


def pending_candidate(name: str):
	doc = frappe.get_doc(co.CANDIDATE, name)
	if doc.status != co.PENDING:
		frappe.throw(
			_("{0} {1} has been decided ({2}).").format(_(co.CANDIDATE), name, doc.status),
			CoordinationStateError,
		)
	return doc


def decide_candidate(doc, status: str, reason: str | None) -> str:
	doc.status = status
	doc.decline_reason = reason
	doc.decided_by = frappe.session.user
	doc.decided_on = kernel.now()
	doc.save(ignore_permissions=True)
	if doc.requesting_unit:
		users = notify.users_of_units([doc.requesting_unit], tuple(co.ACTOR_ROLES[co.UNIT]))
		notify.tell(NOTIFY_CANDIDATE, doc, users, {"action": _(status)}, after_commit=True)
	return doc.status


@frappe.whitelist(methods=["POST"])
@requires(is_office_staff, "Only the Whistle Office decides on the coordination queue.")
def accept_candidate(name: str, meeting: str | None = None) -> str:
	"""The office accepts a proposal; with a meeting (not yet published) the whistle joins its agenda."""
	doc = pending_candidate(name)
	if meeting:
		m = frappe.get_doc(co.MEETING, meeting)
		m.check_permission("write")
		if m.workflow_state != co.DRAFT:
			frappe.throw(
				_("{0} {1} has been held; its agenda is final.").format(_(co.MEETING), meeting),
				CoordinationStateError,
			)
		if doc.slip not in {row.slip for row in m.agenda}:
			m.append("agenda", {"slip": doc.slip})
			m.save()
		doc.reload()
		doc.meeting = meeting
	return decide_candidate(doc, co.ON_AGENDA, None)


@frappe.whitelist(methods=["POST"])
@requires(is_office_staff, "Only the Whistle Office decides on the coordination queue.")
def decline_candidate(name: str, reason: str) -> str:
	"""The office declines a proposal, with a reason (kept, told to a requesting unit)."""
	reason = need_reason(reason)
	return decide_candidate(pending_candidate(name), co.DECLINED, reason)


# --- the decisions' clock (in the deadline job) -----------------------------------------------------------


def process_decisions(moment: datetime | None = None) -> dict:
	"""Reminders on the due day, the overdue flag and one escalation once past, for every published
	decision still open (RULES §12, once each through ``notify.record_once``); the flag of a decision
	no longer overdue (reported, accepted) is cleared."""
	moment = get_datetime(moment or kernel.now())
	cal = get_work_calendar()
	dec, unit = frappe.qb.DocType(co.DECISION), frappe.qb.DocType(DECISION_UNIT)
	cutoff = datetime.combine(moment.date(), datetime.max.time())
	rows = (
		frappe.qb.from_(dec)
		.join(unit)
		.on((unit.parent == dec.name) & (unit.parenttype == co.DECISION))
		.select(dec.name, dec.slip, dec.due_on, dec.overdue, dec.chair, unit.unit)
		.where(dec.workflow_state == co.OPEN)
		.where(dec.due_on.isnotnull())
		.where(dec.due_on <= cutoff)
		.orderby(dec.name)
		.run(as_dict=True)
	)
	summary = {"reminders": 0, "escalations": 0, "flags": 0}
	names = sorted({r.name for r in rows})
	sent = notify.sent_keys({"decision": ("in", names)}) if names else set()
	flagged = set()
	for row in rows:
		due = get_datetime(row.due_on)
		if co.is_overdue(moment, due, False) and row.name not in flagged:
			flagged.add(row.name)
			if not row.overdue:
				frappe.db.set_value(co.DECISION, row.name, "overdue", 1, update_modified=False)
				summary["flags"] += 1
		for kind in co.decision_events(moment, due, False, cal):
			key = co.decision_event_key(row.name, row.unit, due, kind)
			if key in sent:
				continue
			if send_decision_event(row, kind, due, key, moment):
				sent.add(key)
				summary["reminders" if kind == co.REMINDER else "escalations"] += 1
	table = frappe.qb.DocType(co.DECISION)
	stale = (
		frappe.qb.from_(table)
		.select(table.name)
		.where(table.overdue == 1)
		.where(table.workflow_state != co.OPEN)
		.run(pluck=True)
	)
	if stale:
		frappe.qb.update(table).set(table.overdue, 0).where(table.name.isin(stale)).run()
		summary["flags"] += len(stale)
	return summary


def send_decision_event(row, kind: str, due: datetime, key: str, moment: datetime) -> bool:
	if kind == co.REMINDER:
		users = notify.users_of_units([row.unit], tuple(co.ACTOR_ROLES[co.UNIT]))
	else:
		users = [*notify.unit_leaders(row.unit), *notify.office_users(), row.chair]
	users = sorted(set(users) - notify.NOBODY)
	event = {
		"slip": row.slip,
		"department": row.unit,
		"decision": row.name,
		"clock": co.CLOCK,
		"deadline": due,
		"kind": kind,
		"sent_on": moment,
		"recipients": "\n".join(users),
		"event_key": key,
	}
	if not notify.record_once(event):
		return False
	record = NOTIFY_REMINDER if kind == co.REMINDER else NOTIFY_ESCALATION
	context = {"deadline": f"{due:%Y-%m-%d}", "unit": row.unit}
	notify.tell(record, frappe.get_doc(co.DECISION, row.name), users, context, exclude_self=False)
	return True


# --- notifications ----------------------------------------------------------------------------------------


def published_recipients(decision) -> list[str]:
	"""Every responsible unit's users and the park of the whistle (RULES §12)."""
	units = [*responsible_units(decision), decision.whistle_unit]
	return notify.users_of_units(units, tuple(co.ACTOR_ROLES[co.UNIT]))


def notify_meeting(meeting, step: Transition) -> None:
	"""The meeting's steps are told to the chair and the attending units' leaders and liaisons."""
	units = [row.unit for row in meeting.attending_units]
	users = [meeting.chair, *notify.users_of_units(units, tuple(co.ACTOR_ROLES[co.UNIT]))]
	# stored and read by everyone: in the site's language, whoever acts (the demo's bench command too)
	subject = stored_text("{0} {1}: {2} → {3}").format(
		stored_text(meeting.doctype), meeting.name, step.action, step.next_state
	)
	notify.send(users, meeting.doctype, meeting.name, subject, after_commit=True)


def notify_decision(decision, step: Transition, reason: str | None) -> None:
	if step.next_state == co.REPORTED:
		users = notify.office_users()
	else:
		users = [
			*notify.users_of_units(responsible_units(decision), tuple(co.ACTOR_ROLES[co.UNIT])),
			decision.chair,
		]
	context = {"action": step.action, "next_state": step.next_state, "reason": escape_html(reason or "")}
	notify.tell(NOTIFY_DECISION_STEP, decision, users, context, after_commit=True)


# --- the board ------------------------------------------------------------------------------------------


def slips_under_coordination(slips: list[str]) -> set[str]:
	"""Of these slips, those under the District Head's coordination (RULES §12: the board marks
	them): on the agenda of a meeting whose minutes are not yet out, or with a published decision
	still open. One query."""
	if not slips:
		return set()
	item, meeting = frappe.qb.DocType("Coordination Agenda Item"), frappe.qb.DocType(co.MEETING)
	dec = frappe.qb.DocType(co.DECISION)
	on_agenda = (
		frappe.qb.from_(item)
		.join(meeting)
		.on((meeting.name == item.parent) & (item.parenttype == co.MEETING))
		.select(item.slip)
		.where(item.slip.isin(slips))
		.where(meeting.docstatus == 0)
	)
	deciding = (
		frappe.qb.from_(dec)
		.select(dec.slip)
		.where(dec.slip.isin(slips))
		.where(dec.workflow_state.isin(co.OPEN_DECISION_STATES))
	)
	return set((on_agenda + deciding).run(pluck=True))


# --- the slip's coordination history -----------------------------------------------------------------------


@frappe.whitelist()
@frappe.read_only()
def slip_history(slip: str) -> dict:
	"""A whistle's coordination history for its form: proposals, meetings and decisions the user may
	read (the lists go through ``frappe.get_list``, so the access scopes apply)."""
	frappe.get_doc(SLIP, slip).check_permission("read")
	candidates = frappe.get_list(
		co.CANDIDATE,
		filters={"slip": slip},
		fields=["name", "reason", "source", "status", "proposed_on", "meeting"],
		order_by="creation asc",
	)
	decisions = frappe.get_list(
		co.DECISION,
		filters={"slip": slip},
		fields=["name", "meeting", "what", "due_on", "workflow_state", "overdue"],
		order_by="creation asc",
	)
	return {"candidates": candidates, "decisions": decisions}
