"""Monthly supervision bulletin (RULES §6; issue #7): counting a month of activity, naming, the office's
adjustments, publishing, corrections, access, notifications, the drafting job and the PDF."""

import io
import re
from unittest.mock import patch

import frappe
import pytest
from frappe.translate import print_language
from pypdf import PdfReader

from tests.base import WhistleTestCase
from tests.factory import (
	act_as,
	as_user,
	ensure_demo,
	make_bulletin,
	make_published_bulletin,
	make_rating,
	make_request,
	make_slip,
	module_users,
	request_act,
)
from tests.pdf import AssetsServerMixin
from whistle_app import bulletins as bl
from whistle_app import requests as rq
from whistle_app import urging
from whistle_app.rules import bulletin as rb

BULLETIN = "Supervision Bulletin"
PRINT_FORMAT = "月度督查通报"
PARK = "park1@whistle.localhost"
OFFICE = "office@whistle.localhost"
LEADER = "leader@whistle.localhost"  # District Leader
EFFICIENCY = "efficiency@whistle.localhost"
REPORT = {"work_plan": "现场办公，按期办结", "responsible_persons": "赵示例"}
MEETING = {
	"meeting_date": "2026-03-12 10:00:00",
	"meeting_departments": "财政局、气象局",
	"meeting_minutes": "会商纪要",
	"meeting_solution": "分工协作",
	"meeting_task_division": "按分工办理",
}

# Units without demo whistles, so their figures are exactly this test's.
EDU, FIN, MET, MOBILE = "教育局", "财政局", "气象局", "移动公司"  # classes A, A, B, C
EDU_USER, FIN_USER = "edu@whistle.localhost", "fin@whistle.localhost"
MET_USER, MOBILE_USER = "met@whistle.localhost", "mobile@whistle.localhost"
EDU_LEADER = "edu-leader@whistle.localhost"

COLUMNS = (
	"slips_received",
	"responses_on_time",
	"responses_late",
	"meetings_on_time",
	"meetings_late",
	"completions_on_time",
	"completions_late",
	"open_now",
	"overdue_now",
	"closures",
	"average_score",
)


@pytest.fixture(scope="module", autouse=True)
def bulletin_users(_site):
	"""The four units' liaisons and a leader, for this module (``factory.module_users``)."""
	ensure_demo()
	liaisons = ((EDU_USER, EDU), (FIN_USER, FIN), (MET_USER, MET), (MOBILE_USER, MOBILE))
	specs = [(email, ["Department Liaison"], unit) for email, unit in liaisons]
	yield from module_users([*specs, (EDU_LEADER, ["Department Leader"], EDU)])


