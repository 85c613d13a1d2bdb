"""The print formats 季度测评排名通报 and 年度总评结果 render the stored evaluations as Chinese PDFs (#8 item 6)."""

import io
import re

import frappe
import pytest
from frappe.translate import print_language
from pypdf import PdfReader

from tests.base import WhistleTestCase
from tests.factory import as_user, evaluate_as_office, make_published_bulletin, make_slip_scores
from tests.pdf import AssetsServerMixin
from whistle_app import evaluation as ev
from whistle_app.whistle.report.annual_consequences import annual_consequences as consequences

QUARTERLY_FORMAT = "季度测评排名通报"
ANNUAL_FORMAT = "年度总评结果"
CONSEQUENCES_FORMAT = "年度考核结果运用"
SNAIL_FORMAT = "蜗牛奖认定"
FGW, ZJJ = "发展和改革委", "住房和城乡建设局"


def render(doctype: str, name: str, print_format: str, as_pdf: bool):
	language = frappe.db.get_value("Print Format", print_format, "default_print_language")
	with print_language(language):
		return frappe.get_print(doctype, name, print_format=print_format, as_pdf=as_pdf)


def pdf_text(pdf: bytes) -> str:
	return re.sub(r"\s+", "", "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))


class TestEvaluationPrint(AssetsServerMixin, WhistleTestCase):
	@pytest.fixture(autouse=True)
	def _artifacts(self, artifacts_dir):
		self.artifacts = artifacts_dir

	def evaluated_year(self) -> None:
		for month in (2, 5, 8, 11):
			make_slip_scores(f"2025-{month:02}-10 10:00:00", {FGW: [90.5, 85], ZJJ: [60], "公安分局": [88]})
		with self.freeze_time("2026-01-05 10:00:00"):
			for quarter in (1, 2, 3, 4):
				evaluate_as_office(2025, quarter, finalise=quarter != 1)
			evaluate_as_office(2025)

	def test_print_formats_are_standard_and_chinese(self):
		for name, doctype in ((QUARTERLY_FORMAT, ev.QUARTERLY), (ANNUAL_FORMAT, ev.ANNUAL)):
			pf = frappe.get_doc("Print Format", name)
			self.assertEqual(
				(pf.doc_type, pf.module, pf.standard, pf.print_format_type, pf.default_print_language),
				(doctype, "Whistle", "Yes", "Jinja", "zh"),
			)
			self.assertEqual(frappe.get_meta(doctype).default_print_format, name)

	def test_quarterly_ranking_notice_pdf(self):
		self.evaluated_year()
		pdf = render(ev.QUARTERLY, "QE-2025-Q2", QUARTERLY_FORMAT, as_pdf=True)
		self.assertTrue(pdf.startswith(b"%PDF"))
		(self.artifacts / "evaluation-季度测评排名通报.pdf").write_bytes(pdf)
		text = pdf_text(pdf)
		self.assertFalse([c for c in text if 0x2E80 <= ord(c) <= 0x2FDF], "radicals instead of ideographs")
		for expected in (
			"2025年第2季度“园区吹哨、部门报到”考核测评排名",
			"A类：政府口机关部门（14家）",
			"B类：驻区单位（16家）",
			"C类：驻区公共服务企业（10家）",
			"本季度该类别单位均无办件，不排名。",
			FGW,
			"87.75",  # FGW: (90.5 + 85) / 2, no votes in the class
			"无办件，取同类平均分",
			"末位",
			"区吹哨办",
		):
			self.assertIn(expected, text)
		self.assertNotIn("草稿", text)
		draft = render(ev.QUARTERLY, "QE-2025-Q1", QUARTERLY_FORMAT, as_pdf=False)
		self.assertIn("（草稿）", draft)

	def test_annual_results_pdf(self):
		self.evaluated_year()
		pdf = render(ev.ANNUAL, "AE-2025", ANNUAL_FORMAT, as_pdf=True)
		(self.artifacts / "evaluation-年度总评结果.pdf").write_bytes(pdf)
		text = pdf_text(pdf)
		for expected in (
			"2025年度“园区吹哨、部门报到”考核总评结果（草稿）",
			"加分基准：同类单位平均办件量",
			"名次",
			"年度得分",
			FGW,
			"5%",
			"92.14",  # FGW: base 87.75 × 1.05 = 92.1375 → 92.14
			"末位",
		):
			self.assertIn(expected, text)

	def test_annual_consequences_notice_pdf(self):
		"""Issue #25: 年度考核结果运用 reads as an issued notice: title, number, body, what happens to whom
		first (names or 未登记, never an empty name), the full list second, issuing unit and date."""
		self.evaluated_year()
		frappe.set_user("leader@whistle.localhost")
		rows = consequences.print_annual_consequences(frappe.get_doc(ev.ANNUAL, "AE-2025"))
		self.assertTrue(all(row["person"] for row in rows if row.get("role")))
		frappe.set_user("Administrator")
		pdf = render(ev.ANNUAL, "AE-2025", CONSEQUENCES_FORMAT, as_pdf=True)
		(self.artifacts / "evaluation-年度考核结果运用.pdf").write_bytes(pdf)
		text = pdf_text(pdf)
		for expected in (
			"2025年度“园区吹哨、部门报到”考核结果运用通报（草稿）",
			"编号：AE-2025",
			"一、重点结果运用事项",
			"A类：政府口机关部门",
			"主要领导",
			"二、全部考核单位结果",
			"区吹哨办",
		):
			self.assertIn(expected, text)
		self.assertLess(text.index("一、重点结果运用事项"), text.index("二、全部考核单位结果"))
		self.assertEqual(re.findall(r"[A-Za-z]{2,}", text.replace("AE-2025", "")), [])
		frappe.set_user("fgw@whistle.localhost")  # a department never prints the consequences
		self.assertRaises(
			frappe.PermissionError,
			consequences.print_annual_consequences,
			frappe.get_doc(ev.ANNUAL, "AE-2025"),
		)

	def test_snail_award_decision_pdf(self):
		"""Issue #25: the Snail Award decision as an issued document: its two quarters at last place,
		the bulletins that named the unit as evidence, the decider by name (not an e-mail)."""
		make_slip_scores("2025-11-10 10:00:00", {"教育局": [90], "司法局": [70], FGW: [85]})
		make_slip_scores("2026-02-10 10:00:00", {"教育局": [95], "司法局": [60], FGW: [80]})
		with self.freeze_time("2026-04-08 10:00:00"):
			bulletin = make_published_bulletin(2026, 3, ["司法局"])
			evaluate_as_office(2025, 4, finalise=True)
			evaluate_as_office(2026, 1, finalise=True)
		name = ev.snail_award_name(2026, 1, "司法局")
		as_user("efficiency@whistle.localhost", ev.decide_snail_award, name, ev.CONFIRM)
		pdf = render(ev.SNAIL_AWARD, name, SNAIL_FORMAT, as_pdf=True)
		(self.artifacts / "evaluation-蜗牛奖认定.pdf").write_bytes(pdf)
		text = pdf_text(pdf)
		for expected in (
			"2026年第1季度“蜗牛奖”认定决定",
			f"编号：{name}",
			"司法局",
			"连续两个季度位列本类别末位",
			"一、季度测评排名",
			"二、点名该单位的月度督查通报",
			bulletin,
			"认定人：区效能办演示用户",
			"区效能办",
		):
			self.assertIn(expected, text)
		self.assertNotIn("@", text)
		words = re.findall(r"[A-Za-z]{2,}", text.replace(name, "").replace(bulletin, ""))
		self.assertEqual([w for w in words if w not in ("QE", "Q")], [])
