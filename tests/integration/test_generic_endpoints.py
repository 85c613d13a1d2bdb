"""Security where the permission matrix did not look (issue #23), over real HTTP.

Generic by construction, so new DocTypes join without a new test:

* **Server fields**: every field the server computes (``guard.server_fields``) of every app DocType is
  written by every demo user who may write some document of it, through ``frappe.client.set_value``
  and REST ``PUT``; each attempt is refused and the stored value stays. New documents carrying such
  fields (REST ``POST``, ``frappe.client.insert`` with child rows) are refused and nothing is stored.
* **Web forms**: every web form of the app, submitted with every field of its DocType forged, stores
  neither a server field nor a field the form shows read-only.
* **Child tables**: every child DocType of a unit-scoped DocType, listed through ``frappe.client.
  get_list``, report view, ``get_count``, a number card and a group-by chart, shows only rows whose
  parent the user may read.
* **Counts**: ``frappe.client.get_count`` answers what ``frappe.client.get_list`` shows, for every app
  DocType and Frappe's own sensitive ones, and refuses where the list refuses.
* **Units, uploads, likes, login**: a user never moves itself into another unit; HTML/SVG uploads are
  refused; files go only onto documents the user may write, private; likes only on readable
  documents; a locked login answers 429 in Chinese.
"""

import json
import uuid

import frappe
import pytest
import requests

from tests.factory import as_user, ensure_demo
from tests.factory import secret_slip as make_secret_slip
from tests.http import Client, server_message
from tests.integration.cleanup import purge_all
from whistle_app import guard
from whistle_app.dev import demo
from whistle_app.doctype_index import child_doctypes, doctype_definitions
from whistle_app.hooks import UNIT_SCOPED_DOCTYPES

PASSWORD = demo.DEMO_PASSWORD
DEMO_USERS = (
	"office",
	"admin",
	"park1",
	"park1-leader",
	"park2",
	"town1",
	"fgw",
	"fgw-leader",
	"zjj",
	"police",
	"power",
	"leader",
	"efficiency",
)
OUTSIDERS = ("park2", "zjj", "power")  # neither the secret slip's park nor its department
# every child DocType of a unit-scoped DocType, from the DocType files (new ones join alone)
SCOPED_CHILD_DOCTYPES = child_doctypes(UNIT_SCOPED_DOCTYPES)
MARKER = f"ZQXSECRET{uuid.uuid4().hex[:12]}"  # ASCII: JSON may escape the Chinese around it


def email(who: str) -> str:
	return f"{who}@whistle.localhost" if "@" not in who else who


@pytest.fixture(scope="module")
def clients(live_server):
	demo.setup()  # commits the demo users the server logs in as
	clients = {who: Client(live_server, email(who), PASSWORD) for who in DEMO_USERS}
	clients["enterprise"] = Client(live_server, demo.DEMO_ENTERPRISE_USER, PASSWORD)
	return clients


@pytest.fixture(scope="module")
def secret_slip(clients):
	"""park1's whistle dispatched to 发展和改革委 alone, its title, text and progress holding MARKER;
	committed for the server, removed afterwards."""
	ensure_demo()
	name = make_secret_slip(MARKER)
	yield name
	purge_all([("Whistle Slip", name)])


def stored(doctype: str, name: str, fieldname: str):
	frappe.db.rollback()
	return frappe.db.get_value(doctype, name, fieldname)


def app_doctypes() -> dict[str, dict]:
	return doctype_definitions()


def forged(df, current):
	"""A value of the field's type that differs from ``current``."""
	if df.fieldtype == "Datetime":
		return "2001-02-03 04:05:06"
	if df.fieldtype == "Date":
		return "2001-02-03"
	if df.fieldtype in ("Int", "Check"):
		return 0 if frappe.utils.cint(current) else 1
	if df.fieldtype in ("Float", "Currency", "Percent"):
		return 0 if frappe.utils.flt(current) else 7.5
	if df.fieldtype == "Select":
		options = [o for o in (df.options or "").split("\n") if o and o != current]
		return options[0] if options else "forged"
	if df.fieldtype == "Link":  # another record that exists, so that only the guard can refuse it
		other = frappe.get_all(df.options, filters={"name": ("!=", current or "")}, pluck="name", limit=1)
		return other[0] if other else "forged"
	return f"forged {MARKER}"


