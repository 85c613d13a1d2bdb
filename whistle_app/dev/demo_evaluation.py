"""Demo: a past year evaluated and finalised for all reporting units (RULES §7–§9, issues #9, #25).

Every counted case is a real whistle of the unit with its real park rating, so every score of every
ranking opens down to the whistle and the rating behind it, for the unit that sees it:

* per quarter, up to four sample whistles replayed through the real workflow (filed, dispatched,
  reported, completed, confirmed, rated by the park, closed);
* the other assessed units' cases: for each replayed whistle, a unit gets its own whistle of the
  same kind with its own probability, written as the controllers write a closed one (the replayed
  whistle's filing, deadlines and state history, the unit as the sole department, the park's
  submitted rating around the unit's usual score), then its slip score as closure leaves it, through
  the slip score's controller (which checks the department and the rating); numbered in their year;
* the quarter's satisfaction survey with office tallies for every unit, closed;
* the office evaluates and finalises the four quarters and the year.

The helpers that found a slip score on a department row and a submitted park rating
(``write_department_row``, ``write_park_rating``) also serve the tests' fixtures.
"""

import random
from datetime import datetime, timedelta

import frappe
from frappe.utils import get_datetime, getdate, now_datetime

from whistle_app import evaluation, series
from whistle_app.dev import demo
from whistle_app.ratings import template_maxima
from whistle_app.rules import fairness, scoring
from whistle_app.rules import lifecycle as lc
from whistle_app.rules import ratings as rr
from whistle_app.rules import survey as sv
from whistle_app.surveys import move

RATING_SERIES = "PJ-.YYYY.-.#####"
SLIP_SERIES = "CS-.YYYY.-.#####"

# Sample whistles of each quarter replayed through the real workflow, from these days of the
# quarter: (month of the quarter, day, department user, park user, category, topic).
DEMO_HISTORY: tuple[tuple[int, int, str, str, str, str], ...] = (
	(
		1,
		6,
		"fgw@whistle.localhost",
		"park1@whistle.localhost",
		"Efficiency Improvement",
		"企业技改项目备案咨询",
	),
	(
		1,
		20,
		"zjj@whistle.localhost",
		"park2@whistle.localhost",
		"Comprehensive Coordination",
		"厂区周边道路积水整治",
	),
	(2, 12, "police@whistle.localhost", "town1@whistle.localhost", "Other", "园区企业周边治安巡防"),
	(3, 3, "power@whistle.localhost", "park1@whistle.localhost", "Docking and Striving", "新增产线用电接入"),
)
DEPARTMENT_ACTIONS = ("报到", "办结")  # steps of the department in the replayed history


def demo_profile(unit: str) -> tuple[int, float]:
	"""A reporting unit's sample character: its usual score (72–95) and how often it gets a case."""

	rng = random.Random(f"whistle-demo-profile-{unit}")
	return rng.randint(72, 95), rng.uniform(0.3, 0.95)


def split_total(total: int, maxima: list[int]) -> list[int]:
	"""A rating of ``total`` points (of 100) spread over criteria in proportion to their maxima."""
	scores = [min(m, round(m * total / 100)) for m in maxima]
	scores[-1] = max(0, min(maxima[-1], total - sum(scores[:-1])))
	return scores


def history_title(year: int, quarter: int, topic: str) -> str:
	return f"示例（{year}年第{quarter}季度）：{topic}"


def case_title(title: str, unit: str) -> str:
	return f"{title}（{unit}）"


def number_in_year(pattern: str, moment) -> str:
	"""The next document number of ``pattern`` in the year of ``moment`` (the app's own counters)."""
	key = series.key_in_year(pattern, getdate(moment).year)
	return key + series.next_number(key, pattern.rsplit(".", 1)[-1].count("#"))


