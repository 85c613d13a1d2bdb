"""Transaction isolation for the app's requests and jobs (issue #11, load without deadlocks).

Frappe saves a document's child tables by deleting the rows that are gone: for an empty table that
is ``DELETE ... WHERE parent = <this slip>``. Under MariaDB's default REPEATABLE READ that statement
takes a gap lock at the end of the ``parent`` index, exactly where the next new slip's rows go, so two
offices dispatching two new whistles at the same moment deadlock each other (the load script saw one
request in thirty fail this way). READ COMMITTED takes no gap locks for searches; row locks, unique
keys and Frappe's ``SELECT ... FOR UPDATE`` on the modified timestamp work as before, so a lost update
is still refused with "document changed".

The level is set per connection at the start of each request and job. It applies from the next
transaction, so the transaction the session lookup opened (reads only) is ended first.
"""

import frappe

LEVEL = "READ COMMITTED"


def read_committed() -> None:
	if not frappe.db or frappe.db.db_type != "mariadb":
		return
	frappe.db.sql(f"set session transaction isolation level {LEVEL}")  # constant, not user input
	frappe.db.rollback()  # nothing is written before the request's handler runs


def isolation_level() -> str:
	return frappe.db.sql("select @@session.tx_isolation")[0][0]
