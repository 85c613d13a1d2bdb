"""The park's right to urge (督办权, plan 二.2; issue #16): a park urges the departments of its own open
whistle once per working day; the urge is kept in the slip's history, counted as an event per
department and announced to the departments' liaisons and leaders. Frozen time, rolled back."""

import frappe

from tests.base import WhistleTestCase
from tests.factory import (
	act_as,
	as_user,
	closed_slip,
	completed_slip,
	dispatched_slip,
	make_slip,
	slip_in_handling,
)
from whistle_app import urging
from whistle_app.rules import lifecycle as lc

PARK = "park1@whistle.localhost"  # 示例园区一
OTHER_PARK = "park2@whistle.localhost"  # 示例园区二
OFFICE = "office@whistle.localhost"
FGW = "fgw@whistle.localhost"  # 发展和改革委, Department Liaison
FGW_LEADER = "fgw-leader@whistle.localhost"  # 发展和改革委, Department Leader
FGW_D = "发展和改革委"
EVENT = "Whistle Clock Event"


def urge(user: str, slip: str, message: str = "请加快办理，企业急需") -> dict:
	return as_user(user, urging.urge, slip, message)


def history(slip: str) -> list[tuple]:
	return [
		(r.from_state, r.action, r.to_state, r.changed_by, r.reason)
		for r in frappe.get_doc("Whistle Slip", slip).state_log
	]


def urge_events(slip: str) -> list[tuple]:
	return [
		(e.event_key, e.department)
		for e in frappe.get_all(
			EVENT,
			filters={"slip": slip, "event_key": ("like", "urge:%")},
			fields=["event_key", "department"],
			order_by="event_key",
		)
	]


def notifications(slip: str) -> list[tuple]:
	return sorted(
		(n.for_user, n.subject)
		for n in frappe.get_all(
			"Notification Log", filters={"document_name": slip}, fields=["for_user", "subject"]
		)
		if "催办" in (n.subject or "")
	)


class UrgeTestCase(WhistleTestCase):
	def handling(self) -> str:
		"""park1's whistle to 发展和改革委 alone, 办理中 since Mon 2026-03-02."""
		return slip_in_handling(self.freeze_time, "2026-03-02", "2026-03-31")

	def snapshot(self, slip: str) -> tuple:
		return (
			history(slip),
			urge_events(slip),
			frappe.db.count("Notification Log", {"document_name": slip}),
			frappe.db.get_value("Whistle Slip", slip, ["workflow_state", "modified"]),
		)

	def assert_refused_unchanged(self, slip: str, fn, text: str, exc=urging.UrgeError):
		"""The call fails with ``exc`` whose Chinese message contains ``text``, having written nothing
		(compared inside the transaction, before any rollback)."""
		before = self.snapshot(slip)
		with self.assertRaises(exc) as cm:
			fn()
		frappe.set_user("Administrator")
		self.assertIn(text, str(cm.exception))
		self.assertEqual(self.snapshot(slip), before)
		return cm.exception


