"""Shared pytest setup.

Unit tests (tests/unit) import nothing from Frappe. Integration and browser tests connect to the
test site of the bench; if Frappe or the site cannot be found they fail loudly (never skip).
"""

import os
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Property tests hold under load too: no per-example deadline and no "input generation is slow" check
# (a loaded 2-CPU machine can pause any draw for a second); the examples themselves are unchanged.
settings.register_profile("whistle", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("whistle")

REPO_ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = Path(os.environ.get("WHISTLE_BENCH", Path.home() / "whistle-bench"))
TEST_SITE = os.environ.get("WHISTLE_TEST_SITE", "whistle-test.localhost")
ARTIFACTS = REPO_ROOT / "test-artifacts"

_NO_FRAPPE = (
	"Frappe integration tests need a Frappe v15 bench with the test site {site} in {bench}. "
	"Run `make test` (it creates both; set FRAPPE_PATH to a local Frappe v15 source where upstream "
	"is unreachable, or WHISTLE_BENCH to an existing bench). Problem: {problem}"
)


def _connect() -> None:
	try:
		import frappe
	except ImportError as e:
		pytest.exit(_NO_FRAPPE.format(site=TEST_SITE, bench=BENCH_DIR, problem=e), returncode=3)
	sites = BENCH_DIR / "sites"
	if not (sites / TEST_SITE / "site_config.json").exists():
		pytest.exit(_NO_FRAPPE.format(site=TEST_SITE, bench=BENCH_DIR, problem="site missing"), returncode=3)
	os.chdir(sites)
	frappe.init(site=TEST_SITE, sites_path=str(sites))
	frappe.connect()
	from whistle_app.transactions import read_committed

	read_committed()  # as every request and job of the app (whistle_app/transactions.py)
	frappe.flags.in_test = True
	frappe.set_user("Administrator")


@pytest.fixture(scope="session")
def frappe_site():
	"""A connection to the test site for the whole session (used by integration/browser tests)."""
	import frappe

	_connect()
	yield TEST_SITE
	frappe.db.rollback()
	frappe.destroy()


@pytest.fixture
def db(frappe_site):
	"""Per-test transaction that is rolled back afterwards."""
	import frappe

	frappe.set_user("Administrator")
	yield frappe.db
	frappe.db.rollback()
	frappe.set_user("Administrator")


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
	ARTIFACTS.mkdir(exist_ok=True)
	return ARTIFACTS


PORT = int(os.environ.get("WHISTLE_TEST_PORT", "8001"))
# Frappe's realtime server (node socketio.js) for the test site, so pages receive live events.
SOCKETIO_PORT = int(os.environ.get("WHISTLE_TEST_SOCKETIO_PORT", str(PORT + 1000)))


def _ping(base_url: str) -> bool:
	try:
		with urllib.request.urlopen(f"{base_url}/api/method/ping", timeout=2) as r:
			return b"pong" in r.read()
	except OSError:
		return False


@pytest.fixture(scope="session")
def live_server(frappe_site):
	"""`bench --site TEST_SITE serve` on its own port, for the whole session."""
	base_url = f"http://127.0.0.1:{PORT}"
	if _ping(base_url):
		pytest.exit(
			f"port {PORT} is already serving something; stop it or set WHISTLE_TEST_PORT", returncode=3
		)
	# one log per port: two runs side by side (other sites, other ports) keep their own
	log = open(BENCH_DIR / "logs" / f"whistle-test-server-{PORT}.log", "w")
	realtime = _start_realtime(log)
	proc = subprocess.Popen(
		["bench", "--site", TEST_SITE, "serve", "--port", str(PORT), "--noreload"],
		cwd=BENCH_DIR,
		stdout=log,
		stderr=subprocess.STDOUT,
		start_new_session=True,
		# DEV_SERVER: the desk connects to the realtime server on its own port (frappe.boot.socketio_port)
		env={**os.environ, "DEV_SERVER": "1"},
	)
	deadline = time.monotonic() + 60
	while not _ping(base_url):
		if proc.poll() is not None or time.monotonic() > deadline:
			proc.kill()
			if realtime:
				os.killpg(realtime.pid, 15)
			pytest.fail(f"test server did not start; see {log.name}")
		time.sleep(0.3)
	yield base_url
	os.killpg(proc.pid, 15)
	proc.wait(timeout=20)
	if realtime:
		os.killpg(realtime.pid, 15)
		realtime.wait(timeout=20)
	log.close()


def _start_realtime(log):
	"""Frappe's socketio server for the test site on SOCKETIO_PORT (the site config tells the desk
	where it is); ``None`` when it cannot start (pages then work without live events)."""
	from frappe.installer import update_site_config

	socketio = BENCH_DIR / "apps" / "frappe" / "socketio.js"
	if not socketio.exists() or _port_open(SOCKETIO_PORT):
		return None
	update_site_config("socketio_port", SOCKETIO_PORT)
	proc = subprocess.Popen(
		["node", str(socketio)],
		cwd=BENCH_DIR,
		stdout=log,
		stderr=subprocess.STDOUT,
		start_new_session=True,
		env={**os.environ, "FRAPPE_SITE": TEST_SITE, "FRAPPE_SOCKETIO_PORT": str(SOCKETIO_PORT)},
	)
	deadline = time.monotonic() + 20
	while not _port_open(SOCKETIO_PORT):
		if proc.poll() is not None or time.monotonic() > deadline:
			if proc.poll() is None:
				os.killpg(proc.pid, 15)
			return None
		time.sleep(0.2)
	return proc


def _port_open(port: int) -> bool:
	import socket

	with socket.socket() as s:
		s.settimeout(0.5)
		return s.connect_ex(("127.0.0.1", port)) == 0


def pytest_terminal_summary(terminalreporter):
	"""The figures the reliability tests measured in this run (``tests/figures.py``), and where the
	suite's time went, file by file (``make test`` has a 40-minute budget)."""
	from tests.figures import FIGURES

	per_file: dict[str, float] = {}
	for reports in terminalreporter.stats.values():
		for report in reports:
			if hasattr(report, "duration") and hasattr(report, "nodeid"):
				module = report.nodeid.split("::")[0]
				per_file[module] = per_file.get(module, 0.0) + report.duration
	if per_file:
		terminalreporter.section("slowest test files")
		for module, seconds in sorted(per_file.items(), key=lambda kv: -kv[1])[:25]:
			terminalreporter.write_line(f"{seconds:8.1f} s  {module}")
	if not FIGURES:
		return
	terminalreporter.section("figures measured")
	for name, value in FIGURES.items():
		total = f"{sum(value.values())} " if isinstance(value, dict) else ""
		terminalreporter.write_line(f"{name}: {total}{value}")
