"""The enterprise survey page and its vote over real HTTP (RULES §7, §10)."""

import frappe
import pytest
import requests

from tests.http import Client, server_message
from whistle_app.dev import demo
from whistle_app.rules import survey as sv

PASSWORD = demo.DEMO_PASSWORD


@pytest.fixture(scope="module")
def current_survey(live_server):
	"""The demo's open survey of this quarter, with the demo enterprise's votes removed (committed)."""
	demo.setup()
	# the demo's open survey (of the quarter the demo was loaded in: no quarter boundary race)
	name = frappe.get_all(
		"Satisfaction Survey",
		filters={"status": sv.OPEN, "open_to_all_enterprises": 1},
		order_by="name desc",
		pluck="name",
		limit=1,
	)[0]
	enterprise = frappe.db.get_value("Enterprise", {"user": demo.DEMO_ENTERPRISE_USER})
	frappe.db.delete("Satisfaction Vote", {"survey": name, "enterprise": enterprise})
	frappe.db.commit()
	return name


def test_guest_is_sent_to_login(live_server, current_survey):
	r = requests.get(f"{live_server}/satisfaction", allow_redirects=False, timeout=30)
	assert r.status_code in (301, 302)
	assert "/login" in r.headers["Location"]


def test_enterprise_votes_once_on_the_page(live_server, current_survey):
	client = Client(live_server, demo.DEMO_ENTERPRISE_USER, PASSWORD)
	page = client.get("/satisfaction")
	assert page.status_code == 200
	assert "企业满意度测评" in page.text
	assert "公安分局" in page.text  # the demo survey is open to all enterprises

	first = client.post(
		"/api/method/whistle_app.surveys.cast_vote",
		{"survey": current_survey, "unit": "公安分局", "level": "Satisfied"},
	)
	assert first.status_code == 200, first.text
	again = client.post(
		"/api/method/whistle_app.surveys.cast_vote",
		{"survey": current_survey, "unit": "公安分局", "level": "Dissatisfied"},
	)
	assert again.status_code == 417
	assert "已评价过" in server_message(again)
	assert "您的评价" in client.get("/satisfaction").text

	frappe.db.rollback()  # see the server's commits
	levels = frappe.get_all(
		"Satisfaction Vote", filters={"survey": current_survey, "whistle_unit": "公安分局"}, pluck="level"
	)
	assert levels.count("Satisfied") >= 1 and "Dissatisfied" not in levels


def test_units_cannot_vote_or_read_votes(live_server, current_survey):
	park = Client(live_server, "park1@whistle.localhost", PASSWORD)
	r = park.post(
		"/api/method/whistle_app.surveys.cast_vote",
		{"survey": current_survey, "unit": "公安分局", "level": "Satisfied"},
	)
	assert r.status_code == 403
	fgw = Client(live_server, "fgw@whistle.localhost", PASSWORD)
	listed = fgw.get("/api/resource/Satisfaction Vote", limit_page_length=0)
	assert listed.status_code == 403  # departments have no permission on individual votes
	office = Client(live_server, "office@whistle.localhost", PASSWORD)
	assert office.resource_names("Satisfaction Vote")
