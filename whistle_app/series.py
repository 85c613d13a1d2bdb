"""Document numbers of the app's naming series (CS-2027-00001, PJ-2027-00001, …), safe under concurrency.

Frappe keeps a counter per series key in ``tabSeries`` and takes the next number with ``SELECT … FOR
UPDATE`` followed by an ``UPDATE`` or, when the key is new, an ``INSERT``. Requests run at READ
COMMITTED (whistle_app/transactions.py), where a locking read of a row that does not exist yet locks
nothing: two requests filing the first whistles of a new year both insert ``CS-2027-`` and one fails
with "Duplicate entry" (issue #24). Two measures close it at its root:

* every key the app's series will need this year and next exists before it is needed: created at
  install and migrate and by the yearly job (``ensure_current_and_next_year``), counter 0;
* the app names its documents itself (doc event ``autoname``) with the same keys, prefixes and digits
  as Frappe, but takes the number with one atomic ``INSERT … ON DUPLICATE KEY UPDATE``: the first
  creator inserts the row, every other waits for its exclusive lock and increments it, so numbers
  are consecutive and nobody fails, whether or not the row existed.

Administrators keep Frappe's tools: the counters are the same ``tabSeries`` rows, so "Update Series
Number" in the desk moves them, and a Document Naming Rule they add still takes precedence.
"""

from datetime import date

import frappe
from frappe.model.naming import NamingSeries, parse_naming_series
from frappe.query_builder import DocType
from frappe.utils import getdate

from whistle_app.calendar import current_date
from whistle_app.doctype_index import series_doctypes

# The app's DocTypes numbered from a naming series (the others are named after a field or a period).
SERIES_DOCTYPES = series_doctypes()

# The date parts this module can place in a given year; any other part in a series is refused.
YEAR_PARTS = {"YYYY": lambda year: f"{year:04d}", "YY": lambda year: f"{year % 100:02d}"}
OTHER_DATE_PARTS = frozenset({"MM", "DD", "WW", "FY", "JJJ", "timestamp"})


def patterns(doctype: str) -> list[str]:
	"""The series a DocType may be numbered from, each with its number part (``CS-.YYYY.-.#####``)."""
	meta = frappe.get_meta(doctype)
	autoname = meta.autoname or ""
	if autoname.startswith("naming_series:"):
		options = (meta.get_field("naming_series").options or "").split("\n")
		found = [option.strip() for option in options if option.strip()]
	else:
		found = [autoname]
	return [NamingSeries(pattern).series for pattern in found]


def key_in_year(pattern: str, year: int) -> str:
	"""The ``tabSeries`` key of ``pattern`` in ``year``: ``CS-.YYYY.-.#####`` in 2027 is ``CS-2027-``."""
	key = ""
	for part in pattern.split("."):
		if part.startswith("#"):
			return key
		if part in YEAR_PARTS:
			key += YEAR_PARTS[part](year)
		elif part in OTHER_DATE_PARTS or part.startswith("{"):
			raise ValueError(f"series {pattern}: part {part} is not known before the document is")
		else:
			key += part
	raise ValueError(f"series {pattern} has no number part")


def ensure_keys(years: list[int]) -> list[str]:
	"""Create the counter rows of every series of the app for ``years`` (counter 0); existing rows are
	left as they are. Returns the keys created."""
	series = DocType("Series")
	created = []
	for doctype in SERIES_DOCTYPES:
		for pattern in patterns(doctype):
			for year in years:
				key = key_in_year(pattern, year)
				if frappe.db.get_value("Series", key, "name", order_by=None) is None:
					frappe.qb.into(series).columns("name", "current").insert(key, 0).ignore().run()
					created.append(key)
	return created


def ensure_current_and_next_year() -> list[str]:
	"""Install, migrate and the yearly job: this year's and next year's keys exist before anyone files."""
	today: date = current_date()
	return ensure_keys([today.year, today.year + 1])


def next_number(key: str, digits: int) -> str:
	"""The next number of ``key``, taken atomically: one upsert, then the row this transaction holds."""
	series = DocType("Series")
	(
		frappe.qb.into(series)
		.columns("name", "current")
		.insert(key, 1)
		.on_duplicate_key_update(series.current, series.current + 1)
		.run()
	)
	current = frappe.qb.from_(series).select(series.current).where(series.name == key).run()[0][0]
	return f"{int(current):0{digits}d}"


def autoname(doc, method=None) -> None:
	"""Doc event ``autoname`` of the SERIES_DOCTYPES: the name Frappe would give, numbered safely."""
	if doc.name:  # a Document Naming Rule of the administrator named it already
		return
	options = patterns(doc.doctype)
	pattern = options[0]
	if doc.meta.autoname.startswith("naming_series:"):
		chosen = doc.get("naming_series") or pattern
		series = NamingSeries(chosen)
		series.validate()
		pattern = series.series
		doc.naming_series = chosen
	doc.name = name_in_app_year(pattern) or parse_naming_series(
		pattern, doc=doc, number_generator=next_number
	)


def name_in_app_year(pattern: str) -> str | None:
	"""While the app's "now" is set (``frappe.flags.current_datetime``: demo history, tests), a document
	is numbered in that moment's year, as it would have been then: a whistle filed in 2025 reads
	CS-2025-…, not the year the demo was loaded (issue #25). None otherwise, or for other date parts."""
	moment = frappe.flags.current_datetime
	if not moment:
		return None
	try:
		key = key_in_year(pattern, getdate(moment).year)
	except ValueError:
		return None
	digits = pattern.rsplit(".", 1)[-1].count("#")
	return key + next_number(key, digits)
