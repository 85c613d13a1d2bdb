"""园区、镇街吹哨统计 (Park Whistle Statistics): each park or town sees its own whistles of the year and
where they stand; the office sees every unit; the counts are those of the database (issue #21: the
parks' one report, which also lets Frappe cache their report permissions)."""

import frappe
from frappe.desk.query_report import run

from tests.base import WhistleTestCase
from tests.factory import act_as, as_user, dispatched_slip, make_slip
from whistle_app.rules import board as bd
from whistle_app.rules import lifecycle as lc
from whistle_app.whistle.report.park_whistle_statistics import park_whistle_statistics as report

REPORT = "Park Whistle Statistics"
OFFICE = "office@whistle.localhost"
PARK1, PARK2 = "park1@whistle.localhost", "park2@whistle.localhost"
FGW = "fgw@whistle.localhost"
UNIT1, UNIT2 = "示例园区一", "示例园区二"
FGW_D = "发展和改革委"


def by_hand(unit: str, year: int) -> dict:
	"""The row of ``unit`` counted straight from the database."""
	slips = frappe.get_all(
		"Whistle Slip",
		filters={
			"whistle_unit": unit,
			"workflow_state": ("!=", lc.DRAFT),
			"creation": ("between", [f"{year}-01-01 00:00:00", f"{year}-12-31 23:59:59.999999"]),
		},
		fields=["workflow_state", "overdue"],
	)
	row = {"whistle_unit": unit, "filed": len(slips), "overdue": 0}
	for key, _label, states in report.STATE_COLUMNS:
		row[key] = sum(1 for s in slips if s.workflow_state in states)
	row["overdue"] = sum(1 for s in slips if s.workflow_state in bd.COLUMNS and s.overdue)
	return row


class TestParkStatistics(WhistleTestCase):
	def setUp(self):
		super().setUp()
		self.year = frappe.utils.getdate().year
		self.open = dispatched_slip([(FGW_D, "Sole")], park=PARK1)
		frappe.db.set_value("Whistle Slip", self.open, "overdue", 1)
		returned = make_slip(PARK1).name
		act_as(PARK1, returned, "提交吹哨")
		act_as(OFFICE, returned, "退回补充", reason="请补充材料")
		make_slip(PARK1)  # a draft: not filed, not counted
		dispatched_slip([(FGW_D, "Sole")], park=PARK2)

	def rows(self, user: str) -> dict[str, dict]:
		_columns, data, _message, chart = as_user(user, report.execute, {"year": self.year})
		self.chart = chart
		return {r["whistle_unit"]: r for r in data}

	def test_each_park_sees_its_own_row_as_counted_by_hand(self):
		rows = self.rows(PARK1)
		self.assertEqual(set(rows), {UNIT1})
		self.assertEqual(rows[UNIT1], by_hand(UNIT1, self.year))
		self.assertGreaterEqual(rows[UNIT1]["overdue"], 1)
		self.assertGreaterEqual(rows[UNIT1]["returned"], 1)
		self.assertEqual(set(self.rows(PARK2)), {UNIT2})
		self.assertEqual(self.chart["data"]["labels"], [UNIT2])

	def test_the_office_sees_every_unit(self):
		rows = self.rows(OFFICE)
		self.assertTrue({UNIT1, UNIT2} <= set(rows))
		for unit in (UNIT1, UNIT2):
			self.assertEqual(rows[unit], by_hand(unit, self.year))
		self.assertEqual(
			[r["filed"] for r in rows.values()], sorted((r["filed"] for r in rows.values()), reverse=True)
		)

	def test_through_the_desk_in_chinese(self):
		frappe.local.lang = "zh"
		result = as_user(PARK1, run, REPORT, filters={"year": self.year})
		labels = [c["label"] for c in result["columns"]]
		self.assertEqual(
			labels,
			[
				"吹哨单位",
				"吹哨总数",
				"在办事项",
				"其中逾期",
				"待确认评价",
				"已销号",
				"继续跟踪推进",
				"退回补充",
				"不予受理",
			],
		)

	def test_refused(self):
		self.assert_refused(lambda: as_user(PARK1, report.execute, {"year": 1900}), "2000")
		self.assert_refused(
			lambda: as_user(FGW, run, REPORT, filters={"year": self.year}), REPORT, frappe.PermissionError
		)
		self.assertEqual(self.rows(PARK1)[UNIT1]["whistle_unit"], UNIT1)  # nothing changed
