"""Workspaces, number cards, charts and the administrator's onboarding (issue #9).

Number cards and charts count through ``frappe.get_list``: each user sees the figures of their own unit
scope, checked here against counts taken straight from the database.
"""

import json
from pathlib import Path

import frappe
from frappe.desk.desktop import get_desktop_page, get_workspace_sidebar_items
from frappe.desk.doctype.number_card.number_card import get_result

from tests.base import WhistleTestCase
from tests.factory import act_as, as_user, dispatched_slip, make_bulletin, make_slip, make_slip_scores
from whistle_app import board, desk_cache, desk_summary
from whistle_app.clocks import process_deadlines
from whistle_app.rules import board as bd
from whistle_app.rules import lifecycle as lc
from whistle_app.whistle.dashboard_chart_source.whistle_slip_statistics import whistle_slip_statistics

MODULE = Path(board.__file__).parent / "whistle"
OFFICE = "office@whistle.localhost"
ADMIN = "admin@whistle.localhost"
PARK1 = "park1@whistle.localhost"
PARK2 = "park2@whistle.localhost"
FGW = "fgw@whistle.localhost"
LEADER = "leader@whistle.localhost"
FGW_D, ZJJ_D = "发展和改革委", "住房和城乡建设局"
USER_UNITS = {OFFICE: None, LEADER: None, FGW: FGW_D, PARK1: "示例园区一", PARK2: "示例园区二"}
OPEN = set(bd.COLUMNS)

# what each card counts, written with the lifecycle's constants: {field: (operator, value)}
CARD_FILTERS = {
	"Whistles to Review": {"workflow_state": ("=", {lc.SUBMITTED})},
	"Reports to Review and Copy": {"workflow_state": ("=", {lc.REPORTED})},
	"Whistles Awaiting Confirmation": {"workflow_state": ("=", {lc.COMPLETED})},
	"Whistles to Close": {"workflow_state": ("=", {lc.CONFIRMED})},
	"Whistles to Report For": {"workflow_state": ("=", {lc.DISPATCHED})},
	"Whistles in Handling": {"workflow_state": ("=", {lc.HANDLING})},
	"Draft Whistles": {"workflow_state": ("=", {lc.DRAFT})},
	"Returned Whistles": {"workflow_state": ("=", {lc.RETURNED})},
	"Whistles Filed": {"workflow_state": ("!=", {lc.DRAFT})},
	"Open Whistles": {"workflow_state": ("in", OPEN)},
	"Overdue Whistles": {"workflow_state": ("in", OPEN), "overdue": ("=", {1})},
	"Due Soon Whistles": {"workflow_state": ("in", OPEN), "warning_level": ("=", {"临期"})},
}
BULLETIN_CARD = "Bulletins to Publish"  # drafts of the monthly Supervision Bulletin (RULES §6)
WORKSPACES = {
	"Whistle": None,
	"Whistle Office Desk": {"Whistle Office", "Whistle Administrator"},
	"Department Desk": {"Department Liaison", "Department Leader"},
	"Park Desk": {"Park Agent", "Park Leader"},
}


def records(folder: str) -> dict[str, dict]:
	return {d["name"]: d for d in (json.loads(p.read_text()) for p in (MODULE / folder).glob("*/*.json"))}


def in_scope(user: str, names: set[str]) -> set[str]:
	"""The slips of ``names`` the user's unit may see (RULES §10), from the database."""
	unit = USER_UNITS[user]
	if unit is None:
		return set(names)
	own = set(frappe.get_all("Whistle Slip", {"whistle_unit": unit}, pluck="name"))
	on = set(
		frappe.get_all(
			"Whistle Slip Department", {"department": unit, "parenttype": "Whistle Slip"}, pluck="parent"
		)
	)
	return set(names) & (own | on)


