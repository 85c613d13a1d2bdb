"""Who reads a rating and its comment over real HTTP (RULES §10, issue #6): the document over REST and
frappe.client, the desk's form load (with its history), list, report view, export, print, and the
comment records themselves; with the office's "hide rating comments from the rated department" on
and off."""

import json
import uuid

import frappe
import pytest
from frappe.tests.utils import FrappeTestCase

from tests.factory import completed_slip, make_rating
from tests.http import Client
from tests.integration.cleanup import purge_all
from whistle_app.dev import demo
from whistle_app.rules.scoring import LEAD_TEMPLATE

PASSWORD = demo.DEMO_PASSWORD
FGW_D, ZJJ_D = "发展和改革委", "住房和城乡建设局"
PRINT_FORMAT = "满意度评价表"


@pytest.fixture(scope="module")
def clients(live_server):
	demo.setup()  # commits the demo users the server logs in as
	return {
		name: Client(live_server, f"{name}@whistle.localhost", PASSWORD)
		for name in ("office", "park1", "fgw", "zjj", "police")
	}


@pytest.fixture(scope="module")
def rated(clients):
	"""A committed multi slip (lead 发改委, co 住建局): the park rates 住建局 over HTTP (draft saved
	with its comment, then submitted), the lead rates 住建局 in-process; each comment is a fresh secret."""
	# the ASCII tail of each secret is what the checks look for: JSON may escape the Chinese part
	secret = f"园区意见{uuid.uuid4().hex}"
	lead_secret = f"牵头意见{uuid.uuid4().hex}"
	slip = completed_slip(FrappeTestCase().freeze_time, "2026-03-02", [(FGW_D, "Lead"), (ZJJ_D, "Co")])
	make_rating("fgw@whistle.localhost", slip, ZJJ_D, dict(LEAD_TEMPLATE), comment=lead_secret)
	frappe.db.commit()
	park = frappe.db.get_value(
		"Whistle Rating", {"slip": slip, "rater_kind": "Park", "rated_department": ZJJ_D}, "name"
	)
	lead = frappe.db.get_value("Whistle Rating", {"slip": slip, "rater_kind": "Lead Department"}, "name")
	r = clients["park1"].post(
		"/api/method/whistle_app.ratings.drafts.save_draft",
		{"name": park, "scores": json.dumps({"响应速度": 10}), "comment": secret},
	)
	assert r.status_code == 200, r.text
	low = {"响应速度": 10, "服务态度": 10, "办理效率": 20, "办理成效": 15}
	r = clients["park1"].post(
		"/api/method/whistle_app.ratings.drafts.submit_rating", {"name": park, "scores": json.dumps(low)}
	)
	assert r.status_code == 200, r.text
	frappe.db.rollback()
	assert frappe.db.get_value("Whistle Rating", park, ["docstatus", "total"]) == (1, 55)
	yield {
		"slip": slip,
		"park": park,
		"lead": lead,
		"secret": secret,
		"lead_secret": lead_secret,
		"token": secret[4:],
		"lead_token": lead_secret[4:],
	}
	frappe.db.set_single_value("Whistle Settings", "hide_rating_comment_from_rated", 0)
	frappe.db.commit()
	purge_all([("Whistle Slip", slip)])  # the committed slip, its ratings and comments go again


def hide(clients, on: bool):
	r = clients["office"].post(
		"/api/method/whistle_app.ratings.comments.set_comment_hidden_from_rated", {"hide": int(on)}
	)
	assert r.status_code == 200, r.text
	assert r.json()["message"] is on


def every_read_path(client: Client, rating: str, slip: str) -> dict[str, str]:
	"""The response text of every way a user can read a rating's comment (``statuses`` keeps the
	status codes of the last call)."""
	field = "`tabWhistle Rating`.`comment`"
	texts = {
		"rest": client.get(f"/api/resource/Whistle Rating/{rating}"),
		"client.get": client.get_doc("Whistle Rating", rating),
		"getdoc": client.get(
			"/api/method/frappe.desk.form.load.getdoc", doctype="Whistle Rating", name=rating
		),
		"rest list": client.get(
			"/api/resource/Whistle Rating",
			fields=json.dumps(["name", "comment"]),
			filters=json.dumps([["slip", "=", slip]]),
		),
		"client.get_list": client.post(
			"/api/method/frappe.client.get_list",
			{
				"doctype": "Whistle Rating",
				"fields": json.dumps(["name", "comment"]),
				"filters": json.dumps({"slip": slip}),
			},
		),
		"client.get_value": client.post(
			"/api/method/frappe.client.get_value",
			{"doctype": "Whistle Rating", "fieldname": "comment", "filters": json.dumps({"name": rating})},
		),
		"reportview": client.post(
			"/api/method/frappe.desk.reportview.get",
			{
				"doctype": "Whistle Rating",
				"fields": json.dumps(["`tabWhistle Rating`.`name`", field]),
				"filters": json.dumps([["Whistle Rating", "slip", "=", slip]]),
			},
		),
		"export": client.post(
			"/api/method/frappe.desk.reportview.export_query",
			{
				"doctype": "Whistle Rating",
				"file_format_type": "CSV",
				"fields": json.dumps(["`tabWhistle Rating`.`name`", field]),
				"filters": json.dumps([["Whistle Rating", "slip", "=", slip]]),
			},
		),
		"printview": client.get("/printview", doctype="Whistle Rating", name=rating, format=PRINT_FORMAT),
		"print preview": client.post(
			"/api/method/frappe.www.printview.get_html_and_style",
			{"doc": "Whistle Rating", "name": rating, "print_format": PRINT_FORMAT},
		),
	}
	statuses.clear()
	statuses.update({path: r.status_code for path, r in texts.items()})
	return {path: r.text for path, r in texts.items()}


