"""Problem analysis (研判分析, RULES §14 second bullet), the Frappe side of ``rules/analysis.py``: the
typical-problem taxonomy (Whistle Sub Topic, seeded once per sub-topic), the sub-topic and stage of
slips and demands, repeated whistles (``repeat_of``), and the monthly focus topic's suggestion.

The report ``Whistle Analysis`` reads through ``frappe.get_list``; the repeat is found by the server
(every earlier whistle of the enterprise counts, whoever may read it) and kept read-only on the form.
"""

import json
from datetime import date

import frappe
from frappe import _
from frappe.utils import add_days, cstr, getdate

from whistle_app.access import is_office, requires
from whistle_app.lifecycle import now
from whistle_app.rules import analysis as an
from whistle_app.rules import lifecycle as lc

SUB_TOPIC = "Whistle Sub Topic"
FOCUS = "Monthly Focus Topic"
SLIP = "Whistle Slip"
SEEDED_KEY = "whistle_seeded_sub_topics"  # the seeded names, remembered so edits and deletions stay


class SubTopicError(frappe.ValidationError):
	pass


class FocusTopicError(frappe.ValidationError):
	pass


# --- the taxonomy ----------------------------------------------------------------------------------


def seed_sub_topics() -> list[str]:
	"""Create the plan's sub-topics never seeded before on this site (install and migrate).

	A seeded name is remembered, so a sub-topic the administrator renamed, disabled or deleted is
	never created or overwritten again."""
	seeded = set(json.loads(frappe.db.get_default(SEEDED_KEY) or "[]"))
	created = []
	for values in an.seed_sub_topics():
		name = values["topic_name"]
		if name in seeded:
			continue
		if not frappe.db.exists(SUB_TOPIC, name):
			frappe.get_doc({"doctype": SUB_TOPIC, "enabled": 1, **values}).insert(ignore_permissions=True)
			created.append(name)
		seeded.add(name)
	frappe.db.set_default(SEEDED_KEY, json.dumps(sorted(seeded), ensure_ascii=False))
	return created


def validate_sub_topic(doc, category: str | None) -> None:
	"""The sub-topic exists, is enabled when newly chosen, and belongs to the category (when the
	document has one); the enterprise's stage is one of §14's three."""
	if doc.get("enterprise_stage") and doc.enterprise_stage not in an.ENTERPRISE_STAGES:
		frappe.throw(
			_("{0} is not an enterprise stage; choose one of {1}.").format(
				doc.enterprise_stage, "、".join(an.ENTERPRISE_STAGES)
			),
			SubTopicError,
		)
	if not doc.get("sub_topic"):
		return
	topic = frappe.db.get_value(SUB_TOPIC, doc.sub_topic, ["category", "enabled"], as_dict=True)
	if not topic:
		frappe.throw(_("Sub-topic {0} does not exist.").format(doc.sub_topic), SubTopicError)
	if category and topic.category != category:
		frappe.throw(
			_("Sub-topic {0} belongs to the category {1}, not to {2}.").format(
				doc.sub_topic, _(topic.category), _(category)
			),
			SubTopicError,
		)
	before = doc.get_doc_before_save() if not doc.is_new() else None
	if not topic.enabled and (before is None or before.get("sub_topic") != doc.sub_topic):
		frappe.throw(_("Sub-topic {0} is disabled.").format(doc.sub_topic), SubTopicError)


def category_of(sub_topic: str | None) -> str | None:
	return frappe.db.get_value(SUB_TOPIC, sub_topic, "category") if sub_topic else None


@frappe.whitelist()
def sub_topic_options(category: str | None = None) -> list[dict]:
	"""The enabled sub-topics (of ``category`` when given) as the phone forms offer them."""
	filters = {"enabled": 1}
	if category:
		filters["category"] = category
	rows = frappe.get_list(
		SUB_TOPIC,
		filters=filters,
		fields=["name", "category"],
		order_by="category asc, sort_order asc, name asc",
		limit_page_length=0,
	)
	return [{"value": r.name, "label": r.name if category else f"{r.name}（{_(r.category)}）"} for r in rows]


# --- repeated whistles -----------------------------------------------------------------------------


def filing_date(doc) -> date:
	return getdate(doc.creation) if doc.get("creation") else now().date()


def find_repeat(doc) -> str | None:
	"""The latest earlier whistle (a slip past its draft) of the same enterprise and sub-topic filed
	within the 90 days before this slip or demand (§14 [decision]), else None."""
	if not (doc.get("enterprise") and doc.get("sub_topic")):
		return None
	day = filing_date(doc)
	filters = [
		[SLIP, "enterprise", "=", doc.enterprise],
		[SLIP, "sub_topic", "=", doc.sub_topic],
		[SLIP, "workflow_state", "!=", lc.DRAFT],
		[SLIP, "creation", ">=", f"{an.window_start(day)} 00:00:00"],
		[SLIP, "creation", "<", f"{add_days(day, 1)} 00:00:00"],
	]
	if doc.doctype == SLIP and not doc.is_new():
		filters.append([SLIP, "name", "!=", doc.name])
		filters.append([SLIP, "creation", "<", cstr(doc.creation)])
	if doc.doctype == SLIP and doc.get("enterprise_demand"):
		# the demand escalated into this slip is the same whistle, not an earlier one
		filters.append([SLIP, "ifnull(enterprise_demand, '')", "!=", doc.enterprise_demand])
	for row in frappe.get_all(
		SLIP, filters=filters, fields=["name", "creation"], order_by="creation desc", limit=5
	):
		if an.is_repeat(getdate(row.creation), day):
			return row.name
	return None


