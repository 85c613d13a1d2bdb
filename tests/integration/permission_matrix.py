"""The permission matrix (RULES §10, issue #11): demo user × DocType × action → allowed / denied /
own-unit-only, as ONE declarative table (``ROWS``) that ``test_permission_matrix.py`` checks over real
HTTP against the running test server.

A row is one DocType (in one state, where the state matters). Adding a DocType is adding a row:

    Row(
        "Snail Award",  # label; the DocType unless ``doctype`` says otherwise
        samples=snail_awards,  # fixture builder: side -> document name (see SIDES)
        expect={
            "office admin leader efficiency": "read list report export print",
            "fgw fgw-leader zjj": "read~ list~ print~",  # ~ = own unit's documents only
        },
    )

``expect`` maps demo users (space-separated keys of ``USERS``) to the actions they may take; every
action of ``ACTIONS`` not listed for a user is expected to be refused. ``action~`` means "only on
the documents of the user's own side" (``SIDES``): e.g. park1 reads the sample of side A (its park)
and is refused side B's (park2's). ``probe`` limits the actions checked for a row (documents that
belong to the shared demo data are only read, never written).

Every sample is made by the test itself (committed so that the server sees it) and deleted
afterwards, unless the row says it uses demo data (``immutable``), which is only read.

Print follows read: Frappe's print view and PDF let anybody who may read a document print it (its
``print`` permission only adds printing for those who may not read), so ``print`` is expected wherever
``read`` is.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

READ, LIST, REPORT, EXPORT, PRINT = "read", "list", "report", "export", "print"
CREATE, WRITE, DELETE, SUBMIT, CANCEL = "create", "write", "delete", "submit", "cancel"
ACTIONS = (READ, LIST, REPORT, EXPORT, PRINT, CREATE, WRITE, DELETE, SUBMIT, CANCEL)
READ_ACTIONS = (READ, LIST, REPORT, EXPORT, PRINT)
ALLOW, DENY, OWN = "allowed", "denied", "own unit only"

# demo user key -> login (whistle_app.dev.demo.DEMO_USERS and the demo enterprise login)
USERS = {
	"admin": "admin@whistle.localhost",
	"office": "office@whistle.localhost",
	"park1": "park1@whistle.localhost",
	"park1-leader": "park1-leader@whistle.localhost",
	"park2": "park2@whistle.localhost",
	"fgw": "fgw@whistle.localhost",
	"fgw-leader": "fgw-leader@whistle.localhost",
	"zjj": "zjj@whistle.localhost",
	"leader": "leader@whistle.localhost",
	"efficiency": "efficiency@whistle.localhost",
	"ent1": "ent1@whistle.localhost",
}
# The two sides of every fixture: side A is 示例园区一 with 发展和改革委 (and the demo enterprise of
# 示例园区一), side B is 示例园区二 with 住房和城乡建设局. Users without a side see all or nothing.
SIDES = {
	"park1": "A",
	"park1-leader": "A",
	"fgw": "A",
	"fgw-leader": "A",
	"ent1": "A",
	"park2": "B",
	"zjj": "B",
}
SIDE_PARK = {"A": "示例园区一", "B": "示例园区二"}
SIDE_DEPARTMENT = {"A": "发展和改革委", "B": "住房和城乡建设局"}
SIDE_DEPARTMENT_USER = {"A": "fgw@whistle.localhost", "B": "zjj@whistle.localhost"}
SIDE_PARK_USER = {"A": "park1@whistle.localhost", "B": "park2@whistle.localhost"}


@dataclass
class Row:
	label: str
	samples: Callable[["Fixture"], dict[str, str]]
	expect: dict[str, str]
	doctype: str | None = None
	probe: tuple[str, ...] = ACTIONS
	# HTTP create: the body for a new document of a side (None: probe with an empty body, which
	# must then be refused before validation)
	payload: Callable[["Fixture", str], dict] | None = None
	# delete / submit / cancel act on a fresh document of a side made by these (as Administrator)
	make: Callable[["Fixture", str], str] | None = None
	make_submittable: Callable[["Fixture", str], str] | None = None
	make_submitted: Callable[["Fixture", str], str] | None = None
	immutable: bool = False  # samples are shared demo data: only read
	sides: dict[str, str | None] = field(default_factory=dict)  # per-row overrides of SIDES

	@property
	def dt(self) -> str:
		return self.doctype or self.label

	def side_of(self, user: str) -> str | None:
		return self.sides.get(user, SIDES.get(user))

	def expected(self) -> dict[tuple[str, str], str]:
		"""(user, action) -> outcome for every probed cell; unlisted actions are denied."""
		allowed: dict[str, dict[str, str]] = {user: {} for user in USERS}
		for users, actions in self.expect.items():
			for user in users.split():
				assert user in USERS, f"{self.label}: unknown user {user}"
				for token in actions.split():
					action = token.rstrip("~")
					assert action in ACTIONS, f"{self.label}: unknown action {token}"
					allowed[user][action] = OWN if token.endswith("~") else ALLOW
					assert not token.endswith("~") or self.side_of(user), (
						f"{self.label}: {user} has no side for own-unit-only {action}"
					)
		return {(user, action): allowed[user].get(action, DENY) for user in USERS for action in self.probe}


class Fixture:
	"""Documents made for the matrix (as Administrator, committed) and removed afterwards."""

	def __init__(self):
		self.created: list[tuple[str, str]] = []  # (doctype, name) in creation order
		self._cache: dict = {}

	def keep(self, doctype: str, name: str) -> str:
		self.created.append((doctype, name))
		return name

	def once(self, key: str, build: Callable[[], object]):
		if key not in self._cache:
			self._cache[key] = build()
		return self._cache[key]


# --- sample builders ---------------------------------------------------------------------------------
# Each runs in-process as Administrator through the real controllers (tests/factory.py).

TITLE = "权限矩阵测试"


def draft_slip(fx: Fixture, side: str) -> str:
	from tests.factory import make_slip

	slip = make_slip(SIDE_PARK_USER[side], title=f"{TITLE}（{side}）")
	return fx.keep("Whistle Slip", slip.name)


def dispatched_slip(fx: Fixture, side: str) -> str:
	from tests.factory import act_as

	name = draft_slip(fx, side)
	act_as(SIDE_PARK_USER[side], name, "提交吹哨")
	act_as(
		"office@whistle.localhost",
		name,
		"派单",
		scope="Single",
		departments=[(SIDE_DEPARTMENT[side], "Sole", None)],
	)
	return name


def handling_slip(fx: Fixture, side: str) -> str:
	import frappe

	from tests.factory import act_as

	name = dispatched_slip(fx, side)
	act_as(
		SIDE_DEPARTMENT_USER[side],
		name,
		"报到",
		planned_completion=frappe.utils.add_days(frappe.utils.nowdate(), 180),  # within a year (#20)
		work_plan="现场办公",
		responsible_persons="赵示例",
	)
	act_as("office@whistle.localhost", name, "审核抄送")
	return name


def completed_slip(fx: Fixture, side: str) -> str:
	from tests.factory import act_as

	name = handling_slip(fx, side)
	act_as(SIDE_DEPARTMENT_USER[side], name, "办结", result="已办结")
	return name


def enterprise(fx: Fixture, side: str) -> str:
	from tests.factory import make_enterprise

	return fx.keep("Enterprise", make_enterprise(f"{TITLE}企业{side}{len(fx.created)}", SIDE_PARK[side]))


def demand(fx: Fixture, side: str) -> str:
	"""Side A's demand is the demo enterprise's (so that ent1 sees it), side B's another's."""
	import frappe

	from whistle_app.dev import demo

	company = (
		frappe.db.get_value("Enterprise", {"enterprise_name": demo.DEMO_ENTERPRISE})
		if side == "A"
		else fx.once("enterprise-B", lambda: enterprise(fx, "B"))
	)
	doc = frappe.get_doc(
		{
			"doctype": "Enterprise Demand",
			"enterprise": company,
			"whistle_unit": SIDE_PARK[side],
			"source": "Visit",
			"description": f"{TITLE}诉求（{side}）",
		}
	).insert(ignore_permissions=True)
	return fx.keep("Enterprise Demand", doc.name)


def extension_request(fx: Fixture, side: str) -> str:
	import frappe

	from tests.factory import make_request

	slip = fx.once(f"handling-{side}", lambda: handling_slip(fx, side))
	doc = make_request(
		SIDE_DEPARTMENT_USER[side],
		"Whistle Extension Request",
		slip,
		new_completion_date=frappe.utils.add_days(frappe.utils.nowdate(), 270),
		reason="权限矩阵测试",
	)
	return fx.keep("Whistle Extension Request", doc.name)


def exemption_request(fx: Fixture, side: str) -> str:
	from tests.factory import make_request

	slip = fx.once(f"handling-{side}", lambda: handling_slip(fx, side))
	doc = make_request(SIDE_DEPARTMENT_USER[side], "Whistle Exemption Request", slip, reason="权限矩阵测试")
	return fx.keep("Whistle Exemption Request", doc.name)


def rating_template(fx: Fixture) -> dict[str, str]:
	"""A rating template of the shared data (read only)."""
	import frappe

	return {"G": frappe.get_all("Rating Template", pluck="name", order_by="name", limit=1)[0]}


def calendar_year(fx: Fixture) -> dict[str, str]:
	"""This year's working-day calendar (shared data, read only)."""
	import frappe

	return {"G": frappe.get_all("Work Calendar Year", pluck="name", order_by="name", limit=1)[0]}


