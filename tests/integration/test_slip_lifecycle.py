"""The whistle slip from draft to closure (RULES §3, §3.1, §3.2, §4), with frozen time."""

import frappe
from frappe.utils import get_datetime

from tests.base import WhistleTestCase
from tests.factory import act_as, make_slip, rate_all
from whistle_app.lifecycle import SlipActionError
from whistle_app.rules import lifecycle as lc

PARK = "park1@whistle.localhost"
OTHER_PARK = "park2@whistle.localhost"
OFFICE = "office@whistle.localhost"
FGW = "fgw@whistle.localhost"  # 发展和改革委 (A)
ZJJ = "zjj@whistle.localhost"  # 住房和城乡建设局 (A)
POLICE = "police@whistle.localhost"  # 公安分局 (B)

REPORT = {"work_plan": "现场办公，一周内出具意见", "responsible_persons": "赵示例"}
MEETING = {
	"meeting_departments": "发展和改革委、住房和城乡建设局",
	"meeting_minutes": "会商纪要",
	"meeting_solution": "分工协作",
	"meeting_task_division": "住房和城乡建设局：负责规划许可",
}


def dt(value: str):
	return get_datetime(value)


class SlipTestCase(WhistleTestCase):
	def submitted_slip(self, when: str, **values) -> str:
		with self.freeze_time(when):
			slip = make_slip(PARK, **values)
			act_as(PARK, slip.name, "提交吹哨")
		return slip.name


class TestSinglePath(SlipTestCase):
	def test_single_department_end_to_end(self):
		name = self.submitted_slip("2026-02-12 09:00:00")
		self.assertEqual(frappe.db.get_value("Whistle Slip", name, "workflow_state"), lc.SUBMITTED)
		with self.freeze_time("2026-02-12 10:00:00"):
			slip = act_as(OFFICE, name, "派单", scope="Single", departments=[("发展和改革委", "Sole", None)])
		self.assertEqual(slip.workflow_state, lc.DISPATCHED)
		self.assertEqual(slip.response_deadline, dt("2026-02-13 23:59:59"))  # §4 row Thu 02-12 +1
		self.assertFalse(slip.meeting_deadline)
		with self.freeze_time("2026-02-13 09:30:00"):
			slip = act_as(FGW, name, "报到", planned_completion="2026-03-31", **REPORT)
		self.assertEqual(slip.response_status, lc.MET)
		self.assertEqual(slip.completion_deadline, dt("2026-03-31 23:59:59"))
		with self.freeze_time("2026-02-13 11:00:00"):
			slip = act_as(OFFICE, name, "审核抄送")
			slip = frappe.get_doc("Whistle Slip", name)
		self.assertEqual(slip.workflow_state, lc.HANDLING)
		with self.freeze_time("2026-03-02 10:00:00"):
			frappe.set_user(FGW)
			slip.append("progress", {"content": "已组织现场踏勘"})
			slip.save()
			frappe.set_user("Administrator")
			slip = act_as(FGW, name, "办结", result="已办结，企业证照已发放")
		self.assertEqual(slip.completion_status, lc.MET)
		self.assertEqual(slip.progress[0].department, "发展和改革委")
		self.assertEqual(slip.progress[0].entered_by, FGW)
		with self.freeze_time("2026-03-03 10:00:00"):
			slip = act_as(PARK, name, "确认解决")
			self.assert_refused(lambda: act_as(OFFICE, name, "销号"), "评价")  # §5: ratings first
			rate_all(name)
			slip = act_as(OFFICE, name, "销号")
		self.assertEqual(slip.workflow_state, lc.CLOSED)
		self.assertEqual(
			[(r.from_state, r.to_state, r.changed_by) for r in slip.state_log],
			[
				(lc.DRAFT, lc.SUBMITTED, PARK),
				(lc.SUBMITTED, lc.DISPATCHED, OFFICE),
				(lc.DISPATCHED, lc.REPORTED, FGW),
				(lc.REPORTED, lc.HANDLING, OFFICE),
				(lc.HANDLING, lc.COMPLETED, FGW),
				(lc.COMPLETED, lc.CONFIRMED, PARK),
				(lc.CONFIRMED, lc.CLOSED, OFFICE),
			],
		)
		self.assertTrue(slip.name.startswith("CS-2026-"))

	def test_notifications_at_hand_offs(self):
		name = self.submitted_slip("2026-02-12 09:00:00")
		with self.freeze_time("2026-02-12 10:00:00"):
			act_as(OFFICE, name, "派单", scope="Single", departments=[("发展和改革委", "Sole", None)])
		logs = frappe.get_all(
			"Notification Log", filters={"document_name": name}, fields=["for_user", "subject"]
		)
		self.assertIn(FGW, {log.for_user for log in logs}, "dispatch notifies the department's liaisons")
		self.assertIn(OFFICE, {log.for_user for log in logs}, "submission notifies the office")
		self.assertTrue(all("派单" in log.subject or "提交吹哨" in log.subject for log in logs))


