"""The Efficiency Office's Snail Award proposals from bulletin clues (issue #16, plan 六.1, RULES §9).

Besides the automatic proposal (last place in two consecutive quarters), the Efficiency Office opens a
proposal for a reporting unit itself, citing the published supervision bulletins that name it; it is
decided like any other, and the automatic job meeting it later adds its evidence instead of failing.
Everything here is rolled back.
"""

import json

import frappe
import frappe.client

from tests.base import WhistleTestCase
from tests.factory import (
	as_user,
	evaluate_as_office,
	make_bulletin,
	make_published_bulletin,
	make_slip_scores,
)
from whistle_app import bulletins as bl
from whistle_app import evaluation as ev
from whistle_app.evaluation import snail
from whistle_app.organisation import get_user_unit

OFFICE = "office@whistle.localhost"
EFFICIENCY = "efficiency@whistle.localhost"
LEADER = "leader@whistle.localhost"
FGW_USER = "fgw@whistle.localhost"
ZJJ_USER = "zjj@whistle.localhost"
PARK = "park1@whistle.localhost"

FGW, ZJJ = "发展和改革委", "住房和城乡建设局"  # units with demo users
NOW = "2026-04-08 10:00:00"  # 2026-Q1 and its bulletins have ended
REASON = "连续两月被通报，企业反映办理迟缓"


def state() -> tuple:
	"""What a refused proposal must leave untouched."""
	return (
		frappe.db.count(ev.SNAIL_AWARD),
		frappe.db.count("Snail Award Bulletin"),
		frappe.db.count("Comment", {"reference_doctype": ev.SNAIL_AWARD}),
	)


class SnailClueTestCase(WhistleTestCase):
	def bulletins(self) -> tuple[str, str]:
		"""Published bulletins of 2025-12 (naming 发展和改革委) and 2026-03 (naming it and 住建局)."""
		december = make_published_bulletin(2025, 12, [FGW])
		march = make_published_bulletin(2026, 3, [FGW, ZJJ])
		return december, march

	def propose(self, unit=FGW, year=2026, quarter=1, bulletins=(), reason=REASON, user=EFFICIENCY):
		return as_user(user, snail.propose_from_bulletins, unit, year, quarter, list(bulletins), reason)

	def assert_refused_unchanged(self, fn, text: str, exc=frappe.ValidationError):
		"""Refused with ``exc`` whose Chinese message contains ``text``, with nothing written."""
		before = state()
		frappe.db.savepoint("clue_refusal")
		try:
			with self.assertRaises(exc) as cm:
				fn()
			self.assertEqual(state(), before, "a refused proposal wrote something")
		finally:
			frappe.db.rollback(save_point="clue_refusal")
			frappe.set_user("Administrator")
		self.assertIn(text, str(cm.exception))
		return cm.exception


