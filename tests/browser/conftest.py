"""Browser tests: a real web server for the test site and Debian's Chromium driven by Playwright."""

import os
import shutil
import subprocess
import time
import urllib.request

import pytest

from tests.conftest import BENCH_DIR, TEST_SITE

PORT = int(os.environ.get("WHISTLE_TEST_PORT", "8001"))
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


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
	log = open(BENCH_DIR / "logs" / "whistle-test-server.log", "w")
	proc = subprocess.Popen(
		["bench", "--site", TEST_SITE, "serve", "--port", str(PORT), "--noreload"],
		cwd=BENCH_DIR,
		stdout=log,
		stderr=subprocess.STDOUT,
		start_new_session=True,
	)
	deadline = time.monotonic() + 60
	while not _ping(base_url):
		if proc.poll() is not None or time.monotonic() > deadline:
			proc.kill()
			pytest.fail(f"test server did not start; see {log.name}")
		time.sleep(0.3)
	yield base_url
	os.killpg(proc.pid, 15)
	proc.wait(timeout=20)
	log.close()


@pytest.fixture(scope="session")
def browser():
	from playwright.sync_api import sync_playwright

	with sync_playwright() as p:
		b = p.chromium.launch(
			executable_path=CHROMIUM,
			headless=True,
			args=[
				"--no-sandbox",
				"--disable-gpu",
				"--disable-quic",
				"--no-first-run",
				"--disable-background-networking",
				"--disable-component-update",
				"--disable-sync",
			],
		)
		yield b
		b.close()


@pytest.fixture
def page(browser):
	context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
	pg = context.new_page()
	yield pg
	context.close()


def login(page, base_url: str, user: str, password: str) -> None:
	page.goto(f"{base_url}/login")
	page.fill("#login_email", user)
	page.fill("#login_password", password)
	page.click(".btn-login")
	page.wait_for_url("**/app**", timeout=30_000)