class BulletinTestCase(WhistleTestCase):
	def slip(self, day: str, departments, scope: str = "Single") -> str:
		"""A slip filed at 09:00 and dispatched at 10:00 on ``day``."""
		with self.freeze_time(f"{day} 09:00:00"):
			name = make_slip(PARK).name
			act_as(PARK, name, "提交吹哨")
		with self.freeze_time(f"{day} 10:00:00"):
			act_as(OFFICE, name, "派单", scope=scope, departments=departments)
		return name

	def at(self, when: str, user: str, slip: str, action: str, **values):
		with self.freeze_time(when):
			return act_as(user, slip, action, **values)

	def march(self) -> dict[str, str]:
		"""A month of activity (March 2026) in four units; see ``test_a_month_produces_the_expected_table``.

		Whistles other tests committed in March 2026 (several freeze time at 2026-03-02) are removed
		inside this test's transaction, so the month holds exactly these; the rollback restores them."""
		from tests.integration.cleanup import purge

		purge(
			"Whistle Slip",
			frappe.get_all(
				"Whistle Slip",
				filters={"dispatched_on": ("between", ["2026-02-01", "2026-04-30 23:59:59"])},
				pluck="name",
			),
		)
		s = {}
		# S1 教育局: response on time, completed on time, confirmed, rated 90 and closed in March
		s["S1"] = self.slip("2026-03-02", [(EDU, "Sole", None)])  # response due 03-03
		self.at("2026-03-03 09:00:00", EDU_USER, s["S1"], "报到", planned_completion="2026-03-13", **REPORT)
		self.at("2026-03-03 10:00:00", OFFICE, s["S1"], "审核抄送")
		self.at("2026-03-12 10:00:00", EDU_USER, s["S1"], "办结", result="已办结")
		self.at("2026-03-13 10:00:00", PARK, s["S1"], "确认解决")
		with self.freeze_time("2026-03-13 11:00:00"):
			make_rating(PARK, s["S1"], EDU, {"响应速度": 18, "服务态度": 18, "办理效率": 27, "办理成效": 27})
		self.at("2026-03-16 10:00:00", OFFICE, s["S1"], "销号")
		# S2 教育局: response late (due 03-05); completion due 03-20 extended to 04-10 (April's bulletin)
		s["S2"] = self.slip("2026-03-04", [(EDU, "Sole", None)])
		self.at("2026-03-06 09:00:00", EDU_USER, s["S2"], "报到", planned_completion="2026-03-20", **REPORT)
		self.at("2026-03-06 10:00:00", OFFICE, s["S2"], "审核抄送")
		with self.freeze_time("2026-03-18 10:00:00"):
			req = make_request(
				EDU_USER, rq.EXTENSION, s["S2"], new_completion_date="2026-04-10", reason="等待批复"
			)
			request_act(EDU_USER, rq.EXTENSION, req.name, rq.FILE)
			request_act(OFFICE, rq.EXTENSION, req.name, rq.APPROVE, reason="同意")
		# S3 财政局 lead, 气象局 co: response (03-10) and joint meeting (03-12) late; completion due
		# 03-31 still missing on 04-01
		s["S3"] = self.slip("2026-03-09", [(FIN, "Lead", None), (MET, "Co", "配合")], scope="Multi")
		self.at(
			"2026-03-13 09:00:00",
			FIN_USER,
			s["S3"],
			"报到",
			planned_completion="2026-03-31",
			**REPORT,
			**MEETING,
		)
		self.at("2026-03-13 10:00:00", OFFICE, s["S3"], "审核抄送")
		# S4 气象局: response on time; completion due 03-20, completed 03-24 (late)
		s["S4"] = self.slip("2026-03-16", [(MET, "Sole", None)])
		self.at("2026-03-16 11:00:00", MET_USER, s["S4"], "报到", planned_completion="2026-03-20", **REPORT)
		self.at("2026-03-16 12:00:00", OFFICE, s["S4"], "审核抄送")
		self.at("2026-03-24 10:00:00", MET_USER, s["S4"], "办结", result="已办结")
		# S5 移动公司: response late, then exempted (继续跟踪): left out of every count but received/open
		s["S5"] = self.slip("2026-03-02", [(MOBILE, "Sole", None)])
		self.at(
			"2026-03-04 09:00:00", MOBILE_USER, s["S5"], "报到", planned_completion="2026-03-10", **REPORT
		)
		self.at("2026-03-04 10:00:00", OFFICE, s["S5"], "审核抄送")
		with self.freeze_time("2026-03-09 10:00:00"):
			req = make_request(MOBILE_USER, rq.EXEMPTION, s["S5"], reason="政策限制，多次协调未果")
			request_act(MOBILE_USER, rq.EXEMPTION, req.name, rq.FILE)
			request_act(OFFICE, rq.EXEMPTION, req.name, rq.FORWARD, reason="情况属实")
			request_act(LEADER, rq.EXEMPTION, req.name, rq.APPROVE)
		# S6 移动公司: dispatched 03-31, response due 04-01: received in March, judged in April
		s["S6"] = self.slip("2026-03-31", [(MOBILE, "Sole", None)])
		return s

	def draft_march(self) -> str:
		with self.freeze_time("2026-04-01 09:00:00"):
			return bl.draft_bulletin(2026, 3)

	def figures(self, name: str) -> dict[str, tuple]:
		doc = frappe.get_doc(BULLETIN, name)
		return {
			row.department: tuple(
				round(row.average_score, 2) if c == "average_score" and row.closures else (row.get(c) or 0)
				for c in COLUMNS
			)
			for row in doc.units
		}

	def unchanged(self, name: str):
		"""A snapshot of a stored bulletin (and its children) to compare after a refusal."""
		doc = frappe.get_doc(BULLETIN, name)
		return (
			doc.docstatus,
			doc.status,
			str(doc.modified),
			doc.bulletin_text,
			doc.as_dict().get("named_units"),
		)


