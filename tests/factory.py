"""The one factory for test data (users in units, sample units)."""

import frappe

from whistle_app.organisation import PARK
from whistle_app.rules.credit_code import make_credit_code


def make_unit(name: str, unit_type: str = PARK, **values) -> str:
	if not frappe.db.exists("Whistle Unit", name):
		frappe.get_doc(
			{"doctype": "Whistle Unit", "unit_name": name, "unit_type": unit_type, **values}
		).insert(ignore_permissions=True)
	return name


def make_user(email: str, roles: list[str], unit: str | None = None, first_name: str | None = None) -> str:
	"""A desk user with exactly these roles in this unit (created or updated). A user who already
	has them is left unsaved: Frappe clears every cache of the site on each save of a user (its
	validate sets a global default), and many tests call this in their ``setUp``."""
	if frappe.db.exists("User", email):
		user = frappe.get_doc("User", email)
		if {r.role for r in user.roles} == set(roles) and (user.whistle_unit or None) == (unit or None):
			return email
		user.set("roles", [])
	else:
		user = frappe.new_doc("User")
		user.email = email
		user.first_name = first_name or email.split("@")[0]
		user.send_welcome_email = 0
		user.user_type = "System User"
	user.whistle_unit = unit
	user.append_roles(*roles)
	user.save(ignore_permissions=True)
	return email


def module_users(specs: list[tuple[str, list[str], str | None]]):
	"""Users a test module shares, committed once for the module and deleted after it (each test
	rolls back, and saving a user clears every cache of the site: made per test, they cost seconds
	each). ``specs``: (email, roles, unit); an "Enterprise" role alone makes a website user. A
	generator for a module-scoped pytest fixture."""
	for email, roles, unit in specs:
		if roles == ["Enterprise"]:
			make_enterprise_user(email)
		else:
			make_user(email, roles, unit)
	frappe.db.commit()
	yield
	frappe.db.rollback()
	for email, _roles, _unit in specs:
		if frappe.db.exists("User", email):
			frappe.delete_doc("User", email, force=True, ignore_permissions=True)
	frappe.db.commit()


def make_slip(user: str, **values) -> "frappe.model.document.Document":
	"""A draft whistle slip filed by a park user (as that user)."""
	previous = frappe.session.user
	frappe.set_user(user)
	try:
		slip = frappe.get_doc(
			{
				"doctype": "Whistle Slip",
				"title": values.pop("title", "测试吹哨事项"),
				"category": values.pop("category", "Comprehensive Coordination"),
				"description": values.pop("description", "企业反映的问题描述"),
				**values,
			}
		)
		slip.insert()
		return slip
	finally:
		frappe.set_user(previous)


def act_as(
	user: str, slip_name: str, action: str, reason: str | None = None, **values
) -> "frappe.model.document.Document":
	"""Save ``values`` on the slip as ``user`` (if any), then take ``action``; returns the reloaded slip."""
	from whistle_app.lifecycle import act

	previous = frappe.session.user
	frappe.set_user(user)
	try:
		if values:
			slip = frappe.get_doc("Whistle Slip", slip_name)
			departments = values.pop("departments", None)
			slip.update(values)
			if departments is not None:
				slip.set(
					"departments",
					[{"department": d, "department_role": r, "assigned_task": t} for d, r, t in departments],
				)
			slip.save()
		act(slip_name, action, reason)
		return frappe.get_doc("Whistle Slip", slip_name)
	finally:
		frappe.set_user(previous)


credit_code = make_credit_code  # a valid code (GB 32100-2015) whose body encodes a serial


def make_enterprise(name: str, unit: str, code: str | None = None, user: str | None = None, **values) -> str:
	"""An enterprise of a park or town (created if missing); returns its name (the credit code)."""
	import zlib

	existing = frappe.db.get_value("Enterprise", {"enterprise_name": name})
	if existing:
		return existing
	doc = frappe.get_doc(
		{
			"doctype": "Enterprise",
			"enterprise_name": name,
			"credit_code": code or credit_code(zlib.crc32(name.encode())),
			"whistle_unit": unit,
			"user": user,
			**values,
		}
	).insert(ignore_permissions=True)
	return doc.name


def make_enterprise_user(email: str) -> str:
	"""A website user with the Enterprise role (no unit)."""
	if not frappe.db.exists("User", email):
		user = frappe.new_doc("User")
		user.email = email
		user.first_name = email.split("@")[0]
		user.send_welcome_email = 0
		user.user_type = "Website User"
		user.insert(ignore_permissions=True)
	user = frappe.get_doc("User", email)
	if {r.role for r in user.roles} == {"Enterprise"}:
		return email  # unchanged: left unsaved (a user's save clears every cache of the site)
	user.set("roles", [])
	user.append_roles("Enterprise")
	user.save(ignore_permissions=True)
	return email


