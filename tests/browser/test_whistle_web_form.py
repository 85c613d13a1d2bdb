"""A park agent files a whistle on a phone through the web form; the office sees it in its list."""

import uuid
from urllib.parse import urlencode

import frappe

from tests.browser.conftest import assert_fits_phone, login, phone_page, wait_db
from tests.factory import ensure_demo
from tests.integration.cleanup import purge_all
from whistle_app.dev import demo


def test_park_files_whistle_on_phone_and_office_sees_it(live_server, browser, artifacts_dir):
	ensure_demo()
	title = f"手机吹哨测试 {uuid.uuid4().hex[:6]}"
	context, page = phone_page(browser)
	try:
		login(page, live_server, "park1@whistle.localhost", demo.DEMO_PASSWORD, landing="**")
		page.goto(f"{live_server}/whistle/new")
		page.wait_for_selector('[data-fieldname="title"] input', timeout=30_000)
		page.fill('[data-fieldname="title"] input', title)
		page.select_option('[data-fieldname="category"] select', "Comprehensive Coordination")
		page.fill('[data-fieldname="description"] textarea', "企业反映园区道路积水严重")
		assert "综合协调类" in page.inner_text('[data-fieldname="category"]')
		page.screenshot(path=str(artifacts_dir / "web-form-whistle-phone.png"), full_page=True)
		assert_fits_phone(page)

		def is_accept(response):
			return response.request.method == "POST" and "web_form.accept" in (
				response.request.post_data or ""
			)

		with page.expect_response(is_accept, timeout=30_000) as saved:
			page.click("button.submit-btn")
		assert saved.value.ok, saved.value.text()
		frappe.db.rollback()  # see the web server's commit
		name = frappe.db.get_value("Whistle Slip", {"title": title})
		assert name, "the web form saved the whistle"
		assert frappe.db.get_value("Whistle Slip", name, "whistle_unit") == "示例园区一"
		page.goto(f"{live_server}/whistle/{name}")
		page.wait_for_selector(".whistle-actions button", timeout=30_000)
		page.click(".whistle-actions button:has-text('提交吹哨')")
		page.wait_for_load_state("networkidle")
		wait_db(lambda: frappe.db.get_value("Whistle Slip", name, "workflow_state") == "待审核")
	finally:
		context.close()

	office = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
	page = office.new_page()
	try:
		login(page, live_server, "office@whistle.localhost", demo.DEMO_PASSWORD)
		# the list view with the route's filters only, whatever view, sort or page the office used last
		query = urlencode({"workflow_state": "待审核", "title": title})
		page.goto(f"{live_server}/app/whistle-slip/view/list?{query}")
		page.locator(".frappe-list .list-row-container").get_by_text(title).first.wait_for(timeout=30_000)
		page.screenshot(path=str(artifacts_dir / "office-slip-list.png"))
	finally:
		office.close()
		frappe.db.rollback()
		purge_all(
			[("Whistle Slip", n) for n in frappe.get_all("Whistle Slip", {"title": title}, pluck="name")]
		)