class TestCountingAMonth(BulletinTestCase):
	def test_a_month_produces_the_expected_table(self):
		s = self.march()
		name = self.draft_march()
		self.assertEqual(name, "DCTB-2026-03")
		doc = frappe.get_doc(BULLETIN, name)
		self.assertEqual((doc.year, doc.month, doc.status, doc.docstatus), (2026, 3, rb.DRAFT, 0))
		self.assertEqual(str(doc.drafted_on), "2026-04-01 09:00:00")
		self.assertEqual(doc.slips_dispatched, 6)

		# Written by hand from RULES §6 (clocks judged in the month of their deadline, as of 04-01 09:00):
		#           received  resp on/late  meet on/late  compl on/late  open  overdue  closures  avg
		expected = {
			EDU: (2, 1, 1, 0, 0, 1, 0, 1, 0, 1, 90.0),  # S2 open (extended), S1 closed with 90
			FIN: (1, 0, 1, 0, 1, 0, 1, 1, 1, 0, 0),  # S3: all three clocks late, completion overdue
			MET: (2, 1, 0, 0, 0, 0, 1, 2, 0, 0, 0),  # co on S3 (no clocks); S4 completed late
			MOBILE: (2, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0),  # S5 exempted; S6 judged in April
		}
		got = self.figures(name)
		self.assertEqual({unit: got[unit] for unit in expected}, expected)

		proposals = [(p.department, p.rule, p.slip_count, p.slips) for p in doc.proposals]
		self.assertEqual(
			proposals,
			[
				(EDU, rb.LATE_RESPONSE, 1, s["S2"]),
				(FIN, rb.LATE_RESPONSE, 1, s["S3"]),
				(FIN, rb.LATE_MEETING, 1, s["S3"]),
				(FIN, rb.COMPLETION_OVERDUE, 1, s["S3"]),
				(MET, rb.COMPLETED_LATE, 1, s["S4"]),
			],
		)
		self.assertEqual(
			[(n.department, n.source) for n in doc.named_units],
			[(EDU, rb.PROPOSED), (FIN, rb.PROPOSED), (MET, rb.PROPOSED)],
		)
		fin = next(n for n in doc.named_units if n.department == FIN)
		self.assertEqual(
			fin.reasons, f"报到超时（{s['S3']}）；联商会办超时（{s['S3']}）；逾期未办结（{s['S3']}）"
		)
		self.assertEqual(fin.assessment_class, "A")

		# units listed by class A, B, C; every enabled reporting unit has a row
		classes = [row.assessment_class for row in doc.units]
		self.assertEqual(classes, sorted(classes))
		self.assertEqual(
			len(doc.units), frappe.db.count("Whistle Unit", {"unit_type": "Reporting Unit", "enabled": 1})
		)

		# the generated Chinese text
		self.assertIn("2026年3月", doc.bulletin_text)
		self.assertIn("本月共派单6件", doc.bulletin_text)
		self.assertIn("截至2026年4月1日", doc.bulletin_text)
		self.assertIn(f"{EDU}（报到超时（{s['S2']}））", doc.bulletin_text)
		self.assertEqual(doc.bulletin_text, doc.generated_text)

	def test_counting_is_a_few_set_based_queries(self):
		"""The same handful of grouped queries for an empty month and for a month of activity."""
		self.march()
		frappe.clear_cache(doctype="Whistle Unit")
		with self.freeze_time("2026-04-01 09:00:00"):
			bl.count_month(2025, 5)  # warm the metadata caches
			# one more for the coordination decisions due in the month (RULES §12)
			with self.assertQueryCount(12):
				empty, _summary = bl.count_month(2025, 5)
			with self.assertQueryCount(12):
				figures, summary = bl.count_month(2026, 3)
		self.assertEqual(summary["slips_dispatched"], 6)
		self.assertFalse(any(f.proposed for f in empty))
		self.assertTrue(any(f.proposed for f in figures))


class TestUrgesCounted(BulletinTestCase):
	def test_each_unit_counts_the_urges_of_the_month(self):
		"""被催办次数 (plan 二.2): the urges made in the month on whistles of the unit, each department of
		an urged multi-department whistle counted once per urge; urges of another month left out."""
		edu = self.slip("2026-05-06", [(EDU, "Sole", None)])
		multi = self.slip("2026-05-06", [(FIN, "Lead", None), (MET, "Co", "配合")], scope="Multi")
		for when, slip in (
			("2026-05-07 10:00:00", edu),
			("2026-05-08 10:00:00", edu),
			("2026-05-08 11:00:00", multi),
			("2026-05-31 23:59:00", multi),  # a rest day: still May
			("2026-06-01 09:00:00", edu),  # June's bulletin
		):
			with self.freeze_time(when):
				as_user(PARK, urging.urge, slip, "请加快办理")
		expected = {EDU: 2, FIN: 2, MET: 2, MOBILE: 0}
		may = ("between", ["2026-05-01 00:00:00", "2026-05-31 23:59:59"])
		events = {
			unit: frappe.db.count(
				"Whistle Clock Event", {"department": unit, "event_key": ("like", "urge:%"), "sent_on": may}
			)
			for unit in expected
		}
		self.assertEqual(events, expected, "one urge event per department and urge")
		with self.freeze_time("2026-06-02 09:00:00"):
			figures, _summary = bl.count_month(2026, 5)
			name = make_bulletin(2026, 5)
		self.assertEqual({f.department: f.urged for f in figures if f.department in expected}, expected)
		doc = frappe.get_doc(BULLETIN, name)
		self.assertEqual(
			{row.department: row.urged for row in doc.units if row.department in expected}, expected
		)
		# the print lists the count in its own column, after 逾期
		with print_language("zh"):
			html = frappe.get_print(BULLETIN, name, print_format=PRINT_FORMAT)
		self.assertIn('<th rowspan="2">逾期</th><th rowspan="2">被催办<br>次数</th>', html)
		for unit, count in expected.items():
			row = re.search(rf'<td class="wl-left">{unit}▲?</td>(.*?)</tr>', html, re.S).group(1)
			cells = re.findall(r"<td>([^<]*)</td>", row)
			self.assertEqual(len(cells), 11, cells)
			self.assertEqual(cells[9], str(count), unit)


