"""Rater fairness (RULES §14, issue #19): the stored statistics of a quarter equal the pure rules on the
ratings, the report's totals equal a direct count, the daily job run twice changes nothing, a final
quarterly evaluation freezes the quarter, the office reviews a flag and a flag never changes a score."""

import datetime

import frappe
from frappe.query_builder import DocType

from tests.base import WhistleTestCase
from tests.factory import as_user
from whistle_app import fairness
from whistle_app.rules import fairness as fr
from whistle_app.whistle.report.rater_fairness import rater_fairness as report

YEAR, QUARTER = 2024, 2
OFFICE = "office@whistle.localhost"
PARK1, FGW = "park1@whistle.localhost", "fgw@whistle.localhost"
UNIT1, UNIT2, FGW_D = "示例园区一", "示例园区二", "发展和改革委"
DEPTS = ("教育局", "财政局", "商务局", "住房和城乡建设局", "司法局")


def insert_rating(rater: str, kind: str, department: str, rows: tuple, day: int) -> str:
	"""A submitted rating written as the rating controller stores it (no slip needed for the
	statistics): the rater's criterion scores in form order, their total and their signature."""
	name = frappe.generate_hash(length=12)
	frappe.get_doc(
		{
			"doctype": "Whistle Rating",
			"name": name,
			"slip": "CS-TEST-FAIRNESS",
			"rated_department": department,
			"department_role": "Sole",
			"rater_unit": rater,
			"rater_kind": kind,
			"rated_on": datetime.datetime(YEAR, 5, day, 10),
			"total": sum(rows),
			"score_signature": fr.score_signature(rows),
			"docstatus": 1,
		}
	).db_insert()
	for idx, score in enumerate(rows, 1):
		frappe.get_doc(
			{
				"doctype": "Whistle Rating Score",
				"name": frappe.generate_hash(length=12),
				"parent": name,
				"parenttype": "Whistle Rating",
				"parentfield": "scores",
				"idx": idx,
				"criterion": f"c{idx}",
				"score": str(score),
			}
		).db_insert()
	return name


def make_quarter() -> None:
	"""示例园区一 gives everyone 100, 示例园区二 everyone 85, 发展和改革委 (as lead) favours 教育局."""
	for i, dept in enumerate(DEPTS):
		insert_rating(UNIT1, "Park", dept, (20, 20, 30, 30), 1 + i)
		insert_rating(UNIT2, "Park", dept, (17, 17, 26, 25), 1 + i)
	for i in range(3):
		insert_rating(FGW_D, "Lead Department", "教育局", (30, 20, 28, 18 + i), 10 + i)
		insert_rating(FGW_D, "Lead Department", DEPTS[1 + i], (20, 15, 20, 10 + i), 10 + i)


def ratings_in_quarter() -> list[fr.Rating]:
	"""The quarter's ratings read one by one (the slow way the grouped queries replace)."""
	start, end = fairness._window(YEAR, QUARTER)
	ratings = frappe.get_all(
		"Whistle Rating",
		filters={"docstatus": 1, "rated_on": ("between", [start, end - datetime.timedelta(seconds=1)])},
		fields=["name", "rater_unit", "rated_department", "total"],
	)
	return [
		fr.Rating(
			r.rater_unit,
			r.rated_department,
			r.total,
			tuple(
				frappe.get_all(
					"Whistle Rating Score", filters={"parent": r.name}, pluck="score", order_by="idx asc"
				)
			),
		)
		for r in ratings
	]


def table_state(doctype: str) -> list[tuple]:
	table = DocType(doctype)
	return frappe.qb.from_(table).select("*").orderby(table.name).run()