class TestMultiAndCrossLevel(SlipTestCase):
	def multi_slip(self) -> str:
		"""A multi-department slip dispatched on Fri 2026-02-13 10:00: response due Sat 02-14 (an
		adjusted working day), joint meeting due Wed 02-25 (Spring Festival in between)."""
		name = self.submitted_slip("2026-02-13 08:00:00")
		with self.freeze_time("2026-02-13 10:00:00"):
			slip = act_as(
				OFFICE,
				name,
				"派单",
				scope="Multi",
				departments=[("发展和改革委", "Lead", None), ("住房和城乡建设局", "Co", None)],
			)
		self.assertEqual(slip.response_deadline, dt("2026-02-14 23:59:59"))  # adjusted working Saturday
		self.assertEqual(slip.meeting_deadline, dt("2026-02-25 23:59:59"))
		self.assertEqual((slip.response_days, slip.meeting_days), (1, 3))
		return name

	def record_meeting(self, name: str, user: str = FGW, **values):
		slip = frappe.get_doc("Whistle Slip", name)
		frappe.set_user(user)
		try:
			slip.update({**MEETING, **values})
			slip.save()
		finally:
			frappe.set_user("Administrator")
		return frappe.get_doc("Whistle Slip", name)

	def test_multi_department_with_joint_meeting(self):
		"""The lead's two clocks are independent (RULES §4, issue #16): it reports on day 1 without the
		meeting and is on time, records the meeting on day 3 and is on time too."""
		name = self.multi_slip()
		with self.freeze_time("2026-02-14 10:00:00"):
			slip = act_as(FGW, name, "报到", planned_completion="2026-04-30", **REPORT)
		self.assertEqual(slip.response_status, lc.MET)
		self.assertFalse(slip.meeting_recorded_on)
		self.assertFalse(slip.meeting_status)
		with self.freeze_time("2026-02-25 10:00:00"):
			act_as(OFFICE, name, "审核抄送")
			slip = self.record_meeting(name, meeting_date="2026-02-25 09:00:00")
		self.assertEqual(slip.meeting_status, lc.MET)
		self.assertEqual(slip.meeting_recorded_on, dt("2026-02-25 10:00:00"))
		# the co-department sees the slip and adds progress, but cannot report or complete it
		with self.freeze_time("2026-02-25 10:00:00"):
			self.assert_refused(lambda: act_as(ZJJ, name, "办结", result="x"), "牵头", frappe.PermissionError)
			frappe.set_user(ZJJ)
			slip = frappe.get_doc("Whistle Slip", name)
			slip.append("progress", {"content": "规划许可已受理"})
			slip.save()
			frappe.set_user("Administrator")
		self.assertEqual(frappe.get_doc("Whistle Slip", name).progress[-1].department, "住房和城乡建设局")
		# a recorded meeting is not rewritten
		with self.freeze_time("2026-02-26 10:00:00"):
			self.assert_refused(lambda: self.record_meeting(name, meeting_minutes="改写"), "不能修改")

	def test_the_meeting_recorded_after_its_deadline_is_late_and_completion_waits_for_it(self):
		name = self.multi_slip()
		with self.freeze_time("2026-02-14 10:00:00"):
			act_as(FGW, name, "报到", planned_completion="2026-04-30", **REPORT)
		with self.freeze_time("2026-02-24 10:00:00"):
			act_as(OFFICE, name, "审核抄送")
		with self.freeze_time("2026-02-26 10:00:00"):
			# no completion before the meeting is recorded
			self.assert_refused(lambda: act_as(FGW, name, "办结", result="已办结"), "先登记联商会办")
			# every missing part named at once
			message = str(
				self.assert_refused(
					lambda: self.record_meeting(
						name, meeting_date="2026-02-26 09:00:00", meeting_minutes="", meeting_solution=""
					),
					"联商会办记录",
				)
			)
			self.assertEqual(message.count("、"), 1, message)
			# a meeting date in the future or before the dispatch is refused
			self.assert_refused(
				lambda: self.record_meeting(name, meeting_date="2026-02-26 11:00:00"), "晚于当前"
			)
			self.assert_refused(
				lambda: self.record_meeting(name, meeting_date="2026-02-13 09:00:00"), "早于派单"
			)
			# only the lead records it
			self.assert_refused(
				lambda: self.record_meeting(name, user=ZJJ, meeting_date="2026-02-26 09:00:00"),
				"牵头部门",
				frappe.PermissionError,
			)
			self.assertFalse(frappe.db.get_value("Whistle Slip", name, "meeting_recorded_on"))
			slip = self.record_meeting(name, meeting_date="2026-02-26 09:00:00")
		self.assertEqual(slip.meeting_status, lc.LATE)
		with self.freeze_time("2026-02-26 11:00:00"):
			self.assertEqual(act_as(FGW, name, "办结", result="已办结").workflow_state, lc.COMPLETED)

	def test_the_lead_records_the_meeting_on_the_department_phone_page(self):
		"""The phone path records the meeting afterwards, like the desk and REST: the page's one-button
		step (phone.take_step); the web form 部门报到 itself is not editable, so a department never
		takes the 编辑 → 保存 detour (issue #20)."""
		import json

		from frappe.website.doctype.web_form.web_form import accept

		from whistle_app import phone

		name = self.multi_slip()
		with self.freeze_time("2026-02-14 10:00:00"):
			act_as(FGW, name, "报到", planned_completion="2026-04-30", **REPORT)
		self.assertFalse(frappe.db.get_value("Web Form", "whistle-report", "allow_edit"))
		with self.freeze_time("2026-02-24 15:00:00"):
			frappe.set_user(FGW)
			try:
				# as a browser would send the form: every field, the meeting filled in
				form = frappe.get_doc("Web Form", "whistle-report")
				slip = frappe.get_doc("Whistle Slip", name)
				data = {f.fieldname: slip.get(f.fieldname) for f in form.web_form_fields if f.fieldname}
				data.update(MEETING, meeting_date="2026-02-24 14:00:00", doctype="Whistle Slip", name=name)
				self.assertRaises(
					frappe.ValidationError, accept, "whistle-report", json.dumps(data, default=str)
				)
				self.assertFalse(frappe.db.get_value("Whistle Slip", name, "meeting_recorded_on"))
				phone.take_step(name, "记录联商会办", {**MEETING, "meeting_date": "2026-02-24 14:00:00"})
			finally:
				frappe.flags.in_web_form = False
				frappe.set_user("Administrator")
		slip = frappe.get_doc("Whistle Slip", name)
		self.assertEqual((slip.meeting_status, slip.meeting_recorded_on), (lc.MET, dt("2026-02-24 15:00:00")))

	def test_a_meeting_already_held_is_recorded_with_the_report(self):
		name = self.multi_slip()
		with self.freeze_time("2026-02-14 10:00:00"):
			slip = act_as(
				FGW,
				name,
				"报到",
				planned_completion="2026-04-30",
				**REPORT,
				**MEETING,
				meeting_date="2026-02-14 09:00:00",
			)
		self.assertEqual((slip.response_status, slip.meeting_status), (lc.MET, lc.MET))
		self.assertEqual(slip.meeting_recorded_on, dt("2026-02-14 10:00:00"))

	def test_cross_level_late_marks(self):
		name = self.submitted_slip("2026-09-30 08:00:00")
		with self.freeze_time("2026-09-30 10:00:00"):
			self.assert_refused(
				lambda: act_as(
					OFFICE, name, "派单", scope="Cross-level", departments=[("公安分局", "Sole", None)]
				),
				"上级",
			)
			slip = act_as(
				OFFICE,
				name,
				"派单",
				scope="Cross-level",
				higher_level_body="市公安局",
				departments=[("公安分局", "Sole", None)],
			)
		self.assertEqual(slip.response_deadline, dt("2026-10-08 23:59:59"))  # National Day
		with self.freeze_time("2026-10-09 10:00:00"):
			slip = act_as(POLICE, name, "报到", planned_completion="2026-10-10", **REPORT)
			act_as(OFFICE, name, "审核抄送")
		self.assertEqual(slip.response_status, lc.LATE)
		with self.freeze_time("2026-10-12 10:00:00"):
			slip = act_as(POLICE, name, "办结", result="已报转市公安局并办结")
		self.assertEqual(slip.completion_status, lc.LATE)

	def test_unconfirmed_year_warning(self):
		name = self.submitted_slip("2026-12-31 08:00:00")
		with self.freeze_time("2026-12-31 10:00:00"):
			slip = act_as(OFFICE, name, "派单", scope="Single", departments=[("发展和改革委", "Sole", None)])
		self.assertEqual(slip.response_deadline, dt("2027-01-04 23:59:59"))
		if not frappe.db.get_value("Work Calendar Year", {"year": 2027}, "confirmed"):
			self.assertIn("2027", slip.calendar_warning or "")


