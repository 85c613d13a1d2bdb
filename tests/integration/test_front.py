"""The front web server of `make run` (scripts/nginx.sh, issue #23): the same configuration, in front
of the test server.

* The login lockout counts failures per *real* client address: a client rotating X-Forwarded-For
  reaches the lockout through the front as from one address (Frappe alone, as `bench serve`, would
  take each forged address as a new client); the locked login answers 429 in Chinese.
* Public files are served as downloads that cannot run on the site's origin.
* socket.io answers on the same port as the site (the live board connects to its own origin).
"""

import os
import subprocess
import time
import uuid

import frappe
import pytest
import requests

from tests.conftest import BENCH_DIR, PORT, REPO_ROOT, SOCKETIO_PORT, TEST_SITE, _ping

FRONT_PORT = int(os.environ.get("WHISTLE_TEST_FRONT_PORT", str(PORT + 1)))
TRACKER_KEYS = ("login_failed_count", "login_failed_time", "locked_account_time")


@pytest.fixture(scope="module")
def front(live_server):
	conf = BENCH_DIR / "config" / "whistle-test-nginx.conf"
	subprocess.run(
		[
			"bash",
			str(REPO_ROOT / "scripts" / "nginx.sh"),
			str(conf),
			str(BENCH_DIR),
			TEST_SITE,
			str(FRONT_PORT),
			str(PORT),
			str(SOCKETIO_PORT),
		],
		check=True,
	)
	proc = subprocess.Popen(["nginx", "-c", str(conf), "-g", "daemon off;"], start_new_session=True)
	url = f"http://127.0.0.1:{FRONT_PORT}"
	deadline = time.monotonic() + 30
	while not _ping(url):
		if proc.poll() is not None or time.monotonic() > deadline:
			proc.kill()
			pytest.fail("the front web server did not start (see logs/whistle-nginx-error.log)")
		time.sleep(0.2)
	yield url
	proc.terminate()
	proc.wait(timeout=20)


def clear_login_trackers():
	for key in TRACKER_KEYS:
		frappe.cache.delete_value(key)


def test_the_lockout_counts_the_real_address_not_a_forged_header(front):
	limit = frappe.utils.cint(
		frappe.db.get_single_value("System Settings", "allow_consecutive_login_attempts")
	)
	clear_login_trackers()
	try:
		answers = []
		for i in range(limit + 2):  # Frappe locks once the failures exceed the limit
			r = requests.post(
				f"{front}/api/method/login",
				data={"usr": f"nobody-{uuid.uuid4().hex[:8]}@example.invalid", "pwd": "guess"},
				headers={"X-Forwarded-For": f"203.0.113.{i + 1}", "Accept-Language": "zh-CN"},
				timeout=30,
			)
			answers.append(r.status_code)
		assert answers[: limit + 1] == [401] * (limit + 1), answers
		assert answers[-1] == 429, answers
		assert "锁定" in r.text and r.headers.get("Retry-After"), r.text[:300]
	finally:
		clear_login_trackers()


def test_public_files_are_downloads_that_cannot_run(front):
	name = f"front-{uuid.uuid4().hex[:8]}.html"
	path = BENCH_DIR / "sites" / TEST_SITE / "public" / "files" / name
	path.parent.mkdir(parents=True, exist_ok=True)
	path.write_text("<html><script>alert(1)</script></html>")
	try:
		r = requests.get(f"{front}/files/{name}", timeout=30)
		assert r.status_code == 200
		assert r.headers["Content-Disposition"].startswith("attachment")
		assert "sandbox" in r.headers["Content-Security-Policy"]
		assert r.headers["X-Content-Type-Options"] == "nosniff"
	finally:
		path.unlink()


def test_socketio_and_assets_on_the_sites_own_port(front):
	r = requests.get(f"{front}/socket.io/", params={"EIO": 4, "transport": "polling"}, timeout=30)
	assert r.status_code == 200 and r.text.startswith("0{"), r.text[:200]
	assert requests.get(f"{front}/assets/frappe/images/frappe-framework-logo.png", timeout=30).ok
