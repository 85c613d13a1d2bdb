"""Working-day calendar and deadlines (RULES §4). Pure unit tests: no Frappe, no database."""

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from whistle_app.rules.workdays import (
	MAX_WORKING_DAYS,
	REST,
	WORK,
	WorkCalendar,
	add_working_days,
	china_exceptions,
	count_working_days_between,
	deadline_year_confirmed,
	is_working_day,
	parse_shanghai_datetime,
	shanghai_date,
	shanghai_isoformat,
)

D = date.fromisoformat
EOD = time(23, 59, 59)
SHANGHAI = ZoneInfo("Asia/Shanghai")

# Days the RULES §4 table needs that the `holidays` package lacks. With holidays 0.109 the package
# matches the State Council notice for 2026 exactly, so nothing has to be overridden here; should a
# future package version drop a day, add it below (the product's administrator overrides do the same).
RULES_2026_OVERRIDES: dict[date, tuple[str, str]] = {}


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
	"""2026 (confirmed) and 2027 (not confirmed) as the product seeds them from the package."""
	exceptions = {**china_exceptions(2026), **china_exceptions(2027), **RULES_2026_OVERRIDES}
	return WorkCalendar(exceptions, confirmed_years={2026})


def at(day: str, hour: int = 10) -> datetime:
	return datetime.combine(D(day), time(hour))


def eod(day: str) -> datetime:
	return datetime.combine(D(day), EOD)


# --- the package's data against the State Council notice for 2026 (RULES §4) ----------------------

# Adjusted working days (调休上班) of the 2026 notice: 01-04 Sun, 02-14 Sat, 02-28 Sat, 05-09 Sat,
# 09-20 Sun, 10-10 Sat.
WORK_2026 = {"2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"}
# Rest periods of the notice: 01-01…01-03, 02-15…02-23, 04-04…04-06, 05-01…05-05, 06-19…06-21,
# 09-25…09-27, 10-01…10-07.
REST_PERIODS_2026 = [
	("2026-01-01", "2026-01-03"),
	("2026-02-15", "2026-02-23"),
	("2026-04-04", "2026-04-06"),
	("2026-05-01", "2026-05-05"),
	("2026-06-19", "2026-06-21"),
	("2026-09-25", "2026-09-27"),
	("2026-10-01", "2026-10-07"),
]
# The weekdays among them (the only REST days that change anything).
WEEKDAY_REST_2026 = {
	"2026-01-01",
	"2026-01-02",
	"2026-02-16",
	"2026-02-17",
	"2026-02-18",
	"2026-02-19",
	"2026-02-20",
	"2026-02-23",
	"2026-04-06",
	"2026-05-01",
	"2026-05-04",
	"2026-05-05",
	"2026-06-19",
	"2026-09-25",
	"2026-10-01",
	"2026-10-02",
	"2026-10-05",
	"2026-10-06",
	"2026-10-07",
}


def test_package_2026_adjusted_working_days_match_the_notice() -> None:
	ex = china_exceptions(2026)
	assert {d.isoformat() for d, (kind, _) in ex.items() if kind == WORK} == WORK_2026
	for d in WORK_2026:
		assert D(d).weekday() >= 5
		assert ex[D(d)][1].startswith("调休上班")


def test_package_2026_weekday_rest_days_match_the_notice() -> None:
	ex = china_exceptions(2026)
	assert {d.isoformat() for d, (kind, _) in ex.items() if kind == REST and d.weekday() < 5} == (
		WEEKDAY_REST_2026
	)
	assert ex[D("2026-01-01")] == (REST, "元旦")
	assert ex[D("2026-02-17")] == (REST, "春节")
	assert ex[D("2026-09-25")] == (REST, "中秋节")
	assert ex[D("2026-10-01")] == (REST, "国庆节")


