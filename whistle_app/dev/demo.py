"""Demo data: one re-runnable entry point (``bench --site SITE whistle-demo``).

Every record is looked up before it is made, so running it again creates nothing twice.
Sample parks and towns are clearly labelled 示例 (the plan names none).
"""

from datetime import datetime, time, timedelta

import frappe
from frappe.utils import getdate
from frappe.utils.password import update_password

from whistle_app import bulletins, roles
from whistle_app.calendar import current_date, get_work_calendar
from whistle_app.dev.demo_accountability import ensure_demo_accountability
from whistle_app.dev.demo_analysis import ensure_demo_analysis
from whistle_app.dev.demo_chains import ensure_demo_chains
from whistle_app.dev.demo_coordination import ensure_demo_coordination
from whistle_app.dev.demo_fairness import ensure_demo_fairness
from whistle_app.lifecycle import act
from whistle_app.organisation import PARK, TOWN
from whistle_app.ratings import rate, rating_tasks, template_in_force
from whistle_app.rules import bulletin as rb
from whistle_app.rules import scoring
from whistle_app.rules import survey as sv
from whistle_app.rules.credit_code import check_character
from whistle_app.surveys import move

DEMO_PASSWORD = "Whistle@2026"

# sample whistling units: name -> type
SAMPLE_UNITS: dict[str, str] = {
	"示例园区一": PARK,
	"示例园区二": PARK,
	"示例镇街一": TOWN,
}

# email -> (full name, unit, roles)
DEMO_USERS: dict[str, tuple[str, str, list[str]]] = {
	# first: Frappe gives System Manager to any desk user saved while no other System Manager exists
	"admin@whistle.localhost": (
		"吹哨管理员演示用户",
		"区吹哨办",
		[roles.WHISTLE_ADMINISTRATOR, roles.WHISTLE_OFFICE, "System Manager"],
	),
	"office@whistle.localhost": ("吹哨办演示用户", "区吹哨办", [roles.WHISTLE_OFFICE]),
	"park1@whistle.localhost": ("示例园区一店小二", "示例园区一", [roles.PARK_AGENT]),
	"park1-leader@whistle.localhost": ("示例园区一负责人", "示例园区一", [roles.PARK_LEADER]),
	"park2@whistle.localhost": ("示例园区二店小二", "示例园区二", [roles.PARK_AGENT]),
	"town1@whistle.localhost": ("示例镇街一店小二", "示例镇街一", [roles.PARK_AGENT]),
	"fgw@whistle.localhost": ("发展和改革委报到员", "发展和改革委", [roles.DEPARTMENT_LIAISON]),
	"fgw-leader@whistle.localhost": ("发展和改革委负责人", "发展和改革委", [roles.DEPARTMENT_LEADER]),
	"zjj@whistle.localhost": ("住房和城乡建设局报到员", "住房和城乡建设局", [roles.DEPARTMENT_LIAISON]),
	"police@whistle.localhost": ("公安分局报到员", "公安分局", [roles.DEPARTMENT_LIAISON]),
	"power@whistle.localhost": ("供电公司报到员", "供电公司", [roles.DEPARTMENT_LIAISON]),
	"leader@whistle.localhost": ("区党政主要负责人演示用户", "区党政领导", [roles.DISTRICT_LEADER]),
	"efficiency@whistle.localhost": ("区效能办演示用户", "区效能办", [roles.EFFICIENCY_OFFICE]),
}

# sample accountability chains of demo departments (fictitious people)
DEMO_CHAINS: dict[str, dict[str, str]] = {
	"发展和改革委": {
		"principal_leader_name": "王示例",
		"principal_leader_post": "主任",
		"principal_leader_phone": "0523-80000001",
		"deputy_leader_name": "李示例",
		"deputy_leader_post": "副主任",
		"deputy_leader_phone": "0523-80000002",
		"division_name": "综合科",
		"division_head_name": "赵示例",
		"division_head_post": "科长",
		"division_head_phone": "0523-80000003",
		"division_head_user": "fgw-leader@whistle.localhost",
	},
	"住房和城乡建设局": {
		"principal_leader_name": "周示例",
		"principal_leader_post": "局长",
		"deputy_leader_name": "吴示例",
		"deputy_leader_post": "副局长",
		"division_name": "建管科",
		"division_head_name": "郑示例",
		"division_head_post": "科长",
	},
}