def rating_draft(fx: Fixture, side: str) -> str:
	"""The park's draft rating of the department on a fresh completed slip, every score filled."""
	import frappe

	from whistle_app.ratings import draft_for, fill_scores

	slip = completed_slip(fx, side)
	frappe.set_user(SIDE_PARK_USER[side])
	try:
		name = draft_for(slip, SIDE_DEPARTMENT[side])
		doc = frappe.get_doc("Whistle Rating", name)
		fill_scores(doc, {row.criterion: 10 for row in doc.scores}, "权限矩阵测试评价")
		doc.save()
	finally:
		frappe.set_user("Administrator")
	return fx.keep("Whistle Rating", name)


def submitted_rating(fx: Fixture, side: str) -> str:
	import frappe

	name = rating_draft(fx, side)
	frappe.set_user(SIDE_PARK_USER[side])
	try:
		frappe.get_doc("Whistle Rating", name).submit()
	finally:
		frappe.set_user("Administrator")
	return name


def slip_score(fx: Fixture, side: str) -> str:
	"""The department's slip score, made by the park's submitted rating on a completed slip (issue
	#25: a slip score exists only for a department on the slip, founded on its rating)."""
	import frappe

	rating = fx.once(f"scored-{side}", lambda: submitted_rating(fx, side))
	slip, department = frappe.db.get_value("Whistle Rating", rating, ["slip", "rated_department"])
	name = frappe.db.get_value("Whistle Slip Score", {"slip": slip, "department": department})
	assert name, (slip, department)
	return fx.keep("Whistle Slip Score", name)


