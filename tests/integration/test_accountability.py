"""Accountability and fault tolerance (RULES §13) end to end as the real roles, and the refusals."""

import frappe
from frappe.utils import get_datetime, getdate

from tests.base import WhistleTestCase
from tests.factory import as_user, make_published_bulletin, slip_in_handling
from whistle_app import accountability as acc
from whistle_app.rules import accountability as ac

EFFICIENCY = "efficiency@whistle.localhost"
LEADER = "leader@whistle.localhost"
OFFICE = "office@whistle.localhost"
FGW = "fgw@whistle.localhost"  # 发展和改革委, the unit concerned
FGW_LEADER = "fgw-leader@whistle.localhost"
ZJJ = "zjj@whistle.localhost"  # 住房和城乡建设局, another unit
PARK = "park1@whistle.localhost"  # the park of the slip
UNIT = "发展和改革委"


class AccountabilityTestCase(WhistleTestCase):
	def open_case(self, day: str = "2026-04-01", **values) -> str:
		slip = slip_in_handling(self.freeze_time, "2026-03-02", "2026-03-20")
		doc = {
			"doctype": ac.CASE,
			"evidence_type": ac.SLIP,
			"evidence": slip,
			"whistle_unit": UNIT,
			"kind": "Slow Action",
			"facts": "超期未办结，多次催办无进展",
			**values,
		}
		with self.freeze_time(f"{day} 09:00:00"):
			return as_user(EFFICIENCY, lambda: frappe.get_doc(doc).insert()).name

	def act(
		self, user: str, doctype: str, name: str, action: str, reason: str | None = None, day="2026-04-02"
	):
		with self.freeze_time(f"{day} 10:00:00"):
			as_user(user, acc.act, doctype, name, action, reason)
		return frappe.get_doc(doctype, name)

	def set_values(self, name: str, **values) -> None:
		def save():
			doc = frappe.get_doc(ac.CASE, name)
			doc.update(values)
			doc.save()

		as_user(EFFICIENCY, save)

	def decided_case(self) -> str:
		name = self.open_case()
		self.act(EFFICIENCY, ac.CASE, name, ac.VERIFY, "核实属实")
		self.set_values(name, outcome="Talk Reminder", outcome_details="约谈分管领导")
		self.act(EFFICIENCY, ac.CASE, name, ac.DECIDE, "情节较轻，谈话提醒")
		return name

	def apply(self, case: str, user: str = FGW) -> str:
		doc = {
			"doctype": ac.APPLICATION,
			"case": case,
			"reason": "Unclear Policy Boundary",
			"description": "政策界限不明，已按省级口径先行办理",
		}
		return as_user(user, lambda: frappe.get_doc(doc).insert()).name

	def readable(self, user: str, name: str, doctype: str = ac.CASE) -> bool:
		return as_user(user, lambda: frappe.has_permission(doctype, "read", doc=name))

	def listed(self, user: str, doctype: str = ac.CASE) -> list[str]:
		return as_user(user, lambda: frappe.get_list(doctype, pluck="name"))


