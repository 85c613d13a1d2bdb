"""The app's requests and jobs run READ COMMITTED, the evaluation and bulletin jobs REPEATABLE READ
(whistle_app/transactions.py, SECURITY-FINDINGS F4): under REPEATABLE READ, Frappe's child-table saves
lock the gap at the end of each child table's index and concurrent dispatches of new whistles deadlock
there. Evidence over HTTP: the load script (scripts/load_test.py; SECURITY-FINDINGS.md F4 has the
before and after) and the concurrency tests, which accept no deadlock victim."""

import frappe

from tests.factory import ensure_demo
from tests.http import Client
from whistle_app import transactions
from whistle_app.dev import demo


def test_requests_and_jobs_switch_level(db):
	assert "whistle_app.transactions.read_committed" in frappe.get_hooks("before_request")
	assert "whistle_app.transactions.read_committed" in frappe.get_hooks("before_job")
	try:
		frappe.db.sql("set session transaction isolation level repeatable read")
		frappe.db.rollback()
		assert transactions.isolation_level() == "REPEATABLE-READ"
		transactions.read_committed()  # a request
		assert transactions.isolation_level() == "READ-COMMITTED"
		transactions.read_committed(method="whistle_app.clocks.process_deadlines")
		assert transactions.isolation_level() == "READ-COMMITTED"
		for job in transactions.SNAPSHOT_JOBS:  # one snapshot for all their inputs
			frappe.get_attr(job)  # the names are real
			transactions.read_committed(method=job)
			assert transactions.isolation_level() == "REPEATABLE-READ"
	finally:
		transactions.read_committed()


def test_what_was_written_before_the_hook_stays(db):
	"""A login writes its activity log before the request hooks run; a job run in its caller's
	connection finds the caller's writes: the hook must not roll them back."""
	todo = frappe.get_doc({"doctype": "ToDo", "description": "隔离级别测试"}).insert(ignore_permissions=True)
	transactions.read_committed()
	assert frappe.db.exists("ToDo", todo.name), "the hook rolled back what was written before it"


def test_a_login_over_http_keeps_its_activity_log(live_server):
	ensure_demo()
	since = frappe.utils.now_datetime()
	Client(live_server, "park1@whistle.localhost", demo.DEMO_PASSWORD)
	frappe.db.rollback()  # see the server's commit
	logged = frappe.get_all(
		"Activity Log",
		filters={"user": "park1@whistle.localhost", "operation": "Login", "creation": (">=", since)},
		pluck="name",
	)
	assert logged, "the login's activity log was lost"
