"""Benchmarks of issue #10: each product figure next to a Frappe baseline measured in the same run.

Run it with ``make benchmark`` (scripts/benchmark.sh sets up the benchmark site first), or by hand on a
benchmark site (``"whistle_perf_site": 1`` in its site_config.json) from the repository root::

    ~/whistle-bench/env/bin/python benchmarks/run.py --site whistle-perf.localhost --port 8090

Steps: generate the district dataset (``bench whistle-generate --scale district``), time the deadline
job; generate the province dataset, time the deadline job again, the quarterly and annual evaluation,
count the queries of the office workspace and the board; start gunicorn on the port and run the HTTP
measurements with 10 concurrent clients (slip creation + dispatch against ToDo inserts, the quarterly
ranking report against ``/api/method/ping``). Prints the table (Markdown, as in BENCHMARKS.md) and
writes every number to ``benchmarks/results.json``.

Not a test: pytest does not collect it (``tests/`` is the test path). Every loop is bounded in count and
time; the only server it talks to is the one it starts on 127.0.0.1, which it stops at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENCH = Path(os.environ.get("WHISTLE_BENCH", Path.home() / "whistle-bench"))
SITES = BENCH / "sites"
RESULTS = REPO / "benchmarks" / "results.json"
SEED = 7
YEAR = 2025
PASSWORD = "Whistle@2026"
CLIENTS = 10
TIME_LIMIT = 300  # seconds per HTTP measurement, whatever the count
RETRIES = 10  # a request that deadlocked is sent again, at most this often (counted)
DEADLOCK_LOCK = threading.Lock()

# one raw SELECT of the rows the deadline job reads (clocks.due_rows without the query builder)
DUE_ROWS_SQL = """
select s.name, s.title, s.warning_level, s.overdue, d.name, d.department, d.warning_level, d.overdue,
	s.response_deadline, s.meeting_deadline, s.completion_deadline
from `tabWhistle Slip` s
join `tabWhistle Slip Department` d
	on d.parent = s.name and d.parenttype = 'Whistle Slip' and d.parentfield = 'departments'
where d.department_role in ('Sole', 'Lead') and (
	(s.workflow_state = '待报到' and s.response_deadline < %(cutoff)s and ifnull(s.response_status, '') = '')
	or (s.workflow_state in ('待报到', '待审核抄送', '办理中') and s.meeting_deadline < %(cutoff)s
		and s.meeting_recorded_on is null)
	or (s.workflow_state in ('待审核抄送', '办理中') and s.completion_deadline < %(cutoff)s
		and s.completed_on is null))
order by s.name
"""
# one raw aggregate over the slip scores the year's evaluations read
SCORES_SQL = """
select department, quarter(closed_on), count(*), sum(slip_score), sum(excluded_from_assessment)
from `tabWhistle Slip Score`
where rating_complete = 1 and closed_on >= %(start)s and closed_on < %(end)s
group by department, quarter(closed_on)
"""
# one raw aggregate over the slips the analysis report counts (RULES §14: by category and month)
ANALYSIS_SQL = """
select category, date_format(creation, '%%Y%%m'), count(*)
from `tabWhistle Slip`
where workflow_state != '草稿' and creation >= %(start)s and creation < %(end)s
group by category, date_format(creation, '%%Y%%m')
"""
# one raw select of what the analysis report's time per stage reads: the sole or lead department's
# slips with their timestamps, and the first submission of each from the state history
STAGE_SQL = """
select s.name, d.department, s.creation, s.dispatched_on, s.reported_on, s.completed_on, s.closed_on,
	(select min(l.changed_on) from `tabWhistle Slip State Log` l
		where l.parent = s.name and l.parenttype = 'Whistle Slip' and l.to_state = '待审核')
from `tabWhistle Slip` s
join `tabWhistle Slip Department` d on d.parent = s.name and d.parenttype = 'Whistle Slip'
where s.workflow_state != '草稿' and s.creation >= %(start)s and s.creation < %(end)s
	and d.department_role in ('Sole', 'Lead')
