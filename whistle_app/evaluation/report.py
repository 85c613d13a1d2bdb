"""Who reads the evaluation reports and what they show (RULES §10): the report helpers."""

import frappe
from frappe import _

from whistle_app.access import is_office, reads_all, require, sees_all
from whistle_app.evaluation.common import DEPARTMENT_ROLES, FINAL
from whistle_app.organisation import REPORTING_UNIT, get_unit_type, get_user_unit

# --- who may do what ---------------------------------------------------------------------------------


def check_office(user: str | None = None) -> None:
	require(is_office, "Only the Whistle Office evaluates and finalises evaluations.", user)


def visible_unit(user: str | None = None) -> str | None:
	"""Whose rows the user sees in the evaluation reports.

	None: every unit (office, administrators, District Leaders, the Efficiency Office, RULES §10).
	A unit name: a department user sees only its own unit's rows ([decision]: conservative; the
	rank, class size and class average on its row tell it where it stands). Anyone else is refused.
	"""
	user = user or frappe.session.user
	if sees_all(user) or reads_all(user, "report"):
		return None
	unit = get_user_unit(user)
	if (
		unit
		and get_unit_type(unit) == REPORTING_UNIT
		and DEPARTMENT_ROLES.intersection(frappe.get_roles(user))
	):
		return unit
	frappe.throw(
		_(
			"Evaluation results are shown to the Whistle Office, District Leaders, the Efficiency Office and to each department for itself."
		),
		frappe.PermissionError,
	)


def visible_rows(doc, filters) -> list:
	"""The rows of an evaluation (``doc.units``) the user may see in a report, filtered by class."""
	unit = visible_unit()  # refuses users outside the evaluation's audience, evaluated or not
	if doc is None:
		return []
	return [
		row
		for row in doc.units
		if (not filters.get("assessment_class") or row.assessment_class == filters.assessment_class)
		and (not unit or row.whistle_unit == unit)
	]


def report_column(fieldname: str, label: str, fieldtype: str = "Float", width: int = 90, **kw) -> dict:
	"""A Script Report column of the evaluation reports."""
	return {"fieldname": fieldname, "label": label, "fieldtype": fieldtype, "width": width, **kw}


def draft_message(doc) -> str | None:
	"""The reports' warning while an evaluation is not final."""
	if doc.status != FINAL:
		return _("Draft: the numbers may still change until the Whistle Office finalises the evaluation.")
	return None


@frappe.whitelist(methods=["GET", "POST"])
@frappe.read_only()
def latest_period() -> dict:
	"""The latest evaluated quarter and year, where the ranking reports open (issue #20: not on a
	quarter nobody evaluated). Its audience is the reports' (``visible_unit`` refuses anyone else)."""
	from whistle_app.evaluation.common import ANNUAL, QUARTERLY

	visible_unit()
	quarter = frappe.get_all(
		QUARTERLY, fields=["year", "quarter"], order_by="year desc, quarter desc", limit=1
	)
	annual = frappe.get_all(ANNUAL, fields=["year"], order_by="year desc", limit=1)
	return {
		"year": quarter[0].year if quarter else None,
		"quarter": quarter[0].quarter if quarter else None,
		"annual_year": annual[0].year if annual else None,
	}