class TestNumberCards(WhistleTestCase):
	def setUp(self):
		super().setUp()
		self.multi = dispatched_slip([(FGW_D, "Lead"), (ZJJ_D, "Co")], park=PARK1)
		self.other = dispatched_slip([(ZJJ_D, "Sole")], park=PARK2)
		frappe.db.set_value("Whistle Slip", self.other, {"overdue": 1, "warning_level": "逾期"})
		frappe.db.set_value("Whistle Slip", self.multi, {"warning_level": "临期"})
		make_slip(PARK1)  # a draft

	def test_cards_count_what_their_names_say(self):
		cards = records("number_card")
		self.assertEqual(set(cards), {*CARD_FILTERS, BULLETIN_CARD})
		bulletin = cards.pop(BULLETIN_CARD)
		self.assertEqual(
			json.loads(bulletin["filters_json"]), [["Supervision Bulletin", "docstatus", "=", 0, False]]
		)
		for name, card in cards.items():
			self.assertEqual(
				(card["document_type"], card["function"], card["type"]),
				("Whistle Slip", "Count", "Document Type"),
			)
			got = {
				f[1]: (f[2], set(f[3]) if isinstance(f[3], list) else {f[3]})
				for f in json.loads(card["filters_json"])
			}
			self.assertEqual(got, CARD_FILTERS[name], name)
			self.assertTrue(frappe.db.exists("Number Card", name), name)

	def test_cards_respect_the_unit_scope(self):
		for name in CARD_FILTERS:
			doc = frappe.get_doc("Number Card", name)
			everything = set(
				frappe.get_all("Whistle Slip", filters=json.loads(doc.filters_json), pluck="name")
			)
			for user in USER_UNITS:
				shown = as_user(user, get_result, doc.as_json(), doc.filters_json)
				self.assertEqual(shown, len(in_scope(user, everything)), f"{name} for {user}")
		# draft bulletins: the office sees them, units never do (only published ones)
		make_bulletin(2026, 1)
		doc = frappe.get_doc("Number Card", BULLETIN_CARD)
		drafts = frappe.db.count("Supervision Bulletin", {"docstatus": 0})
		self.assertGreater(drafts, 0)
		self.assertEqual(as_user(OFFICE, get_result, doc.as_json(), doc.filters_json), drafts)
		for user in (FGW, PARK1):
			self.assertEqual(as_user(user, get_result, doc.as_json(), doc.filters_json), 0, user)
		# the scope really differs between roles
		overdue = frappe.get_doc("Number Card", "Overdue Whistles")
		office = as_user(OFFICE, get_result, overdue.as_json(), overdue.filters_json)
		fgw = as_user(FGW, get_result, overdue.as_json(), overdue.filters_json)
		self.assertGreater(office, fgw)


