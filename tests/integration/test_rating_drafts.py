"""One whistle, one rating, issue #6 (RULES §5, §10): drafts made on completion, filling and submitting
them (the rating page's methods), the slip's facts, reminders of pending ratings, and who reads the
rater's comment."""

import frappe

from tests.base import WhistleTestCase
from tests.factory import (
	act_as,
	as_user,
	completed_slip,
	make_rating,
	make_request,
	new_rating,
	pending_drafts,
	request_act,
	slip_in_handling,
)
from whistle_app import ratings
from whistle_app import requests as rq
from whistle_app.rules import lifecycle as lc
from whistle_app.rules.scoring import LEAD_TEMPLATE, PARK_TEMPLATE

PARK = "park1@whistle.localhost"
PARK_LEADER = "park1-leader@whistle.localhost"
OTHER_PARK = "park2@whistle.localhost"
OFFICE = "office@whistle.localhost"
FGW = "fgw@whistle.localhost"  # 发展和改革委 liaison
FGW_LEADER = "fgw-leader@whistle.localhost"
ZJJ = "zjj@whistle.localhost"  # 住房和城乡建设局 liaison
POLICE = "police@whistle.localhost"  # 公安分局 liaison
LEADER = "leader@whistle.localhost"  # District Leader

FGW_D, ZJJ_D, POLICE_D = "发展和改革委", "住房和城乡建设局", "公安分局"
PARK_UNIT = "示例园区一"
DAY = "2026-03-02"  # a Monday
SECRET = "响应迟缓，多次催办才到现场"


class DraftTestCase(WhistleTestCase):
	def assert_refused(self, fn, text: str, exc=frappe.ValidationError):
		"""Refused, and the ratings are as they were (nothing stored by the attempt)."""
		before = frappe.get_all("Whistle Rating", fields=["name", "docstatus", "total"], order_by="name")
		error = super().assert_refused(fn, text, exc)
		after = frappe.get_all("Whistle Rating", fields=["name", "docstatus", "total"], order_by="name")
		self.assertEqual(after, before)
		return error

	def slip(self, *departments, day: str = DAY) -> str:
		return completed_slip(self.freeze_time, day, list(departments))

	def draft(self, slip: str, rater_kind: str, department: str) -> str:
		return frappe.db.get_value(
			"Whistle Rating",
			{"slip": slip, "rater_kind": rater_kind, "rated_department": department, "docstatus": 0},
		)


