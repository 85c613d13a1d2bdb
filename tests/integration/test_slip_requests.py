"""Side paths of a whistle slip (RULES §3.1, §10): extension, exemption and assessment exclusion."""

import json

import frappe
from frappe.utils import get_datetime, getdate

from tests.base import WhistleTestCase
from tests.factory import (
	act_as,
	completed_slip,
	make_rating,
	make_request,
	make_slip,
	rate_all,
	request_act,
	slip_in_handling,
	template_scores,
)
from whistle_app import requests as rq
from whistle_app.rules import lifecycle as lc

PARK = "park1@whistle.localhost"
OTHER_PARK = "park2@whistle.localhost"
OFFICE = "office@whistle.localhost"
FGW = "fgw@whistle.localhost"  # 发展和改革委
FGW_LEADER = "fgw-leader@whistle.localhost"
ZJJ = "zjj@whistle.localhost"  # 住房和城乡建设局
LEADER = "leader@whistle.localhost"  # District Leader
GREEN_KIND = "District Key Project"
POLICE = "police@whistle.localhost"  # 公安分局, on none of these slips
EFFICIENCY = "efficiency@whistle.localhost"


class RequestTestCase(WhistleTestCase):
	def handling(self, day="2026-03-02", planned="2026-03-20", **kw) -> str:
		return slip_in_handling(self.freeze_time, day, planned, **kw)

	def notified(self, user: str, doctype: str, name: str) -> list[str]:
		return frappe.get_all(
			"Notification Log",
			filters={"for_user": user, "document_type": doctype, "document_name": name},
			pluck="subject",
		)


