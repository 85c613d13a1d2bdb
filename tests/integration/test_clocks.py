"""Deadline supervision (RULES §4 reminders and escalation; issue #7 items 1, 2, 5), with frozen time."""

from unittest.mock import patch

import frappe
from frappe.utils import get_datetime

from tests.base import WhistleTestCase
from tests.factory import act_as, make_request, make_slip, request_act, slip_in_handling
from whistle_app import clocks, notify
from whistle_app import requests as rq
from whistle_app.rules import clocks as ck

PARK = "park1@whistle.localhost"
OFFICE = "office@whistle.localhost"
FGW = "fgw@whistle.localhost"  # 发展和改革委 liaison
FGW_LEADER = "fgw-leader@whistle.localhost"  # 发展和改革委 Department Leader and division head
ZJJ = "zjj@whistle.localhost"  # 住房和城乡建设局 liaison
LEADER = "leader@whistle.localhost"  # District Leader
FGW_UNIT = "发展和改革委"
ZJJ_UNIT = "住房和城乡建设局"
REPORT = {"work_plan": "现场办公，按期办结", "responsible_persons": "赵示例"}


class ClockTestCase(WhistleTestCase):
	def run_job(self, when: str) -> dict:
		with self.freeze_time(when):
			return clocks.process_deadlines()

	def dispatched(self, day: str = "2026-03-02", scope: str = "Single", departments=None) -> str:
		with self.freeze_time(f"{day} 09:00:00"):
			slip = make_slip(PARK)
			act_as(PARK, slip.name, "提交吹哨")
		with self.freeze_time(f"{day} 10:00:00"):
			act_as(
				OFFICE, slip.name, "派单", scope=scope, departments=departments or [(FGW_UNIT, "Sole", None)]
			)
		return slip.name

	def events(self, slip: str, **filters) -> list[tuple]:
		return [
			(e.department, e.clock, e.kind, str(get_datetime(e.deadline)))
			for e in frappe.get_all(
				"Whistle Clock Event",
				filters={"slip": slip, **filters},
				fields=["department", "clock", "kind", "deadline"],
				order_by="creation asc, kind asc",
			)
		]

	def notified(self, user: str, slip: str) -> list[str]:
		"""The deadline notices (not the lifecycle hand-offs) this user received about the slip."""
		return frappe.get_all(
			"Notification Log",
			filters={
				"for_user": user,
				"document_type": "Whistle Slip",
				"document_name": slip,
				"subject": ("like", "%时限%"),
			},
			pluck="subject",
			order_by="creation asc",
		)

	def flags(self, slip: str) -> tuple:
		doc = frappe.get_doc("Whistle Slip", slip)
		rows = {row.department: (row.warning_level, row.overdue) for row in doc.departments}
		return (doc.warning_level, doc.overdue), rows


