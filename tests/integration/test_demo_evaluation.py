"""The demo's evaluated past year (issues #9, #25, ``demo_evaluation.ensure_demo_evaluation``): every
reporting unit, every counted case a real whistle of that unit with its real park rating, surveys,
final quarterly and annual evaluations; idempotent. A slip score exists only for a department on the
slip and a rating that exists, and the evaluation refuses anything else with the whistle named.

2023 is used because the default rating forms start on 2023-05-08: its first quarter shows what
happens before the mechanism started (no case, no ranking). Everything is rolled back.
"""

import frappe
from frappe.desk.query_report import run as run_report

from tests.base import WhistleTestCase
from tests.factory import as_user, evaluate_as_office, make_slip, make_slip_scores
from whistle_app import evaluation as ev
from whistle_app import league
from whistle_app.calendar import current_date
from whistle_app.dev import demo_evaluation as de
from whistle_app.dev.demo_chains import ensure_demo_chains
from whistle_app.evaluation.common import EvaluationError
from whistle_app.rules import fairness, scoring
from whistle_app.rules import lifecycle as lc
from whistle_app.rules import ratings as rr
from whistle_app.rules import survey as sv
from whistle_app.whistle.doctype.whistle_slip_score.whistle_slip_score import SlipScoreIntegrityError
from whistle_app.whistle.report.annual_consequences import annual_consequences as consequences

