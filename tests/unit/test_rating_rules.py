"""Who rates whom, drafts, reminders, who reads comments (RULES §5, §10): pure rules of
``whistle_app.rules.ratings`` and the draft totals of ``whistle_app.rules.scoring``."""

from datetime import datetime

from whistle_app.rules import ratings as rr
from whistle_app.rules.ratings import (
	AMENDMENT_STATES,
	LEAD_RATER,
	PARK_RATER,
	RATING_STATES,
	rating_key,
	required_ratings,
)
from whistle_app.rules.scoring import PARK_TEMPLATE, ScoreError, partial_rating_total, unscored_criteria
from whistle_app.rules.workdays import WorkCalendar, china_exceptions

CAL = WorkCalendar(china_exceptions(2026), confirmed_years=[2026])


def pairs(required):
	return [(r.rater_kind, r.rater_unit, r.rated_department, r.department_role) for r in required]


def test_single_department_rated_by_the_park():
	assert pairs(required_ratings("园区一", [("发改委", "Sole")])) == [
		(PARK_RATER, "园区一", "发改委", "Sole")
	]


def test_multi_department_park_rates_all_lead_rates_co():
	required = required_ratings("园区一", [("发改委", "Lead"), ("住建局", "Co")])
	assert pairs(required) == [
		(PARK_RATER, "园区一", "发改委", "Lead"),
		(PARK_RATER, "园区一", "住建局", "Co"),
		(LEAD_RATER, "发改委", "住建局", "Co"),
	]


def test_several_co_departments():
	required = required_ratings("镇一", [("住建局", "Co"), ("发改委", "Lead"), ("公安", "Co")])
	assert len(required) == 5
	assert {(r.rater_unit, r.rated_department) for r in required if r.rater_kind == LEAD_RATER} == {
		("发改委", "住建局"),
		("发改委", "公安"),
	}
	assert not any(r.rated_department == "发改委" and r.rater_kind == LEAD_RATER for r in required)


def test_no_departments_no_ratings():
	assert required_ratings("园区一", []) == []


def test_rating_key_and_states():
	assert rating_key("CS-2026-00001", "发改委", PARK_RATER) != rating_key(
		"CS-2026-00001", "发改委", LEAD_RATER
	)
	assert RATING_STATES < AMENDMENT_STATES
	assert "已销号" in AMENDMENT_STATES and "已销号" not in RATING_STATES
	assert "办理中" not in RATING_STATES


# --- drafts, reminders, comments, facts (issue #6) ---------------------------------------------------


def test_rater_kind_of_a_unit():
	departments = [("发改委", "Lead"), ("住建局", "Co")]
	assert rr.rater_kind_of("园区一", "园区一", departments) == PARK_RATER
	assert rr.rater_kind_of("发改委", "园区一", departments) == LEAD_RATER
	assert rr.rater_kind_of("住建局", "园区一", departments) is None
	assert rr.rater_kind_of("发改委", "园区一", [("发改委", "Sole")]) is None
	assert rr.rater_kind_of(None, "园区一", departments) is None


def test_drafts_are_made_on_completion_only_where_missing():
	assert rr.DRAFTS_ON == "待确认评价"
	required = required_ratings("园区一", [("发改委", "Lead"), ("住建局", "Co")])
	assert rr.missing_drafts(required, "CS-1", set()) == required
	taken = {rating_key("CS-1", "住建局", PARK_RATER), rating_key("CS-2", "发改委", PARK_RATER)}
	assert pairs(rr.missing_drafts(required, "CS-1", taken)) == [
		(PARK_RATER, "园区一", "发改委", "Lead"),
		(LEAD_RATER, "发改委", "住建局", "Co"),
	]
	assert (
		rr.missing_drafts(
			required, "CS-1", {rating_key("CS-1", r.rated_department, r.rater_kind) for r in required}
		)
		== []
	)