MATRIX_SURVEY = (2098, 1)  # a quarter no other test uses


def survey(fx: Fixture, side: str | None = None) -> str:
	import frappe

	from whistle_app.rules import survey as sv

	name = sv.survey_name(*MATRIX_SURVEY)
	if not frappe.db.exists("Satisfaction Survey", name):
		frappe.get_doc(
			{
				"doctype": "Satisfaction Survey",
				"year": MATRIX_SURVEY[0],
				"quarter": str(MATRIX_SURVEY[1]),
				"open_to_all_enterprises": 1,
			}
		).insert(ignore_permissions=True)
		fx.keep("Satisfaction Survey", name)
	return name


def vote(fx: Fixture, side: str) -> str:
	"""Side A: the demo enterprise's vote (ent1's own); side B: another enterprise's."""
	import frappe

	from whistle_app.dev import demo
	from whistle_app.rules import survey as sv

	name = survey(fx)
	company = (
		frappe.db.get_value("Enterprise", {"enterprise_name": demo.DEMO_ENTERPRISE})
		if side == "A"
		else fx.once("enterprise-B", lambda: enterprise(fx, "B"))
	)
	unit = SIDE_DEPARTMENT[side]
	doc = frappe.get_doc(
		{
			"doctype": "Satisfaction Vote",
			"survey": name,
			"whistle_unit": unit,
			"level": next(iter(sv.LEVELS)),
			"enterprise": company,
			"voted_by": "Administrator",
			"voted_on": "2098-03-01 10:00:00",
			"vote_key": sv.vote_key(name, company, unit),
		}
	)
	doc.flags.cast_by_enterprise = True
	doc.insert(ignore_permissions=True)
	return fx.keep("Satisfaction Vote", doc.name)


def confirmed_slip(fx: Fixture, side: str) -> tuple[str, str]:
	"""A fresh slip the park has rated (rating submitted, comment stored) and confirmed (待销号):
	(slip, rating)."""
	import frappe

	from tests.factory import act_as

	rating = submitted_rating(fx, side)
	slip = frappe.db.get_value("Whistle Rating", rating, "slip")
	act_as(SIDE_PARK_USER[side], slip, "确认解决")
	return slip, rating


def rated(fx: Fixture, side: str) -> tuple[str, str]:
	return fx.once(f"confirmed-{side}", lambda: confirmed_slip(fx, side))


def rating_comment(fx: Fixture, side: str) -> str:
	"""The comment record of the park's submitted rating (written by the rating's controller)."""
	import frappe

	name = frappe.db.get_value("Whistle Rating Comment", {"rating": rated(fx, side)[1]})
	assert name, "the submitted rating has no comment record"
	return fx.keep("Whistle Rating Comment", name)


def exclusion_request(fx: Fixture, side: str) -> str:
	"""A draft assessment-exclusion request of the department on its rated, confirmed slip."""
	from tests.factory import make_request

	doc = make_request(
		SIDE_DEPARTMENT_USER[side], "Assessment Exclusion Request", rated(fx, side)[0], reason=TITLE
	)
	return fx.keep("Assessment Exclusion Request", doc.name)


def filed_exclusion_request(fx: Fixture, side: str) -> str:
	"""The department has filed it: it waits for a District Leader (待区领导审批)."""
	from tests.factory import request_act

	name = exclusion_request(fx, side)
	request_act(SIDE_DEPARTMENT_USER[side], "Assessment Exclusion Request", name, "提交申请")
	return name


def exclusion_payload(fx: Fixture, side: str) -> dict:
	return {"slip": rated(fx, side)[0], "reason": f"{TITLE}（HTTP 新建）"}


def clock_event(fx: Fixture, side: str) -> str:
	"""A completion reminder of the department on a slip in handling, as the deadline job writes it."""
	import frappe
	from frappe.utils import get_datetime

	from whistle_app.rules import clocks as ck

	slip = fx.once(f"handling-{side}", lambda: handling_slip(fx, side))
	deadline = get_datetime("2099-06-30 17:30:00")
	doc = frappe.get_doc(
		{
			"doctype": "Whistle Clock Event",
			"slip": slip,
			"department": SIDE_DEPARTMENT[side],
			"clock": ck.COMPLETION,
			"deadline": deadline,
			"kind": ck.REMINDER,
			"sent_on": "2099-06-30 09:00:00",
			"recipients": SIDE_DEPARTMENT_USER[side],
			"event_key": ck.event_key(slip, SIDE_DEPARTMENT[side], ck.COMPLETION, deadline, ck.REMINDER),
		}
	).insert(ignore_permissions=True)
	return fx.keep("Whistle Clock Event", doc.name)