class TestDraftsOnCompletion(DraftTestCase):
	def test_completion_makes_a_draft_per_required_rating(self):
		name = self.slip((FGW_D, "Lead"), (ZJJ_D, "Co"), (POLICE_D, "Co"))
		self.assertEqual(
			pending_drafts(name),
			sorted(
				[
					("Lead Department", FGW_D, POLICE_D),
					("Lead Department", FGW_D, ZJJ_D),
					("Park", PARK_UNIT, FGW_D),
					("Park", PARK_UNIT, POLICE_D),
					("Park", PARK_UNIT, ZJJ_D),
				]
			),
		)
		park = frappe.get_doc("Whistle Rating", self.draft(name, "Park", ZJJ_D))
		self.assertEqual(
			(park.docstatus, park.template, park.department_role, park.total, park.rated_by),
			(0, "园区镇街满意度评价表", "Co", 0, None),
		)
		self.assertEqual(
			[(r.criterion, r.max_points, r.score) for r in park.scores],
			[(c, m, None) for c, m in PARK_TEMPLATE.items()],
		)
		lead = frappe.get_doc("Whistle Rating", self.draft(name, "Lead Department", POLICE_D))
		self.assertEqual((lead.template, lead.rater_unit), ("牵头部门满意度评价表", FGW_D))
		self.assertEqual([r.criterion for r in lead.scores], list(LEAD_TEMPLATE))
		self.assertEqual(ratings.missing_ratings(name), ratings.required_ratings(name))  # none submitted

	def test_single_department_and_not_before_completion(self):
		handling = slip_in_handling(self.freeze_time, DAY, "2026-03-31")
		self.assertEqual(pending_drafts(handling), [])
		with self.freeze_time(f"{DAY} 15:00:00"):
			act_as(FGW, handling, "办结", result="已办结")
		self.assertEqual(pending_drafts(handling), [("Park", PARK_UNIT, FGW_D)])

	def test_drafts_are_made_once(self):
		name = self.slip((FGW_D, "Lead"), (ZJJ_D, "Co"))
		drafts = sorted(frappe.get_all("Whistle Rating", filters={"slip": name}, pluck="name"))
		self.assertEqual(len(drafts), 3)
		slip = frappe.get_doc("Whistle Slip", name)
		self.assertEqual(ratings.create_drafts(slip), [])  # the completion hook running again
		slip.flags.step = lc.find_transition(lc.HANDLING, lc.COMPLETED)
		slip.run_method("on_update")
		ratings.ensure_drafts()  # the daily job
		self.assertEqual(
			sorted(frappe.get_all("Whistle Rating", filters={"slip": name}, pluck="name")), drafts
		)
		# one rating submitted, the slip handled again (重办) and completed again: still one per pair
		with self.freeze_time(f"{DAY} 14:00:00"):
			make_rating(PARK, name, FGW_D, dict(PARK_TEMPLATE))
			act_as(PARK, name, "重办", reason="问题反弹")
		with self.freeze_time("2026-03-03 10:00:00"):
			act_as(FGW, name, "办结", result="再次办结")
		rows = frappe.get_all("Whistle Rating", filters={"slip": name}, fields=["name", "docstatus"])
		self.assertEqual(sorted(r.name for r in rows), drafts)
		self.assertEqual(sorted(r.docstatus for r in rows), [0, 0, 1])
		# a second rating document for a pair is refused: its draft holds the slot
		draft = self.draft(name, "Park", ZJJ_D)
		with self.freeze_time("2026-03-03 11:00:00"):
			self.assert_refused(lambda: new_rating(PARK, name, ZJJ_D, dict(PARK_TEMPLATE)), draft)

	def test_the_daily_job_makes_a_missing_draft(self):
		name = self.slip((FGW_D, "Sole"))
		frappe.delete_doc("Whistle Rating", self.draft(name, "Park", FGW_D))  # the office deletes it
		self.assertEqual(pending_drafts(name), [])
		with self.freeze_time("2026-03-03 08:00:00"):
			summary = ratings.remind_pending_ratings()
		self.assertGreaterEqual(summary["drafts"], 1)  # other slips on the site may lack drafts too
		self.assertEqual(pending_drafts(name), [("Park", PARK_UNIT, FGW_D)])
		self.assertFalse(frappe.db.exists("Whistle Clock Event", {"slip": name}))

	def test_raters_cannot_delete_their_drafts(self):
		name = self.slip((FGW_D, "Sole"))
		draft = self.draft(name, "Park", FGW_D)
		self.assertFalse(frappe.has_permission("Whistle Rating", "delete", draft, user=PARK))
		self.assertTrue(frappe.has_permission("Whistle Rating", "write", draft, user=PARK))


