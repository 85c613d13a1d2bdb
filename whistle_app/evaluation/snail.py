"""The Snail Award (RULES §9): proposed from two final quarterly evaluations, decided by the
Efficiency Office."""

import frappe
from frappe import _
from frappe.utils import cint

from whistle_app.access import is_efficiency_office, requires
from whistle_app.bulletins import naming_bulletins
from whistle_app.evaluation.common import (
	AWARDED,
	BULLETIN,
	CONFIRM,
	FINAL,
	NOT_AWARDED,
	PROPOSED,
	QUARTERLY,
	REJECT,
	SNAIL_AWARD,
	SnailAwardError,
	quarterly_name,
	snail_award_name,
)
from whistle_app.lifecycle import now
from whistle_app.rules import scoring

# --- Snail Award (§9) --------------------------------------------------------------------------------------


def _final_quarter(year: int, quarter: int):
	name = quarterly_name(year, quarter)
	if frappe.db.get_value(QUARTERLY, name, "status") != FINAL:
		return None
	return frappe.get_doc(QUARTERLY, name)


def evidence_bulletins(unit: str, periods: list[tuple[int, int]]) -> list[str]:
	"""The published bulletins naming ``unit`` whose month lies in one of the quarters ``periods``."""

	names: list[str] = []
	for year in sorted({y for y, _q in periods}):
		names.extend(b for b in naming_bulletins(unit, year) if b not in names)
	if not names:
		return []
	months = {
		b.name: (cint(b.year), (cint(b.month) - 1) // 3 + 1)
		for b in frappe.get_all(BULLETIN, filters={"name": ("in", names)}, fields=["name", "year", "month"])
	}
	return [b for b in names if months.get(b) in set(periods)]


def propose_snail_awards(year: int, quarter: int) -> list[str]:
	"""Snail Award proposals for (year, quarter): every unit at last place of its class there and in
	the quarter before, both evaluations final (§9). Idempotent: one proposal per unit and quarter."""
	previous = scoring.previous_quarter(year, quarter)
	current_doc, previous_doc = _final_quarter(year, quarter), _final_quarter(*previous)
	if current_doc is None or previous_doc is None:
		return []
	rows = {
		(year, quarter): {r.whistle_unit: r for r in current_doc.units},
		previous: {r.whistle_unit: r for r in previous_doc.units},
	}
	last = {period: {u for u, r in by_unit.items() if r.is_last} for period, by_unit in rows.items()}
	created = []
	for unit in sorted(scoring.snail_candidates(last, year, quarter)):
		name = snail_award_name(year, quarter, unit)
		if frappe.db.exists(SNAIL_AWARD, name):
			continue
		now_row, before_row = rows[(year, quarter)][unit], rows[previous][unit]
		bulletins = evidence_bulletins(unit, [previous, (year, quarter)])
		doc = frappe.get_doc(
			{
				"doctype": SNAIL_AWARD,
				"whistle_unit": unit,
				"assessment_class": now_row.assessment_class,
				"year": year,
				"quarter": str(quarter),
				"status": PROPOSED,
				"proposed_on": now(),
				"quarterly_evaluation": current_doc.name,
				"rank": now_row.rank,
				"class_size": now_row.class_size,
				"quarter_score": now_row.quarter_score,
				"previous_evaluation": previous_doc.name,
				"previous_rank": before_row.rank,
				"previous_class_size": before_row.class_size,
				"previous_quarter_score": before_row.quarter_score,
				"naming_count": len(bulletins),
				"bulletins": [{"bulletin": b} for b in bulletins],
			}
		)
		doc.flags.evaluation_write = True
		doc.insert(ignore_permissions=True)
		created.append(doc.name)
	return created


@frappe.whitelist(methods=["POST"])
@requires(is_efficiency_office, "Only the Efficiency Office confirms or rejects Snail Awards.")
def decide_snail_award(name: str, decision: str, reason: str | None = None) -> str:
	"""The Efficiency Office confirms (认定) or rejects a proposed Snail Award; rejecting needs a
	reason. Returns the new status."""
	if decision not in (CONFIRM, REJECT):
		frappe.throw(
			_("Please choose one of: {0}.").format(
				"、".join((_("Confirm Snail Award"), _("Reject Snail Award")))
			),
			SnailAwardError,
		)
	reason = (reason or "").strip()
	if decision == REJECT and not reason:
		frappe.throw(_("A reason is required to reject a Snail Award."), SnailAwardError)
	if not frappe.db.exists(SNAIL_AWARD, name):
		frappe.throw(_("Snail Award {0} does not exist.").format(name), frappe.DoesNotExistError)
	doc = frappe.get_doc(SNAIL_AWARD, name, for_update=True)
	doc.check_permission("read")
	if doc.status != PROPOSED:
		frappe.throw(
			_("Snail Award {0} has already been decided: {1}.").format(name, _(doc.status)), SnailAwardError
		)
	doc.status = AWARDED if decision == CONFIRM else NOT_AWARDED
	doc.decided_by = frappe.session.user
	doc.decided_on = now()
	doc.decision_reason = reason or None
	doc.flags.evaluation_write = True
	doc.save(ignore_permissions=True)
	return doc.status
