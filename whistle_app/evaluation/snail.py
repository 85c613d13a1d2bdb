"""The Snail Award (RULES §9): proposed from two final quarterly evaluations, or opened by the
Efficiency Office from published bulletins naming a unit (issue #16); decided by the Efficiency Office.

[decision]s (issue #16, plan 六.1):

- **Origin.** ``origin`` tells the two kinds apart: ``Automatic Proposal`` (自动提名, the quarterly
  evaluation's last place in two consecutive quarters) and ``Efficiency Office Clue``
  (效能办线索提名, ``propose_from_bulletins``). Both are decided the same way (``decide_snail_award``).
- **A clue proposal** names a reporting unit, a quarter that has begun, a reason, and one or more
  published (not superseded) supervision bulletins that name the unit in their final list and whose
  month lies in that quarter or the quarter before (the evidence window of the automatic proposal).
  They are the proposal's evidence rows; the proposer and the reason are kept on it.
- **One proposal per unit and quarter** (``snail_award_name``): the Efficiency Office cannot open a
  second one, whatever the first one's origin or state. When the evaluation later places the unit
  last in two consecutive quarters, the automatic job does not create a second proposal: it adds
  its evidence (the two quarters' ranks and scores, the naming bulletins not cited yet) to the open
  clue proposal, keeps its origin, reason and proposer, and notes this on its timeline; an already
  decided clue proposal is left as it is (a decided award never changes) and the note says so.
"""

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.utils import cint, cstr

from whistle_app.access import is_efficiency_office, requires
from whistle_app.bulletins import NAMED_UNIT, naming_bulletins, period_label
from whistle_app.calendar import current_date
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
	check_quarter,
	quarterly_name,
	snail_award_name,
)
from whistle_app.language import stored_text
from whistle_app.lifecycle import now
from whistle_app.organisation import REPORTING_UNIT
from whistle_app.rules import scoring

# how a proposal was opened (stored Select values, translated on display)
AUTOMATIC = "Automatic Proposal"
CLUE = "Efficiency Office Clue"


class SnailClueError(SnailAwardError):
	"""A clue proposal that does not hold (unit, quarter, reason or a cited bulletin); nothing changes."""


class DuplicateSnailAwardError(SnailAwardError):
	"""The unit already has a Snail Award proposal for the quarter."""


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
		now_row, before_row = rows[(year, quarter)][unit], rows[previous][unit]
		evidence = {
			"assessment_class": now_row.assessment_class,
			"quarterly_evaluation": current_doc.name,
			"rank": now_row.rank,
			"class_size": now_row.class_size,
			"quarter_score": now_row.quarter_score,
			"previous_evaluation": previous_doc.name,
			"previous_rank": before_row.rank,
			"previous_class_size": before_row.class_size,
			"previous_quarter_score": before_row.quarter_score,
		}
		bulletins = evidence_bulletins(unit, [previous, (year, quarter)])
		existing = frappe.db.get_value(SNAIL_AWARD, name, ["origin", "quarterly_evaluation"], as_dict=True)
		if existing:
			if existing.origin == CLUE and not existing.quarterly_evaluation:
				add_evaluation_evidence(name, evidence, bulletins)
			continue
		doc = frappe.get_doc(
			{
				"doctype": SNAIL_AWARD,
				"whistle_unit": unit,
				"year": year,
				"quarter": str(quarter),
				"status": PROPOSED,
				"origin": AUTOMATIC,
				"proposed_on": now(),
				**evidence,
				"naming_count": len(bulletins),
				"bulletins": [{"bulletin": b} for b in bulletins],
			}
		)
		doc.flags.evaluation_write = True
		try:
			doc.insert(ignore_permissions=True)
		except frappe.DuplicateEntryError:  # the Efficiency Office's clue proposal at the same moment
			add_evaluation_evidence(name, evidence, bulletins)
			continue
		created.append(doc.name)
	return created


