"""Issue #21: the board, the ranking reports and the chart source with and without a read replica.

Run it with ``make replica`` (``scripts/replica.sh start`` first, ``stop`` afterwards), or by hand from
the repository root while the replica runs::

    bash scripts/replica.sh start
    ~/whistle-bench/env/bin/python benchmarks/replica.py --site whistle-perf.localhost
    bash scripts/replica.sh stop

For the run it sets Frappe's replica keys in the site's site_config.json and restores the file byte for
byte afterwards. Frappe 15 reads ``read_from_replica``, ``replica_host`` and ``replica_db_port`` (there
is no ``replica_port``; frappe/__init__.py, ``connect_replica``). ``@frappe.read_only()`` switches
``frappe.db`` to a fresh replica connection for the call when ``read_from_replica`` is set, and only
once per request (``frappe.local.replica_db`` stays set): every call here is made as its own request
(the request-local attributes dropped first), as the desk's HTTP calls are.

Measured, side by side with the replica off and on (``frappe.local.conf.read_from_replica``):

* median time of ``whistle_app.board.get_board`` as the office user, of the Quarterly and Annual
  Ranking reports through ``frappe.desk.query_report.run`` (how the desk runs them; ``@frappe.read_only``
  in Frappe 15) for a quarter and year the dataset evaluated, and of the chart source
  ``whistle_slip_statistics.get`` (open slips by state);
* the queries each server answered per call, from its counters read as root before and after each
  call: the statements of the site's DB user (user statistics, ``userstat`` switched on for the run and
  back afterwards) and the global ``Questions`` and ``Com_select`` (less the counter reads themselves;
  on a shared machine the primary's also count other clients), next to the queries Frappe sent to
  each connection (every query goes through ``Database.sql``);
* the replication lag after a burst of 500 writes on the primary (rows of a scratch table in the site's
  database, dropped afterwards: the dataset is left as it was), with the replica sampled every 50 ms
  (rows it holds, ``Seconds_Behind_Master``);
* that writes never reach the replica: a write inside a ``@frappe.read_only()`` function must fail
  (the replica is read_only and the site's user has SELECT only there); if it does not, the run fails.

Prints the results as JSON and a Markdown table; ``main()`` returns them. Not a test: pytest does not
collect it.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.run import BENCH, SITES, connect, disconnect

OFFICE_USER = "perf-office@whistle.localhost"
PROBE = "_whistle_replica_probe"  # the scratch table of the lag burst, dropped at the end
WRITES = 500
CHART_SOURCE = (
	"whistle_app.whistle.dashboard_chart_source.whistle_slip_statistics.whistle_slip_statistics.get"
)
# MariaDB's root password: scripts/lib.sh passes it (DB_ROOT_PASSWORD, same default)
ROOT_PASSWORD = os.environ.get("DB_ROOT_PASSWORD", "whistle_root")


def log(message: str) -> None:
	print(f"[replica] {message}", flush=True)


# --- the two servers, as root -------------------------------------------------------------------------


def root_connection(port: int, database: str | None = None):
	import pymysql

	return pymysql.connect(
		host="127.0.0.1",
		port=port,
		user="root",
		password=ROOT_PASSWORD,
		database=database,
		autocommit=True,
		charset="utf8mb4",
	)


def query(conn, sql: str, args=None) -> list[tuple]:
	with conn.cursor() as cur:
		cur.execute(sql, args)
		return list(cur.fetchall())


def slave_status(conn) -> dict:
	import pymysql

	with conn.cursor(pymysql.cursors.DictCursor) as cur:
		cur.execute("SHOW SLAVE STATUS")
		return cur.fetchone() or {}


GLOBAL = ("Questions", "Com_select")
SETTLE_S = 0.05
USER = ("select_commands", "update_commands", "other_commands")


class Servers:
	"""Root connections to the primary and the replica, for their status counters and checks.

	Two kinds of counter on each server: the global ``Questions`` and ``Com_select`` (every client's:
	on a shared machine the primary's also count other sites' and other people's work) and, from the
	server's user statistics (``userstat``, switched on for the run and back afterwards), the statements
	of the site's own DB user: select, update and other commands (connection set-up, rollback)."""

	def __init__(self, replica_port: int, db_user: str):
		self.db_user = db_user
		self.primary = root_connection(3306)
		self.replica = root_connection(replica_port)
		self.userstat = {}
		for name, conn in self.items():
			self.userstat[name] = query(conn, "SELECT @@global.userstat")[0][0]
			query(conn, "SET GLOBAL userstat = 1")
		# what reading the counters itself adds (its statements are questions too): the least of a few
		# back-to-back reads, since other clients can only add to it
		self.overhead = {}
		for name, conn in self.items():
			pairs = [(self.counters(conn), self.counters(conn)) for _ in range(5)]
			self.overhead[name] = {k: min(b[k] - a[k] for a, b in pairs) for k in GLOBAL}

	def items(self):
		return (("primary", self.primary), ("replica", self.replica))

	def counters(self, conn) -> dict:
		rows = query(conn, "SHOW GLOBAL STATUS WHERE Variable_name IN ('Questions', 'Com_select')")
		out = {name: int(value) for name, value in rows}
		stats = query(
			conn,
			f"SELECT {', '.join(USER)} FROM information_schema.USER_STATISTICS WHERE user = %s",
			(self.db_user,),
		)
		out.update(zip(USER, stats[0] if stats else (0, 0, 0), strict=True))
		return out

	def read(self, settle: bool = False) -> dict:
		if settle:
			# a server adds a statement to its user statistics just after it has sent the result (and
			# a closed connection's just after it closed): a moment's wait, so that none is missed
			time.sleep(SETTLE_S)
		return {name: self.counters(conn) for name, conn in self.items()}

	def delta(self, before: dict, after: dict) -> dict:
		out = {}
		for name in before:
			d = {k: after[name][k] - before[name][k] for k in (*GLOBAL, *USER)}
			for k in GLOBAL:
				d[k] -= self.overhead[name][k]
			d["site_user"] = sum(d[k] for k in USER)
			out[name] = d
		return out

	def close(self):
		for name, conn in self.items():
			try:
				query(conn, f"SET GLOBAL userstat = {int(self.userstat[name])}")
			finally:
				conn.close()


# --- Frappe ---------------------------------------------------------------------------------------------


def new_request() -> None:
	"""What a new HTTP request starts with: an empty request cache and no replica connection yet
	(``frappe.connect_replica`` connects once per request and ``read_only`` closes it afterwards)."""
	import frappe

	frappe.local.cache = {}
	for attr in ("replica_db", "primary_db"):
		if hasattr(frappe.local, attr):
			delattr(frappe.local, attr)


@contextmanager
def frappe_queries(replica_port: int):
	"""Queries Frappe sends to each connection: ``Database.sql`` counted by the server it talks to."""
	from frappe.database.database import Database

	tally = {"primary": 0, "replica": 0}
	original = Database.sql

	def counted(self, *args, **kwargs):
		tally["replica" if str(self.port) == str(replica_port) else "primary"] += 1
		return original(self, *args, **kwargs)

	Database.sql = counted
	try:
		yield tally
	finally:
		Database.sql = original


def evaluated_period() -> tuple[int, int]:
	"""The latest quarter the dataset has a stored Quarterly Evaluation for, whose year also has an
	Annual Evaluation (the reports read them, they never compute)."""
	import frappe

	years = set(frappe.get_all("Annual Evaluation", pluck="year"))
	quarters = frappe.get_all(
		"Quarterly Evaluation", fields=["year", "quarter"], order_by="year desc, quarter desc"
	)
	for q in quarters:
		if q.year in years:
			return int(q.year), int(q.quarter)
	raise SystemExit("the site has no stored quarterly and annual evaluation of one year (make benchmark)")


def targets(year: int, quarter: int) -> list[tuple[str, str, object, object]]:
	"""(key, label, call, summary of its result): each call is what one desk request runs."""
	import frappe
	from frappe.desk.query_report import run as run_report

	from whistle_app import board

	chart_source = frappe.get_attr(CHART_SOURCE)

	def report(name, filters):
		return lambda: run_report(
			report_name=name, filters=json.dumps(filters), ignore_prepared_report=1, are_default_filters=0
		)

	return [
		("board", "board (get_board, office user)", board.get_board, lambda r: r["total"]),
		(
			"quarterly_ranking",
			f"Quarterly Ranking {year} Q{quarter} (query_report.run)",
			report("Quarterly Ranking", {"year": year, "quarter": quarter}),
			lambda r: len(r["result"]),
		),
		(
			"annual_ranking",
			f"Annual Ranking {year} (query_report.run)",
			report("Annual Ranking", {"year": year}),
			lambda r: len(r["result"]),
		),
		(
			"chart_source",
			"chart source (open slips by state)",
			lambda: chart_source(filters='{"dimension": "open_by_state"}'),
			lambda r: json.dumps(r.get("datasets"), sort_keys=True, default=str),
		),
	]


def measure(servers: Servers, replica_port: int, repeat: int) -> dict:
	"""Each target as the office user, the replica off and on: one warm-up call in each mode, then
	``repeat`` rounds of one timed call without and one with the replica (interleaved, so that the load
	of a shared machine weighs on both alike), each call its own request with the counters read
	around it."""
	import frappe

	year, quarter = evaluated_period()
	log(f"reports of {year} Q{quarter} (stored evaluations of the dataset)")
	frappe.set_user(OFFICE_USER)
	modes = (("without_replica", 0), ("with_replica", 1))
	out = {"period": {"year": year, "quarter": quarter}}
	for key, label, call, summary in targets(year, quarter):
		results, times, counted = {}, {}, {}
		for mode, flag in modes:  # warm-up: caches filled, as on every later visit
			frappe.local.conf.read_from_replica = flag
			new_request()
			results[mode] = summary(call())
			times[mode] = []
			counted[mode] = {"server": [], "frappe": []}
			frappe.db.rollback()
		for _ in range(repeat):
			for mode, flag in modes:
				frappe.local.conf.read_from_replica = flag
				new_request()
				before = servers.read(settle=True)
				with frappe_queries(replica_port) as tally:
					t = time.perf_counter()
					result = call()
					times[mode].append(time.perf_counter() - t)
				counted[mode]["server"].append(servers.delta(before, servers.read(settle=True)))
				counted[mode]["frappe"].append(dict(tally))
				if summary(result) != results[mode]:
					results[mode] = "differs between calls"
				frappe.db.rollback()
		frappe.local.conf.read_from_replica = 1
		row = {"label": label}
		for mode, _flag in modes:
			server, sent = counted[mode]["server"], counted[mode]["frappe"]

			def per_call(rows, field=None):
				return {
					s: statistics.median(r[s][field] if field else r[s] for r in rows)
					for s in ("primary", "replica")
				}

			row[mode] = {
				"median_s": statistics.median(times[mode]),
				"times_s": times[mode],
				"site_user_queries_per_call": per_call(server, "site_user"),
				"site_user_selects_per_call": per_call(server, "select_commands"),
				"global_questions_per_call": per_call(server, "Questions"),
				"global_com_select_per_call": per_call(server, "Com_select"),
				"frappe_queries_per_call": per_call(sent),
				"result": results[mode],
			}
		row["same_result"] = results["without_replica"] == results["with_replica"]
		row["speedup"] = row["without_replica"]["median_s"] / row["with_replica"]["median_s"]
		if key == "chart_source":  # the datasets themselves: compared, not printed
			for mode, _flag in modes:
				row[mode]["result"] = "datasets (compared)"
		log(
			f"{label}: {fmt_ms(row['without_replica']['median_s'])} without, "
			f"{fmt_ms(row['with_replica']['median_s'])} with the replica"
		)
		out[key] = row
	frappe.set_user("Administrator")
	return out


@contextmanager
def probe_table(servers: Servers, db: str):
	"""The scratch table of the burst, created on the primary (replicated) and dropped afterwards."""
	import frappe

	writer = root_connection(3306, database=db)  # default database = the replicated one
	query(writer, "SET SESSION lock_wait_timeout = 60")  # never waits long on a metadata lock
	query(writer, f"DROP TABLE IF EXISTS `{PROBE}`")
	query(
		writer,
		f"CREATE TABLE `{PROBE}` (id int auto_increment primary key, slip varchar(140),"
		" note varchar(140), written_at datetime(6)) ENGINE=InnoDB",
	)
	try:
		deadline = time.monotonic() + 60
		while not query(
			servers.replica,
			"SELECT 1 FROM information_schema.tables WHERE table_schema = %s AND table_name = %s",
			(db, PROBE),
		):
			if time.monotonic() > deadline:
				raise SystemExit(f"the table {PROBE} did not reach the replica within 60 s")
			time.sleep(0.05)
		yield
	finally:
		frappe.db.rollback()  # the site's connection holds no lock on the table any more
		query(writer, f"DROP TABLE IF EXISTS `{PROBE}`")
		writer.close()


def measure_lag(servers: Servers, db: str, writes: int, replica_port: int) -> dict:
	"""``writes`` single-row transactions through the site's own connection on the primary, as fast as
	they go; meanwhile and afterwards a second thread samples the replica every 50 ms (rows it holds,
	``Seconds_Behind_Master``) until it holds them all."""
	import frappe

	frappe.local.conf.read_from_replica = 1
	slips = frappe.get_all("Whistle Slip", pluck="name", order_by="name", limit=writes)
	slips = (slips * (writes // max(len(slips), 1) + 1))[:writes]
	count_sql = f"SELECT COUNT(*) FROM `{db}`.`{PROBE}`"
	written = [0]  # rows committed on the primary so far
	samples: list[dict] = []
	done = threading.Event()

	def sample():
		conn = root_connection(replica_port)
		try:
			deadline = time.perf_counter() + 300
			while time.perf_counter() < deadline:
				now = time.perf_counter()
				on_primary = written[0]
				seen = query(conn, count_sql)[0][0]
				behind = slave_status(conn).get("Seconds_Behind_Master")
				samples.append(
					{
						"t_s": round(now - t0, 3),
						"committed_on_primary": on_primary,
						"on_replica": seen,
						"rows_behind": on_primary - seen,
						"seconds_behind_master": behind,
					}
				)
				if seen >= writes:
					caught_up[0] = time.perf_counter()
					return
				time.sleep(0.05)
		finally:
			conn.close()
			done.set()

	caught_up = [None]
	t0 = time.perf_counter()
	sampler = threading.Thread(target=sample, daemon=True)
	sampler.start()
	for n, slip in enumerate(slips):
		frappe.db.sql(
			f"insert into `{PROBE}` (slip, note, written_at) values (%s, %s, now(6))",
			(slip, f"replica lag probe {n}"),
		)
		frappe.db.commit()
		written[0] = n + 1
	last_commit = time.perf_counter()
	done.wait(310)
	on_primary = frappe.db.sql(f"select count(*) from `{PROBE}`")[0][0]
	frappe.db.rollback()
	if caught_up[0] is None:
		raise SystemExit(f"the replica did not hold the {writes} rows within 300 s: {samples[-1:]}")
	behind = [s["seconds_behind_master"] for s in samples if s["seconds_behind_master"] is not None]
	return {
		"writes": writes,
		"on_primary": on_primary,
		"on_replica": samples[-1]["on_replica"],
		"burst_s": last_commit - t0,
		"lag_after_burst_s": max(0.0, caught_up[0] - last_commit),
		"lag_from_burst_start_s": caught_up[0] - t0,
		"max_rows_behind": max(s["rows_behind"] for s in samples),
		"seconds_behind_master_max": max(behind, default=None),
		"samples": samples,
	}


def prove_no_writes(servers: Servers, db: str, replica_port: int) -> dict:
	"""A read-only method reads the replica; a write inside one fails, on neither server is a row added."""
	import frappe

	frappe.local.conf.read_from_replica = 1

	@frappe.read_only()
	def where_do_reads_go():
		return frappe.db.sql("select @@port, @@server_id, @@read_only, current_user()")[0]

	@frappe.read_only()
	def write_through_read_only():
		frappe.db.sql(
			f"insert into `{PROBE}` (slip, note, written_at) values (%s, %s, now(6))",
			("-", "written through a read-only method: must be refused"),
		)
		frappe.db.commit()
		return frappe.db.port

	new_request()
	port, server_id, read_only, user = where_do_reads_go()
	if int(port) != replica_port:
		raise SystemExit(f"a @frappe.read_only() method read from port {port}, not the replica's")
	count_sql = f"SELECT COUNT(*) FROM `{db}`.`{PROBE}`"
	before = {name: query(conn, count_sql)[0][0] for name, conn in servers.items()}
	new_request()
	try:
		port_written = write_through_read_only()
	except Exception as e:
		error = {"type": f"{type(e).__module__}.{type(e).__name__}", "message": str(e)}
		log(
			f"REFUSED, as it must be: the write inside @frappe.read_only() failed loudly: {error['type']}: {e}"
		)
	else:
		raise SystemExit(
			f"WRITE NOT REFUSED: a write inside @frappe.read_only() succeeded (on port {port_written})"
		)
	finally:
		new_request()
	time.sleep(0.5)  # anything that had reached the primary would be replicated by now
	after = {name: query(conn, count_sql)[0][0] for name, conn in servers.items()}
	if after != before:
		raise SystemExit(f"rows changed by the refused write: {before} -> {after}")
	grants = [g[0] for g in query(servers.replica, f"SHOW GRANTS FOR '{db}'@'localhost'")]
	return {
		"read_only_method_reads_from": {
			"port": int(port),
			"server_id": int(server_id),
			"read_only": int(read_only),
			"user": user,
		},
		"write_refused": True,
		"error": error,
		"rows_before": before,
		"rows_after": after,
		"replica_read_only": int(query(servers.replica, "SELECT @@read_only")[0][0]),
		"site_user_grants_on_replica": grants,
	}


# --- the site's config ------------------------------------------------------------------------------


@contextmanager
def replica_config(site: str, port: int):
	"""Frappe's replica keys in the site's site_config.json for the run; the file restored as it was."""
	path = SITES / site / "site_config.json"
	original = path.read_bytes()
	config = json.loads(original)
	config.update({"read_from_replica": 1, "replica_host": "127.0.0.1", "replica_db_port": port})
	path.write_text(json.dumps(config, indent=1, sort_keys=True))
	try:
		yield config
	finally:
		path.write_bytes(original)
		if path.read_bytes() != original:
			raise SystemExit(f"{path} could not be restored")
		log(f"{path.relative_to(BENCH)} restored as it was")


# --- output ---------------------------------------------------------------------------------------------


def fmt_ms(seconds: float) -> str:
	return f"{seconds * 1000:,.1f} ms"


def fmt_q(per_call: dict) -> str:
	return f"{per_call['primary']:g} / {per_call['replica']:g}"


def table(results: dict) -> str:
	lines = [
		"| call | median without replica | median with replica | speed-up "
		"| queries per call without replica: primary / replica | with replica: primary / replica "
		"| global Questions per call without / with (primary; replica) | same result |",
		"|---|---|---|---|---|---|---|---|",
	]
	for key in ("board", "quarterly_ranking", "annual_ranking", "chart_source"):
		row = results["calls"][key]
		off, on = row["without_replica"], row["with_replica"]
		lines.append(
			f"| {row['label']} | {fmt_ms(off['median_s'])} | {fmt_ms(on['median_s'])} | {row['speedup']:.2f}× "
			f"| {fmt_q(off['site_user_queries_per_call'])} | {fmt_q(on['site_user_queries_per_call'])} "
			f"| {off['global_questions_per_call']['primary']:g} / {on['global_questions_per_call']['primary']:g}; "
			f"{off['global_questions_per_call']['replica']:g} / {on['global_questions_per_call']['replica']:g} "
			f"| {'yes' if row['same_result'] else '**no**'} |"
		)
	lines.append(
		"\nQueries per call: statements of the site's DB user each server counted (user statistics), median "
		"of the timed calls; the global Questions counter also counts every other client of that server "
		"(on a shared machine the primary serves other sites too). Frappe's own count of the queries it "
		"sent to each connection is in the JSON (frappe_queries_per_call)."
	)
	lag = results["lag"]
	lines.append(
		f"\nReplication lag: {lag['writes']} single-row transactions on the primary in {lag['burst_s']:.2f} s; "
		f"the replica held all of them {lag['lag_after_burst_s']:.3f} s after the last commit "
		f"({lag['lag_from_burst_start_s']:.2f} s after the first); at most {lag['max_rows_behind']} rows "
		f"behind during the burst; Seconds_Behind_Master at most {lag['seconds_behind_master_max']} over "
		f"{len(lag['samples'])} samples (every 50 ms)."
	)
	w = results["writes"]
	lines.append(
		f"\nWrites: a @frappe.read_only() method reads from port {w['read_only_method_reads_from']['port']} "
		f"(server_id {w['read_only_method_reads_from']['server_id']}); a write inside one was refused "
		f"({w['error']['type']}: {w['error']['message']}); rows before/after {w['rows_before']} / "
		f"{w['rows_after']}; replica read_only={w['replica_read_only']}; the site user's grants there: "
		f"{'; '.join(w['site_user_grants_on_replica'])}."
	)
	return "\n".join(lines)


def main(argv: list[str] | None = None) -> dict:
	parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
	parser.add_argument("--site", default="whistle-perf.localhost")
	parser.add_argument(
		"--replica-port", type=int, default=int(os.environ.get("WHISTLE_REPLICA_PORT", "3307"))
	)
	parser.add_argument("--repeat", type=int, default=5, help="timed calls per measurement and mode")
	parser.add_argument("--writes", type=int, default=WRITES, help="rows of the lag burst")
	args = parser.parse_args(argv)

	db = json.loads((SITES / args.site / "site_config.json").read_text())["db_name"]
	servers = Servers(args.replica_port, db)
	results: dict = {"site": args.site, "replica_port": args.replica_port, "repeat": args.repeat}
	try:
		status = slave_status(servers.replica)
		if status.get("Slave_IO_Running") != "Yes" or status.get("Slave_SQL_Running") != "Yes":
			raise SystemExit("the replica does not replicate; start it with: bash scripts/replica.sh start")
		with replica_config(args.site, args.replica_port) as config:
			results["site_config_keys"] = {
				k: config[k] for k in ("read_from_replica", "replica_host", "replica_db_port")
			}
			connect(args.site)
			try:
				log(f"calls with and without the replica ({args.repeat} timed calls each)")
				results["calls"] = measure(servers, args.replica_port, args.repeat)
				with probe_table(servers, db):
					log(f"replication lag after a burst of {args.writes} writes")
					results["lag"] = measure_lag(servers, db, args.writes, args.replica_port)
					log("a write through a read-only method")
					results["writes"] = prove_no_writes(servers, db, args.replica_port)
			finally:
				disconnect()
	finally:
		servers.close()
	print(json.dumps(results, indent=1, ensure_ascii=False, default=str))
	print()
	print(table(results))
	return results


if __name__ == "__main__":
	main()