class TestOfficeAdjustments(BulletinTestCase):
	def test_additions_and_removals_need_reasons_and_change_the_list(self):
		s = self.march()
		name = self.draft_march()
		doc = frappe.get_doc(BULLETIN, name)
		doc.append(
			"adjustments",
			{"department": EDU, "action": rb.REMOVE, "reason": "迟报系系统故障，经核实予以剔除"},
		)
		doc.append("adjustments", {"department": MOBILE, "action": rb.ADD, "reason": "督查中发现推诿扯皮"})
		as_user(OFFICE, doc.save)
		doc.reload()
		self.assertEqual(
			[(n.department, n.source, n.reasons) for n in doc.named_units],
			[
				(
					FIN,
					rb.PROPOSED,
					f"报到超时（{s['S3']}）；联商会办超时（{s['S3']}）；逾期未办结（{s['S3']}）",
				),
				(MET, rb.PROPOSED, f"超期办结（{s['S4']}）"),
				(MOBILE, rb.ADDED, "督查中发现推诿扯皮"),
			],
		)
		units = {row.department: (row.proposed, row.named) for row in doc.units}
		self.assertEqual((units[EDU], units[MOBILE], units[FIN]), ((1, 0), (0, 1), (1, 1)))
		self.assertNotIn(f"{EDU}（", doc.bulletin_text, "the unedited text follows the list")
		self.assertIn(f"{MOBILE}（督查中发现推诿扯皮）", doc.bulletin_text)

		# an edited text is kept as the office wrote it
		doc.bulletin_text = "经研究，现将2026年3月督查情况通报如下。（办公室修改稿）"
		as_user(OFFICE, doc.save)
		doc.reload()
		doc.adjustments = [row for row in doc.adjustments if row.department != MOBILE]
		as_user(OFFICE, doc.save)
		doc.reload()
		self.assertEqual(doc.bulletin_text, "经研究，现将2026年3月督查情况通报如下。（办公室修改稿）")
		self.assertEqual([n.department for n in doc.named_units], [FIN, MET])

	def test_bad_adjustments_are_refused(self):
		self.march()
		name = self.draft_march()
		for unit, action, reason, text in (
			(EDU, rb.REMOVE, "", "请填写"),
			(MOBILE, rb.REMOVE, "不在名单", "未被提议通报"),
			(FIN, rb.ADD, "重复", "已被提议通报"),
			("示例园区一", rb.ADD, "园区", "不是报到单位"),
		):
			doc = frappe.get_doc(BULLETIN, name)
			doc.append("adjustments", {"department": unit, "action": action, "reason": reason})
			self.assert_refused(lambda doc=doc: as_user(OFFICE, doc.save), text, frappe.ValidationError)
		self.assertEqual(frappe.get_doc(BULLETIN, name).adjustments, [])

	def test_counted_figures_cannot_be_edited_by_a_client(self):
		self.march()
		name = self.draft_march()
		doc = frappe.get_doc(BULLETIN, name)
		edu = next(row for row in doc.units if row.department == EDU)
		edu.responses_late = 0
		doc.proposals = [p for p in doc.proposals if p.department != EDU]
		doc.slips_dispatched = 99
		as_user(OFFICE, doc.save)
		doc.reload()
		self.assertEqual(next(row for row in doc.units if row.department == EDU).responses_late, 1)
		self.assertIn(EDU, [p.department for p in doc.proposals])
		self.assertEqual(doc.slips_dispatched, 6)

	def test_recount_keeps_adjustments(self):
		s = self.march()
		name = self.draft_march()
		make_bulletin(2026, 3, [(MOBILE, rb.ADD, "督查中发现推诿扯皮")])
		# S3 completed on 04-02: still late (a deadline of March), now awaiting confirmation: open, not overdue
		self.at("2026-04-02 10:00:00", FIN_USER, s["S3"], "办结", result="已办结")
		with self.freeze_time("2026-04-02 11:00:00"):
			as_user(OFFICE, bl.recount, name)
		doc = frappe.get_doc(BULLETIN, name)
		self.assertEqual(str(doc.drafted_on), "2026-04-02 11:00:00")
		self.assertEqual(self.figures(name)[FIN], (1, 0, 1, 0, 1, 0, 1, 1, 0, 0, 0))
		fin_rules = [p.rule for p in doc.proposals if p.department == FIN]
		self.assertEqual(fin_rules, [rb.LATE_RESPONSE, rb.LATE_MEETING, rb.COMPLETED_LATE])
		self.assertEqual([n.department for n in doc.named_units], [EDU, FIN, MET, MOBILE])


