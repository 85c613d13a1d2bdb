"""Enterprise demands (RULES §2): who may submit them, triage by the park, public progress.

A park triages each open demand once: it is either *resolved locally* (with its result) or
*escalated* into a draft whistle slip that is pre-filled from the demand; the demand and the slip
then link to each other. Enterprises (website users) submit demands through the web form
``enterprise-demand`` and follow the public progress of the slip raised from them.
"""

import frappe
from frappe import _
from frappe.utils import cstr, now_datetime, strip_html, today

from whistle_app import roles
from whistle_app.access import is_enterprise, sees_all
from whistle_app.analysis import category_of
from whistle_app.organisation import get_user_unit
from whistle_app.whistle.doctype.enterprise.enterprise import get_user_enterprise

# Stored values (Chinese labels come from locale/zh.po)
OPEN = "Open"
RESOLVED_LOCALLY = "Resolved Locally"
ESCALATED = "Escalated"
STATUSES = (OPEN, RESOLVED_LOCALLY, ESCALATED)

VISIT = "Visit"
ENTERPRISE_ONLINE = "Enterprise Online"
PHONE = "Phone"
OTHER = "Other"
SOURCES = (VISIT, ENTERPRISE_ONLINE, PHONE, OTHER)

DEFAULT_SLIP_CATEGORY = "Other"
SLIP_TITLE_LENGTH = 60

# The slip's fields an enterprise may see besides its number and title (present ones are read)
PUBLIC_SLIP_FIELDS = ("workflow_state", "dispatched_on", "completed_on")

# Fields only the triage methods set
TRIAGE_FIELDS = ("resolved_on", "resolved_by", "escalated_on", "escalated_by")
GUARDED_FIELDS = ("status", "resolution", "whistle_slip")


class DemandStateError(frappe.ValidationError):
	"""The demand is not in a state that allows this (already resolved or escalated)."""


class ResolutionRequiredError(frappe.ValidationError):
	pass


class InvalidSlipCategoryError(frappe.ValidationError):
	pass


class DemandUnitError(frappe.ValidationError):
	pass


class NoEnterpriseError(frappe.ValidationError):
	"""An enterprise user whose login is not linked to a registered enterprise."""


# --- who is an enterprise --------------------------------------------------------------------------


def is_enterprise_user(user: str | None = None) -> bool:
	"""A website user acting for an enterprise: the Enterprise role, no unit, no office role."""
	user = user or frappe.session.user
	if user in ("Guest", "Administrator"):
		return False
	return is_enterprise(user) and not get_user_unit(user) and not sees_all(user)


def stamp_new_demand(doc) -> None:
	"""Before a new demand is validated: an enterprise's own demand takes everything but its text
	from the server (its enterprise, park, grid, source), never from the client."""
	user = frappe.session.user
	if user == "Guest":
		frappe.throw(_("Please log in to submit a demand."), frappe.PermissionError)
	enterprise_user = is_enterprise_user(user)
	if not enterprise_user and not frappe.flags.in_web_form:
		return
	if not enterprise_user:
		frappe.throw(
			_("Only enterprises submit demands online; please record the demand in the desk."),
			frappe.PermissionError,
		)
	enterprise = get_user_enterprise(user)
	if not enterprise:
		frappe.throw(
			_(
				"Your login is not linked to a registered enterprise; please ask your park or town to register it."
			),
			NoEnterpriseError,
		)
	values = frappe.db.get_value(
		"Enterprise",
		enterprise,
		["enterprise_name", "whistle_unit", "grid", "contact_person", "contact_phone"],
		as_dict=True,
	)
	doc.update(values)
	doc.enterprise = enterprise
	doc.source = ENTERPRISE_ONLINE
	doc.received_on = today()
	doc.submitted_by_enterprise = user
	doc.status = OPEN
	for fieldname in (*TRIAGE_FIELDS, "resolution", "whistle_slip"):
		doc.set(fieldname, None)


