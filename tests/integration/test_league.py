"""The unit league table of the live board (issue #9): the current quarter so far per class, computed
with the pure §7 module, its movement since the end of last month, and who sees which rows.

Every table is checked against ``rules.scoring.quarter_scores`` fed independently (the individual slip
scores read straight from the database, not the grouped totals the league reads), and the designed
examples against numbers worked out by hand. The tests run in 2024, a year no other data uses.
"""

import frappe

from tests.base import WhistleTestCase
from tests.factory import as_user, make_enterprise_user, make_slip_scores, make_survey_tallies
from tests.integration.test_board import counted_queries
from whistle_app import league
from whistle_app.board import BoardFilterError
from whistle_app.rules import board as bd
from whistle_app.rules import scoring

OFFICE = "office@whistle.localhost"
LEADER = "leader@whistle.localhost"
EFFICIENCY = "efficiency@whistle.localhost"
FGW_USER = "fgw@whistle.localhost"
PARK = "park1@whistle.localhost"
EDU, JUSTICE, FGW = "教育局", "司法局", "发展和改革委"  # class A
POLICE, WEATHER = "公安分局", "气象局"  # class B
MID_MAY = "2024-05-20 10:00:00"


def league_as(user: str, **kwargs) -> dict:
	return as_user(user, league.get_league, **kwargs)


def rows_of(data: dict) -> dict[str, dict]:
	return {row["unit"]: row for group in data["classes"] for row in group["rows"]}


def expected_results(start: str, end: str, votes: dict | None = None) -> dict[str, scoring.QuarterResult]:
	"""§7 on the individual complete, assessed slip scores closed in [start, end), per current class."""
	units = frappe.get_all(
		"Whistle Unit",
		filters={"unit_type": "Reporting Unit", "enabled": 1, "assessment_class": ("in", ["A", "B", "C"])},
		fields=["name", "assessment_class"],
		order_by="assessment_class asc, display_order asc, name asc",
	)
	scores: dict[str, list[float]] = {}
	for row in frappe.get_all(
		"Whistle Slip Score",
		filters=[
			["closed_on", ">=", start],
			["closed_on", "<", end],
			["rating_complete", "=", 1],
			["excluded_from_assessment", "=", 0],
		],
		fields=["department", "slip_score"],
	):
		scores.setdefault(row.department, []).append(row.slip_score)
	results = {}
	for code in ("A", "B", "C"):
		inputs = [
			scoring.QuarterInput(
				u.name,
				[scoring.round2(s) for s in scores.get(u.name, [])],
				(votes or {}).get(u.name, scoring.VoteCounts()),
			)
			for u in units
			if u.assessment_class == code
		]
		results.update({r.unit: r for r in scoring.quarter_scores(inputs)})
	return results