def ensure_demo_evaluation(year: int) -> str:
	"""A realistic past ``year`` for all the reporting units, evaluated and finalised (idempotent).

	Quarters before the first rating form (the default ones start on 2023-05-08) stay without cases
	and their classes unranked. Once the year's annual evaluation is final nothing is done again.
	Returns the annual evaluation's name.
	"""

	year = evaluation.check_year(int(year))
	name = evaluation.annual_name(year)
	if frappe.db.get_value(evaluation.ANNUAL, name, "status") == evaluation.FINAL:
		settle_history_times(year)  # a site whose demo year was written before this step
		return name
	units = evaluation.assessed_units()
	previous_user = frappe.session.user
	try:
		for quarter in (1, 2, 3, 4):
			slips = ensure_history_slips(year, quarter)
			ensure_history_scores(year, quarter, slips, units)
			if slips:
				ensure_history_survey(year, quarter, units)
		frappe.set_user(demo.OFFICE)
		for quarter in (1, 2, 3, 4):
			evaluation.finalise(year, quarter)
		annual = evaluation.finalise(year)
		settle_history_times(year)
		return annual
	finally:
		frappe.flags.current_datetime = None
		frappe.set_user(previous_user)


def settle_history_times(year: int) -> None:
	"""The past year's whistles were filed in that year and last changed when they closed, as on a
	site that lived through it: written today, they came first in every list sorted by last change
	(the desk's, the phone's) and counted as this month's in the 12-month charts (filed = created;
	the demo files a whistle the morning it is dispatched)."""
	slip = frappe.qb.DocType("Whistle Slip")
	(
		frappe.qb.update(slip)
		.set(slip.modified, slip.closed_on)
		.set(slip.creation, slip.dispatched_on)
		.where(slip.name.like(f"CS-{year}-%"))
		.where(slip.title.like(f"示例（{year}年%"))
		.where(slip.closed_on.isnotnull())
		.where(slip.dispatched_on.isnotnull())
	).run()


def park_template(day) -> str | None:
	"""The park's rating form in force on ``day``, None before the first one."""
	names = frappe.get_all(
		"Rating Template",
		filters={"rater_kind": rr.PARK_RATER, "active_from": ("<=", getdate(day))},
		order_by="active_from desc, creation desc",
		pluck="name",
		limit=1,
	)
	return names[0] if names else None


def ensure_history_slips(year: int, quarter: int) -> dict[int, str]:
	"""The quarter's sample whistles replayed through the workflow (where a rating template was in
	force on their rating day); returns the closed ones by their place in ``DEMO_HISTORY``."""

	closed = {}
	for index, (month, day, department_user, park_user, category, topic) in enumerate(DEMO_HISTORY):
		start = datetime(year, 3 * quarter - 3 + month, day, 9, 0)
		template = park_template(start + timedelta(days=7))
		if not template:  # before the first rating form: the mechanism had not started yet
			continue
		department = demo.DEMO_USERS[department_user][1]
		title = history_title(year, quarter, topic)
		usual, _activity = demo_profile(department)
		steps = [
			(0, park_user, "提交吹哨", {}),
			(0.05, demo.OFFICE, "派单", {"scope": "Single", "departments": [(department, "Sole", None)]}),
			(0.3, department_user, "报到", {**demo.REPORT, "planned_completion": 10}),
			(0.4, demo.OFFICE, "审核抄送", {}),
			(6, department_user, "办结", {"result": "问题已解决，企业认可"}),
			(7, park_user, "确认解决", {}),
			(
				7.05,
				park_user,
				demo.RATE,
				{
					"department": department,
					"scores": split_total(usual, list(template_maxima(template).values())),
				},
			),
			(7.3, demo.OFFICE, "销号", {}),
		]
		demo.ensure_demo_slips(slips={title: (park_user, category, steps)}, start=start)
		slip = frappe.db.get_value(
			"Whistle Slip", {"title": title, "workflow_state": lc.CLOSED}, "name", order_by="creation asc"
		)
		if slip:
			closed[index] = slip
	return closed


