"""XSS payloads in the desk (issue #11): the slip form, its list, report view and a demand, opened in
headless Chromium by the users who see them. No alert fires and no element a payload would inject
exists; the payload text is shown as text."""

from tests.adversarial import XSS_PAYLOADS, committed_payload_documents
from tests.browser.conftest import login, open_view
from whistle_app.dev import demo

SELECTOR = (
	"#wlxss, img[onerror], svg[onload], iframe[src^='javascript'], a[href^='javascript'],"
	" details[ontoggle], input[onfocus], link[href*='example.invalid'], meta[http-equiv='refresh']"
)


def test_desk_renders_payloads_as_text(live_server, page, artifacts_dir):
	with committed_payload_documents() as docs:
		alerts: list[str] = []
		page.on("dialog", lambda dialog: (alerts.append(dialog.message), dialog.dismiss()))
		login(page, live_server, "park1@whistle.localhost", demo.DEMO_PASSWORD)
		views = [
			f"/app/whistle-slip/{docs['slip']}",
			f"/app/whistle-slip/{docs['titles'][1]}",
			"/app/whistle-slip?workflow_state=%E8%8D%89%E7%A8%BF",
			"/app/whistle-slip/view/report",
			f"/app/enterprise-demand/{docs['demand']}",
			"/app/enterprise-demand",
		]
		for path in views:
			open_view(page, f"{live_server}{path}")
			assert page.locator(SELECTOR).count() == 0, path
			assert not alerts, (path, alerts)
		open_view(page, f"{live_server}/app/whistle-slip/{docs['slip']}")
		assert "wlxss" in page.inner_text("body")  # shown, as text
		page.screenshot(path=str(artifacts_dir / "desk-xss-slip.png"), full_page=True)
		# the department that reports on the whistle sees its progress entries inert too
		page.context.clear_cookies()
		login(page, live_server, "fgw@whistle.localhost", demo.DEMO_PASSWORD)
		open_view(page, f"{live_server}/app/whistle-slip/{docs['slip']}")
		assert page.locator(SELECTOR).count() == 0
		assert not alerts, alerts
		print(
			f"\ndesk: {len(XSS_PAYLOADS)} payloads in {len(views) + 1} views; no alert, no injected element"
		)
