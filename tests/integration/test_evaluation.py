"""Quarterly and annual evaluation, reports, Snail Award and annual consequences (RULES §7–§9, #8).

A year (2025) of activity: a few slips through the real workflow (rated, one co-department, one
closed after the quarter it was completed in, one excluded from assessment) and, for the units
without demo users, slip scores as closure leaves them; surveys with office tallies. The stored
evaluations and the reports must equal the pure module's computation on the same data.
"""

import csv
import io
from collections import defaultdict
from decimal import Decimal
from unittest.mock import patch

import frappe
from frappe.desk.query_report import run as run_report

from tests.base import WhistleTestCase
from tests.factory import (
	as_user,
	closed_slip,
	evaluate_as_office,
	make_published_bulletin,
	make_slip_scores,
	make_survey,
	make_survey_tallies,
)
from whistle_app import evaluation as ev
from whistle_app.calendar import current_date
from whistle_app.rules import scoring
from whistle_app.rules.scoring import AnnualInput, QuarterInput, VoteCounts

OFFICE = "office@whistle.localhost"
EFFICIENCY = "efficiency@whistle.localhost"
LEADER = "leader@whistle.localhost"
FGW_USER = "fgw@whistle.localhost"
ZJJ_USER = "zjj@whistle.localhost"
PARK = "park1@whistle.localhost"

FGW, ZJJ, POLICE, POWER = "发展和改革委", "住房和城乡建设局", "公安分局", "供电公司"
YEAR = 2025
AFTER_YEAR = "2026-01-05 10:00:00"  # a Monday; 2026-01-04 (Sunday) is the first working day

# slip scores written directly (closure leaves them so), per quarter: closed_on, {unit: [scores]}
FACTORY_SCORES = {
	1: (
		"2025-03-15 10:00:00",
		{
			"教育局": [90, 86],
			"工业和科技创新局": [85],
			"司法局": [95, 93, 91],
			"财政局": [80],
			"医药高新区税务局": [88],
			"高港区税务局": [80],
		},
	),
	2: (
		"2025-05-20 10:00:00",
		{
			"教育局": [84],
			"司法局": [89],
			"财政局": [91, 87],
			"商务局": [78],
			"气象局": [60],
			"邮政管理局": [70],
			POWER: [77],
			"移动公司": [83],
		},
	),
	3: ("2025-08-20 10:00:00", {"教育局": [88], "司法局": [90], ZJJ: [62], FGW: [86], "交警高港大队": [70]}),
	4: (
		"2025-11-20 10:00:00",
		{
			"教育局": [92],
			"司法局": [80, 85],
			ZJJ: [65],
			FGW: [89, 91],
			"行政审批局": [88],
			"气象局": [75],
			"医保分局": [85],
			POWER: [90],
			"联通公司": [80],
		},
	),
}
# office tallies of the closed surveys (no survey at all in Q3 and Q4 for classes A/B)
SURVEYS = {
	1: {
		FGW: VoteCounts(30, 10, 5, 5),
		"教育局": VoteCounts(20),
		ZJJ: VoteCounts(5, 5, 5, 5),
		"医药高新区税务局": VoteCounts(10, 0, 0, 10),
	},
	2: {"司法局": VoteCounts(8, 2), ZJJ: VoteCounts(1, 1, 1, 1)},
	4: {POWER: VoteCounts(3, 1)},
}
# the scores the real workflow must produce (checked against its Whistle Slip Score rows)
REAL_SCORES = {1: {FGW: [92, 88], ZJJ: [67]}, 2: {ZJJ: [75]}, 3: {POLICE: [95]}}
EXCLUDED = {2: {FGW: 1}}


def assessed() -> dict[str, list[frappe._dict]]:
	"""The assessed units per class, read independently of the module under test."""
	units = frappe.get_all(
		"Whistle Unit",
		filters={"unit_type": "Reporting Unit", "enabled": 1, "assessment_class": ("in", ["A", "B", "C"])},
		fields=["name", "assessment_class", "display_order"],
		order_by="display_order asc, name asc",
	)
	by_class = defaultdict(list)
	for unit in units:
		by_class[unit.assessment_class].append(unit)
	return by_class


def expected_quarter(quarter: int, scores: dict, votes: dict) -> dict[str, scoring.QuarterResult]:
	results = {}
	for units in assessed().values():
		inputs = [
			QuarterInput(u.name, scores.get(u.name, []), votes.get(u.name, VoteCounts())) for u in units
		]
		results.update({r.unit: r for r in scoring.quarter_scores(inputs)})
	return results


