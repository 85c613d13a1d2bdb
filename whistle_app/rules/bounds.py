"""Input bounds (issue #20): how far ahead a department may plan a whistle's completion.

[decision] A planned completion date (the report's 办结时限, or an extension's new date) is at most
``months`` calendar months after the dispatch date (default 12: one year; a Whistle Settings value),
unless the slip is in long-term tracking (继续跟踪推进, RULES §3.1), which has no end date. The day
of the month is kept where the month has it, else its last day (2028-02-29 + 12 months = 2029-02-28).
"""

import calendar
from datetime import date

DEFAULT_COMPLETION_SPAN_MONTHS = 12


def add_months(day: date, months: int) -> date:
	"""``day`` moved ``months`` calendar months on, clamped to the last day of the target month."""
	index = day.month - 1 + months
	year, month = day.year + index // 12, index % 12 + 1
	return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def span_months(setting: int | None) -> int:
	"""The setting, or the default when it is empty or not a positive number of months."""
	return setting if setting and setting > 0 else DEFAULT_COMPLETION_SPAN_MONTHS


def latest_completion(dispatched: date, months: int) -> date:
	"""The latest planned completion date allowed for a whistle dispatched on ``dispatched``."""
	return add_months(dispatched, months)


def completion_too_late(planned: date, dispatched: date, months: int, long_term: bool) -> bool:
	"""Whether ``planned`` is beyond the span (never for a whistle in long-term tracking)."""
	return not long_term and planned > latest_completion(dispatched, months)