def setup(bulletin: bool = True, evaluation: bool | None = None) -> dict[str, list[str]]:
	"""Create or refresh every demo record; returns what was created. ``bulletin``: also last month's
	sample whistles and its published supervision bulletin (the tests leave it out: its namings
	would count in every test's year). ``evaluation``: also the previous calendar year's closed
	whistles, surveys and final quarterly and annual evaluations (``ensure_demo_evaluation``); by
	default only outside tests (``frappe.flags.in_test``), which evaluate that year themselves and
	would find it frozen."""
	created: dict[str, list[str]] = {"units": [], "users": [], "slips": []}
	for name, unit_type in SAMPLE_UNITS.items():
		if not frappe.db.exists("Whistle Unit", name):
			frappe.get_doc({"doctype": "Whistle Unit", "unit_name": name, "unit_type": unit_type}).insert(
				ignore_permissions=True
			)
			created["units"].append(name)
	for email, (full_name, unit, user_roles) in DEMO_USERS.items():
		if ensure_user(email, full_name, unit, user_roles):
			created["users"].append(email)
	ensure_chains_and_liaisons()
	created["chains"] = ensure_demo_chains()  # every reporting unit's chain, fictional (#25)
	created["slips"] = ensure_demo_slips()
	ensure_demo_surveys()
	created["accountability"] = ensure_demo_accountability(current_date())  # RULES §13
	created["coordination"] = ensure_demo_coordination(current_date())  # RULES §12
	created["analysis"] = ensure_demo_analysis(current_date())  # RULES §14, before the bulletin
	created["fairness"] = ensure_demo_fairness(current_date())  # RULES §14 (not in tests: slow)
	if bulletin:
		created["bulletins"] = [b for b in [ensure_demo_bulletin()] if b]
	if evaluation is None:
		evaluation = not frappe.flags.in_test
	if evaluation:
		created["evaluations"] = [ensure_demo_evaluation(current_date().year - 1)]
	frappe.db.commit()
	return created


def ensure_demo_evaluation(year: int) -> str:
	"""The past ``year`` evaluated and finalised: ``demo_evaluation.ensure_demo_evaluation``."""
	from whistle_app.dev import demo_evaluation

	return demo_evaluation.ensure_demo_evaluation(year)


def ensure_user(email: str, full_name: str, unit: str, user_roles: list[str]) -> bool:
	"""Make sure a desk user exists in its unit with exactly its demo roles; True if created."""
	created = not frappe.db.exists("User", email)
	if created:
		user = frappe.new_doc("User")
		user.email = email
		user.first_name = full_name
		user.send_welcome_email = 0
		user.user_type = "System User"
	else:
		user = frappe.get_doc("User", email)
	changed = created or not user.enabled or user.whistle_unit != unit
	user.enabled = 1
	user.whistle_unit = unit
	if created or {r.role for r in user.roles} != set(user_roles):
		user.set("roles", [])
		user.append_roles(*user_roles)
		changed = True
	if changed:  # a user's save clears every cache of the site: a rerun leaves unchanged users be
		user.save(ignore_permissions=True)
	# The README prints this password: reset it on every run so the demo logins always work.
	update_password(email, DEMO_PASSWORD)
	return created


def ensure_chains_and_liaisons() -> None:
	"""Demo departments get a sample accountability chain and their liaison users."""
	liaisons: dict[str, list[str]] = {}
	for email, (_name, unit, user_roles) in DEMO_USERS.items():
		if roles.DEPARTMENT_LIAISON in user_roles:
			liaisons.setdefault(unit, []).append(email)
	for unit in sorted(set(DEMO_CHAINS) | set(liaisons)):
		doc = frappe.get_doc("Whistle Unit", unit)
		changed = False
		for field, value in DEMO_CHAINS.get(unit, {}).items():
			if not doc.get(field):
				doc.set(field, value)
				changed = True
		listed = {row.user for row in doc.liaisons}
		for email in liaisons.get(unit, []):
			if email not in listed:
				doc.append("liaisons", {"user": email})
				changed = True
		if changed:
			doc.save(ignore_permissions=True)


# --- demo whistles: every state, all three scopes, several parks and departments ---------------------
REPORT = {"work_plan": "成立专班，现场办公，分步解决", "responsible_persons": "赵示例（科长）"}
MEETING = {
	"meeting_departments": "牵头部门、协办部门",
	"meeting_minutes": "召开联商会办会议，明确各方职责",
	"meeting_solution": "牵头部门统筹，协办部门按分工推进",
	"meeting_task_division": "住房和城乡建设局：负责规划与施工许可",
}
OFFICE = "office@whistle.localhost"
SINGLE_FGW = [("发展和改革委", "Sole", None)]
MULTI_FGW_ZJJ = [("发展和改革委", "Lead", None), ("住房和城乡建设局", "Co", "负责规划与施工许可")]