# --- triage ---------------------------------------------------------------------------------------


def _open_demand_for_triage(demand: str):
	doc = frappe.get_doc("Enterprise Demand", demand, for_update=True)
	frappe.has_permission("Enterprise Demand", "write", doc=doc, throw=True)
	if doc.status != OPEN:
		if doc.status == ESCALATED:
			message = _("Demand {0} was already escalated to whistle slip {1}.").format(
				doc.name, doc.whistle_slip
			)
		else:
			message = _("Demand {0} was already resolved locally.").format(doc.name)
		frappe.throw(message, DemandStateError, title=_("Demand already triaged"))
	return doc


@frappe.whitelist(methods=["POST"])
def resolve_locally(demand: str, resolution: str) -> None:
	"""The park solved the demand itself; ``resolution`` (the result) is required."""
	doc = _open_demand_for_triage(demand)
	resolution = cstr(resolution).strip()
	if not strip_html(resolution).strip():
		frappe.throw(_("Please enter the result of resolving the demand locally."), ResolutionRequiredError)
	doc.status = RESOLVED_LOCALLY
	doc.resolution = resolution
	doc.resolved_on = now_datetime()
	doc.resolved_by = frappe.session.user
	doc.flags.triage = True
	doc.save()


@frappe.whitelist(methods=["POST"])
def escalate(demand: str, title: str | None = None, category: str | None = None) -> str:
	"""Raise a draft whistle slip pre-filled from the demand; returns the slip's number.

	The slip gets the demand's park, enterprise, project, description, request, contacts and
	attachments; the demand and the slip link to each other. Without a title the slip is titled
	after the enterprise and the start of the description; without a category it is "Other" (the
	park can change both on the draft).
	"""
	doc = _open_demand_for_triage(demand)
	# the demand's sub-topic decides the category when none is given (RULES §14)
	category = cstr(category).strip() or category_of(doc.sub_topic) or DEFAULT_SLIP_CATEGORY
	if category not in slip_categories():
		frappe.throw(
			_("{0} is not a whistle slip category; choose one of {1}.").format(
				category, "、".join(_(c) for c in slip_categories())
			),
			InvalidSlipCategoryError,
		)
	title = cstr(title).strip() or default_slip_title(doc)
	slip = frappe.get_doc(
		{
			"doctype": "Whistle Slip",
			"whistle_unit": doc.whistle_unit,
			"title": title,
			"category": category,
			"enterprise": doc.enterprise,
			"project_name": doc.project_name,
			"sub_topic": doc.sub_topic if category_of(doc.sub_topic) == category else None,
			"enterprise_stage": doc.enterprise_stage,
			"description": doc.description,
			"demand": doc.request or doc.description,
			"contact_person": doc.contact_person,
			"contact_phone": doc.contact_phone,
			"enterprise_demand": doc.name,
		}
	)
	# the caller may write this demand (checked above); filing the slip is part of escalating it
	slip.insert(ignore_permissions=True)
	copy_attachments(doc, slip)

	doc.status = ESCALATED
	doc.whistle_slip = slip.name
	doc.escalated_on = now_datetime()
	doc.escalated_by = frappe.session.user
	doc.flags.triage = True
	doc.save()
	return slip.name


def default_slip_title(doc) -> str:
	first_line = next(
		(line.strip() for line in strip_html(doc.description or "").splitlines() if line.strip()), ""
	)
	title = f"{doc.enterprise_name or doc.enterprise}：{first_line}" if first_line else doc.enterprise_name
	if len(title) > SLIP_TITLE_LENGTH:
		title = title[: SLIP_TITLE_LENGTH - 1] + "…"
	return title