class TestResponseClock(ClockTestCase):
	def test_reminder_on_due_day_escalation_after_and_nothing_more(self):
		name = self.dispatched("2026-03-02")  # response deadline Tue 2026-03-03 23:59:59
		self.run_job("2026-03-02 12:00:00")
		self.assertEqual(self.events(name), [])
		self.assertEqual(self.flags(name)[0], (ck.NORMAL, 0))

		# due day: the liaison is reminded once, the slip and department are 临期
		self.run_job("2026-03-03 09:00:00")
		self.assertEqual(self.events(name), [(FGW_UNIT, ck.RESPONSE, ck.REMINDER, "2026-03-03 23:59:59")])
		reminders = self.notified(FGW, name)
		self.assertEqual(len(reminders), 1)
		self.assertIn("报到时限", reminders[0])
		self.assertIn("今日到期", reminders[0])
		self.assertEqual(self.notified(FGW_LEADER, name), [])
		self.assertEqual(self.flags(name), ((ck.DUE_SOON, 0), {FGW_UNIT: (ck.DUE_SOON, 0)}))
		second = self.run_job("2026-03-03 15:00:00")
		self.assertEqual((second["reminders"], second["escalations"]), (0, 0))
		self.assertEqual(len(self.notified(FGW, name)), 1)

		# passed: flagged overdue; leaders and office are notified once
		self.run_job("2026-03-04 00:05:00")
		self.assertEqual(
			self.events(name, kind=ck.ESCALATION),
			[(FGW_UNIT, ck.RESPONSE, ck.ESCALATION, "2026-03-03 23:59:59")],
		)
		self.assertEqual(self.flags(name), ((ck.OVERDUE, 1), {FGW_UNIT: (ck.OVERDUE, 1)}))
		for user in (FGW_LEADER, OFFICE):
			subjects = self.notified(user, name)
			self.assertEqual(len(subjects), 1, user)
			self.assertIn("已逾期", subjects[0])
			self.assertIn(FGW_UNIT, subjects[0])
		self.assertEqual(len(self.notified(FGW, name)), 1, "the liaison got only the reminder")
		for when in ("2026-03-04 00:10:00", "2026-03-05 09:00:00"):
			again = self.run_job(when)
			self.assertEqual((again["reminders"], again["escalations"]), (0, 0))
		self.assertEqual(len(self.events(name)), 2)
		self.assertEqual(len(self.notified(OFFICE, name)), 1)

		# late by 3 working days: 严重逾期 (default threshold), still no new notice
		self.run_job("2026-03-06 09:00:00")
		self.assertEqual(self.flags(name), ((ck.SERIOUSLY_OVERDUE, 1), {FGW_UNIT: (ck.SERIOUSLY_OVERDUE, 1)}))
		self.assertEqual(len(self.events(name)), 2)

		# the report answers the clock: flags go back to 正常
		with self.freeze_time("2026-03-06 10:00:00"):
			act_as(FGW, name, "报到", planned_completion="2026-03-31", **REPORT)
		result = self.run_job("2026-03-06 10:05:00")
		self.assertGreaterEqual(result["reset"], 2)
		self.assertEqual(self.flags(name), ((ck.NORMAL, 0), {FGW_UNIT: (ck.NORMAL, 0)}))

	def test_thresholds_are_settings(self):
		name = self.dispatched("2026-03-02")  # deadline 03-03
		frappe.db.set_single_value("Whistle Settings", {"warning_days_before": 1, "serious_overdue_days": 1})
		self.run_job("2026-03-02 12:00:00")
		self.assertEqual(self.flags(name)[0], (ck.DUE_SOON, 0))
		self.assertEqual(self.events(name), [], "a reminder only on the due day")
		self.run_job("2026-03-04 09:00:00")
		self.assertEqual(self.flags(name)[0], (ck.SERIOUSLY_OVERDUE, 1))

	def test_joint_meeting_clock_is_the_leads(self):
		name = self.dispatched(
			"2026-03-02", scope="Multi", departments=[(FGW_UNIT, "Lead", None), (ZJJ_UNIT, "Co", "配合")]
		)  # response 03-03, meeting 03-05
		self.run_job("2026-03-04 09:00:00")
		self.assertEqual(self.events(name), [(FGW_UNIT, ck.RESPONSE, ck.ESCALATION, "2026-03-03 23:59:59")])
		self.run_job("2026-03-05 09:00:00")
		self.assertIn((FGW_UNIT, ck.MEETING, ck.REMINDER, "2026-03-05 23:59:59"), self.events(name))
		self.run_job("2026-03-06 09:00:00")
		self.assertIn((FGW_UNIT, ck.MEETING, ck.ESCALATION, "2026-03-05 23:59:59"), self.events(name))
		self.assertEqual(len(self.events(name)), 3)
		slip_flags, rows = self.flags(name)
		# the response is late by 3 working days (03-04…03-06): the worst clock sets the level
		self.assertEqual(slip_flags, (ck.SERIOUSLY_OVERDUE, 1))
		self.assertEqual(rows, {FGW_UNIT: (ck.SERIOUSLY_OVERDUE, 1), ZJJ_UNIT: (ck.NORMAL, 0)})
		self.assertEqual(self.notified(ZJJ, name), [], "the co-department gets no deadline notices")