# Supervision bulletins: months no other test uses (2021, then 2022), one after another, each month
# once (a month has one bulletin); the month must have ended (``bulletins.draft_now``).
BULLETIN_YEAR = 2021


def next_bulletin_month(fx: Fixture) -> tuple[int, int]:
	n = fx._cache["bulletin-months"] = fx._cache.get("bulletin-months", -1) + 1
	return BULLETIN_YEAR + n // 12, n % 12 + 1


def draft_bulletin(fx: Fixture, side: str | None = None) -> str:
	from whistle_app import bulletins

	name = bulletins.draft_bulletin(*next_bulletin_month(fx))
	assert name, "the matrix's bulletin month has a bulletin already"
	return fx.keep("Supervision Bulletin", name)


def published_bulletin(fx: Fixture, side: str | None = None) -> str:
	"""Published by the office (every unit's users are notified; the purge removes the notices)."""
	from tests.factory import as_user
	from whistle_app import bulletins

	name = draft_bulletin(fx)
	as_user("office@whistle.localhost", bulletins.publish, name)
	return name


def bulletin_payload(fx: Fixture, side: str) -> dict:
	year, month = next_bulletin_month(fx)
	return {"year": year, "month": month}


# Quarterly and annual evaluations: the samples are 2024's (no other test commits them); the fresh
# drafts that the administrator deletes are of 2022 (quarterly) and 2020 (annual).
EVALUATION_YEAR = 2024


def quarterly_evaluations(fx: Fixture, year: int = EVALUATION_YEAR) -> dict[int, str]:
	"""The four draft quarterly evaluations of ``year``, computed by the evaluation module."""
	from whistle_app import evaluation

	def build():
		return {
			q: fx.keep("Quarterly Evaluation", evaluation.evaluate_quarter(year, q)) for q in (1, 2, 3, 4)
		}

	return fx.once(f"quarters-{year}", build)


def quarterly_evaluation(fx: Fixture) -> dict[str, str]:
	return {"G": quarterly_evaluations(fx)[1]}


def fresh_quarterly_evaluation(fx: Fixture, side: str) -> str:
	from whistle_app import evaluation

	n = fx._cache["fresh-quarter"] = fx._cache.get("fresh-quarter", 0) + 1
	return fx.keep("Quarterly Evaluation", evaluation.evaluate_quarter(2022, n))


def annual_evaluation(fx: Fixture, year: int = EVALUATION_YEAR) -> str:
	from whistle_app import evaluation

	quarterly_evaluations(fx, year)
	return fx.keep("Annual Evaluation", evaluation.evaluate_year(year))


def fresh_annual_evaluation(fx: Fixture, side: str) -> str:
	n = fx._cache["fresh-year"] = fx._cache.get("fresh-year", 0) + 1
	return annual_evaluation(fx, 2021 - n)


def snail_award(fx: Fixture, side: str) -> str:
	"""A proposed Snail Award of the side's department for 2024 Q2 (last in Q1 and Q2). Proposals
	are made only by finalising two quarters in a row, so it is inserted as the module writes it."""
	import frappe

	quarters = quarterly_evaluations(fx)
	unit = SIDE_DEPARTMENT[side]
	doc = frappe.get_doc(
		{
			"doctype": "Snail Award",
			"whistle_unit": unit,
			"assessment_class": frappe.db.get_value("Whistle Unit", unit, "assessment_class"),
			"year": EVALUATION_YEAR,
			"quarter": "2",
			"status": "Award Proposed",
			"proposed_on": "2024-07-01 09:00:00",
			"quarterly_evaluation": quarters[2],
			"rank": 14,
			"class_size": 14,
			"quarter_score": 70,
			"previous_evaluation": quarters[1],
			"previous_rank": 14,
			"previous_class_size": 14,
			"previous_quarter_score": 70,
		}
	)
	doc.flags.evaluation_write = True
	doc.insert(ignore_permissions=True)
	return fx.keep("Snail Award", doc.name)


# --- accountability and fault tolerance (RULES §13) ----------------------------------------------------


def case_payload(fx: Fixture, side: str) -> dict:
	"""A new accountability case on the side's department, from its whistle in 办理中."""
	slip = fx.once(f"handling-{side}", lambda: handling_slip(fx, side))
	return {
		"doctype": "Accountability Case",
		"evidence_type": "Whistle Slip",
		"evidence": slip,
		"whistle_unit": SIDE_DEPARTMENT[side],
		"kind": "Slow Action",
		"facts": f"{TITLE}问责线索（{side}）",
	}


def registered_case(fx: Fixture, side: str) -> str:
	import frappe

	from tests.factory import as_user

	doc = as_user("efficiency@whistle.localhost", lambda: frappe.get_doc(case_payload(fx, side)).insert())
	return fx.keep("Accountability Case", doc.name)