class TestExtension(RequestTestCase):
	def test_extension_approved_moves_the_deadline_and_keeps_history(self):
		slip = self.handling(planned="2026-03-20")
		with self.freeze_time("2026-03-18 10:00:00"):
			req = make_request(
				FGW, rq.EXTENSION, slip, new_completion_date="2026-04-10", reason="需等待省级部门批复"
			)
			self.assertEqual(req.workflow_state, rq.DRAFT)
			self.assertEqual(req.department, "发展和改革委")
			self.assertEqual(req.whistle_unit, "示例园区一")
			self.assertEqual(getdate(req.previous_completion_date), getdate("2026-03-20"))
			req = request_act(FGW, rq.EXTENSION, req.name, rq.FILE)
		self.assertEqual(req.workflow_state, rq.OFFICE_REVIEW)
		self.assertEqual((req.requested_by, req.requested_on), (FGW, get_datetime("2026-03-18 10:00:00")))
		self.assertTrue(self.notified(OFFICE, rq.EXTENSION, req.name), "filing notifies the office")

		with self.freeze_time("2026-03-19 15:00:00"):
			req = request_act(OFFICE, rq.EXTENSION, req.name, rq.APPROVE, reason="同意延期")
		self.assertEqual((req.workflow_state, req.docstatus), (rq.APPROVED, 1))
		self.assertEqual(req.approved_by, OFFICE)
		self.assertEqual(req.approved_on, get_datetime("2026-03-19 15:00:00"))
		self.assertEqual(req.decision_reason, "同意延期")
		self.assertFalse(req.action_reason)
		subjects = self.notified(FGW, rq.EXTENSION, req.name)
		self.assertTrue(any("批准" in s and "延期申请" in s for s in subjects), subjects)

		doc = frappe.get_doc("Whistle Slip", slip)
		self.assertEqual(doc.workflow_state, lc.HANDLING)
		self.assertEqual(getdate(doc.planned_completion), getdate("2026-04-10"))
		self.assertEqual(doc.completion_deadline, get_datetime("2026-04-10 23:59:59"))
		log = doc.state_log[-1]
		self.assertEqual((log.action, log.from_state, log.to_state), ("延期", lc.HANDLING, lc.HANDLING))
		self.assertEqual((log.changed_by, log.changed_on), (OFFICE, get_datetime("2026-03-19 15:00:00")))
		self.assertIn("需等待省级部门批复", log.reason)
		self.assertIn(req.name, log.reason)
		# the request stays as the record of the old and new dates
		self.assertEqual(
			frappe.get_all(
				rq.EXTENSION,
				filters={"slip": slip},
				fields=["previous_completion_date", "new_completion_date", "workflow_state"],
			),
			[
				{
					"previous_completion_date": getdate("2026-03-20"),
					"new_completion_date": getdate("2026-04-10"),
					"workflow_state": rq.APPROVED,
				}
			],
		)
		# a decided request cannot be changed
		frappe.set_user(OFFICE)
		req.decision_reason = "改写"
		self.assert_refused(req.save, "不能修改", rq.RequestLockedError)

		# completing after the old date but by the new one is on time
		with self.freeze_time("2026-04-09 16:00:00"):
			doc = act_as(FGW, slip, "办结", result="已取得省级批复并办结")
		self.assertEqual(doc.completion_status, lc.MET)

	def test_extension_also_while_report_awaits_review(self):
		with self.freeze_time("2026-03-02 09:00:00"):
			from tests.factory import make_slip

			name = make_slip(PARK).name
			act_as(PARK, name, "提交吹哨")
			act_as(OFFICE, name, "派单", scope="Single", departments=[("发展和改革委", "Sole", None)])
			act_as(
				FGW_LEADER,
				name,
				"报到",
				planned_completion="2026-03-10",
				work_plan="方案",
				responsible_persons="赵",
			)
			req = make_request(
				FGW_LEADER, rq.EXTENSION, name, new_completion_date="2026-03-31", reason="工作量大"
			)
			req = request_act(FGW_LEADER, rq.EXTENSION, req.name, rq.FILE)
			req = request_act(OFFICE, rq.EXTENSION, req.name, rq.APPROVE)
		self.assertEqual(req.decision_reason, "同意")
		slip = frappe.get_doc("Whistle Slip", name)
		self.assertEqual((slip.workflow_state, str(slip.planned_completion)), (lc.REPORTED, "2026-03-31"))

	def test_extension_refusals(self):
		slip = self.handling(planned="2026-03-20")

		def file(user=FGW, **values):
			values = {"new_completion_date": "2026-04-10", "reason": "需要更多时间", **values}
			return lambda: make_request(user, rq.EXTENSION, slip, **values)

		self.assert_refused(file(reason="  "), "延期理由", rq.RequestReasonError)
		self.assert_refused(file(new_completion_date="2026-03-10"), "必须晚于", rq.ExtensionDateError)
		self.assert_refused(file(new_completion_date="2026-03-20"), "必须晚于", rq.ExtensionDateError)
		# a department that is not the slip's sole or lead department
		self.assert_refused(file(user=ZJJ), "主办或牵头部门", rq.RequestDepartmentError)
		# ... nor can it file in the responsible department's name
		self.assert_refused(file(user=ZJJ, department="发展和改革委"), "", frappe.PermissionError)
		# parks and the office do not file extensions
		self.assert_refused(file(user=PARK), "", frappe.PermissionError)
		# (the office has no create permission; where it is also System Manager, the controller refuses)
		self.assert_refused(file(user=OFFICE), "", (frappe.PermissionError, rq.RequestActorError))
		self.assertEqual(frappe.db.count(rq.EXTENSION, {"slip": slip}), 0)

		# a slip not (yet) in handling
		with self.freeze_time("2026-03-02 09:00:00"):
			from tests.factory import make_slip

			waiting = make_slip(PARK).name
			act_as(PARK, waiting, "提交吹哨")
			act_as(OFFICE, waiting, "派单", scope="Single", departments=[("发展和改革委", "Sole", None)])
		self.assert_refused(
			lambda: make_request(FGW, rq.EXTENSION, waiting, new_completion_date="2026-04-10", reason="x"),
			"待报到",
			rq.RequestStateError,
		)
		self.assertEqual(frappe.db.count(rq.EXTENSION, {"slip": waiting}), 0)
		self.assertEqual(str(frappe.db.get_value("Whistle Slip", slip, "planned_completion")), "2026-03-20")

	def test_rejection_needs_a_reason_and_changes_nothing_on_the_slip(self):
		slip = self.handling(planned="2026-03-20")
		with self.freeze_time("2026-03-10 10:00:00"):
			req = make_request(FGW, rq.EXTENSION, slip, new_completion_date="2026-05-01", reason="等待资金")
			req = request_act(FGW, rq.EXTENSION, req.name, rq.FILE)
			# one pending extension per slip
			second = make_request(
				FGW, rq.EXTENSION, slip, new_completion_date="2026-04-01", reason="再次申请"
			)
			self.assert_refused(
				lambda: request_act(FGW, rq.EXTENSION, second.name, rq.FILE),
				"等待审批",
				rq.DuplicateRequestError,
			)
			# the department cannot decide its own request, nor edit it once filed
			self.assert_refused(
				lambda: request_act(FGW, rq.EXTENSION, req.name, rq.APPROVE), "区吹哨办", rq.RequestActorError
			)
			frappe.set_user(FGW)
			filed = frappe.get_doc(rq.EXTENSION, req.name)
			filed.new_completion_date = "2026-06-01"
			self.assert_refused(filed.save, "不能修改", rq.RequestLockedError)
			# a rejection without reason is refused
			for reason in (None, "  "):
				self.assert_refused(
					lambda r=reason: request_act(OFFICE, rq.EXTENSION, req.name, rq.REJECT, r),
					"需要填写理由",
					rq.RequestReasonError,
				)
			self.assertEqual(frappe.db.get_value(rq.EXTENSION, req.name, "workflow_state"), rq.OFFICE_REVIEW)
			req = request_act(OFFICE, rq.EXTENSION, req.name, rq.REJECT, "资金问题不属于延期理由")
		self.assertEqual((req.workflow_state, req.docstatus), (rq.REJECTED, 1))
		self.assertEqual((req.approved_by, req.decision_reason), (OFFICE, "资金问题不属于延期理由"))
		self.assertEqual(req.approved_on, get_datetime("2026-03-10 10:00:00"))
		self.assertTrue(any("驳回" in s for s in self.notified(FGW, rq.EXTENSION, req.name)))
		doc = frappe.get_doc("Whistle Slip", slip)
		self.assertEqual(str(doc.planned_completion), "2026-03-20")
		self.assertEqual(doc.completion_deadline, get_datetime("2026-03-20 23:59:59"))
		self.assertNotIn("延期", [row.action for row in doc.state_log])
		# no further action on a decided request
		self.assert_refused(
			lambda: request_act(OFFICE, rq.EXTENSION, req.name, rq.APPROVE), "已驳回", rq.RequestStateError
		)