"""
# one raw aggregate over the ratings the rater fairness statistics read (RULES §14)
RATINGS_SQL = """
select rater_unit, rated_department, count(*), sum(total)
from `tabWhistle Rating`
where docstatus = 1 and rated_on >= %(start)s and rated_on < %(end)s
group by rater_unit, rated_department
"""


def log(message: str) -> None:
	print(f"[benchmark] {message}", flush=True)


def median_time(fn, repeat: int = 3) -> float:
	times = []
	for _ in range(repeat):
		t = time.perf_counter()
		fn()
		times.append(time.perf_counter() - t)
	return statistics.median(times)


def p95(values: list[float]) -> float:
	values = sorted(values)
	return values[max(0, round(0.95 * len(values)) - 1)]


# --- the site: datasets and in-process measurements -----------------------------------------------------


def generate(site: str, scale: str) -> dict:
	"""Run the generator command; its summary (rows per table, states, seconds, checksums)."""
	log(f"generating the {scale} dataset (seed {SEED}) on {site}")
	out = subprocess.run(
		["bench", "--site", site, "whistle-generate", "--scale", scale, "--seed", str(SEED), "--wipe"],
		cwd=BENCH,
		check=True,
		capture_output=True,
		text=True,
	).stdout
	summary = json.loads(out[out.index("\n{") + 1 : out.rindex("\n}") + 2])
	log(f"{summary['slips']:,} slips in {summary['seconds']['total']} s")
	return summary


def connect(site: str):
	import frappe

	os.chdir(SITES)
	frappe.init(site=site, sites_path=str(SITES))
	frappe.connect()
	frappe.set_user("Administrator")
	return frappe


def disconnect() -> None:
	import frappe

	frappe.db.rollback()
	frappe.destroy()


def measure_deadline_job() -> dict:
	"""The deadline job at the dataset's moment (steady state: the generator left what the job writes)
	against one raw SELECT of the rows it reads."""
	import frappe

	from whistle_app import clocks
	from whistle_app.dev import perfdata
	from whistle_app.rules import lifecycle as lc

	frappe.flags.current_datetime = perfdata.END
	warn_days, _serious = clocks.get_thresholds()
	cutoff = clocks.due_cutoff(perfdata.END, warn_days)
	summary = clocks.process_deadlines(commit=False)  # warms the calendar; must find nothing to write
	frappe.db.rollback()
	job = median_time(lambda: clocks.process_deadlines(commit=False))
	frappe.db.rollback()
	select = median_time(lambda: frappe.db.sql(DUE_ROWS_SQL, {"cutoff": cutoff}))
	rows = frappe.db.sql(DUE_ROWS_SQL, {"cutoff": cutoff})
	frappe.flags.current_datetime = None
	return {
		"slips": frappe.db.count("Whistle Slip"),
		"open_slips": frappe.db.count("Whistle Slip", {"workflow_state": ("in", sorted(lc.OPEN_STATES))}),
		"due_rows": len(rows),
		"first_run_changes": {k: v for k, v in summary.items() if k not in ("slips", "failed")},
		"job_s": job,
		"select_s": select,
		"ratio": job / select,
	}


def measure_evaluation() -> dict:
	"""The four quarterly and the annual evaluation computed and written from scratch (in a
	transaction rolled back afterwards) against one raw GROUP BY over the same slip scores."""
	import frappe

	from whistle_app import evaluation as ev
	from whistle_app.dev import perfdata

	def evaluate_all():
		frappe.db.savepoint("benchmark_evaluation")
		for doctype, child in ((ev.QUARTERLY, ev.QUARTERLY_ROW), (ev.ANNUAL, ev.ANNUAL_ROW)):
			frappe.db.delete(child, {"parent": ("like", f"%{YEAR}%")})
			frappe.db.delete(doctype, {"name": ("like", f"%{YEAR}%")})
		t = time.perf_counter()
		for quarter in (1, 2, 3, 4):
			ev.evaluate_quarter(YEAR, quarter)
		ev.evaluate_year(YEAR)
		elapsed = time.perf_counter() - t
		frappe.db.rollback(save_point="benchmark_evaluation")
		return elapsed

	frappe.flags.current_datetime = perfdata.END
	frappe.flags.current_date = perfdata.END.date()
	evaluate_all()  # warm
	job = statistics.median(evaluate_all() for _ in range(3))
	frappe.db.rollback()
	params = {"start": f"{YEAR}-01-01", "end": f"{YEAR + 1}-01-01"}
	select = median_time(lambda: frappe.db.sql(SCORES_SQL, params))
	scores = frappe.db.count(
		"Whistle Slip Score", {"closed_on": ("between", [params["start"], params["end"]])}
	)
	frappe.flags.current_datetime = frappe.flags.current_date = None
	return {"slip_scores": scores, "job_s": job, "select_s": select, "ratio": job / select}


def measure_fairness() -> dict:
	"""The rater fairness statistics of the year's four quarters (the job's two grouped queries and
	the pure rules; storing them is left out, so the site is only read) against one raw GROUP BY per
	quarter over the same ratings."""
	import frappe

	from whistle_app import fairness
	from whistle_app.surveys import quarter_window

	def compute_all():
		t = time.perf_counter()
		for quarter in (1, 2, 3, 4):
			fairness.compute_quarter(YEAR, quarter)
		return time.perf_counter() - t

	compute_all()  # warm
	job = statistics.median(compute_all() for _ in range(3))
	windows = [quarter_window(YEAR, quarter) for quarter in (1, 2, 3, 4)]
	select = median_time(
		lambda: [frappe.db.sql(RATINGS_SQL, {"start": start, "end": end}) for start, end in windows]
	)
	ratings = frappe.db.count(
		"Whistle Rating", {"docstatus": 1, "rated_on": (">=", windows[0][0])}
	) - frappe.db.count("Whistle Rating", {"docstatus": 1, "rated_on": (">=", windows[-1][1])})
	return {"ratings": ratings, "job_s": job, "select_s": select, "ratio": job / select}


def measure_analysis() -> dict:
	"""Report 吹哨研判分析 (RULES §14) over the year as the office: counts and trend by category per
	month against one raw GROUP BY of the same slips, and the time per stage per department against
	one raw SELECT of the same timestamps."""
	import frappe

	from whistle_app.dev import perfdata
	from whistle_app.whistle.report.whistle_analysis import whistle_analysis as report

	params = {"start": f"{YEAR}-01-01", "end": f"{YEAR + 1}-01-01"}
	base = {"from_date": f"{YEAR}-01-01", "to_date": f"{YEAR}-12-31", "granularity": "Month"}
	frappe.set_user(perfdata.OFFICE_USER)
	try:
		results = {}
		for key, filters, sql in (
			("counts", {**base, "group_by": "Category"}, ANALYSIS_SQL),
			("stages", {**base, "view": "Time per Stage"}, STAGE_SQL),
		):
			report.execute(dict(filters))  # warm
			product = median_time(lambda filters=filters: report.execute(dict(filters)))
			raw = median_time(lambda sql=sql: frappe.db.sql(sql, params))
			results[key] = {"report_s": product, "select_s": raw, "ratio": product / raw}
	finally:
		frappe.set_user("Administrator")
	results["slips"] = frappe.db.count(
		"Whistle Slip", {"creation": ("between", [params["start"], f"{YEAR}-12-31 23:59:59"])}
	)
	return results


class QueryCounter:
	"""Counts every ``frappe.db.sql`` call (the query builder, get_value and get_list all go through it)."""

	def __enter__(self):
		import frappe

		self.db, self.count = frappe.db, 0
		self.original = self.db.sql

		def counted(*args, **kwargs):
			self.count += 1
			return self.original(*args, **kwargs)

		self.db.sql = counted
		return self

	def __exit__(self, *exc):
		self.db.sql = self.original


def open_workspace(name: str, widget_documents: bool = True) -> None:
	"""What the desk calls when the workspace page opens (frappe/public/js/frappe/views/workspace and
	widgets): the sidebar, the page, each widget's document (number card, chart, custom block) and
	its data (a card's count, a chart's source, the desk block's summary) and each shortcut's count."""
	import frappe
	from frappe.client import get_count
	from frappe.desk.desktop import get_desktop_page, get_workspace_sidebar_items
	from frappe.desk.doctype.dashboard_chart_source.dashboard_chart_source import get_config
	from frappe.desk.doctype.number_card.number_card import get_result
	from frappe.desk.form.load import getdoc

	from whistle_app import desk_summary

	def request():
		"""Each call below is its own HTTP request in the desk: nothing stays in the request's cache."""
		frappe.local.cache = {}

	get_workspace_sidebar_items()
	request()
	page = get_desktop_page(json.dumps({"name": name, "title": name, "public": 1}))
	for card in page["number_cards"]["items"]:
		request()
		if widget_documents:
			getdoc("Number Card", card.number_card_name)
		# the desk sends the card document it already holds: the cached copy stands in for it here
		doc = frappe.get_cached_doc("Number Card", card.number_card_name)
		get_result(doc.as_dict(), doc.filters_json)
	for chart in page["charts"]["items"]:
		request()
		if widget_documents:
			getdoc("Dashboard Chart", chart.chart_name)
		doc = frappe.get_cached_doc("Dashboard Chart", chart.chart_name)
		if doc.chart_type == "Custom":
			get_config(doc.source)
			source = frappe.get_attr(
				"whistle_app.whistle.dashboard_chart_source.whistle_slip_statistics.whistle_slip_statistics.get"
			)
			source(filters=doc.filters_json)
		else:
			frappe.get_attr("frappe.desk.doctype.dashboard_chart.dashboard_chart.get")(chart_name=doc.name)
	for block in page["custom_blocks"]["items"]:
		request()
		if widget_documents:
			getdoc("Custom HTML Block", block.custom_block_name)
			request()
		if block.custom_block_name == desk_summary.BLOCKS.get(name):
			desk_summary.get_summary(name)
	for shortcut in page["shortcuts"]["items"]:
		if shortcut.get("stats_filter"):
			request()
			get_count(shortcut.link_to, json.loads(shortcut.stats_filter))


# a department's liaison and a park's agent of the generated datasets (whistle_app/dev/perfdata.py)
DEPARTMENT_USER = "perf-dept01@whistle.localhost"
PARK_USER = "perf-park001@whistle.localhost"


def measure_queries() -> dict:
	"""Queries to render each desk workspace as its user (the office, a department, a park) and the
	board as the office: cold (caches cleared) and warm (the same call again, as every later visit).
	The desks' summary is cached per user (whistle_app.desk_summary): the warm visit finds it, the cold
	one computes it."""
	import frappe

	from whistle_app import board, desk_cache
	from whistle_app.dev import perfdata

	out = {}
	for label, user, fn in (
		("workspace", perfdata.OFFICE_USER, lambda: open_workspace("Whistle Office Desk")),
		(
			"workspace_data",
			perfdata.OFFICE_USER,
			lambda: open_workspace("Whistle Office Desk", widget_documents=False),
		),
		("workspace_department", DEPARTMENT_USER, lambda: open_workspace("Department Desk")),
		("workspace_park", PARK_USER, lambda: open_workspace("Park Desk")),
		("board", perfdata.OFFICE_USER, board.get_board),
	):
		# cold: right after a global cache clear (a deploy: Frappe reloads every DocType's meta), then
		# right after the user's own cache is cleared (a login, a change of roles); warm: every later visit
		counts = {}
		for state in ("cold", "cold_user", "warm"):
			if state == "cold":
				frappe.clear_cache()
			elif state == "cold_user":
				frappe.clear_cache(user=user)
				desk_cache.bump_version()  # and the desk's cached summary is computed afresh
			frappe.set_user(user)
			frappe.local.cache = {}
			with QueryCounter() as counter:
				fn()
			counts[state] = counter.count
		frappe.set_user("Administrator")
		out[label] = counts
	frappe.db.rollback()
	return out


def prepare_logins(clients: int) -> dict:
	"""Passwords for the office user and the first park users (the benchmark's logins)."""
	import frappe
	from frappe.utils.password import update_password

	from whistle_app.dev import perfdata

	parks = frappe.get_all(
		"User", filters={"name": ("like", "perf-park%")}, pluck="name", order_by="name", limit=clients
	)
	for user in [perfdata.OFFICE_USER, *parks]:
		update_password(user, PASSWORD)
	departments = frappe.get_all(
		"Whistle Unit", filters={"unit_type": "Reporting Unit", "enabled": 1}, pluck="name", order_by="name"
	)
	frappe.db.commit()
	return {"office": perfdata.OFFICE_USER, "parks": parks, "departments": departments}


# --- HTTP ------------------------------------------------------------------------------------------------------


def free_port(port: int) -> bool:
	with socket.socket() as s:
		s.settimeout(0.5)
		return s.connect_ex(("127.0.0.1", port)) != 0


class Server:
	"""gunicorn (Frappe's production server) on 127.0.0.1:port, started and stopped by this script."""

	def __init__(self, site: str, port: int, workers: int):
		self.site, self.port, self.workers = site, port, workers
		self.base = f"http://127.0.0.1:{port}"

	def __enter__(self):
		import requests

		if not free_port(self.port):
			raise SystemExit(f"port {self.port} is in use; pass another with --port")
		self.log = open(BENCH / "logs" / "whistle-benchmark-server.log", "w")
		self.proc = subprocess.Popen(
			[
				str(BENCH / "env" / "bin" / "gunicorn"),
				"-b",
				f"127.0.0.1:{self.port}",
				"-w",
				str(self.workers),
				"-t",
				"120",
				"--preload",
				"frappe.app:application",
			],
			cwd=SITES,
			stdout=self.log,
			stderr=subprocess.STDOUT,
			start_new_session=True,
		)
		deadline = time.monotonic() + 90
		while time.monotonic() < deadline:
			try:
				r = requests.get(f"{self.base}/api/method/ping", headers={"Host": self.site}, timeout=2)
				if r.ok:
					return self
			except requests.RequestException:
				pass
			if self.proc.poll() is not None:
				break
			time.sleep(0.5)
		self.__exit__()
		raise SystemExit(f"gunicorn did not start; see {self.log.name}")

	def __exit__(self, *exc):
		if self.proc.poll() is None:
			os.killpg(self.proc.pid, 15)
			try:
				self.proc.wait(timeout=30)
			except subprocess.TimeoutExpired:
				os.killpg(self.proc.pid, 9)
		self.log.close()


class Client:
	def __init__(self, server: Server, user: str):
		import requests

		self.base = server.base
		self.session = requests.Session()
		self.session.headers["Host"] = server.site
		r = self.session.post(
			f"{self.base}/api/method/login", data={"usr": user, "pwd": PASSWORD}, timeout=60
		)
		r.raise_for_status()

	deadlocks = 0  # requests that MariaDB refused with a deadlock and the client sent again

	def call(self, method: str, path: str, **kwargs):
		for attempt in range(RETRIES + 1):
			r = self.session.request(method, f"{self.base}{path}", timeout=120, **kwargs)
			if r.status_code == 500 and "QueryDeadlockError" in r.text and attempt < RETRIES:
				with DEADLOCK_LOCK:
					Client.deadlocks += 1  # MariaDB rolled the request back (see BENCHMARKS.md): retry
				time.sleep(random.uniform(0.05, 0.2) * (attempt + 1))
				continue
			if not r.ok:
				raise RuntimeError(f"{method} {path}: {r.status_code} {r.text[:300]}")
			return r.json()


def run_concurrently(operation, per_client: int, clients: list) -> dict:
	"""Each client runs ``operation`` ``per_client`` times (after one warm-up); latency per operation,
	throughput over the wall time of all clients. Bounded by TIME_LIMIT."""
	latencies: list[float] = []
	failures: list[int] = []
	lock = threading.Lock()
	stop_at = time.monotonic() + TIME_LIMIT

	def work(i):
		operation(clients[i], i, -1)  # warm-up, not counted
		mine, failed = [], 0
		for n in range(per_client):
			if time.monotonic() > stop_at:
				break
			t = time.perf_counter()
			try:
				operation(clients[i], i, n)
			except RuntimeError as e:  # still failing after the retries: counted, not timed
				failed += 1
				log(f"operation failed: {str(e)[:160]}")
				continue
			mine.append(time.perf_counter() - t)
		with lock:
			latencies.extend(mine)
			failures.append(failed)

	t = time.perf_counter()
	with ThreadPoolExecutor(len(clients)) as pool:
		list(pool.map(work, range(len(clients))))
	wall = time.perf_counter() - t
	return {
		"operations": len(latencies),
		"failed": sum(failures),
		"throughput": len(latencies) / wall,
		"p50_s": statistics.median(latencies),
		"p95_s": p95(latencies),
	}


def measure_http(site: str, port: int, logins: dict, per_client: int, workers: int) -> dict:
	stamp = int(time.time())
	with Server(site, port, workers) as server:
		log(f"gunicorn ({workers} workers) on {server.base}; logging in {CLIENTS} park and office clients")
		parks = [Client(server, user) for user in logins["parks"][:CLIENTS]]
		offices = [Client(server, logins["office"]) for _ in range(CLIENTS)]
		pairs = list(zip(parks, offices, strict=True))
		departments = logins["departments"]

		def slip(pair, i, n):
			park, office = pair
			name = park.call(
				"POST",
				"/api/resource/Whistle Slip",
				data={
					"data": json.dumps(
						{
							"title": f"压测吹哨事项 {stamp}-{i}-{n}",
							"category": "Comprehensive Coordination",
							"description": "企业反映厂区周边道路破损，影响物流运输。",
						}
					)
				},
			)["data"]["name"]
			park.call(
				"POST", "/api/method/whistle_app.lifecycle.act", data={"slip": name, "action": "提交吹哨"}
			)
			department = departments[(i * 7 + n) % len(departments)]
			office.call(
				"PUT",
				f"/api/resource/Whistle Slip/{name}",
				data={
					"data": json.dumps(
						{
							"scope": "Single",
							"departments": [{"department": department, "department_role": "Sole"}],
						}
					)
				},
			)
			office.call(
				"POST", "/api/method/whistle_app.lifecycle.act", data={"slip": name, "action": "派单"}
			)

		def todo(pair, i, n):
			"""The same four requests with Frappe's ToDo: the park user inserts and updates one, the
			office user inserts its own about it and closes it (a ToDo is its holder's only)."""
			park, office = pair
			name = park.call(
				"POST",
				"/api/resource/ToDo",
				data={
					"data": json.dumps(
						{"description": f"压测待办 {stamp}-{i}-{n}", "allocated_to": logins["parks"][i]}
					)
				},
			)["data"]["name"]
			park.call("PUT", f"/api/resource/ToDo/{name}", data={"data": json.dumps({"priority": "High"})})
			mine = office.call(
				"POST",
				"/api/resource/ToDo",
				data={
					"data": json.dumps(
						{
							"description": f"转办：压测待办 {stamp}-{i}-{n}",
							"allocated_to": logins["office"],
						}
					)
				},
			)["data"]["name"]
			office.call("PUT", f"/api/resource/ToDo/{mine}", data={"data": json.dumps({"status": "Closed"})})

		log(
			f"slip creation + dispatch vs ToDo: {CLIENTS} clients x {per_client} operations (4 requests each)"
		)
		todo_result = run_concurrently(todo, per_client, pairs)
		todo_result["deadlock_retries"], Client.deadlocks = Client.deadlocks, 0
		slip_result = run_concurrently(slip, per_client, pairs)
		slip_result["deadlock_retries"], Client.deadlocks = Client.deadlocks, 0

		filters = json.dumps({"year": YEAR, "quarter": 4})

		def report(pair, i, n):
			pair[1].call(
				"GET",
				"/api/method/frappe.desk.query_report.run",
				params={"report_name": "Quarterly Ranking", "filters": filters, "ignore_prepared_report": 1},
			)

		def ping(pair, i, n):
			pair[1].call("GET", "/api/method/ping")

		log(f"quarterly ranking report vs ping: {CLIENTS} clients x {per_client * 2} requests")
		ping_result = run_concurrently(ping, per_client * 2, pairs)
		report_result = run_concurrently(report, per_client * 2, pairs)
	return {
		"slip": slip_result,
		"todo": todo_result,
		"slip_ratio": todo_result["throughput"] / slip_result["throughput"],
		"slip_p95_ratio": slip_result["p95_s"] / todo_result["p95_s"],
		"report": report_result,
		"ping": ping_result,
		"report_p95_ratio": report_result["p95_s"] / ping_result["p95_s"],
	}


# --- the table ----------------------------------------------------------------------------------------------


def machine() -> dict:
	cpu = next(
		(
			line.split(":", 1)[1].strip()
			for line in Path("/proc/cpuinfo").read_text().splitlines()
			if line.startswith("model name")
		),
		platform.processor(),
	)
	mem = next(
		int(line.split()[1]) // 1024 // 1024
		for line in Path("/proc/meminfo").read_text().splitlines()
		if line.startswith("MemTotal")
	)
	return {"nproc": os.cpu_count(), "ram_gib": mem, "cpu": cpu, "python": platform.python_version()}


def fmt_s(seconds: float) -> str:
	return f"{seconds * 1000:,.1f} ms" if seconds < 10 else f"{seconds:,.1f} s"


def table(results: dict) -> str:
	lines = [
		"| measurement | product | baseline (same run) | ratio | target | met |",
		"|---|---|---|---|---|---|",
	]

	def add(name, product, baseline, ratio, target, met):
		lines.append(
			f"| {name} | {product} | {baseline} | {ratio:.1f}× | {target} | {'yes' if met else '**no**'} |"
		)

	for scale in ("district", "province"):
		d = results.get("deadline", {}).get(scale)
		if d:
			add(
				f"deadline job, {scale} ({d['slips']:,} slips, {d['open_slips']:,} open, {d['due_rows']:,} due rows)",
				fmt_s(d["job_s"]),
				f"raw SELECT {fmt_s(d['select_s'])}",
				d["ratio"],
				"≤ 5×",
				d["ratio"] <= 5,
			)
	growth = results.get("deadline_growth")
	if growth:
		lines.append(
			f"| deadline job growth district → province | {growth['job']:.1f}× time for {growth['slips']:.0f}× slips "
			f"| raw SELECT {growth['select']:.1f}× | | ≤ linear | {'yes' if growth['job'] <= growth['slips'] else '**no**'} |"
		)
	e = results.get("evaluation")
	if e:
		add(
			f"quarterly ×4 + annual evaluation, province ({e['slip_scores']:,} slip scores)",
			fmt_s(e["job_s"]),
			f"raw GROUP BY {fmt_s(e['select_s'])}",
			e["ratio"],
			"≤ 3×",
			e["ratio"] <= 3,
		)
	f = results.get("fairness")
	if f:
		add(
			f"rater fairness statistics, 4 quarters, province ({f['ratings']:,} ratings)",
			fmt_s(f["job_s"]),
			f"raw GROUP BY {fmt_s(f['select_s'])}",
			f["ratio"],
			"≤ 3×",
			f["ratio"] <= 3,
		)
	a = results.get("analysis")
	if a:
		for key, label, baseline in (
			("counts", "counts and trend by category per month", "raw GROUP BY"),
			("stages", "time per stage per department (median, P90)", "raw SELECT"),
		):
			add(
				f"analysis report, {label}, province ({a['slips']:,} slips)",
				fmt_s(a[key]["report_s"]),
				f"{baseline} {fmt_s(a[key]['select_s'])}",
				a[key]["ratio"],
				"≤ 3×",
				a[key]["ratio"] <= 3,
			)
	h = results.get("http")
	if h:
		s, t = h["slip"], h["todo"]
		add(
			f"slip creation + dispatch over REST, {CLIENTS} clients (throughput)",
			f"{s['throughput']:.1f} /s (p95 {fmt_s(s['p95_s'])}; {s['deadlock_retries']} requests retried after a "
			f"deadlock, {s['failed']} operations failed)",
			f"ToDo {t['throughput']:.1f} /s (p95 {fmt_s(t['p95_s'])})",
			h["slip_ratio"],
			"≤ 3×",
			h["slip_ratio"] <= 3,
		)
		add(
			f"slip creation + dispatch over REST, {CLIENTS} clients (p95)",
			fmt_s(s["p95_s"]),
			f"ToDo {fmt_s(t['p95_s'])}",
			h["slip_p95_ratio"],
			"≤ 3×",
			h["slip_p95_ratio"] <= 3,
		)
		r, p = h["report"], h["ping"]
		add(
			f"quarterly ranking report over HTTP, {CLIENTS} clients (p95)",
			fmt_s(r["p95_s"]),
			f"ping {fmt_s(p['p95_s'])}",
			h["report_p95_ratio"],
			"< 10×",
			h["report_p95_ratio"] < 10,
		)
	q = results.get("queries")
	if q:
		for label, name in (
			("workspace", "office workspace (Whistle Office Desk), every call the desk makes"),
			("workspace_data", "office workspace: sidebar, page, the desk's summary (no widget documents)"),
			("workspace_department", "department workspace (Department Desk), every call the desk makes"),
			("workspace_park", "park workspace (Park Desk), every call the desk makes"),
			("board", "board (get_board)"),
		):
			c = q[label]
			met = c["warm"] < 50 and c.get("cold_user", 0) < 150
			lines.append(
				f"| queries to render the {name} | {c['warm']} (after the user's cache is cleared: "
				f"{c.get('cold_user', '–')}; after a global cache clear: {c['cold']}) "
				f"| | | < 50 (< 150 after the user's cache is cleared) | {'yes' if met else '**no**'} |"
			)
	for scale, d in results.get("datasets", {}).items():
		lines.append(
			f"\nDataset {scale}: {d['slips']:,} slips, {sum(d['rows'].values()):,} rows generated in "
			f"{d['seconds']['total']} s (build {d['seconds']['build']} s, write {d['seconds']['write']} s, "
			f"surveys/bulletins/evaluations through the app {d['seconds']['app_code']} s); states: "
			+ ", ".join(f"{state} {n:,}" for state, n in d["states"].items())
		)
	return "\n".join(lines)


def main() -> None:
	parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
	parser.add_argument("--site", default="whistle-perf.localhost")
	parser.add_argument("--port", type=int, default=8090)
	parser.add_argument("--per-client", type=int, default=10, help="operations per HTTP client")
	parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1, help="gunicorn workers")
	parser.add_argument("--skip-district", action="store_true", help="measure the province set only")
	parser.add_argument(
		"--reuse", action="store_true", help="do not generate; measure the dataset on the site"
	)
	args = parser.parse_args()
	sys.path.insert(0, str(REPO))

	results: dict = {"machine": machine(), "site": args.site, "seed": SEED, "deadline": {}, "datasets": {}}
	scales = ["province"] if args.skip_district else ["district", "province"]
	for scale in scales:
		if not args.reuse:
			results["datasets"][scale] = generate(args.site, scale)
		connect(args.site)
		try:
			log(f"deadline job ({scale})")
			results["deadline"][scale] = measure_deadline_job()
			if scale == "province":
				log("evaluation (province)")
				results["evaluation"] = measure_evaluation()
				log("analysis report (province)")
				results["analysis"] = measure_analysis()
				log("rater fairness statistics (province)")
				results["fairness"] = measure_fairness()
				log("queries of the workspace and the board")
				results["queries"] = measure_queries()
				logins = prepare_logins(CLIENTS)
		finally:
			disconnect()
	if "district" in results["deadline"]:
		d, p = results["deadline"]["district"], results["deadline"]["province"]
		results["deadline_growth"] = {
			"slips": p["slips"] / d["slips"],
			"job": p["job_s"] / d["job_s"],
			"select": p["select_s"] / d["select_s"],
		}
	RESULTS.write_text(json.dumps(results, indent=1, ensure_ascii=False, default=str) + "\n")  # so far
	results["http"] = measure_http(args.site, args.port, logins, args.per_client, args.workers)
	RESULTS.write_text(json.dumps(results, indent=1, ensure_ascii=False, default=str) + "\n")
	m = results["machine"]
	print()
	print(f"Machine: {m['nproc']} CPUs ({m['cpu']}), {m['ram_gib']} GiB RAM, Python {m['python']}")
	print(table(results))
	print(f"\n(all numbers: {RESULTS.relative_to(REPO)})")


if __name__ == "__main__":
	main()