def writable_documents(user: str, doctype: str, limit: int = 2) -> list[str]:
	"""Stored documents of ``doctype`` this user may write (in-process, as the server decides)."""

	def find():
		if not frappe.has_permission(doctype, "write"):
			return []
		names = frappe.get_list(doctype, pluck="name", limit_page_length=50, order_by="modified desc")
		return [n for n in names if frappe.has_permission(doctype, "write", doc=n)][:limit]

	return as_user(user, find)


def scalar_server_fields(doctype: str) -> list:
	return [df for df in guard.server_fields(frappe.get_meta(doctype)) if df.fieldtype not in ("Table",)]


# --- server fields ----------------------------------------------------------------------------------------


def test_every_server_field_of_every_doctype_is_refused_through_set_value_and_rest(clients, secret_slip):
	checked = 0
	for doctype, definition in app_doctypes().items():
		if definition.get("istable") or definition.get("issingle"):
			continue
		fields = scalar_server_fields(doctype)
		if not fields:
			continue
		meta = frappe.get_meta(doctype)
		for who in DEMO_USERS:
			# a field above the user's permission level Frappe itself drops (200, unchanged); the guard
			# refuses the others
			levels = as_user(email(who), meta.get_permlevel_access, "write")
			for index, name in enumerate(writable_documents(email(who), doctype)):
				client = clients[who]
				# field by field through set_value on the first document (the guard decides per field,
				# whatever the document), the whole forged payload through REST on each
				for df in fields if index == 0 else ():
					before = stored(doctype, name, df.fieldname)
					value = forged(df, before)
					r = client.post(
						"/api/method/frappe.client.set_value",
						{"doctype": doctype, "name": name, "fieldname": df.fieldname, "value": value},
					)
					if df.permlevel in levels:
						assert not r.ok, (who, doctype, name, df.fieldname, r.text[:300])
					assert stored(doctype, name, df.fieldname) == before, (who, doctype, df.fieldname)
					checked += 1
				mine = [df for df in fields if df.permlevel in levels]
				payload = {df.fieldname: forged(df, stored(doctype, name, df.fieldname)) for df in mine}
				before = {df.fieldname: stored(doctype, name, df.fieldname) for df in fields}
				r = client.put(f"/api/resource/{doctype}/{name}", payload)
				assert not (mine and r.ok), (who, doctype, name, r.text[:300])
				assert {f: stored(doctype, name, f) for f in before} == before, (who, doctype, name)
	assert checked > 100, checked


def test_a_new_slip_with_forged_server_fields_is_refused(clients):
	ensure_demo()
	before = frappe.db.count("Whistle Slip")
	forgeries = {
		"state_log": [{"from_state": "待报到", "to_state": "已销号", "action": "销号", "reason": MARKER}],
		"excluded_from_assessment": 1,
		"rehandle_count": 3,
		"response_status": "Late",
		"response_deadline": "2001-02-03 04:05:06",
	}
	for field, value in forgeries.items():
		doc = {"title": f"伪造 {field}", "category": "Other", "description": "伪造系统字段", field: value}
		r = clients["park1"].session.post(
			f"{clients['park1'].base_url}/api/resource/Whistle Slip", data={"data": json.dumps(doc)}
		)
		assert r.status_code == 403, (field, r.status_code, r.text[:300])
		assert r.json()["exc_type"] == "ServerFieldError", r.text[:300]
		assert "由系统填写" in server_message(r)
		r = clients["park1"].post(
			"/api/method/frappe.client.insert", {"doc": json.dumps({"doctype": "Whistle Slip", **doc})}
		)
		assert not r.ok, (field, r.text[:300])
	frappe.db.rollback()
	assert frappe.db.count("Whistle Slip") == before