def set_repeat_of(doc, open_for_change: bool) -> None:
	"""While the whistle is still being filed, ``repeat_of`` follows its enterprise and sub-topic;
	afterwards it stays as the office saw it at review."""
	if open_for_change:
		doc.repeat_of = find_repeat(doc)


@frappe.whitelist()
def repeat_info(doctype: str, name: str) -> dict | None:
	"""The earlier whistle a slip or demand repeats, for its form: number, title, state and result
	(only for a reader of the document; the earlier slip is the same enterprise's)."""
	if doctype not in (SLIP, "Enterprise Demand"):
		frappe.throw(_("Not permitted"), frappe.PermissionError)
	doc = frappe.get_doc(doctype, name)
	doc.check_permission("read")
	if not doc.get("repeat_of"):
		return None
	earlier = frappe.db.get_value(
		SLIP,
		doc.repeat_of,
		["name", "title", "workflow_state", "result", "creation", "sub_topic"],
		as_dict=True,
	)
	if not earlier:
		return None
	return {
		"name": earlier.name,
		"title": earlier.title,
		"state": _(earlier.workflow_state),
		"result": earlier.result,
		"filed_on": cstr(getdate(earlier.creation)),
		"sub_topic": earlier.sub_topic,
		"days": (filing_date(doc) - getdate(earlier.creation)).days,
	}


# --- the monthly focus topic (每月一题) ---------------------------------------------------------------


def month_top_sub_topics(year: int, month: int, limit: int = 3) -> list[tuple[str, int]]:
	"""The sub-topics of the slips filed (past draft) in the month, most first."""
	start = date(year, month, 1)
	end = date(year + (month == 12), month % 12 + 1, 1)
	rows = frappe.get_all(
		SLIP,
		filters=[
			[SLIP, "workflow_state", "!=", lc.DRAFT],
			[SLIP, "sub_topic", "is", "set"],
			[SLIP, "creation", ">=", f"{start} 00:00:00"],
			[SLIP, "creation", "<", f"{end} 00:00:00"],
		],
		fields=["sub_topic", "count(name) as count"],
		group_by="sub_topic",
	)
	ranked = sorted(((r.sub_topic, int(r.count)) for r in rows), key=lambda kv: (-kv[1], kv[0]))
	return ranked[:limit]


@frappe.whitelist()
@requires(is_office, "Only the Whistle Office suggests the monthly focus topic.")
def suggest_focus_topic(month: str) -> dict | None:
	"""The month's top sub-topic with a suggested title and note (每月一题), or None without any."""
	day = getdate(month)
	top = month_top_sub_topics(day.year, day.month)
	if not top:
		return None
	sub_topic, count = top[0]
	others = "、".join(f"{name}（{n}）" for name, n in top[1:])
	note = _("{0} whistles about {1} this month.").format(count, sub_topic)
	if others:
		note += _("Next: {0}.").format(others)
	return {
		"sub_topic": sub_topic,
		"title": _("Focus of {0}: {1}").format(f"{day.year}-{day.month:02d}", sub_topic),
		"note": note,
		"count": count,
	}


def validate_focus_sub_topic(doc) -> None:
	if not frappe.db.exists(SUB_TOPIC, doc.sub_topic):
		frappe.throw(_("Sub-topic {0} does not exist.").format(doc.sub_topic), FocusTopicError)
	doc.category = category_of(doc.sub_topic)


def focus_topic(year: int, month: int) -> dict | None:
	return frappe.db.get_value(
		FOCUS, {"month_key": f"{year}-{month:02d}"}, ["name", "title", "sub_topic", "note"], as_dict=True
	)


def focus_topic_paragraph(year: int, month: int) -> str | None:
	"""The bulletin's paragraph on the month's focus topic (in the caller's print language)."""
	topic = focus_topic(year, month)
	if not topic:
		return None
	text = _("Focus topic of the month (每月一题): {0} (typical problem: {1}).").format(
		topic.title, topic.sub_topic
	)
	note = " ".join(cstr(topic.note).split())
	return f"{text}{note}" if note else text


def refresh_month_bulletin(doc) -> None:
	"""Regenerate the text of the month's draft bulletin (published ones are final, RULES §6)."""
	day = getdate(doc.month)
	for name in frappe.get_all(
		"Supervision Bulletin",
		filters={"year": day.year, "month": day.month, "docstatus": 0},
		pluck="name",
	):
		bulletin = frappe.get_doc("Supervision Bulletin", name)
		bulletin.flags.ignore_permissions = True
		bulletin.save()