RATE = "评价"  # a rating step (RULES §5), scores in the order of the template's criteria

# title -> (park user, category, [(days after filing, user, action, values)])
DEMO_SLIPS: dict[str, tuple[str, str, list[tuple[float, str, str, dict]]]] = {
	"示例：企业厂区道路破损影响物流": ("park1@whistle.localhost", "Comprehensive Coordination", []),
	"示例：新建项目用电报装进度慢": (
		"park2@whistle.localhost",
		"Efficiency Improvement",
		[(0, "park2@whistle.localhost", "提交吹哨", {})],
	),
	"示例：企业人才公寓配套不足": (
		"town1@whistle.localhost",
		"Other",
		[
			(0, "town1@whistle.localhost", "提交吹哨", {}),
			(1, OFFICE, "退回补充", {"reason": "请补充企业名称及联系人"}),
		],
	),
	"示例：要求减免全部税费": (
		"park1@whistle.localhost",
		"Other",
		[
			(0, "park1@whistle.localhost", "提交吹哨", {}),
			(1, OFFICE, "不予受理", {"reason": "诉求不符合政策规定"}),
		],
	),
	"示例：消防验收排期过长（报到逾期）": (
		"park1@whistle.localhost",
		"Efficiency Improvement",
		[
			(0, "park1@whistle.localhost", "提交吹哨", {}),
			(0.1, OFFICE, "派单", {"scope": "Single", "departments": [("住房和城乡建设局", "Sole", None)]}),
		],
	),
	"示例：产业园区雨污管网改造协调": (
		"park2@whistle.localhost",
		"Comprehensive Coordination",
		[
			(0, "park2@whistle.localhost", "提交吹哨", {}),
			(0.1, OFFICE, "派单", {"scope": "Multi", "departments": MULTI_FGW_ZJJ}),
			(1, "fgw@whistle.localhost", "报到", {**REPORT, **MEETING, "planned_completion": 40}),
		],
	),
	"示例：重点项目周边交通秩序整治（跨层级）": (
		"park1@whistle.localhost",
		"Case by Case",
		[
			(0, "park1@whistle.localhost", "提交吹哨", {}),
			(
				0.1,
				OFFICE,
				"派单",
				{
					"scope": "Cross-level",
					"higher_level_body": "市公安局",
					"departments": [("公安分局", "Sole", None)],
				},
			),
			(4, "police@whistle.localhost", "报到", {**REPORT, "planned_completion": 30}),
			(4.2, OFFICE, "审核抄送", {}),
		],
	),
	"示例：企业双电源改造（办结超时）": (
		"town1@whistle.localhost",
		"Docking and Striving",
		[
			(0, "town1@whistle.localhost", "提交吹哨", {}),
			(0.1, OFFICE, "派单", {"scope": "Single", "departments": [("供电公司", "Sole", None)]}),
			(0.5, "power@whistle.localhost", "报到", {**REPORT, "planned_completion": 5}),
			(0.7, OFFICE, "审核抄送", {}),
			(9, "power@whistle.localhost", "办结", {"result": "双电源改造已完成并送电"}),
		],
	),
	"示例：高新技术企业认定政策辅导": (
		"park1@whistle.localhost",
		"Docking and Striving",
		[
			(0, "park1@whistle.localhost", "提交吹哨", {}),
			(0.1, OFFICE, "派单", {"scope": "Single", "departments": SINGLE_FGW}),
			(0.5, "fgw@whistle.localhost", "报到", {**REPORT, "planned_completion": 10}),
			(0.7, OFFICE, "审核抄送", {}),
			(6, "fgw@whistle.localhost", "办结", {"result": "已完成政策辅导并协助申报"}),
			(7, "park1@whistle.localhost", "确认解决", {}),
		],
	),
	"示例：标准厂房规划调整（已销号）": (
		"park2@whistle.localhost",
		"Comprehensive Coordination",
		[
			(0, "park2@whistle.localhost", "提交吹哨", {}),
			(0.1, OFFICE, "派单", {"scope": "Multi", "departments": MULTI_FGW_ZJJ}),
			(0.5, "fgw@whistle.localhost", "报到", {**REPORT, **MEETING, "planned_completion": 20}),
			(0.7, OFFICE, "审核抄送", {}),
			(12, "fgw@whistle.localhost", "办结", {"result": "规划调整已批复"}),
			(13, "park2@whistle.localhost", "确认解决", {}),
			(
				13.1,
				"park2@whistle.localhost",
				RATE,
				{"department": "发展和改革委", "scores": [20, 18, 27, 28]},
			),
			(
				13.1,
				"park2@whistle.localhost",
				RATE,
				{"department": "住房和城乡建设局", "scores": [16, 18, 24, 22]},
			),
			(
				13.2,
				"fgw@whistle.localhost",
				RATE,
				{"department": "住房和城乡建设局", "scores": [27, 18, 26, 18]},
			),
			(13.5, OFFICE, "销号", {}),
		],
	),
}