def test_a_department_cannot_rewrite_the_parks_text(clients, secret_slip):
	"""The park's part of the slip (permission level 1) stays the park's on every path; Frappe drops a
	field above the user's level from REST and ``set_value`` (200, unchanged), the app from web forms."""
	before = {f: stored("Whistle Slip", secret_slip, f) for f in ("title", "description", "scope")}
	clients["fgw"].put(f"/api/resource/Whistle Slip/{secret_slip}", {"title": "部门改写", "scope": "Multi"})
	clients["fgw"].post(
		"/api/method/frappe.client.set_value",
		{"doctype": "Whistle Slip", "name": secret_slip, "fieldname": "description", "value": "部门改写"},
	)
	clients["fgw"].post(
		"/api/method/frappe.website.doctype.web_form.web_form.accept",
		{
			"web_form": "whistle-report",
			"data": json.dumps({"name": secret_slip, "title": "部门改写", "description": "部门改写"}),
		},
	)
	assert {f: stored("Whistle Slip", secret_slip, f) for f in before} == before
	# the department's own part is still its own
	r = clients["fgw"].put(f"/api/resource/Whistle Slip/{secret_slip}", {"work_plan": "现场办公"})
	assert r.ok, r.text[:300]
	assert stored("Whistle Slip", secret_slip, "work_plan") == "现场办公"


# --- web forms ----------------------------------------------------------------------------------------------


def web_form_users() -> dict[str, str]:
	"""Each app web form and the demo user who fills it in."""
	return {"whistle": "park1", "whistle-report": "fgw", "enterprise-demand": "enterprise"}


def test_every_web_form_stores_neither_server_nor_read_only_fields(clients, secret_slip):
	forms = frappe.get_all("Web Form", filters={"module": "Whistle"}, pluck="name")
	assert set(forms) == set(web_form_users()), forms
	for form_name, who in web_form_users().items():
		form = frappe.get_doc("Web Form", form_name)
		meta = frappe.get_meta(form.doc_type)
		protected = {f.fieldname for f in form.web_form_fields if f.read_only and f.fieldname} | {
			df.fieldname for df in scalar_server_fields(form.doc_type)
		}
		if form_name == "whistle-report":
			name = secret_slip
		else:
			name = as_user(
				email(who) if who != "enterprise" else demo.DEMO_ENTERPRISE_USER,
				lambda dt=form.doc_type: (frappe.get_list(dt, pluck="name", limit_page_length=1) or [None])[
					0
				],
			)
		if not name or not form.allow_edit:
			continue
		before = {f: stored(form.doc_type, name, f) for f in protected if meta.has_field(f)}
		data = {f: forged(meta.get_field(f), v) for f, v in before.items()}
		data["name"] = name
		r = clients[who].post(
			"/api/method/frappe.website.doctype.web_form.web_form.accept",
			{"web_form": form_name, "data": json.dumps(data)},
		)
		after = {f: stored(form.doc_type, name, f) for f in before}
		assert after == before, (form_name, r.status_code, r.text[:300])


# --- child tables ---------------------------------------------------------------------------------------------


def readable(client, doctype: str) -> set[str]:
	r = client.post(
		"/api/method/frappe.client.get_list",
		{"doctype": doctype, "fields": json.dumps(["name"]), "limit_page_length": 0},
	)
	return {row["name"] for row in r.json()["message"]} if r.ok else set()


