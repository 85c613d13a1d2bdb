"""研判分析 (RULES §14, problem analysis): the typical-problem taxonomy, sub-topic and stage on slips and
demands, repeated whistles (90 days linked, 91 not), the report's totals against a direct count, and
the monthly focus topic in the supervision bulletin and its PDF."""

import io
import re
from datetime import timedelta

import frappe
from frappe.translate import print_language
from frappe.utils import add_months, getdate
from pypdf import PdfReader

from tests.base import WhistleTestCase
from tests.factory import act_as, as_user, make_bulletin, make_enterprise, make_slip
from tests.pdf import AssetsServerMixin
from whistle_app import analysis
from whistle_app.rules import analysis as an
from whistle_app.rules import lifecycle as lc
from whistle_app.whistle.report.whistle_analysis import whistle_analysis as report

OFFICE = "office@whistle.localhost"
ADMIN = "admin@whistle.localhost"
PARK1, PARK2 = "park1@whistle.localhost", "park2@whistle.localhost"
FGW = "fgw@whistle.localhost"
UNIT1 = "示例园区一"
COORDINATION = "Comprehensive Coordination"


def filed_slip(user: str, **values) -> str:
	slip = make_slip(user, **values).name
	act_as(user, slip, "提交吹哨")
	return slip


def set_filed_on(slip: str, moment: str) -> None:
	frappe.db.set_value("Whistle Slip", slip, "creation", moment, update_modified=False)


class TestTaxonomy(WhistleTestCase):
	def test_the_plans_sub_topics_are_seeded_once(self):
		seeded = frappe.get_all("Whistle Sub Topic", fields=["name", "category"])
		self.assertTrue(
			{(r["topic_name"], r["category"]) for r in an.seed_sub_topics()}
			<= {(r.name, r.category) for r in seeded}
		)
		frappe.db.set_value("Whistle Sub Topic", "中介服务", "enabled", 0)
		frappe.delete_doc("Whistle Sub Topic", "专利申报")
		self.assertEqual(analysis.seed_sub_topics(), [])  # an administrator's edits stay
		self.assertFalse(frappe.db.exists("Whistle Sub Topic", "专利申报"))
		self.assertEqual(frappe.db.get_value("Whistle Sub Topic", "中介服务", "enabled"), 0)

	def test_who_edits_and_who_reads(self):
		self.assertTrue(frappe.has_permission("Whistle Sub Topic", "write", user=ADMIN))
		for user in (OFFICE, PARK1, FGW):
			self.assertTrue(frappe.has_permission("Whistle Sub Topic", "read", user=user))
			self.assertFalse(frappe.has_permission("Whistle Sub Topic", "write", user=user))
		self.assertTrue(frappe.has_permission("Monthly Focus Topic", "create", user=OFFICE))
		self.assertTrue(frappe.has_permission("Monthly Focus Topic", "read", user=FGW))
		self.assertFalse(frappe.has_permission("Monthly Focus Topic", "create", user=PARK1))

	def test_the_sub_topic_belongs_to_the_category_and_the_stage_is_one_of_three(self):
		slip = make_slip(PARK1, category=COORDINATION, sub_topic="产权缺失", enterprise_stage="项目开工建设")
		self.assertEqual((slip.sub_topic, slip.enterprise_stage), ("产权缺失", "项目开工建设"))
		self.assert_refused(
			lambda: make_slip(PARK1, category=COORDINATION, sub_topic="企业注册"), "典型问题 企业注册 属于"
		)
		self.assert_refused(lambda: make_slip(PARK1, enterprise_stage="已倒闭"), "企业所处阶段")
		frappe.db.set_value("Whistle Sub Topic", "竣工逾期", "enabled", 0)
		self.assert_refused(lambda: make_slip(PARK1, sub_topic="竣工逾期"), "已停用")
		self.assertEqual(
			[o["value"] for o in as_user(PARK1, analysis.sub_topic_options, COORDINATION)],
			["产权缺失", "资产转让"],
		)


class TestRepeatedWhistles(WhistleTestCase):
	def setUp(self):
		super().setUp()
		self.enterprise = make_enterprise("研判测试重复吹哨企业", UNIT1)
		self.values = {"category": COORDINATION, "sub_topic": "资产转让", "enterprise": self.enterprise}
		self.earlier = filed_slip(PARK1, **self.values)

	def new_slip_on(self, earlier_filed: str):
		set_filed_on(self.earlier, earlier_filed)
		with self.freeze_time("2027-03-01 10:00:00"):
			return make_slip(PARK1, **self.values)

	def test_ninety_days_later_the_new_whistle_is_linked(self):
		slip = self.new_slip_on("2026-12-01 09:00:00")  # 90 days before 2027-03-01
		self.assertEqual(slip.repeat_of, self.earlier)
		info = as_user(OFFICE, analysis.repeat_info, "Whistle Slip", slip.name)
		self.assertEqual((info["name"], info["days"], info["state"]), (self.earlier, 90, lc.SUBMITTED))

	def test_ninety_one_days_later_it_is_not(self):
		self.assertFalse(self.new_slip_on("2026-11-30 23:00:00").repeat_of)

	def test_a_demand_is_linked_and_a_client_cannot_set_the_link(self):
		set_filed_on(self.earlier, "2026-12-01 09:00:00")
		with self.freeze_time("2027-02-01 10:00:00"):
			demand = frappe.get_doc(
				{
					"doctype": "Enterprise Demand",
					"enterprise": self.enterprise,
					"whistle_unit": UNIT1,
					"source": "Visit",
					"description": "再次反映资产转让问题",
					"sub_topic": "资产转让",
				}
			)
			as_user(PARK1, demand.insert)
		self.assertEqual(demand.repeat_of, self.earlier)
		other = make_slip(PARK1, category=COORDINATION, sub_topic="产权缺失", enterprise=self.enterprise)
		self.assertFalse(other.repeat_of)  # another sub-topic is not a repeat


