"""The version of the desks' cached figures (``whistle_app.desk_summary``, issue #21).

A cached summary is keyed by this version; a committed change that the figures count moves it on,
so every later request computes afresh. Kept apart from ``desk_summary`` so the deadline job can move
it without importing the board.
"""

import frappe

VERSION_KEY = "whistle_desk_summary_version"


def cache_key(workspace: str) -> str:
	"""The cache key of one user's summary of ``workspace`` in their language, at the current version."""
	version = frappe.cache.get(frappe.cache.make_key(VERSION_KEY))
	version = version.decode() if isinstance(version, bytes) else str(version or 0)
	return f"whistle_desk_summary|{version}|{frappe.session.user}|{workspace}|{frappe.local.lang}"


def bump_version() -> None:
	"""Every cached summary is out of date."""
	frappe.cache.incr(frappe.cache.make_key(VERSION_KEY))


def on_change(doc=None, method=None) -> None:
	"""``doc_events`` of slips, slip scores and bulletins: out of date once the change is committed (a
	summary computed meanwhile by another request would not see the change)."""
	frappe.db.after_commit.add(bump_version)
