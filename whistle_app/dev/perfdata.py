"""Benchmark data (issue #10): a deterministic district or province year of whistles.

``bench --site whistle-perf.localhost whistle-generate --scale district --seed 7`` fills a site made
for benchmarks (``site_config.json`` has ``"whistle_perf_site": 1``) with one year (2025) of whistle
work, everything derived from ``random.Random(seed)`` and fixed timestamps, so the same seed gives
the same data (``generate`` returns a checksum per table):

* sample parks and towns named 示例园区NNN / 示例镇街NNN (the 40 reporting units are the installed
  ones), a user per park, per reporting unit (liaison), the office and a district leader;
* enterprises with valid GB 32100 credit codes (``rules.credit_code.make_credit_code``);
* slips of every scope (Single / Multi / Cross-level) in every state, replayed step by step in
  Python with the rules the controllers apply (``rules.lifecycle``): deadlines from the real
  working-day calendar (``calendar.get_work_calendar`` and ``rules.workdays``), met/late marks, the
  report and joint meeting, progress entries, the state history, re-handling, exemptions (继续跟踪)
  and assessment exclusions; ratings (drafts made on 办结, submitted ones with score rows and
  ``rating_key``), the ``Whistle Slip Score`` rows as ``ratings.update_slip_scores`` writes them,
  the warning levels and ``Whistle Clock Event`` rows the deadline job (``clocks.process_deadlines``)
  would have written, so that its next run at the dataset's moment has nothing to add;
* through the real code: the quarterly satisfaction surveys (opened, votes, office tallies, closed),
  the monthly supervision bulletins (drafted and published), the quarterly evaluations (Q1–Q3 final,
  Q4 draft) and the annual evaluation (draft).

The big tables are written with ``executemany`` in chunks (rows built here with the values the
controllers would set), then the naming series counters (``tabSeries``) are moved past the last
generated number so later real inserts do not collide.

A second run **refuses** (the dataset is recorded in the site defaults); ``--wipe`` deletes the
generated tables of the perf site and generates again. The command refuses any site not marked as a
perf site, so demo and test sites never receive generated data. Not generated: Version rows of the
bulk-written documents, the extension/exemption request documents behind the slips' state history
rows, Notification Logs of past reminders, rating reminders and enterprise portal users (votes have
no ``voted_by``).
"""

from __future__ import annotations

import hashlib
import json
import random
import time as timer
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import frappe

from whistle_app import bulletins, roles
from whistle_app import evaluation as ev
from whistle_app.calendar import get_work_calendar, seed_year
from whistle_app.organisation import PARK, REPORTING_UNIT, TOWN, clear_user_unit_cache
from whistle_app.ratings import ensure_default_templates, template_in_force, template_maxima
from whistle_app.rules import bulletin as rb
from whistle_app.rules import clocks as ck
from whistle_app.rules import fairness, scoring
from whistle_app.rules import lifecycle as lc
from whistle_app.rules import ratings as rr
from whistle_app.rules import survey as sv
from whistle_app.rules.credit_code import make_credit_code
from whistle_app.rules.workdays import add_working_days, deadline_year_confirmed, is_working_day
from whistle_app.surveys import move

PERF_SITE_FLAG = "whistle_perf_site"
MARKER = "whistle_perf_dataset"
YEAR = 2025
# the dataset's moment: the jobs of early January have run (bulletin of December, Q4 survey closed)
END = datetime(2026, 1, 9, 17, 0)
WORK_START, WORK_END = time(8, 30), time(17, 30)
CHUNK = 5_000
PASSWORD = "Whistle@2026"
OFFICE_USER = "perf-office@whistle.localhost"
LEADER_USER = "perf-leader@whistle.localhost"


@dataclass(frozen=True)
class Scale:
	slips: int
	parks: int  # parks and towns (3 parks : 2 towns)
	enterprises: int
	first_month: int = 1  # slips are filed from this month of the year on


SCALES = {
	# the tests' scale: the last two months only, so that its 50 slips are in every state
	"tiny": Scale(slips=50, parks=4, enterprises=20, first_month=11),
	"district": Scale(slips=10_000, parks=20, enterprises=2_000),
	"province": Scale(slips=100_000, parks=100, enterprises=20_000),
}


class PerfDataError(frappe.ValidationError):
	pass


# --- columns of the bulk-written tables (besides name, creation, modified, owner, modified_by, docstatus, idx)

CHILD = ("parent", "parentfield", "parenttype")
SLIP_FIELDS = (
	"naming_series",
	"workflow_state",
	"title",
	"whistle_unit",
	"category",
	"enterprise",
	"project_name",
	"project_kind",
	"green_channel",
	"green_channel_kind",
	"description",
	"demand",
	"contact_person",
	"contact_phone",
	"scope",
	"higher_level_body",
	"dispatched_on",
	"dispatched_by",
	"response_deadline",
	"response_status",
	"meeting_deadline",
	"meeting_status",
	"completion_deadline",
	"completion_status",
	"calendar_warning",
	"work_plan",
	"planned_completion",
	"responsible_persons",
	"reported_on",
	"reported_by",
	"meeting_date",
	"meeting_departments",
	"meeting_minutes",
	"meeting_solution",
	"meeting_task_division",
	"meeting_recorded_on",
	"result",
	"completed_on",
	"confirmed_on",
	"closed_on",
	"long_term_tracking",
	"excluded_from_assessment",
	"rehandle_count",
	"warning_level",
	"overdue",
)
TABLES: dict[str, tuple[str, ...]] = {
	"Enterprise": (
		"enterprise_name",
		"credit_code",
		"whistle_unit",
		"grid",
		"address",
		"contact_person",
		"contact_phone",
	),
	"Whistle Slip": SLIP_FIELDS,
	"Whistle Slip Department": (
		*CHILD,
		"department",
		"department_role",
		"assigned_task",
		"dept_status",
		"warning_level",
		"overdue",
	),
	"Whistle Slip Progress": (*CHILD, "entry_time", "department", "content", "entered_by"),
	"Whistle Slip State Log": (
		*CHILD,
		"changed_on",
		"from_state",
		"action",
		"to_state",
		"changed_by",
		"reason",
	),
	"Whistle Rating": (
		"slip",
		"slip_title",
		"rated_department",
		"department_role",
		"rater_unit",
		"rater_kind",
		"template",
		"rated_by",
		"rated_on",
		"total",
		"rating_key",
		"score_signature",
	),
	"Whistle Rating Score": (*CHILD, "criterion", "max_points", "score"),
	"Whistle Rating Comment": ("rating", "comment"),
	"Whistle Slip Score": (
		"slip",
		"whistle_unit",
		"department",
		"assessment_class",
		"is_co_department",
		"park_rating",
		"lead_rating",
		"slip_score",
		"rating_complete",
		"closed_on",
		"excluded_from_assessment",
	),
	"Whistle Clock Event": (
		"slip",
		"department",
		"clock",
		"deadline",
		"kind",
		"sent_on",
		"recipients",
		"event_key",
	),
	"Satisfaction Vote": ("survey", "whistle_unit", "level", "enterprise", "voted_on", "vote_key"),
}
BASE = ("name", "creation", "modified", "owner", "modified_by", "docstatus", "idx")
# what a wipe deletes (the perf site only): every table the dataset writes, children included
WIPE_DOCTYPES = (
	*TABLES,
	"Satisfaction Survey",
	"Satisfaction Survey Tally",
	"Supervision Bulletin",
	"Supervision Bulletin Unit",
	"Supervision Bulletin Proposal",
	"Supervision Bulletin Adjustment",
	"Supervision Bulletin Named Unit",
	"Quarterly Evaluation",
	"Quarterly Evaluation Unit",
	"Annual Evaluation",
	"Annual Evaluation Unit",
	"Snail Award",
	"Snail Award Bulletin",
	"Whistle Extension Request",
	"Whistle Exemption Request",
	"Assessment Exclusion Request",
	"Enterprise Demand",
)

