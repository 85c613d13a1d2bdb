"""The one factory for test data (users in units, sample units)."""

import frappe

from whistle_app.organisation import PARK


def make_unit(name: str, unit_type: str = PARK, **values) -> str:
	if not frappe.db.exists("Whistle Unit", name):
		frappe.get_doc(
			{"doctype": "Whistle Unit", "unit_name": name, "unit_type": unit_type, **values}
		).insert(ignore_permissions=True)
	return name


def make_user(email: str, roles: list[str], unit: str | None = None, first_name: str | None = None) -> str:
	"""A desk user with exactly these roles in this unit (created or updated)."""
	if frappe.db.exists("User", email):
		user = frappe.get_doc("User", email)
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


def credit_code(serial: int, division: str = "321203") -> str:
	"""A valid unified social credit code (GB 32100-2015) of an enterprise (9, 1) in ``division``."""
	from whistle_app.rules.credit_code import CHARSET, check_character

	body, n = "", serial
	for _ in range(9):
		n, digit = divmod(n, 31)
		body = CHARSET[digit] + body
	first17 = f"91{division}{body}"
	return first17 + check_character(first17)


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
	user.set("roles", [])
	user.append_roles("Enterprise")
	user.save(ignore_permissions=True)
	return email


_demo_loaded = False


def ensure_demo() -> None:
	"""Load the demo data once per test session (it commits; later calls are free)."""
	global _demo_loaded
	if not _demo_loaded:
		from whistle_app import demo

		demo.setup()
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
	report = {"planned_completion": "2026-12-31", "work_plan": "现场办公", "responsible_persons": "赵示例"}
	if scope == "Multi":
		report.update(
			meeting_date=f"{day} 10:30:00",
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
	"""A rating of ``department`` on ``slip`` by ``user``'s unit (submitted unless ``submit`` is False);
	``scores`` maps criterion → score (every criterion of the template in force, or none for zeros)."""
	previous = frappe.session.user
	frappe.set_user(user)
	try:
		doc = frappe.get_doc({"doctype": "Whistle Rating", "slip": slip, "rated_department": department})
		for criterion, score in (scores or {}).items():
			doc.append("scores", {"criterion": criterion, "score": score})
		doc.comment = comment
		doc.insert()
		if submit:
			doc = frappe.get_doc("Whistle Rating", doc.name)
			doc.submit()
		return doc
	finally:
		frappe.set_user(previous)


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
