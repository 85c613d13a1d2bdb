"""Adversarial input (issue #11): script/HTML payloads in every free-text field are stored as plain
text and rendered inert (print formats, PDF HTML, web forms, notifications; the desk is checked in
tests/browser/test_xss_desk.py); SQL metacharacters in list, report-view and query-report filters
change nothing but the result; oversize and malformed input is refused with a clear error."""

import json
import time

import frappe
import pytest

from tests.adversarial import ALL, SQL_PAYLOADS, XSS_PAYLOADS, committed_payload_documents, injected
from tests.base import WhistleTestCase
from tests.factory import make_slip
from tests.http import Client
from whistle_app.dev import demo
from whistle_app.security import (
	InputTooLongError,
	MalformedValueError,
	TooManyRowsError,
	plain_text,
)

PASSWORD = demo.DEMO_PASSWORD
TRIED: dict[str, int] = {}


@pytest.fixture(scope="module")
def payloads(live_server):
	"""The payload documents, committed for the server; removed afterwards."""
	with committed_payload_documents() as docs:
		yield live_server, docs


def test_payloads_are_stored_as_plain_text(payloads):
	_base, docs = payloads
	frappe.db.rollback()
	wrong = []
	for doctype, name, field, value in docs["given"]:
		stored = frappe.db.get_value(doctype, name, field)
		if stored != plain_text(value) or "<" in stored or ">" in stored:
			wrong.append((doctype, name, field, (stored or "")[:80]))
	assert not wrong, wrong
	TRIED["stored"] = sum(value.count("\n") + 1 for *_x, value in docs["given"])


def test_print_formats_and_pdf_html_render_payloads_inert(payloads):
	_base, docs = payloads
	frappe.set_user("Administrator")
	checked = 0
	for print_format in ("流转单", "Standard"):
		for name in [docs["slip"], *docs["titles"]]:
			html = frappe.get_print("Whistle Slip", name, print_format=print_format)
			assert not injected(html), (print_format, name, injected(html))
			if print_format == "流转单" and name == docs["slip"]:
				assert "wlxss" in html  # the payload text is there, as text
			checked += 1
	for doctype, name in (("Enterprise Demand", docs["demand"]),):
		html = frappe.get_print(doctype, name, print_format="Standard")
		assert not injected(html)
		checked += 1
	TRIED["print"] = checked * len(XSS_PAYLOADS)


def test_pdf_download_renders_payloads_inert(payloads):
	base_url, docs = payloads
	park = Client(base_url, "park1@whistle.localhost", PASSWORD)
	r = park.get(
		"/api/method/frappe.utils.print_format.download_pdf",
		doctype="Whistle Slip",
		name=docs["slip"],
		format="流转单",
	)
	assert r.status_code == 200 and r.content.startswith(b"%PDF"), r.status_code
	r = park.get("/printview", doctype="Whistle Slip", name=docs["slip"], format="流转单", trigger_print=0)
	assert r.status_code == 200 and not injected(r.text), injected(r.text)


def test_web_forms_render_payloads_inert(payloads):
	base_url, docs = payloads
	park = Client(base_url, "park1@whistle.localhost", PASSWORD)
	fgw = Client(base_url, "fgw@whistle.localhost", PASSWORD)
	ent = Client(base_url, "ent1@whistle.localhost", PASSWORD)
	pages = [
		(park, f"/whistle/{docs['slip']}"),
		(park, f"/whistle/{docs['slip']}/edit"),
		(park, f"/whistle/{docs['titles'][0]}/edit"),
		(park, "/whistle/list"),
		(fgw, f"/whistle-report/{docs['slip']}/edit"),
		(ent, f"/enterprise-demand/{docs['demand']}"),
		(ent, "/enterprise-demand/list"),
		(park, "/ratings"),
	]
	for client, path in pages:
		r = client.get(path)
		assert r.status_code == 200, (path, r.status_code)
		assert not injected(r.text), (path, injected(r.text))
	TRIED["web forms"] = len(pages) * len(XSS_PAYLOADS)


