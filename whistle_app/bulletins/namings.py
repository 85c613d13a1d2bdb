"""The published namings (RULES §6), the stable API of the evaluation (§8 penalty, §9 evidence)."""

import frappe
from frappe.query_builder import DocType
from frappe.query_builder.functions import Count

from whistle_app.bulletins.common import BULLETIN, NAMED_UNIT


def _published_named_rows(year: int):
	"""The query of (bulletin, unit) pairs of the published bulletins of ``year``."""
	bulletin, named = DocType(BULLETIN), DocType(NAMED_UNIT)
	return (
		(
			frappe.qb.from_(named)
			.join(bulletin)
			.on((named.parent == bulletin.name) & (named.parenttype == BULLETIN))
			.where(named.parentfield == "named_units")
			.where(bulletin.docstatus == 1)
			.where(bulletin.year == int(year))
		),
		bulletin,
		named,
	)


def published_namings(year: int, units: list[str] | None = None) -> dict[str, int]:
	"""Number of published bulletins of calendar year ``year`` (by bulletin period) that name each
	unit, in one grouped query. Units never named that year are absent; ``units`` limits the answer
	to those units (an empty list gives an empty answer)."""
	if units is not None and not units:
		return {}
	query, bulletin, named = _published_named_rows(year)
	query = query.select(named.department, Count(bulletin.name).distinct().as_("n")).groupby(named.department)
	if units is not None:
		query = query.where(named.department.isin(list(units)))
	return {unit: int(n) for unit, n in query.run()}


def naming_bulletins(unit: str, year: int) -> list[str]:
	"""Names of the published bulletins of calendar year ``year`` that name ``unit``, in period order
	(evidence for the Snail Award, §9)."""
	query, bulletin, named = _published_named_rows(year)
	query = (
		query.select(bulletin.name, bulletin.month)
		.distinct()
		.where(named.department == unit)
		.orderby(bulletin.month)
		.orderby(bulletin.name)
	)
	return [name for name, _month in query.run()]
