"""Demo District Head's coordination (RULES §12): a meeting with published minutes, one decision
reported and accepted, one overdue, and proposals in the office's queue, replayed through the real
workflow as the demo users. Idempotent: the meeting is made once, recognised by its summary."""

from datetime import datetime, time, timedelta

import frappe
from frappe.utils import getdate

from whistle_app import coordination
from whistle_app.rules import coordination as co
from whistle_app.rules import lifecycle as lc

OFFICE = "office@whistle.localhost"
LEADER = "leader@whistle.localhost"
SUMMARY = "示例：区长调度会商会，研究久拖未决的企业诉求，明确责任单位和办理时限。"


def ensure_demo_coordination(today=None) -> list[str]:
	"""The demo meeting, its two decisions and the queue (made once); returns the names made now."""
	if frappe.db.exists(co.MEETING, {"summary": SUMMARY}):
		return []
	slips = open_slips_with_liaisons()
	if not slips:
		return []
	start = datetime.combine(getdate(today) - timedelta(days=14), time(9, 0))
	previous_user = frappe.session.user
	try:
		made = published_meeting(start, slips[0])
		frappe.flags.current_datetime = None
		frappe.set_user(OFFICE)
		for slip, _department, _liaison in slips[1:2]:
			if not frappe.db.exists(co.CANDIDATE, {"slip": slip, "status": co.PENDING}):
				made.append(coordination.nominate(slip, "示例：涉及多部门职责交叉，提请区长调度"))
		made += coordination.propose_candidates()
		coordination.process_decisions()
	finally:
		frappe.flags.current_datetime = None
		frappe.set_user(previous_user)
	return made


def open_slips_with_liaisons() -> list[tuple[str, str, str]]:
	"""Demo whistles in 办理中 with their sole or lead department and one of its liaison users."""
	rows = frappe.get_all(
		"Whistle Slip",
		filters={"workflow_state": lc.HANDLING},
		fields=[
			"name",
			"`tabWhistle Slip Department`.department",
			"`tabWhistle Slip Department`.department_role",
		],
		order_by="name asc",
	)
	found = []
	for row in rows:
		if row.department_role not in (lc.SOLE, lc.LEAD):
			continue
		liaison = frappe.db.get_value(
			"User", {"whistle_unit": row.department, "enabled": 1, "name": ("like", "%@whistle.localhost")}
		)
		if liaison:
			found.append((row.name, row.department, liaison))
	return found


def as_user(moment: datetime, user: str) -> None:
	frappe.flags.current_datetime = moment
	frappe.set_user(user)


def published_meeting(start: datetime, slip_row) -> list[str]:
	slip, department, liaison = slip_row
	park = frappe.db.get_value("Whistle Slip", slip, "whistle_unit")
	as_user(start, OFFICE)
	meeting = frappe.get_doc(
		{
			"doctype": co.MEETING,
			"meeting_date": start.date(),
			"chair": LEADER,
			"location": "区政务服务中心会议室（示例）",
			"attending_units": [{"unit": department}, {"unit": park}],
			"agenda": [{"slip": slip}],
			"summary": SUMMARY,
		}
	).insert()
	coordination.act(co.MEETING, meeting.name, co.HOLD)
	decisions = []
	for what, deadline in (
		(
			"示例：三个工作日内完成现场踏勘并出具书面意见",
			{"deadline_type": co.BY_WORKING_DAYS, "working_days": 3},
		),
		(
			"示例：一周内协调解决企业用电增容",
			{"deadline_type": co.BY_DATE, "deadline_date": (start + timedelta(days=7)).date()},
		),
	):
		decisions.append(
			frappe.get_doc(
				{
					"doctype": co.DECISION,
					"meeting": meeting.name,
					"slip": slip,
					"what": what,
					"responsible_units": [{"unit": department}],
					**deadline,
				}
			)
			.insert()
			.name
		)
	as_user(start + timedelta(hours=6), OFFICE)
	coordination.act(co.MEETING, meeting.name, co.PUBLISH)
	# the first decision is reported on time and accepted; the second stays open past its due date
	as_user(start + timedelta(days=1), liaison)
	done = frappe.get_doc(co.DECISION, decisions[0])
	done.result = "示例：已完成现场踏勘，书面意见已送达企业。"
	done.save()
	coordination.act(co.DECISION, done.name, co.REPORT)
	as_user(start + timedelta(days=1, hours=3), OFFICE)
	coordination.act(co.DECISION, done.name, co.ACCEPT)
	return [meeting.name, *decisions]
