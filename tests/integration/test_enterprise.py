"""Enterprises and their demands (issue #5; RULES §2, §10): register, triage, access, web form."""

import json

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import now_datetime

from tests.factory import credit_code, ensure_demo, make_enterprise, make_enterprise_user
from whistle_app.demand import (
	DemandStateError,
	DemandUnitError,
	InvalidSlipCategoryError,
	NoEnterpriseError,
	ResolutionRequiredError,
	escalate,
	get_public_progress,
	resolve_locally,
)
from whistle_app.whistle.doctype.enterprise.enterprise import (
	DuplicateEnterpriseError,
	EnterpriseUnitError,
	EnterpriseUserError,
	InvalidCreditCodeError,
	clear_user_enterprise_cache,
)

# Demo parks and users (``whistle_app.dev.demo``, committed once); enterprise fixtures are added to them.
PARK_A = "示例园区一"
PARK_B = "示例镇街一"
AGENT_A = "park1@whistle.localhost"
AGENT_B = "town1@whistle.localhost"
OFFICE = "office@whistle.localhost"
LEADER = "leader@whistle.localhost"
LIAISON = "fgw@whistle.localhost"
ENT_USER_A = "ent-user-a@test.localhost"
ENT_USER_B = "ent-user-b@test.localhost"
ENT_USER_NONE = "ent-user-none@test.localhost"
ENT_A = ("测试甲科技有限公司", PARK_A, ENT_USER_A, {"grid": "一网格"})
ENT_B = ("测试乙制药有限公司", PARK_B, ENT_USER_B, {})


_FIXTURES: tuple[str, str] | None = None


def ensure_fixtures() -> tuple[str, str]:
	"""Demo users plus two enterprises with portal users, committed once (saving users is slow)."""
	global _FIXTURES
	if _FIXTURES and all(frappe.db.exists("Enterprise", name) for name in _FIXTURES):
		return _FIXTURES
	ensure_demo()  # the demo as every test has it (no published bulletin, no evaluated year)
	names = []
	for user in (ENT_USER_A, ENT_USER_B, ENT_USER_NONE):
		if not frappe.db.exists("User", user):
			make_enterprise_user(user)
	for name, unit, user, values in (ENT_A, ENT_B):
		names.append(make_enterprise(name, unit, user=user, **values))
	frappe.db.commit()
	_FIXTURES = (names[0], names[1])
	return _FIXTURES


def has_chinese(text: str) -> bool:
	return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def as_user(user: str):
	"""Context manager: run the block as ``user``, then as Administrator again."""

	class _As:
		def __enter__(self):
			frappe.set_user(user)

		def __exit__(self, *exc):
			frappe.set_user("Administrator")

	return _As()