def decided_case(fx: Fixture, side: str) -> str:
	"""A case the Efficiency Office verified and decided (谈话提醒): its unit now reads it."""
	import frappe

	from tests.factory import as_user
	from whistle_app.accountability import act

	name = registered_case(fx, side)

	def decide():
		act("Accountability Case", name, "核实", "权限矩阵测试")
		doc = frappe.get_doc("Accountability Case", name)
		doc.outcome = "Talk Reminder"
		doc.save()
		act("Accountability Case", name, "作出处理", "权限矩阵测试")

	as_user("efficiency@whistle.localhost", decide)
	return name


def fault_tolerance_application(fx: Fixture, side: str) -> str:
	"""A draft application of the side's department against its decided case."""
	import frappe

	from tests.factory import as_user

	case = fx.once(f"decided-case-{side}", lambda: decided_case(fx, side))
	body = {
		"doctype": "Fault Tolerance Application",
		"case": case,
		"reason": "Force Majeure",
		"description": f"{TITLE}容错免责申请（{side}）",
	}
	doc = as_user(SIDE_DEPARTMENT_USER[side], lambda: frappe.get_doc(body).insert())
	return fx.keep("Fault Tolerance Application", doc.name)


# --- the District Head's coordination (RULES §12) -------------------------------------------------------


def published_meeting(fx: Fixture, side: str) -> str:
	"""A meeting the side's department attends, its whistle on the agenda, one decision for the
	department, minutes published (as the office)."""
	import frappe

	from tests.factory import as_user
	from whistle_app.coordination import act

	slip = fx.once(f"handling-{side}", lambda: handling_slip(fx, side))

	def publish():
		meeting = frappe.get_doc(
			{
				"doctype": "Coordination Meeting",
				"meeting_date": "2026-03-16",
				"chair": "leader@whistle.localhost",
				"attending_units": [{"unit": SIDE_DEPARTMENT[side]}],
				"agenda": [{"slip": slip}],
			}
		).insert()
		act("Coordination Meeting", meeting.name, "会议召开")
		decision = frappe.get_doc(
			{
				"doctype": "Coordination Decision",
				"meeting": meeting.name,
				"slip": slip,
				"what": f"{TITLE}议定事项（{side}）",
				"responsible_units": [{"unit": SIDE_DEPARTMENT[side]}],
				"deadline_type": "印发后工作日",
				"working_days": 5,
			}
		).insert()
		act("Coordination Meeting", meeting.name, "印发纪要")
		return meeting.name, decision.name

	meeting, decision = as_user("office@whistle.localhost", publish)
	fx.keep("Coordination Meeting", meeting)
	fx.keep("Coordination Decision", decision)
	return meeting, decision


def coordination_meeting(fx: Fixture, side: str) -> str:
	return fx.once(f"meeting-{side}", lambda: published_meeting(fx, side))[0]


def coordination_decision(fx: Fixture, side: str) -> str:
	return fx.once(f"meeting-{side}", lambda: published_meeting(fx, side))[1]


def coordination_request(fx: Fixture, side: str) -> str:
	"""The side's park asks for the coordination meeting on its whistle in 办理中."""
	from tests.factory import as_user
	from whistle_app.coordination import request_coordination

	slip = fx.once(f"handling-{side}", lambda: handling_slip(fx, side))
	name = as_user(SIDE_PARK_USER[side], request_coordination, slip, f"{TITLE}申请调度（{side}）")
	return fx.keep("Coordination Candidate", name)


def per_side(build: Callable[[Fixture, str], str]) -> Callable[[Fixture], dict[str, str]]:
	return lambda fx: {side: build(fx, side) for side in ("A", "B")}


def slip_payload(fx: Fixture, side: str) -> dict:
	return {
		"title": f"{TITLE}（HTTP 新建）",
		"category": "Other",
		"description": "权限矩阵测试",
		"whistle_unit": SIDE_PARK[side],
	}


def enterprise_payload(fx: Fixture, side: str) -> dict:
	from tests.factory import credit_code

	serial = 7_000_000 + len(fx.created) * 7 + (side == "B")
	return {
		"enterprise_name": f"{TITLE}HTTP企业{serial}",
		"credit_code": credit_code(serial),
		"whistle_unit": SIDE_PARK[side],
	}


def demand_payload(fx: Fixture, side: str) -> dict:
	import frappe

	company = frappe.db.get_value(
		"Enterprise", {"whistle_unit": SIDE_PARK[side], "enterprise_name": ("like", f"{TITLE}%")}
	)
	return {
		"enterprise": company,
		"whistle_unit": SIDE_PARK[side],
		"source": "Visit",
		"description": "权限矩阵测试诉求（HTTP）",
	}


def demo_enterprise(fx: Fixture) -> dict[str, str]:
	"""The demo enterprise (ent1's, in 示例园区一) and the test enterprise of 示例园区二."""
	import frappe

	from whistle_app.dev import demo

	return {
		"A": frappe.db.get_value("Enterprise", {"enterprise_name": demo.DEMO_ENTERPRISE}),
		"B": fx.once("enterprise-B", lambda: enterprise(fx, "B")),
	}