class TestWorkspaces(WhistleTestCase):
	def test_blocks_match_their_rows(self):
		"""Every shortcut, card, chart and link card in the layout exists in the workspace, and back."""
		for name, ws in records("workspace").items():
			content = json.loads(ws["content"])
			used = {
				kind: {b["data"][key] for b in content if b["type"] == kind}
				for kind, key in (
					("shortcut", "shortcut_name"),
					("number_card", "number_card_name"),
					("chart", "chart_name"),
					("card", "card_name"),
				)
			}
			self.assertEqual(used["shortcut"], {r["label"] for r in ws["shortcuts"]}, name)
			self.assertEqual(used["number_card"], {r["label"] for r in ws["number_cards"]}, name)
			self.assertEqual(used["chart"], {r["label"] for r in ws["charts"]}, name)
			self.assertEqual(
				used["card"], {r["label"] for r in ws["links"] if r["type"] == "Card Break"}, name
			)
			for row in ws["number_cards"]:
				self.assertTrue(frappe.db.exists("Number Card", row["number_card_name"]), row)
			for row in ws["charts"]:
				self.assertTrue(frappe.db.exists("Dashboard Chart", row["chart_name"]), row)
			for row in ws["roles"]:
				self.assertTrue(frappe.db.exists("Role", row["role"]), row)
			for row in ws["links"]:
				if row["type"] == "Link":
					self.assertTrue(frappe.db.exists(row["link_type"], row["link_to"]), row)
			self.assertTrue(frappe.db.exists("Workspace", name))

	def test_each_role_sees_its_desk(self):
		expected = {
			OFFICE: {"Whistle", "Whistle Office Desk"},
			ADMIN: {"Whistle", "Whistle Office Desk"},
			FGW: {"Whistle", "Department Desk"},
			PARK1: {"Whistle", "Park Desk"},
			LEADER: {"Whistle"},
		}
		for user, pages in expected.items():
			shown = {p["name"] for p in as_user(user, get_workspace_sidebar_items)["pages"]} & set(WORKSPACES)
			self.assertEqual(shown, pages, user)
		items = as_user(OFFICE, get_workspace_sidebar_items)["pages"]
		self.assertEqual(items[0]["name"], "Whistle", "the whistle workspace comes first")
		self.assertEqual(next(p for p in items if p["name"] == "Whistle")["label"], "吹哨报到")

	def test_frappe_workspaces_only_for_who_works_in_them(self):
		"""Frappe's Build, Tools, Website, Integrations and Users are not in a park's, a department's,
		the office's or the District Leader's sidebar (issue #20); the app's administrator keeps Users."""
		system = {"Build", "Tools", "Website", "Integrations", "Users"}
		for user in (OFFICE, FGW, PARK1, LEADER):
			shown = {p["name"] for p in as_user(user, get_workspace_sidebar_items)["pages"]}
			self.assertFalse(shown & system, user)
		shown = {p["name"] for p in as_user(ADMIN, get_workspace_sidebar_items)["pages"]}
		self.assertIn("Users", shown)

	def test_office_desk_page(self):
		page = self.page(OFFICE, "Whistle Office Desk")
		# the figures are one block fed by one call (issue #21), not one request per widget
		self.assertEqual(page["number_cards"]["items"], [])
		self.assertEqual(page["charts"]["items"], [])
		self.assertEqual(
			[b.custom_block_name for b in page["custom_blocks"]["items"]], ["Whistle Office Desk Figures"]
		)
		shortcuts = page["shortcuts"]["items"]
		self.assertIn("可视化督导看板", [s.get("label") for s in shortcuts])
		self.assertFalse([s for s in shortcuts if s.get("stats_filter")], "no count request per shortcut")

	def test_each_desk_shows_its_block_to_its_roles_only(self):
		for workspace, block in desk_summary.BLOCKS.items():
			doc = frappe.get_doc("Custom HTML Block", block)
			self.assertIn(f"render_desk_summary(root_element, {json.dumps(workspace)})", doc.script)
			self.assertEqual({r.role for r in doc.roles}, WORKSPACES[workspace], block)
		shown = self.page(PARK1, "Park Desk")["custom_blocks"]["items"]
		self.assertEqual([b.custom_block_name for b in shown], ["Park Desk Figures"])

	def test_onboarding_for_the_administrator_only(self):
		self.assertEqual(frappe.db.get_single_value("System Settings", "enable_onboarding"), 1)
		doc = frappe.get_doc("Module Onboarding", "Whistle Setup")
		self.assertEqual([r.role for r in doc.allow_roles], ["Whistle Administrator"])
		steps = doc.get_steps()
		self.assertEqual(
			[s.title for s in steps],
			[
				"Confirm the Working-day Calendar",
				"Check Units and Accountability Chains",
				"Create Users",
				"Review the Rating Templates",
			],
		)
		for step in steps:
			if step.action == "Go to Page":
				self.assertTrue(
					frappe.db.exists("DocType", frappe.unscrub(step.path).replace("-", " ")), step.path
				)
			if step.action == "View Report":
				self.assertTrue(frappe.db.exists("Report", step.reference_report))
			if step.action == "Create Entry":
				self.assertTrue(frappe.db.exists("DocType", step.reference_document))
		onboardings = self.page(ADMIN, "Whistle")["onboardings"]["items"]
		self.assertEqual([o["title"] for o in onboardings], ["设置吹哨报到平台"])
		self.assertEqual(len(onboardings[0]["items"]), 4)
		self.assertEqual(self.page(OFFICE, "Whistle")["onboardings"]["items"], [])

	def page(self, user: str, name: str) -> dict:
		return as_user(user, get_desktop_page, json.dumps({"name": name, "title": name, "public": 1}))


