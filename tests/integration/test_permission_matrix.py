"""The permission matrix of ``permission_matrix.py`` checked cell by cell over real HTTP.

Each demo user logs into the running test server; for every row and action the test calls what the
desk and API call (REST document and list, the report view ``frappe.desk.reportview.get``, the
export ``frappe.desk.reportview.export_query``, the print view ``/printview``, REST create, update
and delete, ``frappe.client.submit`` and ``frappe.client.cancel``) on the samples of both sides, so
"own unit only" is checked against another unit's documents (park2 reading park1's slip, a
department reading a slip it is not on). A refusal changes nothing. All fixtures are removed.
"""

import json
from urllib.parse import quote

import frappe
import pytest
from frappe.utils import now_datetime

from tests.factory import ensure_demo
from tests.figures import FIGURES
from tests.http import Client
from tests.integration import permission_matrix as pm
from tests.integration.cleanup import purge_access_logs, purge_all
from whistle_app.dev import demo

CELLS: list[tuple[str, str, str]] = []  # (row, user, action) checked
OK = (200, 202)
REFUSED = (403, 417)


@pytest.fixture(scope="module")
def matrix(live_server):
	ensure_demo()
	started = now_datetime()
	clients = {key: Client(live_server, email, demo.DEMO_PASSWORD) for key, email in pm.USERS.items()}
	fx = pm.Fixture()
	frappe.set_user("Administrator")
	try:
		samples = {row.label: row.samples(fx) for row in pm.ROWS}
		frappe.db.commit()
		yield clients, fx, samples
	finally:
		frappe.set_user("Administrator")
		purge_all(fx.created)
		purge_access_logs(pm.USERS.values(), started)


def fresh(fx: pm.Fixture, build, side: str) -> str:
	frappe.set_user("Administrator")
	name = build(fx, side)
	frappe.db.commit()
	return name


def stored(doctype: str, name: str):
	frappe.db.rollback()  # a new snapshot: see what the server committed
	return frappe.db.get_value(doctype, name, ["modified", "docstatus"], as_dict=True)


# --- probes: True = allowed, False = refused; anything else fails the test ------------------------------


def status_of(r, what: str) -> bool:
	if r.status_code in OK:
		return True
	if r.status_code in REFUSED:
		return False
	raise AssertionError(f"{what}: unexpected HTTP {r.status_code}: {r.text[:300]}")


def probe_read(c: Client, dt: str, name: str) -> bool:
	r = c.get(f"/api/resource/{quote(dt)}/{quote(name)}")
	return status_of(r, f"read {dt} {name}") and r.json()["data"]["name"] == name


def probe_print(c: Client, dt: str, name: str) -> bool:
	r = c.get("/printview", doctype=dt, name=name, format="Standard", no_letterhead=1, trigger_print=0)
	if r.status_code == 403:
		return False
	assert r.status_code == 200, f"print {dt} {name}: HTTP {r.status_code}"
	return name in r.text


def name_filter(dt: str, names: list[str]) -> str:
	return json.dumps([[dt, "name", "in", names]])


def probe_list(c: Client, dt: str, names: list[str]) -> set[str]:
	r = c.get(f"/api/resource/{quote(dt)}", filters=name_filter(dt, names), limit_page_length=0)
	if not status_of(r, f"list {dt}"):
		return set()
	return {row["name"] for row in r.json()["data"]}


def probe_report(c: Client, dt: str, names: list[str]) -> set[str]:
	r = c.post(
		"/api/method/frappe.desk.reportview.get",
		{
			"doctype": dt,
			"fields": json.dumps([f"`tab{dt}`.`name`"]),
			"filters": name_filter(dt, names),
			"page_length": 500,
		},
	)
	if not status_of(r, f"report {dt}"):
		return set()
	message = r.json().get("message") or {}
	return {row[0] for row in message.get("values", [])}


def probe_export(c: Client, dt: str, names: list[str]) -> set[str]:
	r = c.post(
		"/api/method/frappe.desk.reportview.export_query",
		{
			"doctype": dt,
			"file_format_type": "CSV",
			"fields": json.dumps([f"`tab{dt}`.`name`"]),
			"filters": name_filter(dt, names),
			"title": "matrix",
		},
	)
	if not status_of(r, f"export {dt}"):
		return set()
	return {n for n in names if n in r.text}


def probe_write(c: Client, dt: str, name: str) -> bool:
	before = stored(dt, name)
	r = c.put(f"/api/resource/{quote(dt)}/{quote(name)}", {})
	allowed = status_of(r, f"write {dt} {name}")
	if not allowed:
		assert stored(dt, name) == before, f"a refused write changed {dt} {name}"
	return allowed


def probe_create(c: Client, dt: str, body: dict, made: list) -> bool:
	r = c.session.post(f"{c.base_url}/api/resource/{quote(dt)}", data={"data": json.dumps(body)}, timeout=60)
	allowed = status_of(r, f"create {dt}")
	if allowed:
		made.append((dt, r.json()["data"]["name"]))
	return allowed