class TestPublishing(BulletinTestCase):
	def published_march(self) -> str:
		self.march()
		name = self.draft_march()
		with self.freeze_time("2026-04-02 10:00:00"):
			self.assertEqual(as_user(OFFICE, bl.publish, name), rb.PUBLISHED)
		return name

	def test_publishing_notifies_every_unit_and_the_named_units_leaders(self):
		name = self.published_march()
		doc = frappe.get_doc(BULLETIN, name)
		self.assertEqual((doc.docstatus, doc.status, doc.published_by), (1, rb.PUBLISHED, OFFICE))
		self.assertEqual(str(doc.published_on), "2026-04-02 10:00:00")

		def subjects(user):
			return frappe.get_all(
				"Notification Log",
				filters={"for_user": user, "document_type": BULLETIN, "document_name": name},
				pluck="subject",
			)

		for user in (PARK, MOBILE_USER, EDU_USER, LEADER, EFFICIENCY):
			self.assertTrue(any("已发布" in s for s in subjects(user)), user)
		self.assertTrue(any(f"通报{EDU}：报到超时" in s for s in subjects(EDU_LEADER)), subjects(EDU_LEADER))
		self.assertFalse(any("报到超时" in s for s in subjects(MOBILE_USER)), "not named: no naming notice")
		self.assertEqual(subjects(OFFICE), [], "the publisher's office is not told what it did")

	def test_publishing_twice_or_editing_after_publishing_is_refused(self):
		name = self.published_march()
		before = self.unchanged(name)
		self.assert_refused(
			lambda: as_user(OFFICE, bl.publish, name), "不能再次发布", bl.BulletinPublishedError
		)
		self.assert_refused(
			lambda: as_user(OFFICE, frappe.get_doc(BULLETIN, name).submit),
			"不能再次发布",
			bl.BulletinPublishedError,
		)

		def edit_text():
			doc = frappe.get_doc(BULLETIN, name)
			doc.bulletin_text = "改写"
			doc.save()

		def add_unit():
			doc = frappe.get_doc(BULLETIN, name)
			doc.append("adjustments", {"department": MOBILE, "action": rb.ADD, "reason": "补充"})
			doc.save()

		for edit in (edit_text, add_unit):
			self.assert_refused(lambda edit=edit: as_user(OFFICE, edit), "", frappe.ValidationError)
		self.assert_refused(
			lambda: as_user(OFFICE, bl.recount, name), "不能再次发布", bl.BulletinPublishedError
		)
		self.assert_refused(
			lambda: frappe.get_doc(BULLETIN, name).cancel(), "更正", bl.BulletinPublishedError
		)
		self.assert_refused(lambda: frappe.delete_doc(BULLETIN, name), "", frappe.ValidationError)
		self.assertEqual(self.unchanged(name), before)
		self.assertEqual(bl.published_namings(2026, [EDU, FIN, MET]), {EDU: 1, FIN: 1, MET: 1})

	def test_only_the_office_drafts_and_publishes(self):
		name = make_bulletin(2025, 8)
		for user in (PARK, EDU_USER, LEADER, EFFICIENCY):
			self.assert_refused(lambda user=user: as_user(user, bl.publish, name), "", frappe.PermissionError)
			self.assert_refused(
				lambda user=user: as_user(user, bl.draft_now, 2026, 2), "", frappe.PermissionError
			)
		self.assertEqual(frappe.db.get_value(BULLETIN, name, "docstatus"), 0)

	def test_units_read_published_bulletins_leaders_read_all(self):
		name = make_bulletin(2025, 8)

		def visible(user):
			return as_user(user, frappe.get_list, BULLETIN, pluck="name")

		def readable(user):
			return as_user(user, frappe.has_permission, BULLETIN, "read", doc=name)

		for user in (PARK, EDU_USER, MOBILE_USER):
			self.assertNotIn(name, visible(user), user)
			self.assertFalse(readable(user), user)
		for user in (LEADER, EFFICIENCY, OFFICE):
			self.assertIn(name, visible(user), user)
			self.assertTrue(readable(user), user)
		with self.freeze_time("2026-04-02 10:00:00"):
			as_user(OFFICE, bl.publish, name)
		for user in (PARK, EDU_USER, MOBILE_USER, LEADER, EFFICIENCY):
			self.assertIn(name, visible(user), user)
			self.assertTrue(readable(user), user)
		self.assertFalse(as_user(PARK, frappe.has_permission, BULLETIN, "write", doc=name))

	def test_one_bulletin_per_month(self):
		name = make_bulletin(2026, 2)
		self.assert_refused(
			lambda: frappe.get_doc({"doctype": BULLETIN, "year": 2026, "month": 2}).insert(
				ignore_permissions=True
			),
			name,
			bl.DuplicateBulletinError,
		)
		with self.freeze_time("2026-04-01 09:00:00"):
			self.assert_refused(
				lambda: as_user(OFFICE, bl.draft_now, 2026, 2), name, bl.DuplicateBulletinError
			)
			self.assert_refused(
				lambda: as_user(OFFICE, bl.draft_now, 2026, 4), "尚未结束", bl.BulletinPeriodError
			)
			# the same month through the DocType itself (REST, desk "new"): refused the same way
			self.assert_refused(
				lambda: as_user(
					OFFICE, lambda: frappe.get_doc({"doctype": BULLETIN, "year": 2026, "month": 4}).insert()
				),
				"尚未结束",
				bl.BulletinPeriodError,
			)
			self.assert_refused(
				lambda: as_user(OFFICE, bl.draft_now, 2026, 13), "不是有效", bl.BulletinPeriodError
			)
			self.assertEqual(as_user(OFFICE, bl.draft_now, 2026, 1), "DCTB-2026-01")


