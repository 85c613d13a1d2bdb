"""One whistle, one rating (RULES §5, §10, §11 E3): templates, who rates whom, slip scores, amendment."""

import frappe

from tests.base import WhistleTestCase
from tests.factory import act_as, completed_slip, make_rating, make_slip, new_rating
from whistle_app import ratings
from whistle_app.rules import lifecycle as lc
from whistle_app.rules.scoring import LEAD_TEMPLATE, PARK_TEMPLATE

PARK = "park1@whistle.localhost"
OTHER_PARK = "park2@whistle.localhost"
OFFICE = "office@whistle.localhost"
FGW = "fgw@whistle.localhost"  # 发展和改革委
ZJJ = "zjj@whistle.localhost"  # 住房和城乡建设局
POLICE = "police@whistle.localhost"  # 公安分局
LEADER = "leader@whistle.localhost"

FGW_D, ZJJ_D, POLICE_D = "发展和改革委", "住房和城乡建设局", "公安分局"
DAY = "2026-03-02"


def park_scores(total_minus: int = 0) -> dict[str, int]:
	"""Park template scores: full marks minus ``total_minus`` taken from 办理成效."""
	scores = dict(PARK_TEMPLATE)
	scores["办理成效"] -= total_minus
	return scores


def lead_scores(total_minus: int = 0) -> dict[str, int]:
	scores = dict(LEAD_TEMPLATE)
	scores["工作质量"] -= total_minus
	return scores


class RatingTestCase(WhistleTestCase):
	def assert_refused(self, fn, text: str, exc=frappe.ValidationError):
		"""Refused, and no rating was stored by the attempt (not even committed midway)."""
		count = frappe.db.count("Whistle Rating")
		error = super().assert_refused(fn, text, exc)
		self.assertEqual(frappe.db.count("Whistle Rating"), count)
		return error

	def slip(self, *departments) -> str:
		return completed_slip(self.freeze_time, DAY, list(departments))

	def score_row(self, slip: str, department: str):
		return frappe.db.get_value(
			"Whistle Slip Score",
			{"slip": slip, "department": department},
			[
				"park_rating",
				"lead_rating",
				"slip_score",
				"rating_complete",
				"is_co_department",
				"assessment_class",
				"closed_on",
			],
			as_dict=True,
		)


class TestTemplates(RatingTestCase):
	def test_default_templates(self):
		for name, kind, criteria in (
			("园区镇街满意度评价表", "Park", PARK_TEMPLATE),
			("牵头部门满意度评价表", "Lead Department", LEAD_TEMPLATE),
		):
			doc = frappe.get_doc("Rating Template", name)
			self.assertEqual(doc.rater_kind, kind)
			self.assertEqual(str(doc.active_from), "2023-05-08")
			self.assertEqual({r.criterion: r.max_points for r in doc.criteria}, dict(criteria))
			self.assertEqual(doc.total_points, 100)
		ratings.ensure_default_templates()  # idempotent
		self.assertEqual(frappe.db.count("Rating Template", {"rater_kind": "Park"}), 1)

	def test_template_must_sum_to_100(self):
		def make(criteria):
			return frappe.get_doc(
				{
					"doctype": "Rating Template",
					"template_name": "坏模板",
					"rater_kind": "Park",
					"active_from": "2026-01-01",
					"criteria": [{"criterion": c, "max_points": m} for c, m in criteria],
				}
			).insert()

		self.assert_refused(lambda: make([("响应速度", 50), ("办理成效", 40)]), "100")
		self.assert_refused(lambda: make([("响应速度", 50), ("响应速度", 50)]), "两次")
		self.assert_refused(lambda: make([("响应速度", 110), ("办理成效", -10)]), "100")
		self.assertFalse(frappe.db.exists("Rating Template", "坏模板"))

	def test_new_template_applies_to_new_ratings_only(self):
		name = self.slip((FGW_D, "Sole"))
		with self.freeze_time(f"{DAY} 14:00:00"):
			old = make_rating(PARK, name, FGW_D, park_scores(10), submit=False)
		self.assertEqual(old.template, "园区镇街满意度评价表")
		frappe.get_doc(
			{
				"doctype": "Rating Template",
				"template_name": "园区满意度评价表2026",
				"rater_kind": "Park",
				"active_from": "2026-03-03",
				"criteria": [{"criterion": "总体满意度", "max_points": 100}],
			}
		).insert()
		# the template in use keeps its form
		template = frappe.get_doc("Rating Template", "园区镇街满意度评价表")
		template.criteria[0].max_points = 25
		template.criteria[1].max_points = 15
		self.assert_refused(template.save, "启用日期更晚")
		# the old rating keeps its template; a rating made from 03-03 gets the new one
		with self.freeze_time(f"{DAY} 15:00:00"):
			frappe.set_user(PARK)
			old = frappe.get_doc("Whistle Rating", old.name)
			old.submit()
			frappe.set_user("Administrator")
		self.assertEqual(old.template, "园区镇街满意度评价表")
		self.assertEqual(old.total, 90)
		# the draft of a slip completed from 03-03 on is made with the new template
		other = completed_slip(self.freeze_time, "2026-03-03", [(ZJJ_D, "Sole")])
		with self.freeze_time("2026-03-03 14:00:00"):
			new = make_rating(PARK, other, ZJJ_D, {"总体满意度": 77})
		self.assertEqual((new.template, new.total), ("园区满意度评价表2026", 77))


