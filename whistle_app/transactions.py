"""Transaction isolation for the app's requests and jobs (issue #11, load without deadlocks).

Frappe saves a document's child tables by deleting the rows that are gone: for an empty table that
is ``DELETE ... WHERE parent = <this slip>``; the REST update also reads the child rows ``FOR
UPDATE``. Under MariaDB's default REPEATABLE READ both take a gap lock at the end of the ``parent``
index, exactly where the next new slip's rows go, so two offices dispatching two new whistles at the
same moment deadlock each other (SECURITY-FINDINGS.md F4). READ COMMITTED takes no gap locks for
these statements; row locks, unique keys and Frappe's ``SELECT ... FOR UPDATE`` of ``modified`` work
as before, so a lost update is still refused with "document changed".

What READ COMMITTED changes: each statement reads the latest committed data, not one snapshot per
transaction. The two jobs that compute a result from many reads (the evaluation and the monthly
bulletin, ``SNAPSHOT_JOBS``) therefore keep REPEATABLE READ: all their inputs come from one moment.
They write only their own documents, so they do not meet the dispatch gap locks.

The level applies from the next transaction. When nothing has been written yet (every request before
its handler, every job), the transaction the session lookup opened is ended here so that the level
applies at once; when something has (a login writes its activity log before the hooks run; a job run
in the caller's connection in tests), nothing is ended and the level applies from the next one.
"""

import frappe

READ_COMMITTED, REPEATABLE_READ = "READ COMMITTED", "REPEATABLE READ"
SNAPSHOT_JOBS = frozenset(
	{
		"whistle_app.evaluation.jobs.evaluate_due_periods",
		"whistle_app.bulletins.drafting.draft_previous_month",
	}
)


def level_for(method: str | None) -> str:
	return REPEATABLE_READ if method in SNAPSHOT_JOBS else READ_COMMITTED


def read_committed(method: str | None = None) -> None:
	"""Hooks ``before_request`` and ``before_job`` (which passes the job's ``method``)."""
	if not frappe.db or frappe.db.db_type != "mariadb":
		return
	set_level(level_for(method))


def set_level(level: str) -> None:
	assert level in (READ_COMMITTED, REPEATABLE_READ)
	frappe.db.sql(f"set session transaction isolation level {level}")  # one of two constants
	if not frappe.db.transaction_writes:
		frappe.db.rollback()  # only reads so far: start again at the new level


def isolation_level() -> str:
	return frappe.db.sql("select @@session.tx_isolation")[0][0]
