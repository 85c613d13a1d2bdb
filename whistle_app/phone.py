"""Phone pages (issue #20): each role acts on a slip with the facts in front of it.

* ``slip_facts``: what the park's and the department's slip pages show (state, deadlines, the
  office's last reason, the departments, the plan, the joint meeting, progress, the result, the
  attachments) and what this user may do there (workflow actions with their style, the department's
  one-button steps, the requests it may file), read on the server within the user's scope.
* ``take_step``: a department's 报到, 记录联商会办, 添加进展 or 办结 in one request: the dialog's
  fields are checked together (every missing one named at once), saved and the step taken; a
  failure changes nothing.
* ``file_request``: an extension, exemption or assessment exclusion request filed in one step.
* ``add_enterprise``: a park registers an enterprise from the phone whistle form.
* ``home_counts``: the counts of the phone home page ``/whistle-home``.
"""

import frappe
from frappe import _
from frappe.utils import get_datetime

from whistle_app import kernel, requests
from whistle_app.access import is_enterprise
from whistle_app.lifecycle import SlipActionError, actor_kinds, add_progress, department_pairs
from whistle_app.organisation import get_user_unit
from whistle_app.ratings.page import slip_facts as rating_facts
from whistle_app.rules import lifecycle as lc
from whistle_app.rules import phone as ph
from whistle_app.rules.credit_code import normalise
from whistle_app.rules.requests import DRAFT, EXCLUSION, EXEMPTION, EXTENSION, FILE, KINDS, PENDING

SLIP = "Whistle Slip"
# the request each dialog files, and the fields it asks for
REQUEST_FIELDS = {
	EXTENSION: ("new_completion_date", "reason"),
	EXEMPTION: ("reason",),
	EXCLUSION: ("reason",),
}


# strings the phone pages' script shows (whistle_web.js), merged into the pages' messages
PAGE_MESSAGES = (
	"Enterprise",
	"Deadlines",
	"Departments",
	"Work Plan",
	"Joint Meeting",
	"Approved Extensions",
	"Progress",
	"Result",
	"Requests",
	"Attachments",
	"Reason for This Action",
	"Fill in the joint meeting only once it has been held; the rest is needed.",
	"File the Request",
	"{0} is too large: at most {1} MB.",
	"The file could not be uploaded.",
	"Take a Photo",
	"Add Photos or Files",
	"Register a New Enterprise",
	"Enterprise Name",
	"Unified Social Credit Code",
	"Register",
)


def page_context(context) -> None:
	"""What every phone form's script needs: its translated strings and the upload limit."""
	from frappe.utils.file_manager import get_max_file_size

	context.whistle_messages = {**(context.get("whistle_messages") or {}), **{m: _(m) for m in PAGE_MESSAGES}}
	context.whistle_upload_limit = int(get_max_file_size())


class PhoneStepError(frappe.ValidationError):
	pass


def _when(value) -> str:
	return get_datetime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _label(meta, fieldname: str) -> str:
	return _(meta.get_label(fieldname))


def meeting_open(slip) -> bool:
	return lc.needs_joint_meeting(department_pairs(slip)) and not slip.meeting_recorded_on


# --- what the slip page shows -------------------------------------------------------------------------


@frappe.whitelist()
def slip_facts(slip: str) -> dict:
	"""The slip as its phone page shows it, with what this user may do; only for the slip's readers."""
	doc = frappe.get_doc(SLIP, slip)
	doc.check_permission("read")
	facts = rating_facts(doc)
	kinds = actor_kinds(doc)
	meta = doc.meta
	last = last_reason(doc)
	facts.update(
		{
			"state": doc.workflow_state,
			"state_label": _(doc.workflow_state or ""),
			"warning_level": _(doc.warning_level) if doc.dispatched_on and doc.warning_level else "",
			"overdue": bool(doc.overdue),
			"calendar_warning": _(doc.calendar_warning) if doc.calendar_warning else "",
			"enterprise_name": enterprise_name(doc.enterprise),
			"last_reason": last,
			"plan": [
				{"label": _label(meta, f), "value": str(doc.get(f) or "")}
				for f in ("work_plan", "planned_completion", "responsible_persons")
				if doc.get(f)
			]
			+ (
				[{"label": _label(meta, "reported_on"), "value": _when(doc.reported_on)}]
				if doc.reported_on
				else []
			),
			"meeting": [
				{"label": _label(meta, f), "value": _when(doc.get(f)) if f == "meeting_date" else doc.get(f)}
				for f in ph.MEETING_FIELDS
				if doc.meeting_recorded_on and doc.get(f)
			],
			"progress": [
				{"time": _when(row.entry_time), "department": row.department or "", "content": row.content}
				for row in sorted(doc.progress, key=lambda r: get_datetime(r.entry_time or doc.creation))
			],
			"actions": [  # the slip's action names are Chinese already
				{**a, "style": ph.action_style(a["action"]), "label": a["action"]}
				for a in kernel.available_actions(doc)
				if not (a["action"] in ph.STEP_ACTIONS.values() and lc.REPORTING_ACTOR in kinds)
			],
			"steps": [
				step_form(doc, step)
				for step in ph.department_steps(doc.workflow_state, kinds, meeting_open(doc))
			],
			"requests": request_forms(doc, kinds),
			"pending_requests": pending_requests(doc.name),
			"can_attach": bool(frappe.has_permission(SLIP, "write", doc=doc)),
			"attachments": attachments(SLIP, doc.name),
		}
	)
	return facts


