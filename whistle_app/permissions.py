"""Access (RULES §10): one module for list queries and document checks.

Each unit-scoped DocType registers a *scope*: for a user and a permission type it returns either
``None`` (no row restriction beyond the role permissions) or a tuple of rules, any of which lets a
row through (an empty tuple lets nothing through). The same rule objects produce

* the ``frappe.qb`` criterion behind ``permission_query_conditions`` (list views, REST lists,
  link search, reports and exports that go through ``frappe.get_list``), and
* the ``has_permission`` check of a single document, which evaluates that very criterion in the
  database for saved documents and the rule on the in-memory document,

so list and document checks cannot drift apart.
"""

from collections.abc import Callable
from dataclasses import dataclass

import frappe
from frappe.query_builder import Criterion, DocType
from frappe.query_builder.terms import NamedParameterWrapper

from whistle_app.access import (
	READ_PTYPES,
	is_district_leader,
	is_efficiency_office,
	is_enterprise,
	reads_all,
	sees_all,
)
from whistle_app.hooks import SCOPED_CHILD_DOCTYPES, UNIT_SCOPED_DOCTYPES
from whistle_app.organisation import REPORTING_UNIT, WHISTLING_TYPES, get_unit_type, get_user_unit
from whistle_app.rules.accountability import UNIT_VISIBLE_STATES
from whistle_app.rules.coordination import CANDIDATE, DECISION, MEETING
from whistle_app.whistle.doctype.enterprise.enterprise import get_user_enterprise


@dataclass(frozen=True)
class FieldIn:
	"""The row's ``field`` is one of ``values``."""

	field: str
	values: tuple[str, ...]

	def criterion(self, table):
		return table[self.field].isin(self.values)

	def matches(self, doc) -> bool:
		return doc.get(self.field) in self.values


@dataclass(frozen=True)
class ChildIn:
	"""Some row of the child table ``parentfield`` has ``field`` in ``values``."""

	child_doctype: str
	parentfield: str
	field: str
	values: tuple[str, ...]

	def criterion(self, table):
		child = DocType(self.child_doctype)
		rows = (
			frappe.qb.from_(child)
			.select(child.parent)
			.where(child.parentfield == self.parentfield)
			.where(child[self.field].isin(self.values))
		)
		return table.name.isin(rows)

	def matches(self, doc) -> bool:
		return any(row.get(self.field) in self.values for row in doc.get(self.parentfield) or [])


@dataclass(frozen=True)
class AllOf:
	"""Every one of ``rules`` holds (e.g. the user's unit *and* a state it may see)."""

	rules: tuple

	def criterion(self, table):
		return Criterion.all([rule.criterion(table) for rule in self.rules])

	def matches(self, doc) -> bool:
		return all(rule.matches(doc) for rule in self.rules)


Rule = FieldIn | ChildIn | AllOf
Scope = tuple[Rule, ...] | None
SCOPES: dict[str, Callable[[str, str], Scope]] = {}


def register(doctype: str):
	"""Register the scope function of a unit-scoped DocType (see ``hooks.py``)."""

	def wrap(fn: Callable[[str, str], Scope]):
		SCOPES[doctype] = fn
		return fn

	return wrap


def scope_for(doctype: str, user: str, ptype: str) -> Scope:
	if sees_all(user) or reads_all(user, ptype):
		return None
	return SCOPES[doctype](user, ptype)


# --- the two Frappe hooks -----------------------------------------------------------------------


def query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""``permission_query_conditions`` hook: the scope's criterion as SQL."""
	user = user or frappe.session.user
	scope = scope_for(doctype, user, "read")
	if scope is None:
		return ""
	if not scope:
		return "1=0"
	params = NamedParameterWrapper()
	sql = scope_criterion(doctype, scope).get_sql(quote_char="`", with_namespace=True, param_wrapper=params)
	return frappe.db.mogrify(sql, params.get_parameters())