def ensure_history_scores(year: int, quarter: int, slips: dict[int, str], units: list) -> int:
	"""The other assessed units' cases of the quarter: beside each replayed whistle, a unit gets a
	whistle of its own with its own probability, rated around its usual score (``write_case``).
	Returns how many were added."""

	added = 0
	actors = unit_users()
	for index, slip in slips.items():
		source = frappe.get_doc("Whistle Slip", slip)
		on_slip = {row.department for row in source.departments}
		rating = frappe.get_all(
			"Whistle Rating",
			filters={"slip": slip, "rated_department": source.departments[0].department, "docstatus": 1},
			fields=["rater_unit", "rated_by", "rated_on", "template"],
			limit=1,
		)[0]
		existing = set(
			frappe.get_all("Whistle Slip", filters={"title": ("like", f"{source.title}（%")}, pluck="title")
		)
		for unit in units:
			if unit.name in on_slip or case_title(source.title, unit.name) in existing:
				continue
			usual, activity = demo_profile(unit.name)
			rng = random.Random(f"whistle-demo-score-{year}-{quarter}-{index}-{unit.name}")
			if rng.random() > activity:
				continue
			score = max(60, min(100, usual + rng.randint(-12, 8)))
			write_case(source, rating, unit, actors.get(unit.name) or "Administrator", score)
			added += 1
	return added


def unit_users() -> dict[str, str]:
	"""Who acted for each unit in the demo history: its first liaison (else the office entered the
	steps for the unit, as Administrator)."""
	users: dict[str, str] = {}
	for row in frappe.get_all(
		"Whistle Unit Liaison",
		filters={"parenttype": "Whistle Unit"},
		fields=["parent", "user"],
		order_by="idx asc",
	):
		users.setdefault(row.parent, row.user)
	return users


def insert_children(rows: list) -> None:
	"""Child rows of one table in one statement, as their documents' save writes them."""
	if not rows:
		return
	fields = list(rows[0].get_valid_dict(convert_dates_to_str=True).keys())
	frappe.db.bulk_insert(
		rows[0].doctype,
		fields,
		[tuple(row.get_valid_dict(convert_dates_to_str=True)[f] for f in fields) for row in rows],
	)


def copy_rows(rows, parent: str, **values) -> list[dict]:
	copied = []
	for row in rows:
		data = row.as_dict(no_default_fields=False)
		data.update({"name": frappe.generate_hash(length=10), "parent": parent, **values})
		copied.append(data)
	return copied


def write_case(source, rating, unit, actor: str, score: int) -> str:
	"""A closed whistle of ``unit`` like the replayed ``source``, written as the controllers write
	it (same filing, dispatch, deadlines and history; the unit as the sole department; its department
	steps taken by ``actor``), with the park's submitted rating of ``score`` (the source's rater,
	form and time) and the slip score closure leaves (through its controller, which checks both)."""

	title = case_title(source.title, unit.name)
	name = number_in_year(SLIP_SERIES, source.dispatched_on)
	data = source.as_dict(no_default_fields=False)
	for child in ("departments", "state_log", "progress"):
		data.pop(child, None)
	data.update({"name": name, "title": title, "reported_by": actor})
	data["description"] = f"{title}。企业多次反映，园区协调未果，需部门报到解决。"
	doc = frappe.get_doc(data)
	doc.set("departments", copy_rows(source.departments, name, department=unit.name))
	doc.set("progress", copy_rows(source.progress, name, department=unit.name, entered_by=actor))
	doc.set("state_log", copy_rows(source.state_log, name))
	for row in doc.state_log:
		if row.action in DEPARTMENT_ACTIONS:
			row.changed_by = actor
	doc.db_insert()
	for table in ("departments", "progress", "state_log"):
		insert_children(doc.get(table))
	write_park_rating(
		name, unit.name, rating.rater_unit, rating.rated_by, score, rating.rated_on, title, rating.template
	)
	frappe.get_doc(
		{
			"doctype": "Whistle Slip Score",
			"slip": name,
			"whistle_unit": source.whistle_unit,
			"department": unit.name,
			"assessment_class": unit.assessment_class,
			"park_rating": score,
			"slip_score": score,
			"rating_complete": 1,
			"closed_on": source.closed_on,
		}
	).insert(ignore_permissions=True)
	return name


def write_department_row(slip: str, department: str, role: str = "Sole", idx: int = 1) -> None:
	"""A department row of a slip, as dispatch writes it (the tests' fixtures found scores on it)."""
	frappe.get_doc(
		{
			"doctype": "Whistle Slip Department",
			"name": frappe.generate_hash(length=10),
			"parent": slip,
			"parenttype": "Whistle Slip",
			"parentfield": "departments",
			"idx": idx,
			"department": department,
			"department_role": role,
		}
	).db_insert()