# records about the dataset's documents that the app's code writes (doctype -> its reference field)
LINKED_LOGS = {
	"Notification Log": "document_type",
	"Version": "ref_doctype",
	"Comment": "reference_doctype",
	"Email Queue": "reference_doctype",
}

# --- sample texts ------------------------------------------------------------------------------------
TOPICS = {
	"Efficiency Improvement": (
		"施工许可审批时限压缩",
		"新建项目用电报装提速",
		"不动产登记办理提速",
		"环评审批进度滞后",
		"消防验收排期过长",
	),
	"Comprehensive Coordination": (
		"厂区周边道路破损修复",
		"雨污管网接入协调",
		"园区周边交通秩序整治",
		"标准厂房规划调整",
		"供水管网改造",
	),
	"Docking and Striving": (
		"专项资金申报辅导",
		"高新技术企业认定辅导",
		"省级重点项目申报对接",
		"技改补贴政策对接",
	),
	"Case by Case": ("历史遗留土地手续问题", "厂房产权办证问题", "项目用地红线调整"),
	"Other": ("人才公寓配套不足", "员工子女入学协调", "公交线路调整", "厂区周边路灯缺失"),
}
CATEGORY_WEIGHTS = {
	"Efficiency Improvement": 30,
	"Comprehensive Coordination": 30,
	"Docking and Striving": 20,
	"Case by Case": 10,
	"Other": 10,
}
NAME_HEADS = "华泰康瑞恒盛鑫宏远达安信诚通博嘉润丰德元"
INDUSTRIES = (
	"医药",
	"生物科技",
	"新材料",
	"机械制造",
	"电子科技",
	"食品",
	"化工",
	"物流",
	"精密仪器",
	"节能环保",
)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂"
BODIES = ("市自然资源和规划局", "市生态环境局", "省发展和改革委员会", "市住房和城乡建设局", "市公安局")
PROGRESS_TEXTS = (
	"已现场踏勘，制定推进计划",
	"已召开专题会议研究",
	"相关手续材料已受理",
	"正在组织施工",
	"已协调相关单位落实",
)
RESULTS = ("问题已解决，企业确认", "手续已办结并送达企业", "工程已完工并验收", "政策已落实到位")
PROJECT_KINDS = ("Industrial Project", "Livelihood Project", "None")
GREEN_KINDS = ("Provincial or Municipal Major Project", "District Key Project", "Chain Project")


def fmt(value) -> str:
	return "" if value is None else str(value)


# --- the world: units, users, calendar, templates --------------------------------------------------


@dataclass
class World:
	scale: Scale
	parks: list[str]
	park_users: dict[str, str]
	departments: list[tuple[str, str]]  # (name, class)
	dept_users: dict[str, str]
	templates: dict[str, tuple[str, list[tuple[str, int]]]]
	cal: object = None


def park_names(count: int) -> list[tuple[str, str]]:
	"""3 parks : 2 towns, numbered: 示例园区001, 示例镇街001, ..."""
	parks = (count * 3 + 4) // 5
	return [(f"示例园区{i:03d}", PARK) for i in range(1, parks + 1)] + [
		(f"示例镇街{i:03d}", TOWN) for i in range(1, count - parks + 1)
	]


def ensure_users(users: list[tuple[str, str, str, str]]) -> None:
	"""Desk users (email, full name, unit, role) that do not exist yet, written as rows (``User`` and
	``Has Role``) with the values a User insert stores: a User insert costs about two seconds here
	(its hooks reload DocType metadata), which a province's 140 users cannot afford."""

	missing = [u for u in users if not frappe.db.exists("User", u[0])]
	if not missing:
		return
	moment = datetime(YEAR - 1, 12, 1, 9, 0)
	base = (moment, moment, "Administrator", "Administrator", 0, 0)
	frappe.db.sql("select 1")
	cursor = frappe.db._cursor
	cursor.executemany(
		"insert into `tabUser` (`name`, `creation`, `modified`, `owner`, `modified_by`, `docstatus`, `idx`,"
		" `email`, `first_name`, `full_name`, `user_type`, `enabled`, `send_welcome_email`, `whistle_unit`)"
		" values (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
		[(email, *base, email, full, full, "System User", 1, 0, unit) for email, full, unit, _r in missing],
	)
	cursor.executemany(
		"insert into `tabHas Role` (`name`, `creation`, `modified`, `owner`, `modified_by`, `docstatus`, `idx`,"
		" `parent`, `parentfield`, `parenttype`, `role`) values (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
		[
			(hashlib.sha1(email.encode()).hexdigest()[:10], *base[:-1], 1, email, "roles", "User", role)
			for email, _f, _u, role in missing
		],
	)
	for email, *_rest in missing:
		clear_user_unit_cache(email)