class TestEfficiencyOfficeProposes(SnailClueTestCase):
	def test_proposal_cites_the_bulletins_and_is_told_apart(self):
		with self.freeze_time(NOW):
			december, march = self.bulletins()
			name = as_user(
				EFFICIENCY,
				snail.propose_from_bulletins,
				FGW,
				2026,
				1,
				json.dumps([march, december, march]),  # as the desk sends it; a repeat counts once
				f"  {REASON}  ",
			)
		self.assertEqual(name, ev.snail_award_name(2026, 1, FGW))
		doc = frappe.get_doc(ev.SNAIL_AWARD, name)
		self.assertEqual(
			(doc.whistle_unit, doc.assessment_class, doc.year, doc.quarter, doc.status),
			(FGW, "A", 2026, "1", ev.PROPOSED),
		)
		self.assertEqual((doc.origin, doc.proposed_by, doc.proposal_reason), (snail.CLUE, EFFICIENCY, REASON))
		self.assertEqual([row.bulletin for row in doc.bulletins], [march, december])
		self.assertEqual(doc.naming_count, 2)
		self.assertFalse(doc.quarterly_evaluation, "no evaluation evidence: the bulletins are the clue")
		frappe.local.lang = "zh"
		self.assertEqual(frappe._(doc.origin), "效能办线索提名")
		self.assertEqual(frappe._(snail.AUTOMATIC), "自动提名")
		# the department sees its own unit's proposal, as it sees the automatic ones
		self.assertTrue(as_user(FGW_USER, frappe.has_permission, ev.SNAIL_AWARD, "read", name))
		self.assertFalse(as_user(ZJJ_USER, frappe.has_permission, ev.SNAIL_AWARD, "read", name))

	def test_refusals_change_nothing(self):
		with self.freeze_time(NOW):
			december, march = self.bulletins()
			draft = make_bulletin(2026, 2, [(FGW, "Add", "测试通报")])
			self.assertIn(FGW, [r.department for r in frappe.get_doc(bl.BULLETIN, draft).named_units])
			park_unit = get_user_unit(PARK)
			cases = [
				# a bulletin that does not name the unit
				(lambda: self.propose(unit=ZJJ, bulletins=[december]), "未点名住房和城乡建设局"),
				(lambda: self.propose(bulletins=[march, "SB-NO-SUCH"]), "不存在"),
				# a draft names 发展和改革委 but is not published
				(lambda: self.propose(bulletins=[draft]), "尚未发布"),
				(lambda: self.propose(reason="   "), "提名理由"),
				(lambda: self.propose(bulletins=[march], reason=None), "提名理由"),
				(lambda: self.propose(bulletins=[]), "至少引用"),
				(
					lambda: as_user(EFFICIENCY, snail.propose_from_bulletins, FGW, 2026, 1, reason=REASON),
					"至少引用",
				),
				(lambda: self.propose(bulletins=[march], unit=park_unit), "不是报到部门"),
				(lambda: self.propose(bulletins=[march], unit="没有这个单位"), "不是报到部门"),
				# 2025-12 lies outside 2026-Q2 and the quarter before
				(lambda: self.propose(quarter=2, bulletins=[december]), "只能引用"),
				(lambda: self.propose(quarter=3, bulletins=[march]), "尚未开始"),
				(lambda: self.propose(quarter=5, bulletins=[march]), "不是有效的季度"),
			]
			for fn, text in cases:
				with self.subTest(text=text):
					self.assert_refused_unchanged(fn, text)
			# one proposal per unit and quarter: a second one is refused, open or decided
			name = self.propose(bulletins=[march])
			self.assert_refused_unchanged(lambda: self.propose(bulletins=[december]), "不能重复提名")
			as_user(EFFICIENCY, ev.decide_snail_award, name, ev.REJECT, "证据不足")
			self.assert_refused_unchanged(lambda: self.propose(bulletins=[march]), "已作出认定")

	def test_a_superseded_bulletin_is_not_evidence(self):
		with self.freeze_time(NOW):
			_december, march = self.bulletins()
			correction = as_user(OFFICE, bl.make_correction, march, "更正数据")
			as_user(OFFICE, bl.publish, correction)
			self.assert_refused_unchanged(lambda: self.propose(bulletins=[march]), "已被")
			self.assertTrue(self.propose(bulletins=[correction]))

	def test_only_the_efficiency_office_proposes(self):
		with self.freeze_time(NOW):
			_december, march = self.bulletins()
			for user in (FGW_USER, ZJJ_USER, PARK, OFFICE, LEADER):
				with self.subTest(user=user):
					self.assert_refused_unchanged(
						lambda user=user: self.propose(bulletins=[march], user=user),
						"只有区效能办可以依据督查通报提名蜗牛奖",
						frappe.PermissionError,
					)
		# nor through Frappe's generic paths: nobody creates a Snail Award directly
		values = {
			"doctype": ev.SNAIL_AWARD,
			"whistle_unit": FGW,
			"year": 2026,
			"quarter": "1",
			"origin": snail.CLUE,
			"proposal_reason": REASON,
			"bulletins": [{"bulletin": march}],
		}
		for user in (FGW_USER, EFFICIENCY):
			with self.subTest(user=user):
				self.assert_refused_unchanged(
					lambda user=user: as_user(user, frappe.client.insert, dict(values)),
					"",
					frappe.PermissionError,
				)
		self.assert_refused_unchanged(
			lambda: frappe.client.insert(dict(values)), "系统", ev.EvaluationWriteError
		)