class EnterpriseCase(FrappeTestCase):
	"""Two parks, each with an agent, an enterprise (with a portal user) and one open demand."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.ent_a, cls.ent_b = ensure_fixtures()

	def setUp(self):
		self.lang = frappe.local.lang
		clear_user_enterprise_cache()
		frappe.flags.in_web_form = False
		self.demand_a = self.make_demand(self.ent_a, PARK_A, project_name="甲项目")
		self.demand_b = self.make_demand(self.ent_b, PARK_B)

	def tearDown(self):
		frappe.flags.in_web_form = False
		frappe.local.lang = self.lang  # as the test found it
		clear_user_enterprise_cache()

	def make_demand(self, enterprise: str, unit: str, **values) -> str:
		return (
			frappe.get_doc(
				{
					"doctype": "Enterprise Demand",
					"enterprise": enterprise,
					"whistle_unit": unit,
					"source": "Visit",
					"description": "企业反映：用电增容审批迟迟没有结果\n需要尽快协调",
					"request": "希望一个月内完成增容",
					**values,
				}
			)
			.insert()
			.name
		)


class TestEnterpriseRegister(EnterpriseCase):
	def test_invalid_credit_code_refused_in_chinese_and_nothing_saved(self):
		frappe.local.lang = "zh"
		before = frappe.db.count("Enterprise")
		cases = {
			"91350100M000100Y42": "校验码",  # last character changed
			"91350100M000100Y4": "18 位",
			"91350100M000100I43": "I、O、Z、S、V",
			"": "请填写统一社会信用代码",
		}
		for code, expected in cases.items():
			with self.assertRaises(InvalidCreditCodeError, msg=code) as cm:
				frappe.get_doc(
					{
						"doctype": "Enterprise",
						"enterprise_name": f"无效代码企业{code}",
						"credit_code": code,
						"whistle_unit": PARK_A,
					}
				).insert()
			self.assertIn(expected, str(cm.exception))
			self.assertTrue(has_chinese(str(cm.exception)), str(cm.exception))
		self.assertEqual(frappe.db.count("Enterprise"), before)

	def test_code_is_normalised_and_is_the_name(self):
		name = make_enterprise("测试丙物流有限公司", PARK_A, code=" 91350100m000100y43 ")
		self.assertEqual(name, "91350100M000100Y43")
		self.assertEqual(frappe.db.get_value("Enterprise", name, "credit_code"), "91350100M000100Y43")

	def test_duplicate_code_refused(self):
		frappe.local.lang = "zh"
		code = frappe.db.get_value("Enterprise", self.ent_a, "credit_code")
		with self.assertRaises(DuplicateEnterpriseError) as cm:
			make_enterprise("另一家公司", PARK_B, code=code.lower())
		self.assertIn("已登记", str(cm.exception))
		self.assertEqual(frappe.db.count("Enterprise", {"credit_code": code}), 1)
		same_name = {
			"doctype": "Enterprise",
			"enterprise_name": " 测试甲科技有限公司 ",
			"whistle_unit": PARK_B,
		}
		with self.assertRaises(DuplicateEnterpriseError):
			frappe.get_doc({**same_name, "credit_code": credit_code(7)}).insert()

	def test_enterprise_belongs_to_a_park_or_town(self):
		with self.assertRaises(EnterpriseUnitError):
			make_enterprise("部门下的企业", "教育局", code=credit_code(11))

	def test_portal_user_is_an_enterprise_website_user_of_one_enterprise(self):
		with self.assertRaises(EnterpriseUserError):
			make_enterprise("测试丁公司", PARK_A, code=credit_code(12), user=AGENT_A)
		with self.assertRaises(EnterpriseUserError):
			make_enterprise("测试戊公司", PARK_A, code=credit_code(13), user=ENT_USER_A)
		self.assertEqual(frappe.db.get_value("User", ENT_USER_A, "user_type"), "Website User")

	def test_register_access(self):
		def listed(user):
			with as_user(user):
				return set(frappe.get_list("Enterprise", pluck="name", limit_page_length=0))

		both = {self.ent_a, self.ent_b}
		self.assertEqual(listed(AGENT_A) & both, {self.ent_a})
		self.assertEqual(listed(AGENT_B) & both, {self.ent_b})
		self.assertEqual(listed(ENT_USER_A), {self.ent_a})
		self.assertEqual(listed(ENT_USER_NONE), set())
		for user in (OFFICE, LEADER, LIAISON):
			self.assertLessEqual(both, listed(user), user)
		ent_a = frappe.get_doc("Enterprise", self.ent_a)
		self.assertTrue(frappe.has_permission("Enterprise", "write", doc=ent_a, user=AGENT_A))
		self.assertFalse(frappe.has_permission("Enterprise", "write", doc=ent_a, user=AGENT_B))
		self.assertFalse(frappe.has_permission("Enterprise", "read", doc=ent_a, user=AGENT_B))
		self.assertFalse(frappe.has_permission("Enterprise", "write", doc=ent_a, user=ENT_USER_A))
		self.assertFalse(frappe.has_permission("Enterprise", "write", doc=ent_a, user=LIAISON))
		self.assertFalse(frappe.has_permission("Enterprise", "write", doc=ent_a, user=LEADER))

	def test_park_registers_enterprises_of_its_own_unit_only(self):
		with as_user(AGENT_A):
			make_enterprise("测试己公司", PARK_A, code=credit_code(21))
			with self.assertRaises(frappe.PermissionError):
				frappe.get_doc(
					{
						"doctype": "Enterprise",
						"enterprise_name": "测试庚公司",
						"credit_code": credit_code(22),
						"whistle_unit": PARK_B,
					}
				).insert()


class TestDemandTriage(EnterpriseCase):
	def test_new_demand_is_open_and_prefilled_from_the_enterprise(self):
		demand = frappe.get_doc("Enterprise Demand", self.demand_a)
		self.assertTrue(demand.name.startswith("QS-"))
		self.assertEqual(demand.status, "Open")
		self.assertEqual(demand.enterprise_name, "测试甲科技有限公司")
		self.assertEqual(demand.grid, "一网格")
		self.assertEqual(str(demand.received_on), str(frappe.utils.getdate(demand.creation)))

	def test_demand_unit_must_be_the_enterprises(self):
		frappe.local.lang = "zh"
		with self.assertRaises(DemandUnitError) as cm:
			self.make_demand(self.ent_b, PARK_A)
		self.assertTrue(has_chinese(str(cm.exception)))
		with self.assertRaises(DemandUnitError):
			self.make_demand(self.ent_a, "教育局")

	def test_resolved_locally_needs_a_result(self):
		frappe.local.lang = "zh"
		with as_user(AGENT_A):
			with self.assertRaises(ResolutionRequiredError) as cm:
				resolve_locally(self.demand_a, "   ")
			self.assertIn("办理结果", str(cm.exception))
			self.assertEqual(frappe.db.get_value("Enterprise Demand", self.demand_a, "status"), "Open")
			resolve_locally(self.demand_a, "已协调供电公司完成增容")
		demand = frappe.get_doc("Enterprise Demand", self.demand_a)
		self.assertEqual(demand.status, "Resolved Locally")
		self.assertEqual(demand.resolution, "已协调供电公司完成增容")
		self.assertEqual(demand.resolved_by, AGENT_A)
		self.assertIsNotNone(demand.resolved_on)
		self.assertFalse(demand.whistle_slip)
		with as_user(AGENT_A):
			with self.assertRaises(DemandStateError) as cm:
				resolve_locally(self.demand_a, "再次处理")
			self.assertIn("已就地解决", str(cm.exception))
			with self.assertRaises(DemandStateError):
				escalate(self.demand_a)

	def test_escalation_creates_a_prefilled_draft_slip_linked_both_ways(self):
		frappe.local.lang = "zh"
		attachment = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": "enterprise-demand-photo.txt",
				"content": b"photo",
				"is_private": 1,
				"attached_to_doctype": "Enterprise Demand",
				"attached_to_name": self.demand_a,
			}
		).insert(ignore_permissions=True)
		with as_user(AGENT_A):
			slip_name = escalate(self.demand_a, category="Comprehensive Coordination")
		self.assertTrue(slip_name.startswith("CS-"), slip_name)
		slip = frappe.get_doc("Whistle Slip", slip_name)
		demand = frappe.get_doc("Enterprise Demand", self.demand_a)
		self.assertEqual(demand.status, "Escalated")
		self.assertEqual(demand.whistle_slip, slip_name)
		self.assertEqual(demand.escalated_by, AGENT_A)
		self.assertEqual(slip.enterprise_demand, self.demand_a)
		self.assertEqual(slip.whistle_unit, PARK_A)
		self.assertEqual(slip.enterprise, self.ent_a)
		self.assertEqual(slip.project_name, "甲项目")
		self.assertEqual(slip.category, "Comprehensive Coordination")
		self.assertEqual(slip.description, demand.description)
		self.assertEqual(slip.demand, "希望一个月内完成增容")
		self.assertTrue(slip.title.startswith("测试甲科技有限公司："), slip.title)
		self.assertNotIn("\n", slip.title)
		if slip.meta.has_field("workflow_state"):
			self.assertEqual(slip.workflow_state, "草稿")
		copied = frappe.get_all(
			"File",
			filters={"attached_to_doctype": "Whistle Slip", "attached_to_name": slip_name},
			pluck="file_url",
		)
		self.assertEqual(copied, [attachment.file_url])
		with as_user(AGENT_A):
			with self.assertRaises(DemandStateError) as cm:
				escalate(self.demand_a)
			self.assertIn(slip_name, str(cm.exception))
			self.assertIn("已吹哨", str(cm.exception))
			with self.assertRaises(DemandStateError):
				resolve_locally(self.demand_a, "结果")
		self.assertEqual(frappe.db.count("Whistle Slip", {"enterprise_demand": self.demand_a}), 1)

	def test_escalation_with_own_title_and_default_category(self):
		with as_user(AGENT_A):
			slip = frappe.get_doc("Whistle Slip", escalate(self.demand_a, title="用电增容"))
		self.assertEqual(slip.title, "用电增容")
		self.assertEqual(slip.category, "Other")

	def test_unknown_category_refused(self):
		with as_user(AGENT_A), self.assertRaises(InvalidSlipCategoryError):
			escalate(self.demand_a, category="Urgent")
		self.assertEqual(frappe.db.get_value("Enterprise Demand", self.demand_a, "status"), "Open")

	def test_status_and_link_change_only_through_triage(self):
		demand = frappe.get_doc("Enterprise Demand", self.demand_a)
		demand.status = "Escalated"
		with self.assertRaises(DemandStateError):
			demand.save()
		demand.reload()
		demand.resolution = "直接写入"
		with self.assertRaises(DemandStateError):
			demand.save()
		with self.assertRaises(DemandStateError):
			self.make_demand(self.ent_a, PARK_A, status="Resolved Locally", resolution="x")
		demand.reload()
		demand.grid = "二网格"
		demand.save()  # ordinary fields stay editable
		resolve_locally(self.demand_a, "结果")
		demand.reload()
		demand.whistle_unit = PARK_B
		demand.enterprise = self.ent_b
		with self.assertRaises(DemandStateError):
			demand.save()


class TestDemandAccess(EnterpriseCase):
	def listed(self, user: str) -> set[str]:
		with as_user(user):
			names = set(frappe.get_list("Enterprise Demand", pluck="name", limit_page_length=0))
		return names & {self.demand_a, self.demand_b}

	def test_park_sees_and_edits_only_its_own_demands(self):
		self.assertEqual(self.listed(AGENT_A), {self.demand_a})
		self.assertEqual(self.listed(AGENT_B), {self.demand_b})
		for ptype in ("read", "write"):
			self.assertTrue(
				frappe.has_permission("Enterprise Demand", ptype, doc=self.demand_a, user=AGENT_A)
			)
			self.assertFalse(
				frappe.has_permission("Enterprise Demand", ptype, doc=self.demand_b, user=AGENT_A)
			)
		with as_user(AGENT_A):
			with self.assertRaises(frappe.PermissionError):
				escalate(self.demand_b)
			with self.assertRaises(frappe.PermissionError):
				resolve_locally(self.demand_b, "越权处理")
			with self.assertRaises(frappe.PermissionError):
				frappe.get_doc("Enterprise Demand", self.demand_b).check_permission("read")
		self.assertEqual(frappe.db.get_value("Enterprise Demand", self.demand_b, "status"), "Open")
		self.assertFalse(frappe.db.exists("Whistle Slip", {"enterprise_demand": self.demand_b}))

	def test_park_cannot_pull_another_parks_demand_into_its_unit(self):
		with as_user(AGENT_A):
			doc = frappe.get_doc("Enterprise Demand", self.demand_b)
			doc.whistle_unit = PARK_A
			self.assertFalse(frappe.has_permission("Enterprise Demand", "write", doc=doc, user=AGENT_A))
			with self.assertRaises(frappe.PermissionError):
				self.make_demand(self.ent_b, PARK_B)

	def test_office_sees_everything_leaders_read_departments_see_nothing(self):
		both = {self.demand_a, self.demand_b}
		self.assertEqual(self.listed(OFFICE), both)
		self.assertEqual(self.listed(LEADER), both)
		with self.assertRaises(frappe.PermissionError):  # departments have no access to demands at all
			self.listed(LIAISON)
		self.assertTrue(frappe.has_permission("Enterprise Demand", "write", doc=self.demand_b, user=OFFICE))
		self.assertFalse(frappe.has_permission("Enterprise Demand", "write", doc=self.demand_b, user=LEADER))
		self.assertFalse(frappe.has_permission("Enterprise Demand", "read", doc=self.demand_b, user=LIAISON))
		with as_user(OFFICE):
			self.assertTrue(escalate(self.demand_b).startswith("CS-"))
		with as_user(LEADER), self.assertRaises(frappe.PermissionError):
			resolve_locally(self.demand_a, "领导不处置")

	def test_enterprise_sees_only_its_own_demands_and_edits_none(self):
		self.assertEqual(self.listed(ENT_USER_A), {self.demand_a})
		self.assertEqual(self.listed(ENT_USER_B), {self.demand_b})
		self.assertEqual(self.listed(ENT_USER_NONE), set())
		self.assertTrue(
			frappe.has_permission("Enterprise Demand", "read", doc=self.demand_a, user=ENT_USER_A)
		)
		self.assertFalse(
			frappe.has_permission("Enterprise Demand", "read", doc=self.demand_b, user=ENT_USER_A)
		)
		self.assertFalse(
			frappe.has_permission("Enterprise Demand", "write", doc=self.demand_a, user=ENT_USER_A)
		)
		with as_user(ENT_USER_A), self.assertRaises(frappe.PermissionError):
			escalate(self.demand_a)

	def test_public_progress_only_for_the_enterprise_its_park_and_the_office(self):
		with as_user(AGENT_A):
			slip_name = escalate(self.demand_a)
		# an internal state change with a reason the enterprise must not see
		frappe.get_doc(
			{
				"doctype": "Whistle Slip State Log",
				"parent": slip_name,
				"parenttype": "Whistle Slip",
				"parentfield": "state_log",
				"idx": 99,
				"changed_on": now_datetime(),
				"changed_by": OFFICE,
				"from_state": "待审核",
				"action": "退回补充",
				"to_state": "草稿",
				"reason": "内部理由：材料不全",
			}
		).db_insert()
		for user in (ENT_USER_A, AGENT_A, OFFICE):
			with as_user(user):
				progress = get_public_progress(self.demand_a)
			self.assertEqual(progress["status"], "Escalated")
			self.assertEqual(progress["slip"]["number"], slip_name)
		slip = progress["slip"]
		self.assertEqual(
			set(slip),
			{
				"number",
				"title",
				"workflow_state",
				"workflow_state_label",
				"dispatched_on",
				"completed_on",
				"history",
			},
		)
		self.assertEqual(slip["history"][-1]["to_state"], "草稿")
		text = json.dumps(progress, default=str, ensure_ascii=False)
		self.assertNotIn("内部理由", text)
		self.assertNotIn(OFFICE, text)
		for user in (ENT_USER_B, ENT_USER_NONE, AGENT_B, LIAISON, "Guest"):
			with as_user(user), self.assertRaises(frappe.PermissionError, msg=user):
				get_public_progress(self.demand_a)
		with as_user(ENT_USER_A), self.assertRaises(frappe.PermissionError):
			get_public_progress("QS-does-not-exist")

	def test_public_progress_of_an_open_and_a_resolved_demand(self):
		with as_user(ENT_USER_B):
			self.assertIsNone(get_public_progress(self.demand_b)["slip"])
		resolve_locally(self.demand_b, "已当面解答")
		with as_user(ENT_USER_B):
			progress = get_public_progress(self.demand_b)
		self.assertEqual(progress["resolution"], "已当面解答")
		self.assertIsNone(progress["slip"])


def forget_request() -> None:
	"""Leave no request behind: ``set_request`` binds one to ``frappe.local`` for the process."""
	for name in ("request", "request_ip"):
		if hasattr(frappe.local, name):
			delattr(frappe.local, name)


class TestEnterpriseWebForm(EnterpriseCase):
	def accept(self, user: str, **data) -> "frappe.model.document.Document":
		from frappe.website.doctype.web_form.web_form import accept

		with as_user(user):
			try:
				return accept("enterprise-demand", json.dumps(data))
			finally:
				frappe.flags.in_web_form = False

	def test_web_form_exists_and_requires_login(self):
		form = frappe.get_doc("Web Form", "enterprise-demand")
		self.assertEqual(form.doc_type, "Enterprise Demand")
		self.assertEqual(form.module, "Whistle")
		self.assertTrue(form.published and form.login_required and form.is_standard)
		self.assertTrue(form.apply_document_permissions and form.show_list and form.allow_multiple)
		self.assertFalse(form.anonymous or form.allow_edit or form.allow_delete)
		self.assertEqual(
			{f.fieldname for f in form.web_form_fields},
			{"source", "project_name", "sub_topic", "enterprise_stage", "description", "request"},
		)

	def test_guest_cannot_submit_list_or_open(self):
		from frappe.website.doctype.web_form.web_form import get_form_data
		from frappe.www.list import get_list_data

		with self.assertRaises(frappe.ValidationError):
			self.accept("Guest", description="匿名诉求")
		with as_user("Guest"):
			with self.assertRaises(frappe.PermissionError):
				get_form_data("Enterprise Demand", self.demand_a, "enterprise-demand")
			with self.assertRaises(frappe.PermissionError):
				get_list_data("Enterprise Demand", web_form_name="enterprise-demand")
			with self.assertRaises(frappe.PermissionError):
				frappe.get_doc(
					{"doctype": "Enterprise Demand", "enterprise": self.ent_a, "description": "x"}
				).insert(ignore_permissions=True)
		self.assertFalse(frappe.db.exists("Enterprise Demand", {"description": "匿名诉求"}))

	def test_enterprise_submits_and_the_server_sets_enterprise_and_park(self):
		doc = self.accept(
			ENT_USER_A,
			description="厂区道路需要修缮",
			project_name="二期厂房",
			# values a client must not be able to choose
			source="Visit",
			enterprise=self.ent_b,
			whistle_unit=PARK_B,
			status="Escalated",
		)
		stored = frappe.get_doc("Enterprise Demand", doc.name)
		self.assertEqual(stored.enterprise, self.ent_a)
		self.assertEqual(stored.whistle_unit, PARK_A)
		self.assertEqual(stored.grid, "一网格")
		self.assertEqual(stored.source, "Enterprise Online")
		self.assertEqual(stored.status, "Open")
		self.assertEqual(stored.submitted_by_enterprise, ENT_USER_A)
		self.assertEqual(stored.project_name, "二期厂房")
		self.assertIn(doc.name, self.listed_in_web_form(ENT_USER_A))
		self.assertNotIn(doc.name, self.listed_in_web_form(ENT_USER_B))
		with as_user(AGENT_A):
			self.assertIn(doc.name, frappe.get_list("Enterprise Demand", pluck="name"))

	def listed_in_web_form(self, user: str) -> set[str]:
		from frappe.www.list import get_list_data

		with as_user(user):
			return {row.name for row in get_list_data("Enterprise Demand", web_form_name="enterprise-demand")}

	def test_web_form_list_shows_only_own_demands(self):
		self.assertEqual(
			self.listed_in_web_form(ENT_USER_A) & {self.demand_a, self.demand_b}, {self.demand_a}
		)

	def test_enterprise_opens_only_its_own_demand(self):
		from frappe.website.doctype.web_form.web_form import get_form_data

		with as_user(ENT_USER_A):
			self.assertEqual(
				get_form_data("Enterprise Demand", self.demand_a, "enterprise-demand").doc.name, self.demand_a
			)
			with self.assertRaises(frappe.PermissionError):
				get_form_data("Enterprise Demand", self.demand_b, "enterprise-demand")

	def test_only_linked_enterprise_users_submit(self):
		frappe.local.lang = "zh"
		with self.assertRaises(NoEnterpriseError) as cm:
			self.accept(ENT_USER_NONE, description="没有企业的账号")
		self.assertIn("尚未关联", str(cm.exception))
		with self.assertRaises(frappe.PermissionError):
			self.accept(AGENT_A, description="园区用户走了企业表单")

	def test_web_form_page_is_for_enterprises(self):
		from whistle_app.whistle.web_form.enterprise_demand.enterprise_demand import get_context

		with as_user(ENT_USER_A):
			context = frappe._dict()
			get_context(context)
			self.assertEqual(context.enterprise_name, "测试甲科技有限公司")
		for user in (AGENT_A, OFFICE, ENT_USER_NONE):
			with as_user(user), self.assertRaises(frappe.PermissionError, msg=user):
				get_context(frappe._dict())

	def test_web_form_pages_render(self):
		from frappe.utils import set_request
		from frappe.website.serve import get_response

		def fetch(user: str, path: str):
			with as_user(user):
				set_request(method="GET", path=path)
				return get_response()

		self.addCleanup(forget_request)  # later tests run outside a request (rate limits, web forms)

		response = fetch(ENT_USER_A, f"/enterprise-demand/{self.demand_a}")
		self.assertEqual(response.status_code, 200)
		self.assertIn("get_public_progress", response.get_data(as_text=True))
		self.assertEqual(fetch(ENT_USER_A, f"/enterprise-demand/{self.demand_b}").status_code, 403)
		self.assertEqual(fetch(AGENT_A, "/enterprise-demand/new").status_code, 403)
		guest = fetch("Guest", f"/enterprise-demand/{self.demand_a}")
		self.assertNotEqual(guest.status_code, 200)
		self.assertNotIn("用电增容", guest.get_data(as_text=True))