OFFICE = "office admin"
READERS = "leader efficiency"
PARKS = "park1 park1-leader park2"
DEPARTMENTS = "fgw fgw-leader zjj"


def fairness_statistic(fx: Fixture, side: str) -> str:
	"""The side's park's rater statistics of 2020 Q1 (RULES §14), as the fairness job writes them."""
	import frappe

	doc = frappe.get_doc(
		{
			"doctype": "Rater Fairness Statistic",
			"rater_unit": SIDE_PARK[side],
			"rater_kind": "Park",
			"year": 2020,
			"quarter": "1",
			"ratings": 5,
			"mean_total": 100,
			"full_marks_share": 100,
			"flag_lenient": 1,
			"flagged": 1,
		}
	).insert(ignore_permissions=True)
	return fx.keep("Rater Fairness Statistic", doc.name)


# --- THE TABLE -------------------------------------------------------------------------------------------
ROWS: list[Row] = [
	Row(
		"Whistle Slip (draft)",
		doctype="Whistle Slip",
		samples=per_side(draft_slip),
		payload=slip_payload,
		make=draft_slip,
		probe=(READ, LIST, REPORT, EXPORT, PRINT, CREATE, WRITE, DELETE),
		expect={
			"office": "read list report export print create write",
			"admin": "read list report export print create write delete",
			PARKS: "read~ list~ report~ print~ create~ write~",
			READERS: "read list report export print",
		},
	),
	Row(
		"Whistle Slip (dispatched)",
		doctype="Whistle Slip",
		samples=per_side(dispatched_slip),
		probe=(READ, LIST, REPORT, EXPORT, PRINT, WRITE),
		expect={
			OFFICE: "read list report export print write",
			PARKS: "read~ list~ report~ print~",  # the park no longer edits a dispatched whistle
			DEPARTMENTS: "read~ list~ report~ print~ write~",  # the department it was dispatched to
			READERS: "read list report export print",
		},
	),
	Row(
		"Enterprise",
		samples=per_side(enterprise),
		payload=enterprise_payload,
		make=enterprise,
		probe=(READ, LIST, REPORT, EXPORT, PRINT, CREATE, WRITE, DELETE),
		sides={"ent1": None},  # ent1's own enterprise: row "Enterprise (demo)"
		expect={
			"office": "read list report export print create write",
			"admin": "read list report export print create write delete",
			PARKS: "read~ list~ report~ print~ create~ write~",
			DEPARTMENTS: "read list report print",
			READERS: "read list report print",
		},
	),
	Row(
		"Enterprise (demo)",
		doctype="Enterprise",
		samples=demo_enterprise,
		immutable=True,
		probe=READ_ACTIONS,
		sides={"fgw": None, "fgw-leader": None, "zjj": None},
		expect={
			OFFICE: "read list report export print",
			PARKS: "read~ list~ report~ print~",
			DEPARTMENTS: "read list report print",
			READERS: "read list report print",
			"ent1": "read~ list~ report~ print~",
		},
	),
	Row(
		"Enterprise Demand",
		samples=per_side(demand),
		payload=demand_payload,
		make=demand,
		probe=(READ, LIST, REPORT, EXPORT, PRINT, CREATE, WRITE, DELETE),
		expect={
			"office": "read list report export print create write",
			"admin": "read list report export print create write delete",
			PARKS: "read~ list~ report~ print~ create~ write~",
			READERS: "read list report print",
			"ent1": "read~ list~ report~ print~",
		},
	),
	Row(
		"Whistle Extension Request",
		samples=per_side(extension_request),
		make=extension_request,
		probe=(READ, LIST, REPORT, EXPORT, PRINT, WRITE, DELETE, SUBMIT),
		expect={
			# the office acts on requests through their workflow actions, never edits a draft
			"office": "read list report export print",
			"admin": "read list report export print delete",
			"park1 park1-leader park2": "read~ list~ report~ print~",
			DEPARTMENTS: "read~ list~ report~ print~ write~ delete~",
			READERS: "read list report export print",
		},
	),
	Row(
		"Whistle Exemption Request",
		samples=per_side(exemption_request),
		make=exemption_request,
		probe=(READ, LIST, REPORT, EXPORT, PRINT, WRITE, DELETE, SUBMIT),
		expect={
			"office": "read list report export print",
			"admin": "read list report export print delete",
			PARKS: "read~ list~ report~ print~",
			DEPARTMENTS: "read~ list~ report~ print~ write~ delete~",
			READERS: "read list report export print",
		},
	),
	Row(
		"Rating Template",
		samples=rating_template,
		immutable=True,
		probe=READ_ACTIONS,
		expect={
			OFFICE: "read list report export print",
			READERS: "read list report export print",
			f"{PARKS} {DEPARTMENTS}": "read list report print",
		},
	),
	Row(
		"Work Calendar Year",
		samples=calendar_year,
		immutable=True,
		probe=READ_ACTIONS,
		expect={
			"admin": "read list report export print",
			"office": "read list report export print",
			f"{READERS} {PARKS} {DEPARTMENTS}": "read list report print",
		},
	),
	Row(
		"Whistle Rating",
		samples=per_side(rating_draft),
		make_submittable=rating_draft,
		make_submitted=submitted_rating,
		probe=(READ, LIST, REPORT, EXPORT, PRINT, WRITE, SUBMIT, CANCEL),
		expect={
			# only the rater's unit fills and submits; the office cancels and amends with a reason
			# (whistle_app.ratings.drafts.cancel_rating), so the plain cancel is refused to everybody
			OFFICE: "read list report export print",
			PARKS: "read~ list~ report~ print~ write~ submit~",
			DEPARTMENTS: "read~ list~ report~ print~",  # the rated department reads, never rates here
			READERS: "read list report export print",
		},
	),
	Row(
		"Whistle Slip Score",
		samples=per_side(slip_score),
		probe=(READ, LIST, REPORT, EXPORT, PRINT, CREATE, WRITE, DELETE),
		expect={
			OFFICE: "read list report export print",
			PARKS: "read~ list~ report~ print~",
			DEPARTMENTS: "read~ list~ report~ print~",
			READERS: "read list report export print",
		},
	),
	Row(
		"Satisfaction Survey",
		samples=lambda fx: {"G": survey(fx)},
		probe=(READ, LIST, REPORT, EXPORT, PRINT, WRITE),  # created through surveys.create_survey
		expect={
			"office": "read list report export print write",
			"admin": "read list report export print write",
			READERS: "read list report export print",
		},
	),
	Row(
		"Satisfaction Vote",
		samples=per_side(vote),
		probe=(READ, LIST, REPORT, EXPORT, PRINT, CREATE, WRITE),  # votes are cast by surveys.cast_vote
		expect={
			OFFICE: "read list report export print",
			READERS: "read list report print",
			"ent1": "read~ list~ report~ print~",
		},
	),
	Row(
		"Supervision Bulletin (draft)",
		doctype="Supervision Bulletin",
		samples=lambda fx: {"G": draft_bulletin(fx)},
		payload=bulletin_payload,
		make=draft_bulletin,
		make_submittable=draft_bulletin,
		probe=(READ, LIST, REPORT, EXPORT, PRINT, CREATE, WRITE, DELETE, SUBMIT),
		expect={
			# only the office drafts, edits and publishes (submits); units never see a draft
			OFFICE: "read list report export print create write delete submit",
			READERS: "read list report export print",
		},
	),
	Row(
		"Supervision Bulletin (published)",
		doctype="Supervision Bulletin",
		samples=lambda fx: {"G": published_bulletin(fx)},
		make_submitted=published_bulletin,
		probe=(READ, LIST, REPORT, EXPORT, PRINT, WRITE, DELETE, CANCEL),
		expect={
			# final: no edits, no deletion, cancelled only by publishing a correction (§6)
			OFFICE: "read list report export print",
			READERS: "read list report export print",
			f"{PARKS} {DEPARTMENTS}": "read list report print",  # every unit reads a published one
		},
	),
	Row(
		"Quarterly Evaluation",
		samples=quarterly_evaluation,
		make=fresh_quarterly_evaluation,
		probe=(READ, LIST, REPORT, EXPORT, PRINT, CREATE, WRITE, DELETE),
		expect={
			# computed by the system only (the office's write permission meets the system-write
			# guard); the administrator may delete a draft, which the job computes again
			"office": "read list report export print",
			"admin": "read list report export print delete",
			READERS: "read list report export print",
			# departments: only their own row, through the ranking reports; no evaluation document
		},
	),
	Row(
		"Annual Evaluation",
		samples=lambda fx: {"G": annual_evaluation(fx)},
		make=fresh_annual_evaluation,
		probe=(READ, LIST, REPORT, EXPORT, PRINT, CREATE, WRITE, DELETE),
		expect={
			"office": "read list report export print",
			"admin": "read list report export print delete",
			READERS: "read list report export print",
		},
	),
	Row(
		"Snail Award",
		samples=per_side(snail_award),
		probe=(READ, LIST, REPORT, EXPORT, PRINT, CREATE, WRITE, DELETE),
		expect={
			# proposed by the evaluation, decided by the Efficiency Office through
			# evaluation.decide_snail_award: nobody creates, edits or deletes one directly
			OFFICE: "read list report export print",
			READERS: "read list report export print",
			DEPARTMENTS: "read~ list~ report~ print~",  # a department its own unit's awards
		},
	),
	Row(
		"Whistle Rating Comment",
		samples=per_side(rating_comment),
		probe=(READ, LIST, REPORT, EXPORT, PRINT, CREATE, WRITE, DELETE),
		expect={
			# the record itself is for those who read everything; the rater's unit and the rated
			# department read the comment through the rating's checked virtual field (ratings.py)
			"admin": "read list report export print",
			"office": "read list report print",
			READERS: "read list report print",
		},
	),
	Row(
		"Assessment Exclusion Request (draft)",
		doctype="Assessment Exclusion Request",
		samples=per_side(exclusion_request),
		payload=exclusion_payload,
		make=exclusion_request,
		probe=(READ, LIST, REPORT, EXPORT, PRINT, CREATE, WRITE, DELETE, SUBMIT),
		expect={
			"office": "read list report export print",
			"admin": "read list report export print delete",
			PARKS: "read~ list~ report~ print~",  # it takes the park's whistle out of assessment
			DEPARTMENTS: "read~ list~ report~ print~ create~ write~ delete~",  # the slip's department
			READERS: "read list report export print",
		},
	),
	Row(
		"Assessment Exclusion Request (filed)",
		doctype="Assessment Exclusion Request",
		samples=per_side(filed_exclusion_request),
		probe=(READ, LIST, REPORT, EXPORT, PRINT, WRITE, DELETE, SUBMIT),
		expect={
			# waiting for a District Leader: only a leader saves it; it is decided (submitted) only
			# through requests.act, never by a plain submit
			OFFICE: "read list report export print",
			PARKS: "read~ list~ report~ print~",
			DEPARTMENTS: "read~ list~ report~ print~",
			"leader": "read list report export print write",
			"efficiency": "read list report export print",
		},
	),
	Row(
		"Whistle Clock Event",
		samples=per_side(clock_event),
		probe=(READ, LIST, REPORT, EXPORT, PRINT, CREATE, WRITE, DELETE),
		expect={
			# written by the deadline job only: its bookkeeping of reminders sent, for the office and
			# administrators; the deadlines themselves are on the slips everybody in scope reads
			"admin": "read list report export print",
			"office": "read list report print",
		},
	),
	Row(
		"Accountability Case (registered)",
		doctype="Accountability Case",
		samples=per_side(registered_case),
		payload=case_payload,
		probe=(READ, LIST, REPORT, EXPORT, PRINT, CREATE, WRITE, DELETE),
		expect={
			# RULES §13: the Efficiency Office opens and acts; District Leaders and the office read;
			# the unit concerned sees nothing before a decision; nobody deletes a case
			"efficiency": "read list report export print create write",
			f"{OFFICE} leader": "read list report export print",
		},
	),
	Row(
		"Accountability Case (decided)",
		doctype="Accountability Case",
		samples=per_side(decided_case),
		probe=(READ, LIST, REPORT, EXPORT, PRINT, WRITE, DELETE),
		expect={
			# decided: fixed (no editor in 处理); the unit concerned reads its own decided outcome
			f"{OFFICE} {READERS}": "read list report export print",
			DEPARTMENTS: "read~ list~ report~ print~",
		},
	),
	Row(
		"Fault Tolerance Application",
		samples=per_side(fault_tolerance_application),
		make=fault_tolerance_application,
		probe=(READ, LIST, REPORT, EXPORT, PRINT, WRITE, DELETE, SUBMIT),
		expect={
			# the unit concerned writes its draft; the Efficiency Office reviews and a District Leader
			# decides through accountability.act once it is filed, never by a plain submit
			f"{OFFICE} {READERS}": "read list report export print",
			DEPARTMENTS: "read~ list~ report~ print~ write~ delete~",
		},
	),
	Row(
		"Rater Fairness Statistic",
		samples=per_side(fairness_statistic),
		probe=(READ, LIST, REPORT, EXPORT, PRINT, CREATE, WRITE, DELETE),
		expect={
			# RULES §14: written by the fairness job only; the office reviews a flag through
			# fairness.review_flag; a rater reads its own statistics and a department never another
			# rater's (the side's department is not the sample's rater)
			f"{OFFICE} {READERS}": "read list report export print",
			PARKS: "read~ list~ report~ print~",
		},
	),
	Row(
		"Coordination Meeting",
		samples=per_side(coordination_meeting),
		make_submitted=lambda fx, side: published_meeting(fx, side)[0],
		probe=(READ, LIST, REPORT, EXPORT, PRINT, WRITE, DELETE, CANCEL),
		expect={
			# RULES §12: the office schedules and publishes (published minutes are final, never
			# cancelled or deleted); District Leaders read all; a unit reads the meetings it attends
			f"{OFFICE} leader": "read list report export print",
			DEPARTMENTS: "read~ list~ report~ print~",
		},
	),
	Row(
		"Coordination Decision",
		samples=per_side(coordination_decision),
		make_submittable=coordination_decision,
		probe=(READ, LIST, REPORT, EXPORT, PRINT, WRITE, DELETE, SUBMIT),
		expect={
			# published: the responsible unit writes its result and reports through coordination.act;
			# the whistle's park reads it ([decision]); the office accepts through the workflow only
			f"{OFFICE} leader": "read list report export print",
			DEPARTMENTS: "read~ list~ report~ print~ write~",
			PARKS: "read~ list~ report~ print~",
		},
	),
	Row(
		"Coordination Candidate",
		samples=per_side(coordination_request),
		probe=(READ, LIST, REPORT, EXPORT, PRINT, CREATE, WRITE, DELETE),
		expect={
			# written by the app only (the job, coordination.nominate / request_coordination and the
			# office's accept / decline); a unit reads its own requests
			f"{OFFICE} leader": "read list report export print",
			PARKS: "read~ list~ report~ print~",
		},
	),
]