def ensure_demo_slips(today=None, slips=None, start=None) -> list[str]:
	"""Replay each demo whistle's history from 20 days ago (time set through frappe.flags); ``slips``
	and ``start`` replay others (default ``DEMO_SLIPS``) from another moment."""

	today = getdate(today)
	start = start or datetime.combine(today - timedelta(days=20), time(9, 0))
	created = []
	previous_user = frappe.session.user
	try:
		for title, (park_user, category, steps) in (slips or DEMO_SLIPS).items():
			if frappe.db.exists("Whistle Slip", {"title": title}):
				continue
			frappe.flags.current_datetime = start
			frappe.set_user(park_user)
			slip = frappe.get_doc(
				{
					"doctype": "Whistle Slip",
					"title": title,
					"category": category,
					"description": f"{title}。企业多次反映，园区协调未果，需部门报到解决。",
					"demand": "请相关部门尽快研究解决",
					"contact_person": "钱示例",
					"contact_phone": "13800000000",
					"green_channel": int("重点项目" in title),
				}
			).insert()
			for days, user, action, values in steps:
				frappe.flags.current_datetime = start + timedelta(days=days)
				frappe.set_user(user)
				values = dict(values)
				if action == RATE:
					rate_demo(slip.name, values["department"], values["scores"])
					continue
				reason = values.pop("reason", None)
				if values:
					doc = frappe.get_doc("Whistle Slip", slip.name)
					departments = values.pop("departments", None)
					if "planned_completion" in values:
						values["planned_completion"] = start.date() + timedelta(
							days=values["planned_completion"]
						)
					if "meeting_minutes" in values:
						values["meeting_date"] = frappe.flags.current_datetime
					doc.update(values)
					if departments:
						doc.set(
							"departments",
							[
								{"department": d, "department_role": r, "assigned_task": t}
								for d, r, t in departments
							],
						)
					doc.save()
				act(slip.name, action, reason)
			created.append(slip.name)
	finally:
		frappe.flags.current_datetime = None
		frappe.set_user(previous_user)
	return created


def rate_demo(slip: str, department: str, scores: list[int]) -> str:
	"""Rate a department with the template in force, criteria in the template's order."""

	task = next(t for t in rating_tasks(slip) if t["rated_department"] == department)
	template = template_in_force(task["rater_kind"])
	criteria = [row.criterion for row in frappe.get_doc("Rating Template", template).criteria]
	return rate(slip, department, dict(zip(criteria, scores, strict=True)))


# --- enterprise satisfaction surveys (RULES §7) ----------------------------------------------------------
DEMO_ENTERPRISE = "示例科技有限公司"
DEMO_ENTERPRISE_USER = "ent1@whistle.localhost"
DEMO_CREDIT_CODE = "91321203MA1XDEM01"  # the first 17 characters; the check character is computed
# office tallies of the previous quarter's (closed) survey: unit -> 满意, 比较满意, 基本满意, 不满意
DEMO_TALLIES: dict[str, tuple[int, int, int, int]] = {
	"发展和改革委": (30, 10, 5, 5),  # RULES §11 E1: 82.00
	"住房和城乡建设局": (12, 6, 4, 3),
	"公安分局": (20, 2, 0, 0),
}


