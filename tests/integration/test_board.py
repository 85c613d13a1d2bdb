"""The live supervision board (issue #9): cards in the user's unit scope, filters, bounded queries,
the realtime announcement of a changed slip."""

from contextlib import contextmanager

import frappe

from tests.base import WhistleTestCase
from tests.factory import act_as, as_user, dispatched_slip, make_enterprise_user, make_slip
from whistle_app import board
from whistle_app.rules import board as bd
from whistle_app.rules import lifecycle as lc

OFFICE = "office@whistle.localhost"
PARK1 = "park1@whistle.localhost"
PARK2 = "park2@whistle.localhost"
TOWN1 = "town1@whistle.localhost"
FGW = "fgw@whistle.localhost"  # 发展和改革委 (A)
LEADER = "leader@whistle.localhost"
FGW_D, ZJJ_D, POLICE_D = "发展和改革委", "住房和城乡建设局", "公安分局"


@contextmanager
def counted_queries():
	"""Counts the SQL statements run inside the block (like FrappeTestCase.assertQueryCount)."""
	queries: list[str] = []
	original = frappe.db.__class__.sql

	def sql(self, *args, **kwargs):
		queries.append(str(args[0]) if args else "")
		return original(self, *args, **kwargs)

	frappe.db.__class__.sql = sql
	try:
		yield queries
	finally:
		frappe.db.__class__.sql = original


def board_as(user: str, **filters) -> dict:
	return as_user(user, board.get_board, **filters)


def card_names(data: dict) -> set[str]:
	return {card["name"] for column in data["columns"] for card in column["cards"]}


def open_slips(**filters) -> set[str]:
	"""Open slips straight from the database (no permissions)."""
	return set(
		frappe.get_all(
			"Whistle Slip", filters={"workflow_state": ("in", bd.COLUMNS), **filters}, pluck="name"
		)
	)


def slips_with_department(units) -> set[str]:
	return set(
		frappe.get_all(
			"Whistle Slip Department",
			filters={"parenttype": "Whistle Slip", "department": ("in", list(units))},
			pluck="parent",
		)
	)


