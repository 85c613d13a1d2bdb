"""Who rates whom (RULES §5): pure rules of ``whistle_app.rules.ratings``."""

from whistle_app.rules.ratings import (
	AMENDMENT_STATES,
	LEAD_RATER,
	PARK_RATER,
	RATING_STATES,
	rating_key,
	required_ratings,
)


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
