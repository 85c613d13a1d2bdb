"""Enterprise satisfaction surveys (RULES §7, §10, §11 E1): opening and closing, who may vote for
which unit, one vote per enterprise per unit per quarter, office tallies and the quarter's votes."""

from decimal import Decimal

import frappe
import pytest

from tests.base import WhistleTestCase
from tests.factory import (
	act_as,
	cast_vote,
	ensure_demo,
	make_enterprise,
	make_enterprise_user,
	make_slip,
	make_survey,
	make_survey_tallies,
	module_users,
	survey_move,
)
from whistle_app import surveys
from whistle_app.rules.scoring import VoteCounts, round2, satisfaction

OFFICE = "office@whistle.localhost"
PARK = "park1@whistle.localhost"
FGW = "fgw@whistle.localhost"
FGW_D, ZJJ_D, POLICE_D = "发展和改革委", "住房和城乡建设局", "公安分局"
# a quarter far from the demo data, so the demo's own surveys never collide
YEAR, QUARTER = 2031, 2
IN_QUARTER = "2031-05-06"


@pytest.fixture(scope="module", autouse=True)
def survey_users(_site):
	"""The two enterprises' users, for this module (``factory.module_users``); the enterprises
	themselves are made in each test."""
	ensure_demo()
	emails = ("ent-survey@whistle.localhost", "ent-survey2@whistle.localhost")
	yield from module_users([(email, ["Enterprise"], None) for email in emails])


class SurveyTestCase(WhistleTestCase):
	def setUp(self):
		super().setUp()
		# the demo keeps the real current and previous quarter's surveys on the test site; when the
		# real date reaches the quarters these tests use, theirs go for this test (rolled back after)
		for name in ("SV-2031-Q2", "SV-2032-Q1"):
			if frappe.db.exists("Satisfaction Survey", name):
				frappe.delete_doc("Satisfaction Survey", name, force=True, ignore_permissions=True)
		self.ent_user = make_enterprise_user("ent-survey@whistle.localhost")
		self.enterprise = make_enterprise("测试满意度企业", "示例园区一", user=self.ent_user)
		self.other_user = make_enterprise_user("ent-survey2@whistle.localhost")
		self.other = make_enterprise("测试满意度企业二", "示例园区一", user=self.other_user)

	def dispatched_slip(self, day: str = IN_QUARTER, enterprise: str | None = None) -> str:
		"""A whistle of 示例园区一 for the enterprise, dispatched to 发展和改革委 on ``day``."""
		with self.freeze_time(f"{day} 09:00:00"):
			slip = make_slip(PARK, enterprise=enterprise or self.enterprise)
			act_as(PARK, slip.name, "提交吹哨")
		with self.freeze_time(f"{day} 10:00:00"):
			act_as(OFFICE, slip.name, "派单", scope="Single", departments=[(FGW_D, "Sole", None)])
		return slip.name

	def assert_refused(self, fn, text: str, exc=frappe.ValidationError):
		votes = frappe.db.count("Satisfaction Vote")
		surveys_ = frappe.db.get_all("Satisfaction Survey", fields=["name", "status", "modified"])
		error = super().assert_refused(fn, text, exc)
		self.assertEqual(frappe.db.count("Satisfaction Vote"), votes)
		self.assertEqual(
			frappe.db.get_all("Satisfaction Survey", fields=["name", "status", "modified"]), surveys_
		)
		return error


class TestSurveyLifecycle(SurveyTestCase):
	def test_office_opens_and_closes_and_times_are_recorded(self):
		name = make_survey(YEAR, QUARTER)
		self.assertEqual(name, "SV-2031-Q2")
		doc = frappe.get_doc("Satisfaction Survey", name)
		self.assertEqual((doc.status, doc.title), ("Draft", "2031年第2季度企业满意度测评"))
		with self.freeze_time("2031-07-01 09:00:00"):
			survey_move(name, "Voting")
		with self.freeze_time("2031-07-10 17:00:00"):
			survey_move(name, "Closed")
		doc.reload()
		self.assertEqual(doc.status, "Closed")
		self.assertEqual((str(doc.opened_on), doc.opened_by), ("2031-07-01 09:00:00", OFFICE))
		self.assertEqual((str(doc.closed_on), doc.closed_by), ("2031-07-10 17:00:00", OFFICE))

	def test_wrong_order_and_non_office_refused(self):
		name = make_survey(YEAR, QUARTER)
		self.assert_refused(lambda: survey_move(name, "Closed"), "不能改为")
		self.assert_refused(
			lambda: survey_move(name, "Voting", user=PARK), "只有区吹哨办", frappe.PermissionError
		)
		self.assert_refused(
			lambda: survey_move(name, "Voting", user=FGW), "只有区吹哨办", frappe.PermissionError
		)
		survey_move(name, "Voting")
		self.assert_refused(lambda: survey_move(name, "Voting"), "不能改为")

	def test_status_cannot_be_set_by_saving(self):
		name = make_survey(YEAR, QUARTER)
		doc = frappe.get_doc("Satisfaction Survey", name)
		doc.status = "Closed"
		self.assert_refused(doc.save, "请使用按钮")

	def test_one_survey_per_quarter(self):
		make_survey(YEAR, QUARTER)
		self.assert_refused(
			lambda: frappe.get_doc(
				{"doctype": "Satisfaction Survey", "year": YEAR, "quarter": str(QUARTER)}
			).insert(),
			"已存在",
		)
		self.assertEqual(surveys.create_survey(YEAR, QUARTER), "SV-2031-Q2")  # the existing one

	def test_closed_survey_is_final(self):
		name = make_survey_tallies(YEAR, QUARTER, {FGW_D: VoteCounts(1, 0, 0, 0)})
		doc = frappe.get_doc("Satisfaction Survey", name)
		doc.tallies[0].satisfied = 100
		self.assert_refused(doc.save, "已关闭")