YEAR = 2023
FGW_USER = "fgw@whistle.localhost"
LEADER_USER = "leader@whistle.localhost"


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
		ensure_demo_chains()  # as the demo does: every unit's chain, fictional names
		self.assertEqual(de.ensure_demo_evaluation(YEAR), "AE-2023")
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
			self.assertEqual({r.satisfaction_source for r in quarters[q].units}, {"Votes"}, q)
		self.assertTrue(any(r.substituted for q in (2, 3, 4) for r in quarters[q].units))

		# the replayed whistles went through the workflow; every whistle is closed in its year,
		# numbered in it, and rated by its park
		slips = frappe.get_all(
			"Whistle Slip",
			filters={"name": ("in", year_slips())},
			fields=["name", "title", "workflow_state", "closed_on", "whistle_unit"],
		)
		# last changed when they closed, as on a site that lived through the year: below the
		# current work in every list sorted by last change; filed in their year (12-month charts)
		times = frappe.get_all(
			"Whistle Slip",
			filters={"name": ("in", year_slips())},
			fields=["name", "creation", "modified", "dispatched_on", "closed_on"],
		)
		self.assertEqual({t.name: t.modified for t in times}, {t.name: t.closed_on for t in times})
		self.assertEqual({t.name: t.creation for t in times}, {t.name: t.dispatched_on for t in times})
		replayed = [s for s in slips if not s.title.endswith("）")]
		self.assertEqual(len(replayed), 10)  # Q2: the two after 2023-05-08; Q3 and Q4: four each
		self.assertEqual({s.workflow_state for s in slips}, {lc.CLOSED})
		for s in replayed:
			self.assertGreater(len(frappe.get_all("Whistle Slip State Log", {"parent": s.name})), 6)
		ratings = {
			(r.slip, r.rated_department): r
			for r in frappe.get_all(
				"Whistle Rating",
				filters={"slip": ("in", [s.name for s in slips]), "docstatus": 1},
				fields=[
					"name",
					"slip",
					"rated_department",
					"rater_kind",
					"rater_unit",
					"total",
					"score_signature",
				],
			)
		}
		# each rating carries its score rows' signature, as scoring stores it: the fairness counts
		# (RULES §14) see the demo's varied rows, not one empty signature shared by every rating
		for rating in ratings.values():
			rows = frappe.get_all(
				"Whistle Rating Score", {"parent": rating.name}, pluck="score", order_by="idx asc"
			)
			self.assertEqual(rating.score_signature, fairness.score_signature(rows), rating.name)
		on_slip = set(
			frappe.get_all(
				"Whistle Slip Department",
				filters={"parent": ("in", [s.name for s in slips])},
				fields=["parent", "department"],
				as_list=True,
			)
		)
		by_name = {s.name: s for s in slips}
		scores = year_scores()
		self.assertEqual(len(scores), len(slips))  # one department per whistle
		for score in scores:
			slip = by_name[score.slip]
			self.assertTrue(slip.name.startswith(f"CS-{YEAR}-"), slip.name)
			self.assertIn((score.slip, score.department), on_slip, score.name)
			rating = ratings[(score.slip, score.department)]
			self.assertEqual((rating.rater_kind, rating.rater_unit), (rr.PARK_RATER, slip.whistle_unit))
			self.assertTrue(rating.name.startswith(f"PJ-{YEAR}-"), rating.name)
			self.assertEqual((score.park_rating, score.slip_score), (rating.total, rating.total), score.name)
			self.assertEqual((score.rating_complete, score.closed_on), (1, slip.closed_on), score.name)
		for q in (2, 3, 4):
			in_quarter = [s for s in scores if scoring.quarter_of(s.closed_on.date()) == (YEAR, q)]
			self.assertEqual(quarters[q].counted_cases, len(in_quarter), q)

		# the drill-down opens for the unit that sees it: its whistles and ratings, recount matches
		result = as_user(
			FGW_USER,
			run_report,
			"Evaluation Slip Scores",
			{"year": YEAR, "quarter": 4},
		)
		rows = result["result"]
		self.assertTrue(rows)
		for row in rows:
			self.assertTrue(frappe.has_permission("Whistle Slip", "read", row["slip"], user=FGW_USER))
			self.assertTrue(
				frappe.has_permission("Whistle Rating", "read", row["park_rating_name"], user=FGW_USER)
			)
		badge = next(s for s in result["report_summary"] if s.get("indicator") in ("Green", "Red"))
		self.assertEqual(badge["indicator"], "Green")

		# the consequences lead with what happens to whom, each person named
		result = as_user(LEADER_USER, run_report, "Annual Consequences", {"year": YEAR})["result"]
		sections = [row["section"] for row in result]
		self.assertEqual(sections, sorted(sections, key=lambda s: s != "重点结果"))
		key = [row for row in result if row["section"] == "重点结果"]
		self.assertTrue(key and all(row["code"] != "export_to_performance" for row in key))
		for row in result:
			if row.get("role"):
				self.assertTrue(row["person"] and not row["person_missing"], row)
				self.assertNotIn("@", row["person"])

		# running it again changes nothing
		counts = self.counts()
		modified = frappe.db.get_value(ev.ANNUAL, "AE-2023", "modified")
		self.assertEqual(de.ensure_demo_evaluation(YEAR), "AE-2023")
		self.assertEqual(self.counts(), counts)
		self.assertEqual(frappe.db.get_value(ev.ANNUAL, "AE-2023", "modified"), modified)

	def counts(self) -> dict[str, int]:
		return {
			"slips": len(year_slips()),
			"scores": len(year_scores()),
			"ratings": frappe.db.count("Whistle Rating", {"slip": ("in", year_slips())}),
			"surveys": frappe.db.count("Satisfaction Survey", {"year": YEAR}),
		}

	def test_the_scorecard_shows_the_live_standing_beside_the_evaluation(self):
		today = current_date()
		make_slip_scores(f"{today} 00:00:01", {"发展和改革委": [95], "教育局": [80]})
		quarter = scoring.quarter_of(today)[1]
		result = as_user(
			"office@whistle.localhost",
			run_report,
			"Unit Scorecard",
			{"year": today.year, "whistle_unit": "发展和改革委"},
		)
		rows = {row["item"]: row for row in result["result"]}
		live = league.live_standing("发展和改革委")  # as the board's league computes it
		self.assertEqual((live["rank"], live["class_size"]), (1, 14))
		self.assertEqual(rows["看板实时排名（截至目前，非最终测评）"][f"q{quarter}"], "1 / 14")
		self.assertEqual(rows["看板实时得分（截至目前，非最终测评）"][f"q{quarter}"], live["score"])
		self.assertEqual(rows["测评状态"][f"q{quarter}"], "未测评")  # the final evaluation, labelled apart

	def test_a_person_the_chain_does_not_name_is_not_registered(self):
		row = frappe._dict(principal_leader="王示例", deputy_leader="", division_head="", division_name="")
		self.assertEqual(
			consequences.named(row, "principal_leader"), {"person": "王示例", "person_missing": 0}
		)
		self.assertEqual(consequences.named(row, "deputy_leader"), {"person": "未登记", "person_missing": 1})
		self.assertEqual(consequences.named(row, None), {"person": "", "person_missing": 0})

	def test_a_slip_score_needs_its_department_and_rating(self):
		slip = make_slip("park1@whistle.localhost", title="测评核对用吹哨事项")

		def score(department="教育局"):
			return frappe.get_doc(
				{
					"doctype": "Whistle Slip Score",
					"slip": slip.name,
					"department": department,
					"whistle_unit": slip.whistle_unit,
					"park_rating": 90,
					"slip_score": 90,
					"rating_complete": 1,
					"closed_on": "2025-02-10 10:00:00",
				}
			)

		self.assert_refused(
			lambda: score().insert(ignore_permissions=True), slip.name, SlipScoreIntegrityError
		)
		de.write_department_row(slip.name, "教育局")
		self.assert_refused(
			lambda: score().insert(ignore_permissions=True), slip.name, SlipScoreIntegrityError
		)
		de.write_park_rating(slip.name, "教育局", slip.whistle_unit, None, 90, "2025-02-10 09:00:00")
		score().insert(ignore_permissions=True)

		# a row written around the controller is refused by the evaluation, the whistle named
		stray = score("司法局")
		stray.name = f"{slip.name}-司法局"
		stray.db_insert()
		self.assert_refused(lambda: evaluate_as_office(2025, 1), slip.name, EvaluationError)
