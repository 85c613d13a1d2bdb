"""Concurrency (issue #11): parallel HTTP clients, each with its own session and so its own database
connection in the threaded test server, released together by a barrier. No update is lost (the loser
gets Frappe's "document changed" TimestampMismatchError or a clear refusal), no rating is made twice
(the unique ``rating_key``), and the counts are exact afterwards."""

import threading
from concurrent.futures import ThreadPoolExecutor

import frappe
import pytest

from tests.factory import act_as, completed_slip, ensure_demo, make_slip
from tests.figures import FIGURES
from tests.http import Client
from tests.integration.cleanup import purge_all
from whistle_app.dev import demo
from whistle_app.rules import ratings as rr

PASSWORD = demo.DEMO_PASSWORD
OPERATIONS: dict[str, int] = FIGURES.setdefault("concurrent operations, nothing lost", {})


def no_freeze(_moment):
	from contextlib import nullcontext

	return nullcontext()


def together(calls) -> list:
	"""Run the callables at the same moment (one thread each); returns their responses."""
	barrier = threading.Barrier(len(calls))

	def run(call):
		barrier.wait(timeout=60)
		return call()

	with ThreadPoolExecutor(max_workers=len(calls)) as pool:
		return list(pool.map(run, calls))


def outcome(r) -> str:
	""" "ok", or the exception of a clear refusal that changed nothing (409 "document changed", 417 a
	validation). A deadlock victim (HTTP 500/508) is a failure: requests run READ COMMITTED (F4)."""
	if r.status_code == 200:
		return "ok"
	exc_type = (
		r.json().get("exc_type", "refused")
		if r.headers.get("content-type", "").startswith("application/json")
		else "refused"
	)
	assert r.status_code in (409, 417), (r.status_code, r.text[:300])
	return exc_type


@pytest.fixture(scope="module")
def server(live_server):
	ensure_demo()
	created: list = []
	yield live_server, created
	purge_all(created)


def test_two_departments_add_progress_at_the_same_moment(server):
	base_url, created = server
	with_departments = [("发展和改革委", "Lead"), ("住房和城乡建设局", "Co")]
	name = completed_slip(no_freeze, frappe.utils.today(), with_departments)
	created.append(("Whistle Slip", name))
	act_as("park1@whistle.localhost", name, "重办", reason="并发测试：重新办理")
	frappe.db.commit()
	fgw = [Client(base_url, "fgw@whistle.localhost", PASSWORD) for _ in range(5)]
	zjj = [Client(base_url, "zjj@whistle.localhost", PASSWORD) for _ in range(5)]
	calls = [
		(
			lambda c=c, i=i: c.post(
				"/api/method/whistle_app.lifecycle.add_progress", {"slip": name, "content": f"进展{i}"}
			)
		)
		for i, c in enumerate(fgw + zjj)
	]
	results = [outcome(r) for r in together(calls)]
	frappe.db.rollback()
	stored = frappe.get_all("Whistle Slip Progress", filters={"parent": name}, pluck="content")
	assert len(stored) == results.count("ok") >= 1, (results, stored)
	assert set(results) <= {"ok", "TimestampMismatchError"}, results
	OPERATIONS["progress"] = len(calls)


def test_office_dispatches_while_the_park_edits(server):
	base_url, created = server
	office = Client(base_url, "office@whistle.localhost", PASSWORD)
	park = Client(base_url, "park1@whistle.localhost", PASSWORD)
	rounds = 5
	for i in range(rounds):
		slip = make_slip("park1@whistle.localhost", title=f"并发派单测试{i}", description="原始描述")
		created.append(("Whistle Slip", slip.name))
		act_as("park1@whistle.localhost", slip.name, "提交吹哨")
		frappe.db.commit()
		seen = frappe.db.get_value("Whistle Slip", slip.name, "modified")
		doc = frappe.get_doc("Whistle Slip", slip.name)

		def dispatch(doc=doc):
			r = office.put(
				f"/api/resource/Whistle Slip/{doc.name}",
				{
					"scope": "Single",
					"departments": [{"department": "发展和改革委", "department_role": "Sole"}],
				},
			)
			if r.status_code != 200:
				return r
			return office.post("/api/method/whistle_app.lifecycle.act", {"slip": doc.name, "action": "派单"})

		def edit(doc=doc):
			return park.put(
				f"/api/resource/Whistle Slip/{doc.name}",
				{"description": "园区改写的描述", "modified": str(seen)},
			)

		office_result, park_result = (outcome(r) for r in together([dispatch, edit]))
		frappe.db.rollback()
		row = frappe.db.get_value("Whistle Slip", slip.name, ["workflow_state", "description"], as_dict=True)
		assert office_result == "ok", office_result
		assert park_result != "ok", "the park cannot edit a whistle under review"
		assert row.workflow_state == "待报到" and row.description == "原始描述", row
		assert frappe.db.count("Whistle Slip Department", {"parent": slip.name}) == 1
	OPERATIONS["dispatch vs edit"] = rounds * 2