class TestExemption(RequestTestCase):
	def filed_exemption(self, slip: str):
		with self.freeze_time("2026-03-12 10:00:00"):
			req = make_request(FGW, rq.EXEMPTION, slip, reason="涉及上级审批权限，多次协调仍无法解决")
			return request_act(FGW, rq.EXEMPTION, req.name, rq.FILE)

	def test_exemption_office_review_then_district_leader_approval(self):
		slip = self.handling()
		req = self.filed_exemption(slip)
		self.assertEqual(req.workflow_state, rq.OFFICE_REVIEW)
		# nobody but the office reviews
		self.assert_refused(
			lambda: request_act(LEADER, rq.EXEMPTION, req.name, rq.FORWARD), "区吹哨办", rq.RequestActorError
		)
		with self.freeze_time("2026-03-13 09:00:00"):
			req = request_act(OFFICE, rq.EXEMPTION, req.name, rq.FORWARD, "情况属实，呈区领导审批")
		self.assertEqual(req.workflow_state, rq.LEADER_REVIEW)
		self.assertEqual(
			(req.office_reviewed_by, req.office_reviewed_on, req.office_review_opinion),
			(OFFICE, get_datetime("2026-03-13 09:00:00"), "情况属实，呈区领导审批"),
		)
		self.assertFalse(req.approved_by)
		self.assertTrue(self.notified(LEADER, rq.EXEMPTION, req.name), "the District Leader is asked")
		# the office cannot give the District Leader's approval, nor can the department
		for user in (OFFICE, FGW):
			self.assert_refused(
				lambda u=user: request_act(u, rq.EXEMPTION, req.name, rq.APPROVE),
				"区党政主要负责人",
				rq.RequestActorError,
			)
		# ... not even by submitting the request directly
		frappe.set_user(OFFICE)
		direct = frappe.get_doc(rq.EXEMPTION, req.name)
		self.assert_refused(direct.submit, "", frappe.ValidationError)
		self.assertEqual(frappe.db.get_value(rq.EXEMPTION, req.name, "workflow_state"), rq.LEADER_REVIEW)
		self.assertEqual(frappe.db.get_value("Whistle Slip", slip, "workflow_state"), lc.HANDLING)

		with self.freeze_time("2026-03-14 11:00:00"):
			req = request_act(LEADER, rq.EXEMPTION, req.name, rq.APPROVE, "同意列入继续跟踪")
		self.assertEqual((req.workflow_state, req.docstatus), (rq.APPROVED, 1))
		self.assertEqual(
			(req.approved_by, req.approved_on, req.decision_reason),
			(LEADER, get_datetime("2026-03-14 11:00:00"), "同意列入继续跟踪"),
		)
		self.assertTrue(any("批准" in s for s in self.notified(FGW, rq.EXEMPTION, req.name)))

		doc = frappe.get_doc("Whistle Slip", slip)
		self.assertEqual(doc.workflow_state, lc.LONG_TERM)
		self.assertEqual((doc.long_term_tracking, doc.excluded_from_assessment), (1, 1))
		log = doc.state_log[-1]
		self.assertEqual(
			(log.action, log.from_state, log.to_state, log.changed_by),
			("不列入考核", lc.HANDLING, lc.LONG_TERM, LEADER),
		)
		self.assertIn("多次协调", log.reason)

		# long-term tracking still receives progress from the department
		with self.freeze_time("2026-04-01 10:00:00"):
			frappe.set_user(FGW)
			doc.append("progress", {"content": "持续跟踪：已再次向上级部门报送"})
			doc.save()
			frappe.set_user("Administrator")
		doc = frappe.get_doc("Whistle Slip", slip)
		self.assertEqual(doc.progress[-1].content, "持续跟踪：已再次向上级部门报送")
		self.assertEqual(doc.progress[-1].department, "发展和改革委")
		self.assertEqual(doc.workflow_state, lc.LONG_TERM)
		# and, excluded already, cannot be asked for again
		self.assert_refused(
			lambda: make_request(FGW, rq.EXEMPTION, slip, reason="再次申请"), "继续跟踪", rq.RequestStateError
		)

	def test_exemption_rejections(self):
		slip = self.handling()
		req = self.filed_exemption(slip)
		self.assert_refused(
			lambda: request_act(OFFICE, rq.EXEMPTION, req.name, rq.REJECT),
			"需要填写理由",
			rq.RequestReasonError,
		)
		req = request_act(OFFICE, rq.EXEMPTION, req.name, rq.REJECT, "尚未穷尽协调手段")
		self.assertEqual((req.workflow_state, req.docstatus), (rq.REJECTED, 1))
		self.assertEqual((req.office_reviewed_by, req.approved_by), (OFFICE, OFFICE))

		req = self.filed_exemption(slip)  # filed again, forwarded, rejected by the District Leader
		request_act(OFFICE, rq.EXEMPTION, req.name, rq.FORWARD)
		self.assert_refused(
			lambda: request_act(LEADER, rq.EXEMPTION, req.name, rq.REJECT, ""),
			"需要填写理由",
			rq.RequestReasonError,
		)
		req = request_act(LEADER, rq.EXEMPTION, req.name, rq.REJECT, "请继续推进办理")
		self.assertEqual(
			(req.workflow_state, req.approved_by, req.decision_reason),
			(rq.REJECTED, LEADER, "请继续推进办理"),
		)
		doc = frappe.get_doc("Whistle Slip", slip)
		self.assertEqual(
			(doc.workflow_state, doc.excluded_from_assessment, doc.long_term_tracking), (lc.HANDLING, 0, 0)
		)