class TestFillingDrafts(DraftTestCase):
	def test_scores_checked_on_save_complete_and_comment_at_submit(self):
		name = self.slip((FGW_D, "Sole"))
		draft = self.draft(name, "Park", FGW_D)
		frappe.set_user(PARK)
		with self.freeze_time(f"{DAY} 14:00:00"):
			ratings.save_draft(draft, frappe.as_json({"响应速度": 10, "服务态度": "12"}))
			doc = frappe.get_doc("Whistle Rating", draft)
			self.assertEqual((doc.docstatus, doc.total), (0, 22))
			self.assertEqual([r.score for r in doc.scores], ["10", "12", None, None])
			# range and whole numbers on every save
			for bad, text in ((21, "响应速度"), (-1, "响应速度"), ("7.5", "响应速度"), ("abc", "响应速度")):
				self.assert_refused(lambda b=bad: ratings.save_draft(draft, {"响应速度": b}), text)
			self.assert_refused(lambda: ratings.save_draft(draft, {"颜值": 1}), "颜值")
			# completeness and the comment at submit only
			self.assert_refused(lambda: ratings.submit_rating(draft, {"办理效率": 20}), "办理成效")
			low = {"响应速度": 10, "服务态度": 10, "办理效率": 20, "办理成效": 19}
			ratings.save_draft(draft, low)  # a draft below 60 without a comment is fine
			self.assert_refused(lambda: ratings.submit_rating(draft, low), "60")
			self.assert_refused(lambda: ratings.submit_rating(draft, low, comment="   "), "60")
			self.assertEqual(ratings.submit_rating(draft, low, comment=SECRET), draft)
		frappe.set_user("Administrator")
		doc = frappe.get_doc("Whistle Rating", draft)
		self.assertEqual((doc.docstatus, doc.total, doc.rated_by, doc.comment), (1, 59, PARK, SECRET))
		self.assertEqual(frappe.db.get_value("Whistle Slip Score", {"slip": name}, "slip_score"), 59)
		frappe.set_user(PARK)
		self.assert_refused(lambda: ratings.submit_rating(draft, dict(PARK_TEMPLATE)), "已提交")

	def test_only_the_rater_unit_fills_its_draft(self):
		name = self.slip((FGW_D, "Lead"), (ZJJ_D, "Co"))
		park_draft = self.draft(name, "Park", ZJJ_D)
		lead_draft = self.draft(name, "Lead Department", ZJJ_D)
		for user, draft in (
			(OTHER_PARK, park_draft),
			(ZJJ, park_draft),  # the rated department reads it, never fills it
			(FGW, park_draft),
			(ZJJ, lead_draft),
			(PARK, lead_draft),
			(OFFICE, park_draft),
		):
			self.assert_refused(
				lambda u=user, d=draft: as_user(u, ratings.submit_rating, d, dict(PARK_TEMPLATE)),
				"",
				frappe.PermissionError,
			)
		with self.freeze_time(f"{DAY} 14:00:00"):
			self.assertEqual(
				as_user(PARK_LEADER, ratings.submit_rating, park_draft, dict(PARK_TEMPLATE)), park_draft
			)
			self.assertEqual(as_user(FGW_LEADER, ratings.rate, name, ZJJ_D, dict(LEAD_TEMPLATE)), lead_draft)
		self.assertEqual(pending_drafts(name), [("Park", PARK_UNIT, FGW_D)])

	def test_pending_list_and_form_with_the_slips_facts(self):
		slip = slip_in_handling(self.freeze_time, DAY, "2026-03-10")  # reported 10:00 (met)
		with self.freeze_time("2026-03-05 10:00:00"):
			req = make_request(
				FGW, rq.EXTENSION, slip, new_completion_date="2026-03-20", reason="等待省级批复"
			)
			request_act(FGW, rq.EXTENSION, req.name, rq.FILE)
			request_act(OFFICE, rq.EXTENSION, req.name, rq.APPROVE, reason="同意延期")
		with self.freeze_time("2026-03-23 10:00:00"):  # after the extended deadline: late
			act_as(FGW, slip, "办结", result="已协调办结")
		multi = self.slip((FGW_D, "Lead"), (ZJJ_D, "Co"))
		draft = self.draft(slip, "Park", FGW_D)

		frappe.set_user(PARK)
		pending = [p for p in ratings.pending_ratings() if p["slip"] in (slip, multi)]
		self.assertEqual(
			[(p["slip"], p["rated_department"], p["form_title"]) for p in pending],
			[
				(multi, FGW_D, "园区/镇街满意度评价表"),
				(multi, ZJJ_D, "园区/镇街满意度评价表"),
				(slip, FGW_D, "园区/镇街满意度评价表"),
			],
		)  # oldest completion first
		self.assertEqual(pending[2]["completed_on_label"], "2026-03-23 10:00")
		form = ratings.rating_form(draft)
		self.assertEqual(
			(form["rated_department"], form["department_role"], form["docstatus"]), (FGW_D, "单一部门", 0)
		)
		self.assertEqual(
			[(c["criterion"], c["max_points"], c["score"]) for c in form["criteria"]],
			[(c, m, None) for c, m in PARK_TEMPLATE.items()],
		)
		facts = form["slip"]
		self.assertEqual(facts["departments"], [{"department": FGW_D, "role": "单一部门", "rated": True}])
		self.assertEqual(
			[(d["label"], d["deadline"], d["status_label"]) for d in facts["deadlines"]],
			[("报到时限", "2026-03-03 23:59", "按时"), ("办结时限", "2026-03-20 23:59", "超时")],
		)
		self.assertEqual(facts["deadlines"][1]["done_at"], "2026-03-23 10:00")
		self.assertEqual(
			[(e["previous"], e["new"], e["reason"]) for e in facts["extensions"]],
			[("2026-03-10", "2026-03-20", "等待省级批复")],
		)
		self.assertEqual((facts["completed_on"], facts["result"]), ("2026-03-23 10:00", "已协调办结"))
		multi_form = ratings.rating_form(self.draft(multi, "Park", ZJJ_D))
		self.assertEqual(
			[(d["label"], d["status_label"]) for d in multi_form["slip"]["deadlines"]],
			[("报到时限", "按时"), ("联商会办时限", "按时"), ("办结时限", "按时")],
		)
		self.assertEqual(
			[(d["department"], d["role"], d["rated"]) for d in multi_form["slip"]["departments"]],
			[(FGW_D, "牵头部门", False), (ZJJ_D, "协办部门", True)],
		)
		# the lead department sees its own draft only; others may not open the form
		frappe.set_user(FGW)
		self.assertEqual(
			[
				(p["slip"], p["rated_department"], p["form_title"])
				for p in ratings.pending_ratings()
				if p["slip"] == multi
			],
			[(multi, ZJJ_D, "牵头部门满意度评价表")],
		)
		for user in (FGW, ZJJ, OTHER_PARK):
			frappe.set_user(user)
			self.assertRaises(frappe.PermissionError, ratings.rating_form, draft)
		# once submitted, the draft leaves the list
		frappe.set_user(PARK)
		with self.freeze_time("2026-03-23 15:00:00"):
			ratings.submit_rating(draft, dict(PARK_TEMPLATE))
		self.assertNotIn(draft, [p["name"] for p in ratings.pending_ratings()])
		self.assertEqual(ratings.rating_form(draft)["docstatus"], 1)