def child_parents(client, child: str, parent: str) -> dict[str, set[str]]:
	"""The parents of the rows each generic list endpoint shows (an empty set when it refuses)."""
	seen: dict[str, set[str]] = {}
	r = client.post(
		"/api/method/frappe.client.get_list",
		{"doctype": child, "parent": parent, "fields": json.dumps(["parent"]), "limit_page_length": 0},
	)
	seen["get_list"] = {row["parent"] for row in r.json()["message"]} if r.ok else set()
	r = client.post(
		"/api/method/frappe.desk.reportview.get",
		{
			"doctype": parent,
			"fields": json.dumps([f"`tab{child}`.`parent`", "name"]),
			"page_length": 0,
		},
	)
	if r.ok and r.json().get("message"):
		message = r.json()["message"]
		seen["reportview"] = {row[1] for row in message.get("values", [])}
	chart = {
		"chart_type": "Group By",
		"document_type": child,
		"parent_document_type": parent,
		"group_by_type": "Count",
		"group_by_based_on": "parent",
		"type": "Bar",
		"number_of_groups": 0,
	}
	r = client.post(
		"/api/method/frappe.desk.doctype.dashboard_chart.dashboard_chart.get",
		{"chart": json.dumps(chart), "no_cache": 1},
	)
	seen["group_by_chart"] = set(r.json()["message"]["labels"]) if r.ok and r.json().get("message") else set()
	return seen


def test_child_rows_follow_their_parents_scope(clients, secret_slip):
	for who in (*OUTSIDERS, "park1", "fgw", "enterprise"):
		client = clients[who]
		for child, parent in SCOPED_CHILD_DOCTYPES.items():
			allowed = readable(client, parent)
			for endpoint, parents in child_parents(client, child, parent).items():
				assert parents <= allowed, (who, child, endpoint, sorted(parents - allowed)[:5])
			card = {"function": "Count", "document_type": child, "parent_document_type": parent}
			r = client.post(
				"/api/method/frappe.desk.doctype.number_card.number_card.get_result",
				{"doc": json.dumps(card), "filters": json.dumps([[child, "parent", "=", secret_slip]])},
			)
			if r.ok and child.startswith("Whistle Slip") and who in OUTSIDERS:
				assert not r.json()["message"], (who, child, "number card counts another unit's rows")


# --- counts -----------------------------------------------------------------------------------------------------


def test_get_count_answers_what_get_list_shows(clients, secret_slip):
	doctypes = [d for d, definition in app_doctypes().items() if not definition.get("istable")]
	doctypes += ["Sessions", "User", "File", "Comment", "Version", "Error Log", "Workflow Action"]
	for who in (*OUTSIDERS, "park1", "fgw", "enterprise"):
		client = clients[who]
		for doctype in doctypes:
			r = client.post("/api/method/frappe.client.get_count", {"doctype": doctype})
			listed = client.post(
				"/api/method/frappe.client.get_list",
				{"doctype": doctype, "fields": json.dumps(["name"]), "limit_page_length": 0},
			)
			if not listed.ok:
				assert not r.ok, (who, doctype, "counted what the list refuses", r.text[:200])
				continue
			assert r.ok, (who, doctype, r.text[:200])
			assert r.json()["message"] == len(listed.json()["message"]), (who, doctype)
		# the oracle of the report: the Administrator's session id, one character at a time
		r = client.post(
			"/api/method/frappe.client.get_count",
			{"doctype": "Sessions", "filters": json.dumps({"user": "Administrator"})},
		)
		assert not r.ok, (who, r.text[:200])
		r = client.post(
			"/api/method/frappe.client.get_count",
			{"doctype": "Whistle Slip", "filters": json.dumps({"name": secret_slip})},
		)
		if who in OUTSIDERS:
			assert r.ok and r.json()["message"] == 0, (who, r.text[:200])


# --- users, uploads, likes, login -----------------------------------------------------------------------------


def test_nobody_moves_itself_into_another_unit(clients):
	for who, user in (("park2", "park2@whistle.localhost"), ("enterprise", demo.DEMO_ENTERPRISE_USER)):
		before = stored("User", user, "whistle_unit")
		r = clients[who].post(
			"/api/method/frappe.client.set_value",
			{"doctype": "User", "name": user, "fieldname": "whistle_unit", "value": "示例园区一"},
		)
		assert not r.ok, (who, r.text[:300])
		assert stored("User", user, "whistle_unit") == before
		r = clients[who].put(f"/api/resource/User/{user}", {"whistle_unit": "示例园区一"})
		assert not r.ok, (who, r.text[:300])
		assert stored("User", user, "whistle_unit") == before


