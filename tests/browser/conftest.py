"""Browser tests: a real web server for the test site and Debian's Chromium driven by Playwright."""

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Where the screenshot tests save their pictures: the git-ignored test-artifacts/ on a test run, so a
# run leaves the work tree clean; `make screenshots` points it at the documentation's image folder.
SCREENSHOTS = Path(
	os.environ.get("WHISTLE_SCREENSHOTS")
	or Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
)


@pytest.fixture(scope="session")
def browser():
	from playwright.sync_api import sync_playwright

	with sync_playwright() as p:
		b = p.chromium.launch(
			executable_path=CHROMIUM,
			headless=True,
			args=[
				"--no-sandbox",
				"--disable-gpu",
				"--disable-quic",
				"--no-first-run",
				"--disable-background-networking",
				"--disable-component-update",
				"--disable-sync",
			],
		)
		yield b
		b.close()


@pytest.fixture
def page(browser):
	context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
	pg = context.new_page()
	yield pg
	context.close()


PHONE = {"width": 390, "height": 844}


def phone_page(browser):
	"""A phone (390×844, touch, zh-CN): (context, page); the caller closes the context."""
	context = browser.new_context(
		viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="zh-CN"
	)
	return context, context.new_page()


def assert_fits_phone(page) -> None:
	inner, doc, body = page.evaluate(
		"() => [window.innerWidth, document.documentElement.scrollWidth, document.body.scrollWidth]"
	)
	assert max(doc, body) <= inner, f"horizontal scrolling on a phone: {doc}/{body} > {inner}"


def laid_out_lefts(page, selector: str, timeout: int = 30_000) -> set[int]:
	"""The left edges of every ``selector`` element once all of them are laid out, read in one go in
	the page: a view that re-renders (a realtime refresh) between two calls from the test would
	leave a detached element behind, so boxes are never read one by one."""
	return set(
		page.wait_for_function(
			"(sel) => { const c = [...document.querySelectorAll(sel)];"
			" if (!c.length || !c.every((e) => e.getClientRects().length > 0)) return null;"
			" return c.map((e) => Math.round(e.getBoundingClientRect().left)); }",
			arg=selector,
			timeout=timeout,
		).json_value()
	)


def open_view(page, url: str, ready: str = ".page-container:visible .layout-main-section") -> None:
	"""Open a desk view and wait until it has rendered (``ready`` is visible and the network idle)."""
	page.goto(url)
	page.wait_for_selector(ready, state="visible", timeout=30_000)
	page.wait_for_load_state("networkidle")


def wait_db(check, timeout: float = 30.0, page=None) -> None:
	"""Wait until ``check()`` holds in the database (each try reads the latest committed rows): the
	web server commits in its own process, after the browser saw its answer. Given the ``page``, a
	failure says what its open dialogs show (an error the server answered with) and keeps a picture."""
	import time

	import frappe

	end = time.monotonic() + timeout
	while True:
		frappe.db.rollback()
		if check():
			return
		if time.monotonic() > end:
			shown = ""
			if page is not None:
				shown = " | ".join(page.locator(".modal.show").all_inner_texts()) or "no dialog open"
				SCREENSHOTS.mkdir(parents=True, exist_ok=True)
				page.screenshot(path=str(SCREENSHOTS / "wait-db-failure.png"), full_page=True)
			raise AssertionError(
				f"the database did not reach the expected state within {timeout} s; the page shows: {shown}"
			)
		time.sleep(0.2)


def login(page, base_url: str, user: str, password: str, landing: str = "**/app**") -> None:
	page.goto(f"{base_url}/login")
	page.fill("#login_email", user)
	page.fill("#login_password", password)
	page.click(".btn-login")
	page.wait_for_url(landing, timeout=30_000)
	page.wait_for_load_state("networkidle")


def dismiss_modal(page, attempts: int = 10) -> None:
	"""Close the visible dialog. Bootstrap ignores Escape and the close button while the dialog is
	still fading in, so press again until it is gone instead of pressing once and hoping."""
	dialog = page.locator(".modal:visible").first
	for _ in range(attempts):
		if not dialog.count():
			return
		page.keyboard.press("Escape")
		try:
			dialog.wait_for(state="hidden", timeout=1_500)
			return
		except PlaywrightTimeout:  # still visible: press again
			continue
	raise AssertionError("the dialog did not close")