def near(a, b, places: int = 6) -> bool:
	return abs(float(a or 0) - float(b or 0)) < 10**-places


class EvaluationTestCase(WhistleTestCase):
	def assert_quarter_matches(self, name: str, expected: dict[str, scoring.QuarterResult], excluded=None):
		doc = frappe.get_doc(ev.QUARTERLY, name)
		self.assertEqual({row.whistle_unit for row in doc.units}, set(expected))
		for row in doc.units:
			exp = expected[row.whistle_unit]
			label = f"{name} {row.whistle_unit}"
			self.assertEqual(row.cases, exp.cases, label)
			self.assertEqual(row.excluded_cases, (excluded or {}).get(row.whistle_unit, 0), label)
			self.assertTrue(near(row.slip_sum, exp.slip_sum), label)
			self.assertTrue(near(row.slip_avg, exp.slip_avg), label)
			self.assertEqual(row.vote_total, exp.vote_total, label)
			self.assertTrue(near(row.satisfaction, exp.satisfaction), label)
			self.assertEqual(row.satisfaction_source, ev.SOURCE_OPTIONS[exp.satisfaction_source], label)
			self.assertTrue(near(row.class_average, exp.class_average), label)
			self.assertEqual(bool(row.substituted), exp.substituted, label)
			self.assertTrue(near(row.quarter_score, exp.quarter_score), label)
			self.assertEqual(Decimal(str(row.quarter_score_rounded)), exp.quarter_score_rounded or 0, label)
			self.assertEqual(row.rank, exp.rank or 0, label)
			self.assertEqual(bool(row.is_last), exp.is_last, label)
			self.assertEqual(bool(row.class_ranked), exp.class_ranked, label)
		return doc