def child_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""``permission_query_conditions`` hook of a child DocType of a unit-scoped DocType: only rows whose
	parent the user may read, on every generic list endpoint (``frappe.client.get_list`` with
	``parent=``, report view, group-by counts, number cards, charts). Frappe checks a child table
	against its parent's role permissions only, not against the parent's rows."""

	user = user or frappe.session.user
	parent = SCOPED_CHILD_DOCTYPES[doctype]
	scope = scope_for(parent, user, "read")
	if scope is None:
		return ""
	if not scope:
		return "1=0"
	child, parent_table = DocType(doctype), DocType(parent)
	readable = frappe.qb.from_(parent_table).select(parent_table.name).where(scope_criterion(parent, scope))
	criterion = (child.parenttype == parent) & child.parent.isin(readable)
	params = NamedParameterWrapper()
	sql = criterion.get_sql(quote_char="`", with_namespace=True, param_wrapper=params)
	return frappe.db.mogrify(sql, params.get_parameters())


def reference_conditions(doctype: str, doctype_field: str, name_field: str, user: str) -> str:
	"""Rows of Frappe's own ``doctype`` that point at a document (``doctype_field``/``name_field``): those
	pointing at a unit-scoped document of the app only for users who may read that document."""

	table = DocType(doctype)
	ref_doctype, ref_name = table[doctype_field], table[name_field]
	allowed = [ref_doctype.isnull(), ref_doctype.notin(UNIT_SCOPED_DOCTYPES)]
	for scoped in UNIT_SCOPED_DOCTYPES:
		scope = scope_for(scoped, user, "read")
		if scope is None:
			allowed.append(ref_doctype == scoped)
		elif scope:
			parent = DocType(scoped)
			readable = frappe.qb.from_(parent).select(parent.name).where(scope_criterion(scoped, scope))
			allowed.append((ref_doctype == scoped) & ref_name.isin(readable))
	params = NamedParameterWrapper()
	sql = Criterion.any(allowed).get_sql(quote_char="`", with_namespace=True, param_wrapper=params)
	return f"({frappe.db.mogrify(sql, params.get_parameters())})"


def file_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""``permission_query_conditions`` of File: Frappe lists every file attached to any DocType the user
	has a role permission on; a file of a unit-scoped document is listed only with that document."""
	return reference_conditions(
		"File", "attached_to_doctype", "attached_to_name", user or frappe.session.user
	)


def workflow_action_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""``permission_query_conditions`` of Workflow Action: Frappe lists the open actions of every
	document whose workflow the user's roles take part in; only those of documents it may read."""
	return reference_conditions(
		"Workflow Action", "reference_doctype", "reference_name", user or frappe.session.user
	)


def user_rule(user: str):
	"""Whom a unit's user sees in Frappe's User list (with last login, last address...): itself and the
	users of its own unit; the office and those who read everything see all (None)."""
	if sees_all(user) or reads_all(user, "read"):
		return None
	table = DocType("User")
	unit = get_user_unit(user)
	return (table.name == user) | (table.whistle_unit == unit) if unit else table.name == user