statuses: dict[str, int] = {}
READABLE = (
	"rest",
	"client.get",
	"getdoc",
	"rest list",
	"client.get_list",
	"reportview",
	"printview",
	"print preview",
)


def test_rated_department_reads_no_comment_when_hidden(clients, rated):
	hide(clients, True)
	zjj = every_read_path(clients["zjj"], rated["park"], rated["slip"])
	assert {path: statuses[path] for path in READABLE} == dict.fromkeys(READABLE, 200), (
		"the rating is readable"
	)
	assert statuses["export"] == 403  # units have no export right
	versions = json.loads(zjj["getdoc"])["docinfo"]["versions"]
	assert versions, "the park's saves are in the rating's history"
	for path, text in zjj.items():
		assert rated["token"] not in text, path
	r = clients["zjj"].get(f"/api/resource/Whistle Rating/{rated['park']}")
	assert r.status_code == 200 and r.json()["data"]["total"] == 55
	assert r.json()["data"].get("comment") is None
	assert "园区/镇街满意度评价表" in zjj["printview"] and "55" in zjj["printview"]
	# nor the lead's comment on the same department
	lead = every_read_path(clients["zjj"], rated["lead"], rated["slip"])
	assert not [path for path, text in lead.items() if rated["lead_token"] in text]


def test_raters_and_office_read_the_comment_when_hidden(clients, rated):
	hide(clients, True)
	for who in ("park1", "office"):
		texts = every_read_path(clients[who], rated["park"], rated["slip"])
		assert statuses["export"] != 200, who  # a comment column cannot be exported
		for path in ("rest", "client.get", "getdoc", "printview", "print preview"):
			assert rated["token"] in texts[path], (who, path)
		for path in ("rest list", "client.get_list", "reportview", "export"):
			assert rated["token"] not in texts[path], (who, path)  # lists never carry it
	r = clients["office"].post(
		"/api/method/frappe.desk.reportview.export_query",
		{
			"doctype": "Whistle Rating",
			"file_format_type": "CSV",
			"fields": json.dumps(["`tabWhistle Rating`.`name`", "`tabWhistle Rating`.`total`"]),
			"filters": json.dumps([["Whistle Rating", "slip", "=", rated["slip"]]]),
		},
	)
	assert r.status_code == 200 and rated["park"] in r.text  # the office's export works without it
	r = clients["fgw"].get(f"/api/resource/Whistle Rating/{rated['lead']}")
	assert r.json()["data"]["comment"] == rated["lead_secret"]


def test_rated_department_reads_the_comment_when_shown(clients, rated):
	hide(clients, False)
	r = clients["zjj"].get(f"/api/resource/Whistle Rating/{rated['park']}")
	assert r.status_code == 200
	assert r.json()["data"]["comment"] == rated["secret"]
	texts = every_read_path(clients["zjj"], rated["park"], rated["slip"])
	assert rated["token"] in texts["printview"]


def test_no_other_unit_reads_ratings_or_comment_records(clients, rated):
	hide(clients, False)
	for who in ("police", "fgw"):  # 公安分局 is not on the slip; 发改委 neither rated nor rates this one
		r = clients[who].get(f"/api/resource/Whistle Rating/{rated['park']}")
		assert r.status_code == 403, who
		texts = every_read_path(clients[who], rated["park"], rated["slip"])
		assert not [path for path, text in texts.items() if rated["token"] in text], who
	comment = frappe.db.get_value("Whistle Rating Comment", {"rating": rated["park"]})
	for who in ("zjj", "park1", "fgw"):
		assert clients[who].get(f"/api/resource/Whistle Rating Comment/{comment}").status_code == 403, who
		r = clients[who].get("/api/resource/Whistle Rating Comment", fields=json.dumps(["comment"]))
		assert r.status_code == 403, who
	r = clients["office"].get(f"/api/resource/Whistle Rating Comment/{comment}")
	assert r.status_code == 200 and r.json()["data"]["comment"] == rated["secret"]
	# filtering on the comment finds nothing for anybody (it is not a column of the rating)
	for who in ("zjj", "office"):
		r = clients[who].get(
			"/api/resource/Whistle Rating", filters=json.dumps([["comment", "like", f"%{rated['token']}%"]])
		)
		assert rated["park"] not in r.text, who


def test_only_the_office_switches_the_setting(clients, rated):
	for who in ("park1", "zjj"):
		r = clients[who].post(
			"/api/method/whistle_app.ratings.comments.set_comment_hidden_from_rated", {"hide": 1}
		)
		assert r.status_code == 403, who
	frappe.db.rollback()
	assert not frappe.db.get_single_value("Whistle Settings", "hide_rating_comment_from_rated", cache=False)
