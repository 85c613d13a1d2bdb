"""The District Head's coordination (RULES §12) end to end as the real roles, with frozen time: the
job's candidates, the meeting and its minutes, the decisions' clock, access and refusals."""

import io
import re

import frappe
from frappe.translate import print_language
from frappe.utils import get_datetime
from pypdf import PdfReader

from tests.base import WhistleTestCase
from tests.factory import as_user, slip_in_handling
from tests.pdf import AssetsServerMixin
from whistle_app import board, clocks
from whistle_app import coordination as coord
from whistle_app.rules import coordination as co

OFFICE = "office@whistle.localhost"
LEADER = "leader@whistle.localhost"  # District Leader, the chair
FGW = "fgw@whistle.localhost"  # 发展和改革委 liaison: the sole department, responsible unit
FGW_LEADER = "fgw-leader@whistle.localhost"
ZJJ = "zjj@whistle.localhost"  # 住房和城乡建设局: another unit
PARK = "park1@whistle.localhost"
FGW_UNIT = "发展和改革委"
PARK_UNIT = "示例园区一"
MINUTES = "会议纪要"


class CoordinationTestCase(WhistleTestCase):
	def overdue_slip(self) -> str:
		"""A slip whose completion deadline (Fri 2026-03-06) passes while it is handled."""
		return slip_in_handling(self.freeze_time, "2026-03-02", "2026-03-06")

	def candidates(self, slip: str) -> list[tuple]:
		return [
			(c.reason, c.source, c.status)
			for c in frappe.get_all(
				co.CANDIDATE,
				filters={"slip": slip},
				fields=["reason", "source", "status"],
				order_by="creation asc",
			)
		]

	def meeting(self, slip: str, day: str = "2026-03-16") -> str:
		doc = {
			"doctype": co.MEETING,
			"meeting_date": day,
			"chair": LEADER,
			"attending_units": [{"unit": FGW_UNIT}, {"unit": PARK_UNIT}],
			"agenda": [{"slip": slip}],
		}
		with self.freeze_time(f"{day} 09:00:00"):
			return as_user(OFFICE, lambda: frappe.get_doc(doc).insert()).name

	def act(self, user, doctype, name, action, reason=None, when="2026-03-16 10:00:00"):
		with self.freeze_time(when):
			as_user(user, coord.act, doctype, name, action, reason)
		return frappe.get_doc(doctype, name)

	def decide(self, meeting: str, slip: str, what: str, **deadline) -> str:
		doc = {
			"doctype": co.DECISION,
			"meeting": meeting,
			"slip": slip,
			"what": what,
			"responsible_units": [{"unit": FGW_UNIT}],
			**deadline,
		}
		with self.freeze_time("2026-03-16 11:00:00"):
			return as_user(OFFICE, lambda: frappe.get_doc(doc).insert()).name

	def published(self):
		slip = self.overdue_slip()
		meeting = self.meeting(slip)
		self.act(OFFICE, co.MEETING, meeting, co.HOLD)
		by_days = self.decide(
			meeting, slip, "发改委三个工作日内协调用地指标", deadline_type=co.BY_WORKING_DAYS, working_days=3
		)
		by_date = self.decide(
			meeting, slip, "发改委月底前出具书面意见", deadline_type=co.BY_DATE, deadline_date="2026-03-31"
		)
		self.act(OFFICE, co.MEETING, meeting, co.PUBLISH, when="2026-03-16 15:00:00")
		return slip, meeting, by_days, by_date

	def readable(self, user: str, doctype: str, name: str) -> bool:
		return as_user(user, lambda: frappe.has_permission(doctype, "read", doc=name))

	def events(self, decision: str) -> list[tuple]:
		return [
			(e.department, e.kind, str(get_datetime(e.deadline)))
			for e in frappe.get_all(
				"Whistle Clock Event",
				filters={"decision": decision},
				fields=["department", "kind", "deadline"],
				order_by="creation asc",
			)
		]

	def notices(self, user: str, decision: str, marker: str) -> int:
		return frappe.db.count(
			"Notification Log",
			{"for_user": user, "document_name": decision, "subject": ("like", f"%{marker}%")},
		)