class TestTallies(SurveyTestCase):
	def survey_with(self, *rows):
		name = make_survey(YEAR, QUARTER)
		doc = frappe.get_doc("Satisfaction Survey", name)
		for row in rows:
			doc.append("tallies", row)
		return doc

	def test_bad_tallies_refused(self):
		for row, text in (
			({"whistle_unit": FGW_D, "satisfied": -1}, "整数"),
			({"whistle_unit": FGW_D, "satisfied": 2.5}, "整数"),
			({"whistle_unit": FGW_D, "satisfied": "abc"}, "整数"),
			({"whistle_unit": "示例园区一", "satisfied": 1}, "不是报到单位"),
		):
			with self.subTest(row=row):
				doc = self.survey_with(row)
				self.assert_refused(doc.save, text)
		doc = self.survey_with(
			{"whistle_unit": FGW_D, "satisfied": 1}, {"whistle_unit": FGW_D, "satisfied": 2}
		)
		self.assert_refused(doc.save, "多于一行")

	def test_totals_are_computed(self):
		doc = self.survey_with(
			{
				"whistle_unit": FGW_D,
				"satisfied": 30,
				"fairly_satisfied": 10,
				"basically_satisfied": 5,
				"dissatisfied": 5,
			}
		)
		doc.save()
		self.assertEqual(doc.tallies[0].total, 50)