class TestLeagueTable(WhistleTestCase):
	def setUp(self):
		super().setUp()
		# class A: 教育局 leads April, 司法局 trails; in May they swap. Class B starts in May.
		make_slip_scores("2024-04-10 10:00:00", {EDU: [90], JUSTICE: [70]})
		make_slip_scores("2024-05-10 10:00:00", {EDU: [50], JUSTICE: [100], POLICE: [80], WEATHER: [60]})
		make_slip_scores("2024-05-11 10:00:00", {FGW: [10]}, excluded=True)  # left out everywhere

	def assert_matches_the_pure_module(self, data: dict, now_window: tuple, then_window: tuple, votes=None):
		"""Every row against §7 on the scores closed in ``now_window`` (with ``votes``) and, for the
		movement, in ``then_window`` (the table at the end of last month, without votes)."""
		now = expected_results(*now_window, votes)
		then = expected_results(*then_window)
		rows = rows_of(data)
		self.assertEqual(set(rows), set(now))
		for unit, row in rows.items():
			r = now[unit]
			self.assertEqual(
				(row["rank"], row["score"], row["cases"], row["substituted"], row["is_last"]),
				(
					r.rank,
					None if r.quarter_score is None else str(scoring.round2(r.quarter_score)),
					r.cases,
					int(r.substituted),
					int(r.is_last),
				),
				unit,
			)
			self.assertEqual(row["previous_rank"], then[unit].rank, unit)
			self.assertEqual(
				(row["movement"], row["places"]), bd.rank_movement(then[unit].rank, r.rank), unit
			)

	def test_office_sees_every_class_ranked_as_the_pure_module_ranks_it(self):
		with self.freeze_time(MID_MAY):
			data = league_as(OFFICE)
		self.assertEqual((data["year"], data["quarter"]), (2024, 2))
		self.assertEqual(data["title"], "2024 年第 2 季度单位排名（截至目前）")
		self.assertEqual(data["compared_label"], "名次变化：与 2024 年 4 月底相比")
		self.assertFalse(data["votes_counted"])
		self.assertIsNone(data["own_unit"])
		self.assertEqual([g["assessment_class"] for g in data["classes"]], ["A", "B", "C"])
		self.assertEqual([g["class_size"] for g in data["classes"]], [14, 16, 10])
		self.assertEqual([g["ranked"] for g in data["classes"]], [True, True, False])
		self.assert_matches_the_pure_module(data, ("2024-04-01", "2024-07-01"), ("2024-04-01", "2024-05-01"))

		# by hand: April 教育局 90, 司法局 70 (class average 80); May adds 50 and 100
		rows = rows_of(data)
		self.assertEqual(
			(rows[JUSTICE]["rank"], rows[JUSTICE]["score"], rows[JUSTICE]["cases"]), (1, "85.00", 2)
		)
		self.assertEqual((rows[JUSTICE]["previous_rank"], rows[JUSTICE]["movement_label"]), (14, "↑13"))
		self.assertEqual(
			(rows[EDU]["rank"], rows[EDU]["score"], rows[EDU]["movement_label"]), (14, "70.00", "↓13")
		)
		self.assertEqual(rows[EDU]["is_last"], 1)
		self.assertEqual(
			(rows[FGW]["rank"], rows[FGW]["score"], rows[FGW]["cases"], rows[FGW]["substituted"]),
			(2, "77.50", 0, 1),
			"the excluded score is left out: 发展和改革委 has no case and takes the class average",
		)
		self.assertEqual(rows[FGW]["movement_label"], "—")
		class_a = data["classes"][0]
		self.assertEqual((class_a["class_average"], class_a["units_with_cases"]), ("77.50", 2))
		ranks = [r["rank"] for r in class_a["rows"]]
		self.assertEqual((ranks, class_a["rows"][0]["unit"]), (sorted(ranks), JUSTICE), "rows in rank order")
		# class B was not ranked at the end of April: every unit is new
		self.assertEqual((rows[POLICE]["rank"], rows[WEATHER]["rank"]), (1, 16))
		self.assertEqual({r["movement_label"] for r in data["classes"][1]["rows"]}, {"新"})
		# class C has no case yet: no ranks, no movement
		self.assertEqual({(r["rank"], r["movement_label"]) for r in data["classes"][2]["rows"]}, {(None, "")})

	def test_votes_count_once_the_quarters_survey_is_closed(self):
		with self.freeze_time(MID_MAY):
			make_survey_tallies(
				2024,
				2,
				{EDU: {"satisfied": 30, "fairly_satisfied": 10, "basically_satisfied": 5, "dissatisfied": 5}},
				close=False,
			)
			self.assertFalse(league_as(OFFICE)["votes_counted"], "an open survey's votes do not count yet")
			make_survey_tallies(2024, 2, {})  # close it (now, after the end of April)
			data = league_as(OFFICE)
		self.assertTrue(data["votes_counted"])
		votes = {EDU: scoring.VoteCounts(30, 10, 5, 5)}
		self.assert_matches_the_pure_module(
			data, ("2024-04-01", "2024-07-01"), ("2024-04-01", "2024-05-01"), votes
		)
		rows = rows_of(data)
		# §11 E1: 82.00 for 教育局, the class mean for the other class-A units; class B has no votes
		self.assertEqual((rows[EDU]["satisfaction"], rows[EDU]["satisfaction_source"]), ("82.00", "企业投票"))
		self.assertEqual(
			(rows[JUSTICE]["satisfaction"], rows[JUSTICE]["satisfaction_source"]), ("82.00", "同类平均")
		)
		self.assertEqual(rows[JUSTICE]["score"], "84.10")  # 0.7 × 85 + 0.3 × 82
		self.assertEqual(rows[EDU]["score"], "73.60")  # 0.7 × 70 + 0.3 × 82
		self.assertEqual(rows[FGW]["score"], "78.85")  # their mean
		self.assertEqual((rows[POLICE]["satisfaction"], rows[POLICE]["score"]), (None, "80.00"))

	def test_in_a_quarters_first_month_the_movement_compares_with_the_previous_quarter(self):
		make_slip_scores("2024-07-05 10:00:00", {JUSTICE: [95]})
		with self.freeze_time("2024-07-10 10:00:00"):
			data = league_as(OFFICE)
		self.assertEqual((data["year"], data["quarter"]), (2024, 3))
		self.assertEqual(data["compared_label"], "名次变化：与 2024 年 6 月底相比")
		self.assert_matches_the_pure_module(data, ("2024-07-01", "2024-10-01"), ("2024-04-01", "2024-07-01"))
		rows = rows_of(data)
		# Q2 as it ended: 司法局 1st (85), the substituted units 2nd, 教育局 14th; July: everyone ties at 95
		self.assertEqual({r["rank"] for r in data["classes"][0]["rows"]}, {1})
		self.assertEqual(
			(rows[JUSTICE]["movement_label"], rows[FGW]["movement_label"], rows[EDU]["movement_label"]),
			("—", "↑1", "↑13"),
		)
		self.assertEqual(data["classes"][1]["ranked"], False)

	def test_a_department_sees_its_own_row_only(self):
		with self.freeze_time(MID_MAY):
			office = rows_of(league_as(OFFICE))
			data = league_as(FGW_USER)
		self.assertEqual(data["own_unit"], FGW)
		self.assertEqual([g["assessment_class"] for g in data["classes"]], ["A"])
		self.assertEqual([r["unit"] for r in data["classes"][0]["rows"]], [FGW])
		self.assertEqual(data["classes"][0]["rows"][0], office[FGW])
		self.assertEqual(data["classes"][0]["class_size"], 14)

	def test_leaders_and_the_efficiency_office_see_every_class(self):
		with self.freeze_time(MID_MAY):
			office = league_as(OFFICE)
			for user in (LEADER, EFFICIENCY):
				self.assertEqual(league_as(user)["classes"], office["classes"], user)

	def test_parks_and_enterprises_are_refused(self):
		enterprise = make_enterprise_user("league-ent@whistle.localhost")
		for user in (PARK, enterprise):
			with self.assertRaises(frappe.PermissionError, msg=user):
				league_as(user)

	def test_one_class_and_unknown_classes(self):
		with self.freeze_time(MID_MAY):
			data = league_as(OFFICE, assessment_class="B")
			self.assertEqual([g["assessment_class"] for g in data["classes"]], ["B"])
			self.assertEqual(rows_of(data), {r["unit"]: r for r in league_as(OFFICE)["classes"][1]["rows"]})
			self.assert_refused(lambda: league_as(OFFICE, assessment_class="D"), "D", BoardFilterError)

	def test_queries_do_not_grow_with_the_slip_scores(self):
		with self.freeze_time(MID_MAY):
			league_as(OFFICE)  # warm the caches
			with counted_queries() as before:
				league_as(OFFICE)
			make_slip_scores(
				"2024-05-12 10:00:00", {u: [88, 77] for u in (EDU, JUSTICE, FGW, POLICE, "供电公司")}
			)
			with counted_queries() as after:
				league_as(OFFICE)
		self.assertEqual(len(before), len(after), "\n".join(after))
		self.assertLess(len(after), 12, "\n".join(after))
