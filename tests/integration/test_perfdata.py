"""The benchmark data generator (issue #10, ``whistle_app.dev.perfdata``) at its tiny scale (50 slips).

Generated inside the test's transaction and rolled back: the same seed gives the same data (per-table
checksums), and the data is what the app's own code would have written (slip scores from the
ratings, every closed slip fully rated, state counts, the deadline job with nothing left to do).
"""

from decimal import Decimal

import frappe

from tests.base import WhistleTestCase
from whistle_app import clocks, evaluation, ratings
from whistle_app.dev import perfdata
from whistle_app.indexes import missing_indexes
from whistle_app.rules import lifecycle as lc
from whistle_app.surveys import quarter_window

SAVEPOINT = "perfdata_test"


def quiet(_message: str) -> None:
	pass


class TestPerfData(WhistleTestCase):
	def generate(self, seed: int = 7) -> dict:
		return perfdata.generate("tiny", seed, commit=False, log=quiet)

	def generated_slips(self, summary: dict) -> list[str]:
		return frappe.get_all(
			"Whistle Slip",
			filters=[["name", ">=", summary["first_slip"]], ["name", "<=", summary["last_slip"]]],
			pluck="name",
			order_by="name",
		)

	def test_same_seed_same_data(self):
		frappe.db.savepoint(SAVEPOINT)
		first = self.generate()
		frappe.db.rollback(save_point=SAVEPOINT)
		second = self.generate()
		self.assertEqual(first["checksums"], second["checksums"])
		self.assertEqual(first["rows"], second["rows"])
		self.assertEqual(first["slips"], 50)
		# the checksums see a change of one generated value
		frappe.db.set_value(
			"Whistle Slip", second["first_slip"], "title", "改过的标题", update_modified=False
		)
		changed = perfdata.checksums(self.generated_slips(second), [])
		self.assertNotEqual(changed["Whistle Slip"], second["checksums"]["Whistle Slip"])

	def test_generated_data_is_consistent(self):
		summary = self.generate()
		names = self.generated_slips(summary)
		self.assertEqual(len(names), 50)

		# counts per state: as reported, and the tiny year reaches open and closed states
		states = dict(
			frappe.get_all(
				"Whistle Slip",
				filters={"name": ("in", names)},
				fields=["workflow_state", "count(name) as n"],
				group_by="workflow_state",
				as_list=True,
			)
		)
		self.assertEqual(states, summary["states"])
		self.assertTrue(set(states) & lc.OPEN_STATES)
		self.assertIn(lc.CLOSED, states)
		self.assertEqual(
			{s for s in frappe.get_all("Whistle Slip", {"name": ("in", names)}, pluck="scope") if s},
			{lc.SINGLE, lc.MULTI, lc.CROSS_LEVEL},
		)

		# every closed slip has every required rating submitted
		for name in frappe.get_all(
			"Whistle Slip", {"name": ("in", names), "workflow_state": lc.CLOSED}, pluck="name"
		):
			self.assertEqual(ratings.missing_ratings(name), [], name)

		# slip scores are what ratings.update_slip_scores computes from the submitted ratings
		fields = [
			"slip",
			"department",
			"whistle_unit",
			"assessment_class",
			"is_co_department",
			"park_rating",
			"lead_rating",
			"slip_score",
			"rating_complete",
			"excluded_from_assessment",
		]
		stored = frappe.get_all(
			"Whistle Slip Score", {"slip": ("in", names)}, fields, order_by="slip, department"
		)
		self.assertTrue(stored)
		for slip in sorted({row.slip for row in stored}):
			ratings.update_slip_scores(slip)
		recomputed = frappe.get_all(
			"Whistle Slip Score", {"slip": ("in", names)}, fields, order_by="slip, department"
		)
		self.assertEqual(stored, recomputed)

		# the deadline job at the dataset's moment finds everything already done
		frappe.flags.current_datetime = perfdata.END
		try:
			summary = clocks.process_deadlines(commit=False)
		finally:
			frappe.flags.current_datetime = None
		self.assertTrue(summary["slips"])
		self.assertEqual(
			(summary["reminders"], summary["escalations"], summary["flags"], summary["failed"]), (0, 0, 0, [])
		)

		# the evaluation's grouped totals count every complete slip score closed in each quarter
		units = [u.name for u in evaluation.assessed_units()]
		counted_slips = set()
		for quarter in (1, 2, 3, 4):
			start, end = quarter_window(perfdata.YEAR, quarter)
			totals = evaluation.quarter_score_totals(perfdata.YEAR, quarter, units)
			rows = frappe.get_all(
				"Whistle Slip Score",
				filters=[
					["rating_complete", "=", 1],
					["closed_on", ">=", start],
					["closed_on", "<", end],
					["department", "in", units],
				],
				fields=["slip", "slip_score"],
			)
			self.assertEqual(sum(cases for _d, _x, cases, _s in totals), len(rows))
			self.assertEqual(
				sum(Decimal(str(s)) for *_r, s in totals), sum(Decimal(str(r.slip_score)) for r in rows)
			)
			counted_slips |= {r.slip for r in rows}
		self.assertTrue(counted_slips & set(names))  # the tiny year's closed slips are among them

	def test_command_refuses_sites_not_made_for_benchmarks(self):
		self.assertFalse(frappe.conf.get(perfdata.PERF_SITE_FLAG))
		self.assert_refused(perfdata.check_perf_site, perfdata.PERF_SITE_FLAG, perfdata.PerfDataError)
		self.assert_refused(perfdata.wipe, perfdata.PERF_SITE_FLAG, perfdata.PerfDataError)

	def test_migrate_made_every_index(self):
		self.assertEqual(missing_indexes(), [])