class TestVoting(SurveyTestCase):
	def test_enterprise_votes_for_units_on_its_whistles_once(self):
		self.dispatched_slip()
		name = make_survey(YEAR, QUARTER, status="Voting")
		frappe.set_user(self.ent_user)
		ballot = surveys.get_ballot()
		units = next(b for b in ballot if b["survey"] == name)["units"]
		self.assertEqual([u["unit"] for u in units], [FGW_D])
		frappe.set_user("Administrator")

		cast_vote(self.ent_user, name, FGW_D, "Satisfied")
		self.assert_refused(lambda: cast_vote(self.ent_user, name, FGW_D, "Dissatisfied"), "已评价过")
		self.assert_refused(lambda: cast_vote(self.ent_user, name, ZJJ_D, "Satisfied"), "不能评价该单位")
		# the other enterprise had no whistle with 发展和改革委 in the quarter
		self.assert_refused(lambda: cast_vote(self.other_user, name, FGW_D, "Satisfied"), "不能评价该单位")
		vote = frappe.get_doc("Satisfaction Vote", {"survey": name, "enterprise": self.enterprise})
		self.assertEqual((vote.whistle_unit, vote.level, vote.voted_by), (FGW_D, "Satisfied", self.ent_user))

	def test_whistles_outside_the_quarter_do_not_count(self):
		self.dispatched_slip(day="2031-07-06")  # after Q2
		name = make_survey(YEAR, QUARTER, status="Voting")
		self.assert_refused(lambda: cast_vote(self.ent_user, name, FGW_D, "Satisfied"), "不能评价该单位")

	def test_widened_survey_lets_every_enterprise_rate_every_unit(self):
		name = make_survey(YEAR, QUARTER, open_to_all=True, status="Voting")
		cast_vote(self.other_user, name, POLICE_D, "Fairly Satisfied")
		self.assert_refused(
			lambda: cast_vote(self.other_user, name, "示例园区一", "Satisfied"), "不能评价该单位"
		)

	def test_votes_only_while_open(self):
		self.dispatched_slip()
		draft = make_survey(YEAR, QUARTER)
		self.assert_refused(lambda: cast_vote(self.ent_user, draft, FGW_D, "Satisfied"), "未开放")
		survey_move(draft, "Voting")
		survey_move(draft, "Closed")
		self.assert_refused(lambda: cast_vote(self.ent_user, draft, FGW_D, "Satisfied"), "未开放")

	def test_bad_level_and_non_enterprises_refused(self):
		self.dispatched_slip()
		name = make_survey(YEAR, QUARTER, status="Voting")
		self.assert_refused(lambda: cast_vote(self.ent_user, name, FGW_D, "Very Happy"), "请选择")
		self.assert_refused(
			lambda: cast_vote(PARK, name, FGW_D, "Satisfied"), "只有企业", frappe.PermissionError
		)
		self.assert_refused(
			lambda: cast_vote(OFFICE, name, FGW_D, "Satisfied"), "只有企业", frappe.PermissionError
		)

	def test_a_vote_cannot_be_edited(self):
		name = make_survey(YEAR, QUARTER, open_to_all=True, status="Voting")
		vote = frappe.get_doc("Satisfaction Vote", cast_vote(self.ent_user, name, FGW_D, "Satisfied"))
		vote.level = "Dissatisfied"
		self.assert_refused(vote.save, "不能修改", frappe.PermissionError)

	def test_unique_key_backs_one_vote(self):
		name = make_survey(YEAR, QUARTER, open_to_all=True, status="Voting")
		cast_vote(self.ent_user, name, FGW_D, "Satisfied")
		duplicate = frappe.get_doc(
			{
				"doctype": "Satisfaction Vote",
				"survey": name,
				"whistle_unit": FGW_D,
				"level": "Satisfied",
				"enterprise": self.enterprise,
				"vote_key": f"{name}|{self.enterprise}|{FGW_D}",
			}
		)
		duplicate.flags.cast_by_enterprise = True
		with self.assertRaises(frappe.UniqueValidationError):
			duplicate.insert(ignore_permissions=True)

	def test_who_sees_votes(self):
		name = make_survey(YEAR, QUARTER, open_to_all=True, status="Voting")
		mine = cast_vote(self.ent_user, name, FGW_D, "Satisfied")
		theirs = cast_vote(self.other_user, name, FGW_D, "Dissatisfied")
		for user, expected in (
			(self.ent_user, {mine}),
			(self.other_user, {theirs}),
			(OFFICE, {mine, theirs}),
			("leader@whistle.localhost", {mine, theirs}),
		):
			frappe.set_user(user)
			with self.subTest(user=user):
				seen = set(frappe.get_list("Satisfaction Vote", filters={"survey": name}, pluck="name"))
				self.assertEqual(seen, expected)
				self.assertEqual(
					frappe.has_permission("Satisfaction Vote", "read", doc=theirs), theirs in expected
				)
		for user in (FGW, PARK):  # units see results, never who voted
			frappe.set_user(user)
			with self.subTest(user=user):
				self.assertFalse(frappe.has_permission("Satisfaction Vote", "read"))
				with self.assertRaises(frappe.PermissionError):
					frappe.get_list("Satisfaction Vote", filters={"survey": name})


class TestQuarterVotes(SurveyTestCase):
	def test_online_votes_and_tallies_make_e1(self):
		"""RULES §11 E1 from 45 tallied votes and 5 online ones: satisfaction 82.00."""
		for i in range(5):
			user = make_enterprise_user(f"ent-e1-{i}@whistle.localhost")
			make_enterprise(f"测试E1企业{i}", "示例园区一", user=user)
		name = make_survey(YEAR, QUARTER, open_to_all=True, status="Voting")
		for i in range(5):
			cast_vote(f"ent-e1-{i}@whistle.localhost", name, FGW_D, "Dissatisfied")
		make_survey_tallies(
			YEAR, QUARTER, {FGW_D: VoteCounts(30, 10, 5, 0), ZJJ_D: VoteCounts(0, 0, 0, 2)}, close=False
		)
		self.assertEqual(surveys.quarter_votes(YEAR, QUARTER), {}, "an open survey does not count yet")
		survey_move(name, "Closed")
		votes = surveys.quarter_votes(YEAR, QUARTER)
		self.assertEqual(votes, {FGW_D: VoteCounts(30, 10, 5, 5), ZJJ_D: VoteCounts(0, 0, 0, 2)})
		self.assertEqual(round2(satisfaction(votes[FGW_D])), Decimal("82.00"))
		results = {r["unit"]: r for r in surveys.survey_results(name)}
		self.assertEqual((results[FGW_D]["total"], results[FGW_D]["satisfaction"]), (50, "82.00"))
		self.assertIsNone(results[POLICE_D]["satisfaction"])

	def test_no_survey_means_no_votes(self):
		self.assertEqual(surveys.quarter_votes(2032, 1), {})

	def test_results_are_for_the_office_and_leaders(self):
		name = make_survey(YEAR, QUARTER)
		frappe.set_user(FGW)
		self.assert_refused(lambda: surveys.survey_results(name), "", frappe.PermissionError)
