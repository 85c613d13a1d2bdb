"""Database indexes on the columns the jobs, reports and unit scopes filter on (issue #10).

Most filtered columns carry ``search_index`` in their DocType JSON; these are the ones that do not:
``workflow_state`` is the workflow's custom field (Frappe makes it, without an index), and the others
are filtered by set-based queries at district and province scale. ``after_migrate`` calls
``ensure_indexes``; ``frappe.db.add_index`` does nothing when the index exists, so it is idempotent.
"""

import frappe

# (DocType, columns, who filters on them)
INDEXES: tuple[tuple[str, tuple[str, ...], str], ...] = (
	("Whistle Slip", ("workflow_state",), "deadline job, board, number cards, bulletin, rating drafts"),
	("Whistle Slip", ("dispatched_on",), "bulletin: slips dispatched in the month; survey eligibility"),
	("Whistle Slip", ("response_deadline",), "bulletin: clocks due in the month"),
	("Whistle Slip", ("meeting_deadline",), "bulletin: clocks due in the month"),
	("Whistle Slip", ("completion_deadline",), "bulletin: clocks due in the month"),
	("Whistle Slip", ("enterprise",), "survey eligibility and ballot of an enterprise"),
	("Whistle Slip", ("overdue",), "deadline job: flags to reset (with the warning_level index)"),
	("Whistle Slip Department", ("department", "department_role"), "unit scope; responsible departments"),
	("Whistle Slip Department", ("warning_level",), "deadline job: flags to reset"),
	("Whistle Slip Department", ("overdue",), "deadline job: flags to reset; overdue chart"),
	(
		"Whistle Slip Score",
		("closed_on", "rating_complete", "department", "excluded_from_assessment", "slip_score"),
		"quarterly evaluation and bulletin: slip score totals per unit, read from the index alone",
	),
	("Whistle Rating", ("docstatus",), "pending ratings (daily job, /ratings)"),
	(
		"Whistle Rating",
		("docstatus", "rater_unit", "score_signature", "rated_on"),
		"rater fairness: identical score rows per rater and quarter, from the index alone (RULES §14)",
	),
	("Enterprise", ("whistle_unit",), "unit scope of enterprises"),
	("Satisfaction Vote", ("enterprise",), "unit scope and ballot of an enterprise"),
	(
		"Satisfaction Vote",
		("survey", "whistle_unit", "level"),
		"votes per unit and level, from the index alone",
	),
	("Whistle Extension Request", ("whistle_unit",), "unit scope of requests"),
	("Whistle Exemption Request", ("whistle_unit",), "unit scope of requests"),
	("Assessment Exclusion Request", ("whistle_unit",), "unit scope of requests"),
)


def index_name(columns: tuple[str, ...]) -> str:
	return ("whistle_" + "_".join(columns))[:64]  # MariaDB's limit for identifiers


def missing_indexes() -> list[tuple[str, tuple[str, ...]]]:
	"""(DocType, columns) of the indexes not in the database (columns that exist only)."""
	return [
		(doctype, columns)
		for doctype, columns, _reason in INDEXES
		if frappe.db.table_exists(doctype)
		and all(frappe.db.has_column(doctype, column) for column in columns)
		and not frappe.db.has_index(f"tab{doctype}", index_name(columns))
	]


def ensure_indexes() -> list[str]:
	"""Add the indexes that are missing; returns the ones added (``DocType.index``).

	Adding an index is DDL, which commits the transaction: inside a test (``frappe.flags.in_test``) it
	adds nothing, so a test calling ``after_migrate`` never commits its data; ``bench migrate`` (and so
	``make test``, which migrates the test site first) adds them."""
	if frappe.flags.in_test:
		return []
	added = []
	# a column made later (e.g. the workflow's state field) gets its index at the next migrate
	for doctype, columns in missing_indexes():
		frappe.db.add_index(doctype, list(columns), index_name=index_name(columns))
		added.append(f"{doctype}.{index_name(columns)}")
	return added