def test_package_2026_rest_periods_are_rest_days(cal: WorkCalendar) -> None:
	for first, last in REST_PERIODS_2026:
		day = D(first)
		while day <= D(last):
			assert not is_working_day(cal, day), day
			day += timedelta(days=1)


def test_package_covers_2027_statutory_holidays() -> None:
	ex = china_exceptions(2027)
	assert ex[D("2027-01-01")] == (REST, "元旦")
	assert all(d.year == 2027 for d in ex)


def test_china_exceptions_keeps_cross_year_working_days_in_their_own_year() -> None:
	# The 2002 notice moved New Year days off to 2002-01-02/03, paid by 2001-12-29/30 (Sat/Sun).
	ex2001 = china_exceptions(2001)
	assert ex2001[D("2001-12-29")][0] == WORK
	assert ex2001[D("2001-12-30")][0] == WORK
	assert all(d.year == 2001 for d in ex2001)
	assert all(d.year == 2002 for d in china_exceptions(2002))


# --- RULES §4 worked examples (event at 10:00) ---------------------------------------------------

RULES_TABLE = [
	# event day, +1 working day, +3 working days
	("Thu 2026-02-12", "Fri 2026-02-13", "Tue 2026-02-24"),
	("Fri 2026-02-13", "Sat 2026-02-14", "Wed 2026-02-25"),
	("Fri 2026-02-27", "Sat 2026-02-28", "Tue 2026-03-03"),
	("Thu 2026-04-30", "Wed 2026-05-06", "Fri 2026-05-08"),
	("Thu 2026-09-24", "Mon 2026-09-28", "Wed 2026-09-30"),
	("Wed 2026-09-30", "Thu 2026-10-08", "Sat 2026-10-10"),
	("Fri 2026-01-02", "Sun 2026-01-04", "Tue 2026-01-06"),
	("Thu 2026-12-31", "Mon 2027-01-04", "Wed 2027-01-06"),
]


@pytest.mark.parametrize(("event", "plus1", "plus3"), RULES_TABLE)
def test_rules_table(cal: WorkCalendar, event: str, plus1: str, plus3: str) -> None:
	start = at(event[4:])
	assert start.strftime("%a") == event[:3]
	for n, expected in ((1, plus1), (3, plus3)):
		result = add_working_days(cal, start, n)
		assert result.strftime("%a %Y-%m-%d %H:%M:%S") == f"{expected} 23:59:59"
		assert result.microsecond == 0


def test_rules_table_2027_is_unconfirmed(cal: WorkCalendar) -> None:
	start = at("2026-12-31")
	for n in (1, 3):
		deadline = add_working_days(cal, start, n)
		assert deadline.year == 2027
		assert not deadline_year_confirmed(cal, deadline)
	assert deadline_year_confirmed(cal, add_working_days(cal, at("2026-12-30"), 1))


# N = 1…5 for every event day of the table, worked out by hand from the 2026 notice.
BY_HAND = {
	# 02-13 Fri, 02-14 Sat (调休上班), 02-15…02-23 rest, then Tue 02-24 onwards.
	"2026-02-12": ["2026-02-13", "2026-02-14", "2026-02-24", "2026-02-25", "2026-02-26"],
	"2026-02-13": ["2026-02-14", "2026-02-24", "2026-02-25", "2026-02-26", "2026-02-27"],
	# 02-28 Sat (调休上班), 03-01 Sun rest, Mon 03-02 onwards.
	"2026-02-27": ["2026-02-28", "2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05"],
	# 05-01…05-05 rest, Wed 05-06, Thu 05-07, Fri 05-08, Sat 05-09 (调休上班), Sun rest, Mon 05-11.
	"2026-04-30": ["2026-05-06", "2026-05-07", "2026-05-08", "2026-05-09", "2026-05-11"],
	# 09-25 Fri rest, weekend, Mon 09-28…Wed 09-30, 10-01…10-07 rest, Thu 10-08, Fri 10-09.
	"2026-09-24": ["2026-09-28", "2026-09-29", "2026-09-30", "2026-10-08", "2026-10-09"],
	# Thu 10-08, Fri 10-09, Sat 10-10 (调休上班), Sun 10-11 rest, Mon 10-12, Tue 10-13.
	"2026-09-30": ["2026-10-08", "2026-10-09", "2026-10-10", "2026-10-12", "2026-10-13"],
	# 01-02 is itself a rest day, 01-03 Sat rest, Sun 01-04 (调休上班), Mon 01-05 onwards.
	"2026-01-02": ["2026-01-04", "2026-01-05", "2026-01-06", "2026-01-07", "2026-01-08"],
	# 2027-01-01 Fri 元旦, 01-02/03 weekend, Mon 2027-01-04 onwards.
	"2026-12-31": ["2027-01-04", "2027-01-05", "2027-01-06", "2027-01-07", "2027-01-08"],
}