def ensure_world(scale: Scale) -> World:
	"""Units, users, the 2025 calendar (seeded and confirmed) and the rating templates (idempotent)."""

	parks = []
	for name, unit_type in park_names(scale.parks):
		if not frappe.db.exists("Whistle Unit", name):
			frappe.get_doc({"doctype": "Whistle Unit", "unit_name": name, "unit_type": unit_type}).insert(
				ignore_permissions=True
			)
		parks.append(name)
	departments = frappe.get_all(
		"Whistle Unit",
		filters={"unit_type": REPORTING_UNIT, "enabled": 1},
		fields=["name", "assessment_class"],
		order_by="display_order asc, name asc",
	)
	park_users = {park: f"perf-park{i:03d}@whistle.localhost" for i, park in enumerate(parks, 1)}
	dept_users = {d.name: f"perf-dept{i:02d}@whistle.localhost" for i, d in enumerate(departments, 1)}
	ensure_users(
		[
			(OFFICE_USER, "吹哨办压测用户", "区吹哨办", roles.WHISTLE_OFFICE),
			(LEADER_USER, "区领导压测用户", "区党政领导", roles.DISTRICT_LEADER),
			*((user, f"{park}店小二", park, roles.PARK_AGENT) for park, user in park_users.items()),
			*((user, f"{d}报到员", d, roles.DEPARTMENT_LIAISON) for d, user in dept_users.items()),
		]
	)
	seed_year(YEAR)
	calendar_year = frappe.get_doc("Work Calendar Year", str(YEAR))
	if not calendar_year.confirmed:
		calendar_year.confirmed = 1
		calendar_year.save(ignore_permissions=True)
	ensure_default_templates()
	templates = {}
	for kind in rr.RATER_KINDS:
		name = template_in_force(kind, date(YEAR, 1, 1))
		templates[kind] = (name, list(template_maxima(name).items()))
	return World(
		scale=scale,
		parks=parks,
		park_users=park_users,
		departments=[(d.name, d.assessment_class) for d in departments],
		dept_users=dept_users,
		templates=templates,
		cal=get_work_calendar(),
	)


# --- the generator ---------------------------------------------------------------------------------------


@dataclass
class Gen:
	world: World
	rng: random.Random
	rows: dict[str, list[tuple]] = field(default_factory=dict)
	used_names: set[str] = field(default_factory=set)
	states: dict[str, int] = field(default_factory=dict)

	def row(self, doctype: str, values: tuple) -> None:
		self.rows.setdefault(doctype, []).append(values)

	def hash_name(self) -> str:
		"""A Frappe-like 10-character name, from the seed (redrawn on the rare collision)."""
		while True:
			n, out = self.rng.getrandbits(52), ""
			for _ in range(10):
				n, d = divmod(n, 36)
				out += "0123456789abcdefghijklmnopqrstuvwxyz"[d]
			if out not in self.used_names:
				self.used_names.add(out)
				return out

	# --- time helpers (working hours of the real calendar)
	def working(self, d: date) -> bool:
		return is_working_day(self.world.cal, d)

	def at_work(self, t: datetime) -> datetime:
		"""``t`` moved into working hours (next working day 09:00-ish when outside)."""
		d = t.date()
		if self.working(d) and WORK_START <= t.time() <= WORK_END:
			return t
		if self.working(d) and t.time() < WORK_START:
			return datetime.combine(d, WORK_START) + timedelta(minutes=self.rng.randint(0, 90))
		d += timedelta(days=1)
		while not self.working(d):
			d += timedelta(days=1)
		return datetime.combine(d, time(9, 0)) + timedelta(minutes=self.rng.randint(0, 90))

	def later(self, t: datetime, lo_hours: float, hi_hours: float) -> datetime:
		return self.at_work(t + timedelta(hours=self.rng.uniform(lo_hours, hi_hours))).replace(microsecond=0)

	def on_day(self, d: date) -> datetime:
		return datetime.combine(d, time(9, 0)) + timedelta(minutes=self.rng.randint(0, 7 * 60))

	def working_days_after(self, t: datetime, n: int) -> datetime:
		return self.on_day(add_working_days(self.world.cal, t, n).date())

	def filing_times(self, count: int) -> list[datetime]:
		first = date(YEAR, self.world.scale.first_month, 2)
		days = [
			d
			for d in (date(YEAR, 1, 1) + timedelta(days=i) for i in range(365))
			if self.working(d) and d >= first
		]
		times = [
			self.on_day(self.rng.choice(days)) + timedelta(seconds=self.rng.randint(0, 59))
			for _ in range(count)
		]
		return sorted(times)


credit_code = make_credit_code


def person(rng: random.Random) -> str:
	return rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "")


def phone(rng: random.Random) -> str:
	return f"1{rng.choice('3589')}{rng.randint(0, 9)}{rng.randint(0, 99_999_999):08d}"


def make_enterprises(g: Gen) -> dict[str, list[tuple[str, str]]]:
	"""Enterprises spread over the parks (name = credit code); {park: [(code, name)]}."""
	by_park: dict[str, list[tuple[str, str]]] = {p: [] for p in g.world.parks}
	moment = datetime(YEAR - 1, 12, 1, 9, 0)
	for i in range(g.world.scale.enterprises):
		park = (
			g.world.parks[i % len(g.world.parks)] if i < len(g.world.parks) else g.rng.choice(g.world.parks)
		)
		code = credit_code(7_000_000 + i, "321203" if i % 2 else "321291")
		name = f"示例{g.rng.choice(NAME_HEADS)}{g.rng.choice(NAME_HEADS)}{g.rng.choice(INDUSTRIES)}有限公司{i + 1:05d}"
		by_park[park].append((code, name))
		g.row(
			"Enterprise",
			(
				code,
				moment,
				moment,
				"Administrator",
				"Administrator",
				0,
				0,
				name,
				code,
				park,
				f"第{g.rng.randint(1, 12)}网格",
				f"{park}{g.rng.randint(1, 300)}号",
				person(g.rng),
				phone(g.rng),
			),
		)
	return by_park


@dataclass
class Slip:
	name: str
	values: dict
	departments: list[dict]
	log: list[tuple]
	progress: list[tuple]
	owner: str
	creation: datetime
	modified: datetime | None = None
	modified_by: str | None = None
	required: list = field(default_factory=list)  # the ratings §5 requires (once completed)
	drafts_at: datetime | None = None
	draft_owner: str | None = None
	rated: dict = field(default_factory=dict)  # required rating -> submitted at


