"""The office returns a whistle from the desk: the reason prompt, the action, the history."""

import uuid

import frappe

from tests.browser.conftest import login, wait_db
from tests.factory import act_as, ensure_demo, make_slip
from tests.integration.cleanup import purge_all
from whistle_app.dev import demo


def test_office_returns_whistle_with_reason_in_desk(live_server, page, artifacts_dir):
	ensure_demo()
	slip = make_slip("park1@whistle.localhost", title=f"桌面退回测试 {uuid.uuid4().hex[:6]}")
	act_as("park1@whistle.localhost", slip.name, "提交吹哨")
	frappe.db.commit()  # the web server reads its own connection

	try:
		login(page, live_server, "office@whistle.localhost", demo.DEMO_PASSWORD)
		page.goto(f"{live_server}/app/whistle-slip/{slip.name}")
		page.wait_for_selector(".page-actions .actions-btn-group", timeout=30_000)
		page.click(".page-actions .actions-btn-group > button")
		page.click(".page-actions .dropdown-menu a:has-text('退回补充')")
		page.wait_for_selector(".modal.show textarea", timeout=10_000)
		page.fill(".modal.show textarea", "请补充企业联系方式")
		page.screenshot(path=str(artifacts_dir / "desk-return-reason.png"))
		page.click(".modal.show .btn-primary")
		wait_db(lambda: frappe.db.get_value("Whistle Slip", slip.name, "workflow_state") == "退回补充")
		doc = frappe.get_doc("Whistle Slip", slip.name)
		assert doc.workflow_state == "退回补充"
		assert doc.state_log[-1].reason == "请补充企业联系方式"
		assert doc.state_log[-1].changed_by == "office@whistle.localhost"
		page.screenshot(path=str(artifacts_dir / "desk-slip-returned.png"), full_page=True)
	finally:
		purge_all([("Whistle Slip", slip.name)])  # committed for the server; goes again