class TestWhoRatesWhom(RatingTestCase):
	def test_single_department(self):
		name = self.slip((FGW_D, "Sole"))
		self.assertEqual(
			[(r.rater_kind, r.rater_unit, r.rated_department) for r in ratings.required_ratings(name)],
			[("Park", "示例园区一", FGW_D)],
		)
		self.assertRaises(
			frappe.ValidationError, ratings.validate_closure, frappe.get_doc("Whistle Slip", name)
		)
		with self.freeze_time(f"{DAY} 14:00:00"):
			rating = make_rating(PARK, name, FGW_D, park_scores(12))
		self.assertEqual((rating.total, rating.rater_unit, rating.rater_kind), (88, "示例园区一", "Park"))
		self.assertEqual(rating.rated_by, PARK)
		# the criterion scores in form order, stored for the rater fairness statistics (RULES §14)
		self.assertEqual(
			frappe.db.get_value("Whistle Rating", rating.name, "score_signature"),
			",".join(str(int(r.score)) for r in sorted(rating.scores, key=lambda r: r.idx)),
		)
		row = self.score_row(name, FGW_D)
		self.assertEqual(
			(row.park_rating, row.lead_rating, row.slip_score, row.rating_complete), (88, 0, 88.0, 1)
		)
		self.assertFalse(row.is_co_department)
		self.assertEqual(row.assessment_class, frappe.db.get_value("Whistle Unit", FGW_D, "assessment_class"))
		self.assertFalse(row.closed_on)
		with self.freeze_time(f"{DAY} 15:00:00"):
			act_as(PARK, name, "确认解决")
			slip = frappe.get_doc("Whistle Slip", name)
			ratings.validate_closure(slip)  # nothing missing
		self.assertEqual(str(self.score_row(name, FGW_D).closed_on), f"{DAY} 15:00:00")

	def test_lead_and_co_department_e3(self):
		name = self.slip((FGW_D, "Lead"), (ZJJ_D, "Co"))
		self.assertEqual(
			{(r.rater_kind, r.rater_unit, r.rated_department) for r in ratings.required_ratings(name)},
			{("Park", "示例园区一", FGW_D), ("Park", "示例园区一", ZJJ_D), ("Lead Department", FGW_D, ZJJ_D)},
		)
		with self.freeze_time(f"{DAY} 14:00:00"):
			make_rating(PARK, name, FGW_D, park_scores(15))
			make_rating(PARK, name, ZJJ_D, park_scores(20))  # 80
		row = self.score_row(name, ZJJ_D)
		self.assertEqual(
			(row.park_rating, row.lead_rating, row.slip_score, row.rating_complete), (80, 0, 0, 0)
		)
		self.assertTrue(row.is_co_department)
		slip = frappe.get_doc("Whistle Slip", name)
		e = self.assert_refused(lambda: ratings.validate_closure(slip), FGW_D)
		self.assertIn(ZJJ_D, str(e))
		with self.freeze_time(f"{DAY} 14:30:00"):
			lead = make_rating(FGW, name, ZJJ_D, lead_scores(10))  # 90
		self.assertEqual(
			(lead.rater_kind, lead.rater_unit, lead.template),
			("Lead Department", FGW_D, "牵头部门满意度评价表"),
		)
		row = self.score_row(name, ZJJ_D)
		self.assertEqual(
			(row.park_rating, row.lead_rating, row.slip_score, row.rating_complete), (80, 90, 83.0, 1)
		)  # §11 E3
		self.assertEqual(self.score_row(name, FGW_D).slip_score, 85.0)
		self.assertEqual(ratings.missing_ratings(name), [])

	def test_several_co_departments(self):
		name = self.slip((FGW_D, "Lead"), (ZJJ_D, "Co"), (POLICE_D, "Co"))
		self.assertEqual(len(ratings.required_ratings(name)), 5)
		with self.freeze_time(f"{DAY} 14:00:00"):
			# a co-department does not rate another co-department, nor the lead
			self.assert_refused(
				lambda: make_rating(ZJJ, name, POLICE_D, lead_scores()), ZJJ_D, frappe.PermissionError
			)
			# the lead rates co-departments only
			self.assert_refused(lambda: make_rating(FGW, name, FGW_D, lead_scores()), "不评价")
			make_rating(PARK, name, FGW_D, park_scores(0))
			make_rating(PARK, name, ZJJ_D, park_scores(19))  # 81
			make_rating(PARK, name, POLICE_D, park_scores(30), comment="办理成效不理想")  # 70
			make_rating(FGW, name, ZJJ_D, lead_scores(23))  # 77
			self.assertEqual(len(ratings.missing_ratings(name)), 1)
			make_rating(FGW, name, POLICE_D, lead_scores(0))  # 100
		scores = dict(
			frappe.get_all(
				"Whistle Slip Score",
				filters={"slip": name},
				fields=["department", "slip_score"],
				as_list=True,
			)
		)
		self.assertEqual(scores, {FGW_D: 100.0, ZJJ_D: 79.8, POLICE_D: 79.0})
		# one GROUP BY query aggregates per department
		rows = frappe.db.sql(
			"""select department, count(*), avg(slip_score) from `tabWhistle Slip Score`
			where slip=%s and rating_complete=1 and excluded_from_assessment=0 group by department""",
			name,
		)
		self.assertEqual(len(rows), 3)


