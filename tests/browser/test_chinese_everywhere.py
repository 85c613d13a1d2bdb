"""Chinese everywhere (issue #20, deliverable 3): each demo role signs in and opens every page of its
daily work, at 1440×900 and on a 390×844 phone, and no page shows a Latin-alphabet word outside a
short allowlist (``tests/browser/chinese.py``: document numbers, the demo users' e-mail addresses,
attachments' file names, PDF, the Ctrl key).

Desk users open their home workspace (and the top bar's menus), the Whistle Slip list, one slip's
form, the live board and the ranking reports their role may read; web users (parks, departments) open
/whistle-home (and its user menu), the phone list and form of their work, one slip's phone page and
/ratings. What counts is what a person sees: the text of every shown element (not hidden, not
transparent, not for screen readers only) plus the placeholder and title of the visible controls,
read once each page has rendered and the network is idle. On the phone nothing is cut off (no
sideways scrolling), and a slip's phone page has its bar of one-button steps and no 编辑 → 保存
detour (the department's web form is not editable; a park edits only its drafts and returned whistles)."""

import frappe
import pytest

from tests.browser.chinese import latin_words, visible_text
from tests.browser.conftest import SCREENSHOTS, assert_fits_phone, login, open_view, phone_page
from tests.factory import ensure_demo
from whistle_app.dev import demo
from whistle_app.rules import lifecycle as lc

DESKTOP = {"width": 1440, "height": 900}
SLIP_LIST = "/app/whistle-slip"
BOARD = "/app/whistle-board"
REPORT = "/app/query-report/{}"
WEB_HOME = "/whistle-home"

# role → (user, home workspace, reports, web pages)
ROLES = {
	"park": (
		"park1@whistle.localhost",
		"/app/park-desk",
		("Park Whistle Statistics",),
		True,
	),
	"department": (
		"fgw@whistle.localhost",
		"/app/department-desk",
		("Quarterly Ranking", "Annual Ranking"),
		True,
	),
	"office": (
		"office@whistle.localhost",
		"/app/whistle-office-desk",
		("Quarterly Ranking", "Annual Ranking"),
		False,
	),
	"leader": (
		"leader@whistle.localhost",
		"/app/whistle",
		("Quarterly Ranking", "Annual Ranking", "Annual Consequences"),
		False,
	),
}


# the shown texts that end in "…" because they do not fit (the desk's lists shorten titles by design;
# the phone pages show them whole)
TRUNCATED = """() => [...document.querySelectorAll("body *")]
	.filter((el) => el.getClientRects().length && getComputedStyle(el).textOverflow === "ellipsis"
		&& el.scrollWidth > el.clientWidth + 1)
	.map((el) => el.innerText.slice(0, 40))"""

# the pages whose top bar's menus are opened too: each role's desk home and the web home
HOMES = {home for _user, home, _reports, _web in ROLES.values()} | {WEB_HOME}


def a_slip(user: str, states: tuple[str, ...] = ()) -> str:
	"""A demo slip the user may read: one in the first of ``states`` that has one, else the latest."""
	frappe.set_user(user)
	try:
		for filters in [{"workflow_state": state} for state in states] + [{}]:
			names = frappe.get_list(
				"Whistle Slip", filters=filters, pluck="name", order_by="modified desc", limit_page_length=1
			)
			if names:
				return names[0]
	finally:
		frappe.set_user("Administrator")
	raise AssertionError(f"no demo slip for {user}")


def desk_pages(role: str) -> list[tuple[str, str]]:
	user, home, reports, _web = ROLES[role]
	slip = a_slip(user)
	pages = [
		(home, ".page-container:visible .layout-main-section"),
		(SLIP_LIST, ".page-container:visible .frappe-list .result"),
		(f"/app/whistle-slip/{slip}", ".page-container:visible .form-layout"),
		(BOARD, ".page-container:visible .layout-main-section"),
	]
	pages += [(REPORT.format(r), ".page-container:visible .page-form") for r in reports]
	return pages


