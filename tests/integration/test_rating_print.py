"""The print format 满意度评价表 (the plan's attachments 2 and 3) renders a rating as a Chinese PDF, the
form of its rater kind, and the comment only for those who may read it (issue #6, RULES §5, §10)."""

import io
import re

import frappe
import pytest
from frappe.translate import print_language
from pypdf import PdfReader

from tests.base import WhistleTestCase
from tests.factory import completed_slip, make_rating
from tests.pdf import AssetsServerMixin
from whistle_app import ratings

PRINT_FORMAT = "满意度评价表"
PARK = "park1@whistle.localhost"
FGW = "fgw@whistle.localhost"
ZJJ = "zjj@whistle.localhost"
FGW_D, ZJJ_D = "发展和改革委", "住房和城乡建设局"
PARK_SCORES = {"响应速度": 20, "服务态度": 15, "办理效率": 22, "办理成效": 18}  # 75
LEAD_SCORES = {"配合主动性": 30, "响应速度": 20, "工作质量": 25, "办理时效": 15}  # 90
PAYLOAD = "<script>alert(1)</script>"


def print_rating(name: str, as_pdf: bool):
	language = frappe.db.get_value("Print Format", PRINT_FORMAT, "default_print_language")
	with print_language(language):
		return frappe.get_print("Whistle Rating", name, print_format=PRINT_FORMAT, as_pdf=as_pdf)


def pdf_text(pdf: bytes) -> str:
	text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
	radicals = sorted({c for c in text if 0x2E80 <= ord(c) <= 0x2FDF})
	assert not radicals, f"radicals instead of ideographs (is 'Whistle Serif SC' installed?): {radicals}"
	return re.sub(r"\s+", "", text)


class TestRatingPrint(AssetsServerMixin, WhistleTestCase):
	@pytest.fixture(autouse=True)
	def _artifacts(self, artifacts_dir):
		self.artifacts = artifacts_dir

	def rated(self) -> tuple[str, str, str]:
		slip = completed_slip(self.freeze_time, "2026-03-02", [(FGW_D, "Lead"), (ZJJ_D, "Co")])
		with self.freeze_time("2026-03-04 10:00:00"):
			park = make_rating(PARK, slip, ZJJ_D, PARK_SCORES, comment=f"办理及时，材料齐全 {PAYLOAD}").name
			lead = make_rating(FGW, slip, ZJJ_D, LEAD_SCORES, comment="配合主动，分工落实").name
		return slip, park, lead

	def test_print_format_is_standard_chinese_and_the_default(self):
		pf = frappe.get_doc("Print Format", PRINT_FORMAT)
		self.assertEqual(
			(pf.doc_type, pf.module, pf.standard, pf.print_format_type, pf.default_print_language),
			("Whistle Rating", "Whistle", "Yes", "Jinja", "zh"),
		)
		self.assertEqual(frappe.get_meta("Whistle Rating").default_print_format, PRINT_FORMAT)

	def test_park_rating_is_attachment_2(self):
		slip, park, _lead = self.rated()
		pdf = print_rating(park, as_pdf=True)
		self.assertTrue(pdf.startswith(b"%PDF"))
		(self.artifacts / "rating-print-附件2.pdf").write_bytes(pdf)
		text = pdf_text(pdf)
		for expected in (
			"附件2",
			"园区/镇街满意度评价表",
			park,
			slip,
			"测试吹哨事项",
			"评价单位示例园区一",
			"被评价部门住房和城乡建设局（协办部门）",
			"1响应速度2020",
			"2服务态度2015",
			"3办理效率3022",
			"4办理成效3018",
			"合计10075",
			"办理及时，材料齐全",
			"评价日期2026年3月4日",
			"评价单位（盖章）",
			"负责人（签字）",
			"经办人（签字）",
		):
			self.assertIn(expected, text)
		self.assertNotIn("牵头部门满意度评价表", text)

	def test_lead_rating_is_attachment_3(self):
		_slip, _park, lead = self.rated()
		text = pdf_text(print_rating(lead, as_pdf=True))
		for expected in (
			"附件3",
			"牵头部门满意度评价表",
			"评价部门（牵头）发展和改革委",
			"1配合主动性3030",
			"3工作质量3025",
			"4办理时效2015",
			"合计10090",
			"配合主动，分工落实",
			"评价部门（盖章）",
		):
			self.assertIn(expected, text)

	def test_print_escapes_and_hides_the_comment_from_the_rated_department(self):
		_slip, park, _lead = self.rated()
		html = print_rating(park, as_pdf=False)
		self.assertIn("办理及时，材料齐全", html)
		self.assertNotIn("<script>alert", html)
		ratings.set_comment_hidden_from_rated(True)
		for user, sees in ((PARK, True), (ZJJ, False), ("office@whistle.localhost", True)):
			frappe.set_user(user)
			self.assertEqual("办理及时，材料齐全" in print_rating(park, as_pdf=False), sees, user)
		frappe.set_user("Administrator")
		ratings.set_comment_hidden_from_rated(False)
		frappe.set_user(ZJJ)
		self.assertIn("办理及时，材料齐全", print_rating(park, as_pdf=False))