class TestCharts(WhistleTestCase):
	def setUp(self):
		super().setUp()
		self.multi = dispatched_slip([(FGW_D, "Lead"), (ZJJ_D, "Co")], park=PARK1, category="Other")
		self.other = dispatched_slip([(ZJJ_D, "Sole")], park=PARK2)
		row = frappe.db.get_value("Whistle Slip Department", {"parent": self.multi, "department": FGW_D})
		frappe.db.set_value("Whistle Slip Department", row, "overdue", 1)

	def chart(self, user: str, dimension: str) -> dict:
		return as_user(user, whistle_slip_statistics.get, filters=json.dumps({"dimension": dimension}))

	def test_open_slips_by_state_match_the_board(self):
		for user in USER_UNITS:
			data = self.chart(user, board.OPEN_BY_STATE)
			self.assertEqual(data["labels"], list(bd.COLUMNS))
			counts = dict(zip(data["labels"], data["datasets"][0]["values"], strict=True))
			cards = as_user(user, board.get_board)
			self.assertEqual(counts, {c["state"]: len(c["cards"]) for c in cards["columns"]}, user)

	def test_overdue_by_department(self):
		overdue_rows = frappe.get_all(
			"Whistle Slip Department",
			filters={"overdue": 1, "parenttype": "Whistle Slip"},
			fields=["parent", "department"],
		)
		for user in (OFFICE, FGW, PARK2):
			data = self.chart(user, board.OVERDUE_BY_DEPARTMENT)
			got = dict(zip(data["labels"], data["datasets"][0]["values"], strict=True))
			visible = in_scope(user, {r.parent for r in overdue_rows} & self.open())
			expected: dict[str, int] = {}
			for r in overdue_rows:
				if r.parent in visible:
					expected[r.department] = expected.get(r.department, 0) + 1
			self.assertEqual(got, expected, user)
		# park one's slip counts for the office, never for park two (whatever else the site holds)
		office = self.chart(OFFICE, board.OVERDUE_BY_DEPARTMENT)
		park2 = self.chart(PARK2, board.OVERDUE_BY_DEPARTMENT)
		counts = [dict(zip(c["labels"], c["datasets"][0]["values"], strict=True)) for c in (office, park2)]
		self.assertGreaterEqual(counts[0].get(FGW_D, 0), counts[1].get(FGW_D, 0) + 1)

	def test_monthly_per_category_and_park(self):
		# one moment for the chart and the expectation (no month boundary between the two)
		with self.freeze_time(frappe.utils.now_datetime()):
			data = self.chart(OFFICE, board.MONTHLY_BY_CATEGORY)
			self.assertEqual(len(data["labels"]), 12)
			today = frappe.utils.getdate()
			self.assertEqual(data["labels"][-1], f"{today.year}-{today.month:02d}")
			self.assertEqual(
				[d["name"] for d in data["datasets"]],
				["效能提升类", "综合协调类", "对接上争类", "一事一议类", "其他"],
			)
			start = frappe.utils.get_first_day(today)
			this_month = frappe.get_all(
				"Whistle Slip",
				filters={"workflow_state": ("!=", lc.DRAFT), "creation": (">=", start)},
				fields=["category", "whistle_unit"],
			)
			self.assertEqual(sum(d["values"][-1] for d in data["datasets"]), len(this_month))
			other = next(d for d in data["datasets"] if d["name"] == "其他")
			self.assertEqual(other["values"][-1], sum(1 for s in this_month if s.category == "Other"))

			parks = self.chart(PARK1, board.MONTHLY_BY_PARK)
			self.assertEqual([d["name"] for d in parks["datasets"]], ["示例园区一"])
			self.assertEqual(
				parks["datasets"][0]["values"][-1],
				sum(1 for s in this_month if s.whistle_unit == "示例园区一"),
			)
			office_parks = {d["name"] for d in self.chart(OFFICE, board.MONTHLY_BY_PARK)["datasets"]}
			self.assertTrue({"示例园区一", "示例园区二"} <= office_parks)

	def test_unknown_chart_is_refused(self):
		self.assert_refused(lambda: self.chart(OFFICE, "secrets"), "secrets", board.BoardFilterError)

	def test_charts_are_installed_for_every_product_role(self):
		for name in records("dashboard_chart"):
			doc = frappe.get_doc("Dashboard Chart", name)
			self.assertEqual((doc.chart_type, doc.source), ("Custom", "Whistle Slip Statistics"))
			for user in USER_UNITS:
				self.assertTrue(
					as_user(user, frappe.has_permission, "Dashboard Chart", doc=doc), (name, user)
				)

	def open(self) -> set[str]:
		return set(frappe.get_all("Whistle Slip", {"workflow_state": ("in", bd.COLUMNS)}, pluck="name"))


