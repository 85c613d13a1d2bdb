"""The 催办 buttons (plan 二.2; issue #16): the park urges its open whistle from its phone page and from
the desk form; once urged, the button is gone for the day."""

import frappe

from tests.browser.conftest import login, open_view, phone_page, wait_db
from tests.factory import dispatched_slip, ensure_demo
from tests.integration.cleanup import purge_all
from whistle_app.dev import demo

PARK = "park1@whistle.localhost"


def urge_count(name: str) -> int:
	return frappe.db.count("Whistle Slip State Log", {"parent": name, "action": "催办"})


def send_urge(page, message: str) -> None:
	"""Fill the prompt the 催办 button opens and confirm it."""
	dialog = page.locator(".modal:visible").first
	dialog.locator('[data-fieldname="message"] textarea').fill(message)
	dialog.locator(".btn-primary").click()


def test_the_park_urges_from_its_phone_and_the_desk(live_server, browser):
	ensure_demo()
	frappe.set_user("Administrator")
	phone_slip = dispatched_slip([("发展和改革委", "Sole")], title="手机催办测试")
	desk_slip = dispatched_slip([("发展和改革委", "Sole")], title="桌面催办测试")
	frappe.db.commit()
	context, page = phone_page(browser)
	try:
		login(page, live_server, PARK, demo.DEMO_PASSWORD, landing="**")
		page.goto(f"{live_server}/whistle/{phone_slip}")
		page.wait_for_selector(".whistle-actions .whistle-urge", timeout=30_000)
		assert page.inner_text(".whistle-actions .whistle-urge").strip() == "催办"
		page.click(".whistle-actions .whistle-urge")
		send_urge(page, "请尽快现场办理")
		wait_db(lambda: urge_count(phone_slip) == 1)
		page.wait_for_selector(".whistle-urge", state="detached", timeout=30_000)
		page.reload()
		page.wait_for_selector(".whistle-actions", state="attached", timeout=30_000)
		page.wait_for_load_state("networkidle")
		assert not page.locator(".whistle-urge").count(), "urged today: no button"
		context.close()

		context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
		page = context.new_page()
		login(page, live_server, PARK, demo.DEMO_PASSWORD, landing="**")
		open_view(page, f"{live_server}/app/whistle-slip/{desk_slip}", ".page-container:visible .form-layout")
		button = page.locator(".page-container:visible .page-actions button:has-text('催办')").first
		button.wait_for(timeout=30_000)
		button.click()
		send_urge(page, "请加快办理")
		wait_db(lambda: urge_count(desk_slip) == 1)
		# reloaded: marked as urged today, and the button is gone
		page.locator(
			".page-container:visible .form-dashboard .indicator-column:has-text('今日已催办')"
		).first.wait_for(timeout=30_000)
		assert not page.locator(
			".page-container:visible .page-actions button:visible:has-text('催办')"
		).count()
	finally:
		context.close()
		frappe.db.rollback()
		purge_all([("Whistle Slip", phone_slip), ("Whistle Slip", desk_slip)])