def test_notifications_carry_no_markup_from_payloads(payloads):
	_base, docs = payloads
	frappe.db.rollback()
	logs = frappe.get_all(
		"Notification Log",
		filters={"document_type": "Whistle Slip", "document_name": ("in", [docs["slip"], *docs["titles"]])},
		fields=["subject", "email_content"],
	)
	assert logs, "the payload whistles notified the office and departments"
	for log in logs:
		for value in (log.subject, log.email_content):
			assert not injected(value or ""), value
			for tag in ("<script", "<img", "<svg", "<iframe", "<input", "<details", "<a ", "<link", "<meta"):
				assert tag not in (value or "").lower(), value
	TRIED["notifications"] = len(logs)


def test_sql_metacharacters_change_nothing_but_the_result(payloads):
	base_url, _docs = payloads
	park = Client(base_url, "park1@whistle.localhost", PASSWORD)
	office = Client(base_url, "office@whistle.localhost", PASSWORD)
	frappe.db.rollback()
	counts = {dt: frappe.db.count(dt) for dt in ("Whistle Slip", "Whistle Unit", "User", "Enterprise")}
	park_sees = park.resource_names("Whistle Slip")
	calls = 0
	for payload in SQL_PAYLOADS:
		for client, visible in ((park, park_sees), (office, None)):
			requests_ = [
				("get", "/api/resource/Whistle Slip", {"filters": json.dumps([["title", "=", payload]])}),
				(
					"get",
					"/api/resource/Whistle Slip",
					{"filters": json.dumps([["title", "like", f"%{payload}%"]])},
				),
				(
					"post",
					"/api/method/frappe.client.get_list",
					{
						"doctype": "Whistle Slip",
						"filters": json.dumps({"description": payload}),
						"fields": '["name"]',
					},
				),
				(
					"post",
					"/api/method/frappe.desk.reportview.get",
					{
						"doctype": "Whistle Slip",
						"fields": '["`tabWhistle Slip`.`name`"]',
						"filters": json.dumps([["Whistle Slip", "whistle_unit", "=", payload]]),
					},
				),
				(
					"post",
					"/api/method/frappe.desk.reportview.get",
					{
						"doctype": "Whistle Slip",
						"fields": '["`tabWhistle Slip`.`name`"]',
						"order_by": payload,
					},
				),
				(
					"post",
					"/api/method/frappe.desk.query_report.run",
					{
						"report_name": "Whistle Unit Directory",
						"filters": json.dumps({"assessment_class": payload, "unit_type": payload}),
					},
				),
				(
					"get",
					"/api/method/frappe.desk.search.search_link",
					{"doctype": "Whistle Slip", "txt": payload},
				),
			]
			for verb, path, data in requests_:
				started = time.monotonic()
				if verb == "get":
					r = client.get(path, **data)
				else:
					r = client.post(path, data)
				assert time.monotonic() - started < 2.5, ("SLEEP ran", path, payload)
				assert r.status_code in (200, 403, 417), (path, payload, r.status_code, r.text[:300])
				if r.status_code == 200 and visible is not None and path == "/api/resource/Whistle Slip":
					assert {row["name"] for row in r.json()["data"]} <= visible
				calls += 1
	frappe.db.rollback()
	assert {dt: frappe.db.count(dt) for dt in counts} == counts
	TRIED["sql"] = calls