def simulate(g: Gen, name: str, filed: datetime, enterprises) -> Slip:
	"""One slip's history up to END, step by step as the workflow and the controller would write it."""
	rng, w = g.rng, g.world
	park = rng.choice(w.parks)
	park_user = w.park_users[park]
	code, ent_name = rng.choice(enterprises[park]) if enterprises[park] else (None, "示例企业")
	category = rng.choices(list(CATEGORY_WEIGHTS), weights=list(CATEGORY_WEIGHTS.values()))[0]
	topic = rng.choice(TOPICS[category])
	green = int(rng.random() < 0.1)
	v = dict.fromkeys(SLIP_FIELDS)
	v.update(
		{
			"naming_series": "CS-.YYYY.-",
			"workflow_state": lc.DRAFT,
			"title": f"{ent_name[2:8]}：{topic}",
			"whistle_unit": park,
			"category": category,
			"enterprise": code,
			"project_name": f"{ent_name[2:6]}{rng.choice(('扩产', '新建', '技改', '二期'))}项目",
			"project_kind": rng.choice(PROJECT_KINDS),
			"green_channel": green,
			"green_channel_kind": rng.choice(GREEN_KINDS) if green else None,
			"description": f"{ent_name}反映：{topic}，影响企业正常生产经营，园区多次协调未果。",
			"demand": "请相关部门尽快研究解决",
			"contact_person": person(rng),
			"contact_phone": phone(rng),
			"long_term_tracking": 0,
			"excluded_from_assessment": 0,
			"rehandle_count": 0,
			"warning_level": ck.NORMAL,
			"overdue": 0,
		}
	)
	s = Slip(name, v, [], [], [], park_user, filed)
	state = [lc.DRAFT]

	def step(t: datetime, action: str, to: str, user: str, reason: str | None = None) -> bool:
		if t > END:
			return False
		s.log.append((t, state[0], action, to, user, reason))
		state[0] = to
		v["workflow_state"] = to
		s.modified, s.modified_by = t, user
		return True

	s.modified, s.modified_by = filed, park_user
	if rng.random() < 0.01 or not step(g.later(filed, 0.1, 2), "提交吹哨", lc.SUBMITTED, park_user):
		return s
	t = s.log[-1][0]
	r = rng.random()
	if r < 0.02:
		t = g.later(t, 1, 20)
		if not step(t, "退回补充", lc.RETURNED, OFFICE_USER, "请补充企业诉求的具体情况和相关材料"):
			return s
		if rng.random() < 0.3 or not step(g.later(t, 4, 40), "重新提交", lc.SUBMITTED, park_user):
			return s
		t = s.log[-1][0]
	elif r < 0.04:
		step(g.later(t, 1, 20), "不予受理", lc.DECLINED, OFFICE_USER, "诉求不属于部门报到事项范围")
		return s

	# dispatch (§3.2 scope and departments)
	t = g.later(t, 0.5, 10)
	scope = rng.choices((lc.SINGLE, lc.MULTI, lc.CROSS_LEVEL), weights=(60, 30, 10))[0]
	n_depts = (
		1
		if scope == lc.SINGLE
		else rng.choice((2, 2, 2, 3, 3, 4))
		if scope == lc.MULTI
		else rng.choice((1, 1, 2))
	)
	depts = rng.sample([d for d, _c in w.departments], n_depts)
	roles_on = [lc.SOLE] if n_depts == 1 else [lc.LEAD] + [lc.CO] * (n_depts - 1)
	if not step(t, "派单", lc.DISPATCHED, OFFICE_USER):
		return s
	dispatched = t
	v.update({"scope": scope, "dispatched_on": dispatched, "dispatched_by": OFFICE_USER})
	if scope == lc.CROSS_LEVEL:
		v["higher_level_body"] = rng.choice(BODIES)
	for dept, role in zip(depts, roles_on, strict=True):
		s.departments.append(
			{
				"department": dept,
				"department_role": role,
				"assigned_task": f"负责{rng.choice(('规划审批', '现场协调', '手续办理', '资金保障', '施工配合'))}"
				if role == lc.CO
				else None,
				"dept_status": "Pending",
				"warning_level": ck.NORMAL,
				"overdue": 0,
			}
		)
	lead = depts[0]
	lead_user = w.dept_users[lead]
	warnings = []
	v["response_deadline"] = add_working_days(w.cal, dispatched, lc.RESPONSE_DAYS)
	if not deadline_year_confirmed(w.cal, v["response_deadline"]):
		warnings.append(v["response_deadline"].year)
	needs_meeting = n_depts > 1
	if needs_meeting:
		v["meeting_deadline"] = add_working_days(w.cal, dispatched, lc.MEETING_DAYS)
		if not deadline_year_confirmed(w.cal, v["meeting_deadline"]):
			warnings.append(v["meeting_deadline"].year)
	if warnings:
		v["calendar_warning"] = f"{warnings[0]} 年工作日历尚未确认"

	# report for duty (§4: one working day; the joint meeting within three)
	if rng.random() < 0.88:
		t = g.later(dispatched, 0.3, 20)
		if t > v["response_deadline"]:
			t = datetime.combine(v["response_deadline"].date(), time(16, 0))
	else:
		t = g.working_days_after(v["response_deadline"], rng.choice((1, 1, 1, 2, 3, 5)))
	if needs_meeting:
		meeting = max(dispatched + timedelta(hours=1), t - timedelta(hours=rng.randint(2, 20)))
		v.update(
			{
				"meeting_date": meeting.replace(microsecond=0),
				"meeting_departments": "、".join(depts),
				"meeting_minutes": "召开联商会办会议，明确各方职责和办理时限",
				"meeting_solution": "牵头部门统筹，协办部门按分工推进",
				"meeting_task_division": "；".join(
					f"{d['department']}：{d['assigned_task']}" for d in s.departments if d["assigned_task"]
				),
			}
		)
	# completion deadlines: weeks for most whistles, months for the hard ones (case by case, cross-level)
	hard = category == "Case by Case" or scope == lc.CROSS_LEVEL
	planned = dispatched.date() + timedelta(
		days=rng.randint(30, 150) if hard or rng.random() < 0.15 else rng.randint(7, 40)
	)
	if not step(t, "报到", lc.REPORTED, lead_user):
		return finish(g, s)
	reported = t
	v.update(
		{
			"work_plan": "成立专班，现场办公，分步解决",
			"planned_completion": planned,
			"responsible_persons": f"{person(rng)}（科长）",
			"reported_on": reported,
			"reported_by": lead_user,
			"response_status": lc.mark(reported, v["response_deadline"]),
			"completion_deadline": datetime.combine(planned, time(23, 59, 59)),
		}
	)
	if needs_meeting:
		v["meeting_recorded_on"] = reported
		v["meeting_status"] = lc.mark(reported, v["meeting_deadline"])
	s.departments[0]["dept_status"] = "Reported"

	t = g.later(reported, 0.5, 8)
	if not step(t, "审核抄送", lc.HANDLING, OFFICE_USER):
		return finish(g, s)
	handling = t
	for d in s.departments:
		d["dept_status"] = "Handling"

	def completion_time(start: datetime) -> datetime:
		deadline = v["completion_deadline"]
		if rng.random() < 0.85:
			span = max((deadline - start).total_seconds(), 3600)
			c = g.at_work(start + timedelta(seconds=rng.uniform(0.2, 0.95) * span)).replace(microsecond=0)
			if c > deadline and g.working(deadline.date()):
				c = datetime.combine(deadline.date(), time(15, 0))
			return max(c, start + timedelta(minutes=30))
		return g.working_days_after(deadline, rng.choice((1, 2, 3, 5, 8, 15)))

	completed = completion_time(handling)
	exempt = rng.random() < 0.01
	# progress entries while handling
	for _ in range(rng.choice((0, 1, 1, 2, 3))):
		pt = g.later(handling + (completed - handling) * rng.random(), 0, 1)
		if pt > END or pt > completed:
			continue
		d = rng.choice(s.departments)["department"]
		s.progress.append((pt, d, rng.choice(PROGRESS_TEXTS), w.dept_users[d]))
	if exempt:
		t = g.working_days_after(handling, rng.randint(5, 20))
		if t < completed and t <= END:
			s.log.append(
				(t, state[0], "不列入考核", lc.LONG_TERM, LEADER_USER, "受政策限制，经多次协调暂无法解决")
			)
			state[0] = v["workflow_state"] = lc.LONG_TERM
			v["long_term_tracking"] = v["excluded_from_assessment"] = 1
			s.modified, s.modified_by = t, LEADER_USER
			return finish(g, s)
	result = rng.choice(RESULTS)
	if not step(completed, "办结", lc.COMPLETED, lead_user):
		return finish(g, s)
	v.update(
		{
			"result": result,
			"completed_on": completed,
			"completion_status": lc.mark(completed, v["completion_deadline"]),
		}
	)
	for d in s.departments:
		d["dept_status"] = "Completed"
	pairs = [(d["department"], d["department_role"]) for d in s.departments]
	required = rr.required_ratings(park, pairs)
	drafts_at = completed  # §5: the drafts are made when the slip is completed (once)

	if rng.random() < 0.03:  # re-handling
		t = g.later(completed, 4, 48)
		if not step(t, "重办", lc.HANDLING, park_user, "企业反映问题未彻底解决"):
			return finish(g, s, required, drafts_at, lead_user)
		v.update({"rehandle_count": 1, "completed_on": None, "completion_status": None})
		for d in s.departments:
			d["dept_status"] = "Handling"
		completed = completion_time(t)
		if not step(completed, "办结", lc.COMPLETED, lead_user):
			return finish(g, s, required, drafts_at, lead_user)
		v.update(
			{"completed_on": completed, "completion_status": lc.mark(completed, v["completion_deadline"])}
		)
		for d in s.departments:
			d["dept_status"] = "Completed"

	confirmed = g.later(completed, 2, 60)
	rated = {}
	for r in required:
		if r.rater_kind == rr.LEAD_RATER:
			rated[r] = g.later(completed, 1, 48)
	if step(confirmed, "确认解决", lc.CONFIRMED, park_user):
		v["confirmed_on"] = confirmed
		for r in required:
			if r.rater_kind == rr.PARK_RATER:
				rated[r] = g.later(confirmed, 0, 30)
	rated = {r: at for r, at in rated.items() if at <= END}
	closed = None
	if v["confirmed_on"] and len(rated) == len(required):
		t = g.later(max(rated.values()), 2, 30)
		if step(t, "销号", lc.CLOSED, OFFICE_USER):
			closed = t
			v["closed_on"] = closed
			if rng.random() < 0.005:  # assessment exclusion approved after rating
				t = g.working_days_after(closed, rng.randint(3, 10))
				if t <= END:
					s.log.append(
						(
							t,
							lc.CLOSED,
							"考核剔除",
							lc.CLOSED,
							LEADER_USER,
							"因客观原因无法办理，经书面说明批准剔除",
						)
					)
					v["excluded_from_assessment"] = 1
					s.modified, s.modified_by = t, LEADER_USER
	return finish(g, s, required, drafts_at, lead_user, rated)


