"""Demo problem analysis (RULES §14): a typical problem (sub-topic) and the enterprise's stage on
every demo whistle that has none, a repeated whistle of the demo enterprise (the same sub-topic
40 days after an earlier one, linked by the server), and last month's focus topic (每月一题).
Idempotent: each record is looked up before it is made."""

from datetime import date, datetime, time, timedelta

import frappe
from frappe.utils import getdate

from whistle_app.analysis import month_top_sub_topics
from whistle_app.lifecycle import act
from whistle_app.rules import analysis as an

PARK_USER = "park1@whistle.localhost"
OFFICE = "office@whistle.localhost"
ENTERPRISE_NAME = "示例科技有限公司"  # the demo enterprise of 示例园区一 (dev/demo.py)
REPEAT_TOPIC = "竣工逾期"
EARLIER_TITLE = "示例：厂房竣工验收逾期（首次反映）"
REPEAT_TITLE = "示例：厂房竣工验收逾期（再次反映）"
FOCUS_NOTE = "示例：请各园区、镇街梳理本月同类问题，相关部门集中研究解决办法。"


def ensure_demo_analysis(today=None) -> list[str]:
	"""Sub-topics and stages on the demo whistles, the repeated whistle, last month's focus topic;
	returns the names made now."""
	today = getdate(today)
	tag_demo_slips()
	made = []
	if frappe.flags.in_test:  # the tests make their own repeats and focus topics
		return made
	previous_user = frappe.session.user
	try:
		made += repeated_whistle(today)
		topic = focus_topic(today)
		if topic:
			made.append(topic)
	finally:
		frappe.flags.current_datetime = None
		frappe.set_user(previous_user)
	return made


def tag_demo_slips() -> None:
	"""Each demo whistle without a sub-topic gets one of its category's, and a stage, in turn (the
	demo's data, written as a park would have chosen them when filing)."""
	slips = frappe.get_all(
		"Whistle Slip",
		filters={"sub_topic": ("is", "not set"), "title": ("like", "%示例%")},
		fields=["name", "category"],
		order_by="creation asc",
	)
	for i, slip in enumerate(slips):
		topics = an.SUB_TOPICS.get(slip.category)
		if not topics:
			continue
		frappe.db.set_value(
			"Whistle Slip",
			slip.name,
			{
				"sub_topic": topics[i % len(topics)],
				"enterprise_stage": an.ENTERPRISE_STAGES[i % len(an.ENTERPRISE_STAGES)],
			},
			update_modified=False,
		)


def repeated_whistle(today: date) -> list[str]:
	enterprise = frappe.db.get_value("Enterprise", {"enterprise_name": ENTERPRISE_NAME})
	if not enterprise or frappe.db.exists("Whistle Slip", {"title": REPEAT_TITLE}):
		return []
	made = []
	frappe.set_user(PARK_USER)
	values = {
		"category": "Comprehensive Coordination",
		"sub_topic": REPEAT_TOPIC,
		"enterprise_stage": "项目开工建设",
		"enterprise": enterprise,
		"description": "厂房已建成，竣工验收迟迟未办理，影响企业投产。",
		"demand": "请协调尽快组织竣工验收",
	}
	earlier = frappe.db.get_value("Whistle Slip", {"title": EARLIER_TITLE})
	if not earlier:
		filed = datetime.combine(today - timedelta(days=40), time(9, 0))
		frappe.flags.current_datetime = filed
		slip = frappe.get_doc({"doctype": "Whistle Slip", "title": EARLIER_TITLE, **values}).insert()
		frappe.db.set_value("Whistle Slip", slip.name, "creation", filed, update_modified=False)
		act(slip.name, "提交吹哨")
		earlier = slip.name
		made.append(earlier)
	frappe.flags.current_datetime = datetime.combine(today, time(9, 0))
	slip = frappe.get_doc({"doctype": "Whistle Slip", "title": REPEAT_TITLE, **values}).insert()
	act(slip.name, "提交吹哨")  # the office sees the link to the earlier whistle at review
	made.append(slip.name)
	return made


def focus_topic(today: date) -> str | None:
	first = today.replace(day=1)
	last_month = (first - timedelta(days=1)).replace(day=1)
	key = f"{last_month.year}-{last_month.month:02d}"
	if frappe.db.exists("Monthly Focus Topic", {"month_key": key}):
		return None
	top = month_top_sub_topics(last_month.year, last_month.month, limit=1)
	sub_topic = top[0][0] if top else REPEAT_TOPIC
	frappe.set_user(OFFICE)
	doc = frappe.get_doc(
		{
			"doctype": "Monthly Focus Topic",
			"month": last_month,
			"sub_topic": sub_topic,
			"title": f"示例：{key} 每月一题——{sub_topic}",
			"note": FOCUS_NOTE,
		}
	).insert()
	return doc.name