_demo_loaded = False


SUITE_CALENDAR_YEARS = (2026, 2027)


def ensure_demo() -> None:
	"""Load the demo data once per test session (it commits; later calls are free)."""
	global _demo_loaded
	if not _demo_loaded:
		# a published demo bulletin would add namings to the tests' years; the demo's evaluated past
		# year would freeze the year the evaluation tests compute themselves
		from whistle_app.calendar import seed_year
		from whistle_app.dev import demo

		# the years the suite's frozen dates rely on, whatever year the test site was created in
		# (install and migrate seed only the real current and next year)
		for year in SUITE_CALENDAR_YEARS:
			seed_year(year)
		demo.setup(bulletin=False, evaluation=False)
		_demo_loaded = True


# --- side-path requests of a slip (RULES §3.1: extension, exemption, assessment exclusion) ---------


def slip_in_handling(
	freeze,
	day: str,
	planned_completion: str,
	department: str = "发展和改革委",
	reporter: str = "fgw@whistle.localhost",
	park: str = "park1@whistle.localhost",
	office: str = "office@whistle.localhost",
) -> str:
	"""A single-department slip taken to 办理中 on ``day`` (09:00–11:00); ``freeze`` is a
	``FrappeTestCase.freeze_time``. Returns the slip's name."""
	with freeze(f"{day} 09:00:00"):
		slip = make_slip(park)
		act_as(park, slip.name, "提交吹哨")
	with freeze(f"{day} 10:00:00"):
		act_as(office, slip.name, "派单", scope="Single", departments=[(department, "Sole", None)])
		act_as(
			reporter,
			slip.name,
			"报到",
			planned_completion=planned_completion,
			work_plan="现场办公，按期办结",
			responsible_persons="赵示例",
		)
	with freeze(f"{day} 11:00:00"):
		act_as(office, slip.name, "审核抄送")
	return slip.name


def make_request(user: str, doctype: str, slip: str, **values) -> "frappe.model.document.Document":
	"""A draft extension/exemption/exclusion request on ``slip``, created as ``user``."""
	previous = frappe.session.user
	frappe.set_user(user)
	try:
		return frappe.get_doc({"doctype": doctype, "slip": slip, **values}).insert()
	finally:
		frappe.set_user(previous)


def request_act(
	user: str, doctype: str, name: str, action: str, reason: str | None = None
) -> "frappe.model.document.Document":
	"""Take a workflow action on a request as ``user``; returns the reloaded request."""
	from whistle_app.requests import act

	previous = frappe.session.user
	frappe.set_user(user)
	try:
		act(doctype, name, action, reason)
	finally:
		frappe.set_user(previous)
	return frappe.get_doc(doctype, name)


# --- one whistle, one rating (RULES §5) ------------------------------------------------------------

DEPARTMENT_USERS = {
	"发展和改革委": "fgw@whistle.localhost",
	"住房和城乡建设局": "zjj@whistle.localhost",
	"公安分局": "police@whistle.localhost",
}


def completed_slip(
	freeze,
	day: str,
	departments: list[tuple[str, str]],
	park: str = "park1@whistle.localhost",
	office: str = "office@whistle.localhost",
) -> str:
	"""A slip dispatched to [(department, "Sole"|"Lead"|"Co")] and taken to 待确认评价 on ``day``
	(09:00–13:00); ``freeze`` is a ``FrappeTestCase.freeze_time``. Returns the slip's name."""
	scope = "Single" if len(departments) == 1 else "Multi"
	reporting = next(d for d, r in departments if r in ("Sole", "Lead"))
	reporter = DEPARTMENT_USERS[reporting]
	rows = [(d, r, "配合办理" if r == "Co" else None) for d, r in departments]
	# the end of the slip's own year: after its dispatch and within the year after it that a planned
	# completion may reach (Whistle Settings completion_span_months, issue #20)
	planned = f"{day[:4]}-12-31"
	report = {"planned_completion": planned, "work_plan": "现场办公", "responsible_persons": "赵示例"}
	if scope == "Multi":
		report.update(
			meeting_departments="、".join(d for d, _r in departments),
			meeting_minutes="会商纪要",
			meeting_solution="分工协作",
			meeting_task_division="按分工办理",
		)
	with freeze(f"{day} 09:00:00"):
		slip = make_slip(park)
		act_as(park, slip.name, "提交吹哨")
	with freeze(f"{day} 10:00:00"):
		act_as(office, slip.name, "派单", scope=scope, departments=rows)
	if scope == "Multi":  # held at the dispatch: never in the future, even when ``freeze`` does not freeze
		report["meeting_date"] = frappe.db.get_value("Whistle Slip", slip.name, "dispatched_on")
	with freeze(f"{day} 11:00:00"):
		act_as(reporter, slip.name, "报到", **report)
	with freeze(f"{day} 12:00:00"):
		act_as(office, slip.name, "审核抄送")
	with freeze(f"{day} 13:00:00"):
		act_as(reporter, slip.name, "办结", result="已办结")
	return slip.name