class TestReminders(DraftTestCase):
	def notified(self, user: str, slip: str) -> list[str]:
		return frappe.get_all(
			"Notification Log",
			filters={
				"for_user": user,
				"document_type": "Whistle Rating",
				"document_name": (
					"in",
					frappe.get_all("Whistle Rating", filters={"slip": slip}, pluck="name"),
				),
			},
			pluck="subject",
		)

	def run_job(self, when: str) -> dict:
		with self.freeze_time(when):
			summary = ratings.remind_pending_ratings()
		self.assertEqual(summary["failed"], [])
		return summary

	def events(self, slip: str) -> list:
		"""The rating reminders recorded for this slip (other slips on the site may be pending too)."""
		return frappe.get_all(
			"Whistle Clock Event",
			filters={"slip": slip, "clock": "rating"},
			fields=["department", "kind", "deadline", "recipients"],
		)

	def test_pending_more_than_three_working_days_reminded_once(self):
		name = self.slip((FGW_D, "Lead"), (ZJJ_D, "Co"))  # completed Mon 13:00
		with self.freeze_time("2026-03-04 10:00:00"):
			make_rating(PARK, name, FGW_D, dict(PARK_TEMPLATE))  # in time: never reminded
		# three working days after completion (Thu): not yet
		self.run_job("2026-03-05 23:00:00")
		self.assertEqual(self.events(name), [])
		self.assertEqual(self.notified(PARK, name), [])
		# more than three: the rater units' users are reminded, once per pending rating
		self.assertGreaterEqual(self.run_job("2026-03-06 09:00:00")["reminders"], 2)
		for user in (PARK, PARK_LEADER, FGW, FGW_LEADER):
			subjects = self.notified(user, name)
			self.assertEqual(len(subjects), 1, user)
			self.assertIn(name, subjects[0])
			self.assertIn(ZJJ_D, subjects[0])
			self.assertIn("3个工作日", subjects[0])
		self.assertEqual(self.notified(ZJJ, name), [])
		events = self.events(name)
		self.assertEqual(len(events), 2)
		self.assertEqual(
			{(e.department, e.kind, str(e.deadline)) for e in events},
			{(ZJJ_D, "reminder", "2026-03-05 23:59:59")},
		)
		self.assertEqual(
			sorted(sorted(e.recipients.split("\n")) for e in events),
			sorted([sorted([FGW, FGW_LEADER]), sorted([PARK, PARK_LEADER])]),
		)
		# again the same day and the next: nothing new
		self.assertEqual(self.run_job("2026-03-06 18:00:00")["reminders"], 0)
		self.run_job("2026-03-09 09:00:00")
		self.assertEqual(len(self.events(name)), 2)
		self.assertEqual(len(self.notified(PARK, name)), 1)
		# submitted ratings are not reminded
		with self.freeze_time("2026-03-09 10:00:00"):
			make_rating(PARK, name, ZJJ_D, dict(PARK_TEMPLATE))
			make_rating(FGW, name, ZJJ_D, dict(LEAD_TEMPLATE))
		other = self.slip((FGW_D, "Sole"), day="2026-03-09")
		with self.freeze_time("2026-03-10 09:00:00"):
			make_rating(PARK, other, FGW_D, dict(PARK_TEMPLATE))
		self.run_job("2026-03-16 09:00:00")
		self.assertEqual(len(self.events(name)), 2)
		self.assertEqual(self.events(other), [])
		self.assertEqual(self.notified(PARK, other), [])


