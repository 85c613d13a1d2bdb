"""The app's requests and jobs run READ COMMITTED (whistle_app/transactions.py, SECURITY-FINDINGS F4):
under REPEATABLE READ, Frappe's child-table saves lock the gap at the end of each child table's index
and concurrent dispatches of new whistles deadlock there. Evidence over HTTP: the load script
(scripts/load_test.py; SECURITY-FINDINGS.md F4 has the before and after) and the concurrency tests,
which accept no deadlock victim."""

import frappe

from whistle_app import transactions


def test_requests_and_jobs_switch_to_read_committed(db):
	assert "whistle_app.transactions.read_committed" in frappe.get_hooks("before_request")
	assert "whistle_app.transactions.read_committed" in frappe.get_hooks("before_job")
	frappe.db.sql("set session transaction isolation level repeatable read")
	try:
		assert transactions.isolation_level() == "REPEATABLE-READ"
		transactions.read_committed()
		assert transactions.isolation_level() == "READ-COMMITTED"
	finally:
		transactions.read_committed()