class TestAssessmentExclusion(RequestTestCase):
	def rated_slip(self) -> str:
		slip = self.handling(planned="2026-03-05")
		with self.freeze_time("2026-03-09 10:00:00"):
			act_as(FGW, slip, "办结", result="因客观原因逾期办结")
			act_as(PARK, slip, "确认解决")
		return slip

	def test_exclusion_after_rating_approved_by_district_leader(self):
		early = self.handling()
		self.assert_refused(
			lambda: make_request(FGW, rq.EXCLUSION, early, reason="客观原因"), "待销号", rq.RequestStateError
		)
		slip = self.rated_slip()
		self.assertEqual(frappe.db.get_value("Whistle Slip", slip, "workflow_state"), lc.CONFIRMED)
		with self.freeze_time("2026-03-10 10:00:00"):
			req = make_request(FGW, rq.EXCLUSION, slip, reason="暴雨导致现场无法施工，属不可抗力")
			req = request_act(FGW, rq.EXCLUSION, req.name, rq.FILE)
		self.assertEqual(req.workflow_state, rq.LEADER_REVIEW)
		self.assertTrue(self.notified(LEADER, rq.EXCLUSION, req.name))
		self.assert_refused(
			lambda: request_act(OFFICE, rq.EXCLUSION, req.name, rq.APPROVE),
			"区党政主要负责人",
			rq.RequestActorError,
		)
		self.assert_refused(
			lambda: request_act(LEADER, rq.EXCLUSION, req.name, rq.REJECT),
			"需要填写理由",
			rq.RequestReasonError,
		)
		with self.freeze_time("2026-03-11 10:00:00"):
			req = request_act(LEADER, rq.EXCLUSION, req.name, rq.APPROVE, "情况属实，予以剔除")
		self.assertEqual((req.workflow_state, req.approved_by), (rq.APPROVED, LEADER))
		self.assertEqual(req.approved_on, get_datetime("2026-03-11 10:00:00"))
		self.assertTrue(any("批准" in s for s in self.notified(FGW, rq.EXCLUSION, req.name)))
		doc = frappe.get_doc("Whistle Slip", slip)
		self.assertEqual(doc.workflow_state, lc.CONFIRMED)
		self.assertEqual(
			[(r.department, r.excluded_from_assessment) for r in doc.departments], [("发展和改革委", 1)]
		)
		log = doc.state_log[-1]
		self.assertEqual((log.action, log.from_state, log.to_state), ("考核剔除", lc.CONFIRMED, lc.CONFIRMED))
		# the slip goes on to closure as usual
		with self.freeze_time("2026-03-12 10:00:00"):
			rate_all(slip)
			self.assertEqual(act_as(OFFICE, slip, "销号").workflow_state, lc.CLOSED)

	def test_a_co_department_excludes_its_own_score_only(self):
		"""考核剔除 is fair to every department (issue #16): a co-department whose score lost points files,
		and the approval removes its score only; the lead's stays in the quarter."""
		slip = completed_slip(
			self.freeze_time, "2026-03-02", [("发展和改革委", "Lead"), ("住房和城乡建设局", "Co")]
		)
		with self.freeze_time("2026-03-03 10:00:00"):
			act_as(PARK, slip, "确认解决")
			rate_all(slip)
			act_as(OFFICE, slip, "销号")
		# a department not on the slip is refused
		self.assert_refused(
			lambda: make_request(POLICE, rq.EXCLUSION, slip, reason="与我无关"),
			"不在其中",
			rq.RequestDepartmentError,
		)
		with self.freeze_time("2026-03-04 10:00:00"):
			req = make_request(ZJJ, rq.EXCLUSION, slip, reason="配合事项受上级政策调整影响")
			req = request_act(ZJJ, rq.EXCLUSION, req.name, rq.FILE)
			# the lead may file for its own score beside it
			lead = make_request(FGW, rq.EXCLUSION, slip, reason="牵头事项另有原因")
			self.assertEqual(lead.department, "发展和改革委")
		with self.freeze_time("2026-03-05 10:00:00"):
			request_act(LEADER, rq.EXCLUSION, req.name, rq.APPROVE, "情况属实")
		scores = dict(
			frappe.get_all(
				"Whistle Slip Score",
				filters={"slip": slip},
				fields=["department", "excluded_from_assessment"],
				as_list=True,
			)
		)
		self.assertEqual(scores, {"发展和改革委": 0, "住房和城乡建设局": 1})
		self.assertEqual(frappe.db.get_value("Whistle Slip", slip, "excluded_from_assessment"), 0)
		# a second exclusion of the same department is refused
		self.assert_refused(
			lambda: make_request(ZJJ, rq.EXCLUSION, slip, reason="再次申请"), "已", rq.RequestStateError
		)

	def test_a_full_score_has_nothing_to_exclude(self):
		slip = completed_slip(self.freeze_time, "2026-03-02", [("发展和改革委", "Sole")])
		with self.freeze_time("2026-03-03 10:00:00"):
			act_as(PARK, slip, "确认解决")
			make_rating(PARK, slip, "发展和改革委", template_scores(100))
		self.assertEqual(
			frappe.db.get_value("Whistle Slip Score", {"slip": slip}, ["slip_score", "rating_complete"]),
			(100, 1),
		)
		self.assert_refused(
			lambda: make_request(FGW, rq.EXCLUSION, slip, reason="满分也想剔除"),
			"没有失分",
			rq.RequestStateError,
		)

	def test_exclusion_rejected(self):
		slip = self.rated_slip()
		req = make_request(FGW, rq.EXCLUSION, slip, reason="客观原因")
		request_act(FGW, rq.EXCLUSION, req.name, rq.FILE)
		req = request_act(LEADER, rq.EXCLUSION, req.name, rq.REJECT, "理由不充分")
		self.assertEqual((req.workflow_state, req.decision_reason), (rq.REJECTED, "理由不充分"))
		self.assertEqual(frappe.db.get_value("Whistle Slip", slip, "excluded_from_assessment"), 0)


