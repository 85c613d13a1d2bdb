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

from whistle_app import roles
from whistle_app.organisation import REPORTING_UNIT, get_user_unit

SEE_ALL_ROLES = frozenset(
	{"Administrator", "System Manager", roles.WHISTLE_ADMINISTRATOR, roles.WHISTLE_OFFICE}
)
READ_ALL_ROLES = frozenset({roles.DISTRICT_LEADER, roles.EFFICIENCY_OFFICE})
READ_PTYPES = frozenset({"read", "select", "print", "email", "export", "report"})


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


Rule = FieldIn | ChildIn
Scope = tuple[Rule, ...] | None
SCOPES: dict[str, Callable[[str, str], Scope]] = {}


def register(doctype: str):
	"""Register the scope function of a unit-scoped DocType (see ``hooks.py``)."""

	def wrap(fn: Callable[[str, str], Scope]):
		SCOPES[doctype] = fn
		return fn

	return wrap


def sees_all(user: str) -> bool:
	return user == "Administrator" or bool(SEE_ALL_ROLES.intersection(frappe.get_roles(user)))


def reads_all(user: str, ptype: str) -> bool:
	return ptype in READ_PTYPES and bool(READ_ALL_ROLES.intersection(frappe.get_roles(user)))


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
