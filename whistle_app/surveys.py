"""Enterprise satisfaction surveys (RULES §7): the office opens and closes one survey per quarter,
enterprises vote online on the page ``/satisfaction`` (one vote per enterprise per reporting unit
per quarter, backed by a unique key), the office may enter tallies; a closed survey's votes feed
the quarterly evaluation through ``quarter_votes``.

Pure rules (levels, sums, eligibility window) are in ``whistle_app.rules.survey``; the score itself
is ``whistle_app.rules.scoring.satisfaction``.
"""

import datetime

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.query_builder.functions import Count
from frappe.rate_limiter import rate_limit

from whistle_app import roles
from whistle_app.access import is_office, require, requires
from whistle_app.demand import is_enterprise_user
from whistle_app.lifecycle import now
from whistle_app.organisation import REPORTING_UNIT
from whistle_app.rules import scoring
from whistle_app.rules import survey as sv
from whistle_app.whistle.doctype.enterprise.enterprise import get_user_enterprise

SURVEY = "Satisfaction Survey"
VOTE = "Satisfaction Vote"


class SurveyStateError(frappe.ValidationError):
	"""The survey is not in a state that allows this (not open, already closed...)."""


class SurveyTallyError(frappe.ValidationError):
	pass


class VoteNotAllowedError(frappe.ValidationError):
	"""This enterprise may not vote for this unit in this survey."""


class DuplicateVoteError(frappe.ValidationError):
	pass


# --- the office: create, open, close ------------------------------------------------------------------


def check_office(user: str | None = None) -> None:
	require(is_office, "Only the Whistle Office manages satisfaction surveys.", user)


@frappe.whitelist(methods=["POST"])
@requires(is_office, "Only the Whistle Office manages satisfaction surveys.")
def create_survey(year: int, quarter: int) -> str:
	"""The survey of a quarter (a draft), or the existing one."""
	year, quarter = int(year), int(quarter)
	name = survey_name(year, quarter)
	if frappe.db.exists(SURVEY, name):
		return name
	doc = frappe.get_doc({"doctype": SURVEY, "year": year, "quarter": str(quarter)})
	doc.insert()
	return doc.name


def survey_name(year: int, quarter: int) -> str:
	try:
		return sv.survey_name(year, quarter)
	except scoring.ScoreError:
		frappe.throw(_("{0} Q{1} is not a valid quarter.").format(year, quarter), SurveyStateError)


@frappe.whitelist(methods=["POST"])
def open_survey(survey: str) -> None:
	"""Open the survey for online votes."""
	move(survey, sv.OPEN)


@frappe.whitelist(methods=["POST"])
def close_survey(survey: str) -> None:
	"""Close the survey: no more votes or tallies; its votes now count for the quarter."""
	move(survey, sv.CLOSED)


def move(survey: str, target: str) -> None:
	check_office()
	doc = frappe.get_doc(SURVEY, survey, for_update=True)
	doc.check_permission("write")
	if not sv.can_move(doc.status, target):
		frappe.throw(
			_("Satisfaction survey {0} is {1}; it cannot be set to {2}.").format(
				doc.name, _(doc.status), _(target)
			),
			SurveyStateError,
		)
	doc.status = target
	moment = now()
	if target == sv.OPEN:
		doc.opened_on, doc.opened_by = moment, frappe.session.user
	else:
		doc.closed_on, doc.closed_by = moment, frappe.session.user
	doc.flags.survey_transition = True
	doc.save()


# --- votes ------------------------------------------------------------------------------------------------


def quarter_window(year: int, quarter: int) -> tuple[datetime.datetime, datetime.datetime]:
	"""[start, end) of a quarter as Asia/Shanghai datetimes (the system time zone)."""
	first, last = scoring.quarter_bounds(year, quarter)
	start = datetime.datetime.combine(first, datetime.time())
	return start, datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time())


def reporting_units() -> list[dict]:
	unit = DocType("Whistle Unit")
	return (
		frappe.qb.from_(unit)
		.select(unit.name, unit.unit_name, unit.assessment_class)
		.where(unit.unit_type == REPORTING_UNIT)
		.where(unit.enabled == 1)
		.orderby(unit.assessment_class)
		.orderby(unit.display_order)
		.orderby(unit.name)
		.run(as_dict=True)
	)


def eligible_units(survey, enterprise: str) -> list[str]:
	"""The reporting units this enterprise may rate in this survey: those on its whistles active in
	the quarter (``rules.survey.active_in_quarter``), or every enabled reporting unit when the office
	opened the survey to all enterprises."""
	enabled = [u.name for u in reporting_units()]
	if survey.open_to_all_enterprises:
		return enabled
	start, end = quarter_window(survey.year, int(survey.quarter))
	slip, dept = DocType("Whistle Slip"), DocType("Whistle Slip Department")
	rows = (
		frappe.qb.from_(slip)
		.join(dept)
		.on((dept.parent == slip.name) & (dept.parenttype == "Whistle Slip"))
		.select(dept.department)
		.distinct()
		.where(slip.enterprise == enterprise)
		.where(slip.dispatched_on.isnotnull())
		.where(slip.dispatched_on < end)
		.where(slip.closed_on.isnull() | (slip.closed_on >= start))
		.run(pluck=True)
	)
	involved = set(rows)
	return [name for name in enabled if name in involved]


def open_surveys() -> list[str]:
	return frappe.get_all(SURVEY, filters={"status": sv.OPEN}, pluck="name", order_by="name desc")