class TestUrging(UrgeTestCase):
	def test_the_park_urges_its_open_whistle(self):
		name = self.handling()
		with self.freeze_time("2026-03-03 10:00:00"):
			result = urge(PARK, name, "请加快办理，企业<急需>")
			status = as_user(PARK, urging.urge_status, name)
		self.assertEqual(result["departments"], [FGW_D])
		self.assertEqual(result["day"], "2026-03-03")
		self.assertLessEqual({FGW, FGW_LEADER}, set(result["notified"]))
		self.assertNotIn(PARK, result["notified"])
		# the slip's history has the urge (its state unchanged), the message kept as plain text
		self.assertEqual(frappe.db.get_value("Whistle Slip", name, "workflow_state"), lc.HANDLING)
		self.assertEqual(
			history(name)[-1], (lc.HANDLING, "催办", lc.HANDLING, PARK, "请加快办理，企业&lt;急需&gt;")
		)
		self.assertEqual(
			str(frappe.get_doc("Whistle Slip", name).state_log[-1].changed_on), "2026-03-03 10:00:00"
		)
		# one countable event per department, keyed by the day
		self.assertEqual(urge_events(name), [(f"urge:{name}:2026-03-03:{FGW_D}", FGW_D)])
		recipients = frappe.db.get_value(
			EVENT, {"event_key": f"urge:{name}:2026-03-03:{FGW_D}"}, "recipients"
		)
		self.assertLessEqual({FGW, FGW_LEADER}, set(recipients.split("\n")))
		# the department's liaison and leader hear of it, in Chinese; the park does not
		notified = notifications(name)
		self.assertLessEqual({FGW, FGW_LEADER}, {user for user, _s in notified})
		self.assertNotIn(PARK, {user for user, _s in notified})
		self.assertTrue(all(f"示例园区一催办吹哨事项{name}" in subject for _u, subject in notified), notified)
		# the phone page and the desk form hide the button for the rest of the day
		self.assertEqual((status["may_urge"], status["urged_today"], status["can_urge"]), (True, True, False))
		self.assertEqual(status["messages"]["Urge"], "催办")

	def test_once_per_working_day(self):
		name = self.handling()
		with self.freeze_time("2026-03-03 09:00:00"):
			self.assertTrue(as_user(PARK, urging.urge_status, name)["can_urge"])
			urge(PARK, name)
		with self.freeze_time("2026-03-03 17:30:00"):
			self.assert_refused_unchanged(
				name,
				lambda: urge(PARK, name, "再次催办"),
				"每个工作日只能催办一次",
				urging.AlreadyUrgedError,
			)
		with self.freeze_time("2026-03-04 08:30:00"):  # the next working day
			urge(PARK, name, "第二天催办")
		self.assertEqual(
			[d for d, _dept in urge_events(name)],
			[f"urge:{name}:2026-03-03:{FGW_D}", f"urge:{name}:2026-03-04:{FGW_D}"],
		)
		self.assertEqual([r[1] for r in history(name)].count("催办"), 2)

	def test_a_rest_day_counts_as_its_own_date(self):
		name = self.handling()
		with self.freeze_time("2026-03-06 16:00:00"):  # Friday, a working day
			urge(PARK, name)
		with self.freeze_time("2026-03-07 10:00:00"):  # Saturday, a rest day: its own date
			urge(PARK, name, "周末催办")
		with self.freeze_time("2026-03-07 11:00:00"):
			self.assert_refused_unchanged(
				name, lambda: urge(PARK, name), "每个工作日只能催办一次", urging.AlreadyUrgedError
			)
		self.assertEqual(len(urge_events(name)), 2)

	def test_a_multi_department_whistle_urges_every_department(self):
		name = completed_slip(self.freeze_time, "2026-03-02", [(FGW_D, "Lead"), ("住房和城乡建设局", "Co")])
		with self.freeze_time("2026-03-03 10:00:00"):  # 待确认评价: the park's own turn, not urged
			self.assert_refused_unchanged(name, lambda: urge(PARK, name), "办理中", urging.UrgeStateError)
		with self.freeze_time("2026-03-03 11:00:00"):
			act_as(PARK, name, "重办", reason="问题尚未解决")  # back to 办理中
		with self.freeze_time("2026-03-03 12:00:00"):
			result = urge(PARK, name)
		self.assertEqual(result["departments"], sorted([FGW_D, "住房和城乡建设局"]))
		self.assertEqual(sorted(d for _k, d in urge_events(name)), sorted([FGW_D, "住房和城乡建设局"]))
		self.assertIn("zjj@whistle.localhost", {user for user, _s in notifications(name)})
		self.assertEqual([r[1] for r in history(name)].count("催办"), 1, "one history row per urge")

	def test_each_open_state_may_be_urged(self):
		with self.freeze_time("2026-03-02 09:00:00"):
			name = dispatched_slip([(FGW_D, "Sole")])
		for state in urging.URGE_STATES:
			frappe.db.set_value("Whistle Slip", name, "workflow_state", state)
			with self.freeze_time(f"2026-03-0{3 + urging.URGE_STATES.index(state)} 10:00:00"):
				urge(PARK, name)
		self.assertEqual([r[0] for r in history(name) if r[1] == "催办"], list(urging.URGE_STATES))


class TestUrgeRefusals(UrgeTestCase):
	def test_another_park_cannot_urge(self):
		name = self.handling()
		with self.freeze_time("2026-03-03 10:00:00"):
			self.assert_refused_unchanged(name, lambda: urge(OTHER_PARK, name), "", frappe.PermissionError)
			self.assertRaises(frappe.PermissionError, as_user, OTHER_PARK, urging.urge_status, name)

	def test_departments_and_the_office_cannot_urge(self):
		name = self.handling()
		with self.freeze_time("2026-03-03 10:00:00"):
			for user in (FGW, FGW_LEADER, OFFICE):
				self.assert_refused_unchanged(
					name, lambda user=user: urge(user, name), "只有", urging.UrgeActorError
				)
				self.assertFalse(as_user(user, urging.urge_status, name)["can_urge"])

	def test_draft_and_closed_whistles_cannot_be_urged(self):
		with self.freeze_time("2026-03-02 09:00:00"):
			draft = make_slip(PARK).name
		closed = closed_slip(self.freeze_time, "2026-03-02", [(FGW_D, "Sole")], {FGW_D: 90})
		self.assertEqual(frappe.db.get_value("Whistle Slip", closed, "workflow_state"), lc.CLOSED)
		with self.freeze_time("2026-03-03 10:00:00"):
			for name, state in ((draft, lc.DRAFT), (closed, lc.CLOSED)):
				error = self.assert_refused_unchanged(
					name, lambda name=name: urge(PARK, name), "只能在", urging.UrgeStateError
				)
				self.assertIn(state, str(error))
				self.assertFalse(as_user(PARK, urging.urge_status, name)["can_urge"])

	def test_the_message_is_required_and_short(self):
		name = self.handling()
		with self.freeze_time("2026-03-03 10:00:00"):
			for message in ("", "   \n "):
				self.assert_refused_unchanged(
					name, lambda m=message: urge(PARK, name, m), "催办内容", urging.UrgeMessageError
				)
			self.assert_refused_unchanged(
				name, lambda: urge(PARK, name, "催" * 201), "200", urging.UrgeMessageError
			)
			urge(PARK, name, "  " + "催" * 200 + "  ")  # 200 characters once trimmed
		self.assertEqual(history(name)[-1][-1], "催" * 200)
