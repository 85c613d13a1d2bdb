"""Browser smoke: the demo office user logs into the desk and sees it in Chinese."""

import frappe

from tests.browser.conftest import login
from whistle_app.dev import demo


def test_office_user_sees_chinese_desk(live_server, page, artifacts_dir):
	demo.setup()  # commits: the web server reads from its own connection
	login(page, live_server, "office@whistle.localhost", demo.DEMO_PASSWORD)
	page.wait_for_selector(".navbar", timeout=30_000)
	page.wait_for_load_state("networkidle")
	body = page.inner_text("body")
	navbar = page.inner_text(".navbar")
	page.screenshot(path=str(artifacts_dir / "desk-office.png"), full_page=True)
	assert "帮助" in navbar, navbar  # "Help" menu in Chinese
	boot_lang = page.evaluate("() => frappe.boot.lang")
	assert boot_lang == "zh"
	assert frappe.session.user == "Administrator"  # the test's own connection is untouched
	assert any("\u4e00" <= ch <= "\u9fff" for ch in body), "no Chinese text on the desk"