def test_partial_totals_check_every_given_score():
	assert partial_rating_total({}, PARK_TEMPLATE) == 0
	assert partial_rating_total({"响应速度": 18, "服务态度": None}, PARK_TEMPLATE) == 18
	assert unscored_criteria({"响应速度": 18, "服务态度": None}, PARK_TEMPLATE) == [
		"服务态度",
		"办理效率",
		"办理成效",
	]
	assert unscored_criteria(dict(PARK_TEMPLATE), PARK_TEMPLATE) == []
	for scores, code in (
		({"响应速度": 21}, "out_of_range"),
		({"响应速度": -1}, "out_of_range"),
		({"办理效率": 7.5}, "not_whole"),
		({"颜值": None}, "unknown_criteria"),
	):
		try:
			partial_rating_total(scores, PARK_TEMPLATE)
		except ScoreError as e:
			assert e.code == code, scores
		else:
			raise AssertionError(f"{scores} accepted")


def test_reminder_after_more_than_three_working_days():
	completed = datetime(2026, 3, 2, 13, 0)  # Monday
	assert rr.reminder_deadline(CAL, completed) == datetime(2026, 3, 5, 23, 59, 59)
	assert not rr.reminder_due(datetime(2026, 3, 5, 23, 59, 59), completed, CAL)  # 3 working days: not yet
	assert rr.reminder_due(datetime(2026, 3, 6, 0, 0, 1), completed, CAL)
	assert not rr.reminder_due(datetime(2026, 3, 9), None, CAL)
	# completed on Thu 2026-09-24: the Mid-Autumn and National Day rest days do not count
	assert rr.reminder_deadline(CAL, datetime(2026, 9, 24, 10, 0)) == datetime(2026, 9, 30, 23, 59, 59)
	assert not rr.reminder_due(datetime(2026, 9, 30, 12, 0), datetime(2026, 9, 24, 10, 0), CAL)


def test_reminder_keys_differ_per_rating_and_completion():
	deadline = datetime(2026, 3, 5, 23, 59, 59)
	park = rr.reminder_key("CS-1", "住建局", PARK_RATER, deadline)
	lead = rr.reminder_key("CS-1", "住建局", LEAD_RATER, deadline)
	again = rr.reminder_key("CS-1", "住建局", PARK_RATER, datetime(2026, 3, 12, 23, 59, 59))
	assert len({park, lead, again}) == 3
	assert park == rr.reminder_key("CS-1", "住建局", PARK_RATER, deadline.replace(microsecond=5))
	try:
		rr.reminder_key("CS-1", "住建局", "Enterprise", deadline)
	except ValueError:
		pass
	else:
		raise AssertionError("unknown rater kind accepted")


def test_who_reads_the_comment():
	args = {"rater_unit": "园区一", "rated_department": "住建局"}
	for hidden in (False, True):
		assert rr.comment_visible(True, None, hidden_from_rated=hidden, **args)  # office, leaders
		assert rr.comment_visible(False, "园区一", hidden_from_rated=hidden, **args)  # the rater's unit
		assert not rr.comment_visible(False, "发改委", hidden_from_rated=hidden, **args)  # anybody else
		assert not rr.comment_visible(False, None, hidden_from_rated=hidden, **args)
	assert rr.comment_visible(False, "住建局", hidden_from_rated=False, **args)  # the rated department...
	assert not rr.comment_visible(False, "住建局", hidden_from_rated=True, **args)  # ...unless hidden


def test_deadline_facts():
	response = datetime(2026, 3, 3, 23, 59, 59)
	completion = datetime(2026, 3, 20, 23, 59, 59)
	facts = rr.deadline_facts(
		{"response": response, "meeting": None, "completion": completion},
		{"response": datetime(2026, 3, 2, 10, 0), "completion": datetime(2026, 3, 23, 10, 0)},
		{"response": "Met", "completion": None},
	)
	assert [(f.clock, f.status) for f in facts] == [("response", "Met"), ("completion", "Late")]
	open_clock = rr.deadline_facts({"meeting": response}, {}, {})
	assert [(f.clock, f.status, f.done_at) for f in open_clock] == [("meeting", rr.OPEN, None)]