class TestYearOfActivity(EvaluationTestCase):
	def make_year(self) -> tuple[dict, dict]:
		"""The 2025 activity; returns ({quarter: {unit: [counted scores]}}, {quarter: votes})."""
		f = self.freeze_time
		closed_slip(f, "2025-02-10", [(FGW, "Sole")], {FGW: 92})
		self.multi = closed_slip(f, "2025-03-10", [(FGW, "Lead"), (ZJJ, "Co")], {FGW: 88, ZJJ: 70}, {ZJJ: 60})
		# completed and rated in Q1, closed on the first day of Q2: counts in Q2 (§5 [decision])
		self.late = closed_slip(f, "2025-03-28", [(ZJJ, "Sole")], {ZJJ: 75}, closed_on="2025-04-01 09:30:00")
		# rated 40, then excluded from assessment by a District Leader: left out everywhere (§3.1)
		self.excluded = closed_slip(f, "2025-05-12", [(FGW, "Sole")], {FGW: 40}, exclude=True)
		closed_slip(f, "2025-08-11", [(POLICE, "Sole")], {POLICE: 95})
		for closed_on, scores in FACTORY_SCORES.values():
			make_slip_scores(closed_on, scores)
		with f("2025-12-20 10:00:00"):
			for quarter, votes in SURVEYS.items():
				make_survey_tallies(YEAR, quarter, votes)

		counted = {q: defaultdict(list) for q in (1, 2, 3, 4)}
		for q, (_closed_on, scores) in FACTORY_SCORES.items():
			for unit, values in scores.items():
				counted[q][unit].extend(values)
		for q, scores in REAL_SCORES.items():
			for unit, values in scores.items():
				counted[q][unit].extend(values)
		return counted, {q: SURVEYS.get(q, {}) for q in (1, 2, 3, 4)}

	def test_a_year_evaluated_equals_the_pure_computation(self):
		counted, votes = self.make_year()
		# the real path wrote the expected slip scores (E3 for the co-department: 0.7 × 70 + 0.3 × 60)
		self.assertEqual(
			frappe.db.get_value("Whistle Slip Score", {"slip": self.multi, "department": ZJJ}, "slip_score"),
			67,
		)
		self.assertEqual(
			str(frappe.db.get_value("Whistle Slip Score", {"slip": self.late}, "closed_on")),
			"2025-04-01 09:30:00",
		)
		self.assertEqual(
			frappe.db.get_value("Whistle Slip Score", {"slip": self.excluded}, "excluded_from_assessment"), 1
		)

		with self.freeze_time(AFTER_YEAR):
			# the office evaluates Q1 and Q2 on demand; the daily job does Q3, Q4 and then the year
			self.assertEqual(evaluate_as_office(YEAR, 1), "QE-2025-Q1")
			self.assertEqual(evaluate_as_office(YEAR, 2), "QE-2025-Q2")
			summary = ev.evaluate_due_periods()
			self.assertEqual(summary, {"evaluated": ["QE-2025-Q3", "QE-2025-Q4", "AE-2025"], "failed": []})

		expected = {q: expected_quarter(q, counted[q], votes[q]) for q in (1, 2, 3, 4)}
		for q in (1, 2, 3, 4):
			doc = self.assert_quarter_matches(f"QE-{YEAR}-Q{q}", expected[q], EXCLUDED.get(q))
			self.assertEqual(doc.status, ev.DRAFT)
			self.assertEqual(doc.counted_cases, sum(len(v) for v in counted[q].values()))
		q1 = frappe.get_doc(ev.QUARTERLY, "QE-2025-Q1")
		self.assertEqual((q1.survey, q1.survey_status), ("SV-2025-Q1", "Closed"))
		self.assertEqual(frappe.get_doc(ev.QUARTERLY, "QE-2025-Q2").excluded_cases, 1)
		self.assertIsNone(frappe.get_doc(ev.QUARTERLY, "QE-2025-Q3").survey)
		# C had no case in Q1: unranked; ZJJ last in class A every quarter
		self.assertFalse(any(expected[1][u.name].class_ranked for u in assessed()["C"]))
		self.assertTrue(all(expected[q][ZJJ].is_last for q in (1, 2, 3, 4)))

		# the annual evaluation (§8) equals the pure computation over the pure quarter scores
		annual = frappe.get_doc(ev.ANNUAL, "AE-2025")
		self.assertEqual((annual.status, annual.uplift_baseline), (ev.DRAFT, ev.BASELINE_CLASS))
		rows = {row.whistle_unit: row for row in annual.units}
		for code, units in assessed().items():
			results = scoring.annual_scores(
				[
					AnnualInput(
						u.name,
						{
							q: expected[q][u.name].quarter_score_exact
							if expected[q][u.name].class_ranked
							else None
							for q in expected
						},
						{q: expected[q][u.name].cases for q in expected},
						0,
						u.display_order,
					)
					for u in units
				]
			)
			for r in results:
				row, label = rows[r.unit], f"AE {r.unit}"
				self.assertEqual(row.assessment_class, code)
				self.assertEqual(
					(row.position, row.final_position), (r.position or 0, r.final_position or 0), label
				)
				self.assertEqual((row.cases, row.uplift_percent), (r.cases, r.uplift_percent), label)
				self.assertTrue(near(row.avg_cases, r.avg_cases) and near(row.base, r.base), label)
				self.assertTrue(near(row.annual_score, r.annual_score), label)
				self.assertEqual(Decimal(str(row.annual_score_rounded)), r.annual_score_rounded or 0, label)
				self.assertEqual(bool(row.substituted), r.substituted, label)
				self.assertEqual(row.quarters_counted, "、".join(map(str, r.ranked_quarters)), label)
		self.assertEqual(rows[ZJJ].final_position, 14)
		self.assertTrue(rows[ZJJ].is_last)
		self.assertEqual((rows[ZJJ].principal_leader, rows[ZJJ].deputy_leader), ("周示例", "吴示例"))

		self.check_reports(expected)
		self.check_idempotent_and_final()

	def check_reports(self, expected):
		frappe.set_user(OFFICE)
		result = run_report("Quarterly Ranking", {"year": YEAR, "quarter": "1", "assessment_class": "A"})
		data = result["result"]
		self.assertEqual(len(data), 14)
		self.assertEqual([row["rank"] for row in data], sorted(row["rank"] for row in data))
		for row in data:
			exp = expected[1][row["whistle_unit"]]
			self.assertEqual(row["rank"], exp.rank)
			self.assertEqual(Decimal(str(row["quarter_score"])), exp.quarter_score_rounded)
			self.assertEqual(bool(row["is_last"]), exp.is_last)
		self.assertEqual(len(result["chart"]["data"]["labels"]), 14)
		self.assertIn("季度得分", [c["label"] for c in result["columns"]])

		# drill-down: the slip scores behind each row add up to its cases and sum
		for q in (1, 2, 3, 4):
			for row in frappe.get_doc(ev.QUARTERLY, f"QE-{YEAR}-Q{q}").units:
				if not row.cases and not row.excluded_cases:
					continue
				filters = {"year": YEAR, "quarter": str(q), "whistle_unit": row.whistle_unit}
				detail = run_report("Evaluation Slip Scores", filters)
				scores = [r["slip_score"] for r in detail["result"]]
				self.assertEqual(len(scores), row.cases)
				self.assertAlmostEqual(sum(scores), row.slip_sum, places=6)
				self.assertEqual(detail["report_summary"][-1]["value"], "一致")
				with_excluded = run_report("Evaluation Slip Scores", {**filters, "include_excluded": 1})
				self.assertEqual(len(with_excluded["result"]), row.cases + row.excluded_cases)
		detail = run_report(
			"Evaluation Slip Scores",
			{"year": YEAR, "quarter": "2", "whistle_unit": FGW, "include_excluded": 1},
		)
		self.assertEqual(
			[(r["slip"], r["slip_score"], r["counted"]) for r in detail["result"]], [(self.excluded, 40, 0)]
		)

		annual = run_report("Annual Ranking", {"year": YEAR, "assessment_class": "A"})["result"]
		self.assertEqual([row["final_position"] for row in annual], list(range(1, 15)))
		self.assertEqual(annual[-1]["whistle_unit"], ZJJ)

		card = run_report("Unit Scorecard", {"year": YEAR, "whistle_unit": ZJJ})["result"]
		by_item = {row["item"]: row for row in card}
		self.assertEqual([by_item["办件量"][f"q{q}"] for q in (1, 2, 3, 4)], ["1", "1", "1", "1"])
		self.assertEqual(by_item["排名/同类单位数"]["q1"], "14 / 14")
		self.assertEqual(by_item["得分"]["q1"], "64.90")

		consequences = run_report("Annual Consequences", {"year": YEAR, "assessment_class": "A"})["result"]
		last = [row for row in consequences if row["whistle_unit"] == ZJJ]
		self.assertEqual(
			[(row["role"], row["person"], row["bonus_deduction"]) for row in last if row["bonus_deduction"]],
			[
				("主要领导", "周示例", "1/2"),
				("分管领导", "吴示例", "1/3"),
				("具体责任人", "郑示例（建管科）", "1/4"),
			],
		)
		self.assertEqual({row["last_years"] for row in last}, {1})
		first = [row["consequence"] for row in consequences if row["final_position"] == 1]
		self.assertEqual(first, ["年度考核结果纳入区级机关部门综合绩效考核"])
		frappe.set_user("Administrator")

	def check_idempotent_and_final(self):
		def state():
			names = [f"QE-{YEAR}-Q{q}" for q in (1, 2, 3, 4)] + ["AE-2025"]
			return {
				name: (
					frappe.db.get_value(
						ev.QUARTERLY if name.startswith("QE") else ev.ANNUAL, name, "modified"
					),
					[
						tuple(r.as_dict(no_default_fields=True).values())
						for r in frappe.get_doc(
							ev.QUARTERLY if name.startswith("QE") else ev.ANNUAL, name
						).units
					],
				)
				for name in names
			}

		before = state()
		with self.freeze_time("2026-01-06 10:00:00"):
			for q in (1, 2, 3, 4):
				evaluate_as_office(YEAR, q)
			evaluate_as_office(YEAR)
			self.assertEqual(ev.evaluate_due_periods()["failed"], [])
		self.assertEqual(state(), before, "re-running a period with the same data changes nothing")

		# a late change (an extra score in Q1) is picked up by the draft; after finalising, no more
		with self.freeze_time("2026-01-07 10:00:00"):
			make_slip_scores("2025-03-20 10:00:00", {"国资办": [70]})
			evaluate_as_office(YEAR, 1)
			self.assertEqual(
				frappe.db.get_value(
					ev.QUARTERLY_ROW, {"parent": "QE-2025-Q1", "whistle_unit": "国资办"}, "cases"
				),
				1,
			)
			for q in (1, 2, 3, 4):
				evaluate_as_office(YEAR, q, finalise=True)
			evaluate_as_office(YEAR, finalise=True)
			final = state()
			make_slip_scores("2025-03-21 10:00:00", {"国资办": [10]})
			evaluate_as_office(YEAR, 1)
			evaluate_as_office(YEAR)
			self.assertEqual(ev.evaluate_due_periods(), {"evaluated": [], "failed": []})
		self.assertEqual(state(), final, "a final evaluation never changes")
		self.assertEqual(frappe.db.get_value(ev.ANNUAL, "AE-2025", "status"), ev.FINAL)

		# §9: ZJJ was last in Q1–Q4: proposed for Q2, Q3 and Q4 (Q1: no 2024-Q4 evaluation)
		awards = frappe.get_all(
			ev.SNAIL_AWARD,
			filters={"year": YEAR},
			fields=["name", "whistle_unit", "quarter", "status"],
			order_by="quarter",
		)
		self.assertEqual(
			[(a.whistle_unit, a.quarter, a.status) for a in awards],
			[(ZJJ, "2", ev.PROPOSED), (ZJJ, "3", ev.PROPOSED), (ZJJ, "4", ev.PROPOSED)],
		)
		award = frappe.get_doc(ev.SNAIL_AWARD, awards[0].name)
		self.assertEqual(
			(award.quarterly_evaluation, award.previous_evaluation), ("QE-2025-Q2", "QE-2025-Q1")
		)
		self.assertEqual((award.rank, award.class_size, award.previous_rank), (14, 14, 14))


