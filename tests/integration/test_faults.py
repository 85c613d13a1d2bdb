"""Faults (issue #11): a worker killed in the middle of a job leaves nothing half-written and the
re-run completes without sending anything twice; database connections killed under HTTP traffic lose
no committed whistle.

Jobs run the way a worker runs them: ``bench --site SITE execute <job>`` in a subprocess. To kill it
*mid-run* deterministically, a second database connection locks part of the job's rows first; the
job commits what it can, blocks on the first locked row, and is then killed with SIGKILL.

The database is not restarted: other test runs share the MariaDB server, so the server's own
connections are killed instead (``KILL CONNECTION`` from a root connection, only the test site's
database user), which is what a restart does to the application.
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
from frappe.tests.utils import FrappeTestCase

from tests.conftest import BENCH_DIR, TEST_SITE
from tests.dbconn import connect
from tests.factory import ensure_demo, slip_in_handling
from tests.http import Client
from tests.integration.cleanup import purge_all
from whistle_app import demo

FAULTS: dict[str, int] = {}


def freeze(moment):
	return FrappeTestCase.freeze_time(None, moment)


# --- jobs: one line each (the bulletin and evaluation jobs are appended by their issues) -------------


@dataclass
class Job:
	path: str
	setup: callable  # () -> names of the documents the job works on (committed)
	rows: callable  # (names) -> {name: (what the job wrote for it, as comparable values)}
	complete: callable  # (rows) -> True when the job's work on every document is done
	inconsistencies: callable  # (rows) -> documents the job left half-written
	lock_table: str = "tabWhistle Slip"


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


JOBS = [
	Job(
		"whistle_app.clocks.process_deadlines",
		overdue_slips,
		deadline_rows,
		deadline_complete,
		deadline_inconsistencies,
	),
]


def run_job(path: str) -> subprocess.Popen:
	return subprocess.Popen(
		["bench", "--site", TEST_SITE, "execute", path],
		cwd=BENCH_DIR,
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
		created += [("Whistle Slip", n) for n in names]
		frappe.db.commit()
		locked = sorted(names)[len(names) // 2 :]
		lock = connect()
		with lock.cursor() as cur:
			# one primary-key lookup per row: a scan (the optimiser's choice on a small table) would
			# lock every row it passes
			for name in locked:
				cur.execute(f"select name from `{job.lock_table}` where name = %s for update", (name,))
		proc = run_job(job.path)
		watcher = connect()
		deadline = time.monotonic() + 90
		done = 0
		try:
			while time.monotonic() < deadline:
				watcher.rollback()
				with watcher.cursor() as cur:
					cur.execute("select count(*) from `tabWhistle Clock Event` where slip in %s", (names,))
					done = cur.fetchone()[0]
				if done:  # some of the job is committed; it is now waiting on a locked row
					time.sleep(1.5)
					break
				assert proc.poll() is None, proc.stdout.read().decode()[-2000:]
				time.sleep(0.05)

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
		assert any(r[1] for r in after_kill.values()), (
			"nothing was committed before the kill",
			after_kill,
			done,
		)

		rerun = run_job(job.path)
		out = rerun.communicate(timeout=300)[0].decode()
		assert rerun.returncode == 0, out[-2000:]
		frappe.db.rollback()
		final = job.rows(names)  # asserts no notification twice
		assert job.complete(final), final
		assert not job.inconsistencies(final), job.inconsistencies(final)
		# already done slips kept exactly what the first run wrote
		for name, row in after_kill.items():
			if row[1]:
				assert final[name] == row, (name, row, final[name])
		again = run_job(job.path)
		assert again.wait(timeout=300) == 0
		frappe.db.rollback()
		assert job.rows(names) == final, "a third run changed something"
	finally:
		purge_all(created)
		restore_flags(flags, since)


def test_killed_database_connections_lose_no_committed_whistle(live_server):
	"""HTTP clients file whistles while every connection of the site's database user is killed a few
	times; every whistle the server confirmed is stored, and nothing else was made."""
	ensure_demo()
	marker = f"连接中断测试{int(time.time())}"
	clients = [Client(live_server, "park1@whistle.localhost", demo.DEMO_PASSWORD) for _ in range(4)]
	confirmed: list[str] = []
	attempts = {"n": 0, "failed": 0}
	stop = threading.Event()

	def file_whistles(client):
		i = 0
		while not stop.is_set():
			i += 1
			attempts["n"] += 1
			try:
				r = client.session.post(
					f"{client.base_url}/api/resource/Whistle Slip",
					data={
						"data": frappe.as_json(
							{"title": f"{marker}-{i}", "category": "Other", "description": "x"}
						)
					},
					timeout=30,
				)
			except Exception:
				attempts["failed"] += 1
				continue
			if r.status_code == 200:
				confirmed.append(r.json()["data"]["name"])
			else:
				attempts["failed"] += 1

	threads = [threading.Thread(target=file_whistles, args=(c,)) for c in clients]
	for t in threads:
		t.start()
	own = frappe.db.sql("select connection_id()")[0][0]
	frappe.db.commit()
	root = connect(root=True)
	kills = 0
	try:
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
	finally:
		stop.set()
		for t in threads:
			t.join(timeout=60)
		root.close()
	frappe.db.rollback()  # our own connection may have been killed too
	try:
		stored = set(frappe.get_all("Whistle Slip", filters={"title": ("like", f"{marker}-%")}, pluck="name"))
	except Exception:
		frappe.connect()
		frappe.set_user("Administrator")
		stored = set(frappe.get_all("Whistle Slip", filters={"title": ("like", f"{marker}-%")}, pluck="name"))
	try:
		assert kills > 0
		assert confirmed, "no whistle was filed"
		assert set(confirmed) <= stored, f"confirmed but lost: {set(confirmed) - stored}"
		assert len(stored) <= attempts["n"]
		FAULTS["killed connections"] = kills
		print(
			f"\nfaults: {kills} database connections killed under traffic; {len(confirmed)} whistles confirmed, "
			f"all stored; {attempts['failed']} requests failed cleanly; workers killed mid-job: "
			f"{FAULTS.get('killed workers', 0)}"
		)
	finally:
		purge_all([("Whistle Slip", n) for n in stored])