def probe_delete(c: Client, dt: str, name: str) -> bool:
	r = c.session.delete(f"{c.base_url}/api/resource/{quote(dt)}/{quote(name)}", timeout=60)
	allowed = status_of(r, f"delete {dt} {name}")
	frappe.db.rollback()
	assert frappe.db.exists(dt, name) != allowed, f"delete {dt} {name}: answer and database disagree"
	return allowed


def probe_submit(c: Client, dt: str, name: str) -> bool:
	frappe.db.rollback()
	doc = frappe.get_doc(dt, name).as_dict()
	r = c.post("/api/method/frappe.client.submit", {"doc": frappe.as_json(doc)})
	allowed = status_of(r, f"submit {dt} {name}")
	assert (stored(dt, name).docstatus == 1) == allowed, f"submit {dt} {name}: answer and database disagree"
	return allowed


def probe_cancel(c: Client, dt: str, name: str) -> bool:
	r = c.post("/api/method/frappe.client.cancel", {"doctype": dt, "name": name})
	allowed = status_of(r, f"cancel {dt} {name}")
	assert (stored(dt, name).docstatus == 2) == allowed, f"cancel {dt} {name}: answer and database disagree"
	return allowed


# --- one row ---------------------------------------------------------------------------------------------


def sees(outcome: str, side: str, own: str | None) -> bool:
	return outcome == pm.ALLOW or (outcome == pm.OWN and side == own)


def check_cell(row: pm.Row, user: str, action: str, outcome: str, ctx) -> list[str]:
	clients, fx, samples_by_row = ctx
	c = clients[user]
	dt = row.dt
	samples = samples_by_row[row.label]
	own = row.side_of(user)
	names = sorted(samples.values())
	problems = []

	def expect(side: str, got: bool, what: str = ""):
		want = sees(outcome, side, own)
		if got != want:
			problems.append(
				f"{row.label} | {user} | {action}{what} on side {side}: expected "
				f"{'allowed' if want else 'refused'}, got {'allowed' if got else 'refused'}"
			)

	if action in (pm.LIST, pm.REPORT, pm.EXPORT):
		probe = {pm.LIST: probe_list, pm.REPORT: probe_report, pm.EXPORT: probe_export}[action]
		got = probe(c, dt, names)
		for side, name in samples.items():
			expect(side, name in got)
	elif action in (pm.READ, pm.PRINT, pm.WRITE):
		probe = {pm.READ: probe_read, pm.PRINT: probe_print, pm.WRITE: probe_write}[action]
		for side, name in samples.items():
			expect(side, probe(c, dt, name))
	elif action == pm.CREATE:
		made: list = []
		sides = [s for s in samples if s in ("A", "B")] or ["A"]
		for side in sides:
			body = row.payload(fx, side) if row.payload else {}
			if sees(outcome, side, own) and not row.payload:
				raise AssertionError(f"{row.label}: create is allowed for {user}; the row needs a payload")
			expect(side, probe_create(c, dt, body, made))
		fx.created.extend(made)
	else:
		build = {pm.DELETE: row.make, pm.SUBMIT: row.make_submittable, pm.CANCEL: row.make_submitted}[action]
		probe = {pm.DELETE: probe_delete, pm.SUBMIT: probe_submit, pm.CANCEL: probe_cancel}[action]
		for side, name in samples.items():
			if sees(outcome, side, own):
				assert build, f"{row.label}: {action} is allowed for {user}; the row needs a builder"
				name = fresh(fx, build, side)
			elif action == pm.CANCEL:
				name = fx.once(f"{row.label}-submitted-{side}", lambda side=side: fresh(fx, build, side))
			expect(side, probe(c, dt, name))
	CELLS.append((row.label, user, action))
	return problems


@pytest.mark.parametrize("row", pm.ROWS, ids=[row.label for row in pm.ROWS])
def test_matrix_row(row, matrix):
	problems, before = [], len(CELLS)
	for (user, action), outcome in row.expected().items():
		problems += check_cell(row, user, action, outcome, matrix)
	assert not problems, "\n".join(problems)
	# every cell of the row was probed to the end (none skipped by an early return)
	assert len(CELLS) - before == len(row.expected()), (row.label, len(CELLS) - before)
	FIGURES["permission matrix cells checked over HTTP"] = len(CELLS)


def test_pdf_download_follows_the_unit(matrix):
	"""The PDF of a park's whistle: its park and the office get it, another park does not."""
	clients, _fx, samples = matrix
	name = samples["Whistle Slip (dispatched)"]["A"]
	for user, allowed in (("park1", True), ("office", True), ("park2", False), ("zjj", False)):
		r = clients[user].get(
			"/api/method/frappe.utils.print_format.download_pdf",
			doctype="Whistle Slip",
			name=name,
			format="Standard",
		)
		assert (r.status_code, r.headers.get("content-type", "").startswith("application/pdf")) == (
			(200, True) if allowed else (403, False)
		), (user, r.status_code)
	CELLS.extend(("Whistle Slip (pdf)", user, "print") for user in ("park1", "office", "park2", "zjj"))
	FIGURES["permission matrix cells checked over HTTP"] = len(CELLS)
