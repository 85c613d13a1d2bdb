"""The figures of the three desks (issue #21): one call instead of one request per widget.

Each desk workspace (Whistle Office Desk, Department Desk, Park Desk) shows its counts and charts in
one Custom HTML Block (``whistle_app/public/js/whistle_desk.js``, ``render_desk_summary``). The block
asks ``get_summary`` once; it answers the counts of every card from one grouped query and each chart
from the chart source's own functions in ``whistle_app.board``, all through ``frappe.get_list``, so each
user sees the figures of their own unit scope (RULES §10), exactly as the Number Cards and Dashboard
Charts of the same names count them (those records stay installed for an administrator's own pages).

The answer is cached per user, desk and language for ``CACHE_SECONDS``, under a version
(``whistle_app.desk_cache``) that every committed change of a slip, slip score or bulletin and every
run of the deadline job that changed a flag moves on, so a figure is never older than the last change
the user could see. The desk's 刷新 button asks afresh.
"""

import frappe
from frappe import _

from whistle_app import board
from whistle_app.desk_cache import cache_key
from whistle_app.lifecycle import now
from whistle_app.rules import board as bd
from whistle_app.rules import lifecycle as lc

SLIP = "Whistle Slip"
BULLETIN = "Supervision Bulletin"
CACHE_SECONDS = 300
OPEN = list(bd.COLUMNS)

# card: (label = the Number Card of the same name, what it counts)
OFFICE_CARDS = (
	("Whistles to Review", ("state", lc.SUBMITTED)),
	("Reports to Review and Copy", ("state", lc.REPORTED)),
	("Overdue Whistles", ("overdue",)),
	("Whistles Awaiting Confirmation", ("state", lc.COMPLETED)),
	("Whistles to Close", ("state", lc.CONFIRMED)),
	("Bulletins to Publish", ("bulletin_drafts",)),
)
DEPARTMENT_CARDS = (
	("Whistles to Report For", ("state", lc.DISPATCHED)),
	("Whistles in Handling", ("state", lc.HANDLING)),
	("Overdue Whistles", ("overdue",)),
	("Open Whistles", ("open",)),
)
PARK_CARDS = (
	("Draft Whistles", ("state", lc.DRAFT)),
	("Returned Whistles", ("state", lc.RETURNED)),
	("Whistles Awaiting Confirmation", ("state", lc.COMPLETED)),
	("Open Whistles", ("open",)),
	("Whistles Filed", ("filed",)),
)
# workspace: (cards, charts as (title = the Dashboard Chart of the same name, dimension))
DESKS = {
	"Whistle Office Desk": (
		OFFICE_CARDS,
		(
			("Open Whistles by State", board.OPEN_BY_STATE),
			("Overdue Whistles by Department", board.OVERDUE_BY_DEPARTMENT),
			("On-time Rates by Class This Month", board.ON_TIME_BY_CLASS),
			("Average Slip Score by Class This Month", board.SCORE_BY_CLASS),
		),
	),
	"Department Desk": (DEPARTMENT_CARDS, ()),
	"Park Desk": (PARK_CARDS, (("Monthly Whistles per Category", board.MONTHLY_BY_CATEGORY),)),
}
# charts drawn as a list of bars (label, bar, count) instead of a chart with axes
LIST_CHARTS = frozenset({board.OPEN_BY_STATE, board.OVERDUE_BY_DEPARTMENT})
# colours of the cards that ask for action
URGENT = {"Overdue Whistles": "red", "Returned Whistles": "orange", "Whistles to Report For": "orange"}


class DeskSummaryError(frappe.ValidationError):
	pass


@frappe.whitelist()
@frappe.read_only()  # pure reads: served by the replica where read_from_replica is set
def get_summary(workspace: str, refresh: bool = False) -> dict:
	"""Cards and charts of ``workspace`` for the current user (see the module's doc)."""
	if workspace not in DESKS:
		frappe.throw(_("Unknown desk {0}.").format(workspace), DeskSummaryError)
	check_desk_permission(workspace)
	key = cache_key(workspace)
	if not frappe.parse_json(refresh):
		cached = frappe.cache.get_value(key)
		if cached is not None:
			return cached
	summary = compute(workspace)
	frappe.cache.set_value(key, summary, expires_in_sec=CACHE_SECONDS)
	return summary