class TestCorrections(BulletinTestCase):
	def test_a_correction_supersedes_the_published_bulletin(self):
		original = make_published_bulletin(2025, 6, [EDU, FIN])
		self.assertEqual(bl.published_namings(2025, [EDU, FIN]), {EDU: 1, FIN: 1})
		self.assert_refused(
			lambda: as_user(OFFICE, bl.make_correction, original, " "), "更正原因", bl.BulletinCorrectionError
		)

		correction = as_user(OFFICE, bl.make_correction, original, "教育局迟报系系统故障")
		self.assertEqual(correction, "DCTB-2025-06-1")
		doc = frappe.get_doc(BULLETIN, correction)
		self.assertEqual((doc.year, doc.month, doc.corrects, doc.docstatus), (2025, 6, original, 0))
		self.assertEqual(
			[n.department for n in doc.named_units], [EDU, FIN], "the office's additions are copied"
		)
		self.assertEqual(
			bl.published_namings(2025, [EDU, FIN]), {EDU: 1, FIN: 1}, "a draft correction counts nothing"
		)
		self.assert_refused(
			lambda: as_user(OFFICE, bl.make_correction, original, "再次更正"),
			correction,
			bl.DuplicateBulletinError,
		)

		doc.adjustments = [row for row in doc.adjustments if row.department != EDU]
		as_user(OFFICE, doc.save)
		as_user(OFFICE, bl.publish, correction)
		old = frappe.get_doc(BULLETIN, original)
		self.assertEqual((old.docstatus, old.status, old.superseded_by), (2, rb.SUPERSEDED, correction))
		self.assertEqual(bl.published_namings(2025, [EDU, FIN]), {FIN: 1})
		self.assertEqual(bl.naming_bulletins(FIN, 2025), [correction])
		self.assertEqual(bl.naming_bulletins(EDU, 2025), [])
		# the superseded bulletin is final too, and only the latest version can be corrected
		self.assert_refused(
			lambda: as_user(OFFICE, bl.make_correction, original, "再改"),
			correction,
			bl.BulletinCorrectionError,
		)
		self.assert_refused(
			lambda: as_user(OFFICE, bl.publish, original), correction, bl.BulletinPublishedError
		)
		second = as_user(OFFICE, bl.make_correction, correction, "再次核实")
		self.assertEqual(second, "DCTB-2025-06-2")

	def test_a_draft_cannot_be_corrected(self):
		draft = make_bulletin(2025, 7)
		self.assert_refused(
			lambda: as_user(OFFICE, bl.make_correction, draft, "更正"), "未发布", bl.BulletinCorrectionError
		)


class TestNamingCounts(BulletinTestCase):
	def test_published_namings_and_naming_bulletins(self):
		jan = make_published_bulletin(2025, 1, [EDU, FIN])
		make_published_bulletin(2025, 2, [EDU])
		mar = make_published_bulletin(2025, 3, [EDU, MET])
		make_bulletin(2025, 4, [(FIN, rb.ADD, "草稿不计")])  # a draft counts nothing
		make_published_bulletin(2024, 12, [FIN])  # another year
		self.assertEqual(bl.published_namings(2025), {EDU: 3, FIN: 1, MET: 1})
		self.assertEqual(bl.published_namings(2025, [EDU, MOBILE]), {EDU: 3})
		self.assertEqual(bl.published_namings(2025, []), {})
		self.assertEqual(bl.published_namings(2024), {FIN: 1})
		self.assertEqual(bl.naming_bulletins(EDU, 2025), [jan, "DCTB-2025-02", mar])
		self.assertEqual(bl.naming_bulletins(MOBILE, 2025), [])