class TestRefusals(SlipTestCase):
	def dispatch(self, name, **values):
		return lambda: act_as(OFFICE, name, "派单", **values)

	def test_dispatch_refusals(self):
		name = self.submitted_slip("2026-03-02 09:00:00")
		cases = [
			({"scope": "Single", "departments": []}, "至少"),
			({"scope": "Multi", "departments": [("发展和改革委", "Lead", None)]}, "协办"),
			(
				{
					"scope": "Multi",
					"departments": [("发展和改革委", "Lead", None), ("发展和改革委", "Co", None)],
				},
				"重复",
			),
			({"scope": "Single", "departments": [("示例园区二", "Sole", None)]}, "不是报到部门"),
		]
		for values, text in cases:
			self.assert_refused(self.dispatch(name, **values), text)
			self.assertEqual(frappe.db.get_value("Whistle Slip", name, "workflow_state"), lc.SUBMITTED)
		self.assertFalse(frappe.db.get_value("Whistle Slip", name, "dispatched_on"))

	def test_report_refusals(self):
		name = self.submitted_slip("2026-03-02 09:00:00")
		with self.freeze_time("2026-03-02 10:00:00"):
			act_as(OFFICE, name, "派单", scope="Single", departments=[("发展和改革委", "Sole", None)])
			for missing in ("work_plan", "responsible_persons"):
				values = {**REPORT, "planned_completion": "2026-03-20", missing: ""}
				self.assert_refused(lambda v=values: act_as(FGW, name, "报到", **v), "报到需要")
			self.assert_refused(lambda: act_as(FGW, name, "报到", **REPORT), "计划办结日期")
			self.assert_refused(
				lambda: act_as(FGW, name, "报到", planned_completion="2026-03-01", **REPORT), "不能早于派单"
			)
		self.assertEqual(frappe.db.get_value("Whistle Slip", name, "workflow_state"), lc.DISPATCHED)

	def test_wrong_role_unit_or_order(self):
		name = self.submitted_slip("2026-03-02 09:00:00")
		# the kernel names who may act, and what the state allows, before Frappe's workflow is asked
		self.assert_refused(lambda: act_as(PARK, name, "派单"), "只有区吹哨办", frappe.PermissionError)
		self.assert_refused(
			lambda: act_as(FGW, name, "报到"), "", frappe.PermissionError
		)  # not on the slip yet
		with self.freeze_time("2026-03-02 10:00:00"):
			act_as(OFFICE, name, "派单", scope="Single", departments=[("发展和改革委", "Sole", None)])
		# another department cannot report for 发展和改革委
		self.assert_refused(
			lambda: act_as(ZJJ, name, "报到", planned_completion="2026-03-20", **REPORT),
			"",
			frappe.PermissionError,
		)
		# the office cannot jump to closure
		self.assert_refused(lambda: act_as(OFFICE, name, "销号"), "现在不能执行「销号」", SlipActionError)
		self.assertEqual(frappe.db.get_value("Whistle Slip", name, "workflow_state"), lc.DISPATCHED)

	def test_reasons_required(self):
		name = self.submitted_slip("2026-03-02 09:00:00")
		self.assert_refused(lambda: act_as(OFFICE, name, "退回补充"), "需要填写理由")
		slip = act_as(OFFICE, name, "退回补充", reason="请补充企业联系方式")
		self.assertEqual(slip.workflow_state, lc.RETURNED)
		self.assertEqual(slip.state_log[-1].reason, "请补充企业联系方式")
		self.assertFalse(slip.action_reason)

	def test_saved_progress_is_immutable(self):
		name = self.submitted_slip("2026-03-02 09:00:00")
		with self.freeze_time("2026-03-02 10:00:00"):
			act_as(OFFICE, name, "派单", scope="Single", departments=[("发展和改革委", "Sole", None)])
		frappe.set_user(FGW)
		slip = frappe.get_doc("Whistle Slip", name)
		slip.append("progress", {"content": "第一次进展"})
		slip.save()
		slip.progress[0].content = "改写"
		self.assert_refused(slip.save, "不能修改")


