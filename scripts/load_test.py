#!/usr/bin/env python3
"""Load test (issue #11; not part of the test suite): N simulated users of every role work the demo
site over HTTP on loopback for a while, then the script checks that nothing they wrote was lost.

    ~/whistle-bench/env/bin/python scripts/load_test.py --url http://127.0.0.1:8000 --users 30 --duration 600

Needs the demo data (``make demo``). Workload (each user loops, choosing by weight among what its role
does): parks file and submit whistles; the office dispatches them and copies reports; departments
report for duty and add progress; everybody lists and reads slips, runs the report view and a query
report; raters open their ratings list; the enterprise opens its ballot. Work is split so that no two
simulated users act on the same whistle (the concurrency tests cover races); every request must
succeed. Prints requests, errors (must be 0), lost writes (whistles and progress entries the users
were told were saved but are not there; must be 0) and p50/p95 latency; exits 1 otherwise.

Only loopback addresses are accepted as the target. The whistles it files are titled "压测 <run id>"
and stay on the site.
"""

import argparse
import json
import random
import statistics
import sys
import threading
import time
import zlib
from collections import defaultdict
from urllib.parse import urlparse

import requests

PASSWORD = "Whistle@2026"
PARKS = ["park1", "park1-leader", "park2", "town1"]
DEPARTMENTS = {"fgw": "发展和改革委", "zjj": "住房和城乡建设局", "police": "公安分局", "power": "供电公司"}
READERS = ["leader", "efficiency", "fgw-leader", "admin"]
# roles of the query report "Whistle Unit Directory"
REPORT_USERS = {"office", "admin", "leader", "efficiency"}
# the roles of N users, in this order, round robin
ROLE_CYCLE = [
	"park",
	"office",
	"department",
	"park",
	"department",
	"reader",
	"park",
	"department",
	"enterprise",
]


class Stats:
	def __init__(self):
		self.lock = threading.Lock()
		self.latencies: list[float] = []
		self.errors: list[str] = []
		self.by_action: dict[str, int] = defaultdict(int)

	def record(self, action: str, seconds: float, error: str | None = None):
		with self.lock:
			self.latencies.append(seconds)
			self.by_action[action] += 1
			if error:
				self.errors.append(f"{action}: {error}")


class User:
	def __init__(self, base: str, login: str, stats: Stats, run_id: str):
		self.base, self.login, self.stats, self.run_id = base, login, stats, run_id
		self.session = requests.Session()
		r = self.session.post(
			f"{base}/api/method/login",
			data={"usr": f"{login}@whistle.localhost", "pwd": PASSWORD},
			timeout=60,
		)
		r.raise_for_status()

	def call(self, action: str, method: str, path: str, **kwargs):
		"""One request, sent once: any answer but 200 is an error (a deadlock victim included; the
		app's requests run READ COMMITTED so that none occur, SECURITY-FINDINGS.md F4)."""
		started = time.perf_counter()
		try:
			r = self.session.request(method, f"{self.base}{path}", timeout=120, **kwargs)
			error = None if r.status_code == 200 else f"HTTP {r.status_code} {r.text[:200]}"
		except requests.RequestException as e:
			r, error = None, repr(e)
		self.stats.record(action, time.perf_counter() - started, error)
		return r if error is None else None

	def method(self, label: str, dotted: str, **data):
		r = self.call(label, "POST", f"/api/method/{dotted}", data=data)
		return r.json().get("message") if r is not None else None

	def load_slips(self, filters: list, fields=("name",)) -> list[dict]:
		r = self.call(
			"list slips",
			"GET",
			"/api/resource/Whistle Slip",
			params={
				"filters": json.dumps([["title", "like", f"压测 {self.run_id}%"], *filters]),
				"fields": json.dumps(list(fields)),
				"limit_page_length": 0,
			},
		)
		return r.json()["data"] if r is not None else []


def mine(name: str, index: int, count: int) -> bool:
	"""Whistles are split between the simulated users of one unit so that none act on the same one."""
	return zlib.crc32(name.encode()) % count == index