def check_desk_permission(workspace: str) -> None:
	"""The desk's roles (as its Workspace lists them) and read access to slips."""
	roles = {row.role for row in frappe.get_cached_doc("Workspace", workspace).roles}
	if roles and not roles & set(frappe.get_roles()):
		frappe.throw(_("You cannot open the desk {0}.").format(_(workspace)), frappe.PermissionError)
	frappe.has_permission(SLIP, "read", throw=True)


def compute(workspace: str) -> dict:
	cards, charts = DESKS[workspace]
	counts = state_counts()
	return {
		"workspace": workspace,
		"as_of": str(now())[:19],
		"cards": [card(label, what, counts) for label, what in cards],
		"charts": [
			{"title": _(title), "dimension": dimension, "data": chart(dimension, counts)}
			for title, dimension in charts
		],
	}


def state_counts() -> dict:
	"""{state: (slips, of which overdue)} of the slips the user may read (one grouped query)."""
	rows = frappe.get_list(
		SLIP,
		fields=["workflow_state", "count(name) as count", "sum(overdue) as overdue"],
		group_by="workflow_state",
		order_by="workflow_state asc",
	)
	return {r.workflow_state: (int(r.count or 0), int(r.overdue or 0)) for r in rows}


def card(label: str, what: tuple, counts: dict) -> dict:
	"""One card: its count, and the list (DocType and filters) a click opens."""
	kind = what[0]
	doctype, filters = SLIP, {}
	if kind == "state":
		value = counts.get(what[1], (0, 0))[0]
		filters = {"workflow_state": what[1]}
	elif kind == "open":
		value = sum(counts.get(s, (0, 0))[0] for s in OPEN)
		filters = {"workflow_state": ["in", OPEN]}
	elif kind == "overdue":
		value = sum(counts.get(s, (0, 0))[1] for s in OPEN)
		filters = {"workflow_state": ["in", OPEN], "overdue": 1}
	elif kind == "filed":
		value = sum(n for state, (n, _overdue) in counts.items() if state != lc.DRAFT)
		filters = {"workflow_state": ["!=", lc.DRAFT]}
	else:  # drafts of the monthly bulletin (RULES §6): units only ever read published ones
		doctype, filters = BULLETIN, {"docstatus": 0}
		value = len(frappe.get_list(BULLETIN, filters=filters, pluck="name", limit_page_length=0))
	return {
		"label": _(label),
		"value": value,
		"doctype": doctype,
		"filters": filters,
		"color": URGENT.get(label) if value else None,
	}


def chart(dimension: str, counts: dict) -> dict:
	if dimension == board.OPEN_BY_STATE:  # from the grouped counts: no second query
		data = {
			"labels": [_(state) for state in OPEN],
			"datasets": [{"name": _("Open Whistles"), "values": [counts.get(s, (0, 0))[0] for s in OPEN]}],
		}
	else:
		data = board.get_chart({"dimension": dimension})
	data["empty"] = nothing_counted(dimension, data)
	# counts per state or department: full labels and whole numbers, as bars of a list
	data["kind"] = "list" if dimension in LIST_CHARTS else "chart"
	return data


def nothing_counted(dimension: str, data: dict) -> bool:
	"""True when the chart has nothing to show (then the desk says so instead of drawing zeros); a
	rate of 0 % with cases judged is something to show."""
	if dimension == board.ON_TIME_BY_CLASS:
		return not any(c["on_time"] + c["late"] for clock in data["counts"].values() for c in clock.values())
	if dimension == board.SCORE_BY_CLASS:
		return not any(data["counts"].values())
	return not any(v for d in data["datasets"] for v in d["values"])


# --- the desks' blocks ----------------------------------------------------------------------------------

BLOCK = "Custom HTML Block"
BLOCKS = {workspace: f"{workspace} Figures" for workspace in DESKS}


def ensure_desk_blocks() -> None:
	"""``after_migrate``: the Custom HTML Block of each desk (its workspace shows it), created when
	missing, so an administrator's edits to a block are kept."""
	for workspace, name in BLOCKS.items():
		if frappe.db.exists(BLOCK, name):
			continue
		roles = frappe.get_all(
			"Has Role", filters={"parent": workspace, "parenttype": "Workspace"}, pluck="role"
		)
		doc = frappe.new_doc(BLOCK)
		doc.update(
			{
				"html": '<div class="whistle-desk-summary-root"></div>',
				"script": f"whistle_app.render_desk_summary(root_element, {frappe.as_json(workspace)});",
				"roles": [{"role": role} for role in roles],
			}
		)
		doc.insert(ignore_permissions=True, set_name=name)