class TestRefusals(RatingTestCase):
	def test_scores_out_of_range(self):
		name = self.slip((FGW_D, "Sole"))
		with self.freeze_time(f"{DAY} 14:00:00"):
			for bad, value in (
				("响应速度", 21),
				("响应速度", -1),
				("办理效率", 7.5),
				("办理效率", "7.5"),
				("服务态度", "abc"),
			):
				scores = park_scores()
				scores[bad] = value
				self.assert_refused(lambda s=scores: make_rating(PARK, name, FGW_D, s), bad)
			missing = park_scores()
			del missing["服务态度"]
			self.assert_refused(lambda: make_rating(PARK, name, FGW_D, missing), "服务态度")
			self.assert_refused(lambda: make_rating(PARK, name, FGW_D, {**park_scores(), "颜值": 1}), "颜值")
			# below 60 needs a comment (on submit)
			low = {"响应速度": 10, "服务态度": 10, "办理效率": 20, "办理成效": 19}
			self.assert_refused(lambda: make_rating(PARK, name, FGW_D, low), "60")
			rating = make_rating(PARK, name, FGW_D, low, comment="响应迟缓")
		self.assertEqual(rating.total, 59)

	def test_once_per_pair_and_other_unit(self):
		name = self.slip((FGW_D, "Sole"))
		with self.freeze_time(f"{DAY} 14:00:00"):
			self.assert_refused(
				lambda: make_rating(OTHER_PARK, name, FGW_D, park_scores()),
				"示例园区二",
				frappe.PermissionError,
			)
			self.assert_refused(
				lambda: make_rating(FGW, name, FGW_D, lead_scores()), FGW_D, frappe.PermissionError
			)
			self.assert_refused(
				lambda: make_rating(OFFICE, name, FGW_D, park_scores()), name, frappe.PermissionError
			)
			self.assert_refused(lambda: make_rating(PARK, name, ZJJ_D, park_scores()), ZJJ_D)
			draft = make_rating(PARK, name, FGW_D, park_scores(), submit=False)
			self.assert_refused(lambda: new_rating(PARK, name, FGW_D, park_scores()), draft.name)
			frappe.set_user(PARK)
			frappe.get_doc("Whistle Rating", draft.name).submit()
			frappe.set_user("Administrator")
			self.assert_refused(lambda: make_rating(PARK, name, FGW_D, park_scores()), draft.name)
		# the database backs it: rating_key is a unique column
		self.assertTrue(
			frappe.db.sql(
				"show index from `tabWhistle Rating` where Column_name='rating_key' and Non_unique=0"
			)
		)

	def test_not_before_completion(self):
		with self.freeze_time(f"{DAY} 09:00:00"):
			slip = make_slip(PARK)
			act_as(PARK, slip.name, "提交吹哨")
		self.assert_refused(lambda: make_rating(PARK, slip.name, FGW_D, park_scores()), lc.SUBMITTED)
		with self.freeze_time(f"{DAY} 10:00:00"):
			act_as(OFFICE, slip.name, "派单", scope="Single", departments=[(FGW_D, "Sole", None)])
		self.assert_refused(lambda: make_rating(PARK, slip.name, FGW_D, park_scores()), lc.DISPATCHED)

	def test_submitted_rating_is_immutable(self):
		name = self.slip((FGW_D, "Sole"))
		with self.freeze_time(f"{DAY} 14:00:00"):
			rating = make_rating(PARK, name, FGW_D, park_scores(10))

		def edit(user, field="comment"):
			def run():
				frappe.set_user(user)
				doc = frappe.get_doc("Whistle Rating", rating.name)
				if field == "score":
					doc.scores[0].score = 1
				else:
					doc.set(field, "改一改")
				doc.save()

			return run

		self.assert_refused(edit(PARK, "score"), "区吹哨办")
		self.assert_refused(edit(PARK, "amendment_reason"), "区吹哨办")
		self.assert_refused(edit(OFFICE, "score"), "", frappe.ValidationError)

		def cancel(user, reason):
			def run():
				frappe.set_user(user)
				ratings.cancel_rating(rating.name, reason)

			return run

		self.assert_refused(cancel(PARK, "想改"), "", frappe.PermissionError)
		self.assert_refused(cancel(OFFICE, "  "), "原因")
		self.assertEqual(frappe.db.get_value("Whistle Rating", rating.name, ["docstatus", "total"]), (1, 90))