class TestRequestAccess(RequestTestCase):
	def test_units_see_only_their_requests(self):
		slip_fgw = self.handling()
		slip_zjj = self.handling(department="住房和城乡建设局", reporter=ZJJ)
		with self.freeze_time("2026-03-05 10:00:00"):
			mine = make_request(
				FGW, rq.EXTENSION, slip_fgw, new_completion_date="2026-04-30", reason="理由甲"
			)
			theirs = make_request(
				ZJJ, rq.EXTENSION, slip_zjj, new_completion_date="2026-04-30", reason="理由乙"
			)
			request_act(ZJJ, rq.EXTENSION, theirs.name, rq.FILE)
		both = {mine.name, theirs.name}
		expected = {
			FGW: {mine.name},
			FGW_LEADER: {mine.name},
			ZJJ: {theirs.name},
			PARK: both,  # both whistles are 示例园区一's (read only)
			OTHER_PARK: set(),
			OFFICE: both,
			LEADER: both,
			EFFICIENCY: both,
		}
		for user, sees in expected.items():
			frappe.set_user(user)
			listed = set(frappe.get_list(rq.EXTENSION, pluck="name", limit_page_length=0)) & both
			checked = {n for n in both if frappe.has_permission(rq.EXTENSION, "read", doc=n)}
			frappe.set_user("Administrator")
			self.assertEqual((listed, checked), (sees, sees), user)
		self.assertFalse(frappe.has_permission(rq.EXTENSION, "write", doc=theirs.name, user=FGW))
		self.assertFalse(frappe.has_permission(rq.EXTENSION, "write", doc=mine.name, user=PARK))
		self.assertTrue(frappe.has_permission(rq.EXTENSION, "write", doc=mine.name, user=FGW_LEADER))