class TestSnailAward(EvaluationTestCase):
	"""§9 and §11 E9 across the year end: last in 2025-Q4 and 2026-Q1, a tie for last place."""

	def two_quarters(self, bulletins: bool = False):
		make_slip_scores("2025-11-10 10:00:00", {"教育局": [90], "司法局": [70], "财政局": [70], FGW: [85]})
		make_slip_scores("2026-02-10 10:00:00", {"教育局": [95], "司法局": [60], "财政局": [60], FGW: [60]})
		with self.freeze_time("2026-04-08 10:00:00"):
			if bulletins:
				make_published_bulletin(2025, 12, ["司法局"])
				make_published_bulletin(2026, 3, ["司法局", "财政局"])
			evaluate_as_office(2025, 4, finalise=True)
			self.assertEqual(frappe.get_all(ev.SNAIL_AWARD), [], "one last place is not two in a row")
			evaluate_as_office(2026, 1, finalise=True)
		return frappe.get_all(
			ev.SNAIL_AWARD,
			filters={"year": 2026, "quarter": "1"},
			fields=["name", "whistle_unit"],
			order_by="name",
		)

	def test_proposed_for_the_tie_at_last_place_with_evidence(self):
		awards = self.two_quarters(bulletins=True)
		# Q4: 司法局 and 财政局 tied last; Q1: 司法局, 财政局 and FGW tied last → the two in both
		self.assertEqual([a.whistle_unit for a in awards], ["司法局", "财政局"])
		award = frappe.get_doc(ev.SNAIL_AWARD, awards[0].name)
		self.assertEqual(award.status, ev.PROPOSED)
		self.assertEqual((award.year, award.quarter, award.assessment_class), (2026, "1", "A"))
		self.assertEqual(
			(award.quarterly_evaluation, award.previous_evaluation), ("QE-2026-Q1", "QE-2025-Q4")
		)
		self.assertEqual(award.naming_count, 2)
		self.assertEqual(len(award.bulletins), 2)
		# finalising again proposes nothing twice
		with self.freeze_time("2026-04-08 11:00:00"):
			evaluate_as_office(2026, 1, finalise=True)
			self.assertEqual(ev.propose_snail_awards(2026, 1), [])
		self.assertEqual(frappe.db.count(ev.SNAIL_AWARD), 2)

	def test_efficiency_office_confirms_or_rejects_with_a_reason(self):
		first, second = (a.name for a in self.two_quarters())
		for user in (OFFICE, FGW_USER, LEADER):
			self.assert_refused(
				lambda user=user: as_user(user, ev.decide_snail_award, first, ev.CONFIRM),
				"区效能办",
				frappe.PermissionError,
			)
		self.assert_refused(
			lambda: as_user(EFFICIENCY, ev.decide_snail_award, second, ev.REJECT, "  "), "理由"
		)
		self.assert_refused(lambda: as_user(EFFICIENCY, ev.decide_snail_award, second, "maybe"), "认定")
		self.assertEqual(as_user(EFFICIENCY, ev.decide_snail_award, first, ev.CONFIRM), ev.AWARDED)
		self.assertEqual(
			as_user(EFFICIENCY, ev.decide_snail_award, second, ev.REJECT, "排名受客观因素影响"),
			ev.NOT_AWARDED,
		)
		doc = frappe.get_doc(ev.SNAIL_AWARD, second)
		self.assertEqual((doc.decided_by, doc.decision_reason), (EFFICIENCY, "排名受客观因素影响"))
		self.assert_refused(
			lambda: as_user(EFFICIENCY, ev.decide_snail_award, first, ev.REJECT, "改判"), "已"
		)
		# a decided award never changes, not even for the administrator
		doc.decision_reason = "改写"
		self.assert_refused(doc.save, "不能修改", ev.EvaluationWriteError)
		self.assert_refused(
			lambda: frappe.delete_doc(ev.SNAIL_AWARD, first), "不能删除", ev.EvaluationWriteError
		)

	def test_who_sees_snail_awards(self):
		awards = self.two_quarters()
		self.assertEqual(len(as_user(EFFICIENCY, frappe.get_list, ev.SNAIL_AWARD)), 2)
		self.assertEqual(len(as_user(LEADER, frappe.get_list, ev.SNAIL_AWARD)), 2)
		self.assertEqual(as_user(FGW_USER, frappe.get_list, ev.SNAIL_AWARD), [])
		self.assertFalse(as_user(FGW_USER, frappe.has_permission, ev.SNAIL_AWARD, "read", awards[0].name))
		self.assertFalse(as_user(PARK, frappe.has_permission, ev.SNAIL_AWARD, "read", awards[0].name))


