"""Demo accountability cases (RULES §13): one referred to the discipline commission and one closed by
granted fault tolerance, each replayed through the real workflow as the demo users. Idempotent: a
case is made once, recognised by its facts."""

from datetime import datetime, time, timedelta

import frappe
from frappe.utils import getdate

from whistle_app import accountability
from whistle_app.rules import accountability as ac

EFFICIENCY = "efficiency@whistle.localhost"
LEADER = "leader@whistle.localhost"
FGW = "fgw@whistle.localhost"

REFERRED_FACTS = "示例：消防验收排期过长，派单后长期未报到，企业多次反映无人对接。"
REFERRAL_NUMBER = "高新效移〔示例〕1号"
TOLERATED_FACTS = "示例：高新技术企业认定政策辅导中按新政策口径先行办理，办结后被企业投诉口径不一。"


def ensure_demo_accountability(today=None) -> list[str]:
	"""The two demo cases (made once); returns the names made now."""
	start = datetime.combine(getdate(today) - timedelta(days=10), time(9, 0))
	previous_user = frappe.session.user
	made = []
	try:
		if not frappe.db.exists(ac.CASE, {"facts": REFERRED_FACTS}):
			made.append(referred_case(start))
		if not frappe.db.exists(ac.CASE, {"facts": TOLERATED_FACTS}):
			made.append(tolerated_case(start))
	finally:
		frappe.flags.current_datetime = None
		frappe.set_user(previous_user)
	return made


def step(moment: datetime, user: str, doctype: str, name: str, action: str, reason: str | None = None):
	frappe.flags.current_datetime = moment
	frappe.set_user(user)
	accountability.act(doctype, name, action, reason)


def open_case(moment: datetime, slip_title: str, unit: str, kind: str, facts: str) -> str:
	frappe.flags.current_datetime = moment
	frappe.set_user(EFFICIENCY)
	slip = frappe.db.get_value(ac.SLIP, {"title": slip_title})
	case = {"doctype": ac.CASE, "evidence_type": ac.SLIP, "evidence": slip, "whistle_unit": unit}
	return frappe.get_doc({**case, "kind": kind, "facts": facts}).insert().name


def update_case(name: str, **values) -> None:
	doc = frappe.get_doc(ac.CASE, name)
	doc.update(values)
	doc.save()


def referred_case(start: datetime) -> str:
	name = open_case(
		start, "示例：消防验收排期过长（报到逾期）", "住房和城乡建设局", "Inaction", REFERRED_FACTS
	)
	step(start + timedelta(days=1), EFFICIENCY, ac.CASE, name, ac.VERIFY, "调阅流转单与催办记录，情况属实")
	update_case(name, referral_date=(start + timedelta(days=2)).date(), referral_number=REFERRAL_NUMBER)
	step(start + timedelta(days=2), EFFICIENCY, ac.CASE, name, ac.REFER, "涉嫌不作为，移送纪工委监委处理")
	return name


def tolerated_case(start: datetime) -> str:
	name = open_case(
		start, "示例：高新技术企业认定政策辅导", "发展和改革委", "Perfunctory Work", TOLERATED_FACTS
	)
	step(start + timedelta(days=1), EFFICIENCY, ac.CASE, name, ac.VERIFY, "调阅办理记录，情况属实")
	update_case(name, outcome="Talk Reminder", outcome_details="约谈分管领导")
	step(start + timedelta(days=2), EFFICIENCY, ac.CASE, name, ac.DECIDE, "情节较轻，谈话提醒")
	frappe.flags.current_datetime = start + timedelta(days=3)
	frappe.set_user(FGW)
	application = frappe.get_doc(
		{
			"doctype": ac.APPLICATION,
			"case": name,
			"reason": "Pioneering Trial",
			"description": "新政策出台初期按省级口径先行先试办理，无谋私利，已及时纠正。",
		}
	).insert()
	step(start + timedelta(days=3), FGW, ac.APPLICATION, application.name, ac.FILE)
	step(
		start + timedelta(days=4),
		EFFICIENCY,
		ac.APPLICATION,
		application.name,
		ac.FORWARD,
		"情况属实，建议容错",
	)
	step(
		start + timedelta(days=5),
		LEADER,
		ac.APPLICATION,
		application.name,
		ac.GRANT,
		"属先行先试中的失误，予以免责",
	)
	return name