class TestCompletionClock(ClockTestCase):
	def handling(self, planned="2026-03-06") -> str:
		return slip_in_handling(self.freeze_time, "2026-03-02", planned)

	def test_extension_moves_the_escalation(self):
		name = self.handling(planned="2026-03-06")
		self.run_job("2026-03-06 09:00:00")
		self.assertEqual(self.events(name), [(FGW_UNIT, ck.COMPLETION, ck.REMINDER, "2026-03-06 23:59:59")])
		with self.freeze_time("2026-03-06 10:00:00"):
			req = make_request(FGW, rq.EXTENSION, name, new_completion_date="2026-03-13", reason="等待批复")
			request_act(FGW, rq.EXTENSION, req.name, rq.FILE)
			request_act(OFFICE, rq.EXTENSION, req.name, rq.APPROVE, reason="同意")
		self.run_job("2026-03-09 09:00:00")
		self.assertEqual(len(self.events(name)), 1, "no escalation of the old deadline")
		self.assertEqual(self.flags(name)[0], (ck.NORMAL, 0))
		self.run_job("2026-03-13 09:00:00")
		self.run_job("2026-03-16 09:00:00")
		self.run_job("2026-03-16 09:05:00")
		self.assertEqual(
			self.events(name),
			[
				(FGW_UNIT, ck.COMPLETION, ck.REMINDER, "2026-03-06 23:59:59"),
				(FGW_UNIT, ck.COMPLETION, ck.REMINDER, "2026-03-13 23:59:59"),
				(FGW_UNIT, ck.COMPLETION, ck.ESCALATION, "2026-03-13 23:59:59"),
			],
		)
		self.assertEqual(self.flags(name)[0], (ck.OVERDUE, 1))
		subjects = self.notified(FGW_LEADER, name)
		self.assertEqual(len([s for s in subjects if "办结时限" in s]), 1)

	def exempt(self, name: str, when: str):
		with self.freeze_time(when):
			req = make_request(FGW, rq.EXEMPTION, name, reason="政策限制，多次协调未果")
			request_act(FGW, rq.EXEMPTION, req.name, rq.FILE)
			request_act(OFFICE, rq.EXEMPTION, req.name, rq.FORWARD, reason="情况属实")
			request_act(LEADER, rq.EXEMPTION, req.name, rq.APPROVE)

	def test_exemption_stops_the_clock(self):
		name = self.handling(planned="2026-03-06")
		self.exempt(name, "2026-03-05 10:00:00")
		self.run_job("2026-03-06 09:00:00")
		self.run_job("2026-03-09 09:00:00")
		self.assertEqual(self.events(name), [])
		self.assertEqual(self.flags(name)[0], (ck.NORMAL, 0))

	def test_exemption_after_escalation_clears_the_flags(self):
		name = self.handling(planned="2026-03-06")
		self.run_job("2026-03-09 09:00:00")
		self.assertEqual(self.events(name), [(FGW_UNIT, ck.COMPLETION, ck.ESCALATION, "2026-03-06 23:59:59")])
		self.assertEqual(self.flags(name)[0], (ck.OVERDUE, 1))
		self.exempt(name, "2026-03-09 10:00:00")
		self.run_job("2026-03-12 09:00:00")
		self.assertEqual(self.flags(name), ((ck.NORMAL, 0), {FGW_UNIT: (ck.NORMAL, 0)}))
		self.assertEqual(len(self.events(name)), 1)

	def test_completion_answers_the_clock(self):
		name = self.handling(planned="2026-03-06")
		self.run_job("2026-03-09 09:00:00")
		with self.freeze_time("2026-03-09 10:00:00"):
			act_as(FGW, name, "办结", result="已办结")
		self.run_job("2026-03-10 09:00:00")
		self.assertEqual(self.flags(name)[0], (ck.NORMAL, 0))
		self.assertEqual(len(self.events(name)), 1)


SNAPSHOT_TABLES = (
	"Whistle Slip",
	"Whistle Slip Department",
	"Whistle Clock Event",
	"Notification Log",
	"Email Queue",
	"Error Log",
	"Comment",
	"Version",
)


def snapshot() -> dict:
	"""Row counts, newest modified timestamps and the flags of every slip and department row."""
	state = {}
	for doctype in SNAPSHOT_TABLES:
		state[doctype] = frappe.db.sql(f"select count(*), max(modified) from `tab{doctype}`")[0]
	state["slip flags"] = frappe.db.sql(
		"select name, warning_level, overdue, modified from `tabWhistle Slip` order by name"
	)
	state["row flags"] = frappe.db.sql(
		"select name, warning_level, overdue, modified from `tabWhistle Slip Department` order by name"
	)
	return state


