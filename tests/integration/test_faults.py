"""Faults (issue #11): a worker killed in the middle of a job leaves nothing half-written and the
re-run completes without sending anything twice; database connections killed, and the MariaDB server
restarted, under HTTP traffic lose no committed whistle.

Jobs run the way a worker runs them: a Python process connects to the site, runs the ``before_job``
hooks and the job, and commits (``WORKER``), with ``frappe.flags.current_date`` as the job's today. To
kill it *mid-run* deterministically, a second database connection first holds, uncommitted, something
the job needs part of the way through: a later slip's row (deadline job: the first slips are done and
committed), the gap where Q2's unit rows go (evaluation job: Q1 committed, Q2's parent row written),
one office user's notification settings (bulletin job: the bulletin and its rows written, the office
being notified). The job waits there (the processlist shows its statement) and is killed with SIGKILL.

The restart is real (``/etc/init.d/mariadb restart``, root): every site on the server sees it.
"""

import os
import signal
import subprocess
import threading
import time
from dataclasses import dataclass

import frappe
import pymysql
import pytest
import requests
from frappe.tests.utils import FrappeTestCase

from tests.conftest import BENCH_DIR, TEST_SITE
from tests.dbconn import connect
from tests.factory import ensure_demo, slip_in_handling
from tests.http import Client
from tests.integration.cleanup import purge_all
from whistle_app.dev import demo
from whistle_app.transactions import read_committed

FAULTS: dict[str, int] = {}
RESTART = ["/etc/init.d/mariadb", "restart"]


def freeze(moment):
	return FrappeTestCase.freeze_time(None, moment)


# --- jobs: one entry each -----------------------------------------------------------------------------


@dataclass
class Job:
	path: str
	setup: callable  # () -> names of the documents the job works on (committed)
	rows: callable  # (names) -> {name: (what the job wrote for it, as comparable values)}
	complete: callable  # (rows) -> True when the job's work on every document is done
	inconsistencies: callable  # (rows) -> documents the job left half-written
	lock: callable  # (cursor, names) -> None: hold, uncommitted, what the job needs part-way
	reached_lock: callable  # (cursor, names) -> True once the job waits on that lock
	current_date: str = ""  # the job's today (frappe.flags.current_date); "" is the real today
	partial: bool = True  # whether the job commits part of its work before it reaches the lock
	doctype: str = "Whistle Slip"  # the documents' DocType (purged afterwards)
	cleanup: callable = None  # () -> None: remove what setup added besides the documents


BEFORE_JOB: dict[str, int] = {}  # slip -> notifications its workflow sent before the job ran


def overdue_slips() -> list[str]:
	"""Slips in handling whose completion deadline passed long ago: each owes an escalation."""
	names = [slip_in_handling(freeze, "2026-03-02", "2026-03-10") for _ in range(8)]
	for name in names:
		BEFORE_JOB[name] = frappe.db.count(
			"Notification Log", {"document_type": "Whistle Slip", "document_name": name}
		)
	return names


def deadline_rows(names: list[str]) -> dict[str, tuple]:
	"""Per slip: (warning level, its clock events, notifications per event recipient)."""
	out = {}
	for name in names:
		events = frappe.get_all(
			"Whistle Clock Event", filters={"slip": name}, fields=["event_key", "recipients"]
		)
		logs = frappe.get_all(
			"Notification Log",
			filters={"document_type": "Whistle Slip", "document_name": name},
			fields=["subject", "for_user"],
		)
		recipients = sum(len((e.recipients or "").split()) for e in events)
		pairs = [(log.subject, log.for_user) for log in logs]
		assert len(pairs) == len(set(pairs)), f"{name}: a notification was sent twice"
		out[name] = (
			frappe.db.get_value("Whistle Slip", name, "warning_level"),
			len(events),
			recipients,
			len(logs) - BEFORE_JOB.get(name, 0),
		)
	return out


def deadline_complete(rows: dict[str, tuple]) -> bool:
	return all(events > 0 and level != "正常" for level, events, _r, _n in rows.values())