def finish(g: Gen, s: Slip, required=(), drafts_at=None, draft_owner=None, rated=None) -> Slip:
	s.required, s.drafts_at, s.draft_owner, s.rated = list(required), drafts_at, draft_owner, rated or {}
	return s


# --- ratings and slip scores -------------------------------------------------------------------------------


def rating_scores(g: Gen, maxima: list[tuple[str, int]]) -> list[int]:
	quality = g.rng.uniform(0.4, 0.6) if g.rng.random() < 0.03 else g.rng.uniform(0.78, 1.0)
	return [min(m, max(0, round(m * min(1.0, quality + g.rng.uniform(-0.08, 0.08))))) for _c, m in maxima]


def write_ratings(g: Gen, slips: list[Slip], first_number: dict[int, int]) -> dict[int, int]:
	"""Drafts at 办结, submitted ones with their scores; slip scores as ``update_slip_scores`` leaves them."""
	w = g.world
	ratings = []
	for s in slips:
		for r in s.required:
			ratings.append((s.drafts_at, s.name, r, s))
	ratings.sort(key=lambda x: (x[0], x[1], x[2].rater_kind, x[2].rated_department))
	numbers = dict(first_number)
	classes = dict(w.departments)
	totals: dict[str, dict] = {}
	for created, slip_name, r, s in ratings:
		year = created.year
		numbers[year] = numbers.get(year, 0) + 1
		name = f"PJ-{year}-{numbers[year]:05d}"
		template, maxima = w.templates[r.rater_kind]
		at = s.rated.get(r)
		scores = rating_scores(g, maxima) if at else [None] * len(maxima)
		total = sum(x for x in scores if x is not None)
		rater_user = (
			w.park_users[r.rater_unit] if r.rater_kind == rr.PARK_RATER else w.dept_users[r.rater_unit]
		)
		g.row(
			"Whistle Rating",
			(
				name,
				created,
				at or created,
				s.draft_owner,
				rater_user if at else s.draft_owner,
				1 if at else 0,
				0,
				slip_name,
				s.values["title"],
				r.rated_department,
				r.department_role,
				r.rater_unit,
				r.rater_kind,
				template,
				rater_user if at else None,
				at,
				total,
				rr.rating_key(slip_name, r.rated_department, r.rater_kind),
				fairness.score_signature(scores),
			),
		)
		for idx, ((criterion, maximum), score) in enumerate(zip(maxima, scores, strict=True), 1):
			g.row(
				"Whistle Rating Score",
				(
					g.hash_name(),
					created,
					at or created,
					s.draft_owner,
					rater_user if at else s.draft_owner,
					1 if at else 0,
					idx,
					name,
					"scores",
					"Whistle Rating",
					criterion,
					maximum,
					None if score is None else str(score),
				),
			)
		if at and scoring.comment_required(total):
			g.row(
				"Whistle Rating Comment",
				(name, at, at, rater_user, rater_user, 0, 0, name, "评分较低：办理进度慢，沟通不及时"),
			)
		if at:
			totals.setdefault(slip_name, {})[(r.rater_kind, r.rated_department)] = (total, at)
	# Whistle Slip Score: one row per department once any rating of the slip is submitted
	for s in slips:
		done = totals.get(s.name)
		if not done:
			continue
		first = min(at for _t, at in done.values())
		last = max([at for _t, at in done.values()] + [s.values["closed_on"] or first])
		for d in s.departments:
			is_co = d["department_role"] == lc.CO
			park = done.get((rr.PARK_RATER, d["department"]))
			lead = done.get((rr.LEAD_RATER, d["department"])) if is_co else None
			complete = park is not None and (lead is not None or not is_co)
			score = (
				float(scoring.round2(scoring.slip_score(park[0], lead[0] if lead else None, is_co)))
				if complete
				else 0
			)
			g.row(
				"Whistle Slip Score",
				(
					g.hash_name(),
					first,
					last,
					"Administrator",
					"Administrator",
					0,
					0,
					s.name,
					s.values["whistle_unit"],
					d["department"],
					classes.get(d["department"]),
					int(is_co),
					park[0] if park else 0,
					lead[0] if lead else 0,
					score,
					int(complete),
					s.values["closed_on"],
					int(bool(s.values["excluded_from_assessment"])),
				),
			)
	return numbers