# --- this month's figures per class (on-time rates, average slip score) --------------------------------

ZJJ = "zjj@whistle.localhost"
POLICE_D = "公安分局"
SEPTEMBER = ("2024-09-01 00:00:00", "2024-10-01 00:00:00")  # 2024: a year no other data uses
AS_OF = "2024-09-10 10:00:00"


def report(user: str, slip: str, planned: str, meeting: bool = False) -> None:
	values = {"planned_completion": planned, "work_plan": "现场办公", "responsible_persons": "赵示例"}
	if meeting:
		values.update(
			meeting_date=frappe.utils.now_datetime(),
			meeting_departments="发展和改革委、住房和城乡建设局",
			meeting_minutes="会商纪要",
			meeting_solution="分工协作",
			meeting_task_division="按分工办理",
		)
	act_as(user, slip, "报到", **values)
	act_as(OFFICE, slip, "审核抄送")


def counted_by_hand(clock: str, slips: set[str] | None = None) -> dict[str, list[int]]:
	"""{class: [on time, late]} of the sole/lead clocks due in September, from the database: Met is on
	time; Late, or missing once the deadline passed, is late; excluded and long-term slips are skipped."""
	deadline, status = {
		"response": ("response_deadline", "response_status"),
		"completion": ("completion_deadline", "completion_status"),
	}[clock]
	start, end = (frappe.utils.get_datetime(d) for d in SEPTEMBER)
	as_of = frappe.utils.get_datetime(AS_OF)
	classes = dict(frappe.get_all("Whistle Unit", fields=["name", "assessment_class"], as_list=True))
	counts = {code: [0, 0] for code in "ABC"}
	for slip in frappe.get_all(
		"Whistle Slip",
		filters=[[deadline, ">=", start], [deadline, "<", end]],
		fields=["name", deadline, status, "excluded_from_assessment", "workflow_state"],
	):
		if slips is not None and slip.name not in slips:
			continue
		if slip.excluded_from_assessment or slip.workflow_state == lc.LONG_TERM:
			continue
		for department in frappe.get_all(
			"Whistle Slip Department",
			filters={
				"parent": slip.name,
				"parenttype": "Whistle Slip",
				"department_role": ("in", ["Sole", "Lead"]),
			},
			pluck="department",
		):
			if slip[status] == "Met":
				counts[classes[department]][0] += 1
			elif slip[status] == "Late" or frappe.utils.get_datetime(slip[deadline]) < as_of:
				counts[classes[department]][1] += 1
	return counts


def percent(on_time: int, late: int) -> float:
	return round(100 * on_time / (on_time + late), 1) if on_time + late else 0.0