class TestAnnualPenaltyAndConsequences(EvaluationTestCase):
	def year_of_factory_scores(self, year: int, scores: dict[str, list[float]]):
		for month in (2, 5, 8, 11):
			make_slip_scores(f"{year}-{month:02}-10 10:00:00", scores)

	def test_bulletin_penalty_uses_published_namings(self):
		"""§11 E7 on the framework: 教育局 named in three published bulletins drops below 司法局."""
		self.year_of_factory_scores(2025, {"教育局": [95], "司法局": [90], "财政局": [88], FGW: [80]})
		with self.freeze_time(AFTER_YEAR):
			for month in (3, 6, 9):
				make_published_bulletin(2025, month, ["教育局"])
			make_published_bulletin(2025, 10, [FGW])
			for q in (1, 2, 3, 4):
				evaluate_as_office(2025, q)
			evaluate_as_office(2025)
		rows = {r.whistle_unit: r for r in frappe.get_doc(ev.ANNUAL, "AE-2025").units}
		self.assertEqual((rows["教育局"].namings, rows["教育局"].penalised), (3, 1))
		self.assertEqual((rows["教育局"].position, rows["教育局"].final_position), (1, 2))
		self.assertEqual((rows["司法局"].position, rows["司法局"].final_position), (2, 1))
		self.assertEqual((rows[FGW].namings, rows[FGW].penalised), (1, 0))

	def test_consecutive_last_years_from_earlier_final_annual_evaluations(self):
		for year in (2023, 2024, 2025):
			self.year_of_factory_scores(
				year, {"教育局": [95], ZJJ: [50], POLICE: [90], "气象局": [70], POWER: [80]}
			)
			with self.freeze_time(f"{year + 1}-01-10 10:00:00"):
				for q in (1, 2, 3, 4):
					evaluate_as_office(year, q, finalise=True)
				evaluate_as_office(year, finalise=year < 2025)
		self.assertEqual(ev.consecutive_last_years(2025, [ZJJ, "教育局"]), {ZJJ: 2, "教育局": 0})
		frappe.set_user(LEADER)
		data = run_report("Annual Consequences", {"year": 2025, "assessment_class": "A"})["result"]
		outcomes = [row["consequence"] for row in data if row["whistle_unit"] == ZJJ]
		self.assertIn("连续两年考核排名末位，部门分管负责人给予免职", outcomes)
		self.assertIn("连续三年考核排名末位，部门主要负责人引咎辞职", outcomes)
		self.assertEqual({row["last_years"] for row in data if row["whistle_unit"] == ZJJ}, {3})
		# class B: bottom three copied to the superior department; C likewise; no bonus outside class A
		data = run_report("Annual Consequences", {"year": 2025})["result"]
		b_codes = {row.get("code") for row in data if row["assessment_class"] == "B"}
		self.assertNotIn("bonus_deduction", b_codes)
		self.assertIn("copy_to_superior", b_codes)

	def test_uplift_baseline_over_all_assessed_units(self):
		self.year_of_factory_scores(2025, {"教育局": [90, 90], "司法局": [90], "公安分局": [90] * 4})
		frappe.db.set_single_value(ev.SETTINGS, "uplift_baseline", ev.BASELINE_ALL)
		with self.freeze_time(AFTER_YEAR):
			for q in (1, 2, 3, 4):
				evaluate_as_office(2025, q)
			evaluate_as_office(2025)
		doc = frappe.get_doc(ev.ANNUAL, "AE-2025")
		self.assertEqual(doc.uplift_baseline, ev.BASELINE_ALL)
		rows = {r.whistle_unit: r for r in doc.units}
		# 8 + 4 + 16 cases over the 40 assessed units: 0.7; every row compares with that
		self.assertAlmostEqual(doc.all_units_avg_cases, 0.7)
		self.assertEqual({r.avg_cases for r in doc.units}, {0.7})
		self.assertEqual((rows["教育局"].uplift_percent, rows["司法局"].uplift_percent), (5, 5))


