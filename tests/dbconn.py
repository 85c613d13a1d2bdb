"""Raw database connections beside Frappe's own, for tests that must hold a lock or watch the server
while a request or job runs: the test site's user, or root (DB_ROOT_PASSWORD, as `make test` sets up)."""

import os

import frappe
import pymysql

ROOT_PASSWORD = os.environ.get("DB_ROOT_PASSWORD", "whistle_root")


def connect(root: bool = False):
	conf = frappe.conf
	return pymysql.connect(
		host=conf.db_host or "127.0.0.1",
		port=int(conf.db_port or 3306),
		user="root" if root else conf.db_name,
		password=ROOT_PASSWORD if root else conf.db_password,
		database=None if root else conf.db_name,
		autocommit=False,
		charset="utf8mb4",
	)