class TestWorkflowsInstalled(RequestTestCase):
	def test_committed_workflows_match_the_tables_and_are_installed(self):
		rq.sync_request_workflows()
		for kind in rq.KINDS.values():
			data = json.loads(rq.SPECS[kind.doctype].workflow_path.read_text())
			self.assertEqual(data, rq.build_workflow(kind), kind.doctype)
			workflow = frappe.get_doc("Workflow", kind.workflow)
			self.assertTrue(workflow.is_active)
			self.assertEqual(workflow.document_type, kind.doctype)
			self.assertEqual(
				{(t.state, t.action, t.next_state, t.allowed) for t in workflow.transitions},
				{(t["state"], t["action"], t["next_state"], t["allowed"]) for t in data["transitions"]},
			)
			self.assertTrue(frappe.get_meta(kind.doctype).is_submittable)


class TestDeskWorkflowButtons(RequestTestCase):
	"""The desk's workflow buttons call Frappe's ``apply_workflow``; the controller checks the same."""

	def test_apply_workflow_path(self):
		from frappe.model.workflow import apply_workflow

		slip = self.handling(planned="2026-03-20")
		with self.freeze_time("2026-03-16 10:00:00"):
			req = make_request(
				FGW, rq.EXTENSION, slip, new_completion_date="2026-03-31", reason="设备到货延迟"
			)
			frappe.set_user(FGW)
			apply_workflow(req.as_dict(), rq.FILE)
			frappe.set_user(OFFICE)
			self.assert_refused(
				lambda: apply_workflow(frappe.get_doc(rq.EXTENSION, req.name).as_dict(), rq.REJECT),
				"需要填写理由",
				rq.RequestReasonError,
			)
			# the form's prompt saves the reason first, then takes the action
			frappe.set_user(OFFICE)
			doc = frappe.get_doc(rq.EXTENSION, req.name)
			doc.action_reason = "请先与企业确认到货时间"
			doc.save()
			apply_workflow(doc.as_dict(), rq.REJECT)
			frappe.set_user("Administrator")
		req = frappe.get_doc(rq.EXTENSION, req.name)
		self.assertEqual((req.workflow_state, req.docstatus), (rq.REJECTED, 1))
		self.assertEqual(req.decision_reason, "请先与企业确认到货时间")
		self.assertFalse(req.action_reason)


