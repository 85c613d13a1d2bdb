"""The phone pages (issue #20): the park's slip page shows the facts it acts on, the department's steps
take their fields in one request and name every missing one at once, requests are filed in one step,
the park registers its own enterprises (a pasted credit code with spaces included), and every user has
a home. Frozen time, rolled back."""

import frappe

from tests.base import WhistleTestCase
from tests.factory import (
	act_as,
	as_user,
	credit_code,
	dispatched_slip,
	make_enterprise,
	make_slip,
	slip_in_handling,
)
from whistle_app import home, phone
from whistle_app.rules import lifecycle as lc
from whistle_app.rules.requests import EXTENSION, OFFICE_REVIEW

PARK = "park1@whistle.localhost"  # 示例园区一
OTHER_PARK = "park2@whistle.localhost"
OFFICE = "office@whistle.localhost"
FGW = "fgw@whistle.localhost"  # 发展和改革委
ZJJ = "zjj@whistle.localhost"  # 住房和城乡建设局


def step(user: str, slip: str, name: str, **values) -> str:
	return as_user(user, phone.take_step, slip, name, values)


class PhoneTestCase(WhistleTestCase):
	def test_park_sees_the_facts_and_acts_on_them(self):
		slip = slip_in_handling(self.freeze_time, "2026-03-02", "2026-03-31")
		with self.freeze_time("2026-03-03 09:00:00"):
			step(FGW, slip, "添加进展", content="已现场查看")
			self.assert_refused(lambda: step(FGW, slip, "办结"), "请填写：办理结果")
			self.assertEqual(step(FGW, slip, "办结", result="道路已修复"), lc.COMPLETED)
			facts = as_user(PARK, phone.slip_facts, slip)
		self.assertEqual(facts["state_label"], lc.COMPLETED)
		self.assertIn("现场办公，按期办结", [row["value"] for row in facts["plan"]])
		self.assertEqual([p["content"] for p in facts["progress"]], ["已现场查看"])
		self.assertEqual(facts["result"], "道路已修复")
		self.assertEqual(
			{a["action"]: a["style"] for a in facts["actions"]}, {"确认解决": "primary", "重办": "danger"}
		)
		self.assertEqual([d["clock"] for d in facts["deadlines"]], ["response", "completion"])
		self.assert_refused(lambda: as_user(OTHER_PARK, phone.slip_facts, slip), "", frappe.PermissionError)

	def test_returned_whistle_shows_the_office_reason(self):
		with self.freeze_time("2026-03-02 09:00:00"):
			slip = make_slip(PARK).name
			act_as(PARK, slip, "提交吹哨")
			act_as(OFFICE, slip, "退回补充", "请补充企业名称和联系人")
			facts = as_user(PARK, phone.slip_facts, slip)
		self.assertEqual(facts["last_reason"]["action"], "退回补充")
		self.assertEqual(facts["last_reason"]["reason"], "请补充企业名称和联系人")
		self.assertEqual([a["action"] for a in facts["actions"]], ["重新提交"])

	def test_department_reports_in_one_step_with_every_missing_field_named(self):
		with self.freeze_time("2026-03-02 10:00:00"):
			slip = dispatched_slip([("发展和改革委", "Lead"), ("住房和城乡建设局", "Co")])
		with self.freeze_time("2026-03-03 10:00:00"):
			facts = as_user(FGW, phone.slip_facts, slip)
			self.assertEqual([s["step"] for s in facts["steps"]], ["报到", "记录联商会办", "添加进展"])
			self.assertNotIn("报到", [a["action"] for a in facts["actions"]])
			self.assert_refused(lambda: step(FGW, slip, "报到"), "请填写：工作方案、计划办结日期、责任人。")
			self.assert_refused(
				lambda: step(
					FGW,
					slip,
					"报到",
					work_plan="联合办理",
					planned_completion="2026-03-31",
					responsible_persons="赵示例",
					meeting_minutes="已召开",
				),
				"请填写：会办时间、参会部门、解决方案、责任分工。",
			)
			self.assertEqual(frappe.db.get_value("Whistle Slip", slip, "workflow_state"), lc.DISPATCHED)
			self.assert_refused(lambda: step(ZJJ, slip, "报到", work_plan="x"), "", frappe.PermissionError)
			state = step(
				FGW,
				slip,
				"报到",
				work_plan="联合办理",
				planned_completion="2026-03-31",
				responsible_persons="赵示例",
				meeting_date="2026-03-03 09:00:00",
				meeting_departments="发展和改革委、住房和城乡建设局",
				meeting_minutes="已召开",
				meeting_solution="分头办理",
				meeting_task_division="住房和城乡建设局：配合办理",
			)
		self.assertEqual(state, lc.REPORTED)
		doc = frappe.get_doc("Whistle Slip", slip)
		self.assertTrue(doc.meeting_recorded_on)
		self.assertEqual(doc.response_status, "Met")

	def test_requests_are_filed_in_one_step(self):
		slip = slip_in_handling(self.freeze_time, "2026-03-02", "2026-03-31")
		with self.freeze_time("2026-03-04 09:00:00"):
			facts = as_user(FGW, phone.slip_facts, slip)
			self.assertIn(EXTENSION, [r["doctype"] for r in facts["requests"]])
			self.assert_refused(
				lambda: as_user(FGW, phone.file_request, slip, EXTENSION, {}),
				"请填写：新计划办结日期、延期理由。",
			)
			state = as_user(
				FGW,
				phone.file_request,
				slip,
				EXTENSION,
				{"new_completion_date": "2026-04-30", "reason": "需补充材料"},
			)
		self.assertEqual(state, OFFICE_REVIEW)
		self.assertEqual(len(as_user(FGW, phone.slip_facts, slip)["pending_requests"]), 1)

	def test_the_park_registers_and_picks_its_own_enterprises(self):
		code = credit_code(880001)
		added = as_user(PARK, phone.add_enterprise, " 示例手机企业 ", f" {code[:6]} {code[6:]}\t")
		self.assertEqual(added, {"name": code, "enterprise_name": "示例手机企业"})
		self.assertEqual(as_user(PARK, phone.add_enterprise, "示例手机企业", code), added)  # already there
		self.assert_refused(
			lambda: as_user(PARK, phone.add_enterprise, "", ""), "请填写：企业名称、统一社会信用代码"
		)
		# a code pasted with a leading space through the DocType itself (REST, desk)
		pasted = credit_code(880002)
		doc = as_user(
			PARK,
			lambda: frappe.get_doc(
				{
					"doctype": "Enterprise",
					"enterprise_name": "示例粘贴企业",
					"credit_code": " " + pasted,
					"whistle_unit": "示例园区一",
				}
			).insert(),
		)
		self.assertEqual(doc.name, pasted)
		other = make_enterprise("示例园区二企业", "示例园区二")
		self.assertTrue(make_slip(PARK, enterprise=code).enterprise)
		self.assert_refused(lambda: make_slip(PARK, enterprise=other), "不属于")

	def test_each_user_has_a_home(self):
		self.assertEqual(home.workspace_for(["Park Agent"]), "Park Desk")
		self.assertEqual(home.workspace_for(["Department Liaison"]), "Department Desk")
		self.assertEqual(
			home.workspace_for(["Whistle Office", "Whistle Administrator"]), "Whistle Office Desk"
		)
		self.assertEqual(home.workspace_for(["District Leader"]), "Whistle")
		self.assertIsNone(home.workspace_for(["Enterprise"]))
		user = frappe.get_doc("User", FGW)
		user.default_workspace = None
		user.save(ignore_permissions=True)
		self.assertEqual(user.default_workspace, "Department Desk")
		self.assertEqual(home.website_home_page(FGW), "whistle-home")
		titles = [t["title"] for t in as_user(FGW, phone.home_counts)]
		self.assertEqual(titles, ["待我评价", "部门报到", "申请事项"])
		self.assertEqual([t["title"] for t in as_user(PARK, phone.home_counts)], ["园区吹哨", "待我评价"])