class TestComment(DraftTestCase):
	def rated(self) -> tuple[str, str, str]:
		"""A multi slip whose co-department 住建局 is rated by the park and the lead with comments."""
		name = self.slip((FGW_D, "Lead"), (ZJJ_D, "Co"))
		with self.freeze_time(f"{DAY} 14:00:00"):
			park = make_rating(PARK, name, ZJJ_D, dict(PARK_TEMPLATE), comment=SECRET).name
			lead = make_rating(FGW, name, ZJJ_D, dict(LEAD_TEMPLATE), comment="配合积极").name
		return name, park, lead

	def comment_as(self, user: str, rating: str):
		return as_user(user, lambda: frappe.get_doc("Whistle Rating", rating).comment)

	def test_who_reads_the_comment(self):
		name, park, lead = self.rated()
		ratings.set_comment_hidden_from_rated(False)
		for user in (OFFICE, LEADER, PARK, PARK_LEADER, ZJJ):
			self.assertEqual(self.comment_as(user, park), SECRET, user)
		self.assertEqual(
			as_user(ZJJ, lambda: frappe.get_doc("Whistle Rating", park).as_dict()["comment"]), SECRET
		)
		self.assertFalse(frappe.has_permission("Whistle Rating", "read", park, user=FGW))
		# the office hides comments from the rated department
		self.assertEqual(as_user(OFFICE, ratings.set_comment_hidden_from_rated, 1), True)
		for user in (OFFICE, LEADER, PARK, PARK_LEADER):
			self.assertEqual(self.comment_as(user, park), SECRET, user)
		self.assertIsNone(self.comment_as(ZJJ, park))
		self.assertIsNone(as_user(ZJJ, lambda: frappe.get_doc("Whistle Rating", park).as_dict()["comment"]))
		self.assertEqual(self.comment_as(FGW, lead), "配合积极")  # FGW wrote it
		self.assertIsNone(self.comment_as(ZJJ, lead))
		# lists never carry it; the comment records are the office's only
		rows = as_user(
			ZJJ, frappe.get_list, "Whistle Rating", filters={"slip": name}, fields=["name", "comment"]
		)
		self.assertEqual({r.name for r in rows}, {park, lead})
		self.assertTrue(all("comment" not in r for r in rows))
		for user in (ZJJ, PARK, FGW):
			self.assertFalse(frappe.has_permission("Whistle Rating Comment", "read", user=user), user)
		self.assertTrue(frappe.has_permission("Whistle Rating Comment", "read", user=OFFICE))
		# only the office switches it
		self.assert_refused(
			lambda: as_user(PARK, ratings.set_comment_hidden_from_rated, 0), "", frappe.PermissionError
		)
		self.assertEqual(as_user(OFFICE, ratings.set_comment_hidden_from_rated, 0), False)
		self.assertEqual(self.comment_as(ZJJ, park), SECRET)

	def test_comment_kept_out_of_the_rating_and_its_history(self):
		name, park, _lead = self.rated()
		self.assertFalse(frappe.db.has_column("Whistle Rating", "comment"))
		self.assertEqual(frappe.db.get_value("Whistle Rating Comment", {"rating": park}, "comment"), SECRET)
		# a draft saved with its comment keeps a history (Version) that does not hold the comment
		draft = self.draft(name, "Park", FGW_D)
		frappe.set_user(PARK)
		doc = frappe.get_doc("Whistle Rating", draft)
		fill = {"响应速度": 15}
		ratings.fill_scores(doc, fill, comment=SECRET)
		doc.save(ignore_version=False)  # tests skip versions unless asked
		frappe.set_user("Administrator")
		versions = frappe.get_all(
			"Version", filters={"ref_doctype": "Whistle Rating", "docname": draft}, pluck="data"
		)
		self.assertEqual(len(versions), 1)
		self.assertIn('["total",0,15]', versions[0])
		self.assertNotIn(SECRET, versions[0])
		self.assertEqual(self.comment_as(PARK, draft), SECRET)
		# the comment of a submitted rating stays: not even the office edits it (cancel and amend)
		frappe.set_user(OFFICE)
		doc = frappe.get_doc("Whistle Rating", park)
		doc.comment = "改写的意见"
		self.assert_refused(doc.save, "撤销")
		frappe.set_user("Administrator")
		self.assertEqual(self.comment_as(OFFICE, park), SECRET)
		# an amendment carries the comment over
		as_user(OFFICE, ratings.cancel_rating, park, "分值录入错误")
		amended = as_user(OFFICE, ratings.amend_rating, park, {"办理成效": 25})
		self.assertEqual(self.comment_as(PARK, amended), SECRET)
		self.assertEqual(frappe.db.get_value("Whistle Rating", amended, "total"), 95)