@pytest.mark.parametrize(
	("event", "n", "expected"),
	[(event, n, day) for event, days in BY_HAND.items() for n, day in enumerate(days, start=1)],
)
def test_by_hand_n_1_to_5(cal: WorkCalendar, event: str, n: int, expected: str) -> None:
	assert add_working_days(cal, at(event), n) == eod(expected)


# --- specific behaviour --------------------------------------------------------------------------


def test_is_working_day(cal: WorkCalendar) -> None:
	assert is_working_day(cal, D("2026-03-06"))  # Fri
	assert not is_working_day(cal, D("2026-03-07"))  # Sat
	assert not is_working_day(cal, D("2026-03-08"))  # Sun
	assert is_working_day(cal, D("2026-02-14"))  # Sat, 调休上班
	assert is_working_day(cal, D("2026-09-20"))  # Sun, 调休上班
	assert not is_working_day(cal, D("2026-09-25"))  # Fri, 中秋节
	assert not is_working_day(cal, D("2026-01-02"))  # Fri, rest day


@pytest.mark.parametrize(
	("event", "n", "expected"),
	[
		("2026-02-15 09:00", 1, "2026-02-24"),  # Sun, first day of the Spring Festival break
		("2026-02-21 09:00", 1, "2026-02-24"),  # Sat inside the break
		("2026-03-07 09:00", 1, "2026-03-09"),  # ordinary Saturday: Monday is the first working day
		("2026-10-03 09:00", 3, "2026-10-10"),  # Sat in National Day: Thu 10-08, Fri 10-09, Sat 10-10
		("2026-01-01 00:00", 1, "2026-01-04"),  # New Year's Day at midnight
	],
)
def test_event_on_a_rest_day_counts_from_the_next_working_day(
	cal: WorkCalendar, event: str, n: int, expected: str
) -> None:
	assert add_working_days(cal, datetime.fromisoformat(event), n) == eod(expected)


def test_event_own_working_day_never_counts(cal: WorkCalendar) -> None:
	for hour in (0, 10, 23):
		assert add_working_days(cal, at("2026-03-02", hour), 1) == eod("2026-03-03")
	assert add_working_days(cal, datetime(2026, 3, 2, 23, 59, 59, 999999), 1) == eod("2026-03-03")


def test_result_time_is_end_of_day_without_microseconds(cal: WorkCalendar) -> None:
	result = add_working_days(cal, datetime(2026, 3, 2, 8, 1, 2, 123456), 2)
	assert result == datetime(2026, 3, 4, 23, 59, 59)
	assert result.microsecond == 0
	assert result.tzinfo is None


def test_aware_shanghai_input_keeps_its_tzinfo(cal: WorkCalendar) -> None:
	start = datetime(2026, 2, 12, 10, tzinfo=SHANGHAI)
	result = add_working_days(cal, start, 1)
	assert result.tzinfo is SHANGHAI
	assert result.replace(tzinfo=None) == datetime(2026, 2, 13, 23, 59, 59)
	assert result.utcoffset() == timedelta(hours=8)