class TestCandidates(CoordinationTestCase):
	def test_the_deadline_job_proposes_once_per_slip_and_reason(self):
		slip = self.overdue_slip()
		with self.freeze_time("2026-03-12 10:00:00"):  # late by 4 working days: not yet
			clocks.process_deadlines()
		self.assertEqual(self.candidates(slip), [])
		for _run in range(2):
			with self.freeze_time("2026-03-13 10:00:00"):  # late by 5
				summary = clocks.process_deadlines()
			self.assertNotIn("failed", summary["coordination"])
		self.assertEqual(self.candidates(slip), [(co.COMPLETION_OVERDUE, co.SOURCE_AUTOMATIC, co.PENDING)])

	def test_units_ask_and_the_office_decides_with_a_reason(self):
		slip = self.overdue_slip()
		with self.freeze_time("2026-03-09 10:00:00"):
			# another unit does not even see the whistle
			self.assert_refused(
				lambda: as_user(ZJJ, coord.request_coordination, slip, "请区长协调"),
				"",
				frappe.PermissionError,
			)
			self.assert_refused(lambda: as_user(PARK, coord.request_coordination, slip, " "), "请填写理由")
			asked = as_user(PARK, coord.request_coordination, slip, "用地指标需区级协调")
			self.assert_refused(
				lambda: as_user(FGW, coord.decline_candidate, asked, "不需要"),
				"只有区吹哨办",
				frappe.PermissionError,
			)
			self.assert_refused(lambda: as_user(OFFICE, coord.decline_candidate, asked, ""), "请填写理由")
			as_user(OFFICE, coord.decline_candidate, asked, "部门已承诺本周办结")
			nominated = as_user(OFFICE, coord.nominate, slip, "涉及多部门，提请调度")
		self.assertEqual(
			self.candidates(slip),
			[
				(co.UNIT_REQUEST, co.SOURCE_UNIT, co.DECLINED),
				(co.OFFICE_NOMINATION, co.SOURCE_OFFICE, co.PENDING),
			],
		)
		# the requesting park reads its own request (and the office's reason); not the office's queue
		self.assertTrue(self.readable(PARK, co.CANDIDATE, asked))
		self.assertFalse(self.readable(PARK, co.CANDIDATE, nominated))
		self.assertEqual(frappe.db.get_value(co.CANDIDATE, asked, "decline_reason"), "部门已承诺本周办结")
		# put on a meeting's agenda, the pending proposal goes with it
		meeting = self.meeting(slip)
		self.assertEqual(
			frappe.get_value(co.CANDIDATE, nominated, ["status", "meeting"]), (co.ON_AGENDA, meeting)
		)
		# the board marks the whistle under coordination and can show only those
		cards = [
			c for col in as_user(OFFICE, board.get_board, coordination=True)["columns"] for c in col["cards"]
		]
		self.assertIn(slip, [c["name"] for c in cards])
		self.assertTrue(all(c["coordination"] for c in cards))