class TestRaterFairness(WhistleTestCase):
	def setUp(self):
		super().setUp()
		make_quarter()
		frappe.flags.current_date = datetime.date(YEAR, 6, 20)

	def tearDown(self):
		frappe.flags.current_date = None
		super().tearDown()

	def stored(self) -> dict[str, frappe._dict]:
		return {
			d.rater_unit: d
			for d in frappe.get_all(
				fairness.STATISTIC, filters={"year": YEAR, "quarter": str(QUARTER)}, fields=["*"]
			)
		}

	def test_stored_statistics_equal_the_rules_and_the_flags_show(self):
		fairness.refresh_quarter(YEAR, QUARTER)
		stored = self.stored()
		expected = {s.rater: s for s in fr.statistics_of(ratings_in_quarter(), fairness.thresholds())}
		self.assertEqual(set(stored), set(expected))
		for rater, s in expected.items():
			row = stored[rater]
			self.assertEqual(row.ratings, s.ratings)
			self.assertAlmostEqual(row.mean_total, float(s.mean), places=4)
			self.assertAlmostEqual(row.std_dev, s.sd, places=4)
			self.assertAlmostEqual(row.identical_share, float(s.identical_share), places=4)
			self.assertAlmostEqual(row.peer_gap, float(s.peer_gap or 0), places=4)
			for flag, field in fairness.FLAG_FIELDS.items():
				self.assertEqual(row[field], int(flag in s.flags), (rater, flag))
		self.assertTrue(stored[UNIT1].flag_uniform and stored[UNIT1].flag_lenient)
		self.assertTrue(stored[UNIT2].flag_uniform and not stored[UNIT2].flag_lenient)
		self.assertLess(stored[UNIT2].peer_gap, 0)  # below the parks and the lead that rated the same
		self.assertTrue(stored[FGW_D].flag_favouritism)
		self.assertEqual(stored[FGW_D].favoured_department, "教育局")

	def test_report_totals_equal_a_direct_count_and_scopes_hold(self):
		fairness.refresh_quarter(YEAR, QUARTER)
		_columns, data, _msg, chart = as_user(OFFICE, report.execute, {"year": YEAR, "quarter": QUARTER})
		start, end = fairness._window(YEAR, QUARTER)
		direct = frappe.db.count(
			"Whistle Rating", {"docstatus": 1, "rated_on": (">=", start)}
		) - frappe.db.count("Whistle Rating", {"docstatus": 1, "rated_on": (">=", end)})
		self.assertEqual(sum(row["ratings"] for row in data), direct)
		self.assertEqual(len(chart["data"]["labels"]), len(data))
		fgw_row = next(row for row in data if row["rater_unit"] == FGW_D)
		self.assertIn("rated_department=教育局", fgw_row["favoured_route"])
		self.assertIn("rater_unit=发展和改革委", fgw_row["ratings_route"])
		# a park and a department see their own rows only
		for user, unit in ((PARK1, UNIT1), (FGW, FGW_D)):
			rows = as_user(user, report.execute, {"year": YEAR, "quarter": QUARTER})[1]
			self.assertEqual({row["rater_unit"] for row in rows}, {unit}, user)
		self.assertEqual(as_user(FGW, report.execute, {"year": YEAR, "rater_unit": UNIT1})[1], [])

	def test_the_daily_job_twice_changes_nothing(self):
		frappe.flags.run_jobs_inline = True
		try:
			fairness.run_fairness_job()
			first = table_state(fairness.STATISTIC)
			self.assertTrue(first)
			fairness.run_fairness_job()
			self.assertEqual(table_state(fairness.STATISTIC), first)
		finally:
			frappe.flags.run_jobs_inline = False

	def test_a_final_evaluation_freezes_the_quarter(self):
		fairness.refresh_quarter(YEAR, QUARTER)
		fairness.on_evaluation_update(frappe._dict(status="Final", year=YEAR, quarter=str(QUARTER)))
		self.assertTrue(all(row.frozen for row in self.stored().values()))
		before = table_state(fairness.STATISTIC)
		insert_rating(UNIT2, "Park", "教育局", (1, 1, 1, 1), 20)  # a late rating changes nothing now
		fairness.refresh_quarter(YEAR, QUARTER)
		self.assertEqual(table_state(fairness.STATISTIC), before)

	def test_the_office_reviews_a_flag_and_no_score_changes(self):
		scores = (
			table_state("Whistle Slip Score"),
			table_state("Whistle Rating"),
			table_state("Whistle Rating Score"),
		)
		fairness.refresh_quarter(YEAR, QUARTER)
		name = fairness.statistic_name(YEAR, QUARTER, UNIT1)
		self.assert_refused(
			lambda: as_user(FGW, fairness.review_flag, name, "Lenient", "No Issue"),
			"只有区吹哨办可以研判评分公正性",
			frappe.PermissionError,
		)
		self.assert_refused(
			lambda: as_user(OFFICE, fairness.review_flag, name, "Favouritism", "No Issue"), "没有"
		)
		self.assert_refused(lambda: as_user(OFFICE, fairness.review_flag, name, "Lenient", "Other"), "备注")
		as_user(OFFICE, fairness.review_flag, name, "Lenient", "Reminded", "已电话提醒")
		reviews = frappe.get_doc(fairness.STATISTIC, name).reviews
		self.assertEqual(
			[(r.flag, r.outcome, r.reviewed_by) for r in reviews], [("Lenient", "Reminded", OFFICE)]
		)
		self.assertEqual(
			(
				table_state("Whistle Slip Score"),
				table_state("Whistle Rating"),
				table_state("Whistle Rating Score"),
			),
			scores,
		)
		_columns, data, *_rest = as_user(OFFICE, report.execute, {"year": YEAR, "quarter": QUARTER})
		self.assertEqual(next(r for r in data if r["rater_unit"] == UNIT1)["reviews"], "人情分：已提醒")