def test_aware_input_in_another_zone_uses_the_shanghai_date(cal: WorkCalendar) -> None:
	# 2026-02-12 18:00 UTC is Fri 2026-02-13 02:00 in Shanghai, so +1 is Sat 02-14 (调休上班).
	start = datetime(2026, 2, 12, 18, tzinfo=timezone.utc)
	result = add_working_days(cal, start, 1)
	assert result.tzinfo is timezone.utc
	assert result == datetime(2026, 2, 14, 23, 59, 59, tzinfo=SHANGHAI)
	assert result == datetime(2026, 2, 14, 15, 59, 59, tzinfo=timezone.utc)


@pytest.mark.parametrize("n", [0, -1, -100, MAX_WORKING_DAYS + 1, 10**9])
def test_n_out_of_range_is_rejected(cal: WorkCalendar, n: int) -> None:
	with pytest.raises(ValueError):
		add_working_days(cal, at("2026-03-02"), n)


@pytest.mark.parametrize("n", [1.0, "1", True, None])
def test_n_must_be_an_integer(cal: WorkCalendar, n: object) -> None:
	with pytest.raises(TypeError):
		add_working_days(cal, at("2026-03-02"), n)  # type: ignore[arg-type]


def test_max_n_is_accepted_across_many_years() -> None:
	plain = WorkCalendar()
	result = add_working_days(plain, at("2026-03-06"), MAX_WORKING_DAYS)  # from a Friday
	# 3650 weekdays are exactly 730 weeks, so the last one is again a Friday.
	assert result == eod("2026-03-06") + timedelta(weeks=730)


def test_years_without_data_are_plain_weekends() -> None:
	plain = WorkCalendar()
	assert add_working_days(plain, at("2026-02-12"), 3) == eod("2026-02-17")  # Fri, Mon, Tue
	assert add_working_days(plain, at("2026-03-07"), 1) == eod("2026-03-09")
	assert is_working_day(plain, D("2026-01-01"))  # no data: Thursday is a working day
	assert not deadline_year_confirmed(plain, eod("2026-02-17"))


def test_count_working_days_between_for_lateness(cal: WorkCalendar) -> None:
	deadline = add_working_days(cal, at("2026-02-12"), 1)  # end of Fri 02-13
	assert deadline == eod("2026-02-13")
	assert count_working_days_between(cal, deadline, at("2026-02-13", 9)) == 0  # on time
	assert count_working_days_between(cal, deadline, at("2026-02-12", 9)) == 0  # before
	assert count_working_days_between(cal, deadline, at("2026-02-14", 9)) == 1  # Sat 调休上班
	assert count_working_days_between(cal, deadline, at("2026-02-15", 9)) == 1  # Sun rest
	assert count_working_days_between(cal, deadline, at("2026-02-23", 9)) == 1  # end of the break
	assert count_working_days_between(cal, deadline, at("2026-02-24", 9)) == 2
	assert count_working_days_between(cal, eod("2026-12-30"), at("2027-01-04")) == 2  # 12-31, 01-04


def test_count_working_days_across_years() -> None:
	plain = WorkCalendar()
	# Fri 2026-03-06 to Fri 2026-03-06 + 730 weeks: 3650 weekdays.
	assert (
		count_working_days_between(plain, at("2026-03-06"), at("2026-03-06") + timedelta(weeks=730)) == 3650
	)


def test_calendar_is_immutable_and_comparable() -> None:
	a = WorkCalendar({D("2026-02-14"): WORK, D("2026-02-16"): (REST, "农历除夕")}, confirmed_years=[2026])
	b = WorkCalendar({D("2026-02-14"): (WORK, "调休上班"), D("2026-02-16"): REST}, confirmed_years={2026})
	assert a == b
	assert hash(a) == hash(b)
	assert a.name(D("2026-02-16")) == "农历除夕"
	assert a.kind(D("2026-02-14")) == WORK
	assert a.kind(D("2026-02-13")) is None
	assert a.is_confirmed(2026)
	assert not a.is_confirmed(2027)
	with pytest.raises(AttributeError):
		a.confirmed_years = frozenset()  # type: ignore[misc]
	with pytest.raises(AttributeError):
		a._kinds = {}  # type: ignore[misc]
	with pytest.raises(TypeError):
		a.exceptions[D("2026-03-02")] = REST  # type: ignore[index]
	assert a != WorkCalendar({D("2026-02-14"): WORK}, confirmed_years=[2026])