class TestAccountabilityCase(AccountabilityTestCase):
	def test_case_referred_to_the_commission_and_closed_with_its_result(self):
		name = self.open_case()
		case = frappe.get_doc(ac.CASE, name)
		self.assertEqual(case.workflow_state, ac.REGISTERED)
		self.assertEqual((case.opened_on, case.registered_by), (getdate("2026-04-01"), EFFICIENCY))
		people = [(p.role, p.person_name, p.user) for p in case.people]
		self.assertEqual(people[0][:2], ("Principal Leader", "王示例"), people)
		self.assertIn(("Division Head", FGW_LEADER), [(p[0], p[2]) for p in people])
		# registered and being verified: not the unit's business yet; the office and leaders read it
		self.assertFalse(self.readable(FGW, name))
		self.assertNotIn(name, self.listed(FGW))
		for user in (OFFICE, LEADER, EFFICIENCY):
			self.assertTrue(self.readable(user, name), user)

		self.assert_refused(lambda: self.act(EFFICIENCY, ac.CASE, name, ac.VERIFY), "需要填写理由")
		self.assert_refused(lambda: self.act(OFFICE, ac.CASE, name, ac.VERIFY, "越权"), "只有区效能办")
		case = self.act(EFFICIENCY, ac.CASE, name, ac.VERIFY, "调阅流转单，情况属实")
		self.assertEqual((case.workflow_state, case.verified_by), (ac.VERIFYING, EFFICIENCY))
		self.assertFalse(self.readable(FGW, name))

		self.assert_refused(lambda: self.act(EFFICIENCY, ac.CASE, name, ac.REFER, "涉嫌违纪"), "移送文号")
		self.set_values(name, referral_date="2026-04-03", referral_number="高新效移〔2026〕3号")
		case = self.act(EFFICIENCY, ac.CASE, name, ac.REFER, "涉嫌违纪，移送纪工委监委", day="2026-04-03")
		self.assertEqual(case.workflow_state, ac.REFERRED)
		# referred: the unit reads its own case; another unit does not
		self.assertTrue(self.readable(FGW, name))
		self.assertIn(name, self.listed(FGW))
		self.assertFalse(self.readable(ZJJ, name))
		self.assertNotIn(name, self.listed(ZJJ))
		self.assertFalse(self.readable(PARK, name))
		# the referral is fixed once made
		self.assert_refused(lambda: self.set_values(name, referral_number="改号"), "不能修改")

		self.assert_refused(lambda: self.act(EFFICIENCY, ac.CASE, name, ac.CLOSE, "结案"), "移送处理结果")
		self.set_values(name, referral_result="纪工委监委给予诫勉谈话")
		case = self.act(EFFICIENCY, ac.CASE, name, ac.CLOSE, "纪工委监委已处理", day="2026-05-06")
		self.assertEqual(case.workflow_state, ac.CLOSED)
		self.assertEqual((case.closed_by, case.closed_on), (EFFICIENCY, get_datetime("2026-05-06 10:00:00")))
		self.assertFalse(case.without_accountability)
		history = [(h.from_state, h.action, h.to_state, h.changed_by, h.reason) for h in case.history]
		self.assertEqual(
			history,
			[
				(ac.REGISTERED, ac.VERIFY, ac.VERIFYING, EFFICIENCY, "调阅流转单，情况属实"),
				(ac.VERIFYING, ac.REFER, ac.REFERRED, EFFICIENCY, "涉嫌违纪，移送纪工委监委"),
				(ac.REFERRED, ac.CLOSE, ac.CLOSED, EFFICIENCY, "纪工委监委已处理"),
			],
		)
		# closed: nobody changes it
		self.assert_refused(lambda: self.set_values(name, facts="改写事实"), "不能修改")

	def test_nobody_deletes_a_case(self):
		name = self.open_case()
		# nobody holds the delete permission; the Administrator, who passes every permission check,
		# meets the controller's refusal
		for user in (EFFICIENCY, LEADER, OFFICE, FGW):
			self.assert_refused(
				lambda user=user: as_user(user, frappe.delete_doc, ac.CASE, name),
				"不能删除",
				frappe.PermissionError,
			)
		self.assert_refused(lambda: frappe.delete_doc(ac.CASE, name), "属于问责档案，不得删除")
		self.assertTrue(frappe.db.exists(ac.CASE, name))

	def test_only_the_efficiency_office_opens_a_case_from_evidence_concerning_the_unit(self):
		slip = slip_in_handling(self.freeze_time, "2026-03-02", "2026-03-20")
		case = {"doctype": ac.CASE, "evidence_type": ac.SLIP, "evidence": slip, "whistle_unit": UNIT}
		case.update(kind="Inaction", facts="未按期报到")
		for user in (OFFICE, LEADER, FGW):
			self.assert_refused(
				lambda user=user: as_user(user, lambda: frappe.get_doc(case).insert()),
				"",
				frappe.PermissionError,
			)
		self.assert_refused(
			lambda: self.open_case(whistle_unit="住房和城乡建设局"), "不是涉及 住房和城乡建设局 的证据"
		)
		self.assert_refused(lambda: self.open_case(evidence_type=ac.SNAIL_AWARD), "找不到")

	def test_a_published_bulletin_naming_the_unit_is_evidence(self):
		bulletin = make_published_bulletin(2025, 9, [UNIT])
		case = self.open_case(evidence_type=ac.BULLETIN, evidence=bulletin)
		self.assertEqual(
			frappe.db.get_value(ac.CASE, case, ["evidence_type", "evidence"]), (ac.BULLETIN, bulletin)
		)
		self.assert_refused(
			lambda: self.open_case(
				evidence_type=ac.BULLETIN, evidence=bulletin, whistle_unit="住房和城乡建设局"
			),
			"已发布且点名该单位的督查通报",
		)

	def test_decided_case_is_read_by_its_unit_only(self):
		name = self.decided_case()
		case = frappe.get_doc(ac.CASE, name)
		self.assertEqual(
			(case.workflow_state, case.outcome, case.decided_by), (ac.DECIDED, "Talk Reminder", EFFICIENCY)
		)
		self.assertTrue(self.readable(FGW_LEADER, name))
		self.assertFalse(self.readable(ZJJ, name))
		error = self.assert_refused(
			lambda: as_user(ZJJ, lambda: frappe.get_doc(ac.CASE, name).check_permission("read")),
			"",
			frappe.PermissionError,
		)
		self.assertTrue(str(error) or True)
		# the unit reads, never writes
		self.assert_refused(
			lambda: as_user(FGW, lambda: frappe.get_doc(ac.CASE, name).save()), "", frappe.PermissionError
		)