def deadline_inconsistencies(rows: dict[str, tuple]) -> list[str]:
	"""A slip is either untouched (正常, no event, no notification) or fully done (flag, events and one
	notification per recipient of each event)."""
	bad = []
	for name, (level, events, recipients, logs) in rows.items():
		untouched = level == "正常" and events == 0 and logs == 0
		done = level != "正常" and events > 0 and logs == recipients
		if not (untouched or done):
			bad.append((name, level, events, recipients, logs))
	return bad


def lock_slip_rows(cur, names: list[str]) -> None:
	# one primary-key lookup per row: a scan (the optimiser's choice on a small table) would lock every
	# row it passes. The job commits the first half, then blocks on the first locked slip.
	for name in sorted(names)[len(names) // 2 :]:
		cur.execute("select name from `tabWhistle Slip` where name = %s for update", (name,))


def some_clock_event(cur, names: list[str]) -> bool:
	"""Some of the job is committed (clock events of the first slips) and it now waits on a locked
	slip: its flag update of a slip is still running."""
	cur.execute("select count(*) from `tabWhistle Clock Event` where slip in %s", (names,))
	return cur.fetchone()[0] > 0 and waits_on("UPDATE `tabWhistle Slip` SET")(cur, names)


def gap_after(child_table: str):
	"""Lock, at REPEATABLE READ, the gap where the child rows of the *last* document go: the job has
	inserted that document's parent row (uncommitted) and waits to insert its first child row."""

	def lock(cur, names: list[str]) -> None:
		cur.execute("set session transaction isolation level repeatable read")
		cur.execute(f"select name from `{child_table}` where parent = %s for update", (names[-1],))

	return lock


def row_of(table: str, name: str):
	"""Lock one row the job updates late in its transaction."""

	def lock(cur, names: list[str]) -> None:
		cur.execute(f"select name from `{table}` where name = %s for update", (name,))

	return lock


def waits_on(statement: str):
	"""The job's connection has been executing ``statement`` for a second or more: it waits on the lock
	the test holds. (Merely executing is not enough: on a loaded machine the watcher can catch an
	earlier statement of the same kind in flight, before the job committed what comes first.)"""

	def reached(cur, names: list[str]) -> bool:
		cur.execute(
			"select count(*) from information_schema.processlist where info like %s and time_ms >= 1000",
			(f"{statement}%",),
		)
		return cur.fetchone()[0] > 0

	return reached


# --- the quarterly evaluation job: as of 2025-08-01 it evaluates 2025 Q1, then Q2 (one commit each)


SENTINEL = "faults-sentinel"  # a unit row sorted between Q1's rows and Q2's (committed, removed after)


def evaluation_setup() -> list[str]:
	"""Q1 is written and committed in full; Q2's rows wait behind the gap lock, which the sentinel
	bounds so that Q1's rows (sorted before it) do not."""
	names = ["QE-2025-Q1", "QE-2025-Q2"]
	assert not frappe.db.exists("Quarterly Evaluation", {"name": ("in", names)}), "left over from a run"
	assert not frappe.db.exists("Satisfaction Survey", {"year": 2025}), "a 2025 survey would hold them"
	frappe.db.sql(
		"insert into `tabQuarterly Evaluation Unit` (name, parent, parenttype, parentfield) values (%s, %s, %s, %s)",
		(SENTINEL, "QE-2025-Q1Z", "Quarterly Evaluation", "units"),
	)
	return names


def evaluation_cleanup() -> None:
	frappe.db.delete("Quarterly Evaluation Unit", {"name": SENTINEL})


def evaluation_rows(names: list[str]) -> dict[str, tuple]:
	"""Per evaluation: (exists, its unit rows, the scores on them, notifications about it)."""
	out = {}
	for name in names:
		units = frappe.get_all(
			"Quarterly Evaluation Unit",
			filters={"parent": name, "parenttype": "Quarterly Evaluation"},
			fields=["whistle_unit", "cases", "slip_avg", "quarter_score", "rank"],
			order_by="whistle_unit",
			as_list=True,
		)
		out[name] = (
			int(bool(frappe.db.exists("Quarterly Evaluation", name))),
			len(units),
			tuple(map(tuple, units)),
			frappe.db.count(
				"Notification Log", {"document_type": "Quarterly Evaluation", "document_name": name}
			),
		)
	return out


def evaluation_units() -> int:
	from whistle_app.evaluation import assessed_units

	return len(assessed_units())


def evaluation_complete(rows: dict[str, tuple]) -> bool:
	return all(exists and units == evaluation_units() for exists, units, _s, _n in rows.values())


def evaluation_inconsistencies(rows: dict[str, tuple]) -> list:
	"""An evaluation is either absent or has a row for every assessed unit."""
	expected = evaluation_units()
	return [
		(name, exists, units)
		for name, (exists, units, _s, _n) in rows.items()
		if (exists and units != expected) or (not exists and units)
	]


# --- the monthly bulletin job: on 2026-08-10 it drafts July 2026 (one document, one commit) ----------


NOTIFIED = "office@whistle.localhost"  # the draft's notice to this office user waits on its settings row


def bulletin_setup() -> list[str]:
	"""The job inserts the bulletin and its rows, then notifies the office: each notice marks the
	user's notifications unseen (``Notification Settings``), where it waits for the test's lock."""
	names = ["DCTB-2026-07"]
	assert not frappe.db.exists("Supervision Bulletin", names[0]), "left over from a run"
	assert frappe.db.exists("Notification Settings", NOTIFIED)
	return names


def bulletin_rows(names: list[str]) -> dict[str, tuple]:
	"""Per bulletin: (exists, its unit rows, notifications about it)."""
	return {
		name: (
			int(bool(frappe.db.exists("Supervision Bulletin", name))),
			frappe.db.count(
				"Supervision Bulletin Unit", {"parent": name, "parenttype": "Supervision Bulletin"}
			),
			frappe.db.count(
				"Notification Log", {"document_type": "Supervision Bulletin", "document_name": name}
			),
		)
		for name in names
	}


def bulletin_expected() -> tuple[int, int]:
	from whistle_app.bulletins import reporting_units
	from whistle_app.notify import office_users

	return len(reporting_units()), len(set(office_users()))


def bulletin_complete(rows: dict[str, tuple]) -> bool:
	units, notified = bulletin_expected()
	return all(row == (1, units, notified) for row in rows.values())


def bulletin_inconsistencies(rows: dict[str, tuple]) -> list:
	"""A bulletin is either absent (no rows, nobody told) or complete and announced once per user."""
	units, notified = bulletin_expected()
	return [(name, row) for name, row in rows.items() if row not in ((0, 0, 0), (1, units, notified))]


JOBS = [
	Job(
		"whistle_app.clocks.process_deadlines",
		overdue_slips,
		deadline_rows,
		deadline_complete,
		deadline_inconsistencies,
		lock_slip_rows,
		some_clock_event,
	),
	Job(
		"whistle_app.evaluation.jobs.evaluate_due_periods",
		evaluation_setup,
		evaluation_rows,
		evaluation_complete,
		evaluation_inconsistencies,
		gap_after("tabQuarterly Evaluation Unit"),
		waits_on("INSERT INTO `tabQuarterly Evaluation Unit`"),
		current_date="2025-08-01",
		doctype="Quarterly Evaluation",
		cleanup=evaluation_cleanup,
	),
	Job(
		"whistle_app.bulletins.drafting.draft_previous_month",
		bulletin_setup,
		bulletin_rows,
		bulletin_complete,
		bulletin_inconsistencies,
		row_of("tabNotification Settings", NOTIFIED),
		waits_on("UPDATE `tabNotification Settings`"),
		current_date="2026-08-10",
		partial=False,
		doctype="Supervision Bulletin",
	),
]

# A worker, as RQ runs a job (frappe.utils.background_jobs.execute_job): the site connected, the
# before_job hooks (the app's transaction level among them), the job, then commit;
# frappe.flags.current_date sets the job's today.
WORKER = (
	"import sys, frappe; frappe.init(site=sys.argv[1], sites_path='.'); frappe.connect(); "
	"frappe.flags.current_date = sys.argv[3] or None; "
	"[frappe.call(hook, method=sys.argv[2], kwargs={}, transaction_type='job') "
	"for hook in frappe.get_hooks('before_job')]; "
	"frappe.get_attr(sys.argv[2])(); frappe.db.commit()"
)


def run_job(job: Job) -> subprocess.Popen:
	return subprocess.Popen(
		[str(BENCH_DIR / "env" / "bin" / "python"), "-c", WORKER, TEST_SITE, job.path, job.current_date],
		cwd=BENCH_DIR / "sites",
		stdout=subprocess.PIPE,
		stderr=subprocess.STDOUT,
		start_new_session=True,
	)


FLAGGED = {
	"Whistle Slip": ("warning_level", "overdue"),
	"Whistle Slip Department": ("warning_level", "overdue"),
}


def snapshot_flags() -> dict:
	"""The warning levels the jobs set on every slip and department row (the jobs run for real here)."""
	return {
		doctype: {row[0]: row[1:] for row in frappe.get_all(doctype, fields=["name", *fields], as_list=True)}
		for doctype, fields in FLAGGED.items()
	}


def restore_flags(snapshot: dict, since) -> None:
	"""Put the demo data back as it was: warning levels, and the events and notifications the job runs
	wrote about documents that are not the test's own (those are purged with their slips)."""
	frappe.db.rollback()
	for doctype, rows in snapshot.items():
		fields = FLAGGED[doctype]
		now = {row[0]: row[1:] for row in frappe.get_all(doctype, fields=["name", *fields], as_list=True)}
		for name, values in rows.items():
			if name in now and now[name] != values:
				frappe.db.set_value(
					doctype, name, dict(zip(fields, values, strict=True)), update_modified=False
				)
	frappe.db.delete("Whistle Clock Event", {"creation": (">=", since)})
	frappe.db.delete("Notification Log", {"document_type": "Whistle Slip", "creation": (">=", since)})
	frappe.db.commit()


@pytest.mark.parametrize("job", JOBS, ids=[j.path for j in JOBS])
def test_killed_job_leaves_nothing_half_written_and_rerun_completes(job, frappe_site):
	ensure_demo()
	created: list = []
	flags, since = snapshot_flags(), frappe.utils.now_datetime()
	try:
		names = job.setup()
		created += [(job.doctype, n) for n in names]
		frappe.db.commit()
		lock = connect()
		with lock.cursor() as cur:
			job.lock(cur, names)
		proc = run_job(job)
		watcher = connect()
		deadline = time.monotonic() + 120
		try:
			reached = False
			while time.monotonic() < deadline and not reached:
				watcher.rollback()
				with watcher.cursor() as cur:
					reached = job.reached_lock(cur, names)
				assert proc.poll() is None, proc.stdout.read().decode()[-2000:]
				time.sleep(0.05)
			assert reached, "the job never reached the lock"
			assert proc.poll() is None, "the job ended before it could be killed"
			os.killpg(proc.pid, signal.SIGKILL)
			proc.wait(timeout=30)
		finally:
			lock.rollback()
			lock.close()
			watcher.close()
		FAULTS["killed workers"] = FAULTS.get("killed workers", 0) + 1
		frappe.db.rollback()
		after_kill = job.rows(names)
		assert not job.inconsistencies(after_kill), job.inconsistencies(after_kill)
		assert not job.complete(after_kill), "the kill came after the job had finished"
		if job.partial:
			done = [name for name, row in after_kill.items() if job.complete({name: row})]
			assert done, ("nothing was committed before the kill", after_kill)

		rerun = run_job(job)
		out = rerun.communicate(timeout=300)[0].decode()
		assert rerun.returncode == 0, out[-2000:]
		frappe.db.rollback()
		final = job.rows(names)  # asserts no notification twice
		assert job.complete(final), final
		assert not job.inconsistencies(final), job.inconsistencies(final)
		# what the first run completed kept exactly what it wrote
		for name, row in after_kill.items():
			if job.complete({name: row}):
				assert final[name] == row, (name, row, final[name])
		again = run_job(job)
		assert again.wait(timeout=300) == 0
		frappe.db.rollback()
		assert job.rows(names) == final, "a third run changed something"
	finally:
		purge_all(created)
		if job.cleanup:
			job.cleanup()
			frappe.db.commit()
		restore_flags(flags, since)


class Traffic:
	"""Four park clients filing whistles over HTTP until stopped; what the server confirmed."""

	def __init__(self, base_url: str, marker: str):
		self.marker = marker
		self.clients = [Client(base_url, "park1@whistle.localhost", demo.DEMO_PASSWORD) for _ in range(4)]
		self.confirmed: list[str] = []
		self.attempts = self.failed = 0
		self.stop = threading.Event()
		self.threads = [threading.Thread(target=self.file_whistles, args=(c,)) for c in self.clients]

	def file_whistles(self, client):
		i = 0
		while not self.stop.is_set():
			i += 1
			self.attempts += 1
			try:
				r = client.session.post(
					f"{client.base_url}/api/resource/Whistle Slip",
					data={
						"data": frappe.as_json(
							{"title": f"{self.marker}-{i}", "category": "Other", "description": "x"}
						)
					},
					timeout=30,
				)
			except requests.RequestException:
				self.failed += 1
				time.sleep(0.2)
				continue
			if r.status_code == 200:
				self.confirmed.append(r.json()["data"]["name"])
			else:
				self.failed += 1

	def __enter__(self):
		for t in self.threads:
			t.start()
		return self

	def __exit__(self, *exc):
		self.stop.set()
		for t in self.threads:
			t.join(timeout=60)

	def stored(self) -> set[str]:
		"""What is in the database, read on a fresh connection (the old one may have been cut)."""
		frappe.db.connect()
		read_committed()
		return set(
			frappe.get_all("Whistle Slip", filters={"title": ("like", f"{self.marker}-%")}, pluck="name")
		)

	def check(self, stored: set[str]) -> None:
		assert self.confirmed, "no whistle was filed"
		assert set(self.confirmed) <= stored, f"confirmed but lost: {set(self.confirmed) - stored}"
		assert len(stored) <= self.attempts


def test_killed_database_connections_lose_no_committed_whistle(live_server):
	"""HTTP clients file whistles while every connection of the site's database user is killed a few
	times; every whistle the server confirmed is stored, and nothing else was made."""
	ensure_demo()
	frappe.db.commit()
	own = frappe.db.sql("select connection_id()")[0][0]
	root = connect(root=True)
	kills = 0
	traffic = Traffic(live_server, f"连接中断测试{int(time.time())}")
	stored: set[str] = set()
	try:
		with traffic:
			for _ in range(5):
				time.sleep(1.0)
				with root.cursor() as cur:
					cur.execute(
						"select id from information_schema.processlist where user = %s and id <> %s",
						(frappe.conf.db_name, own),
					)
					for (pid,) in cur.fetchall():
						try:
							cur.execute(f"KILL CONNECTION {int(pid)}")
							kills += 1
						except pymysql.err.OperationalError:
							pass  # already gone
			time.sleep(1.0)
		stored = traffic.stored()
		assert kills > 0
		traffic.check(stored)
		FAULTS["killed connections"] = kills
	finally:
		root.close()
		purge_all([("Whistle Slip", n) for n in stored])


def test_mariadb_restarted_under_traffic_loses_no_committed_whistle(live_server):
	"""HTTP clients file whistles while the MariaDB server is restarted (its init script, as an
	operator would); every whistle the server confirmed before, during and after is stored, and
	the site serves again afterwards."""
	assert os.access(RESTART[0], os.X_OK) and os.geteuid() == 0, (
		f"restarting MariaDB needs root and {RESTART[0]} (the test machine's setup, scripts/lib.sh)"
	)
	ensure_demo()
	frappe.db.commit()
	traffic = Traffic(live_server, f"重启测试{int(time.time())}")
	stored: set[str] = set()
	try:
		with traffic:
			time.sleep(2.0)
			before = len(traffic.confirmed)
			restart = subprocess.run(RESTART, capture_output=True, text=True, timeout=300, check=False)
			assert restart.returncode == 0, restart.stdout + restart.stderr
			during = len(traffic.confirmed)
			time.sleep(3.0)
		stored = traffic.stored()
		assert before > 0 and len(traffic.confirmed) > during, (
			"the site did not serve again after the restart"
		)
		traffic.check(stored)
		FAULTS["database restarts"] = FAULTS.get("database restarts", 0) + 1
		print(
			f"\nfaults: MariaDB restarted under traffic; {len(traffic.confirmed)} whistles confirmed, all "
			f"stored; {traffic.failed} requests failed cleanly; connections killed: "
			f"{FAULTS.get('killed connections', 0)}; workers killed mid-job: {FAULTS.get('killed workers', 0)}"
		)
	finally:
		purge_all([("Whistle Slip", n) for n in stored])