def read_actions(u: User) -> None:
	choice = random.random()
	if choice < 0.35:
		r = u.call("list slips", "GET", "/api/resource/Whistle Slip", params={"limit_page_length": 50})
		names = [row["name"] for row in r.json()["data"]] if r is not None else []
		if names:
			u.call("read slip", "GET", f"/api/resource/Whistle Slip/{random.choice(names)}")
	elif choice < 0.6:
		u.call(
			"report view",
			"POST",
			"/api/method/frappe.desk.reportview.get",
			data={
				"doctype": "Whistle Slip",
				"fields": json.dumps(["`tabWhistle Slip`.`name`", "`tabWhistle Slip`.`workflow_state`"]),
				"page_length": 100,
			},
		)
	elif choice < 0.8 and u.login in REPORT_USERS:
		u.call(
			"query report",
			"POST",
			"/api/method/frappe.desk.query_report.run",
			data={"report_name": "Whistle Unit Directory", "filters": "{}"},
		)
	else:
		u.call("ratings list", "GET", "/api/resource/Whistle Rating", params={"limit_page_length": 50})
		u.method("pending ratings", "whistle_app.ratings.page.pending_ratings")


def park_step(u: User, created: list[str]) -> None:
	if random.random() < 0.35:
		body = {
			"title": f"压测 {u.run_id} {u.login} {len(created) + 1}",
			"category": "Other",
			"description": "压测事项",
		}
		r = u.call("create slip", "POST", "/api/resource/Whistle Slip", data={"data": json.dumps(body)})
		if r is not None:
			name = r.json()["data"]["name"]
			created.append(name)
			u.method("submit slip", "whistle_app.lifecycle.act", slip=name, action="提交吹哨")
	else:
		read_actions(u)


def office_step(u: User, index: int, count: int, dispatched: list[str]) -> None:
	if random.random() < 0.5:
		for row in u.load_slips(
			[["workflow_state", "in", ["待审核", "待审核抄送"]]], ("name", "workflow_state")
		):
			if not mine(row["name"], index, count):
				continue
			if row["workflow_state"] == "待审核":
				department = list(DEPARTMENTS.values())[len(dispatched) % len(DEPARTMENTS)]
				r = u.call(
					"prepare dispatch",
					"PUT",
					f"/api/resource/Whistle Slip/{row['name']}",
					data={
						"data": json.dumps(
							{
								"scope": "Single",
								"departments": [{"department": department, "department_role": "Sole"}],
							}
						)
					},
				)
				if r is not None and u.method(
					"dispatch", "whistle_app.lifecycle.act", slip=row["name"], action="派单"
				):
					dispatched.append(row["name"])
			else:
				u.method("copy report", "whistle_app.lifecycle.act", slip=row["name"], action="审核抄送")
			return
	read_actions(u)


def department_step(u: User, unit: str, index: int, count: int, progress: dict[str, int]) -> None:
	if random.random() < 0.5:
		rows = u.load_slips([["workflow_state", "in", ["待报到", "办理中"]]], ("name", "workflow_state"))
		for row in rows:
			if not mine(row["name"], index, count):
				continue
			if row["workflow_state"] == "待报到":
				values = {
					"work_plan": "压测工作方案",
					"planned_completion": "2099-12-31",
					"responsible_persons": "压测",
				}
				r = u.call(
					"prepare report",
					"PUT",
					f"/api/resource/Whistle Slip/{row['name']}",
					data={"data": json.dumps(values)},
				)
				if r is not None:
					u.method("report for duty", "whistle_app.lifecycle.act", slip=row["name"], action="报到")
			elif progress.get(row["name"], 0) < 5:
				if u.method(
					"add progress", "whistle_app.lifecycle.add_progress", slip=row["name"], content="压测进展"
				):
					progress[row["name"]] = progress.get(row["name"], 0) + 1
			return
	read_actions(u)


def enterprise_step(u: User) -> None:
	u.call("satisfaction page", "GET", "/satisfaction")
	u.method("ballot", "whistle_app.surveys.get_ballot")