def last_reason(doc) -> dict | None:
	"""The latest step taken with a reason (退回补充, 不予受理, 退回报到, 重办, ...): what the park or the
	department must answer."""
	rows = [row for row in doc.state_log if (row.reason or "").strip()]
	if not rows:
		return None
	row = max(rows, key=lambda r: (get_datetime(r.changed_on or doc.creation), r.idx))
	return {"action": _(row.action or ""), "reason": row.reason, "time": _when(row.changed_on)}


def enterprise_name(enterprise: str | None) -> str:
	return (enterprise and frappe.db.get_value("Enterprise", enterprise, "enterprise_name")) or ""


def step_form(doc, step: str) -> dict:
	"""A one-button step's dialog: its fields with their labels, the button named after the step."""
	fields = ph.STEP_FIELDS[step] if step != ph.REPORT or meeting_open(doc) else ph.REPORT_FIELDS
	return {
		"step": step,
		"label": _(step),
		"fields": [field_spec(doc.meta, f) for f in fields],
		"meeting_optional": step == ph.REPORT and meeting_open(doc),
	}


def field_spec(meta, fieldname: str) -> dict:
	if fieldname == "content":
		return {"fieldname": "content", "fieldtype": "Small Text", "label": _("Progress")}
	df = meta.get_field(fieldname)
	return {"fieldname": fieldname, "fieldtype": df.fieldtype, "label": _(df.label)}


def request_forms(doc, kinds: set[str]) -> list[dict]:
	"""The requests this department user may file on the slip now (the controller checks again)."""
	forms = []
	for doctype, fields in REQUEST_FIELDS.items():
		actor = lc.DEPARTMENT_ACTOR if doctype == EXCLUSION else lc.REPORTING_ACTOR
		if actor not in kinds or doc.workflow_state not in KINDS[doctype].slip_states:
			continue
		if doctype != EXTENSION and doc.excluded_from_assessment:
			continue
		meta = frappe.get_meta(doctype)
		forms.append(
			{"doctype": doctype, "label": _(doctype), "fields": [field_spec(meta, f) for f in fields]}
		)
	return forms


def pending_requests(slip: str) -> list[dict]:
	rows = []
	for doctype in REQUEST_FIELDS:
		for row in frappe.get_list(
			doctype,
			filters={"slip": slip, "workflow_state": ("in", (DRAFT, *PENDING))},
			fields=["name", "workflow_state"],
		):
			rows.append({"label": _(doctype), "name": row.name, "state": _(row.workflow_state)})
	return rows


def attachments(doctype: str, name: str) -> list[dict]:
	return frappe.get_all(
		"File",
		filters={"attached_to_doctype": doctype, "attached_to_name": name, "is_folder": 0},
		fields=["file_name", "file_url"],
		order_by="creation asc",
	)


# --- the department's one-button steps --------------------------------------------------------------


def check_missing(meta, fieldnames: list[str]) -> None:
	if fieldnames:
		frappe.throw(
			_("Please fill in: {0}.").format("、".join(field_spec(meta, f)["label"] for f in fieldnames)),
			PhoneStepError,
			title=_("Missing information"),
		)


@frappe.whitelist(methods=["POST"])
def take_step(slip: str, step: str, values: dict | str | None = None) -> str:
	"""报到, 记录联商会办, 添加进展 or 办结 with the dialog's fields in one request; returns the state."""
	if step not in ph.STEP_FIELDS:
		frappe.throw(_("{0} is not a step of the phone page.").format(step), PhoneStepError)
	values = frappe.parse_json(values) or {}
	doc = frappe.get_doc(SLIP, slip)
	doc.check_permission("write")
	if step not in ph.department_steps(doc.workflow_state, actor_kinds(doc), meeting_open(doc)):
		frappe.throw(
			_("You cannot take the step {0} on whistle {1} in state {2}.").format(
				_(step), doc.name, _(doc.workflow_state)
			),
			frappe.PermissionError,
		)
	clean = {f: str(values.get(f) or "").strip() for f in ph.STEP_FIELDS[step]}
	check_missing(doc.meta, ph.missing_fields(step, clean, meeting_open(doc)))
	if step == ph.PROGRESS:
		add_progress(doc.name, clean["content"])
		return doc.workflow_state
	doc.update({f: v for f, v in clean.items() if v})
	doc.save()
	action = ph.STEP_ACTIONS[step]
	return kernel.act(SLIP, doc.name, action, None, perm="write") if action else doc.workflow_state


