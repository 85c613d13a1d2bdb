"""Shared pytest setup.

Unit tests (tests/unit) import nothing from Frappe. Integration and browser tests connect to the
test site of the bench; if Frappe or the site cannot be found they fail loudly (never skip).
"""

import os
from pathlib import Path

import pytest

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