class TestLongTermTrackingExits(RequestTestCase):
	"""Long-term tracking (继续跟踪) has two exits (issue #16): completion once solved, or the office
	ends the tracking with a reason."""

	def tracked_slip(self) -> str:
		slip = self.handling()
		with self.freeze_time("2026-03-12 10:00:00"):
			req = make_request(FGW, rq.EXEMPTION, slip, reason="涉及上级审批权限，多次协调仍无法解决")
			req = request_act(FGW, rq.EXEMPTION, req.name, rq.FILE)
		with self.freeze_time("2026-03-13 09:00:00"):
			req = request_act(OFFICE, rq.EXEMPTION, req.name, rq.FORWARD, "情况属实")
		with self.freeze_time("2026-03-13 15:00:00"):
			request_act(LEADER, rq.EXEMPTION, req.name, rq.APPROVE, "同意继续跟踪")
		self.assertEqual(frappe.db.get_value("Whistle Slip", slip, "workflow_state"), lc.LONG_TERM)
		return slip

	def test_a_tracked_slip_solved_at_last_is_completed_confirmed_and_closed_outside_the_assessment(self):
		slip = self.tracked_slip()
		with self.freeze_time("2026-06-01 10:00:00"):
			self.assertEqual(
				act_as(FGW, slip, "办结", result="上级批复已下达，问题解决").workflow_state, lc.COMPLETED
			)
			act_as(PARK, slip, "确认解决")
			rate_all(slip)
			doc = act_as(OFFICE, slip, "销号")
		self.assertEqual(doc.workflow_state, lc.CLOSED)
		self.assertEqual(doc.excluded_from_assessment, 1)
		self.assertEqual(
			set(
				frappe.get_all("Whistle Slip Score", filters={"slip": slip}, pluck="excluded_from_assessment")
			),
			{1},
		)
		self.assertEqual(
			[log.action for log in doc.state_log][-4:], ["不列入考核", "办结", "确认解决", "销号"]
		)

	def test_the_office_ends_the_tracking_with_a_reason(self):
		slip = self.tracked_slip()
		with self.freeze_time("2026-06-01 10:00:00"):
			self.assert_refused(lambda: act_as(OFFICE, slip, "终止跟踪"), "理由")
			self.assert_refused(
				lambda: act_as(FGW, slip, "终止跟踪", reason="企业已迁出"), "区吹哨办", frappe.PermissionError
			)
			self.assertEqual(frappe.db.get_value("Whistle Slip", slip, "workflow_state"), lc.LONG_TERM)
			doc = act_as(OFFICE, slip, "终止跟踪", reason="企业已迁出本区，无法继续办理")
		self.assertEqual(doc.workflow_state, lc.TRACKING_ENDED)
		log = doc.state_log[-1]
		self.assertEqual(
			(log.from_state, log.action, log.to_state, log.reason),
			(lc.LONG_TERM, "终止跟踪", lc.TRACKING_ENDED, "企业已迁出本区，无法继续办理"),
		)
		# a final state: nobody edits or acts any more
		self.assert_refused(lambda: act_as(FGW, slip, "办结", result="x"), "终止跟踪", frappe.ValidationError)