def user_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""``permission_query_conditions`` of User (besides Frappe's own)."""
	rule = user_rule(user or frappe.session.user)
	if rule is None:
		return ""
	params = NamedParameterWrapper()
	sql = rule.get_sql(quote_char="`", with_namespace=True, param_wrapper=params)
	return f"({frappe.db.mogrify(sql, params.get_parameters())})"


def user_has_permission(
	doc, ptype: str = "read", user: str | None = None, debug: bool = False
) -> bool | None:
	"""``has_permission`` of User: the same rule for one user record."""
	user = user or frappe.session.user
	if user_rule(user) is None or doc.name == user:
		return None
	unit = get_user_unit(user)
	if unit and frappe.db.get_value("User", doc.name, "whistle_unit") == unit:
		return None
	return False


def has_permission(doc, ptype: str = "read", user: str | None = None, debug: bool = False) -> bool | None:
	"""``has_permission`` hook: False when the document is outside the user's scope.

	Both the document as sent and, for a saved document, its stored row must be in scope, so a
	client cannot pull another unit's document into its own scope by editing fields.
	"""
	user = user or frappe.session.user
	scope = scope_for(doc.doctype, user, ptype)
	if scope is None:
		return None
	if not any(rule.matches(doc) for rule in scope):
		return False
	if not doc.is_new() and not stored_row_in_scope(doc.doctype, doc.name, scope):
		return False
	return None


def scope_criterion(doctype: str, scope: tuple[Rule, ...]):
	table = DocType(doctype)
	return Criterion.any([rule.criterion(table) for rule in scope])


def stored_row_in_scope(doctype: str, name: str, scope: tuple[Rule, ...]) -> bool:
	table = DocType(doctype)
	if not frappe.db.exists(doctype, name):
		return True  # not stored yet (e.g. inserted with a chosen name): the in-memory check decides
	query = (
		frappe.qb.from_(table)
		.select(table.name)
		.where(table.name == name)
		.where(scope_criterion(doctype, scope))
	)
	return bool(query.run())


# --- scopes ---------------------------------------------------------------------------------------


@register("Whistle Unit")
def unit_scope(user: str, ptype: str) -> Scope:
	"""Everybody may read the reporting units and their own unit; only their own unit is editable."""
	unit = get_user_unit(user)
	own = (FieldIn("name", (unit,)),) if unit else ()
	if ptype in READ_PTYPES:
		return (FieldIn("unit_type", (REPORTING_UNIT,)), *own)
	return own


@register("Whistle Slip")
def slip_scope(user: str, ptype: str) -> Scope:
	"""§10: a park sees its own unit's whistles; a department the whistles its unit is on."""
	unit = get_user_unit(user)
	if not unit:
		return ()
	if ptype == "create":  # a new slip without a unit is stamped with the filer's unit (before_insert)
		return (FieldIn("whistle_unit", (unit, None, "")),)
	return (
		FieldIn("whistle_unit", (unit,)),
		ChildIn("Whistle Slip Department", "departments", "department", (unit,)),
	)


def _whistling_unit(user: str) -> str | None:
	"""The user's unit if it is a park or town."""

	unit = get_user_unit(user)
	return unit if unit and get_unit_type(unit) in WHISTLING_TYPES else None


def _own_enterprise(user: str) -> str | None:
	"""The enterprise whose portal user this is, for users with the Enterprise role."""

	if not is_enterprise(user):
		return None
	return get_user_enterprise(user)


@register("Enterprise Demand")
def enterprise_demand_scope(user: str, ptype: str) -> Scope:
	"""§10: a park sees and edits only its own unit's demands; an enterprise reads only its own.

	Department users see no demands (a slip raised from a demand carries its text). Enterprises
	create demands only through the web form, whose controller stamps enterprise and park; they
	never edit them.
	"""
	rules: list[Rule] = []
	if park := _whistling_unit(user):
		rules.append(FieldIn("whistle_unit", (park,)))
	if ptype in READ_PTYPES and (enterprise := _own_enterprise(user)):
		rules.append(FieldIn("enterprise", (enterprise,)))
	return tuple(rules)


@register("Enterprise")
def enterprise_scope(user: str, ptype: str) -> Scope:
	"""Who sees the enterprise register.

	* a park registers and edits the enterprises of its own unit and reads only those;
	* a department reads every enterprise (slips of any park reach it) and edits none;
	* an enterprise reads only its own record and edits nothing;
	* office, District Leaders and the Efficiency Office as in ``scope_for``.
	"""

	rules: list[Rule] = []
	if park := _whistling_unit(user):
		rules.append(FieldIn("whistle_unit", (park,)))
	elif ptype in READ_PTYPES and get_unit_type(get_user_unit(user)) == REPORTING_UNIT:
		return None
	if ptype in READ_PTYPES and (enterprise := _own_enterprise(user)):
		rules.append(FieldIn("name", (enterprise,)))
	return tuple(rules)


# --- side-path requests of a slip (RULES §3.1): extension, exemption, assessment exclusion ---------


@register("Whistle Extension Request")
@register("Whistle Exemption Request")
@register("Assessment Exclusion Request")
def slip_request_scope(user: str, ptype: str) -> Scope:
	"""Who sees and acts on the side-path requests of a whistle.

	* a department sees and edits only its own unit's requests (``department``); a new request
	  without a department is stamped with the filer's unit by its controller;
	* a park reads (never edits) the requests on its own unit's whistles (``whistle_unit``, fetched
	  from the slip): they move its whistle's deadline or take it out of assessment;
	* District Leaders approve exemptions and exclusions: no row restriction (their DocPerms say
	  which request types they may write and submit; the request controller checks the step);
	* office, Efficiency Office and administrators as in ``scope_for``.
	"""
	if is_district_leader(user):
		return None
	unit = get_user_unit(user)
	if not unit:
		return ()
	if ptype == "create":
		return (FieldIn("department", (unit, None, "")),)
	rules: list[Rule] = [FieldIn("department", (unit,))]
	if ptype in READ_PTYPES:
		rules.append(FieldIn("whistle_unit", (unit,)))
	return tuple(rules)


# --- one whistle, one rating (RULES §5) --------------------------------------------------------------


@register("Whistle Rating")
def rating_scope(user: str, ptype: str) -> Scope:
	"""Ratings are seen by the rater's unit and the rated department; only the rater's unit edits
	its drafts (a new rating is stamped with the rater's unit by its controller). The office sees
	all and alone cancels and amends; District Leaders and the Efficiency Office read all."""
	unit = get_user_unit(user)
	if not unit:
		return ()
	if ptype == "create":
		return (FieldIn("rater_unit", (unit, None, "")),)
	rules: list[Rule] = [FieldIn("rater_unit", (unit,))]
	if ptype in READ_PTYPES:
		rules.append(FieldIn("rated_department", (unit,)))
	return tuple(rules)


@register("Whistle Slip Score")
def slip_score_scope(user: str, ptype: str) -> Scope:
	"""Slip scores are system-maintained: a department reads its own, a park those of its whistles."""
	unit = get_user_unit(user)
	if not unit or ptype not in READ_PTYPES:
		return ()
	return (FieldIn("department", (unit,)), FieldIn("whistle_unit", (unit,)))


# --- enterprise satisfaction surveys (RULES §7) -------------------------------------------------------


@register("Satisfaction Vote")
def satisfaction_vote_scope(user: str, ptype: str) -> Scope:
	"""Individual votes are seen by the office (and District Leaders and the Efficiency Office, as in
	``scope_for``) and by the enterprise that cast them; units see only results, never who voted."""
	if ptype in READ_PTYPES and (enterprise := _own_enterprise(user)):
		return (FieldIn("enterprise", (enterprise,)),)
	return ()


# --- monthly supervision bulletin (RULES §6) -----------------------------------------------------------


@register("Supervision Bulletin")
def bulletin_scope(user: str, ptype: str) -> Scope:
	"""Every unit reads the published bulletins (and those a correction superseded), never drafts;
	only the office drafts, edits and publishes (its DocPerms). District Leaders and the Efficiency
	Office read all, as in ``scope_for``."""
	if ptype in READ_PTYPES and get_user_unit(user):
		return (FieldIn("docstatus", (1, 2)),)
	return ()


# --- quarterly and annual evaluation, Snail Award (RULES §7–§9) ------------------------------------------


@register("Quarterly Evaluation")
@register("Annual Evaluation")
def evaluation_scope(user: str, ptype: str) -> Scope:
	"""Evaluation documents are read by the office, District Leaders and the Efficiency Office (as in
	``scope_for``) only. Departments hold report/export permission on them so that they can run the
	ranking reports, which show them their own unit's rows only; they read no evaluation document."""
	return ()


@register("Snail Award")
def snail_award_scope(user: str, ptype: str) -> Scope:
	"""A department reads its own unit's Snail Awards; only the Efficiency Office decides them (through
	``evaluation.decide_snail_award``); the office and District Leaders read all, as in ``scope_for``."""
	unit = get_user_unit(user)
	if not unit or ptype not in READ_PTYPES:
		return ()
	return (FieldIn("whistle_unit", (unit,)),)


# --- accountability and fault tolerance (RULES §13) ----------------------------------------------------


@register("Accountability Case")
def accountability_case_scope(user: str, ptype: str) -> Scope:
	"""The Efficiency Office and District Leaders read and act (the case's workflow says who takes
	which step); the office reads (its DocPerms); the unit concerned reads its own cases once decided
	(处理, 移送, 办结), never while registered or being verified; nobody else sees any."""
	if is_efficiency_office(user) or is_district_leader(user):
		return None
	unit = get_user_unit(user)
	if not unit or ptype not in READ_PTYPES:
		return ()
	return (AllOf((FieldIn("whistle_unit", (unit,)), FieldIn("workflow_state", UNIT_VISIBLE_STATES))),)


@register("Fault Tolerance Application")
def fault_tolerance_scope(user: str, ptype: str) -> Scope:
	"""The unit concerned files and reads its own applications (a new one is stamped with its case's
	unit by the controller); the Efficiency Office reviews and District Leaders decide (all rows; the
	workflow checks the step); the office reads."""
	if is_efficiency_office(user) or is_district_leader(user):
		return None
	unit = get_user_unit(user)
	if not unit:
		return ()
	if ptype == "create":
		return (FieldIn("whistle_unit", (unit, None, "")),)
	return (FieldIn("whistle_unit", (unit,)),)


# --- the District Head's coordination (RULES §12) ------------------------------------------------------


@register(MEETING)
def coordination_meeting_scope(user: str, ptype: str) -> Scope:
	"""The office schedules and publishes (its DocPerms, the meeting's workflow); District Leaders read
	all (as in ``scope_for``); a unit reads the meetings it attends."""
	unit = get_user_unit(user)
	if not unit or ptype not in READ_PTYPES:
		return ()
	return (ChildIn("Coordination Meeting Unit", "attending_units", "unit", (unit,)),)


@register(DECISION)
def coordination_decision_scope(user: str, ptype: str) -> Scope:
	"""A unit reads and reports the decisions assigned to it (the workflow lets it write only its
	result); the park of the whistle reads the decisions on it ([decision]: it is told of them)."""
	unit = get_user_unit(user)
	if not unit:
		return ()
	rules: list[Rule] = [ChildIn("Coordination Decision Unit", "responsible_units", "unit", (unit,))]
	if ptype == "create":
		return ()
	if ptype in READ_PTYPES:
		rules.append(FieldIn("whistle_unit", (unit,)))
	return tuple(rules)


@register(CANDIDATE)
def coordination_candidate_scope(user: str, ptype: str) -> Scope:
	"""The office's queue: a unit reads only the requests it made; the app writes them all."""
	unit = get_user_unit(user)
	if not unit or ptype not in READ_PTYPES:
		return ()
	return (FieldIn("requesting_unit", (unit,)),)


# --- rater fairness (RULES §14) ---------------------------------------------------------------------------


@register("Rater Fairness Statistic")
def rater_fairness_scope(user: str, ptype: str) -> Scope:
	"""A rating unit (park or lead department) reads its own statistics only, never another rater's;
	the office, District Leaders and the Efficiency Office read all (as in ``scope_for``); nobody
	writes them but the fairness job (the office's reviews go through ``fairness.review_flag``)."""
	unit = get_user_unit(user)
	if not unit or ptype not in READ_PTYPES:
		return ()
	return (FieldIn("rater_unit", (unit,)),)