def test_offices_dispatch_new_whistles_while_parks_submit_and_file_more(server):
	"""The newest whistles' department rows all go to the end of the child table's index. Under
	REPEATABLE READ a dispatch (locking read of its rows, then inserts) and a park submitting its new
	whistle (``DELETE`` of its empty department rows) lock the gap there and deadlock each other
	(SECURITY-FINDINGS.md F4). Every request must go through, first time."""
	base_url, created = server
	offices = [Client(base_url, "office@whistle.localhost", PASSWORD) for _ in range(4)]
	parks = [Client(base_url, "park1@whistle.localhost", PASSWORD) for _ in range(4)]
	departments = ["发展和改革委", "住房和城乡建设局", "公安分局", "供电公司"]
	rounds, filed = 5, []
	for i in range(rounds):
		to_dispatch, drafts = [], []
		for j in range(len(offices)):
			slip = make_slip("park1@whistle.localhost", title=f"并发派单{i}-{j}", description="并发")
			act_as("park1@whistle.localhost", slip.name, "提交吹哨")
			to_dispatch.append(slip.name)
			drafts.append(
				make_slip("park1@whistle.localhost", title=f"并发提交{i}-{j}", description="并发").name
			)
		created.extend(("Whistle Slip", s) for s in to_dispatch + drafts)
		frappe.db.commit()

		def dispatch(client, slip, department):
			r = client.put(
				f"/api/resource/Whistle Slip/{slip}",
				{"scope": "Single", "departments": [{"department": department, "department_role": "Sole"}]},
			)
			if r.status_code != 200:
				return r
			return client.post("/api/method/whistle_app.lifecycle.act", {"slip": slip, "action": "派单"})

		def submit_and_file(client, slip, k):
			r = client.post("/api/method/whistle_app.lifecycle.act", {"slip": slip, "action": "提交吹哨"})
			if r.status_code != 200:
				return r
			r = client.post(
				"/api/resource/Whistle Slip",
				{
					"data": frappe.as_json(
						{"title": f"并发新吹哨{i}-{k}", "category": "Other", "description": "x"}
					)
				},
			)
			if r.status_code == 200:
				filed.append(r.json()["data"]["name"])
			return r

		calls = [
			(lambda c=c, s=s, d=d: dispatch(c, s, d))
			for c, s, d in zip(offices, to_dispatch, departments, strict=True)
		] + [
			(lambda c=c, s=s, k=k: submit_and_file(c, s, k))
			for k, (c, s) in enumerate(zip(parks, drafts, strict=True))
		]
		before = len(filed)
		responses = together(calls)
		created.extend(("Whistle Slip", s) for s in filed[before:])
		assert [r.status_code for r in responses] == [200] * len(calls), [
			(r.status_code, r.text[:300]) for r in responses if r.status_code != 200
		]
		frappe.db.rollback()
		for slip in to_dispatch:
			assert frappe.db.get_value("Whistle Slip", slip, "workflow_state") == "待报到", slip
			assert frappe.db.count("Whistle Slip Department", {"parent": slip}) == 1, slip
		for slip in drafts:
			assert frappe.db.get_value("Whistle Slip", slip, "workflow_state") == "待审核", slip
	assert len(filed) == rounds * len(parks)
	OPERATIONS["dispatch, submit and file"] = rounds * (2 * len(offices) + 2 * len(parks))


def test_fifty_raters_submit_at_once(server):
	base_url, created = server
	slips = [completed_slip(no_freeze, frappe.utils.today(), [("发展和改革委", "Sole")]) for _ in range(10)]
	created.extend(("Whistle Slip", s) for s in slips)
	# one slip without its draft: the submissions race to insert, the unique rating_key decides
	keyless = slips[0]
	frappe.db.delete("Whistle Rating", {"slip": keyless})
	frappe.db.commit()
	users = ["park1@whistle.localhost", "park1-leader@whistle.localhost"]
	clients = [Client(base_url, users[i % 2], PASSWORD) for i in range(50)]
	scores = '{"响应速度": 20, "服务态度": 20, "办理效率": 30, "办理成效": 30}'
	targets = [slips[i % len(slips)] for i in range(len(clients))]
	calls = [
		(
			lambda c=c, slip=slip: c.post(
				"/api/method/whistle_app.ratings.drafts.rate",
				{"slip": slip, "rated_department": "发展和改革委", "scores": scores},
			)
		)
		for c, slip in zip(clients, targets, strict=True)
	]
	results = [outcome(r) for r in together(calls)]
	frappe.db.rollback()
	assert results.count("ok") == len(slips), results
	for slip in slips:
		key = rr.rating_key(slip, "发展和改革委", rr.PARK_RATER)
		rows = frappe.get_all("Whistle Rating", filters={"rating_key": key}, fields=["docstatus"])
		assert [r.docstatus for r in rows] == [1], (slip, rows)
		assert frappe.db.count("Whistle Slip Score", {"slip": slip}) == 1
	OPERATIONS["ratings"] = len(calls)