def write_park_rating(
	slip: str,
	department: str,
	park: str,
	rated_by: str | None,
	total: int,
	rated_on,
	slip_title: str = "",
	template: str | None = None,
	role: str = "Sole",
) -> str:
	"""The park's submitted rating of ``department`` on ``slip`` (``total`` points spread over the
	form's criteria), as submitting writes it; returns its number (in the year it was given)."""
	rated_on = get_datetime(rated_on)
	template = template or park_template(rated_on) or park_template(now_datetime())
	maxima = template_maxima(template)
	scores = split_total(int(total), list(maxima.values()))
	name = number_in_year(RATING_SERIES, rated_on)
	doc = frappe.get_doc(
		{
			"doctype": "Whistle Rating",
			"name": name,
			"owner": rated_by or "Administrator",
			"modified_by": rated_by or "Administrator",
			"creation": rated_on,
			"modified": rated_on,
			"docstatus": 1,
			"slip": slip,
			"slip_title": slip_title,
			"rated_department": department,
			"department_role": role,
			"rater_unit": park,
			"rater_kind": rr.PARK_RATER,
			"template": template,
			"rated_by": rated_by,
			"rated_on": rated_on,
			"total": sum(scores),
			# as scoring a rating stores it (the rater-fairness counts group by it, RULES §14)
			"score_signature": fairness.score_signature(scores),
			"rating_key": rr.rating_key(slip, department, rr.PARK_RATER),
			"scores": [
				{
					"criterion": criterion,
					"max_points": maximum,
					"score": str(score),
					"creation": rated_on,
					"modified": rated_on,
					"owner": rated_by or "Administrator",
					"modified_by": rated_by or "Administrator",
					"docstatus": 1,
				}
				for (criterion, maximum), score in zip(maxima.items(), scores, strict=True)
			],
		}
	)
	doc.db_insert()
	for row in doc.scores:
		row.name = frappe.generate_hash(length=10)
	insert_children(doc.scores)
	return name


def ensure_history_survey(year: int, quarter: int, units: list) -> str:
	"""The quarter's satisfaction survey with office tallies for every assessed unit (votes leaning to
	its usual score), opened and closed by the office after the quarter; an existing closed survey is
	left as it is."""

	name = sv.survey_name(year, quarter)
	status = frappe.db.get_value("Satisfaction Survey", name, "status")
	if status == sv.CLOSED:
		return name
	next_year, next_quarter = scoring.next_quarter(year, quarter)
	previous_user = frappe.session.user
	frappe.set_user(demo.OFFICE)
	try:
		if not status:
			frappe.flags.current_datetime = datetime(year, 3 * quarter - 2, 15, 9, 0)
			frappe.get_doc(
				{
					"doctype": "Satisfaction Survey",
					"year": year,
					"quarter": str(quarter),
					"open_to_all_enterprises": 1,
				}
			).insert()
			status = sv.DRAFT
		doc = frappe.get_doc("Satisfaction Survey", name)
		tallied = {row.whistle_unit for row in doc.tallies}
		for unit in units:
			if unit.name in tallied:
				continue
			usual, _activity = demo_profile(unit.name)
			rng = random.Random(f"whistle-demo-votes-{year}-{quarter}-{unit.name}")
			total = rng.randint(8, 30)
			satisfied = round(total * (usual - 55) / 45 * rng.uniform(0.75, 1.0))
			fairly = round((total - satisfied) * 0.6)
			basically = round((total - satisfied - fairly) * 0.7)
			doc.append(
				"tallies",
				dict(
					zip(
						demo.TALLY_FIELDS,
						(unit.name, satisfied, fairly, basically, total - satisfied - fairly - basically),
						strict=True,
					)
				),
			)
		doc.save()
		if status == sv.DRAFT:
			frappe.flags.current_datetime = datetime(year, 3 * quarter, 20, 9, 0)
			move(name, sv.OPEN)
		frappe.flags.current_datetime = min(
			datetime(next_year, 3 * next_quarter - 2, 8, 17, 0), now_datetime()
		)
		move(name, sv.CLOSED)
	finally:
		frappe.flags.current_datetime = None
		frappe.set_user(previous_user)
	return name