class TestAmendment(RatingTestCase):
	def test_office_cancels_and_amends(self):
		name = self.slip((FGW_D, "Lead"), (ZJJ_D, "Co"))
		with self.freeze_time(f"{DAY} 14:00:00"):
			make_rating(PARK, name, FGW_D, park_scores())
			wrong = make_rating(
				PARK,
				name,
				ZJJ_D,
				{"响应速度": 20, "服务态度": 20, "办理效率": 10, "办理成效": 10},
				comment="误评",
			)  # 60
			make_rating(FGW, name, ZJJ_D, lead_scores(10))  # 90
		self.assertEqual(self.score_row(name, ZJJ_D).slip_score, 69.0)
		with self.freeze_time(f"{DAY} 15:00:00"):
			act_as(PARK, name, "确认解决")
		frappe.set_user(OFFICE)
		ratings.cancel_rating(wrong.name, "园区误填分值，按园区书面申请更正")
		frappe.set_user("Administrator")
		cancelled = frappe.get_doc("Whistle Rating", wrong.name)
		self.assertEqual(cancelled.docstatus, 2)
		self.assertEqual(cancelled.amendment_reason, "园区误填分值，按园区书面申请更正")
		self.assertEqual(cancelled.cancelled_by, OFFICE)
		self.assertEqual(self.score_row(name, ZJJ_D).rating_complete, 0)
		self.assertEqual(len(ratings.missing_ratings(name)), 1)
		# the park cannot amend; the office can
		frappe.set_user(PARK)
		self.assert_refused(
			lambda: ratings.amend_rating(wrong.name, park_scores(20)), "", frappe.PermissionError
		)
		frappe.set_user(OFFICE)
		amended = frappe.get_doc(
			"Whistle Rating", ratings.amend_rating(wrong.name, park_scores(20), comment="")
		)
		frappe.set_user("Administrator")
		self.assertEqual((amended.amended_from, amended.total, amended.docstatus), (wrong.name, 80, 1))
		self.assertEqual(
			(amended.rater_unit, amended.rater_kind, amended.template), ("示例园区一", "Park", wrong.template)
		)
		self.assertEqual(amended.amendment_reason, "园区误填分值，按园区书面申请更正")
		self.assertEqual(self.score_row(name, ZJJ_D).slip_score, 83.0)
		slip = frappe.get_doc("Whistle Slip", name)
		self.assertEqual(slip.workflow_state, lc.CONFIRMED)
		ratings.validate_closure(slip)


