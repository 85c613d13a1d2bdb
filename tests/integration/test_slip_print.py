"""The print format 流转单 (the plan's attachment 1) renders a whistle slip as a Chinese PDF (#5 item 9)."""

import io
import re
import shutil
import subprocess

import frappe
import pytest
from frappe.tests.utils import FrappeTestCase
from frappe.translate import print_language
from pypdf import PdfReader

from tests.factory import make_enterprise, make_unit
from tests.pdf import AssetsServerMixin

PRINT_FORMAT = "流转单"
HEADING = "医药高新区（高港区）“园区吹哨”事项流转单"
TITLE = "某生物医药企业新建厂房施工许可办理协调"
ENTERPRISE = "示例打印生物医药有限公司"
PAYLOAD = "<script>alert(1)</script>"
RAW_PAYLOAD = "<img src=x onerror=alert(2)>"


def print_slip(name: str, as_pdf: bool):
	"""The slip printed with 流转单 in the print format's default language (Chinese)."""
	language = frappe.db.get_value("Print Format", PRINT_FORMAT, "default_print_language")
	with print_language(language):
		return frappe.get_print("Whistle Slip", name, print_format=PRINT_FORMAT, as_pdf=as_pdf)


def make_print_slip() -> str:
	unit = frappe.db.get_value("Whistle Unit", {"unit_type": "Park"}, "name") or make_unit(
		"示例园区打印", "Park"
	)
	slip = frappe.get_doc(
		{
			"doctype": "Whistle Slip",
			"title": TITLE,
			"whistle_unit": unit,
			"category": "Comprehensive Coordination",
			"enterprise": make_enterprise(ENTERPRISE, unit),
			"description": f"{PAYLOAD} 企业新建厂房项目已取得土地证，\n但施工许可迟迟未能办理。",
			"contact_person": "张示例",
			"contact_phone": "0523-86000000",
			"scope": "Multi",
			"departments": [
				{
					"department": "住房和城乡建设局",
					"department_role": "Lead",
					"assigned_task": "牵头办理施工许可",
				},
				{
					"department": "医药高新区自然资源和规划分局",
					"department_role": "Co",
					"assigned_task": "出具规划意见",
				},
			],
		}
	).insert(ignore_permissions=True)
	# as if written around the controller (no sanitising on save): the template must escape it
	frappe.db.set_value("Whistle Slip", slip.name, "demand", RAW_PAYLOAD, update_modified=False)
	return slip.name


class TestSlipPrint(AssetsServerMixin, FrappeTestCase):
	@pytest.fixture(autouse=True)
	def _artifacts(self, artifacts_dir):
		self.artifacts = artifacts_dir

	def test_print_format_is_standard_and_chinese(self):
		pf = frappe.get_doc("Print Format", PRINT_FORMAT)
		self.assertEqual(
			(pf.doc_type, pf.module, pf.standard, pf.print_format_type, pf.custom_format),
			("Whistle Slip", "Whistle", "Yes", "Jinja", 1),
		)
		self.assertEqual(pf.default_print_language, "zh")

	def test_pdf_contains_chinese_title_heading_and_labels(self):
		name = make_print_slip()
		pdf = print_slip(name, as_pdf=True)
		self.assertTrue(pdf.startswith(b"%PDF"))
		path = self.artifacts / "slip-print-流转单.pdf"
		path.write_bytes(pdf)
		if shutil.which("pdftoppm"):
			subprocess.run(
				["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(path), str(path.with_suffix(""))],
				check=True,
			)

		text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
		radicals = sorted({c for c in text if 0x2E80 <= ord(c) <= 0x2FDF})
		self.assertFalse(
			radicals,
			"the PDF's text has radicals instead of ideographs (wkhtmltopdf fell back to plain Noto "
			f"CJK; is the font 'Whistle Serif SC' installed? fc-list): {''.join(radicals)}",
		)
		flat = re.sub(r"\s+", "", text)
		for expected in (HEADING, TITLE, name, ENTERPRISE, "综合协调类", "牵头部门", "协办部门", "联商会办"):
			self.assertIn(expected, flat)
		self.assertIn("吹哨单位（盖章）", flat)
		self.assertIn("区吹哨办（盖章）", flat)
		self.assertIn(PAYLOAD, flat)  # shown as the text the user typed

	def test_html_escapes_user_text(self):
		name = make_print_slip()
		html = print_slip(name, as_pdf=False)
		self.assertIn(HEADING, html)
		self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;", html)
		self.assertNotIn("<script>alert", html)
		self.assertIn("&lt;img src=x onerror=alert(2)&gt;", html)
		self.assertNotIn("<img src=x", html)