class TestMeetingAndDecisions(CoordinationTestCase):
	def test_meeting_flow_minutes_and_decision_follow_up(self):
		slip = self.overdue_slip()
		# only the office schedules; the chair must be a District Leader
		self.assert_refused(
			lambda: as_user(
				FGW,
				lambda: frappe.get_doc(
					{
						"doctype": co.MEETING,
						"meeting_date": "2026-03-16",
						"chair": LEADER,
						"agenda": [{"slip": slip}],
					}
				).insert(),
			),
			"",
			(frappe.PermissionError, frappe.ValidationError),
		)
		self.assert_refused(
			lambda: as_user(
				OFFICE,
				lambda: frappe.get_doc(
					{
						"doctype": co.MEETING,
						"meeting_date": "2026-03-16",
						"chair": FGW,
						"agenda": [{"slip": slip}],
					}
				).insert(),
			),
			"区党政主要负责人",
		)
		meeting = self.meeting(slip)
		row = frappe.get_doc(co.MEETING, meeting).agenda[0]
		self.assertEqual(
			(row.slip_state, row.slip_title[:2]),
			("办理中", frappe.db.get_value("Whistle Slip", slip, "title")[:2]),
		)
		self.assertIn("办结时限", row.clocks)
		self.assertIn(FGW_UNIT, row.departments)

		self.act(OFFICE, co.MEETING, meeting, co.HOLD)
		by_days = self.decide(
			meeting, slip, "发改委三个工作日内协调用地指标", deadline_type=co.BY_WORKING_DAYS, working_days=3
		)
		# a department neither records decisions nor publishes the minutes
		self.assert_refused(
			lambda: self.act(FGW, co.MEETING, meeting, co.PUBLISH),
			"",
			(frappe.PermissionError, frappe.ValidationError),
		)
		self.assertEqual(frappe.db.get_value(co.MEETING, meeting, "workflow_state"), co.HELD)
		self.act(OFFICE, co.MEETING, meeting, co.PUBLISH, when="2026-03-16 15:00:00")
		m = frappe.get_doc(co.MEETING, meeting)
		self.assertEqual((m.workflow_state, m.docstatus), (co.PUBLISHED, 1))
		d = frappe.get_doc(co.DECISION, by_days)
		self.assertEqual(d.workflow_state, co.OPEN)
		self.assertEqual(get_datetime(d.due_on), get_datetime("2026-03-19 23:59:59"))
		# the responsible unit and the park are told; they read it, another unit does not
		self.assertTrue(self.notices(FGW, by_days, "纪要已印发"))
		self.assertTrue(self.notices(PARK, by_days, "纪要已印发"))
		self.assertTrue(self.readable(FGW, co.DECISION, by_days))
		self.assertTrue(self.readable(FGW, co.MEETING, meeting))
		self.assertFalse(self.readable(ZJJ, co.DECISION, by_days))
		self.assertFalse(self.readable(ZJJ, co.MEETING, meeting))
		self.assertNotIn(by_days, as_user(ZJJ, lambda: frappe.get_list(co.DECISION, pluck="name")))
		self.assertTrue(self.readable(LEADER, co.DECISION, by_days))

		# what was decided is fixed once published
		def rewrite():
			doc = frappe.get_doc(co.DECISION, by_days)
			doc.what = "改写"
			doc.save()

		self.assert_refused(lambda: as_user(FGW, rewrite), "不能修改")

		# the clock: a reminder on the due day, then the overdue flag and one escalation (run twice)
		for when in ("2026-03-19 09:00:00", "2026-03-19 09:05:00"):
			with self.freeze_time(when):
				coord.process_decisions()
		self.assertEqual(self.events(by_days), [(FGW_UNIT, co.REMINDER, "2026-03-19 23:59:59")])
		self.assertEqual(self.notices(FGW, by_days, "今日到期"), 1)
		for when in ("2026-03-20 09:00:00", "2026-03-20 09:05:00"):
			with self.freeze_time(when):
				coord.process_decisions()
		self.assertEqual([e[1] for e in self.events(by_days)], [co.REMINDER, co.ESCALATION])
		self.assertTrue(frappe.db.get_value(co.DECISION, by_days, "overdue"))
		for user in (FGW_LEADER, OFFICE, LEADER):
			self.assertEqual(self.notices(user, by_days, "已逾期"), 1, user)

		# the unit reports done with a result; the office reopens with a reason, then accepts
		self.assert_refused(lambda: self.act(FGW, co.DECISION, by_days, co.REPORT), "请先填写办理结果")

		def write_result(text):
			doc = frappe.get_doc(co.DECISION, by_days)
			doc.result = text
			doc.save()

		as_user(FGW, write_result, "已协调落实用地指标")
		self.act(FGW, co.DECISION, by_days, co.REPORT, when="2026-03-23 10:00:00")
		self.assert_refused(lambda: self.act(ZJJ, co.DECISION, by_days, co.ACCEPT), "", Exception)
		self.assert_refused(lambda: self.act(OFFICE, co.DECISION, by_days, co.REOPEN), "需要填写理由")
		d = self.act(OFFICE, co.DECISION, by_days, co.REOPEN, "缺少书面批复", when="2026-03-23 11:00:00")
		self.assertEqual((d.workflow_state, d.office_reason), (co.OPEN, "缺少书面批复"))
		as_user(FGW, write_result, "已取得书面批复")
		self.act(FGW, co.DECISION, by_days, co.REPORT, when="2026-03-24 10:00:00")
		d = self.act(OFFICE, co.DECISION, by_days, co.ACCEPT, when="2026-03-24 11:00:00")
		self.assertEqual((d.workflow_state, d.docstatus, d.overdue), (co.DONE, 1, 0))
		steps = [(h.action, h.to_state) for h in d.history]
		self.assertEqual(steps[0], (co.ISSUE, co.OPEN))
		self.assertEqual(steps[-1], (co.ACCEPT, co.DONE))
		# the slip's coordination history
		history = as_user(PARK, coord.slip_history, slip)
		self.assertEqual([x.name for x in history["decisions"]], [by_days])

	def test_published_minutes_are_final(self):
		slip, meeting, by_days, by_date = self.published()
		self.assertEqual(
			get_datetime(frappe.db.get_value(co.DECISION, by_date, "due_on")),
			get_datetime("2026-03-31 23:59:59"),
		)
		self.assert_refused(
			lambda: self.decide(
				meeting, slip, "再加一项", deadline_type=co.BY_DATE, deadline_date="2026-04-30"
			),
			"已印发",
		)
		self.assert_refused(
			lambda: as_user(OFFICE, lambda: frappe.delete_doc(co.DECISION, by_days)), "", Exception
		)
		self.assertTrue(frappe.db.exists(co.DECISION, by_days))


