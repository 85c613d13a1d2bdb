"""Input bounds (issue #20): a whistle's planned completion is at most a year after its dispatch
unless it is in long-term tracking; the span is a setting in months."""

from datetime import date

from whistle_app.rules import bounds as rb


def test_a_year_after_dispatch_is_the_latest_by_default():
	months = rb.span_months(None)
	assert months == 12
	assert rb.latest_completion(date(2026, 3, 2), months) == date(2027, 3, 2)
	assert not rb.completion_too_late(date(2027, 3, 2), date(2026, 3, 2), months, long_term=False)
	assert rb.completion_too_late(date(2027, 3, 3), date(2026, 3, 2), months, long_term=False)
	assert rb.completion_too_late(date(2099, 12, 31), date(2026, 3, 2), months, long_term=False)


def test_long_term_tracking_has_no_limit():
	assert not rb.completion_too_late(date(2099, 12, 31), date(2026, 3, 2), 12, long_term=True)


def test_month_ends_and_leap_days_are_clamped():
	assert rb.add_months(date(2028, 2, 29), 12) == date(2029, 2, 28)
	assert rb.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
	assert rb.add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
	assert rb.add_months(date(2026, 12, 15), 1) == date(2027, 1, 15)


def test_the_setting_must_be_a_positive_number_of_months():
	assert rb.span_months(6) == 6
	assert rb.span_months(0) == rb.span_months(-3) == rb.DEFAULT_COMPLETION_SPAN_MONTHS
