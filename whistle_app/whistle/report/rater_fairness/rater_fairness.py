# Copyright (c) 2026, whistle_app developers
# For license information, please see license.txt
"""评分公正性分析 (RULES §14): each rating unit's statistics and flags per quarter, as stored by the
fairness job (``whistle_app.fairness``), with the office's reviews, a chart of each rater's mean and
spread against its peers, and links to the ratings behind each row and behind a favouritism flag.

Through ``frappe.get_list``, so each user sees the rows of their own scope (RULES §10,
``permissions.rater_fairness_scope``): the office, District Leaders and the Efficiency Office every
rater, a park or a department its own rows only, never another rater's statistics.
"""

import json

import frappe
from frappe import _
from frappe.utils import cint, flt

from whistle_app.fairness import FLAG_FIELDS, FLAG_VALUES, REVIEW, STATISTIC
from whistle_app.lifecycle import now
from whistle_app.rules import scoring

FIELDS = (
	"name",
	"year",
	"quarter",
	"rater_unit",
	"rater_kind",
	"ratings",
	"mean_total",
	"std_dev",
	"full_marks_share",
	"identical_share",
	"peer_mean",
	"peer_gap",
	"has_peers",
	"favoured_department",
	"favour_gap",
	"favoured_ratings",
	"flag_uniform",
	"flag_lenient",
	"flag_favouritism",
	"frozen",
)
OUTCOME_LABELS = {"No Issue": "No Issue", "Reminded": "Reminded", "Other": "Other"}


class RaterFairnessFilterError(frappe.ValidationError):
	pass


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	year, quarter = validate_filters(filters)
	data = get_data(year, quarter, filters.get("rater_unit") or None)
	return get_columns(), data, None, get_chart_data(data)


def validate_filters(filters) -> tuple[int, int | None]:
	year = cint(filters.get("year")) or now().year
	if not 2000 <= year <= 2100:
		frappe.throw(_("Year must be between 2000 and 2100."), RaterFairnessFilterError)
	quarter = cint(filters.get("quarter")) or None
	if quarter is not None and quarter not in (1, 2, 3, 4):
		frappe.throw(_("Quarter must be 1, 2, 3 or 4."), RaterFairnessFilterError)
	return year, quarter


def _column(fieldname, label, fieldtype="Float", width=100, **extra) -> dict:
	return {"fieldname": fieldname, "label": _(label), "fieldtype": fieldtype, "width": width, **extra}


def get_columns() -> list[dict]:
	return [
		_column("quarter", "Quarter", "Data", 120),
		_column("rater_unit", "Rater Unit", "Link", 180, options="Whistle Unit"),
		# the flags first: at 1440 px a leader sees who is flagged without scrolling
		_column("flags", "Flags", "Data", 150),
		_column("rater_kind", "Rater Kind", "Data", 90),
		_column("ratings", "Ratings Given", "Int", 80),
		_column("mean_total", "Mean Total", precision=2),
		_column("std_dev", "Standard Deviation", precision=2),
		_column("full_marks_share", "Share of Full Marks", "Percent", precision=2),
		_column("identical_share", "Share of Identical Score Rows", "Percent", 120, precision=2),
		_column("peer_mean", "Peers' Mean", precision=2),
		_column("peer_gap", "Peer Gap", precision=2),
		_column("favoured_department", "Most Favoured Department", "Link", 160, options="Whistle Unit"),
		_column("favour_gap", "Favour Gap", precision=2),
		_column("reviews", "Office Reviews", "Data", 200),
		_column("frozen", "Frozen", "Check", 60),
		_column("ratings_route", "Ratings", "Data", 100),
		_column("favoured_route", "Favoured Ratings", "Data", 120),
		_column("name", "Statistic", "Link", 10, options=STATISTIC, hidden=1),
	]