class TestMinutesPdf(AssetsServerMixin, CoordinationTestCase):
	def test_minutes_pdf_text_layer_holds_the_chinese_decisions(self):
		_slip, meeting, _by_days, _by_date = self.published()
		pf = frappe.get_doc("Print Format", MINUTES)
		self.assertEqual((pf.doc_type, pf.standard, pf.default_print_language), (co.MEETING, "Yes", "zh"))
		with print_language("zh"):
			pdf = as_user(FGW, frappe.get_print, co.MEETING, meeting, print_format=MINUTES, as_pdf=True)
		self.assertTrue(pdf.startswith(b"%PDF"))
		text = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
		self.assertFalse([c for c in text if 0x2E80 <= ord(c) <= 0x2FDF], "radicals instead of ideographs")
		for expected in (
			"区长调度会商会会议纪要",
			"发改委三个工作日内协调用地指标",
			"发改委月底前出具书面意见",
			"2026年3月19日",
			"2026年3月31日",
			FGW_UNIT,
		):
			self.assertIn(expected, text)


class TestBulletin(CoordinationTestCase):
	def test_an_overdue_decision_is_a_late_action_in_the_monthly_bulletin(self):
		from whistle_app.bulletins.figures import count_month
		from whistle_app.rules import bulletin as rb

		_slip, _meeting, by_days, by_date = self.published()
		figures, _summary = count_month(2026, 3, get_datetime("2026-04-01 09:00:00"))
		fgw = next(f for f in figures if f.department == FGW_UNIT)
		self.assertEqual(fgw.decisions_late, 2)
		self.assertEqual(sorted(fgw.triggers[rb.LATE_DECISION]), sorted([by_days, by_date]))
		# not counted before its due date has passed
		figures, _summary = count_month(2026, 3, get_datetime("2026-03-20 09:00:00"))
		fgw = next(f for f in figures if f.department == FGW_UNIT)
		self.assertEqual(fgw.triggers.get(rb.LATE_DECISION), [by_days])
