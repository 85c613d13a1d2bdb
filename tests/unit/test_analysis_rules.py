"""Problem analysis rules (RULES §14): repeats, periods, trends, median and 90th percentile, stages."""

from datetime import date, datetime

from whistle_app.rules import analysis as an


def test_repeat_window_is_90_days_inclusive():
	earlier = date(2026, 12, 1)
	assert an.is_repeat(earlier, date(2027, 3, 1))  # 90 days
	assert not an.is_repeat(earlier, date(2027, 3, 2))  # 91 days
	assert an.is_repeat(earlier, earlier)
	assert not an.is_repeat(date(2026, 12, 2), earlier)  # a later whistle repeats nothing earlier
	assert an.window_start(date(2027, 3, 1)) == earlier


def test_periods_of_months_and_quarters():
	assert an.period_of(date(2026, 3, 31), an.MONTH) == "2026-03"
	assert an.period_of(date(2026, 3, 31), an.QUARTER) == "2026-Q1"
	assert an.period_of(date(2026, 10, 1), an.QUARTER) == "2026-Q4"
	assert an.periods_between(date(2026, 11, 15), date(2027, 2, 1), an.MONTH) == [
		"2026-11",
		"2026-12",
		"2027-01",
		"2027-02",
	]
	assert an.periods_between(date(2026, 8, 15), date(2027, 1, 1), an.QUARTER) == [
		"2026-Q3",
		"2026-Q4",
		"2027-Q1",
	]


def test_trend_against_the_previous_period():
	assert an.trend([4, 6, 0, 3]) == [
		an.Trend(None, None),
		an.Trend(2, 50.0),
		an.Trend(-6, -100.0),
		an.Trend(3, None),
	]
	assert an.trend([]) == []


def test_median_and_nearest_rank_p90():
	assert an.median([]) is None and an.percentile([]) is None
	assert an.median([5]) == 5 and an.percentile([5]) == 5
	assert an.median([3, 1, 2]) == 2
	assert an.median([4, 1, 3, 2]) == 2.5
	values = list(range(1, 11))  # 1..10: ⌈9⌉ = 9th
	assert an.percentile(values) == 9
	assert an.percentile(list(range(1, 12))) == 10  # n = 11: ⌈9.9⌉ = 10th
	assert an.percentile([7, 1], 90) == 7


def test_stage_durations_need_both_ends_in_order():
	t = datetime(2026, 3, 2, 10)
	times = {
		"filed": t,
		"dispatched": datetime(2026, 3, 2, 22),
		"reported": datetime(2026, 3, 4, 10),
		"completed": None,
		"closed": datetime(2026, 3, 10),
	}
	assert an.stage_durations(times) == {"dispatch": 0.5, "report": 1.5}
	assert an.stage_durations({"filed": t, "dispatched": datetime(2026, 3, 1)}) == {}


def test_top_recurring_leaves_out_single_whistles():
	counts = {"用地规划": 3, "企业注册": 1, "消防审验": 3, "资金扶持": 5, "": 9}
	assert an.top_recurring(counts) == [("资金扶持", 5), ("消防审验", 3), ("用地规划", 3)]
	assert an.top_recurring(counts, limit=1) == [("资金扶持", 5)]


def test_seeded_sub_topics_follow_the_plan():
	rows = an.seed_sub_topics()
	assert len(rows) == 19
	assert len({r["topic_name"] for r in rows}) == 19
	assert {r["category"] for r in rows} == set(an.SUB_TOPICS)
	assert rows[0] == {"topic_name": "企业注册", "category": "Efficiency Improvement", "sort_order": 10}