class TestFaultTolerance(AccountabilityTestCase):
	def test_granted_application_closes_the_case_without_accountability(self):
		case = self.decided_case()
		self.assert_refused(lambda: self.apply(case, ZJJ), "只有涉及单位")
		name = self.apply(case)
		app = frappe.get_doc(ac.APPLICATION, name)
		self.assertEqual((app.workflow_state, app.whistle_unit), (ac.DRAFT, UNIT))
		self.assertFalse(self.readable(ZJJ, name, ac.APPLICATION))
		self.assertNotIn(name, self.listed(ZJJ, ac.APPLICATION))
		self.assertIn(name, self.listed(FGW_LEADER, ac.APPLICATION))

		app = self.act(FGW, ac.APPLICATION, name, ac.FILE, day="2026-04-07")
		self.assertEqual((app.workflow_state, app.applied_by), (ac.REVIEW, FGW))
		second = self.apply(case)
		self.assert_refused(lambda: self.act(FGW, ac.APPLICATION, second, ac.FILE), "已有待决定")
		self.assert_refused(lambda: self.act(LEADER, ac.APPLICATION, name, ac.GRANT, "同意"), "不能执行")
		app = self.act(EFFICIENCY, ac.APPLICATION, name, ac.FORWARD, "情况属实，建议容错", day="2026-04-08")
		self.assertEqual((app.workflow_state, app.reviewed_by), (ac.LEADER_DECISION, EFFICIENCY))
		self.assert_refused(
			lambda: self.act(EFFICIENCY, ac.APPLICATION, name, ac.GRANT, "同意"), "区党政主要负责人"
		)
		self.assert_refused(lambda: self.act(LEADER, ac.APPLICATION, name, ac.GRANT), "需要填写理由")

		app = self.act(
			LEADER, ac.APPLICATION, name, ac.GRANT, "属先行先试中的失误，予以免责", day="2026-04-09"
		)
		self.assertEqual((app.workflow_state, app.docstatus, app.decided_by), (ac.GRANTED, 1, LEADER))
		doc = frappe.get_doc(ac.CASE, case)
		self.assertEqual((doc.workflow_state, doc.without_accountability), (ac.CLOSED, 1))
		self.assertEqual((doc.fault_tolerance_application, doc.closed_by), (name, LEADER))
		self.assertIn("属先行先试中的失误", doc.closing_reason)
		last = doc.history[-1]
		self.assertEqual((last.from_state, last.action, last.to_state), (ac.DECIDED, ac.TOLERATE, ac.CLOSED))
		self.assertEqual((last.changed_by, last.changed_on), (LEADER, get_datetime("2026-04-09 10:00:00")))
		self.assertIn(name, last.reason)
		# a decided application is kept as it is
		self.assert_refused(lambda: as_user(FGW, frappe.delete_doc, ac.APPLICATION, name), "")

	def test_refused_application_leaves_the_case_open(self):
		case = self.decided_case()
		name = self.apply(case)
		self.act(FGW, ac.APPLICATION, name, ac.FILE)
		self.assert_refused(lambda: self.act(EFFICIENCY, ac.APPLICATION, name, ac.REFUSE), "需要填写理由")
		app = self.act(EFFICIENCY, ac.APPLICATION, name, ac.REFUSE, "不符合容错情形")
		self.assertEqual((app.workflow_state, app.decision_reason), (ac.REFUSED, "不符合容错情形"))
		self.assertEqual(frappe.db.get_value(ac.CASE, case, "workflow_state"), ac.DECIDED)
		self.assert_refused(lambda: self.act(FGW, ac.APPLICATION, name, ac.FILE), "不能执行")

	def test_no_application_against_a_case_the_unit_cannot_see_yet(self):
		name = self.open_case()
		self.assert_refused(lambda: self.apply(name), "只有处于处理、移送状态")