class TestDraftingJob(BulletinTestCase):
	def run_job(self, when: str):
		frappe.flags.run_jobs_inline = True
		try:
			with self.freeze_time(when):
				bl.run_monthly_bulletin_job()
		finally:
			frappe.flags.run_jobs_inline = False

	def march_count(self):
		return frappe.db.count(BULLETIN, {"year": 2026, "month": 3})

	def test_only_the_first_working_day_drafts_once(self):
		self.march()
		self.run_job("2026-03-31 09:00:00")
		self.run_job("2026-04-02 09:00:00")  # not the first working day of April
		self.assertEqual(self.march_count(), 0)
		self.run_job("2026-04-01 08:00:00")
		self.assertEqual(self.march_count(), 1)
		doc = frappe.get_doc(BULLETIN, "DCTB-2026-03")
		self.assertEqual((str(doc.drafted_on), doc.status), ("2026-04-01 08:00:00", rb.DRAFT))
		self.assertTrue(
			frappe.db.exists(
				"Notification Log", {"for_user": OFFICE, "document_type": BULLETIN, "document_name": doc.name}
			)
		)
		modified = str(doc.modified)
		logs = frappe.db.count("Notification Log", {"document_type": BULLETIN})
		self.run_job("2026-04-01 15:00:00")
		self.assertEqual(self.march_count(), 1)
		self.assertEqual(str(frappe.db.get_value(BULLETIN, doc.name, "modified")), modified)
		self.assertEqual(frappe.db.count("Notification Log", {"document_type": BULLETIN}), logs)

	def test_a_job_in_english_drafts_a_chinese_bulletin(self):
		"""A job or bench command runs in Frappe's fallback language (English); what it stores for
		everyone (the bulletin's title, text and reasons, a slip's calendar warning) is the site's."""
		from whistle_app.calendar import unconfirmed_year_message

		lang = frappe.local.lang
		frappe.local.lang = "en"
		try:
			self.run_job("2026-01-04 09:00:00")  # the first working day of 2026: December's draft
			doc = frappe.get_doc(BULLETIN, "DCTB-2025-12")
			doc.append("proposals", {"department": MET, "rule": rb.LATE_RESPONSE, "slips": "CS-2025-00001"})
			bl.set_named_units(doc)
			text = bl.generate_text(doc)
			warning = unconfirmed_year_message(2099)
		finally:
			frappe.local.lang = lang
		self.assertEqual(doc.title, "2025年12月督查通报")
		self.assertEqual([row.reasons for row in doc.named_units], ["报到超时（CS-2025-00001）"])
		self.assertIn("以下单位予以通报", text)
		self.assertEqual(warning, "2099 年工作日历尚未确认")
		latin = re.findall(r"[A-Za-z]{2,}", doc.title + text)
		self.assertEqual([w for w in latin if w not in ("CS", "DCTB")], [], "English words in the bulletin")

	def test_january_follows_the_working_day_calendar(self):
		# 2026-01-01 and 01-02 are rest days, Sunday 01-04 an adjusted working day (RULES §4)
		self.run_job("2026-01-02 09:00:00")
		self.assertFalse(frappe.db.exists(BULLETIN, "DCTB-2025-12"))
		self.run_job("2026-01-04 09:00:00")
		self.assertTrue(frappe.db.exists(BULLETIN, "DCTB-2025-12"))

	def test_a_failure_is_logged_and_does_not_stop_the_job(self):
		def broken(*args, **kwargs):
			raise RuntimeError("database went away")

		with patch.object(bl, "fill_figures", side_effect=broken):
			with self.freeze_time("2026-04-01 09:00:00"):
				summary = bl.draft_previous_month()
		self.assertEqual(summary["failed"], ["2026-03"])
		self.assertEqual(self.march_count(), 0)
		self.assertTrue(frappe.get_all("Error Log", filters={"reference_doctype": BULLETIN}))
		with self.freeze_time("2026-04-01 09:05:00"):
			summary = bl.draft_previous_month()
		self.assertEqual((summary["failed"], summary["drafted"]), ([], ["DCTB-2026-03"]))

	def test_scheduler_hook_and_long_queue(self):
		from whistle_app import hooks

		self.assertIn(
			"whistle_app.bulletins.drafting.run_monthly_bulletin_job", hooks.scheduler_events["daily"]
		)
		with patch("frappe.enqueue") as enqueue, self.freeze_time("2026-04-01 09:00:00"):
			bl.run_monthly_bulletin_job()
		args, kwargs = enqueue.call_args
		self.assertEqual(args[0], "whistle_app.bulletins.drafting.draft_previous_month")
		self.assertEqual(kwargs["queue"], "long")
		self.assertTrue(kwargs["deduplicate"])