def copy_attachments(demand, slip) -> None:
	"""Attach the demand's files to the slip too (same stored file, one more File record)."""
	files = frappe.get_all(
		"File",
		filters={"attached_to_doctype": demand.doctype, "attached_to_name": demand.name, "is_folder": 0},
		fields=["file_name", "file_url", "is_private"],
		order_by="creation asc",
	)
	for f in files:
		frappe.get_doc(
			{
				"doctype": "File",
				"file_name": f.file_name,
				"file_url": f.file_url,
				"is_private": f.is_private,
				"attached_to_doctype": slip.doctype,
				"attached_to_name": slip.name,
			}
		).insert(ignore_permissions=True)


# --- public progress --------------------------------------------------------------------------------


def may_follow(user: str, demand: dict) -> bool:
	"""The enterprise that owns the demand, the demand's park and the office."""
	if user == "Guest":
		return False
	if sees_all(user):
		return True
	unit = get_user_unit(user)
	if unit and unit == demand.get("whistle_unit"):
		return True
	return (
		is_enterprise(user)
		and bool(demand.get("enterprise"))
		and get_user_enterprise(user) == demand.get("enterprise")
	)


@frappe.whitelist()
def get_public_progress(demand: str) -> dict:
	"""The demand's status and the public progress of the slip raised from it.

	Only what the enterprise may know: the slip's number, title, current state, dispatch and
	completion times, and the time and name of each state change. Never reasons, minutes, work
	plans, ratings, departments' internal notes or other units' data.
	"""
	user = frappe.session.user
	row = frappe.db.get_value(
		"Enterprise Demand",
		cstr(demand),
		[
			"name",
			"enterprise",
			"enterprise_name",
			"whistle_unit",
			"status",
			"received_on",
			"resolution",
			"resolved_on",
			"escalated_on",
			"whistle_slip",
		],
		as_dict=True,
	)
	if not row or not may_follow(user, row):
		frappe.throw(_("You may not follow the progress of this demand."), frappe.PermissionError)

	progress = {
		"demand": row.name,
		"enterprise_name": row.enterprise_name,
		"status": row.status,
		"status_label": _(row.status),
		"received_on": row.received_on,
		"resolution": row.resolution if row.status == RESOLVED_LOCALLY else None,
		"resolved_on": row.resolved_on,
		"escalated_on": row.escalated_on,
		"slip": None,
	}
	if row.whistle_slip and frappe.db.exists("Whistle Slip", row.whistle_slip):
		progress["slip"] = public_slip_progress(row.whistle_slip)
	return progress


def public_slip_progress(slip_name: str) -> dict:
	meta = frappe.get_meta("Whistle Slip")
	fields = ["name", "title", *(f for f in PUBLIC_SLIP_FIELDS if meta.has_field(f))]
	slip = frappe.db.get_value("Whistle Slip", slip_name, fields, as_dict=True)
	state = slip.get("workflow_state")
	history = frappe.get_all(
		"Whistle Slip State Log",
		filters={"parenttype": "Whistle Slip", "parent": slip_name},
		fields=["changed_on", "from_state", "action", "to_state"],
		order_by="idx asc",
	)
	return {
		"number": slip.name,
		"title": slip.title,
		"workflow_state": state,
		"workflow_state_label": _(state) if state else None,
		"dispatched_on": slip.get("dispatched_on"),
		"completed_on": slip.get("completed_on"),
		"history": [
			{
				"changed_on": h.changed_on,
				"from_state": h.from_state,
				"action": h.action,
				"to_state": h.to_state,
				"to_state_label": _(h.to_state) if h.to_state else None,
			}
			for h in history
		],
	}


# --- desk helpers -----------------------------------------------------------------------------------


@frappe.whitelist()
def get_slip_categories() -> list[dict]:
	"""The slip categories with their labels, for the escalation dialog."""
	return [{"value": c, "label": _(c)} for c in slip_categories()]


def slip_categories() -> list[str]:
	"""The five categories of RULES §3 as the Whistle Slip stores them."""
	return [c for c in (frappe.get_meta("Whistle Slip").get_options("category") or "").split("\n") if c]