def make_rating(
	user: str,
	slip: str,
	department: str,
	scores: dict[str, object] | None = None,
	comment: str | None = None,
	submit: bool = True,
) -> "frappe.model.document.Document":
	"""The rating of ``department`` on ``slip`` by ``user``'s unit, filled in and submitted (unless
	``submit`` is False): the unit's draft made at completion, or a new rating where it has none.
	``scores`` maps criterion → score; None scores every criterion of the template 0."""
	from whistle_app.ratings import draft_for, fill_scores

	previous = frappe.session.user
	frappe.set_user(user)
	try:
		draft = draft_for(slip, department)
		if draft:
			doc = frappe.get_doc("Whistle Rating", draft)
			fill_scores(doc, scores or {}, comment)
			if scores is None:
				for row in doc.scores:
					row.score = 0
			doc.save()
		else:
			doc = new_rating(user, slip, department, scores, comment)
			if scores is None:
				doc = frappe.get_doc("Whistle Rating", doc.name)
				for row in doc.scores:
					row.score = 0
				doc.save()
		if submit:
			doc = frappe.get_doc("Whistle Rating", doc.name)
			doc.submit()
		return doc
	finally:
		frappe.set_user(previous)


def new_rating(
	user: str,
	slip: str,
	department: str,
	scores: dict[str, object] | None = None,
	comment: str | None = None,
) -> "frappe.model.document.Document":
	"""A new Whistle Rating document inserted by ``user`` (not the unit's draft)."""
	previous = frappe.session.user
	frappe.set_user(user)
	try:
		doc = frappe.get_doc({"doctype": "Whistle Rating", "slip": slip, "rated_department": department})
		for criterion, score in (scores or {}).items():
			doc.append("scores", {"criterion": criterion, "score": score})
		doc.comment = comment
		return doc.insert()
	finally:
		frappe.set_user(previous)


def pending_drafts(slip: str) -> list[tuple[str, str, str]]:
	"""The open drafts of a slip as (rater kind, rater unit, rated department), sorted."""
	return sorted(
		(r.rater_kind, r.rater_unit, r.rated_department)
		for r in frappe.get_all(
			"Whistle Rating",
			filters={"slip": slip, "docstatus": 0},
			fields=["rater_kind", "rater_unit", "rated_department"],
		)
	)


UNIT_USERS = {
	"示例园区一": "park1@whistle.localhost",
	"示例园区二": "park2@whistle.localhost",
	"示例镇街一": "town1@whistle.localhost",
	"发展和改革委": "fgw@whistle.localhost",
	"住房和城乡建设局": "zjj@whistle.localhost",
	"公安分局": "police@whistle.localhost",
	"供电公司": "power@whistle.localhost",
}


def rate_all(slip: str, comment: str = "测试评价") -> list[str]:
	"""Submit every rating §5 requires on the slip (all criteria 0, with a comment), as the raters."""
	from whistle_app.ratings import required_ratings

	doc = frappe.get_doc("Whistle Slip", slip)
	return [
		make_rating(UNIT_USERS[r.rater_unit], slip, r.rated_department, None, comment=comment).name
		for r in required_ratings(doc)
	]


# --- enterprise satisfaction surveys (RULES §7) ------------------------------------------------------


def survey_move(name: str, target: str, user: str = "office@whistle.localhost") -> None:
	"""Open or close a survey as the office."""
	from whistle_app import surveys

	previous = frappe.session.user
	frappe.set_user(user)
	try:
		surveys.move(name, target)
	finally:
		frappe.set_user(previous)


