"""Every scheduled job is idempotent (issue #7): run twice in a row at a frozen moment where the jobs
have work to do, the second run leaves the database unchanged.

The jobs are read from ``hooks.scheduler_events``, so jobs added later are covered automatically.
Entry points that hand their work to the long queue go through ``whistle_app.jobs.enqueue_long``;
with ``frappe.flags.run_jobs_inline`` the worker runs in the test's transaction, so the queued work
is covered too.
"""

import frappe
from frappe.query_builder.functions import Count, Max

from tests.base import WhistleTestCase
from tests.factory import act_as, make_slip
from whistle_app import calendar, hooks

PARK = "park1@whistle.localhost"
OFFICE = "office@whistle.localhost"
FGW_UNIT = "发展和改革委"
FIRST = "2026-12-01 09:00:00"  # Tuesday: the first working day of December 2026
SECOND = "2026-12-01 09:05:00"  # the next run, 5 minutes later (a re-save would move ``modified``)
# framework tables the jobs write besides the app's own
FRAMEWORK_TABLES = ("Notification Log", "Email Queue", "Error Log", "Comment", "Version", "ToDo")


def scheduled_jobs() -> list[str]:
	"""Every method in ``hooks.scheduler_events`` (all frequencies and cron lines), once each."""
	methods: list[str] = []
	for entries in hooks.scheduler_events.values():
		if isinstance(entries, dict):  # "cron": {expression: [methods]}
			for cron_methods in entries.values():
				methods.extend(cron_methods)
		else:
			methods.extend(entries)
	return list(dict.fromkeys(methods))


def app_tables() -> tuple[list[str], list[str]]:
	"""The app's stored DocTypes (tables) and its single DocTypes."""
	rows = frappe.get_all(
		"DocType",
		filters={"module": ("in", frappe.get_module_list("whistle_app")), "is_virtual": 0},
		fields=["name", "issingle"],
		order_by="name",
	)
	return [r.name for r in rows if not r.issingle], [r.name for r in rows if r.issingle]


def snapshot() -> dict:
	"""Row count and newest ``modified`` of every app table and the framework tables the jobs write,
	and the values of the app's single DocTypes."""
	tables, singles = app_tables()
	state = {}
	for doctype in [*tables, *FRAMEWORK_TABLES]:
		table = frappe.qb.DocType(doctype)
		state[doctype] = frappe.qb.from_(table).select(Count("*"), Max(table.modified)).run()[0]
	if singles:
		table = frappe.qb.DocType("Singles")
		state["Singles"] = (
			frappe.qb.from_(table)
			.select(table.doctype, table.field, table.value)
			.where(table.doctype.isin(singles))
			.orderby(table.doctype, table.field)
			.run()
		)
	return state


class TestScheduledJobsAreIdempotent(WhistleTestCase):
	def setUp(self):
		super().setUp()
		frappe.flags.run_jobs_inline = True

	def tearDown(self):
		frappe.flags.run_jobs_inline = False
		calendar.invalidate_work_calendar()
		super().tearDown()

	def dispatched(self, day: str) -> str:
		with self.freeze_time(f"{day} 09:00:00"):
			slip = make_slip(PARK)
			act_as(PARK, slip.name, "提交吹哨")
		with self.freeze_time(f"{day} 10:00:00"):
			act_as(OFFICE, slip.name, "派单", scope="Single", departments=[(FGW_UNIT, "Sole", None)])
		return slip.name

	def give_the_jobs_work(self) -> dict[str, str]:
		"""Work for each job known today at FIRST: a response due today (reminder) and one overdue
		(escalation) for the deadline job; November's whistles for the bulletin job (first working day
		of December); next year unconfirmed with an official day missing for the calendar jobs."""
		slips = {"due": self.dispatched("2026-11-30"), "overdue": self.dispatched("2026-11-25")}
		next_year = frappe.get_doc("Work Calendar Year", "2027")
		frappe.db.set_value("Work Calendar Year", "2027", "confirmed", 0, update_modified=False)
		official = [row for row in next_year.days if row.source == calendar.OFFICIAL]
		if official:
			day = frappe.qb.DocType("Work Calendar Day")
			frappe.qb.from_(day).delete().where(day.name == official[0].name).run()
		calendar.invalidate_work_calendar()
		return slips

	def run_job(self, method: str, when: str):
		with self.freeze_time(when):
			frappe.get_attr(method)()

	def test_every_scheduled_job_twice_changes_nothing_the_second_time(self):
		jobs = scheduled_jobs()
		for expected in (
			"whistle_app.clocks.run_deadline_job",
			"whistle_app.bulletins.drafting.run_monthly_bulletin_job",
			"whistle_app.calendar.remind_unconfirmed_next_year",
			"whistle_app.calendar.seed_current_and_next_year",
		):
			self.assertIn(expected, jobs)
		slips = self.give_the_jobs_work()
		errors_before = set(frappe.get_all("Error Log", pluck="name"))

		start = snapshot()
		for method in jobs:
			self.run_job(method, FIRST)
			after_first = snapshot()
			self.run_job(method, SECOND)
			self.assertEqual(snapshot(), after_first, f"{method} changed the database on its second run")
		self.assertNotEqual(snapshot(), start, "the jobs had work to do")

		# each known job did its work on the first run
		self.assertTrue(frappe.db.exists("Supervision Bulletin", "DCTB-2026-11"))
		self.assertEqual(
			sorted(
				frappe.get_all(
					"Whistle Clock Event", filters={"slip": ("in", list(slips.values()))}, pluck="kind"
				)
			),
			["escalation", "reminder"],
		)
		self.assertTrue(
			frappe.db.exists(
				"Notification Log",
				{"for_user": OFFICE, "document_type": "Work Calendar Year", "document_name": "2027"},
			)
		)
		# no job logged an error (Error Logs of earlier tests, at whatever real time, do not count)
		self.assertEqual(set(frappe.get_all("Error Log", pluck="name")) - errors_before, set())