class TestBulletinPrint(AssetsServerMixin, BulletinTestCase):
	def test_print_format_is_the_default_and_chinese(self):
		pf = frappe.get_doc("Print Format", PRINT_FORMAT)
		self.assertEqual(
			(pf.doc_type, pf.module, pf.standard, pf.print_format_type), (BULLETIN, "Whistle", "Yes", "Jinja")
		)
		self.assertEqual(pf.default_print_language, "zh")
		self.assertEqual(frappe.get_meta(BULLETIN).default_print_format, PRINT_FORMAT)

	def test_pdf_of_a_published_bulletin(self):
		s = self.march()
		name = self.draft_march()
		with self.freeze_time("2026-04-02 10:00:00"):
			as_user(OFFICE, bl.publish, name)
		with print_language("zh"):
			pdf = frappe.get_print(BULLETIN, name, print_format=PRINT_FORMAT, as_pdf=True)
		self.assertTrue(pdf.startswith(b"%PDF"))
		text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
		self.assertFalse([c for c in text if 0x2E80 <= ord(c) <= 0x2FDF], "radicals instead of ideographs")
		flat = re.sub(r"\s+", "", text)
		for expected in (
			"「园区吹哨、部门报到」工作月度督查通报",
			"（2026年3月）",
			name,
			"本月共派单6件",
			"A类单位（政府口机关部门）",
			"B类单位（驻区单位）",
			"C类单位（驻区公共服务企业）",
			"被催办次数",
			"通报单位",
			f"{FIN}A报到超时（{s['S3']}）",
			f"{MET}B超期办结（{s['S4']}）",
			"区吹哨办",
			"2026年4月2日",
		):
			self.assertIn(expected, flat)
		self.assertNotIn("草稿", flat)


class TestDemoBulletin(AssetsServerMixin, BulletinTestCase):
	def test_the_demo_publishes_last_months_bulletin(self):
		"""Last month's demo bulletin, made now or already by an earlier ``demo.setup()`` on this site
		(the HTTP tests load the full demo and commit): published, each of its three sample whistles
		named for exactly what it shows; running it again makes nothing new.

		Other demo whistles (replayed from 20 days before the day the demo was loaded) fall into last
		month on some dates and not on others, so only the namings of the three samples are fixed."""
		from whistle_app.dev import demo

		demo.ensure_demo_bulletin()
		self.assertIsNone(demo.ensure_demo_bulletin(), "run again: nothing new")
		samples = {
			frappe.db.get_value("Whistle Slip", {"title": title}): title for title in demo.DEMO_BULLETIN_SLIPS
		}
		self.assertNotIn(None, samples, "the three sample whistles exist")
		# the month the samples were replayed in: last month when the demo was loaded (a test site
		# older than a month keeps the samples of the month it was loaded in)
		dispatched = {
			(d.year, d.month)
			for d in frappe.get_all(
				"Whistle Slip", filters={"name": ("in", list(samples))}, pluck="dispatched_on"
			)
		}
		self.assertEqual(len(dispatched), 1, "the samples belong to one month")
		year, month = dispatched.pop()
		name = f"DCTB-{year}-{month:02d}"
		doc = frappe.get_doc(BULLETIN, name)
		self.assertEqual((doc.docstatus, doc.status, doc.published_by), (1, rb.PUBLISHED, OFFICE))
		named = {
			slip: {(p.department, p.rule) for p in doc.proposals if slip in (p.slips or "").split("、")}
			for slip in samples
		}
		expected = {
			"示例（上月）：企业扩产项目立项咨询": set(),
			"示例（上月）：厂区周边路灯缺失（报到超时）": {
				("住房和城乡建设局", rb.LATE_RESPONSE),
				("住房和城乡建设局", rb.COMPLETED_LATE),
			},
			"示例（上月）：企业用电增容申请（逾期未办结）": {("供电公司", rb.COMPLETION_OVERDUE)},
		}
		self.assertEqual({samples[slip]: rules for slip, rules in named.items()}, expected)
		for unit in ("住房和城乡建设局", "供电公司"):
			self.assertIn(name, bl.naming_bulletins(unit, year))
		# its PDF, as a fresh machine prints it (issue #20): no English word, drafted in whatever
		# language the demo command ran in
		pdf = frappe.get_print(BULLETIN, name, print_format=PRINT_FORMAT, as_pdf=True)
		text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
		self.assertIn("报到超时", text)
		# a word of two or more letters that is not a document number's prefix (DCTB-2026-11, CS-…)
		words = re.findall(r"(?<![A-Za-z])[A-Za-z]{2,}(?![A-Za-z])(?!-\d)", text)
		self.assertEqual(words, [], text)