def make_survey(year: int, quarter: int, open_to_all: bool = False, status: str = "Draft") -> str:
	"""The survey of a quarter (created if missing), taken to ``status``; returns its name."""
	from whistle_app.rules import survey as sv

	name = sv.survey_name(year, quarter)
	if not frappe.db.exists("Satisfaction Survey", name):
		frappe.get_doc(
			{
				"doctype": "Satisfaction Survey",
				"year": year,
				"quarter": str(quarter),
				"open_to_all_enterprises": int(open_to_all),
			}
		).insert(ignore_permissions=True)
	order = [sv.DRAFT, sv.OPEN, sv.CLOSED]
	current = frappe.db.get_value("Satisfaction Survey", name, "status")
	for target in order[order.index(current) + 1 : order.index(status) + 1]:
		survey_move(name, target)
	return name


def make_survey_tallies(year: int, quarter: int, votes: dict, close: bool = True) -> str:
	"""A quarter's survey with office tallies ``{unit: VoteCounts | {field: count}}``, closed unless
	``close`` is False; returns its name."""
	from whistle_app.rules.scoring import VoteCounts

	name = make_survey(year, quarter)
	doc = frappe.get_doc("Satisfaction Survey", name)
	for unit, counts in votes.items():
		counts = counts if isinstance(counts, VoteCounts) else VoteCounts(**counts)
		doc.append(
			"tallies",
			{
				"whistle_unit": unit,
				"satisfied": counts.satisfied,
				"fairly_satisfied": counts.fairly_satisfied,
				"basically_satisfied": counts.basically_satisfied,
				"dissatisfied": counts.dissatisfied,
			},
		)
	doc.save(ignore_permissions=True)
	if close:
		make_survey(year, quarter, status="Closed")
	return name


def cast_vote(user: str, survey: str, unit: str, level: str) -> str:
	"""An enterprise user's online vote."""
	from whistle_app import surveys

	previous = frappe.session.user
	frappe.set_user(user)
	try:
		return surveys.cast_vote(survey, unit, level)
	finally:
		frappe.set_user(previous)


# --- monthly supervision bulletin (RULES §6) ------------------------------------------------------------

OFFICE_USER = "office@whistle.localhost"


def as_user(user: str, fn, *args, **kwargs):
	"""Call ``fn`` as ``user`` and switch back."""
	previous = frappe.session.user
	frappe.set_user(user)
	try:
		return fn(*args, **kwargs)
	finally:
		frappe.set_user(previous)


def make_bulletin(year: int, month: int, adjustments: list[tuple[str, str, str]] | None = None) -> str:
	"""The draft bulletin of a month (counted now; created if missing), with the office's
	``adjustments`` [(unit, "Add"|"Remove", reason)] saved on it; returns its name."""
	from whistle_app import bulletins

	name = bulletins.existing_bulletin(year, month) or bulletins.draft_bulletin(year, month)
	if adjustments:
		doc = frappe.get_doc("Supervision Bulletin", name)
		for unit, action, reason in adjustments:
			doc.append("adjustments", {"department": unit, "action": action, "reason": reason})
		as_user(OFFICE_USER, doc.save)
	return name


def make_published_bulletin(year: int, month: int, named: list[str], reason: str = "测试通报") -> str:
	"""A published bulletin of a month that names exactly ``named`` (the office adds the units not
	proposed and removes the proposed ones it does not name); returns its name."""
	from whistle_app import bulletins

	name = make_bulletin(year, month)
	doc = frappe.get_doc("Supervision Bulletin", name)
	proposed = {row.department for row in doc.proposals}
	for unit in sorted(proposed - set(named)):
		doc.append("adjustments", {"department": unit, "action": "Remove", "reason": reason})
	for unit in named:
		if unit not in proposed:
			doc.append("adjustments", {"department": unit, "action": "Add", "reason": reason})
	as_user(OFFICE_USER, doc.save)
	as_user(OFFICE_USER, bulletins.publish, name)
	return name


# --- quarterly and annual evaluation (RULES §7–§9) ---------------------------------------------------


def template_scores(total: int, lead: bool = False) -> dict[str, int]:
	"""Scores of the default park (or lead-department) template adding up to ``total``."""
	from whistle_app.rules.scoring import LEAD_TEMPLATE, PARK_TEMPLATE

	scores, rest = {}, total
	for criterion, maximum in (LEAD_TEMPLATE if lead else PARK_TEMPLATE).items():
		scores[criterion] = min(maximum, rest)
		rest -= scores[criterion]
	return scores