def test_calendar_rejects_bad_data() -> None:
	with pytest.raises(ValueError):
		WorkCalendar({D("2026-02-14"): "HOLIDAY"})  # type: ignore[dict-item]
	with pytest.raises(TypeError):
		WorkCalendar({datetime(2026, 2, 14): WORK})
	with pytest.raises(TypeError):
		WorkCalendar({}, confirmed_years=["2026"])  # type: ignore[list-item]


# --- properties ----------------------------------------------------------------------------------

LO = date(2025, 11, 1)
HI = date(2028, 2, 28)

exception_maps = st.dictionaries(
	keys=st.dates(min_value=LO, max_value=HI), values=st.sampled_from([REST, WORK]), max_size=80
)
calendars = exception_maps.map(WorkCalendar)
starts = st.datetimes(min_value=datetime(2025, 12, 1), max_value=datetime(2027, 12, 31, 23, 59, 59))
small_n = st.integers(min_value=1, max_value=30)


def reference_is_working(exceptions: dict[date, str], day: date) -> bool:
	"""Independent day rule: Mon–Fri unless REST, Sat/Sun only when WORK."""
	kind = exceptions.get(day)
	return day.weekday() < 5 if kind is None else kind == WORK


def reference_add(exceptions: dict[date, str], start: datetime, n: int) -> datetime:
	"""Day-by-day reference implementation of RULES §4."""
	day, found = start.date(), 0
	while found < n:
		day += timedelta(days=1)
		found += reference_is_working(exceptions, day)
	return datetime.combine(day, EOD)


@given(exception_maps, starts, small_n)
def test_matches_day_by_day_reference(exceptions: dict[date, str], start: datetime, n: int) -> None:
	assert add_working_days(WorkCalendar(exceptions), start, n) == reference_add(exceptions, start, n)


@given(exception_maps, starts, st.integers(min_value=1, max_value=MAX_WORKING_DAYS))
@settings(max_examples=40, deadline=None)
def test_matches_reference_for_any_n(exceptions: dict[date, str], start: datetime, n: int) -> None:
	assert add_working_days(WorkCalendar(exceptions), start, n) == reference_add(exceptions, start, n)


@given(calendars, starts, small_n)
def test_result_is_a_later_working_day_at_end_of_day(cal: WorkCalendar, start: datetime, n: int) -> None:
	result = add_working_days(cal, start, n)
	assert is_working_day(cal, result.date())
	assert result.date() > start.date()
	assert result.time() == EOD
	assert result.microsecond == 0


@given(calendars, starts, small_n)
def test_strictly_increasing_in_n(cal: WorkCalendar, start: datetime, n: int) -> None:
	earlier = add_working_days(cal, start, n)
	later = add_working_days(cal, start, n + 1)
	assert earlier < later
	# ...and nothing in between is a working day.
	day = earlier.date() + timedelta(days=1)
	while day < later.date():
		assert not is_working_day(cal, day)
		day += timedelta(days=1)


@given(calendars, starts, small_n)
def test_count_inverts_add(cal: WorkCalendar, start: datetime, n: int) -> None:
	assert count_working_days_between(cal, start, add_working_days(cal, start, n)) == n


@given(exception_maps, starts, starts)
def test_count_matches_reference(exceptions: dict[date, str], start: datetime, end: datetime) -> None:
	expected, day = 0, start.date()
	while day < end.date():
		day += timedelta(days=1)
		expected += reference_is_working(exceptions, day)
	assert count_working_days_between(WorkCalendar(exceptions), start, end) == expected


