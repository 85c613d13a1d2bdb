"""The District Leader follows the coordination meeting's decisions (RULES §12): the report 议定事项跟踪
lists the open decisions of the demo meeting, the overdue one first, in Chinese."""

import frappe
from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.factory import ensure_demo
from whistle_app.dev import demo, demo_coordination
from whistle_app.rules import coordination as co

LEADER = "leader@whistle.localhost"


def test_district_leader_sees_open_decisions_overdue_first(live_server, page):
	ensure_demo()
	frappe.set_user("Administrator")
	demo_coordination.ensure_demo_coordination()  # where an earlier test removed the demo whistles
	frappe.db.commit()
	overdue = frappe.get_all(
		co.DECISION, filters={"workflow_state": co.OPEN, "overdue": 1}, pluck="name", order_by="due_on asc"
	)
	assert overdue, "the demo has an overdue decision"

	login(page, live_server, LEADER, demo.DEMO_PASSWORD)
	page.goto(f"{live_server}/app/query-report/Coordination Decisions")
	page.wait_for_selector(".dt-scrollable .dt-row", timeout=30_000)
	expect(page.locator(".page-title")).to_contain_text("议定事项跟踪")
	expect(page.locator(".dt-header")).to_contain_text("办理时限")
	first_row = page.locator(".dt-scrollable .dt-row").first
	expect(first_row).to_contain_text(overdue[0], timeout=30_000)