def closed_slip(
	freeze,
	day: str,
	departments: list[tuple[str, str]],
	park_totals: dict[str, int],
	lead_totals: dict[str, int] | None = None,
	closed_on: str | None = None,
	exclude: bool = False,
) -> str:
	"""A slip through the real workflow (``completed_slip``), rated on ``day`` with these totals by the
	park and, for co-departments, by the lead department, confirmed, and closed at ``closed_on``
	(default ``day`` 16:00). With ``exclude``, a District Leader first approves the responsible
	department's assessment-exclusion request (RULES §3.1). Returns the slip's name."""
	from whistle_app import requests as rq

	name = completed_slip(freeze, day, departments)
	lead = next(d for d, r in departments if r in ("Sole", "Lead"))
	with freeze(f"{day} 14:00:00"):
		for department, total in park_totals.items():
			make_rating(
				"park1@whistle.localhost", name, department, template_scores(total), comment="测试评价"
			)
		for department, total in (lead_totals or {}).items():
			make_rating(
				DEPARTMENT_USERS[lead], name, department, template_scores(total, True), comment="测试评价"
			)
		act_as("park1@whistle.localhost", name, "确认解决")
	if exclude:
		with freeze(f"{day} 15:00:00"):
			request = make_request(DEPARTMENT_USERS[lead], rq.EXCLUSION, name, reason="客观原因，申请剔除")
			request_act(DEPARTMENT_USERS[lead], rq.EXCLUSION, request.name, rq.FILE)
			request_act(
				"leader@whistle.localhost", rq.EXCLUSION, request.name, rq.APPROVE, "情况属实，予以剔除"
			)
	with freeze(closed_on or f"{day} 16:00:00"):
		act_as("office@whistle.localhost", name, "销号")
	return name


def make_slip_scores(
	closed_on: str,
	scores: dict[str, list[float]],
	park: str = "park1@whistle.localhost",
	excluded: bool = False,
) -> list[str]:
	"""Complete ``Whistle Slip Score`` rows closed at ``closed_on``, as closure leaves them, for units
	without demo users (the real path is ``closed_slip``): the i-th score of every department sits on
	the i-th of a few draft slips of the park, founded on the department's row on that slip and the
	park's submitted rating (issue #25: no slip score without them). Returns those slips."""
	from whistle_app.dev.demo_evaluation import write_department_row, write_park_rating

	slips = []
	for i in range(max((len(values) for values in scores.values()), default=0)):
		slip = make_slip(park, title=f"测评用吹哨事项（{closed_on} 第{i + 1}件）")
		for idx, (department, values) in enumerate(scores.items(), 1):
			if i >= len(values):
				continue
			write_department_row(slip.name, department, idx=idx)
			write_park_rating(
				slip.name, department, slip.whistle_unit, park, min(100, round(values[i])), closed_on
			)
			frappe.get_doc(
				{
					"doctype": "Whistle Slip Score",
					"slip": slip.name,
					"department": department,
					"whistle_unit": slip.whistle_unit,
					"assessment_class": frappe.db.get_value("Whistle Unit", department, "assessment_class"),
					"park_rating": round(values[i]),
					"slip_score": values[i],
					"rating_complete": 1,
					"closed_on": closed_on,
					"excluded_from_assessment": int(excluded),
				}
			).insert(ignore_permissions=True)
		slips.append(slip.name)
	return slips


def evaluate_as_office(year: int, quarter: int | None = None, finalise: bool = False) -> str:
	"""Evaluate (and optionally finalise) a quarter, or without a quarter the year, as the office."""
	from whistle_app import evaluation

	return as_user(OFFICE_USER, evaluation.finalise if finalise else evaluation.evaluate_now, year, quarter)


# --- live supervision board (issue #9) ----------------------------------------------------------------


def dispatched_slip(
	departments: list[tuple[str, str]],
	park: str = "park1@whistle.localhost",
	office: str = "office@whistle.localhost",
	**values,
) -> str:
	"""A slip filed by ``park`` (with ``values``) and dispatched by the office to
	[(department, "Sole"|"Lead"|"Co")] now; returns its name."""
	scope = "Single" if len(departments) == 1 else "Multi"
	slip = make_slip(park, **values)
	act_as(park, slip.name, "提交吹哨")
	rows = [(d, r, "配合办理" if r == "Co" else None) for d, r in departments]
	act_as(office, slip.name, "派单", scope=scope, departments=rows)
	return slip.name


def secret_slip(marker: str) -> str:
	"""park1's whistle dispatched to 发展和改革委 alone, with ``marker`` in its title, description and a
	progress entry, committed (for HTTP tests that look for the marker in answers to other units)."""
	name = dispatched_slip(
		[("发展和改革委", "Sole")], title=f"保密事项 {marker}", description=f"内容 {marker}"
	)
	slip = as_user("fgw@whistle.localhost", frappe.get_doc, "Whistle Slip", name)
	slip.append("progress", {"content": f"进展 {marker}"})
	as_user("fgw@whistle.localhost", slip.save)
	frappe.db.commit()
	return name
