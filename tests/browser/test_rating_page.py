"""A park agent rates a department on a phone (/ratings, 待我评价; issue #6, RULES §5): the list of its
unit's open drafts, the form with the slip's facts and a live total, the server's refusal of a low
total without a comment, the submission, and the draft leaving the list; no horizontal scrolling."""

import re

import frappe
from frappe.tests.utils import FrappeTestCase
from playwright.sync_api import expect

from tests.browser.conftest import assert_fits_phone, dismiss_modal, login, phone_page
from tests.factory import completed_slip, ensure_demo
from tests.integration.cleanup import purge_all
from whistle_app.dev import demo


def rating_state(name: str) -> tuple:
	frappe.db.rollback()  # see the web server's commits
	return tuple(frappe.db.get_value("Whistle Rating", name, ["docstatus", "total"]))


def test_park_rates_on_a_phone_and_the_draft_leaves_the_list(live_server, browser, artifacts_dir):
	ensure_demo()
	# June 2026: a month no other test counts whistles of (the bulletin tests count March 2026)
	slip = completed_slip(FrappeTestCase().freeze_time, "2026-06-01", [("发展和改革委", "Sole")])
	frappe.db.commit()  # the web server reads from its own connection
	draft = frappe.db.get_value("Whistle Rating", {"slip": slip, "docstatus": 0}, "name")
	assert draft, "completing the slip made the park's draft"

	context, page = phone_page(browser)
	try:
		login(page, live_server, "park1@whistle.localhost", demo.DEMO_PASSWORD, landing="**")
		page.goto(f"{live_server}/ratings")
		card = page.locator(f'.whistle-pending[data-rating="{draft}"]')
		card.wait_for(timeout=30_000)
		assert "待我评价" in page.inner_text("h1")
		assert "发展和改革委" in card.inner_text() and slip in card.inner_text()
		assert_fits_phone(page)
		page.screenshot(path=str(artifacts_dir / "rating-list-phone.png"), full_page=True)

		card.locator(".whistle-rate").click()
		page.wait_for_selector(".whistle-rating-form", timeout=30_000)
		facts = page.inner_text(".whistle-slip-facts")
		for expected in ("报到时限", "办结时限", "按时", "发展和改革委", "单一部门", "办结时间"):
			assert expected in facts, expected
		assert "园区/镇街满意度评价表" in page.inner_text("h1")
		inputs = page.locator(".whistle-score")
		assert inputs.count() == 4
		assert_fits_phone(page)

		# a low total without a comment: the live total, the hint, and the server refuses
		for i, value in enumerate(["10", "10", "10", "10"]):
			inputs.nth(i).fill(value)
		expect(page.locator(".whistle-total")).to_have_text("40")
		expect(page.locator(".whistle-comment-hint")).to_have_class(re.compile("whistle-comment-required"))
		page.click(".whistle-submit")
		page.locator(".modal:visible").filter(has_text="评价意见").first.wait_for(timeout=30_000)
		assert rating_state(draft) == (0, 0)
		page.screenshot(path=str(artifacts_dir / "rating-form-refused-phone.png"), full_page=True)
		dismiss_modal(page)

		# a full rating is submitted and leaves the list
		for i, value in enumerate(["20", "18", "28", "26"]):
			inputs.nth(i).fill(value)
		expect(page.locator(".whistle-total")).to_have_text("92")
		page.screenshot(path=str(artifacts_dir / "rating-form-phone.png"), full_page=True)
		with page.expect_navigation(url=f"{live_server}/ratings", timeout=30_000):
			page.click(".whistle-submit")
		page.wait_for_selector(".whistle-pending, .whistle-none", timeout=30_000)
		assert page.locator(f'.whistle-pending[data-rating="{draft}"]').count() == 0
		assert_fits_phone(page)
		assert rating_state(draft) == (1, 92)
	finally:
		context.close()
		purge_all([("Whistle Slip", slip)])  # the committed whistle and its ratings go again