def current_enterprise() -> str:
	if not is_enterprise_user():
		frappe.throw(_("Only enterprises vote in satisfaction surveys."), frappe.PermissionError)
	enterprise = get_user_enterprise()
	if not enterprise:
		frappe.throw(
			_(
				"Your login is not linked to a registered enterprise; please ask your park or town to register it."
			),
			frappe.PermissionError,
		)
	return enterprise


@frappe.whitelist()
def get_ballot() -> list[dict]:
	"""For the enterprise user: each open survey with the units it may rate and the votes it cast."""
	enterprise = current_enterprise()
	names = {u.name: u.unit_name for u in reporting_units()}
	ballots = []
	for name in open_surveys():
		survey = frappe.get_doc(SURVEY, name)
		cast = dict(
			frappe.get_all(
				VOTE,
				filters={"survey": name, "enterprise": enterprise},
				fields=["whistle_unit", "level"],
				as_list=True,
			)
		)
		ballots.append(
			{
				"survey": name,
				"title": survey.title,
				"units": [
					{"unit": unit, "unit_name": names.get(unit, unit), "voted": cast.get(unit)}
					for unit in eligible_units(survey, enterprise)
				],
			}
		)
	return ballots


@frappe.whitelist(methods=["POST"])
@rate_limit(limit=120, seconds=60 * 60)
def cast_vote(survey: str, unit: str, level: str) -> str:
	"""One enterprise's vote for one unit in an open survey; a vote is final."""
	enterprise = current_enterprise()
	if level not in sv.LEVELS:
		frappe.throw(
			_("Please choose one of: {0}.").format("、".join(_(level) for level in sv.LEVELS)),
			VoteNotAllowedError,
		)
	if not frappe.db.exists(SURVEY, survey):
		frappe.throw(_("Satisfaction survey {0} does not exist.").format(survey), SurveyStateError)
	doc = frappe.get_doc(SURVEY, survey)
	if doc.status != sv.OPEN:
		frappe.throw(_("Satisfaction survey {0} is not open for votes.").format(survey), SurveyStateError)
	if unit not in eligible_units(doc, enterprise):
		frappe.throw(
			_("Your enterprise cannot rate this unit in this survey: none of its whistles involved it."),
			VoteNotAllowedError,
		)
	key = sv.vote_key(survey, enterprise, unit)
	if frappe.db.exists(VOTE, {"vote_key": key}):
		frappe.throw(_("Your enterprise has already rated this unit in this survey."), DuplicateVoteError)
	vote = frappe.get_doc(
		{
			"doctype": VOTE,
			"survey": survey,
			"whistle_unit": unit,
			"level": level,
			"enterprise": enterprise,
			"voted_by": frappe.session.user,
			"voted_on": now(),
			"vote_key": key,
		}
	)
	vote.flags.cast_by_enterprise = True
	try:
		# votes are written only here, after the checks above (nobody has create permission)
		vote.insert(ignore_permissions=True)
	except frappe.UniqueValidationError:
		frappe.throw(_("Your enterprise has already rated this unit in this survey."), DuplicateVoteError)
	return vote.name


# --- results ------------------------------------------------------------------------------------------------


def survey_votes(survey: str) -> dict[str, scoring.VoteCounts]:
	"""Online votes plus office tallies per unit (one grouped query and the tally rows)."""
	vote = DocType(VOTE)
	online = (
		frappe.qb.from_(vote)
		.select(vote.whistle_unit, vote.level, Count("*"))
		.where(vote.survey == survey)
		.groupby(vote.whistle_unit, vote.level)
		.run()
	)
	tally = DocType("Satisfaction Survey Tally")
	tallies = (
		frappe.qb.from_(tally)
		.select(
			tally.whistle_unit,
			tally.satisfied,
			tally.fairly_satisfied,
			tally.basically_satisfied,
			tally.dissatisfied,
		)
		.where(tally.parent == survey)
		.where(tally.parenttype == SURVEY)
		.run()
	)
	return sv.unit_votes(
		online,
		(
			(unit, scoring.VoteCounts(int(s or 0), int(f or 0), int(b or 0), int(d or 0)))
			for unit, s, f, b, d in tallies
		),
	)


def quarter_votes(year: int, quarter: int) -> dict[str, scoring.VoteCounts]:
	"""The votes of a quarter per reporting unit, from its *closed* survey (none while it is open)."""
	name = sv.survey_name(int(year), int(quarter))
	if frappe.db.get_value(SURVEY, name, "status") != sv.CLOSED:
		return {}
	return survey_votes(name)


@frappe.whitelist()
@frappe.read_only()
def survey_results(survey: str) -> list[dict]:
	"""Per reporting unit: votes by level (online + tallies) and satisfaction, for the survey form."""
	doc = frappe.get_doc(SURVEY, survey)
	doc.check_permission("read")
	votes = survey_votes(survey)
	rows = []
	for unit in reporting_units():
		counts = votes.get(unit.name, scoring.VoteCounts())
		value = scoring.satisfaction(counts)
		value = None if value is None else scoring.round2(value)
		rows.append(
			{
				"unit": unit.name,
				"unit_name": unit.unit_name,
				"assessment_class": unit.assessment_class,
				"satisfied": counts.satisfied,
				"fairly_satisfied": counts.fairly_satisfied,
				"basically_satisfied": counts.basically_satisfied,
				"dissatisfied": counts.dissatisfied,
				"total": counts.total,
				"satisfaction": None if value is None else str(value),
			}
		)
	return rows