def web_pages(role: str) -> list[tuple[str, str]]:
	user = ROLES[role][0]
	pages = [(WEB_HOME, ".whistle-home")]
	if role == "park":
		slip = a_slip(user, (lc.HANDLING, lc.COMPLETED, lc.DISPATCHED))
		pages += [
			("/whistle/list", ".web-list-table, .no-result"),
			("/whistle/new", '[data-fieldname="title"] input'),
			(f"/whistle/{slip}", ".whistle-facts"),
			("/ratings", ".page-content-wrapper, main"),
		]
	else:
		slip = a_slip(user, (lc.HANDLING, lc.DISPATCHED, lc.REPORTED))
		pages += [
			("/whistle-report/list", ".web-list-table, .no-result"),
			(f"/whistle-report/{slip}", ".whistle-facts"),
			("/ratings", ".page-content-wrapper, main"),
		]
	return pages


def walk(page, base: str, pages, tag: str) -> dict[str, list[str]]:
	"""Open each page and read what it shows; a page with Latin words leaves its picture behind."""
	found = {}
	for url, ready in pages:
		open_view(page, base + url, ready)
		text = visible_text(page)
		if url in HOMES:  # the menus of the bar at the top, once per kind of page
			text += "\n" + menus_text(page)
		words = latin_words(text)
		if words:
			found[f"{tag} {url}"] = sorted(words)
			SCREENSHOTS.mkdir(parents=True, exist_ok=True)
			shot = url.strip("/").replace("/", "_").replace(" ", "-")
			page.screenshot(path=str(SCREENSHOTS / f"latin-{tag}-{shot}.png"), full_page=True)
		if tag.endswith("phone") and not url.startswith("/app/query-report"):
			assert_fits_phone(page)  # nothing cut off on the phone (the reports' tables scroll inside)
		if tag.endswith("phone") and not url.startswith("/app/"):
			cut = page.evaluate(TRUNCATED)
			assert not cut, f"{url} on a phone ends these texts in …: {cut}"
		if ready == ".whistle-facts":  # a slip's phone page
			slip_page_is_read_not_edited(page)
	return found


def menus_text(page) -> str:
	"""What the navigation bar's menus show once opened, one after the other: on the desk the
	notifications, help and user menus, on a web page the user's menu (behind the phone's toggler)."""
	texts = []
	# the notifications' own lines are records that other tests wrote, some from this process (whose
	# language is English) through paths a person never takes: the menu around them is read here,
	# what each kind of notification says is Chinese where it is written (language.stored_text)
	page.add_style_tag(content=".notification-item { display: none !important; }")
	toggler = page.locator(".navbar-toggler:visible")
	if toggler.count():
		toggler.click()
	toggles = page.locator(".navbar .dropdown > [data-toggle='dropdown']")
	for i in range(toggles.count()):
		toggle = toggles.nth(i)
		if not toggle.is_visible():
			continue
		toggle.click()
		menu = page.locator(".navbar .dropdown.show .dropdown-menu")
		menu.wait_for(timeout=10_000)
		texts.append(visible_text(page))
		toggle.click()  # closed again
		page.locator(".navbar .dropdown.show").wait_for(state="detached", timeout=10_000)
	return "\n".join(texts)


def slip_page_is_read_not_edited(page) -> None:
	"""The department acts on its slip from the one-button steps only (its web form is not editable),
	and a park's whistle out of its hands is read only: no 编辑 → 保存 detour on either."""
	page.wait_for_selector(".whistle-actions", timeout=30_000)
	assert not page.locator(".edit-button").count(), f"{page.url} offers 编辑"
	assert not page.locator(".web-form-footer .submit-btn:visible").count(), f"{page.url} offers 保存"


def viewports(browser):
	yield "desktop", browser.new_context(viewport=DESKTOP, locale="zh-CN")
	yield "phone", phone_page(browser)[0]


@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_of_the_role_is_chinese(live_server, browser, role):
	ensure_demo()
	user, _home, _reports, web = ROLES[role]
	pages = desk_pages(role) + (web_pages(role) if web else [])
	found = {}
	for tag, context in viewports(browser):
		try:
			page = context.pages[0] if context.pages else context.new_page()
			login(page, live_server, user, demo.DEMO_PASSWORD, landing=lambda url: "/login" not in url)
			found.update(walk(page, live_server, pages, f"{role}-{tag}"))
		finally:
			context.close()
	assert not found, "Latin words on the pages:\n" + "\n".join(f"{k}: {v}" for k, v in found.items())