class TestAccess(RatingTestCase):
	def test_who_sees_ratings(self):
		name = self.slip((FGW_D, "Lead"), (ZJJ_D, "Co"))
		with self.freeze_time(f"{DAY} 14:00:00"):
			park_fgw = make_rating(PARK, name, FGW_D, park_scores())
			park_zjj = make_rating(PARK, name, ZJJ_D, park_scores())
			lead_zjj = make_rating(FGW, name, ZJJ_D, lead_scores())
		everything = {park_fgw.name, park_zjj.name, lead_zjj.name}
		expected = {
			OFFICE: everything,
			LEADER: everything,
			PARK: {park_fgw.name, park_zjj.name},
			FGW: {park_fgw.name, lead_zjj.name},
			ZJJ: {park_zjj.name, lead_zjj.name},
			OTHER_PARK: set(),
			POLICE: set(),
		}
		for user, names in expected.items():
			frappe.set_user(user)
			seen = set(frappe.get_list("Whistle Rating", filters={"slip": name}, pluck="name"))
			self.assertEqual(seen, names, user)
			for rating in everything:
				self.assertEqual(
					frappe.has_permission("Whistle Rating", "read", rating, user=user),
					rating in names,
					(user, rating),
				)
		frappe.set_user(ZJJ)
		self.assertEqual(
			set(frappe.get_list("Whistle Slip Score", filters={"slip": name}, pluck="department")), {ZJJ_D}
		)
		self.assertFalse(frappe.has_permission("Whistle Slip Score", "write", f"{name}-{ZJJ_D}", user=ZJJ))
		frappe.set_user(PARK)
		self.assertEqual(len(frappe.get_list("Whistle Slip Score", filters={"slip": name})), 2)
		frappe.set_user("Administrator")


class TestClosure(RatingTestCase):
	"""销号 with ``validate_closure`` wired into the slip controller as the lead will wire it."""

	def test_closure_waits_for_every_rating(self):
		from unittest.mock import patch

		from whistle_app.whistle.doctype.whistle_slip.whistle_slip import WhistleSlip

		original = WhistleSlip.on_closure

		def on_closure(slip, transition, moment):
			ratings.validate_closure(slip, moment)
			original(slip, transition, moment)

		name = self.slip((FGW_D, "Lead"), (POLICE_D, "Co"))
		with patch.object(WhistleSlip, "on_closure", on_closure):
			with self.freeze_time(f"{DAY} 14:00:00"):
				make_rating(PARK, name, FGW_D, park_scores())
				make_rating(PARK, name, POLICE_D, park_scores(10))  # 90
				act_as(PARK, name, "确认解决")
				self.assert_refused(lambda: act_as(OFFICE, name, "销号"), "不能销号")
				self.assertEqual(frappe.db.get_value("Whistle Slip", name, "workflow_state"), lc.CONFIRMED)
				make_rating(FGW, name, POLICE_D, lead_scores(20))  # 80
			with self.freeze_time("2026-04-01 09:30:00"):
				slip = act_as(OFFICE, name, "销号")
		self.assertEqual(slip.workflow_state, lc.CLOSED)
		row = self.score_row(name, POLICE_D)
		self.assertEqual((row.slip_score, str(row.closed_on)), (87.0, "2026-04-01 09:30:00"))
		# a new rating after closure is refused; the office's amendment still moves the score
		self.assert_refused(lambda: make_rating(PARK, name, FGW_D, park_scores()), lc.CLOSED)
		lead = frappe.get_value("Whistle Rating", {"slip": name, "rater_kind": "Lead Department"}, "name")
		frappe.set_user(OFFICE)
		ratings.cancel_rating(lead, "牵头部门评分录入错误")
		ratings.amend_rating(lead, lead_scores(0))
		frappe.set_user("Administrator")
		row = self.score_row(name, POLICE_D)
		self.assertEqual((row.slip_score, str(row.closed_on)), (93.0, "2026-04-01 09:30:00"))


class TestApi(RatingTestCase):
	def test_rating_tasks_and_rate_in_one_call(self):
		name = self.slip((FGW_D, "Lead"), (ZJJ_D, "Co"))
		frappe.set_user(FGW)
		tasks = ratings.rating_tasks(name)
		self.assertEqual([(t["rated_department"], t["submitted"]) for t in tasks], [(ZJJ_D, False)])
		with self.freeze_time(f"{DAY} 14:00:00"):
			rating = ratings.rate(
				name,
				ZJJ_D,
				frappe.as_json({"配合主动性": 10, "响应速度": 10, "工作质量": 20, "办理时效": 15}),
				comment="配合不够主动",
			)
			self.assert_refused(lambda: ratings.rate(name, ZJJ_D, lead_scores()), rating)
		frappe.set_user(FGW)
		self.assertEqual(ratings.rating_tasks(name)[0]["total"], 55)
		self.assertTrue(ratings.rating_tasks(name)[0]["submitted"])
		frappe.set_user(PARK)
		self.assertEqual(len(ratings.rating_tasks(name)), 2)
		frappe.set_user("Administrator")
