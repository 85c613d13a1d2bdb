"""The demo's evaluated past year (issue #9, ``demo.ensure_demo_evaluation``): every reporting unit,
whistles through the real workflow, surveys, final quarterly and annual evaluations; idempotent.

2023 is used because the default rating forms start on 2023-05-08: its first quarter shows what
happens before the mechanism started (no case, no ranking). Everything is rolled back.
"""

import frappe

from tests.base import WhistleTestCase
from whistle_app import evaluation as ev
from whistle_app.dev import demo
from whistle_app.rules import lifecycle as lc
from whistle_app.rules import scoring
from whistle_app.rules import survey as sv

YEAR = 2023


def year_slips() -> list[str]:
	return frappe.get_all("Whistle Slip", filters={"title": ("like", f"示例（{YEAR}年%")}, pluck="name")


def year_scores() -> list[frappe._dict]:
	return frappe.get_all(
		"Whistle Slip Score",
		filters={"closed_on": ("between", [f"{YEAR}-01-01", f"{YEAR}-12-31 23:59:59"])},
		fields=["name", "slip", "department", "slip_score", "park_rating", "rating_complete", "closed_on"],
	)


class TestDemoEvaluation(WhistleTestCase):
	def test_a_past_year_evaluated_for_every_unit(self):
		self.assertEqual(demo.ensure_demo_evaluation(YEAR), "AE-2023")
		units = ev.assessed_units()
		self.assertEqual(len(units), 40)
		annual = frappe.get_doc(ev.ANNUAL, "AE-2023")
		self.assertEqual(annual.status, ev.FINAL)
		self.assertEqual({r.whistle_unit for r in annual.units}, {u.name for u in units})
		for code in "ABC":
			positions = sorted(r.final_position for r in annual.units if r.assessment_class == code)
			self.assertEqual(positions, list(range(1, len(positions) + 1)), code)

		quarters = {q: frappe.get_doc(ev.QUARTERLY, ev.quarterly_name(YEAR, q)) for q in (1, 2, 3, 4)}
		self.assertEqual({q.status for q in quarters.values()}, {ev.FINAL})
		# no rating form before 2023-05-08: the first quarter has no case and no ranking
		self.assertEqual(quarters[1].counted_cases, 0)
		self.assertFalse(any(r.class_ranked for r in quarters[1].units))
		for q in (2, 3, 4):
			self.assertTrue(all(r.class_ranked for r in quarters[q].units), q)
			self.assertGreater(quarters[q].counted_cases, 40, q)
			self.assertEqual(quarters[q].survey_status, sv.CLOSED, q)
			survey = frappe.get_doc("Satisfaction Survey", sv.survey_name(YEAR, q))
			self.assertEqual({t.whistle_unit for t in survey.tallies}, {u.name for u in units}, q)
			# the stored rows use the survey's votes: satisfaction from votes for every unit
			self.assertEqual({r.satisfaction_source for r in quarters[q].units}, {"Votes"}, q)
		# some units had no case in some quarter: they took the class average
		self.assertTrue(any(r.substituted for q in (2, 3, 4) for r in quarters[q].units))

		# the whistles went through the workflow and were closed in their quarter, rated by their park
		slips = frappe.get_all(
			"Whistle Slip",
			filters={"name": ("in", year_slips())},
			fields=["name", "workflow_state", "closed_on", "whistle_unit"],
		)
		self.assertEqual(len(slips), 10)  # Q2: the two after 2023-05-08; Q3 and Q4: four each
		self.assertEqual({s.workflow_state for s in slips}, {lc.CLOSED})
		for s in slips:
			self.assertEqual(s.closed_on.year, YEAR)
			rating = frappe.get_all(
				"Whistle Rating",
				filters={"slip": s.name, "docstatus": 1},
				fields=["rated_department", "total"],
			)
			self.assertEqual(len(rating), 1, s.name)
			own = frappe.get_doc("Whistle Slip Score", f"{s.name}-{rating[0].rated_department}")
			self.assertEqual(own.park_rating, rating[0].total)
			self.assertEqual(own.slip_score, rating[0].total)
			self.assertGreater(len(frappe.get_all("Whistle Slip State Log", {"parent": s.name})), 6)

		# every score is complete, closed with its whistle, and counted in its quarter's evaluation
		scores = year_scores()
		closed = {s.name: s.closed_on for s in slips}
		for score in scores:
			self.assertEqual((score.rating_complete, score.closed_on), (1, closed[score.slip]), score.name)
			self.assertTrue(50 <= score.slip_score <= 100, score.name)
		for q in (2, 3, 4):
			in_quarter = [s for s in scores if scoring.quarter_of(s.closed_on.date()) == (YEAR, q)]
			self.assertEqual(quarters[q].counted_cases, len(in_quarter), q)

	def test_running_it_again_changes_nothing(self):
		demo.ensure_demo_evaluation(YEAR)
		counts = {
			"slips": len(year_slips()),
			"scores": len(year_scores()),
			"ratings": frappe.db.count("Whistle Rating", {"slip": ("in", year_slips())}),
			"surveys": frappe.db.count("Satisfaction Survey", {"year": YEAR}),
		}
		modified = frappe.db.get_value(ev.ANNUAL, "AE-2023", "modified")
		self.assertEqual(demo.ensure_demo_evaluation(YEAR), "AE-2023")
		self.assertEqual(
			counts,
			{
				"slips": len(year_slips()),
				"scores": len(year_scores()),
				"ratings": frappe.db.count("Whistle Rating", {"slip": ("in", year_slips())}),
				"surveys": frappe.db.count("Satisfaction Survey", {"year": YEAR}),
			},
		)
		self.assertEqual(frappe.db.get_value(ev.ANNUAL, "AE-2023", "modified"), modified)