class TestIdempotencyAndCrashes(ClockTestCase):
	def test_running_the_job_twice_changes_nothing_the_second_time(self):
		self.dispatched("2026-03-02")
		slip_in_handling(self.freeze_time, "2026-03-02", "2026-03-04")
		slip_in_handling(self.freeze_time, "2026-03-02", "2026-03-05")
		self.dispatched(
			"2026-03-02", scope="Multi", departments=[(FGW_UNIT, "Lead", None), (ZJJ_UNIT, "Co", "配合")]
		)
		for when in ("2026-03-04 09:00:00", "2026-03-05 09:00:00", "2026-03-10 09:00:00"):
			first = self.run_job(when)
			self.assertEqual(first["failed"], [])
			before = snapshot()
			second = self.run_job(when)
			self.assertEqual(snapshot(), before, when)
			self.assertEqual(
				(second["reminders"], second["escalations"], second["flags"], second["reset"]), (0, 0, 0, 0)
			)

	def test_a_failure_mid_run_neither_duplicates_nor_skips(self):
		a = self.dispatched("2026-03-02")
		b = self.dispatched("2026-03-02")
		real_send = notify.send

		def crash_on_a(users, doctype, name, *args, **kwargs):
			if name == a:
				raise RuntimeError("worker killed")
			return real_send(users, doctype, name, *args, **kwargs)

		with patch.object(notify, "send", side_effect=crash_on_a):
			result = self.run_job("2026-03-04 09:00:00")
		self.assertIn(a, result["failed"])
		self.assertEqual(self.events(a), [], "the failed record left nothing behind")
		self.assertEqual(self.flags(a)[0], (ck.NORMAL, 0))
		self.assertEqual(len(self.events(b)), 1)
		self.assertTrue(
			frappe.get_all("Error Log", filters={"reference_doctype": "Whistle Slip", "reference_name": a})
		)

		result = self.run_job("2026-03-04 09:05:00")
		self.assertEqual(result["failed"], [])
		self.assertEqual(len(self.events(a)), 1, "sent on the next run")
		self.assertEqual(len(self.events(b)), 1, "not sent twice")
		self.assertEqual(len(self.notified(OFFICE, a)), 1)
		self.assertEqual(len(self.notified(OFFICE, b)), 1)
		self.assertEqual(self.flags(a)[0], (ck.OVERDUE, 1))

	def test_the_unique_key_refuses_a_second_event(self):
		name = self.dispatched("2026-03-02")
		self.run_job("2026-03-04 09:00:00")
		key = ck.event_key(name, FGW_UNIT, ck.RESPONSE, get_datetime("2026-03-03 23:59:59"), ck.ESCALATION)
		self.assertTrue(frappe.db.exists("Whistle Clock Event", {"event_key": key}))
		dup = frappe.get_doc(
			{
				"doctype": "Whistle Clock Event",
				"slip": name,
				"department": FGW_UNIT,
				"clock": ck.RESPONSE,
				"deadline": "2026-03-03 23:59:59",
				"kind": ck.ESCALATION,
				"event_key": key,
			}
		)
		frappe.db.savepoint("dup")
		with self.assertRaises((frappe.DuplicateEntryError, frappe.UniqueValidationError)):
			dup.db_insert()
		frappe.db.rollback(save_point="dup")

	def test_one_query_finds_only_due_responsible_rows(self):
		due = self.dispatched(
			"2026-03-02", scope="Multi", departments=[(FGW_UNIT, "Lead", None), (ZJJ_UNIT, "Co", "配合")]
		)
		later = self.dispatched("2026-03-04")
		with self.freeze_time("2026-03-04 09:00:00"):
			rows = clocks.due_rows(clocks.now(), 0)
		mine = [(r.slip, r.department) for r in rows if r.slip in (due, later)]
		self.assertEqual(mine, [(due, FGW_UNIT)])
		row = next(r for r in rows if r.slip == due)
		self.assertEqual(get_datetime(row.response), get_datetime("2026-03-03 23:59:59"))
		self.assertIsNone(row.completion)

	def test_scheduler_hook_and_long_queue(self):
		from whistle_app import hooks

		self.assertIn("whistle_app.clocks.run_deadline_job", hooks.scheduler_events["cron"]["*/5 * * * *"])
		with patch("frappe.enqueue") as enqueue:
			clocks.run_deadline_job()
		args, kwargs = enqueue.call_args
		self.assertEqual(args[0], "whistle_app.clocks.process_deadlines")
		self.assertEqual(kwargs["queue"], "long")
		self.assertTrue(kwargs["deduplicate"])


class TestShownInTheDesk(ClockTestCase):
	def test_flags_do_not_touch_modified_and_feed_the_dashboard_summary(self):
		name = self.dispatched("2026-03-02")
		# the flags of every slip as the job leaves them on the day of dispatch (other committed slips,
		# the demo's say, carry whatever flags a job gave them at another time)
		self.run_job("2026-03-02 11:00:00")
		modified = frappe.db.get_value("Whistle Slip", name, "modified")
		before = clocks.get_warning_summary()["counts"]
		frappe.set_user(ZJJ)
		zjj_before = clocks.get_warning_summary()["counts"]
		frappe.set_user("Administrator")
		self.run_job("2026-03-04 09:00:00")
		self.assertEqual(frappe.db.get_value("Whistle Slip", name, "modified"), modified)
		self.assertEqual(frappe.db.get_value("Whistle Slip", name, "warning_level"), ck.OVERDUE)
		after = clocks.get_warning_summary()
		self.assertGreaterEqual(after["counts"][ck.OVERDUE], before[ck.OVERDUE] + 1)
		self.assertEqual(after["colours"][ck.SERIOUSLY_OVERDUE], "red")
		frappe.set_user(ZJJ)  # another department does not see (or count) the slip
		try:
			self.assertEqual(clocks.get_warning_summary()["counts"], zjj_before)
		finally:
			frappe.set_user("Administrator")
