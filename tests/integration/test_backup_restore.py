"""Backup and restore (issue #11): ``bench --site TEST backup``, restored into a new site, gives the
same data: a deterministic dump of every whistle_app table (rows sorted, as JSON) is byte for byte
identical, and so are the rankings: the Script Reports of ``RANKING_OUTPUTS`` (quarterly and annual
rankings, scorecard, consequences) over a realistic evaluated year (``demo.ensure_demo_evaluation``),
run on both sites through ``bench execute``. The restored site is dropped afterwards and the evaluated
year is removed from the test site. Slow (a few minutes: a site is created and restored)."""

import json
import os
import re
import shutil
import subprocess
import time

import frappe
import pymysql
import pytest

from tests.conftest import BENCH_DIR, TEST_SITE
from tests.factory import ensure_demo
from tests.integration.cleanup import purge_all
from whistle_app.dev import demo

ROOT_PASSWORD = os.environ.get("DB_ROOT_PASSWORD", "whistle_root")
MODULE = "Whistle"

# --- the rankings compared -------------------------------------------------------------------------------
# A year nothing else on the test site evaluates (the fault test uses 2025, the matrix 2024).
YEAR = 2023
REPORTS = "whistle_app.whistle.report"
# (Script Report's execute, its filters): what it returns, serialised by `bench execute`, must be byte
# for byte identical on the restored site.
RANKING_OUTPUTS: list[tuple[str, dict]] = [
	*[
		(f"{REPORTS}.quarterly_ranking.quarterly_ranking.execute", {"year": YEAR, "quarter": q})
		for q in (1, 2, 3, 4)
	],
	(f"{REPORTS}.annual_ranking.annual_ranking.execute", {"year": YEAR}),
	(f"{REPORTS}.annual_consequences.annual_consequences.execute", {"year": YEAR}),
]
# what ensure_demo_evaluation makes (removed afterwards, with what hangs off them: tests/.../cleanup.py)
EVALUATED = [
	"Snail Award",
	"Annual Evaluation",
	"Quarterly Evaluation",
	"Satisfaction Survey",
	"Whistle Slip Score",
	"Whistle Slip",
]


def ranking(site: str, path: str, filters: dict) -> str:
	return bench("--site", site, "execute", path, "--kwargs", json.dumps({"filters": filters}))


def bench(*args: str, timeout: int = 900) -> str:
	r = subprocess.run(
		["bench", *args], cwd=BENCH_DIR, capture_output=True, text=True, timeout=timeout, check=False
	)
	assert r.returncode == 0, f"bench {' '.join(args)} failed:\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}"
	return r.stdout + r.stderr


def site_db(site: str):
	conf = json.loads((BENCH_DIR / "sites" / site / "site_config.json").read_text())
	return pymysql.connect(
		host=conf.get("db_host") or "127.0.0.1",
		port=int(conf.get("db_port") or 3306),
		user=conf["db_name"],
		password=conf["db_password"],
		database=conf["db_name"],
		charset="utf8mb4",
	)


def app_tables() -> list[str]:
	"""The tables of every DocType of the app (parents, children and singles' rows)."""
	doctypes = frappe.get_all("DocType", filters={"module": MODULE, "issingle": 0}, pluck="name")
	return sorted(f"tab{dt}" for dt in doctypes)


def dump(site: str, tables: list[str]) -> bytes:
	"""Every row of the app's tables, sorted, as canonical JSON; plus the app's singles."""
	connection = site_db(site)
	out = {}
	try:
		with connection.cursor(pymysql.cursors.DictCursor) as cur:
			for table in tables:
				cur.execute(f"select * from `{table}` order by name")
				out[table] = cur.fetchall()
			cur.execute(
				"select doctype, field, value from tabSingles where doctype in "
				"(select name from tabDocType where module = %s) order by doctype, field",
				(MODULE,),
			)
			out["tabSingles"] = cur.fetchall()
	finally:
		connection.close()
	return json.dumps(out, sort_keys=True, ensure_ascii=False, default=str).encode()


@pytest.mark.slow
def test_backup_restores_the_same_data(frappe_site):
	ensure_demo()
	since = frappe.utils.now_datetime()
	try:
		demo.ensure_demo_evaluation(YEAR)  # commits as it goes
		frappe.db.commit()
		backup_and_restore()
	finally:
		made = [
			(dt, n) for dt in EVALUATED for n in frappe.get_all(dt, {"creation": (">=", since)}, pluck="name")
		]
		# the year's whistles carry the year's filing time (demo_evaluation.settle_history_times)
		year_slips = frappe.get_all("Whistle Slip", {"title": ("like", f"示例（{YEAR}年%")}, pluck="name")
		purge_all(made + [("Whistle Slip", n) for n in year_slips])


def backup_and_restore() -> None:
	tables = app_tables()
	assert "tabWhistle Slip" in tables and len(tables) >= 20, tables
	out = bench("--site", TEST_SITE, "backup")
	match = re.search(r"Database\s*:\s*(\S+\.sql\.gz)", out)
	assert match, out
	backup = (BENCH_DIR / "sites" / match.group(1)).resolve()  # printed relative to sites/
	assert backup.exists(), backup
	source = dump(TEST_SITE, tables)
	rankings = [(path, filters, ranking(TEST_SITE, path, filters)) for path, filters in RANKING_OUTPUTS]
	ranked = sum(out.count('"rank"') for _p, _f, out in rankings)
	assert ranked, "the evaluated year ranks nobody: nothing to compare"

	restored = f"whistle-restore-{os.getpid()}-{int(time.time())}.localhost"
	try:
		bench("new-site", restored, "--db-root-password", ROOT_PASSWORD, "--admin-password", "admin")
		bench("--site", restored, "restore", str(backup), "--db-root-password", ROOT_PASSWORD)
		copy = dump(restored, tables)
		assert copy == source, "the restored site's whistle_app tables differ from the source's"
		for path, filters, expected in rankings:
			assert ranking(restored, path, filters) == expected, f"{path} {filters} differs after restore"
		print(
			f"\nbackup/restore: {len(tables)} tables, {len(source):,} bytes of sorted rows identical; "
			f"{len(RANKING_OUTPUTS)} ranking reports of {YEAR} ({ranked} ranked rows) identical"
		)
	finally:
		subprocess.run(
			["bench", "drop-site", restored, "--db-root-password", ROOT_PASSWORD, "--force", "--no-backup"],
			cwd=BENCH_DIR,
			capture_output=True,
			timeout=600,
			check=False,
		)
		shutil.rmtree(BENCH_DIR / "sites" / restored, ignore_errors=True)
		shutil.rmtree(BENCH_DIR / "archived" / "sites" / restored, ignore_errors=True)
		backup.unlink(missing_ok=True)
		for sibling in backup.parent.glob(backup.name.replace("-database.sql.gz", "*")):
			sibling.unlink(missing_ok=True)
