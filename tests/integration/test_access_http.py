"""Access over real HTTP (REST, frappe.client, link search) against the running test server."""

import pytest

from tests.http import Client
from whistle_app.dev import demo

PASSWORD = demo.DEMO_PASSWORD


@pytest.fixture(scope="module")
def clients(live_server):
	demo.setup()  # commits the demo users the server logs in as
	return {
		name: Client(live_server, f"{name}@whistle.localhost", PASSWORD)
		for name in ("office", "park1", "park2", "fgw", "leader")
	}


def test_park_reads_reporting_units_and_its_own_only(clients):
	park = clients["park1"]
	names = park.resource_names("Whistle Unit")
	assert "示例园区一" in names and "发展和改革委" in names
	assert "示例园区二" not in names and "区吹哨办" not in names
	assert park.get_doc("Whistle Unit", "示例园区二").status_code == 403
	assert park.get("/api/resource/Whistle Unit/示例园区二").status_code == 403
	assert park.get_doc("Whistle Unit", "发展和改革委").status_code == 200
	assert park.search_link("Whistle Unit", "示例") == {"示例园区一"}


def test_park_edits_no_unit(clients):
	r = clients["park1"].put("/api/resource/Whistle Unit/示例园区一", {"principal_leader_phone": "1"})
	assert r.status_code == 403


def test_department_edits_own_contacts_not_class_nor_other_units(clients):
	fgw = clients["fgw"]
	r = fgw.put("/api/resource/Whistle Unit/发展和改革委", {"principal_leader_phone": "0523-80000009"})
	assert r.status_code == 200, r.text
	assert r.json()["data"]["principal_leader_phone"] == "0523-80000009"
	r = fgw.put("/api/resource/Whistle Unit/发展和改革委", {"assessment_class": "C"})
	assert r.status_code == 200 and r.json()["data"]["assessment_class"] == "A", "class is not theirs to set"
	r = fgw.put("/api/resource/Whistle Unit/教育局", {"principal_leader_phone": "1"})
	assert r.status_code == 403
	assert fgw.get_doc("Whistle Unit", "区吹哨办").status_code == 403


def test_office_and_leaders_read_everything(clients):
	for who in ("office", "leader"):
		names = clients[who].resource_names("Whistle Unit")
		assert {"示例园区一", "示例园区二", "区吹哨办", "发展和改革委"} <= names
	assert (
		clients["leader"].put("/api/resource/Whistle Unit/示例园区一", {"short_name": "x"}).status_code == 403
	)


def test_list_rest_and_document_checks_agree(clients):
	for who in ("park1", "park2", "fgw"):
		client = clients[who]
		listed = client.resource_names("Whistle Unit")
		office_view = clients["office"].resource_names("Whistle Unit")
		for name in office_view:
			status = client.get_doc("Whistle Unit", name).status_code
			assert (status == 200) == (name in listed), (who, name, status)


@pytest.fixture(scope="module")
def dispatched_slip(clients):
	"""A demo whistle of 示例园区一 dispatched to 住房和城乡建设局 (committed by the demo data)."""
	import frappe

	name = frappe.db.get_value("Whistle Slip", {"title": "示例：消防验收排期过长（报到逾期）"})
	assert name, "demo whistles are loaded"
	return name


def test_slips_over_rest_follow_the_unit(clients, dispatched_slip):
	park1, park2, fgw = clients["park1"], clients["park2"], clients["fgw"]
	assert park1.get(f"/api/resource/Whistle Slip/{dispatched_slip}").status_code == 200
	assert park2.get(f"/api/resource/Whistle Slip/{dispatched_slip}").status_code == 403
	assert park2.get_doc("Whistle Slip", dispatched_slip).status_code == 403
	assert dispatched_slip not in park2.resource_names("Whistle Slip")
	assert fgw.get(f"/api/resource/Whistle Slip/{dispatched_slip}").status_code == 403  # not on the slip
	assert dispatched_slip in clients["office"].resource_names("Whistle Slip")
	# a park cannot move another park's whistle into its own scope by editing it
	r = park2.put(
		f"/api/resource/Whistle Slip/{dispatched_slip}", {"title": "改写", "whistle_unit": "示例园区二"}
	)
	assert r.status_code == 403


def test_department_lists_exactly_the_slips_its_unit_is_on(clients):
	import frappe

	listed = clients["fgw"].resource_names("Whistle Slip")
	expected = set(
		frappe.get_all(
			"Whistle Slip Department", filters={"department": "发展和改革委"}, pluck="parent", distinct=True
		)
	)
	assert listed == expected
	search = clients["fgw"].search_link("Whistle Slip")
	assert search <= expected


def test_report_view_follows_the_unit(clients, dispatched_slip):
	"""The desk's report view and exports go through the same list query."""
	for who, sees in (("park1", True), ("park2", False), ("office", True)):
		r = clients[who].post(
			"/api/method/frappe.desk.reportview.get",
			{"doctype": "Whistle Slip", "fields": '["`tabWhistle Slip`.`name`"]', "page_length": 1000},
		)
		assert r.status_code == 200, r.text
		values = r.json()["message"].get("values", []) if r.json().get("message") else []
		names = {row[0] for row in values}
		assert (dispatched_slip in names) == sees, who
