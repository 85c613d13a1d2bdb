"""Rating templates (RULES §5): the default forms and the template in force on a day."""

import frappe
from frappe import _
from frappe.utils import getdate

from whistle_app.lifecycle import now
from whistle_app.ratings.common import DEFAULT_ACTIVE_FROM, DEFAULT_TEMPLATES, RatingError

# --- templates ----------------------------------------------------------------------------------


def ensure_default_templates() -> None:
	"""Install the two §5 default templates where no template of their rater kind exists yet."""
	for name, kind, criteria in DEFAULT_TEMPLATES:
		if frappe.db.exists("Rating Template", {"rater_kind": kind}):
			continue
		frappe.get_doc(
			{
				"doctype": "Rating Template",
				"template_name": name,
				"rater_kind": kind,
				"active_from": DEFAULT_ACTIVE_FROM,
				"criteria": [{"criterion": c, "max_points": m} for c, m in criteria.items()],
			}
		).insert(ignore_permissions=True)


def template_in_force(rater_kind: str, day=None) -> str:
	"""The template of ``rater_kind`` with the latest ``active_from`` on or before ``day``."""
	day = getdate(day or now())
	names = frappe.get_all(
		"Rating Template",
		filters={"rater_kind": rater_kind, "active_from": ("<=", day)},
		order_by="active_from desc, creation desc",
		pluck="name",
		limit=1,
	)
	if not names:
		frappe.throw(
			_("No rating template for {0} is in force on {1}.").format(_(rater_kind), day), RatingError
		)
	return names[0]


def template_maxima(template: str) -> dict[str, int]:
	rows = frappe.get_all(
		"Rating Template Criterion",
		filters={"parent": template, "parenttype": "Rating Template", "parentfield": "criteria"},
		fields=["criterion", "max_points"],
		order_by="idx asc",
	)
	return {row.criterion: row.max_points for row in rows}