def ratings_route(year: int, quarter: int, rater: str, department: str | None = None) -> str:
	"""The Whistle Rating list filtered to a rater's submitted ratings of the quarter (and one
	department): the ratings behind a row or a flag."""
	first, last = scoring.quarter_bounds(year, quarter)
	params = {
		"rater_unit": rater,
		"docstatus": 1,
		"rated_on": json.dumps(["Between", [str(first), str(last)]]),
	}
	if department:
		params["rated_department"] = department
	return "/app/whistle-rating?" + "&".join(f"{k}={v}" for k, v in params.items())


def _reviews(names: list[str]) -> dict[str, list[dict]]:
	"""The reviews of the rows the user may read (read through ``get_list`` above)."""
	if not names:
		return {}
	rows = frappe.get_all(
		REVIEW,
		filters={"parenttype": STATISTIC, "parent": ("in", names)},
		fields=["parent", "flag", "outcome", "reviewed_on"],
		order_by="reviewed_on asc",
	)
	by_parent: dict[str, list[dict]] = {}
	for r in rows:
		by_parent.setdefault(r.parent, []).append(r)
	return by_parent


def get_data(year: int, quarter: int | None = None, rater: str | None = None) -> list[dict]:
	filters = {"year": year}
	if quarter:
		filters["quarter"] = str(quarter)
	if rater:
		filters["rater_unit"] = rater
	rows = frappe.get_list(
		STATISTIC,
		filters=filters,
		fields=list(FIELDS),
		order_by="quarter asc, rater_kind desc, rater_unit asc",
		limit_page_length=0,
	)
	reviews = _reviews([r.name for r in rows])
	data = []
	for r in rows:
		flags = [flag for flag, field in FLAG_FIELDS.items() if cint(r.get(field))]
		latest = {}
		for review in reviews.get(r.name, []):
			latest[review.flag] = review.outcome
		q = cint(r.quarter)
		data.append(
			{
				"name": r.name,
				"quarter": f"{r.year}-Q{q}",
				"rater_unit": r.rater_unit,
				"rater_kind": _(r.rater_kind) if r.rater_kind else "",
				"ratings": cint(r.ratings),
				"mean_total": flt(r.mean_total, 2),
				"std_dev": flt(r.std_dev, 2),
				"full_marks_share": flt(r.full_marks_share, 2),
				"identical_share": flt(r.identical_share, 2),
				"peer_mean": flt(r.peer_mean, 2) if cint(r.has_peers) else None,
				"peer_gap": flt(r.peer_gap, 2) if cint(r.has_peers) else None,
				"favoured_department": r.favoured_department,
				"favour_gap": flt(r.favour_gap, 2) if r.favoured_department else None,
				"flags": "、".join(_(FLAG_VALUES[f]) for f in flags),
				"reviews": "；".join(
					f"{_(flag)}：{_(OUTCOME_LABELS.get(outcome, outcome))}"
					for flag, outcome in latest.items()
				),
				"frozen": cint(r.frozen),
				"ratings_route": ratings_route(cint(r.year), q, r.rater_unit),
				"favoured_route": ratings_route(cint(r.year), q, r.rater_unit, r.favoured_department)
				if cint(r.flag_favouritism) and r.favoured_department
				else None,
			}
		)
	return data


def get_chart_data(data: list[dict]) -> dict | None:
	"""Each rater's mean and spread (standard deviation) against its peers' mean."""
	if not data:
		return None
	several = len({row["quarter"] for row in data}) > 1
	return {
		"data": {
			"labels": [
				f"{row['rater_unit']} {row['quarter']}" if several else row["rater_unit"] for row in data
			],
			"datasets": [
				{"name": _("Mean Total"), "values": [row["mean_total"] for row in data]},
				# a short legend: the column's full name overlapped the next legend entry
				{"name": _("Other Raters' Mean"), "values": [row["peer_mean"] or 0 for row in data]},
				{"name": _("Standard Deviation"), "values": [row["std_dev"] for row in data]},
			],
		},
		"type": "bar",
	}