def main() -> int:
	parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
	parser.add_argument("--url", default="http://127.0.0.1:8000")
	parser.add_argument("--users", type=int, default=30)
	parser.add_argument("--duration", type=float, default=600, help="seconds")
	parser.add_argument("--seed", type=int, default=11)
	args = parser.parse_args()
	host = urlparse(args.url).hostname or ""
	if not (host == "localhost" or host.startswith("127.") or host == "::1"):
		parser.error("the target must be a loopback address")
	random.seed(args.seed)
	run_id = time.strftime("%H%M%S")
	stats = Stats()
	roles = [ROLE_CYCLE[i % len(ROLE_CYCLE)] for i in range(args.users)]
	role_count = {role: roles.count(role) for role in set(roles)}
	created: dict[int, list[str]] = defaultdict(list)
	dispatched: dict[int, list[str]] = defaultdict(list)
	progress: dict[int, dict[str, int]] = defaultdict(dict)
	stop = time.monotonic() + args.duration

	def run(i: int, role: str, nth: int):
		try:
			if role == "park":
				u = User(args.url, PARKS[nth % len(PARKS)], stats, run_id)
			elif role == "office":
				u = User(args.url, "office", stats, run_id)
			elif role == "department":
				login = list(DEPARTMENTS)[nth % len(DEPARTMENTS)]
				u = User(args.url, login, stats, run_id)
				same_unit = [
					k
					for k in range(role_count["department"])
					if k % len(DEPARTMENTS) == nth % len(DEPARTMENTS)
				]
			elif role == "reader":
				u = User(args.url, READERS[nth % len(READERS)], stats, run_id)
			else:
				u = User(args.url, "ent1", stats, run_id)
		except Exception as e:
			stats.record("login", 0, repr(e))
			return
		while time.monotonic() < stop:
			if role == "park":
				park_step(u, created[i])
			elif role == "office":
				office_step(u, nth, role_count["office"], dispatched[i])
			elif role == "department":
				department_step(u, DEPARTMENTS[u.login], same_unit.index(nth), len(same_unit), progress[i])
			elif role == "reader":
				read_actions(u)
			else:
				enterprise_step(u)
			time.sleep(random.uniform(0.05, 0.3))

	seen: dict[str, int] = defaultdict(int)
	threads = []
	for i, role in enumerate(roles):
		threads.append(threading.Thread(target=run, args=(i, role, seen[role]), daemon=True))
		seen[role] += 1
	started = time.monotonic()
	for t in threads:
		t.start()
	for t in threads:
		t.join()
	elapsed = time.monotonic() - started

	# lost writes: what the users were told was saved, read back by the office
	checker = User(args.url, "office", Stats(), run_id)
	stored = {row["name"] for row in checker.load_slips([])}
	claimed = {name for names in created.values() for name in names}
	lost = sorted(claimed - stored)
	lost_progress = 0
	for per_user in progress.values():
		for name, count in per_user.items():
			doc = checker.call("check", "GET", f"/api/resource/Whistle Slip/{name}")
			entries = len(doc.json()["data"]["progress"]) if doc is not None else 0
			lost_progress += max(0, count - entries)
	latencies = sorted(stats.latencies)
	p50 = statistics.median(latencies) if latencies else 0
	p95 = latencies[int(0.95 * (len(latencies) - 1))] if latencies else 0
	print(
		f"users: {args.users} ({', '.join(f'{r} {n}' for r, n in sorted(role_count.items()))}); duration {elapsed:.0f} s"
	)
	print(f"requests: {len(latencies)} ({len(latencies) / max(elapsed, 1):.1f}/s)")
	print("by action: " + ", ".join(f"{a} {n}" for a, n in sorted(stats.by_action.items())))
	print(f"errors: {len(stats.errors)}")
	print(f"of which deadlocks: {sum('QueryDeadlockError' in e for e in stats.errors)}")
	for error in stats.errors[:20]:
		print(f"  {error}")
	print(
		f"writes: {len(claimed)} whistles filed, {sum(len(d) for d in dispatched.values())} dispatched, "
		f"{sum(sum(p.values()) for p in progress.values())} progress entries"
	)
	print(f"lost writes: {len(lost) + lost_progress}")
	print(f"latency: p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms")
	return 0 if not stats.errors and not lost and not lost_progress else 1


if __name__ == "__main__":
	sys.exit(main())
