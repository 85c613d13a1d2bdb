"""Issue #16 point 7 on the site: quarter scores enter the annual evaluation exactly (RULES §8
[decision]), and the §8/§9 [decision]s on unranked classes and classes of one (RULES §7, §9).

Slip scores are written as closure leaves them (``make_slip_scores``) in 2024, a year without demo
activity; class A is cut down to the units of the case by disabling the others. Everything is
rolled back after each test.
"""

import frappe
from frappe.desk.query_report import run as run_report

from tests.base import WhistleTestCase
from tests.factory import evaluate_as_office, make_slip_scores
from whistle_app import evaluation as ev

YEAR = 2024
AFTER_YEAR = "2025-01-06 10:00:00"  # a Monday
A1, A2 = "教育局", "司法局"
CLOSED_ON = {
	1: "2024-02-20 10:00:00",
	2: "2024-05-20 10:00:00",
	3: "2024-08-20 10:00:00",
	4: "2024-11-20 10:00:00",
}
A2_QUARTER = [80.2, 80.3, 80.2, 80.3]
# the closest case to the example that needs exact quarter scores (see
# tests/unit/test_scoring_exact_annual.py for the hand computation): A1 80.255 → 80.26, A2 80.25
THIRDS = {
	1: {A1: [80, 80, 80.1], A2: A2_QUARTER},
	2: {A1: [80, 80, 80.1], A2: A2_QUARTER},
	3: {A1: [81, 81, 80.8], A2: A2_QUARTER},
	4: {A1: [80, 80, 80, 80, 80.1], A2: A2_QUARTER},
}


def keep_only_in_class_a(units: list[str]) -> None:
	"""Class A of this test is exactly ``units`` (the other class-A units are disabled)."""
	others = frappe.get_all(
		"Whistle Unit",
		filters={"assessment_class": "A", "enabled": 1, "name": ("not in", units)},
		pluck="name",
	)
	for name in others:
		frappe.db.set_value("Whistle Unit", name, "enabled", 0, update_modified=False)


def quarter_rows(q: int) -> dict:
	return {r.whistle_unit: r for r in frappe.get_doc(ev.QUARTERLY, f"QE-{YEAR}-Q{q}").units}


class TestExactAnnualScores(WhistleTestCase):
	def evaluate_year(
		self, scores: dict[int, dict[str, list[float]]], finalise: bool = False
	) -> frappe._dict:
		for q, by_unit in scores.items():
			make_slip_scores(CLOSED_ON[q], by_unit)
		with self.freeze_time(AFTER_YEAR):
			for q in (1, 2, 3, 4):
				evaluate_as_office(YEAR, q, finalise=finalise)
			evaluate_as_office(YEAR, finalise=finalise)
		return frappe._dict({r.whistle_unit: r for r in frappe.get_doc(ev.ANNUAL, f"AE-{YEAR}").units})

	def test_a1_ranks_first_with_80_26(self):
		keep_only_in_class_a([A1, A2])
		rows = self.evaluate_year(THIRDS)
		# the stored quarter shows 10 places; the annual evaluation used the exact thirds
		self.assertAlmostEqual(quarter_rows(1)[A1].quarter_score, 80.0333, places=4)
		a1, a2 = rows[A1], rows[A2]
		self.assertEqual((a1.cases, a2.cases, a1.uplift_percent, a2.uplift_percent), (14, 16, 0, 0))
		self.assertEqual((a1.final_position, a2.final_position), (1, 2))
		self.assertEqual((a1.annual_score_rounded, a2.annual_score_rounded), (80.26, 80.25))
		self.assertAlmostEqual(a1.annual_score, 80.255, places=9)
		self.assertEqual((a1.is_last, a2.is_last), (0, 1))

		frappe.set_user("office@whistle.localhost")
		ranking = run_report("Annual Ranking", {"year": YEAR, "assessment_class": "A"})["result"]
		self.assertEqual(
			[(r["final_position"], r["whistle_unit"], r["annual_score"]) for r in ranking],
			[(1, A1, 80.26), (2, A2, 80.25)],
		)

	def test_a_class_without_any_case_in_the_year_has_no_ranking_and_no_outcome(self):
		keep_only_in_class_a([A1, A2])
		rows = self.evaluate_year(THIRDS)
		for code in ("B", "C"):
			class_rows = [r for r in rows.values() if r.assessment_class == code]
			self.assertTrue(class_rows, code)
			for r in class_rows:
				label = f"{code} {r.whistle_unit}"
				self.assertEqual(
					(r.class_ranked, r.position, r.final_position, r.is_last), (0, 0, 0, 0), label
				)
				self.assertEqual(r.annual_score_rounded, 0, label)
		frappe.set_user("office@whistle.localhost")
		outcomes = run_report("Annual Consequences", {"year": YEAR})["result"]
		self.assertEqual({r["assessment_class"] for r in outcomes if r.get("whistle_unit")}, {"A"})
		ranking = run_report("Annual Ranking", {"year": YEAR, "assessment_class": "C"})["result"]
		self.assertTrue(ranking)
		self.assertEqual({(r["final_position"], r["annual_score"]) for r in ranking}, {(None, None)})

	def test_a_class_of_one_ranked_unit_has_no_last_place(self):
		keep_only_in_class_a([A1])
		rows = self.evaluate_year({q: {A1: [40]} for q in (1, 2, 3, 4)}, finalise=True)
		for q in (1, 2, 3, 4):
			row = quarter_rows(q)[A1]
			self.assertEqual((row.class_size, row.rank, row.is_last), (1, 1, 0), q)
		self.assertEqual((rows[A1].final_position, rows[A1].is_last), (1, 0))
		self.assertEqual(frappe.get_all(ev.SNAIL_AWARD, filters={"year": YEAR}), [])
		frappe.set_user("office@whistle.localhost")
		outcomes = run_report("Annual Consequences", {"year": YEAR, "assessment_class": "A"})["result"]
		mine = [r for r in outcomes if r.get("whistle_unit") == A1]
		self.assertTrue(mine)
		self.assertEqual({r.get("last_years") for r in mine}, {0})
		self.assertEqual({r.get("code") for r in mine}, {"export_to_performance", "no_first_prize"})