def test_oversize_and_malformed_input_refused_over_http(payloads):
	base_url, docs = payloads
	park = Client(base_url, "park1@whistle.localhost", PASSWORD)
	office = Client(base_url, "office@whistle.localhost", PASSWORD)
	admin = Client(base_url, "admin@whistle.localhost", PASSWORD)
	frappe.db.rollback()
	slips = frappe.db.count("Whistle Slip")
	body = {"title": "超长描述", "category": "Other", "description": "长" * 5_000_000}
	r = park.session.post(
		f"{base_url}/api/resource/Whistle Slip", data={"data": json.dumps(body)}, timeout=120
	)
	assert r.status_code in (413, 417), r.status_code
	if r.status_code == 417:
		assert "InputTooLongError" in r.text and "10000" in r.text
	draft = docs["titles"][0]
	for client, doctype, name, values, marker in (
		(park, "Enterprise Demand", docs["demand"], {"received_on": "2026-02-30"}, "MalformedValueError"),
		(park, "Enterprise Demand", docs["demand"], {"received_on": "not a date"}, "MalformedValueError"),
		(park, "Whistle Slip", draft, {"green_channel": "yes"}, "MalformedValueError"),
		(
			admin,
			"Whistle Settings",
			"Whistle Settings",
			{"warning_days_before": "3天"},
			"MalformedValueError",
		),
		(
			office,
			"Whistle Slip",
			draft,
			{"departments": [{"department": "发展和改革委"}] * 500},
			"TooManyRowsError",
		),
	):
		before = frappe.db.get_value(doctype, name, "modified")
		r = client.put(f"/api/resource/{doctype}/{name}", values)
		assert r.status_code == 417 and marker in r.text, (values, r.status_code, r.text[:300])
		frappe.db.rollback()
		assert frappe.db.get_value(doctype, name, "modified") == before
	r = park.session.post(
		f"{base_url}/api/resource/Enterprise",
		data={
			"data": json.dumps(
				{
					"enterprise_name": "坏代码企业",
					"credit_code": "91321203MA1XDEM0X",
					"whistle_unit": "示例园区一",
				}
			)
		},
	)
	assert r.status_code == 417, r.status_code
	frappe.db.rollback()
	assert frappe.db.count("Whistle Slip") == slips
	assert not frappe.db.exists("Enterprise", {"enterprise_name": "坏代码企业"})


class TestLimits(WhistleTestCase):
	"""The server-side limits in process: clear, translated errors; nothing stored."""

	def test_five_megabyte_description(self):
		self.assert_refused(
			lambda: make_slip("park1@whistle.localhost", description="长" * 5_000_000),
			"最多 10000 个字符",
			InputTooLongError,
		)

	def test_five_hundred_departments(self):
		slip = make_slip("park1@whistle.localhost")
		slip.set("departments", [{"department": "发展和改革委", "department_role": "Co"}] * 500)
		self.assert_refused(slip.save, "最多只能派往", TooManyRowsError)

	def test_ten_thousand_row_tally(self):
		doc = frappe.get_doc({"doctype": "Satisfaction Survey", "year": 2097, "quarter": "2"})
		for _ in range(10_000):
			doc.append("tallies", {"whistle_unit": "发展和改革委", "satisfied": 1})
		self.assert_refused(lambda: doc.insert(ignore_permissions=True), "500")

	def test_malformed_dates_and_numbers(self):
		slip = make_slip("park1@whistle.localhost")
		for field, value, text in (
			("planned_completion", "2026-13-01", "不是有效的日期"),
			("planned_completion", "31/12/2026", "不是有效的日期"),
			("dispatched_on", "2026-02-30 10:00:00", "不是有效的日期时间"),
			("rehandle_count", "3x", "不是数字"),
		):
			slip.set(field, value)
			self.assert_refused(slip.save, text, MalformedValueError)
			slip.reload()

	def test_plain_text_is_idempotent(self):
		for payload in XSS_PAYLOADS:
			once = plain_text(payload)
			self.assertEqual(plain_text(once), once)
			self.assertNotIn("<", once)


def test_print_payload_figures():
	"""Runs last: how many payloads were tried, and that none got through."""
	total = sum(TRIED.values())
	print(
		f"\nadversarial input: {len(XSS_PAYLOADS)} XSS payloads, {len(SQL_PAYLOADS)} SQL payloads; "
		f"{total} payload placements tried ({TRIED}); none got through"
	)
	assert ALL.count("\n") == len(XSS_PAYLOADS) - 1