# --- what the deadline job would have done -------------------------------------------------------------------


def pending_deadlines(v: dict) -> dict[str, datetime]:
	"""The clocks still pending at END (``clocks.pending_conditions`` in Python)."""
	state, out = v["workflow_state"], {}
	if state == lc.DISPATCHED and v["response_deadline"] and not v["response_status"]:
		out[ck.RESPONSE] = v["response_deadline"]
	if (
		state in (lc.DISPATCHED, lc.REPORTED, lc.HANDLING)
		and v["meeting_deadline"]
		and not v["meeting_recorded_on"]
	):
		out[ck.MEETING] = v["meeting_deadline"]
	if state in (lc.REPORTED, lc.HANDLING) and v["completion_deadline"] and not v["completed_on"]:
		out[ck.COMPLETION] = v["completion_deadline"]
	return out


def clock_history(g: Gen, s: Slip) -> None:
	"""Warning levels at END and the reminders/escalations the job sent for the responsible department."""
	v, w = s.values, g.world
	if not s.departments:
		return
	lead = s.departments[0]
	dept, cal = lead["department"], w.cal
	liaison = w.dept_users[dept]
	done = {
		ck.RESPONSE: v["reported_on"],
		ck.MEETING: v["meeting_recorded_on"],
		ck.COMPLETION: v["completed_on"] if v["workflow_state"] != lc.HANDLING else None,
	}
	deadlines = {
		ck.RESPONSE: v["response_deadline"],
		ck.MEETING: v["meeting_deadline"],
		ck.COMPLETION: v["completion_deadline"],
	}
	pending = pending_deadlines(v)
	events = {}
	for clock, deadline in deadlines.items():
		if not deadline:
			continue
		if clock == ck.COMPLETION and not v["reported_on"]:
			continue
		until = done[clock] or (END if clock in pending else None)
		if until is None:
			continue  # not pending at END and never recorded (long-term tracking)
		start = v["reported_on"] if clock == ck.COMPLETION else v["dispatched_on"]
		remind_at = max(start, datetime.combine(deadline.date(), time(0, 5)))
		if remind_at < until and remind_at <= deadline:
			events[(clock, ck.REMINDER)] = (deadline, remind_at)
		if until > deadline + timedelta(minutes=5):
			events[(clock, ck.ESCALATION)] = (deadline, deadline + timedelta(minutes=5))
	for clock, kind, deadline in ck.due_events(END, pending, cal):  # what a run at END finds due
		events.setdefault((clock, kind), (deadline, END))
	for (clock, kind), (deadline, sent) in sorted(events.items()):
		if sent > END:
			continue
		recipients = liaison if kind == ck.REMINDER else f"{OFFICE_USER}\n{liaison}"
		g.row(
			"Whistle Clock Event",
			(
				g.hash_name(),
				sent,
				sent,
				"Administrator",
				"Administrator",
				0,
				0,
				s.name,
				dept,
				clock,
				deadline,
				kind,
				sent,
				recipients,
				ck.event_key(s.name, dept, clock, deadline, kind),
			),
		)
	if pending:
		level = ck.worst(
			ck.warning_level(END, d, False, cal, ck.DEFAULT_WARN_DAYS, ck.DEFAULT_SERIOUS_DAYS)
			for d in pending.values()
		)
		lead["warning_level"], lead["overdue"] = level, int(ck.is_overdue(level))
		v["warning_level"], v["overdue"] = level, int(ck.is_overdue(level))


def slip_rows(g: Gen, s: Slip) -> None:
	v = s.values
	g.row(
		"Whistle Slip",
		(s.name, s.creation, s.modified, s.owner, s.modified_by, 0, 0, *(v[f] for f in SLIP_FIELDS)),
	)
	child = ("Whistle Slip", s.creation, s.modified, s.owner, s.modified_by)
	for idx, d in enumerate(s.departments, 1):
		g.row(
			"Whistle Slip Department",
			(
				g.hash_name(),
				v["dispatched_on"],
				s.modified,
				OFFICE_USER,
				s.modified_by,
				0,
				idx,
				s.name,
				"departments",
				"Whistle Slip",
				*(d[f] for f in TABLES["Whistle Slip Department"][3:]),
			),
		)
	for idx, (t, dept, content, user) in enumerate(sorted(s.progress), 1):
		g.row(
			"Whistle Slip Progress",
			(g.hash_name(), t, t, user, user, 0, idx, s.name, "progress", child[0], t, dept, content, user),
		)
	for idx, (t, from_state, action, to_state, user, reason) in enumerate(s.log, 1):
		g.row(
			"Whistle Slip State Log",
			(
				g.hash_name(),
				t,
				t,
				user,
				user,
				0,
				idx,
				s.name,
				"state_log",
				child[0],
				t,
				from_state,
				action,
				to_state,
				user,
				reason,
			),
		)