class TestBoard(WhistleTestCase):
	def setUp(self):
		super().setUp()
		self.green = dispatched_slip(
			[(POLICE_D, "Sole")], park=PARK2, green_channel=1, category="Efficiency Improvement"
		)
		self.multi = dispatched_slip([(FGW_D, "Lead"), (ZJJ_D, "Co")], park=PARK1)
		self.submitted = make_slip(TOWN1).name
		act_as(TOWN1, self.submitted, "提交吹哨")
		self.draft = make_slip(PARK1).name

	def test_office_sees_every_open_slip_in_its_column(self):
		data = board_as(OFFICE)
		self.assertEqual(card_names(data), open_slips())
		self.assertEqual(data["total"], len(open_slips()))
		self.assertEqual([c["state"] for c in data["columns"]], list(bd.COLUMNS))
		for column in data["columns"]:
			for card in column["cards"]:
				self.assertEqual(card["workflow_state"], column["state"])
		self.assertIn(self.submitted, card_names(data))
		self.assertNotIn(self.draft, card_names(data))
		hidden = set(
			frappe.get_all("Whistle Slip", {"workflow_state": ("in", bd.HIDDEN_STATES)}, pluck="name")
		)
		self.assertTrue(hidden)
		self.assertFalse(hidden & card_names(data))
		self.assertEqual(sum(data["levels"].values()), data["total"])
		self.assertEqual(data["columns"][0]["holder"], "区吹哨办")

	def test_each_role_sees_its_unit_scope(self):
		fgw = card_names(board_as(FGW))
		self.assertEqual(fgw, open_slips() & slips_with_department([FGW_D]))
		self.assertIn(self.multi, fgw)
		self.assertNotIn(self.green, fgw)
		park = card_names(board_as(PARK1))
		self.assertEqual(park, open_slips(whistle_unit="示例园区一"))
		self.assertIn(self.multi, park)
		self.assertNotIn(self.green, park)
		self.assertEqual(card_names(board_as(LEADER)), open_slips())
		self.assertLess(len(fgw), len(open_slips()))

	def test_filters(self):
		self.assertEqual(
			card_names(board_as(OFFICE, department=POLICE_D)),
			open_slips() & slips_with_department([POLICE_D]),
		)
		class_b = frappe.get_all("Whistle Unit", {"assessment_class": "B"}, pluck="name")
		by_class = card_names(board_as(OFFICE, assessment_class="B"))
		self.assertEqual(by_class, open_slips() & slips_with_department(class_b))
		self.assertIn(self.green, by_class)
		self.assertNotIn(self.multi, by_class)
		self.assertEqual(
			card_names(board_as(OFFICE, park="示例园区二")), open_slips(whistle_unit="示例园区二")
		)
		self.assertEqual(
			card_names(board_as(OFFICE, category="Efficiency Improvement")),
			open_slips(category="Efficiency Improvement"),
		)
		green = card_names(board_as(OFFICE, green_channel=True))
		self.assertEqual(green, open_slips(green_channel=1))
		self.assertIn(self.green, green)
		# filters narrow the user's scope, never widen it
		self.assertEqual(card_names(board_as(FGW, department=POLICE_D)), set())
		self.assertEqual(card_names(board_as(PARK1, park="示例园区二")), set())

	def test_filter_options(self):
		data = board_as(OFFICE, category="Efficiency Improvement")
		options = data["options"]
		self.assertEqual(options["assessment_classes"], ["A", "B", "C"])
		self.assertIn({"value": POLICE_D, "class": "B"}, options["departments"])
		self.assertEqual(
			len(options["departments"]),
			frappe.db.count("Whistle Unit", {"unit_type": "Reporting Unit", "enabled": 1}),
		)
		self.assertEqual(
			set(options["parks"]),
			{frappe.db.get_value("Whistle Slip", n, "whistle_unit") for n in open_slips()},
		)
		self.assertIn({"value": "Efficiency Improvement", "label": "效能提升类"}, options["categories"])
		# a park user is offered only its own unit
		self.assertEqual(board_as(PARK1)["options"]["parks"], ["示例园区一"])

	def test_unknown_filters_are_refused(self):
		self.assert_refused(lambda: board.get_board(assessment_class="D"), "D", board.BoardFilterError)
		self.assert_refused(lambda: board.get_board(category="Nonsense"), "Nonsense", board.BoardFilterError)

	def test_users_without_slip_access_are_refused(self):
		enterprise = make_enterprise_user("board-ent@whistle.localhost")
		with self.assertRaises(frappe.PermissionError):
			board_as(enterprise)

	def test_card_shows_level_deadline_and_departments(self):
		slip = frappe.get_doc("Whistle Slip", self.multi)
		card = self.card(board_as(OFFICE), self.multi)
		self.assertEqual(card["workflow_state"], lc.DISPATCHED)
		self.assertEqual(card["deadline"], str(slip.response_deadline))
		self.assertEqual(card["deadline_label"], "报到时限")
		self.assertEqual(
			[(d["department"], d["role_label"]) for d in card["departments"]],
			[(FGW_D, "牵头部门"), (ZJJ_D, "协办部门")],
		)
		self.assertEqual((card["warning_level"], card["level_colour"]), ("正常", "green"))
		self.assertIsNone(self.card(board_as(OFFICE), self.submitted)["deadline"])

		# the response deadline passed long ago: the card warns at once, before the deadline job ran
		past = frappe.utils.get_datetime("2001-01-02 23:59:59")  # older than any deadline on the site
		frappe.db.set_value("Whistle Slip", self.multi, {"response_deadline": past, "warning_level": "正常"})
		data = board_as(OFFICE)
		card = self.card(data, self.multi)
		self.assertEqual(
			(card["warning_level"], card["level_colour"], card["overdue"]), ("严重逾期", "red", 1)
		)
		column = next(c for c in data["columns"] if c["state"] == lc.DISPATCHED)
		self.assertEqual(column["cards"][0]["name"], self.multi, "the most overdue card leads its column")
		self.assertGreaterEqual(data["levels"]["严重逾期"], 1)

	def test_levels_agree_with_the_deadline_job(self):
		"""After the job ran, every card shows the level the job stored on its slip."""
		from whistle_app import clocks
		from whistle_app.calendar import get_work_calendar
		from whistle_app.rules.workdays import add_working_days

		# today, the next two days, and four working days after the response deadline (严重逾期
		# whatever holidays lie in between)
		now = frappe.utils.now_datetime()
		deadline = frappe.utils.get_datetime(
			frappe.db.get_value("Whistle Slip", self.multi, "response_deadline")
		)
		moments = [frappe.utils.add_days(now, days) for days in (0, 1, 2)]
		moments.append(add_working_days(get_work_calendar(), deadline, 4))
		for days, moment in enumerate(moments):
			with self.freeze_time(moment):
				clocks.process_deadlines(commit=False)
				data = board_as(OFFICE)
			stored = dict(frappe.get_all("Whistle Slip", fields=["name", "warning_level"], as_list=True))
			for column in data["columns"]:
				for card in column["cards"]:
					self.assertEqual(
						card["warning_level"], stored[card["name"]] or "正常", (days, card["name"])
					)
		self.assertEqual(self.card(data, self.multi)["warning_level"], "严重逾期")

	def test_queries_are_bounded(self):
		board_as(OFFICE)  # warm the caches (meta, roles)
		board_as(FGW, category="Comprehensive Coordination")
		with counted_queries() as before:
			board_as(OFFICE)
		for _i in range(3):
			dispatched_slip([(FGW_D, "Lead"), (ZJJ_D, "Co")], park=PARK2)
		with counted_queries() as after:
			board_as(OFFICE)
		self.assertEqual(len(before), len(after), "the number of queries grows with the number of slips")
		self.assertLess(len(after), 10, "\n".join(after))
		with counted_queries() as filtered:
			board_as(FGW, category="Comprehensive Coordination", assessment_class="A", green_channel=False)
		self.assertLess(len(filtered), 10, "\n".join(filtered))

	def test_a_changed_slip_is_announced_after_commit(self):
		frappe.realtime.clear_realtime_log()
		act_as(OFFICE, self.submitted, "派单", scope="Single", departments=[(FGW_D, "Sole", None)])
		log = getattr(frappe.local, "_realtime_log", [])
		self.assertIn([board.BOARD_EVENT, {"slip": self.submitted}, "doctype:Whistle Slip"], log)
		frappe.db.rollback()  # nothing is sent for a rolled-back change
		self.assertFalse(getattr(frappe.local, "_realtime_log", []))

	def card(self, data: dict, name: str) -> dict:
		return next(card for column in data["columns"] for card in column["cards"] if card["name"] == name)