class TestAnalysisReport(WhistleTestCase):
	def setUp(self):
		super().setUp()
		self.today = getdate()
		self.filters = {"from_date": f"{self.today.year - 1}-01-01", "to_date": str(self.today)}

	def direct_count(self, unit: str | None = None) -> int:
		filters = {
			"workflow_state": ("!=", lc.DRAFT),
			"creation": (
				"between",
				[f"{self.today.year - 1}-01-01 00:00:00", f"{self.today} 23:59:59.999999"],
			),
		}
		if unit:
			filters["whistle_unit"] = unit
		return frappe.db.count("Whistle Slip", filters)

	def run_report(self, user: str, **filters):
		_columns, data, _message, chart = as_user(user, report.execute, {**self.filters, **filters})
		return data, chart

	def test_totals_equal_a_direct_count_in_every_grouping(self):
		filed_slip(PARK1, category=COORDINATION, sub_topic="产权缺失", enterprise_stage="招商引资")
		total = self.direct_count()
		for group in ("Category", "Sub-topic", "Enterprise Stage", "Park"):
			data, chart = self.run_report(OFFICE, group_by=group, granularity="Quarter")
			self.assertEqual(sum(r["total"] for r in data), total, group)
		self.assertEqual(
			len(chart["data"]["labels"]),
			len(report.validate_filters(frappe._dict({**self.filters, "granularity": "Quarter"})).periods),
		)
		data, _chart = self.run_report(PARK1, group_by="Park")
		self.assertEqual([(r["group"], r["total"]) for r in data], [(UNIT1, self.direct_count(UNIT1))])
		by_department, _chart = self.run_report(OFFICE, group_by="Department")
		for row in by_department[:3]:
			direct = len(
				set(
					frappe.get_all(
						"Whistle Slip Department",
						filters={"department": row["group_value"], "parenttype": "Whistle Slip"},
						pluck="parent",
					)
				)
				& set(
					frappe.get_all(
						"Whistle Slip",
						filters={
							"workflow_state": ("!=", lc.DRAFT),
							"creation": (">=", f"{self.today.year - 1}-01-01"),
						},
						pluck="name",
					)
				)
			)
			self.assertEqual(row["total"], direct)

	def test_recurring_topics_and_time_per_stage(self):
		enterprise = make_enterprise("研判测试高发问题企业", UNIT1)
		for _i in range(2):
			filed_slip(PARK1, category=COORDINATION, sub_topic="竣工逾期", enterprise=enterprise)
		data, chart = self.run_report(OFFICE, view="Top Recurring Sub-topics")
		row = next(r for r in data if r["sub_topic"] == "竣工逾期")
		self.assertGreaterEqual(row["whistles"], 2)
		self.assertGreaterEqual(row["repeats"], 1)
		self.assertEqual(chart["type"], "bar")
		data, _chart = self.run_report(OFFICE, view="Time per Stage")
		self.assertTrue(data)
		for r in data:
			if r["dispatch_median"] is not None:
				self.assertLessEqual(r["dispatch_median"], r["dispatch_p90"])
		self.assert_refused(
			lambda: report.execute({"from_date": "2026-03-01", "to_date": "2026-01-01"}),
			"开始日期不能晚于结束日期",
		)


class TestFocusTopic(AssetsServerMixin, WhistleTestCase):
	def test_one_per_month_suggested_and_shown_in_the_bulletin_pdf(self):
		month = getdate(add_months(getdate(), -2)).replace(day=1)
		filed = filed_slip(PARK1, category=COORDINATION, sub_topic="资产转让")
		set_filed_on(filed, f"{month} 10:00:00")
		suggestion = as_user(OFFICE, analysis.suggest_focus_topic, str(month))
		self.assertTrue(suggestion["sub_topic"])
		self.assert_refused(
			lambda: as_user(PARK1, analysis.suggest_focus_topic, str(month)),
			"只有区吹哨办",
			frappe.PermissionError,
		)
		name = make_bulletin(month.year, month.month)
		topic = frappe.get_doc(
			{
				"doctype": "Monthly Focus Topic",
				"month": str(month + timedelta(days=5)),
				"sub_topic": "资产转让",
				"title": "盘活闲置厂房资产转让",
				"note": "请各园区梳理闲置资产。",
			}
		)
		as_user(OFFICE, topic.insert)
		self.assertEqual((getdate(topic.month), topic.category), (month, COORDINATION))
		again = frappe.get_doc(
			{"doctype": "Monthly Focus Topic", "month": str(month), "sub_topic": "产权缺失", "title": "x"}
		)
		self.assert_refused(lambda: as_user(OFFICE, again.insert), "每月一题已存在")
		bulletin = frappe.get_doc("Supervision Bulletin", name)
		if bulletin.docstatus:
			self.skipTest("that month's bulletin is published already")  # final: no new paragraph
		self.assertIn("盘活闲置厂房资产转让", bulletin.bulletin_text)
		with print_language("zh"):
			pdf = frappe.get_print("Supervision Bulletin", name, print_format="月度督查通报", as_pdf=True)
		text = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
		self.assertIn("每月一题", text)
		self.assertIn("盘活闲置厂房资产转让", text)
		self.assertIn("典型问题：资产转让", text)