@frappe.whitelist(methods=["POST"])
def file_request(slip: str, doctype: str, values: dict | str | None = None) -> str:
	"""An extension, exemption or exclusion request, created and filed (提交申请) at once."""
	if doctype not in REQUEST_FIELDS:
		frappe.throw(_("{0} is not a whistle request.").format(doctype), PhoneStepError)
	frappe.get_doc(SLIP, slip).check_permission("read")
	values = frappe.parse_json(values) or {}
	clean = {f: str(values.get(f) or "").strip() for f in REQUEST_FIELDS[doctype]}
	check_missing(frappe.get_meta(doctype), [f for f, v in clean.items() if not v])
	request = frappe.get_doc({"doctype": doctype, "slip": slip, **clean})
	request.insert()
	return requests.act(doctype, request.name, FILE)


# --- the phone whistle form's enterprise ------------------------------------------------------------


@frappe.whitelist(methods=["POST"])
def add_enterprise(enterprise_name: str | None = None, credit_code: str | None = None) -> dict:
	"""A park registers an enterprise of its own from the phone form (name and credit code; the code
	is checked after white space is dropped); an enterprise already registered in the park is
	returned as it is."""
	name = (enterprise_name or "").strip()
	code = normalise(credit_code)
	missing = [f for f, v in (("enterprise_name", name), ("credit_code", code)) if not v]
	if missing:
		meta = frappe.get_meta("Enterprise")
		frappe.throw(
			_("Please fill in: {0}.").format("、".join(_label(meta, f) for f in missing)),
			PhoneStepError,
			title=_("Missing information"),
		)
	unit = get_user_unit()
	existing = frappe.db.get_value(
		"Enterprise", code, ["name", "enterprise_name", "whistle_unit"], as_dict=True
	)
	if existing and existing.whistle_unit == unit and frappe.has_permission("Enterprise", "read", doc=code):
		return {"name": existing.name, "enterprise_name": existing.enterprise_name}
	doc = frappe.get_doc(
		{"doctype": "Enterprise", "enterprise_name": name, "credit_code": code, "whistle_unit": unit}
	)
	doc.insert()
	return {"name": doc.name, "enterprise_name": doc.enterprise_name}


# --- the phone home page --------------------------------------------------------------------------


def home_counts(user: str | None = None) -> list[dict]:
	"""The tiles of ``/whistle-home``: each of the user's daily pages with the number of things waiting."""
	user = user or frappe.session.user
	user_roles = set(frappe.get_roles(user))
	tiles = []
	if user_roles & set(lc.ACTOR_ROLES[lc.PARK_ACTOR]):
		tiles.append(
			tile(
				"Blow the Whistle",
				"/whistle/list",
				count(SLIP, {"workflow_state": ("in", (lc.DRAFT, lc.RETURNED, lc.COMPLETED))}),
				"drafts, returned and completed whistles waiting for you",
			)
		)
	if user_roles & set(lc.ACTOR_ROLES[lc.PARK_ACTOR] + lc.ACTOR_ROLES[lc.REPORTING_ACTOR]):
		from whistle_app.ratings.page import pending_ratings

		tiles.append(
			tile("Ratings Waiting for Me", "/ratings", len(pending_ratings()), "ratings your unit owes")
		)
	if user_roles & set(lc.ACTOR_ROLES[lc.DEPARTMENT_ACTOR]):
		tiles.append(
			tile(
				"Report for Duty",
				"/whistle-report/list",
				count(SLIP, {"workflow_state": ("in", (lc.DISPATCHED, lc.HANDLING, lc.LONG_TERM))}),
				"whistles waiting for a report, progress or completion",
			)
		)
		tiles.append(
			tile(
				"Requests",
				"/app/whistle-extension-request",
				sum(count(d, {"workflow_state": ("in", (DRAFT, *PENDING))}) for d in REQUEST_FIELDS),
				"extension, exemption and exclusion requests not yet decided",
			)
		)
	if is_enterprise(user):
		tiles.append(
			tile(
				"My Demands",
				"/enterprise-demand/list",
				count("Enterprise Demand", {"status": "Open"}),
				"demands your park or town is still looking into",
			)
		)
	return tiles


def tile(title: str, route: str, number: int, note: str) -> dict:
	return {"title": _(title), "route": route, "count": number, "note": _(note)}


def count(doctype: str, filters: dict) -> int:
	"""How many rows of the doctype this user may read match (``frappe.get_list``: the unit scope)."""
	rows = frappe.get_list(doctype, filters=filters, fields=["count(name) as total"])
	return int(rows[0].total) if rows else 0