class TestRulesOfTheGame(EvaluationTestCase):
	def test_only_the_office_evaluates_and_only_ended_periods(self):
		make_slip_scores("2026-02-10 10:00:00", {"教育局": [90]})
		with self.freeze_time("2026-03-31 10:00:00"):
			self.assert_refused(lambda: evaluate_as_office(2026, 1), "尚未结束", ev.EvaluationError)
		with self.freeze_time("2026-04-02 10:00:00"):
			for user in (FGW_USER, PARK, LEADER, EFFICIENCY):
				self.assert_refused(
					lambda user=user: as_user(user, ev.evaluate_now, 2026, 1),
					"区吹哨办",
					frappe.PermissionError,
				)
			self.assert_refused(lambda: evaluate_as_office(2026, 5), "不是有效的季度", ev.EvaluationError)
			self.assert_refused(lambda: evaluate_as_office(2026), "尚未结束", ev.EvaluationError)
			self.assertFalse(frappe.db.exists(ev.QUARTERLY, "QE-2026-Q1"))
			name = evaluate_as_office(2026, 1)
		doc = frappe.get_doc(ev.QUARTERLY, name)
		doc.units[0].quarter_score = 100
		self.assert_refused(doc.save, "系统计算", ev.EvaluationWriteError)
		self.assert_refused(
			lambda: frappe.get_doc({"doctype": ev.QUARTERLY, "year": 2024, "quarter": "1"}).insert(),
			"系统计算",
			ev.EvaluationWriteError,
		)
		with self.freeze_time("2026-04-02 11:00:00"):
			evaluate_as_office(2026, 1, finalise=True)
		self.assert_refused(
			lambda: frappe.delete_doc(ev.QUARTERLY, name), "不能删除", ev.EvaluationWriteError
		)
		with self.freeze_time("2026-07-02 10:00:00"):
			self.assert_refused(lambda: evaluate_as_office(2026), "尚未结束", ev.EvaluationError)

	def test_finalising_waits_for_the_survey_and_the_year_for_its_quarters(self):
		make_slip_scores("2025-02-10 10:00:00", {"教育局": [90]})
		make_survey(2025, 1, status="Voting")
		with self.freeze_time(AFTER_YEAR):
			evaluate_as_office(2025, 1)
			self.assertEqual(frappe.db.get_value(ev.QUARTERLY, "QE-2025-Q1", "survey_status"), "Voting")
			self.assert_refused(
				lambda: evaluate_as_office(2025, 1, finalise=True), "尚未关闭", ev.EvaluationError
			)
			self.assert_refused(lambda: evaluate_as_office(2025), "Q2、Q3、Q4", ev.EvaluationError)
			for q in (2, 3, 4):
				evaluate_as_office(2025, q, finalise=True)
			evaluate_as_office(2025)
			self.assert_refused(lambda: evaluate_as_office(2025, finalise=True), "Q1", ev.EvaluationError)

	def test_when_the_job_evaluates(self):
		make_slip_scores("2026-02-10 10:00:00", {"教育局": [90]})
		make_survey(2026, 1, status="Voting")
		with self.freeze_time("2026-04-01 08:00:00"):  # Wednesday, the first working day of Q2
			self.assertFalse(ev.quarter_due(2026, 1, current_date()), "the survey is still open")
		make_survey(2026, 1, status="Closed")
		with self.freeze_time("2026-03-31 20:00:00"):  # Q1 has not ended: the job looks at 2025-Q3/Q4
			self.assertEqual(ev.evaluate_due_periods()["evaluated"], ["QE-2025-Q3", "QE-2025-Q4"])
			self.assertFalse(frappe.db.exists(ev.QUARTERLY, "QE-2026-Q1"))
		with self.freeze_time("2026-04-01 08:00:00"):
			self.assertEqual(ev.evaluate_due_periods()["evaluated"], ["QE-2025-Q4", "QE-2026-Q1"])
			modified = frappe.db.get_value(ev.QUARTERLY, "QE-2026-Q1", "modified")
			self.assertEqual(
				ev.evaluate_due_periods()["evaluated"], ["QE-2025-Q4", "QE-2026-Q1"], "drafts kept fresh"
			)
			self.assertEqual(frappe.db.get_value(ev.QUARTERLY, "QE-2026-Q1", "modified"), modified)
		with self.freeze_time("2026-07-10 08:00:00"):  # now the last two quarters are 2026-Q1 and Q2
			self.assertEqual(ev.evaluate_due_periods()["evaluated"], ["QE-2026-Q1", "QE-2026-Q2"])
		# 2026-10-01…07 are National Day rest days: Q3 is due from Thursday 2026-10-08
		self.assertEqual(
			ev.first_working_day_after(scoring.quarter_bounds(2026, 3)[1]).isoformat(), "2026-10-08"
		)

	def test_scheduler_hook_and_long_queue(self):
		from whistle_app import hooks

		self.assertIn("whistle_app.evaluation.jobs.run_evaluation_job", hooks.scheduler_events["daily"])
		with patch("frappe.enqueue") as enqueue:
			ev.run_evaluation_job()
		args, kwargs = enqueue.call_args
		self.assertEqual(args[0], "whistle_app.evaluation.jobs.evaluate_due_periods")
		self.assertEqual((kwargs["queue"], kwargs["deduplicate"]), ("long", True))

	def test_departments_see_their_own_rows_only(self):
		make_slip_scores("2025-02-10 10:00:00", {FGW: [90], ZJJ: [80], "教育局": [70]})
		with self.freeze_time(AFTER_YEAR):
			evaluate_as_office(2025, 1)
		filters = {"year": 2025, "quarter": "1"}
		frappe.set_user(FGW_USER)
		rows = run_report("Quarterly Ranking", filters)["result"]
		self.assertEqual([(r["whistle_unit"], r["rank"]) for r in rows], [(FGW, 1)])
		self.assertRaises(frappe.PermissionError, frappe.get_list, ev.QUARTERLY)
		self.assertFalse(frappe.has_permission(ev.QUARTERLY, "read", "QE-2025-Q1"))
		detail = run_report("Evaluation Slip Scores", filters)["result"]
		self.assertEqual({r["department"] for r in detail}, {FGW})
		self.assertRaises(
			frappe.PermissionError, run_report, "Evaluation Slip Scores", {**filters, "whistle_unit": ZJJ}
		)
		self.assertRaises(
			frappe.PermissionError, run_report, "Unit Scorecard", {"year": 2025, "whistle_unit": ZJJ}
		)
		self.assertRaises(frappe.PermissionError, run_report, "Annual Consequences", {"year": 2025})
		frappe.set_user(PARK)
		self.assertRaises(frappe.PermissionError, run_report, "Quarterly Ranking", filters)
		frappe.set_user(LEADER)
		self.assertEqual(
			len(run_report("Quarterly Ranking", filters)["result"]), sum(len(u) for u in assessed().values())
		)

	def test_export_of_the_ranking(self):
		make_slip_scores("2025-02-10 10:00:00", {FGW: [90], "教育局": [70]})
		with self.freeze_time(AFTER_YEAR):
			evaluate_as_office(2025, 1)
		from frappe.desk.query_report import export_query

		form_dict, response = frappe.local.form_dict, frappe.local.response
		self.addCleanup(setattr, frappe.local, "form_dict", form_dict)  # later tests get their own
		self.addCleanup(setattr, frappe.local, "response", response)
		for user in (OFFICE, FGW_USER):
			frappe.set_user(user)
			frappe.local.form_dict = frappe._dict(
				report_name="Quarterly Ranking",
				file_format_type="CSV",
				filters=frappe.as_json({"year": 2025, "quarter": "1", "assessment_class": "A"}),
				visible_idx="[]",
			)
			export_query()
			text = frappe.response["filecontent"]
			text = text.decode("utf-8-sig") if isinstance(text, bytes) else text
			table = list(csv.reader(io.StringIO(text)))
			header = next(row for row in table if "季度得分" in row)
			units = [row[header.index("单位")] for row in table[table.index(header) + 1 :] if row]
			if user == FGW_USER:
				self.assertEqual(units, [FGW])
			else:
				self.assertEqual((len(units), units[0], units[-1]), (14, FGW, "教育局"))
