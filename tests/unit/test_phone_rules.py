"""The phone pages' steps (issue #20, rules/phone.py): which steps a department has, what is missing."""

from whistle_app.rules import lifecycle as lc
from whistle_app.rules import phone as ph

LEAD = {lc.REPORTING_ACTOR, lc.DEPARTMENT_ACTOR}
CO = {lc.DEPARTMENT_ACTOR}


def test_every_missing_field_at_once():
	assert ph.missing_fields(ph.REPORT, {}, meeting_open=True) == list(ph.REPORT_FIELDS)
	given = {"work_plan": "方案", "planned_completion": "2026-03-31", "responsible_persons": "赵"}
	assert ph.missing_fields(ph.REPORT, given, meeting_open=True) == []
	with_minutes = {**given, "meeting_minutes": "纪要", "meeting_date": "  "}
	assert ph.missing_fields(ph.REPORT, with_minutes, meeting_open=True) == [
		"meeting_date",
		"meeting_departments",
		"meeting_solution",
		"meeting_task_division",
	]
	assert ph.missing_fields(ph.REPORT, with_minutes, meeting_open=False) == []
	assert ph.missing_fields(ph.COMPLETE, {"result": " "}, meeting_open=False) == ["result"]


def test_steps_by_state_and_actor():
	assert ph.department_steps(lc.DISPATCHED, LEAD, meeting_open=True) == [ph.REPORT, ph.MEETING, ph.PROGRESS]
	assert ph.department_steps(lc.DISPATCHED, CO, meeting_open=True) == [ph.PROGRESS]
	assert ph.department_steps(lc.HANDLING, LEAD, meeting_open=False) == [ph.PROGRESS, ph.COMPLETE]
	assert ph.department_steps(lc.COMPLETED, LEAD, meeting_open=False) == []


def test_styles():
	assert ph.action_style("确认解决") == "primary"
	assert ph.action_style("重办") == "danger"