def survey_votes(g: Gen, slips: list[Slip], quarter: int) -> list[tuple]:
	"""Votes of the quarter's survey: enterprises rate the units on their whistles active in the quarter."""
	first, last = scoring.quarter_bounds(YEAR, quarter)
	start, end = datetime.combine(first, time()), datetime.combine(last + timedelta(days=1), time())
	survey = sv.survey_name(YEAR, quarter)
	pairs = set()
	for s in slips:
		v = s.values
		if not v["enterprise"] or not v["dispatched_on"] or v["dispatched_on"] >= end:
			continue
		if v["closed_on"] and v["closed_on"] < start:
			continue
		for d in s.departments:
			pairs.add((v["enterprise"], d["department"]))
	levels = (sv.SATISFIED, sv.FAIRLY_SATISFIED, sv.BASICALLY_SATISFIED, sv.DISSATISFIED)
	opened = datetime.combine(last - timedelta(days=14), time(9, 0))
	rows = []
	for enterprise, unit in sorted(pairs):
		if g.rng.random() > 0.55:
			continue
		at = opened + timedelta(minutes=g.rng.randint(0, 60 * 24 * 18))
		level = g.rng.choices(levels, weights=(70, 18, 9, 3))[0]
		rows.append(
			(
				g.hash_name(),
				at,
				at,
				"Administrator",
				"Administrator",
				0,
				0,
				survey,
				unit,
				level,
				enterprise,
				at,
				sv.vote_key(survey, enterprise, unit),
			)
		)
	return rows


# --- writing ------------------------------------------------------------------------------------------------


def insert_rows(doctype: str, rows: list[tuple]) -> None:
	"""executemany in chunks; the table and columns are this module's constants (checked against the
	DocType), every value is a parameter."""
	if not rows:
		return
	columns = (*BASE, *TABLES[doctype])
	known = set(frappe.db.get_table_columns(doctype))
	unknown = [c for c in columns if c not in known]
	if unknown:
		raise PerfDataError(f"{doctype} has no columns {unknown}")
	query = "insert into `tab{}` ({}) values ({})".format(
		doctype, ", ".join(f"`{c}`" for c in columns), ", ".join(["%s"] * len(columns))
	)
	frappe.db.sql("select 1")  # connected
	cursor = frappe.db._cursor
	for i in range(0, len(rows), CHUNK):
		cursor.executemany(query, rows[i : i + CHUNK])


def series_current(key: str) -> int:
	series = frappe.qb.DocType("Series")
	rows = frappe.qb.from_(series).select(series.current).where(series.name == key).run()
	return int(rows[0][0] or 0) if rows else 0


def set_series(key: str, current: int) -> None:
	"""Move a naming series counter to ``current`` (never backwards)."""
	series = frappe.qb.DocType("Series")
	if frappe.qb.from_(series).select(series.name).where(series.name == key).run():
		frappe.qb.update(series).set(series.current, current).where(series.name == key).where(
			series.current < current
		).run()
	else:
		frappe.db.sql("insert into `tabSeries` (`name`, `current`) values (%s, %s)", (key, current))


# --- the real code: surveys, bulletins, evaluations ----------------------------------------------------------


def at_moment(moment: datetime):
	frappe.flags.current_datetime = moment
	frappe.flags.current_date = moment.date()


def run_surveys(g: Gen, slips: list[Slip]) -> None:

	units = [d for d, _c in g.world.departments]
	for quarter in (1, 2, 3, 4):
		last = scoring.quarter_bounds(YEAR, quarter)[1]
		name = sv.survey_name(YEAR, quarter)
		if frappe.db.exists("Satisfaction Survey", name):
			continue
		at_moment(datetime.combine(last - timedelta(days=15), time(10, 0)))
		tallies = [
			{
				"whistle_unit": unit,
				"satisfied": g.rng.randint(5, 30),
				"fairly_satisfied": g.rng.randint(0, 10),
				"basically_satisfied": g.rng.randint(0, 5),
				"dissatisfied": g.rng.randint(0, 3),
			}
			for unit in sorted(g.rng.sample(units, min(5, len(units))))
		]
		frappe.get_doc(
			{"doctype": "Satisfaction Survey", "year": YEAR, "quarter": str(quarter), "tallies": tallies}
		).insert(ignore_permissions=True)
		at_moment(datetime.combine(last - timedelta(days=14), time(9, 0)))
		move(name, sv.OPEN)
		votes = survey_votes(g, slips, quarter)
		g.rows.setdefault("Satisfaction Vote", []).extend(votes)
		insert_rows("Satisfaction Vote", votes)
		at_moment(datetime.combine(last + timedelta(days=5), time(17, 0)))
		move(name, sv.CLOSED)


