"""REST for mobile clients and input bounds (issue #20).

A phone client sends what it showed its user: a Select field takes the Chinese label or the code
(``category``, ``scope``, the department role ``Multi``/``Lead``), and a value that is neither is
refused with a 417 listing both, nothing saved. A department cannot plan a completion years ahead
(at most the Whistle Settings' span after dispatch, unless the whistle is in long-term tracking)."""

import json

import frappe
import pytest

from tests.base import WhistleTestCase
from tests.factory import act_as, ensure_demo, make_request, make_slip
from tests.http import Client, server_message
from tests.integration.cleanup import purge_all
from whistle_app import requests as rq
from whistle_app.bounds import CompletionTooLateError, check_planned_completion
from whistle_app.dev import demo

SLIP = "Whistle Slip"
PARK = "park1@whistle.localhost"
OFFICE = "office@whistle.localhost"
FGW = "fgw@whistle.localhost"
REPORT = {"work_plan": "现场办公", "responsible_persons": "赵示例"}


@pytest.fixture(scope="module")
def clients(live_server):
	ensure_demo()
	created = []
	park = Client(live_server, PARK, demo.DEMO_PASSWORD)
	office = Client(live_server, OFFICE, demo.DEMO_PASSWORD)
	try:
		yield park, office, created
	finally:
		purge_all([(SLIP, name) for name in created])


def stored(name: str, field: str):
	frappe.db.rollback()  # see what the web server committed
	return frappe.db.get_value(SLIP, name, field)


def test_select_fields_take_the_chinese_label_or_the_code(clients):
	park, office, created = clients
	r = park.post(
		"/api/resource/Whistle Slip",
		{"data": frappe.as_json({"title": "手机客户端吹哨", "category": "综合协调类", "description": "x"})},
	)
	assert r.status_code == 200, r.text
	name = r.json()["data"]["name"]
	created.append(name)
	assert r.json()["data"]["category"] == "Comprehensive Coordination"
	r = park.put(f"/api/resource/Whistle Slip/{name}", {"category": "efficiency improvement"})
	assert r.status_code == 200, r.text
	assert stored(name, "category") == "Efficiency Improvement"

	r = park.post("/api/method/whistle_app.lifecycle.act", {"slip": name, "action": "提交吹哨"})
	assert r.status_code == 200, r.text
	routing = {
		"scope": "多部门事项",
		"departments": [
			{"department": "发展和改革委", "department_role": "牵头部门"},
			{"department": "住房和城乡建设局", "department_role": "Co", "assigned_task": "配合办理"},
		],
	}
	r = office.put(f"/api/resource/Whistle Slip/{name}", routing)
	assert r.status_code == 200, r.text
	assert stored(name, "scope") == "Multi"
	roles = frappe.get_all(
		"Whistle Slip Department", filters={"parent": name}, fields=["department_role"], order_by="idx"
	)
	assert [row.department_role for row in roles] == ["Lead", "Co"]

	# neither a label nor a code: refused with both listed, nothing changed
	r = park.put(f"/api/resource/Whistle Slip/{name}", {"category": "随便什么类"})
	assert r.status_code == 417, r.text
	message = server_message(r)
	assert "随便什么类" in message
	assert "效能提升类（Efficiency Improvement）" in message and "其他（Other）" in message, message
	r = office.put(f"/api/resource/Whistle Slip/{name}", {"scope": "Everything"})
	assert r.status_code == 417 and "多部门事项（Multi）" in server_message(r), r.text
	assert (stored(name, "category"), stored(name, "scope")) == ("Efficiency Improvement", "Multi")


class TestCompletionBound(WhistleTestCase):
	def test_a_completion_years_ahead_is_refused_unless_long_term(self):
		with self.freeze_time("2026-03-02 09:00:00"):
			name = make_slip(PARK).name
			act_as(PARK, name, "提交吹哨")
		with self.freeze_time("2026-03-02 10:00:00"):
			act_as(OFFICE, name, "派单", scope="Single", departments=[("发展和改革委", "Sole", None)])
			for too_late in ("2099-12-31", "2027-03-03"):
				self.assert_refused(
					lambda d=too_late: act_as(FGW, name, "报到", planned_completion=d, **REPORT),
					"不晚于 2027-03-02",
					CompletionTooLateError,
				)
			self.assertFalse(frappe.db.get_value(SLIP, name, "planned_completion"))
			act_as(FGW, name, "报到", planned_completion="2027-03-02", **REPORT)
			act_as(OFFICE, name, "审核抄送")
		with self.freeze_time("2026-03-05 10:00:00"):
			self.assert_refused(
				lambda: make_request(
					FGW, rq.EXTENSION, name, new_completion_date="2099-12-31", reason="等待"
				),
				"过远",
				CompletionTooLateError,
			)
		# the span is a setting; a whistle in long-term tracking has no end date
		frappe.db.set_single_value("Whistle Settings", "completion_span_months", 6)
		self.assert_refused(
			lambda: check_planned_completion("2026-09-03", "2026-03-02", 0), "6", CompletionTooLateError
		)
		check_planned_completion("2026-09-02", "2026-03-02", 0)
		check_planned_completion("2099-12-31", "2026-03-02", 1)


def test_a_phone_adds_the_site_to_its_home_screen(clients):
	"""/manifest.json with the Chinese name and the app's icons, linked from the web pages; the link
	dropdowns of units say 报到部门 / 园区, and a web form page carries Frappe's words in Chinese."""
	park, _office, _created = clients
	r = park.get("/manifest.json")
	assert r.status_code == 200, r.text
	assert r.headers["Content-Type"].startswith("application/manifest+json")
	manifest = r.json()
	assert manifest["name"] == "园区吹哨、部门报到" and manifest["display"] == "standalone"
	for icon in manifest["icons"]:
		image = park.get(icon["src"])
		assert image.status_code == 200 and image.headers["Content-Type"] == "image/png", icon
	page = park.get("/whistle/new")
	assert page.status_code == 200
	assert '<link rel="manifest" href="/manifest.json">' in page.text
	for word, zh in (
		("Missing Values Required", "请填写必填项"),
		("Load More", "加载更多"),
		("Late", "超时"),
	):
		assert json.dumps({word: zh})[1:-1] in page.text, word  # the page's messages, as Frappe writes them
	r = park.get("/api/method/frappe.desk.search.search_link", doctype="Whistle Unit", txt="")
	descriptions = " ".join(row.get("description") or "" for row in r.json()["message"])
	assert "报到部门" in descriptions and "Reporting Unit" not in descriptions, descriptions
