"""Urging over real HTTP (plan 二.2; issue #16): the park's phone page asks whether it may urge, urges
once (POST only), and is refused the second time the same day; another park and a department are
refused. The server's clock is the real one, so the whistle is committed and removed afterwards."""

import frappe
import pytest

from tests.factory import dispatched_slip, ensure_demo
from tests.http import Client, server_message
from tests.integration.cleanup import purge_all
from whistle_app.dev import demo

PASSWORD = demo.DEMO_PASSWORD
URGE = "/api/method/whistle_app.urging.urge"
STATUS = "/api/method/whistle_app.urging.urge_status"


@pytest.fixture(scope="module")
def urge_slip(live_server):
	"""park1's whistle dispatched to 发展和改革委 now, committed so the server sees it."""
	ensure_demo()
	frappe.set_user("Administrator")
	name = dispatched_slip([("发展和改革委", "Sole")], title="催办测试事项")
	frappe.db.commit()
	try:
		yield live_server, name
	finally:
		purge_all([("Whistle Slip", name)])


def urges(name: str) -> tuple[int, int]:
	"""(history rows of action 催办, urge events) as committed."""
	frappe.db.rollback()
	rows = frappe.db.count("Whistle Slip State Log", {"parent": name, "action": "催办"})
	events = frappe.db.count("Whistle Clock Event", {"slip": name, "event_key": ("like", "urge:%")})
	return rows, events


def test_the_park_urges_once_a_day_over_http(urge_slip):
	base_url, name = urge_slip
	park = Client(base_url, "park1@whistle.localhost", PASSWORD)
	status = park.get(STATUS, slip=name)
	assert status.status_code == 200, status.text
	assert status.json()["message"]["can_urge"] is True
	assert status.json()["message"]["messages"]["Urge"] == "催办"

	assert park.get(URGE, slip=name, message="请加快办理").status_code != 200, "POST only"
	assert urges(name) == (0, 0)

	r = park.post(URGE, {"slip": name, "message": "请加快办理"})
	assert r.status_code == 200, r.text
	assert r.json()["message"]["departments"] == ["发展和改革委"]
	assert urges(name) == (1, 1)
	assert park.get(STATUS, slip=name).json()["message"]["can_urge"] is False

	again = park.post(URGE, {"slip": name, "message": "再次催办"})
	assert again.status_code == 417, again.text
	assert "每个工作日只能催办一次" in server_message(again)

	other_park = Client(base_url, "park2@whistle.localhost", PASSWORD)
	assert other_park.post(URGE, {"slip": name, "message": "越权"}).status_code == 403
	assert other_park.get(STATUS, slip=name).status_code == 403

	department = Client(base_url, "fgw@whistle.localhost", PASSWORD)
	refused = department.post(URGE, {"slip": name, "message": "越权"})
	assert refused.status_code == 417, refused.text
	assert "只有吹哨的园区" in server_message(refused)
	assert department.get(STATUS, slip=name).json()["message"]["can_urge"] is False

	assert urges(name) == (1, 1), "refused calls wrote nothing"
