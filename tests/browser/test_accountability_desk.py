"""The Efficiency Office opens an accountability case from a confirmed Snail Award in one click (RULES
§13): the new case carries the award as its evidence and the unit; saved, it names the unit's chain."""

import frappe

from tests.browser.conftest import login, open_view, wait_db
from tests.factory import ensure_demo
from tests.integration.cleanup import purge_all
from whistle_app.dev import demo

EFFICIENCY = "efficiency@whistle.localhost"
UNIT = "发展和改革委"


def confirmed_award() -> str:
	"""A confirmed Snail Award of the unit, written as the evaluation writes it."""
	doc = frappe.get_doc(
		{
			"doctype": "Snail Award",
			"whistle_unit": UNIT,
			"assessment_class": "A",
			"year": 2096,
			"quarter": "2",
			"status": "Awarded",
			"proposed_on": "2096-07-01 09:00:00",
			"decided_by": EFFICIENCY,
			"decided_on": "2096-07-02 09:00:00",
		}
	)
	doc.flags.evaluation_write = True
	return doc.insert(ignore_permissions=True).name


def test_efficiency_office_opens_a_case_from_a_snail_award(live_server, page):
	ensure_demo()
	frappe.set_user("Administrator")
	award = confirmed_award()
	frappe.db.commit()  # the web server reads its own connection
	try:
		login(page, live_server, EFFICIENCY, demo.DEMO_PASSWORD)
		open_view(page, f"{live_server}/app/snail-award/{award}", ".page-container:visible .form-layout")
		button = page.locator(".page-container:visible .page-actions button:has-text('登记问责线索')").first
		button.wait_for(timeout=30_000)
		button.click()
		page.wait_for_url("**/app/accountability-case/new**", timeout=30_000)
		form = page.locator(".page-container:visible .form-layout")
		form.locator('[data-fieldname="evidence"] input').first.wait_for(timeout=30_000)
		assert form.locator('[data-fieldname="evidence"] input').first.input_value() == award
		assert form.locator('[data-fieldname="whistle_unit"] input').first.input_value() == UNIT
		form.locator('[data-fieldname="kind"] select').select_option("Slow Action")
		form.locator('[data-fieldname="facts"] textarea').fill("连续两个季度末位，整改不力")
		page.keyboard.press("Control+s")

		def saved() -> bool:
			return bool(frappe.db.get_value("Accountability Case", {"evidence": award}))

		wait_db(saved)
		case = frappe.get_doc(
			"Accountability Case", frappe.db.get_value("Accountability Case", {"evidence": award})
		)
		assert (case.evidence_type, case.whistle_unit, case.workflow_state) == ("Snail Award", UNIT, "登记")
		assert case.registered_by == EFFICIENCY
		assert [p.person_name for p in case.people][:1] == ["王示例"]
	finally:
		frappe.db.rollback()
		extra = frappe.get_all("Accountability Case", filters={"evidence": award}, pluck="name")
		purge_all([("Snail Award", award)] + [("Accountability Case", n) for n in extra])