class TestClassCharts(WhistleTestCase):
	def chart(self, user: str, dimension: str) -> dict:
		return as_user(user, whistle_slip_statistics.get, filters=json.dumps({"dimension": dimension}))

	def make_september(self) -> dict[str, str]:
		"""Slips whose response/completion deadlines fall in September 2024, met, late or missing."""
		with self.freeze_time("2024-09-02 09:00:00"):  # Monday: responses due 09-03 23:59:59
			slips = {
				"met": dispatched_slip([(FGW_D, "Sole")]),
				"late": dispatched_slip([(ZJJ_D, "Sole")]),
				"missing": dispatched_slip([(POLICE_D, "Sole")]),
				"multi": dispatched_slip([(FGW_D, "Lead"), (ZJJ_D, "Co")]),
			}
		with self.freeze_time("2024-09-03 10:00:00"):
			report(FGW, slips["met"], "2024-09-06")
			report(FGW, slips["multi"], "2024-12-31", meeting=True)
		with self.freeze_time("2024-09-05 10:00:00"):
			report(ZJJ, slips["late"], "2024-09-06")
			act_as(FGW, slips["met"], "办结", result="已办结")
		with self.freeze_time("2024-09-09 10:00:00"):
			act_as(ZJJ, slips["late"], "办结", result="已办结")
		with self.freeze_time("2024-09-10 09:00:00"):
			slips["not_due"] = dispatched_slip([("供电公司", "Sole")])  # due 09-11: not counted yet
		return slips

	def test_on_time_rates_per_class_match_a_count_by_hand(self):
		slips = self.make_september()
		with self.freeze_time(AS_OF):
			office = self.chart(OFFICE, board.ON_TIME_BY_CLASS)
			fgw = self.chart(FGW, board.ON_TIME_BY_CLASS)
			zjj = self.chart(ZJJ, board.ON_TIME_BY_CLASS)
			park2 = self.chart(PARK2, board.ON_TIME_BY_CLASS)
		self.assertEqual(office["labels"], ["A 类", "B 类", "C 类"])
		self.assertEqual([d["name"] for d in office["datasets"]], ["按时报到率（%）", "按时办结率（%）"])
		# by hand: responses A 2 met + 1 late, B 1 missing, C none due; completions A 1 met + 1 late
		self.assertEqual(office["datasets"][0]["values"], [66.7, 0.0, 0.0])
		self.assertEqual(office["datasets"][1]["values"], [50.0, 0.0, 0.0])
		self.assertEqual(office["counts"]["response"]["B"], {"on_time": 0, "late": 1})
		self.assertEqual(office["counts"]["response"]["C"], {"on_time": 0, "late": 0})
		# the same from the database, and per unit scope
		for data, scope in (
			(office, None),
			(fgw, {slips["met"], slips["multi"]}),
			(zjj, {slips["late"], slips["multi"]}),
			(park2, set()),
		):
			for i, clock in enumerate(("response", "completion")):
				expected = counted_by_hand(clock, scope)
				self.assertEqual(
					data["datasets"][i]["values"], [percent(*expected[c]) for c in "ABC"], (clock, scope)
				)
				self.assertEqual(
					{c: [v["on_time"], v["late"]] for c, v in data["counts"][clock].items()},
					expected,
					(clock, scope),
				)
		self.assertEqual(fgw["datasets"][0]["values"], [100.0, 0.0, 0.0])
		self.assertEqual(zjj["datasets"][0]["values"], [50.0, 0.0, 0.0])
		self.assertEqual(zjj["datasets"][1]["values"], [0.0, 0.0, 0.0])

	def test_average_slip_score_per_class_matches_the_database(self):
		make_slip_scores("2024-09-10 10:00:00", {FGW_D: [90, 80], POLICE_D: [70]})
		make_slip_scores("2024-08-30 10:00:00", {FGW_D: [10]})  # last month
		make_slip_scores("2024-09-11 10:00:00", {ZJJ_D: [20]}, excluded=True)  # excluded from assessment
		with self.freeze_time("2024-09-20 10:00:00"):
			charts = {
				user: self.chart(user, board.SCORE_BY_CLASS)
				for user in (OFFICE, LEADER, FGW, ZJJ, PARK1, PARK2)
			}
		rows = frappe.db.sql(
			"""select assessment_class, count(*), avg(slip_score) from `tabWhistle Slip Score`
			where closed_on >= %s and closed_on < %s and rating_complete = 1 and excluded_from_assessment = 0
			group by assessment_class""",
			SEPTEMBER,
		)
		direct = {code: round(float(avg), 2) for code, _n, avg in rows}
		self.assertEqual(charts[OFFICE]["datasets"][0]["name"], "销号平均分")
		self.assertEqual(charts[OFFICE]["datasets"][0]["values"], [direct.get(c, 0.0) for c in "ABC"])
		self.assertEqual(charts[OFFICE]["datasets"][0]["values"], [85.0, 70.0, 0.0])
		self.assertEqual(charts[OFFICE]["counts"], {"A": 2, "B": 1, "C": 0})
		self.assertEqual(charts[LEADER], charts[OFFICE])
		self.assertEqual(charts[PARK1], charts[OFFICE], "the park's own whistles' scores")
		self.assertEqual(charts[FGW]["datasets"][0]["values"], [85.0, 0.0, 0.0], "its own scores only")
		self.assertEqual(charts[ZJJ]["datasets"][0]["values"], [0.0, 0.0, 0.0])
		self.assertEqual(charts[PARK2]["counts"], {"A": 0, "B": 0, "C": 0})