class TestClueProposalDecisionAndTheAutomaticJob(SnailClueTestCase):
	def two_quarters(self) -> None:
		"""Slip scores that place 发展和改革委 and 住建局 (tied) last in class A in 2025-Q4 and 2026-Q1."""
		make_slip_scores("2025-11-10 10:00:00", {"教育局": [90], "司法局": [85], FGW: [70], ZJJ: [70]})
		make_slip_scores("2026-02-10 10:00:00", {"教育局": [95], "司法局": [85], FGW: [60], ZJJ: [60]})

	def test_decided_through_the_normal_path(self):
		with self.freeze_time(NOW):
			_december, march = self.bulletins()
			first = self.propose(bulletins=[march])
			second = self.propose(unit=ZJJ, bulletins=[march])
			self.assert_refused_unchanged(
				lambda: as_user(ZJJ_USER, ev.decide_snail_award, first, ev.CONFIRM),
				"区效能办",
				frappe.PermissionError,
			)
			self.assertEqual(as_user(EFFICIENCY, ev.decide_snail_award, first, ev.CONFIRM), ev.AWARDED)
			self.assertEqual(
				as_user(EFFICIENCY, ev.decide_snail_award, second, ev.REJECT, "已整改到位"), ev.NOT_AWARDED
			)
		doc = frappe.get_doc(ev.SNAIL_AWARD, first)
		self.assertEqual((doc.status, doc.decided_by, doc.origin), (ev.AWARDED, EFFICIENCY, snail.CLUE))
		doc.proposal_reason = "改写"
		self.assert_refused(doc.save, "不能修改", ev.EvaluationWriteError)

	def test_the_automatic_job_adds_its_evidence_to_an_open_clue_proposal(self):
		self.two_quarters()
		with self.freeze_time(NOW):
			december, march = self.bulletins()
			clue = self.propose(bulletins=[march])
			evaluate_as_office(2025, 4, finalise=True)
			evaluate_as_office(2026, 1, finalise=True)  # proposes 2026-Q1: must not fail on 发展和改革委
			awards = frappe.get_all(
				ev.SNAIL_AWARD,
				filters={"year": 2026, "quarter": "1"},
				fields=["name", "whistle_unit", "origin"],
				order_by="name",
			)
			self.assertEqual(
				sorted((a.whistle_unit, a.origin) for a in awards),
				sorted([(FGW, snail.CLUE), (ZJJ, snail.AUTOMATIC)]),
			)
			doc = frappe.get_doc(ev.SNAIL_AWARD, clue)
			self.assertEqual(doc.status, ev.PROPOSED)
			self.assertEqual((doc.proposed_by, doc.proposal_reason), (EFFICIENCY, REASON))
			self.assertEqual(
				(doc.quarterly_evaluation, doc.previous_evaluation), ("QE-2026-Q1", "QE-2025-Q4")
			)
			row = frappe.db.get_value(
				ev.QUARTERLY_ROW,
				{"parent": "QE-2026-Q1", "whistle_unit": FGW},
				["rank", "is_last"],
				as_dict=True,
			)
			self.assertTrue(row.is_last)
			self.assertEqual((doc.rank, doc.class_size), (row.rank, 14))
			self.assertEqual([row.bulletin for row in doc.bulletins], [march, december])
			self.assertEqual(doc.naming_count, 2)
			notes = lambda: frappe.get_all(  # noqa: E731
				"Comment",
				filters={"reference_doctype": ev.SNAIL_AWARD, "reference_name": clue, "comment_type": "Info"},
				pluck="content",
			)
			self.assertEqual(len(notes()), 1)
			self.assertIn("QE-2026-Q1", notes()[0])
			# running the job again changes nothing
			modified = doc.modified
			self.assertEqual(snail.propose_snail_awards(2026, 1), [])
			self.assertEqual(frappe.db.get_value(ev.SNAIL_AWARD, clue, "modified"), modified)
			self.assertEqual(len(notes()), 1)
			self.assertEqual(frappe.db.count(ev.SNAIL_AWARD), 2)
			# and it is decided like any other
			self.assertEqual(as_user(EFFICIENCY, ev.decide_snail_award, clue, ev.CONFIRM), ev.AWARDED)

	def test_a_decided_clue_proposal_stays_as_decided(self):
		self.two_quarters()
		with self.freeze_time(NOW):
			_december, march = self.bulletins()
			clue = self.propose(bulletins=[march])
			as_user(EFFICIENCY, ev.decide_snail_award, clue, ev.REJECT, "证据不足")
			before = frappe.get_doc(ev.SNAIL_AWARD, clue).as_dict()
			evaluate_as_office(2025, 4, finalise=True)
			evaluate_as_office(2026, 1, finalise=True)
			self.assertEqual(snail.propose_snail_awards(2026, 1), [])
			after = frappe.get_doc(ev.SNAIL_AWARD, clue).as_dict()
			self.assertEqual(after, before, "a decided award never changes")
			notes = frappe.get_all(
				"Comment",
				filters={"reference_doctype": ev.SNAIL_AWARD, "reference_name": clue, "comment_type": "Info"},
				pluck="content",
			)
			# the decision's own entry (the decider by name, issue #25) and one note of the job's visit
			self.assertEqual(len(notes), 2, notes)
			self.assertEqual(len([n for n in notes if "不作改动" in n]), 1, notes)
			self.assertEqual(
				frappe.db.get_value(ev.SNAIL_AWARD, ev.snail_award_name(2026, 1, ZJJ), "origin"),
				snail.AUTOMATIC,
			)