def ensure_demo_surveys(today=None) -> None:
	"""A demo enterprise with a portal login, last quarter's survey closed with office tallies, and
	this quarter's survey open to all enterprises (so the login can vote on /satisfaction)."""

	today = getdate(today)
	if not frappe.db.exists("User", DEMO_ENTERPRISE_USER):
		user = frappe.new_doc("User")
		user.update(
			{"email": DEMO_ENTERPRISE_USER, "first_name": DEMO_ENTERPRISE, "user_type": "Website User"}
		)
		user.send_welcome_email = 0
		user.append_roles(roles.ENTERPRISE)
		user.insert(ignore_permissions=True)
	update_password(DEMO_ENTERPRISE_USER, DEMO_PASSWORD)
	if not frappe.db.exists("Enterprise", {"enterprise_name": DEMO_ENTERPRISE}):
		frappe.get_doc(
			{
				"doctype": "Enterprise",
				"enterprise_name": DEMO_ENTERPRISE,
				"credit_code": DEMO_CREDIT_CODE + check_character(DEMO_CREDIT_CODE),
				"whistle_unit": "示例园区一",
				"user": DEMO_ENTERPRISE_USER,
				"contact_person": "钱示例",
			}
		).insert(ignore_permissions=True)

	previous_user = frappe.session.user
	frappe.set_user("office@whistle.localhost")
	try:
		last = scoring.previous_quarter(*scoring.quarter_of(today))
		for (year, quarter), tallies, target in (
			(last, DEMO_TALLIES, sv.CLOSED),
			(scoring.quarter_of(today), {}, sv.OPEN),
		):
			name = sv.survey_name(year, quarter)
			if frappe.db.exists("Satisfaction Survey", name):
				continue
			doc = frappe.get_doc(
				{
					"doctype": "Satisfaction Survey",
					"year": year,
					"quarter": str(quarter),
					"open_to_all_enterprises": 1,
					"tallies": [
						dict(zip(TALLY_FIELDS, (unit, *counts), strict=True))
						for unit, counts in tallies.items()
					],
				}
			).insert()
			move(doc.name, sv.OPEN)
			if target == sv.CLOSED:
				move(doc.name, sv.CLOSED)
	finally:
		frappe.set_user(previous_user)


TALLY_FIELDS = ("whistle_unit", "satisfied", "fairly_satisfied", "basically_satisfied", "dissatisfied")


# --- monthly supervision bulletin (RULES §6) ---------------------------------------------------------------
# Last month's sample whistles, replayed from its first working day (days after 09:00 on that day):
# one handled on time, one reported and completed late, one whose completion is overdue.
DEMO_BULLETIN_SLIPS: dict[str, tuple[str, str, list[tuple[float, str, str, dict]]]] = {
	"示例（上月）：企业扩产项目立项咨询": (
		"park1@whistle.localhost",
		"Efficiency Improvement",
		[
			(0, "park1@whistle.localhost", "提交吹哨", {}),
			(0.05, OFFICE, "派单", {"scope": "Single", "departments": SINGLE_FGW}),
			(0.2, "fgw@whistle.localhost", "报到", {**REPORT, "planned_completion": 10}),
			(0.3, OFFICE, "审核抄送", {}),
			(6, "fgw@whistle.localhost", "办结", {"result": "已完成立项咨询并协助备案"}),
		],
	),
	"示例（上月）：厂区周边路灯缺失（报到超时）": (
		"park2@whistle.localhost",
		"Comprehensive Coordination",
		[
			(0, "park2@whistle.localhost", "提交吹哨", {}),
			(0.05, OFFICE, "派单", {"scope": "Single", "departments": [("住房和城乡建设局", "Sole", None)]}),
			(4, "zjj@whistle.localhost", "报到", {**REPORT, "planned_completion": 8}),
			(4.1, OFFICE, "审核抄送", {}),
			(12, "zjj@whistle.localhost", "办结", {"result": "路灯已安装并通电"}),
		],
	),
	"示例（上月）：企业用电增容申请（逾期未办结）": (
		"town1@whistle.localhost",
		"Docking and Striving",
		[
			(0, "town1@whistle.localhost", "提交吹哨", {}),
			(0.05, OFFICE, "派单", {"scope": "Single", "departments": [("供电公司", "Sole", None)]}),
			(0.2, "power@whistle.localhost", "报到", {**REPORT, "planned_completion": 6}),
			(0.3, OFFICE, "审核抄送", {}),
		],
	),
}


def ensure_demo_bulletin(today=None) -> str | None:
	"""Last month's sample whistles and its supervision bulletin, drafted now and published by the
	office; returns the bulletin's name, or None when last month already has one."""

	today = getdate(today)
	year, month = rb.previous_month(today)
	if bulletins.existing_bulletin(year, month):
		return None
	start = datetime.combine(rb.first_working_day(get_work_calendar(), year, month), time(9, 0))
	ensure_demo_slips(today, DEMO_BULLETIN_SLIPS, start)
	previous_user = frappe.session.user
	frappe.set_user(OFFICE)
	try:
		name = bulletins.draft_bulletin(year, month)
		bulletins.publish(name)
	finally:
		frappe.set_user(previous_user)
	return name