def add_evaluation_evidence(name: str, evidence: dict, bulletins: list[str]) -> None:
	"""The automatic job meets a proposal of the same unit and quarter (an Efficiency Office clue
	proposal; see the module's [decision]s): an open one receives the evaluation's evidence and the
	naming bulletins it lacks, once; a decided one is left alone. Either way its timeline says so, once."""
	doc = frappe.get_doc(SNAIL_AWARD, name, for_update=True)
	evaluation = evidence["quarterly_evaluation"]
	if doc.origin != CLUE or doc.quarterly_evaluation or _noted(name, evaluation):
		return  # an automatic proposal, or this evaluation's evidence is there already
	if doc.status != PROPOSED:
		doc.add_comment(
			"Info",
			stored_text(
				"The quarterly evaluation {0} also places {1} last in its class in two consecutive "
				"quarters; this proposal had already been decided and is not changed."
			).format(evaluation, doc.whistle_unit),
		)
		return
	doc.update(evidence)
	cited = {row.bulletin for row in doc.bulletins}
	for bulletin in bulletins:
		if bulletin not in cited:
			doc.append("bulletins", {"bulletin": bulletin})
	doc.naming_count = len(doc.bulletins)
	doc.flags.evaluation_write = True
	doc.save(ignore_permissions=True)
	doc.add_comment(
		"Info",
		stored_text(
			"The quarterly evaluation {0} places {1} last in its class in two consecutive quarters; its "
			"evidence was added to this proposal."
		).format(evaluation, doc.whistle_unit),
	)


def _noted(name: str, evaluation: str) -> bool:
	"""Whether the proposal's timeline already holds the automatic job's note about ``evaluation``."""
	comment = DocType("Comment")
	return bool(
		frappe.qb.from_(comment)
		.select(comment.name)
		.where(comment.reference_doctype == SNAIL_AWARD)
		.where(comment.reference_name == name)
		.where(comment.comment_type == "Info")
		.where(comment.content.like(f"%{evaluation}%"))
		.limit(1)
		.run()
	)


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
	doc.decided_by_name = frappe.utils.get_fullname(doc.decided_by)  # people by name (issue #25)
	doc.decided_on = now()
	doc.decision_reason = reason or None
	doc.flags.evaluation_write = True
	doc.save(ignore_permissions=True)
	# the activity log in the site's language, the decider by name (issue #25)
	doc.add_comment(
		"Info",
		stored_text("{0} decided: {1}.").format(
			frappe.utils.get_fullname(doc.decided_by), stored_text(doc.status)
		)
		+ (stored_text("Reason: {0}").format(reason) if reason else ""),
	)
	return doc.status


# --- the Efficiency Office's clue proposals (issue #16) --------------------------------------------------


@frappe.whitelist(methods=["POST"])
@requires(
	is_efficiency_office, "Only the Efficiency Office proposes Snail Awards from supervision bulletins."
)
def propose_from_bulletins(
	unit: str, year: int, quarter: int, bulletins: list | str | None = None, reason: str | None = None
) -> str:
	"""The Efficiency Office opens a Snail Award proposal (效能办线索提名) for the reporting unit
	``unit`` in (year, quarter), citing published bulletins that name it (``bulletins``: names, a
	JSON list or one name) and giving a reason; returns the proposal's name. It is decided like an
	automatic one (``decide_snail_award``). See the module's [decision]s."""
	unit = cstr(unit).strip()
	year, quarter = check_quarter(year, quarter)
	if current_date() < scoring.quarter_bounds(year, quarter)[0]:
		frappe.throw(_("{0} Q{1} has not begun yet.").format(year, quarter), SnailClueError)
	assessment_class = reporting_unit_class(unit)
	reason = cstr(reason).strip()
	if not reason:
		frappe.throw(_("A reason is required to propose a Snail Award."), SnailClueError)
	cited = clue_bulletins(unit, year, quarter, bulletins)
	name = snail_award_name(year, quarter, unit)
	check_no_proposal(name, unit, year, quarter)
	doc = frappe.get_doc(
		{
			"doctype": SNAIL_AWARD,
			"whistle_unit": unit,
			"assessment_class": assessment_class,
			"year": year,
			"quarter": str(quarter),
			"status": PROPOSED,
			"origin": CLUE,
			"proposed_on": now(),
			"proposed_by": frappe.session.user,
			"proposed_by_name": frappe.utils.get_fullname(frappe.session.user),
			"proposal_reason": reason,
			"naming_count": len(cited),
			"bulletins": [{"bulletin": b} for b in cited],
		}
	)
	doc.flags.evaluation_write = True
	try:
		doc.insert(ignore_permissions=True)
	except frappe.DuplicateEntryError:  # the job or another user at the same moment: theirs stands
		check_no_proposal(name, unit, year, quarter, latest=True)
		raise
	return doc.name