class TestSlipAccess(SlipTestCase):
	def test_park_and_department_visibility(self):
		name = self.submitted_slip("2026-03-02 09:00:00")
		with self.freeze_time("2026-03-02 10:00:00"):
			act_as(OFFICE, name, "派单", scope="Single", departments=[("发展和改革委", "Sole", None)])
		for user, sees in ((PARK, True), (OTHER_PARK, False), (FGW, True), (ZJJ, False), (OFFICE, True)):
			frappe.set_user(user)
			listed = name in frappe.get_list("Whistle Slip", pluck="name", limit_page_length=0)
			checked = frappe.has_permission("Whistle Slip", "read", doc=name)
			frappe.set_user("Administrator")
			self.assertEqual((listed, checked), (sees, sees), user)

	def test_park_cannot_file_for_another_park(self):
		with self.assertRaises(frappe.PermissionError):
			make_slip(PARK, whistle_unit="示例园区二")


class TestDeskReasonFlow(SlipTestCase):
	def test_park_saves_reason_then_rehandles(self):
		"""The desk form saves the reason first (whistle_slip.js), then applies the action."""
		from frappe.model.workflow import apply_workflow

		name = self.submitted_slip("2026-03-02 09:00:00")
		with self.freeze_time("2026-03-02 10:00:00"):
			act_as(OFFICE, name, "派单", scope="Single", departments=[("发展和改革委", "Sole", None)])
			act_as(FGW, name, "报到", planned_completion="2026-03-20", **REPORT)
			act_as(OFFICE, name, "审核抄送")
			act_as(FGW, name, "办结", result="已办结")
		frappe.set_user(PARK)
		slip = frappe.get_doc("Whistle Slip", name)
		slip.action_reason = "问题仍未解决"
		slip.save()
		slip.title = "改标题"
		self.assert_refused(slip.save, "不能修改")  # anything but the reason stays closed to the park
		slip = frappe.get_doc("Whistle Slip", name)
		slip.state_log[0].reason = "篡改"
		slip.action_reason = "问题仍未解决"
		slip.save()
		apply_workflow(slip.as_dict(), "重办")
		frappe.set_user("Administrator")
		slip = frappe.get_doc("Whistle Slip", name)
		self.assertEqual(slip.workflow_state, lc.HANDLING)
		self.assertEqual(slip.rehandle_count, 1)
		self.assertEqual(slip.state_log[-1].reason, "问题仍未解决")
		self.assertNotEqual(slip.state_log[0].reason, "篡改", "the history cannot be rewritten")


class TestDepartmentWebForm(SlipTestCase):
	def test_department_web_form_actions_and_progress(self):
		from whistle_app.lifecycle import add_progress, available_actions

		self.assertTrue(frappe.db.get_value("Web Form", "whistle-report", "login_required"))
		self.assertTrue(frappe.db.get_value("Web Form", "whistle-report", "apply_document_permissions"))
		name = self.submitted_slip("2026-03-02 09:00:00")
		with self.freeze_time("2026-03-02 10:00:00"):
			act_as(OFFICE, name, "派单", scope="Single", departments=[("发展和改革委", "Sole", None)])
		frappe.set_user(FGW)
		self.assertEqual([a["action"] for a in available_actions(name)], ["报到"])
		self.assertEqual(add_progress(name, "已联系企业"), 1)
		frappe.set_user(ZJJ)
		self.assertRaises(frappe.PermissionError, available_actions, name)
		self.assertRaises(frappe.PermissionError, add_progress, name, "越权")
		frappe.set_user(PARK)
		self.assertEqual(available_actions(name), [])
		frappe.set_user("Administrator")