# --- the desks' figures: one call (issue #21) ------------------------------------------------------------

DESK_USERS = {"Whistle Office Desk": OFFICE, "Department Desk": FGW, "Park Desk": PARK1}
CHART_NAMES = {
	board.OPEN_BY_STATE: "Open Whistles by State",
	board.OVERDUE_BY_DEPARTMENT: "Overdue Whistles by Department",
	board.ON_TIME_BY_CLASS: "On-time Rates by Class This Month",
	board.SCORE_BY_CLASS: "Average Slip Score by Class This Month",
	board.MONTHLY_BY_CATEGORY: "Monthly Whistles per Category",
}


class TestDeskSummary(WhistleTestCase):
	def setUp(self):
		super().setUp()
		self.multi = dispatched_slip([(FGW_D, "Lead"), (ZJJ_D, "Co")], park=PARK1)
		self.other = dispatched_slip([(ZJJ_D, "Sole")], park=PARK2)
		frappe.db.set_value("Whistle Slip", self.other, {"overdue": 1, "warning_level": "逾期"})
		frappe.db.set_value("Whistle Slip", self.multi, {"overdue": 1, "warning_level": "逾期"})
		make_slip(PARK1)  # a draft
		make_bulletin(2026, 1)
		desk_cache.bump_version()

	def summary(self, user: str, workspace: str, refresh: bool = False) -> dict:
		return as_user(user, desk_summary.get_summary, workspace, refresh=refresh)

	def test_cards_count_as_the_number_cards_of_the_same_name(self):
		"""Each card equals Frappe's Number Card of that name for the same user (its unit scope)."""
		labels = {frappe._(name): name for name in records("number_card")}
		for workspace, user in DESK_USERS.items():
			cards = self.summary(user, workspace)["cards"]
			expected = [frappe._(label) for label, _what in desk_summary.DESKS[workspace][0]]
			self.assertEqual([c["label"] for c in cards], expected, workspace)
			for c in cards:
				doc = frappe.get_doc("Number Card", labels[c["label"]])
				self.assertEqual(
					c["value"], as_user(user, get_result, doc.as_json(), doc.filters_json), (workspace, c)
				)
				# the list a click opens counts the same
				self.assertEqual(
					len(as_user(user, frappe.get_list, c["doctype"], filters=c["filters"], pluck="name")),
					c["value"],
					(workspace, c),
				)
		office = {c["label"]: c for c in self.summary(OFFICE, "Whistle Office Desk")["cards"]}
		self.assertGreaterEqual(office["逾期事项"]["value"], 2)
		self.assertEqual(office["逾期事项"]["color"], "red")
		self.assertGreaterEqual(office["待发布通报"]["value"], 1)

	def test_charts_equal_the_chart_source(self):
		for workspace, user in DESK_USERS.items():
			charts = self.summary(user, workspace)["charts"]
			self.assertEqual(
				[c["title"] for c in charts],
				[frappe._(CHART_NAMES[d]) for _t, d in desk_summary.DESKS[workspace][1]],
			)
			for c in charts:
				source = self.chart(user, c["dimension"])
				self.assertEqual(c["data"]["labels"], source["labels"], c["dimension"])
				self.assertEqual(c["data"]["datasets"], source["datasets"], c["dimension"])
				if c["dimension"] == board.ON_TIME_BY_CLASS:  # judged cases, even at 0 %
					judged = [n["on_time"] + n["late"] for k in source["counts"].values() for n in k.values()]
				elif c["dimension"] == board.SCORE_BY_CLASS:
					judged = list(source["counts"].values())
				else:
					judged = [v for d in source["datasets"] for v in d["values"]]
				self.assertEqual(c["data"]["empty"], not any(judged), c["dimension"])
				self.assertEqual(
					c["data"]["kind"], "list" if c["dimension"] in desk_summary.LIST_CHARTS else "chart"
				)
		self.assertEqual(
			[c["title"] for c in self.summary(OFFICE, "Whistle Office Desk")["charts"]],
			["在办事项状态分布", "各部门逾期事项", "本月各类按时报到率、办结率", "本月各类销号平均分"],
		)

	def test_cached_per_user_until_a_committed_change(self):
		before = self.summary(OFFICE, "Whistle Office Desk")
		fgw = self.summary(FGW, "Department Desk")
		dispatched_slip([(FGW_D, "Sole")], park=PARK1)
		# not committed yet: the cached answer stands (another request could not see the change)
		self.assertEqual(self.summary(OFFICE, "Whistle Office Desk"), before)
		frappe.db.after_commit.run()  # what the commit runs: the version moves on
		after = self.summary(FGW, "Department Desk")
		self.assertNotEqual(after, fgw)
		self.assertEqual(self.value(after, "待报到"), self.value(fgw, "待报到") + 1, "the new whistle counts")
		# 刷新 computes afresh whatever the cache holds
		frappe.db.set_value("Whistle Slip", self.multi, "overdue", 0)
		fresh = self.summary(FGW, "Department Desk", refresh=True)
		self.assertEqual(self.value(fresh, "逾期事项"), self.value(after, "逾期事项") - 1)

	def test_the_deadline_job_moves_the_version_when_it_changes_a_flag(self):
		frappe.db.set_value("Whistle Slip", self.other, {"overdue": 0, "warning_level": "正常"})
		key = as_user(OFFICE, desk_cache.cache_key, "Whistle Office Desk")
		summary = process_deadlines(commit=False)
		moved = as_user(OFFICE, desk_cache.cache_key, "Whistle Office Desk")
		self.assertEqual(key != moved, bool(summary["flags"] or summary["reset"]), summary)
		if key == moved:
			return
		again = process_deadlines(commit=False)  # nothing left to change: the version stays
		self.assertFalse(again["flags"] or again["reset"], again)
		self.assertEqual(as_user(OFFICE, desk_cache.cache_key, "Whistle Office Desk"), moved)

	def test_refused(self):
		self.assert_refused(
			lambda: self.summary(PARK1, "Whistle Office Desk"), "吹哨办工作台", frappe.PermissionError
		)
		self.assert_refused(lambda: self.summary(FGW, "Park Desk"), "吹哨工作台", frappe.PermissionError)
		self.assert_refused(lambda: self.summary(OFFICE, "Secrets"), "Secrets", desk_summary.DeskSummaryError)

	def chart(self, user: str, dimension: str) -> dict:
		return as_user(user, whistle_slip_statistics.get, filters=json.dumps({"dimension": dimension}))

	@staticmethod
	def value(summary: dict, label: str) -> int:
		return next(c["value"] for c in summary["cards"] if c["label"] == label)