@given(calendars, st.dates(min_value=date(2025, 12, 1), max_value=date(2027, 12, 31)), starts, small_n)
def test_a_new_rest_day_moves_crossing_deadlines_one_working_day_later(
	cal: WorkCalendar, rest_day: date, start: datetime, n: int
) -> None:
	assume(is_working_day(cal, rest_day))
	changed = WorkCalendar({**cal.exceptions, rest_day: REST}, cal.confirmed_years)
	before = add_working_days(cal, start, n)
	after = add_working_days(changed, start, n)
	if start.date() < rest_day <= before.date():
		assert after == add_working_days(cal, start, n + 1)
		assert after == add_working_days(changed, before, 1)
	else:
		assert after == before


@given(calendars, starts, small_n)
def test_aware_and_naive_shanghai_inputs_agree(cal: WorkCalendar, start: datetime, n: int) -> None:
	naive = add_working_days(cal, start, n)
	aware = add_working_days(cal, start.replace(tzinfo=SHANGHAI), n)
	assert aware == naive.replace(tzinfo=SHANGHAI)
	fixed = timezone(timedelta(hours=8))
	assert add_working_days(cal, start.replace(tzinfo=fixed), n) == naive.replace(tzinfo=fixed)


# --- ISO 8601 text in and out (used by the server API) ----------------------------------------------


@pytest.mark.parametrize(
	("text", "expected"),
	[
		("2026-12-31T10:00:00", datetime(2026, 12, 31, 10)),
		("2026-12-31 10:00", datetime(2026, 12, 31, 10)),
		("2026-12-31T10:00:00+08:00", datetime(2026, 12, 31, 10)),
		("2026-12-31T02:00:00Z", datetime(2026, 12, 31, 10)),
		("2026-12-31T20:30:00-05:00", datetime(2027, 1, 1, 9, 30)),
		("2026-12-31", datetime(2026, 12, 31)),
		(" 2026-12-31T10:00:00 ", datetime(2026, 12, 31, 10)),
	],
)
def test_parse_shanghai_datetime(text: str, expected: datetime) -> None:
	parsed = parse_shanghai_datetime(text)
	assert parsed == expected
	assert parsed.tzinfo is None


@pytest.mark.parametrize(
	"text", ["", "tomorrow", "2026-13-01", "2026-02-30T10:00", "31.12.2026", "2026-12-31T25:00"]
)
def test_parse_shanghai_datetime_rejects_malformed_text(text: str) -> None:
	with pytest.raises(ValueError):
		parse_shanghai_datetime(text)


@pytest.mark.parametrize("value", [None, 20261231, date(2026, 12, 31), b"2026-12-31"])
def test_parse_shanghai_datetime_needs_a_string(value: object) -> None:
	with pytest.raises(TypeError):
		parse_shanghai_datetime(value)  # type: ignore[arg-type]


def test_shanghai_isoformat() -> None:
	assert shanghai_isoformat(datetime(2027, 1, 4, 23, 59, 59)) == "2027-01-04T23:59:59+08:00"
	utc = datetime(2027, 1, 4, 15, 59, 59, tzinfo=timezone.utc)
	assert shanghai_isoformat(utc) == "2027-01-04T23:59:59+08:00"


def test_shanghai_date() -> None:
	assert shanghai_date(datetime(2026, 12, 31, 16, 30, tzinfo=timezone.utc)) == date(2027, 1, 1)
	assert shanghai_date(datetime(2026, 12, 31, 23, 59)) == date(2026, 12, 31)
	assert shanghai_date(date(2026, 12, 31)) == date(2026, 12, 31)


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31)))
def test_isoformat_and_parse_round_trip(moment: datetime) -> None:
	assert parse_shanghai_datetime(shanghai_isoformat(moment)) == moment
