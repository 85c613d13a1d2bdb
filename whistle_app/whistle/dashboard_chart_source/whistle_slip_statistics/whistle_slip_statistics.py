# Copyright (c) 2026, whistle_app developers
# For license information, please see license.txt
"""Dashboard Chart Source of the workspace charts; the figures come from ``whistle_app.board``.

Unlike Frappe's own Group By charts this source never serves a cached result, so every user sees
the figures of their own unit scope (RULES §10).
"""

import frappe

from whistle_app.board import get_chart


@frappe.whitelist()
@frappe.read_only()
def get(
	chart_name: str | None = None,
	chart: str | None = None,
	no_cache: str | None = None,
	filters: str | dict | None = None,
	from_date: str | None = None,
	to_date: str | None = None,
	timespan: str | None = None,
	time_interval: str | None = None,
	heatmap_year: str | None = None,
	refresh: str | int | None = None,
) -> dict:
	"""Chart data for ``filters["dimension"]`` (see ``whistle_app.board.DIMENSIONS``)."""
	frappe.has_permission("Whistle Slip", "read", throw=True)
	return get_chart(filters)