class TestConfigurableDeadlines(RequestTestCase):
	"""RULES §4 [decision] (issue #16): shorter deadlines for the green channel and per category; each
	slip keeps the numbers it was dispatched with."""

	def dispatched(self, day: str, **values) -> "frappe.model.document.Document":
		with self.freeze_time(f"{day} 09:00:00"):
			slip = make_slip(PARK, **values)
			act_as(PARK, slip.name, "提交吹哨")
		with self.freeze_time(f"{day} 10:00:00"):
			return act_as(
				OFFICE,
				slip.name,
				"派单",
				scope="Multi",
				departments=[("发展和改革委", "Lead", None), ("住房和城乡建设局", "Co", None)],
			)

	def test_a_green_channel_slip_dispatched_after_the_setting_has_the_shorter_deadline(self):
		before = self.dispatched("2026-03-02", green_channel=1, green_channel_kind=GREEN_KIND)
		self.assertEqual((before.response_days, before.meeting_days), (1, 3))
		settings = frappe.get_single("Whistle Settings")
		settings.green_channel_meeting_days = 1
		settings.append("category_deadlines", {"category": "Efficiency Improvement", "meeting_days": 2})
		settings.save()
		green = self.dispatched("2026-03-02", green_channel=1, green_channel_kind=GREEN_KIND)
		self.assertEqual((green.response_days, green.meeting_days), (1, 1))
		self.assertEqual(green.meeting_deadline, get_datetime("2026-03-03 23:59:59"))
		by_category = self.dispatched("2026-03-02", category="Efficiency Improvement")
		self.assertEqual(
			(by_category.meeting_days, by_category.meeting_deadline), (2, get_datetime("2026-03-04 23:59:59"))
		)
		plain = self.dispatched("2026-03-02")
		self.assertEqual(
			(plain.meeting_days, plain.meeting_deadline), (3, get_datetime("2026-03-05 23:59:59"))
		)
		# the slip dispatched before the change keeps its own numbers
		self.assertEqual(frappe.db.get_value("Whistle Slip", before.name, "meeting_days"), 3)
		self.assertEqual(
			frappe.db.get_value("Whistle Slip", before.name, "meeting_deadline"),
			get_datetime("2026-03-05 23:59:59"),
		)

	def test_never_longer_than_the_plan_nor_below_one(self):
		settings = frappe.get_single("Whistle Settings")
		settings.green_channel_meeting_days = 4
		self.assert_refused(settings.save, "联商会办时限最长 3 个工作日")
		settings = frappe.get_single("Whistle Settings")
		settings.append("category_deadlines", {"category": "Other", "response_days": 2})
		self.assert_refused(settings.save, "报到时限最长 1 个工作日")
		settings = frappe.get_single("Whistle Settings")
		settings.append("category_deadlines", {"category": "Other", "meeting_days": 2})
		settings.append("category_deadlines", {"category": "Other", "meeting_days": 1})
		self.assert_refused(settings.save, "多行时限")