def reporting_unit_class(unit: str) -> str | None:
	"""The assessment class of a reporting unit; any other unit is refused."""
	row = (
		frappe.db.get_value("Whistle Unit", unit, ["unit_type", "assessment_class"], as_dict=True)
		if unit
		else None
	)
	if not row or row.unit_type != REPORTING_UNIT:
		frappe.throw(
			_(
				"{0} is not a reporting unit; only reporting units can be proposed for the Snail Award."
			).format(unit or "—"),
			SnailClueError,
		)
	return row.assessment_class or None


def bulletin_names(bulletins: list | str | None) -> list[str]:
	"""The cited bulletins' names, once each, in the order given."""
	if isinstance(bulletins, str):
		text = bulletins.strip()
		try:
			bulletins = frappe.parse_json(text) if text.startswith("[") else [text] if text else []
		except ValueError:
			bulletins = []
	if not isinstance(bulletins, list | tuple):
		bulletins = []
	names: list[str] = []
	for bulletin in bulletins:
		bulletin = cstr(bulletin).strip()
		if bulletin and bulletin not in names:
			names.append(bulletin)
	return names


def clue_bulletins(unit: str, year: int, quarter: int, bulletins: list | str | None) -> list[str]:
	"""The cited bulletins, each published (not superseded), naming ``unit`` in its final list, of a
	month in (year, quarter) or the quarter before; the first that is not is refused."""
	names = bulletin_names(bulletins)
	if not names:
		frappe.throw(
			_("Cite at least one published supervision bulletin that names {0}.").format(unit), SnailClueError
		)
	found = {
		b.name: b
		for b in frappe.get_all(
			BULLETIN,
			filters={"name": ("in", names)},
			fields=["name", "docstatus", "year", "month", "superseded_by"],
		)
	}
	named = DocType(NAMED_UNIT)
	naming = {
		parent
		for (parent,) in frappe.qb.from_(named)
		.select(named.parent)
		.where(named.parenttype == BULLETIN)
		.where(named.parentfield == "named_units")
		.where(named.parent.isin(names))
		.where(named.department == unit)
		.run()
	}
	window = {scoring.previous_quarter(year, quarter), (year, quarter)}
	for name in names:
		bulletin = found.get(name)
		if bulletin is None:
			frappe.throw(_("Supervision bulletin {0} does not exist.").format(name), SnailClueError)
		if bulletin.docstatus == 0:
			frappe.throw(
				_("Supervision bulletin {0} is not published; only published bulletins can be cited.").format(
					name
				),
				SnailClueError,
			)
		if bulletin.docstatus == 2:
			frappe.throw(
				_("Supervision bulletin {0} has been superseded by {1}; cite that one instead.").format(
					name, bulletin.superseded_by or "—"
				),
				SnailClueError,
			)
		if name not in naming:
			frappe.throw(_("Supervision bulletin {0} does not name {1}.").format(name, unit), SnailClueError)
		if (cint(bulletin.year), (cint(bulletin.month) - 1) // 3 + 1) not in window:
			previous = scoring.previous_quarter(year, quarter)
			frappe.throw(
				_(
					"Supervision bulletin {0} is of {1}; a proposal for {2} Q{3} cites bulletins of {2} Q{3} "
					"or {4} Q{5}."
				).format(name, period_label(bulletin.year, bulletin.month), year, quarter, *previous),
				SnailClueError,
			)
	return names


def check_no_proposal(name: str, unit: str, year: int, quarter: int, latest: bool = False) -> None:
	"""One Snail Award proposal per unit and quarter, whatever its origin (``latest``: read the row as
	committed now, after a concurrent insert won)."""
	status = frappe.db.get_value(SNAIL_AWARD, name, "status", for_update=latest)
	if status == PROPOSED:
		frappe.throw(
			_("{0} already has an open Snail Award proposal for {1} Q{2}: {3}.").format(
				unit, year, quarter, name
			),
			DuplicateSnailAwardError,
		)
	if status:
		frappe.throw(
			_("The Snail Award of {0} for {1} Q{2} has already been decided: {3} ({4}).").format(
				unit, year, quarter, _(status), name
			),
			DuplicateSnailAwardError,
		)