def run_bulletins() -> list[str]:

	names = []
	for month in range(1, 13):
		nxt = (YEAR + month // 12, month % 12 + 1)
		day = rb.first_working_day(get_work_calendar(), *nxt)
		at_moment(datetime.combine(day, time(9, 0)))
		name = bulletins.draft_bulletin(YEAR, month)
		if name:
			at_moment(datetime.combine(day, time(15, 0)))
			bulletins.publish(name)
			names.append(name)
	return names


def run_evaluations() -> list[str]:

	at_moment(END - timedelta(hours=3))
	names = [ev.evaluate_quarter(YEAR, q) for q in (1, 2, 3, 4)]
	for q in (1, 2, 3):
		ev.finalise_quarter(YEAR, q)
	names.append(ev.evaluate_year(YEAR))
	return names


# --- checks ----------------------------------------------------------------------------------------------------

CHECKSUM_QUERIES = {
	"Enterprise": "select name, enterprise_name, whistle_unit, grid, contact_phone from `tabEnterprise` where name in %(enterprises)s order by name",
	"Whistle Slip": "select name, workflow_state, title, whistle_unit, enterprise, scope, dispatched_on, response_deadline, response_status, meeting_deadline, meeting_status, completion_deadline, completion_status, reported_on, completed_on, confirmed_on, closed_on, excluded_from_assessment, warning_level, overdue from `tabWhistle Slip` where name in %(slips)s order by name",
	"Whistle Slip Department": "select parent, idx, department, department_role, dept_status, warning_level, overdue from `tabWhistle Slip Department` where parent in %(slips)s order by parent, idx",
	"Whistle Slip Progress": "select parent, idx, entry_time, department, content from `tabWhistle Slip Progress` where parent in %(slips)s order by parent, idx",
	"Whistle Slip State Log": "select parent, idx, changed_on, from_state, action, to_state, changed_by from `tabWhistle Slip State Log` where parent in %(slips)s order by parent, idx",
	"Whistle Rating": "select name, slip, rated_department, rater_kind, docstatus, total, rated_on, rating_key from `tabWhistle Rating` where slip in %(slips)s order by name",
	"Whistle Rating Score": "select s.parent, s.idx, s.criterion, s.score from `tabWhistle Rating Score` s join `tabWhistle Rating` r on r.name = s.parent where r.slip in %(slips)s order by s.parent, s.idx",
	"Whistle Slip Score": "select slip, department, park_rating, lead_rating, slip_score, rating_complete, closed_on, excluded_from_assessment from `tabWhistle Slip Score` where slip in %(slips)s order by slip, department",
	"Whistle Clock Event": "select event_key, sent_on from `tabWhistle Clock Event` where slip in %(slips)s order by event_key",
	"Satisfaction Vote": "select vote_key, level from `tabSatisfaction Vote` where survey like %(surveys)s order by vote_key",
	"Quarterly Evaluation Unit": "select parent, whistle_unit, cases, slip_sum, quarter_score, `rank` from `tabQuarterly Evaluation Unit` where parent like %(evaluations)s order by parent, whistle_unit",
	"Supervision Bulletin Named Unit": "select parent, department, reasons from `tabSupervision Bulletin Named Unit` where parent like %(bulletins)s order by parent, department",
}


def checksums(slips: list[str], enterprises: list[str]) -> dict[str, str]:
	"""sha256 of each generated table's content (fields that the seed decides; not random row names)."""
	params = {
		"slips": slips or [""],
		"enterprises": enterprises or [""],
		"surveys": f"SV-{YEAR}-%",
		"evaluations": f"QE-{YEAR}-%",
		"bulletins": f"DCTB-{YEAR}-%",
	}
	out = {}
	for table, query in CHECKSUM_QUERIES.items():
		digest = hashlib.sha256()
		for row in frappe.db.sql(query, params):
			digest.update(json.dumps([fmt(x) for x in row], ensure_ascii=False).encode())
		out[table] = digest.hexdigest()[:16]
	return out


# --- entry points ------------------------------------------------------------------------------------------------


def generate(scale: str = "district", seed: int = 7, commit: bool = True, log=print) -> dict:
	"""Generate the dataset of ``scale`` from ``seed`` on the current site; returns counts, the state
	counts, checksums and timings. ``commit`` False (tests) leaves everything in the transaction."""
	started = timer.perf_counter()
	if scale not in SCALES:
		raise PerfDataError(f"unknown scale {scale!r}; choose one of {', '.join(SCALES)}")
	previous = (frappe.session.user, frappe.flags.current_datetime, frappe.flags.current_date)
	frappe.set_user("Administrator")
	try:
		world = ensure_world(SCALES[scale])
		if commit:
			frappe.db.commit()
		g = Gen(world, random.Random(seed))
		enterprises = make_enterprises(g)
		filings = g.filing_times(world.scale.slips)
		first_slip = series_current(f"CS-{YEAR}-")
		slips = []
		for i, filed in enumerate(filings, 1):
			s = simulate(g, f"CS-{YEAR}-{first_slip + i:05d}", filed, enterprises)
			g.states[s.values["workflow_state"]] = g.states.get(s.values["workflow_state"], 0) + 1
			clock_history(g, s)
			slip_rows(g, s)
			slips.append(s)
		rating_years = {y: series_current(f"PJ-{y}-") for y in (YEAR, YEAR + 1)}
		numbers = write_ratings(g, slips, rating_years)
		built = timer.perf_counter()
		log(f"built {sum(len(r) for r in g.rows.values()):,} rows in {built - started:.1f} s")
		for doctype in TABLES:
			if doctype != "Satisfaction Vote":
				insert_rows(doctype, g.rows.get(doctype, []))
		set_series(f"CS-{YEAR}-", first_slip + len(slips))
		for year, current in numbers.items():
			if current:
				set_series(f"PJ-{year}-", current)
		if commit:
			frappe.db.commit()
		written = timer.perf_counter()
		log(f"written in {written - built:.1f} s; surveys, bulletins, evaluations through the app's code")
		run_surveys(g, slips)
		bulletins = run_bulletins()
		evaluations = run_evaluations()
		real = timer.perf_counter()
		names = [s.name for s in slips]
		codes = [row[0] for row in g.rows.get("Enterprise", [])]
		counts = {doctype: len(rows) for doctype, rows in g.rows.items()}
		summary = {
			"scale": scale,
			"seed": seed,
			"slips": len(slips),
			"first_slip": names[0] if names else None,
			"last_slip": names[-1] if names else None,
			"rows": counts,
			"states": dict(sorted(g.states.items())),
			"bulletins": bulletins,
			"evaluations": evaluations,
			"checksums": checksums(names, codes),
			"seconds": {
				"build": round(built - started, 1),
				"write": round(written - built, 1),
				"app_code": round(real - written, 1),
				"total": round(timer.perf_counter() - started, 1),
			},
		}
		frappe.db.set_default(
			MARKER, json.dumps({k: summary[k] for k in ("scale", "seed", "slips", "first_slip", "last_slip")})
		)
		if commit:
			frappe.db.commit()
		return summary
	finally:
		frappe.set_user(previous[0])
		frappe.flags.current_datetime, frappe.flags.current_date = previous[1], previous[2]


def existing_dataset() -> dict | None:
	value = frappe.db.get_default(MARKER)
	return json.loads(value) if value else None


def wipe() -> None:
	"""Delete every table the dataset writes (perf sites only), the series it moved and its marker."""
	check_perf_site()
	for doctype in WIPE_DOCTYPES:
		frappe.db.delete(doctype)
	for doctype, field_name in LINKED_LOGS.items():
		frappe.db.delete(doctype, {field_name: ("in", WIPE_DOCTYPES)})
	frappe.db.delete("Series", {"name": ("in", [f"CS-{YEAR}-", f"PJ-{YEAR}-", f"PJ-{YEAR + 1}-"])})
	frappe.db.set_default(MARKER, None)
	frappe.db.commit()


def check_perf_site() -> None:
	if not frappe.conf.get(PERF_SITE_FLAG):
		raise PerfDataError(
			f"{frappe.local.site} is not a benchmark site: generated data goes only to a site whose "
			f'site_config.json has "{PERF_SITE_FLAG}": 1 (e.g. whistle-perf.localhost, made by `make benchmark`)'
		)