def upload(client, filename: str, content: bytes, **attach) -> requests.Response:
	return client.session.post(
		f"{client.base_url}/api/method/upload_file",
		files={"file": (filename, content)},
		data={"is_private": 0, **attach},
		timeout=60,
	)


def test_uploads_are_safe_types_on_writable_documents_and_private(clients, secret_slip, live_server):
	page = b"<html><body><script>alert(document.cookie)</script></body></html>"
	for filename in ("x.html", "x.htm", "x.svg", "x.xml", "x.js", "x"):
		r = upload(clients["park1"], filename, page)
		assert not r.ok, (filename, r.text[:300])
	attach = {"doctype": "Whistle Slip", "docname": secret_slip}
	r = upload(clients["park2"], "photo.png", b"\x89PNG\r\n\x1a\nfake", **attach)
	assert not r.ok, r.text[:300]
	assert not frappe.get_all("File", filters={"attached_to_name": secret_slip})
	r = upload(clients["park1"], "photo.png", b"\x89PNG\r\n\x1a\nreal", **attach)
	assert r.ok, r.text[:300]
	file = r.json()["message"]
	assert file["is_private"] == 1 and file["file_url"].startswith("/private/files/")
	assert clients["park2"].get(file["file_url"]).status_code in (403, 404)
	listed = clients["park2"].post(
		"/api/method/frappe.client.get_list",
		{"doctype": "File", "fields": json.dumps(["name", "attached_to_name"]), "limit_page_length": 0},
	)
	assert secret_slip not in listed.text
	# re-pointing one's own file at a document one may not write
	own = upload(clients["park2"], "mine.png", b"\x89PNG\r\n\x1a\nmine").json()["message"]["name"]
	r = clients["park2"].put(
		f"/api/resource/File/{own}", {"attached_to_doctype": "Whistle Slip", "attached_to_name": secret_slip}
	)
	assert not r.ok, r.text[:300]
	purge_all([("File", own), ("File", file["name"])])


def test_likes_only_on_readable_documents(clients, secret_slip):
	r = clients["park2"].post(
		"/api/method/frappe.desk.like.toggle_like",
		{"doctype": "Whistle Slip", "name": secret_slip, "add": "Yes"},
	)
	assert r.status_code == 403, r.text[:300]
	assert "park2@whistle.localhost" not in (stored("Whistle Slip", secret_slip, "_liked_by") or "")
	r = clients["park1"].post(
		"/api/method/frappe.desk.like.toggle_like",
		{"doctype": "Whistle Slip", "name": secret_slip, "add": "Yes"},
	)
	assert r.ok, r.text[:300]


def test_a_locked_login_answers_429_in_chinese(live_server):
	user = "town1@whistle.localhost"
	limit = frappe.utils.cint(
		frappe.db.get_single_value("System Settings", "allow_consecutive_login_attempts")
	)
	assert limit > 0, "the lockout is on"
	try:
		answers = []
		for i in range(limit + 2):  # Frappe locks once the failures exceed the limit
			r = requests.post(
				f"{live_server}/api/method/login",
				data={"usr": user, "pwd": "wrong"},
				headers={"X-Forwarded-For": f"198.51.100.{i + 1}", "Accept-Language": "zh"},
				timeout=30,
			)
			answers.append(r.status_code)
		assert answers[-1] == 429, answers
		assert "锁定" in r.text, r.text[:300]
		assert r.headers.get("Retry-After")
		r = requests.post(f"{live_server}/api/method/login", data={"usr": user, "pwd": PASSWORD}, timeout=30)
		assert r.status_code == 429, "locked even with the right password until the interval ends"
	finally:
		frappe.cache.delete_value("login_failed_count")
		frappe.cache.delete_value("locked_account_time")
