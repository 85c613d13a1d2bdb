"""Working-day calendar and deadlines (RULES §4).

Framework-free: this module must never import frappe. The calendar is built from explicit data
(exception days and confirmed years); `china_exceptions` seeds that data from the maintained
`holidays` package. Times are Asia/Shanghai local: naive datetimes are taken as Shanghai local time,
aware ones are converted to Shanghai before their date is taken.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta, timezone
from types import MappingProxyType
from typing import Final, Literal, TypeAlias

DayKind: TypeAlias = Literal["REST", "WORK"]

REST: Final = "REST"
"""A rest day or statutory holiday (休息日/法定节假日), even when it falls on a weekday."""
WORK: Final = "WORK"
"""An adjusted working day (调休上班), even when it falls on a Saturday or Sunday."""

MAX_WORKING_DAYS: Final = 3650
"""The largest N accepted by `add_working_days` (a sanity bound, about 14 years)."""

SHANGHAI: Final = timezone(timedelta(hours=8), "Asia/Shanghai")
"""Asia/Shanghai (UTC+8, no daylight saving since 1991)."""

END_OF_DAY: Final = time(23, 59, 59)

WORK_DAY_NAME: Final = "调休上班"

_KINDS: Final = frozenset((REST, WORK))


class WorkCalendar:
	"""An immutable working-day calendar: Saturday and Sunday rest, plus explicit exception days.

	`exceptions` maps a date to REST or WORK; a value may also be a `(kind, name)` pair as returned
	by `china_exceptions`. `confirmed_years` are the years checked against the State Council notice.
	Years without data fall back to plain weekends. Per-year sorted working-day ordinals are built
	lazily and cached, so deadlines cost a dictionary lookup and a bisection.
	"""

	__slots__ = ("_by_year", "_cache", "_confirmed", "_kinds", "_names")

	def __init__(
		self,
		exceptions: Mapping[date, DayKind | tuple[DayKind, str]] | None = None,
		confirmed_years: Iterable[int] = (),
	) -> None:
		kinds: dict[date, DayKind] = {}
		names: dict[date, str] = {}
		by_year: dict[int, dict[int, DayKind]] = {}
		for day, value in (exceptions or {}).items():
			if isinstance(day, datetime) or not isinstance(day, date):
				raise TypeError(f"exception keys must be dates, got {day!r}")
			kind, name = value if isinstance(value, tuple) else (value, "")
			if kind not in _KINDS:
				raise ValueError(f"unknown day kind {kind!r} for {day}; expected {REST!r} or {WORK!r}")
			kinds[day] = kind
			if name:
				names[day] = name
			by_year.setdefault(day.year, {})[day.toordinal()] = kind
		confirmed = frozenset(confirmed_years)
		for year in confirmed:
			if isinstance(year, bool) or not isinstance(year, int):
				raise TypeError(f"confirmed years must be integers, got {year!r}")
		object.__setattr__(self, "_kinds", MappingProxyType(kinds))
		object.__setattr__(self, "_names", MappingProxyType(names))
		object.__setattr__(self, "_by_year", by_year)
		object.__setattr__(self, "_confirmed", confirmed)
		object.__setattr__(self, "_cache", {})

	def __setattr__(self, name: str, value: object) -> None:
		raise AttributeError("WorkCalendar is immutable")

	def __delattr__(self, name: str) -> None:
		raise AttributeError("WorkCalendar is immutable")

	def __eq__(self, other: object) -> bool:
		if not isinstance(other, WorkCalendar):
			return NotImplemented
		return self._kinds == other._kinds and self._confirmed == other._confirmed

	def __hash__(self) -> int:
		return hash((frozenset(self._kinds.items()), self._confirmed))

	def __repr__(self) -> str:
		return f"WorkCalendar({len(self._kinds)} exception days, confirmed_years={sorted(self._confirmed)})"

	@property
	def exceptions(self) -> Mapping[date, DayKind]:
		"""The exception days (read-only) and their kinds."""
		return self._kinds

	@property
	def confirmed_years(self) -> frozenset[int]:
		"""The years whose data has been confirmed against the official notice."""
		return self._confirmed

	def kind(self, day: date) -> DayKind | None:
		"""The exception kind of `day`, or None when it follows the plain weekday/weekend rule."""
		return self._kinds.get(day)

	def name(self, day: date) -> str | None:
		"""The name given to an exception day (e.g. 春节), if any."""
		return self._names.get(day)

	def is_confirmed(self, year: int) -> bool:
		"""Whether `year` has been confirmed."""
		return year in self._confirmed

	def _working_days(self, year: int) -> tuple[list[int], list[datetime]]:
		"""The working days of `year` (cached): sorted ordinals and their naive 23:59:59 datetimes."""
		cached = self._cache.get(year)
		if cached is None:
			first = date(year, 1, 1).toordinal()
			last = date(year, 12, 31).toordinal()
			exceptions = self._by_year.get(year, {})
			ordinals = []
			for o in range(first, last + 1):
				kind = exceptions.get(o)
				# date.weekday() == (ordinal + 6) % 7; Monday is 0, Saturday 5, Sunday 6.
				if kind == WORK or (kind is None and (o + 6) % 7 < 5):
					ordinals.append(o)
			ends = [datetime.combine(date.fromordinal(o), END_OF_DAY) for o in ordinals]
			cached = self._cache[year] = (ordinals, ends)
		return cached


def _local_date(moment: date | datetime) -> date:
	"""The Asia/Shanghai calendar date of a date, naive (local) datetime or aware datetime."""
	if isinstance(moment, datetime):
		if moment.tzinfo is None or moment.utcoffset() is None:
			return moment.date()
		return moment.astimezone(SHANGHAI).date()
	if isinstance(moment, date):
		return moment
	raise TypeError(f"expected a date or datetime, got {moment!r}")


def end_of_day(d: date) -> datetime:
	"""A day's deadline moment: 23:59:59 of that day (naive, Shanghai time)."""
	return datetime.combine(d, END_OF_DAY)


def is_working_day(cal: WorkCalendar, d: date) -> bool:
	"""Whether `d` is a working day: Mon–Fri unless REST, Sat/Sun only when WORK (调休上班)."""
	if isinstance(d, datetime):
		d = _local_date(d)
	kind = cal._kinds.get(d)
	if kind is None:
		return d.weekday() < 5
	return kind == WORK


def add_working_days(cal: WorkCalendar, start: datetime, n: int) -> datetime:
	"""The deadline "within `n` working days" of an event at `start` (RULES §4).

	That is 23:59:59 of the n-th working day strictly after the date of `start`: the event's own day
	never counts, and an event on a rest day counts from the next working day. A naive `start` gives a
	naive result (Shanghai local time); an aware one gives a result in the same tzinfo (the same instant
	as 23:59:59 Shanghai time). Raises ValueError unless 1 <= n <= MAX_WORKING_DAYS.
	"""
	if isinstance(n, bool) or not isinstance(n, int):
		raise TypeError(f"n must be an integer, got {n!r}")
	if n < 1 or n > MAX_WORKING_DAYS:
		raise ValueError(f"n must be between 1 and {MAX_WORKING_DAYS} working days, got {n}")
	day = _local_date(start)
	year = day.year
	ordinals, ends = cal._working_days(year)
	i = bisect_right(ordinals, day.toordinal()) + n - 1
	while i >= len(ordinals):
		i -= len(ordinals)
		year += 1
		ordinals, ends = cal._working_days(year)
	end = ends[i]
	if isinstance(start, datetime) and start.tzinfo is not None and start.utcoffset() is not None:
		return end.replace(tzinfo=SHANGHAI).astimezone(start.tzinfo)
	return end


def count_working_days_between(cal: WorkCalendar, start: datetime, end: datetime) -> int:
	"""The number of working days strictly after `start`'s date up to and including `end`'s date.

	0 when `end`'s date is not after `start`'s date. Used for "late by N working days": with a deadline
	at the end of working day X, an action on the next working day is late by 1.
	"""
	first = _local_date(start)
	last = _local_date(end)
	if last <= first:
		return 0
	lo_ordinal = first.toordinal()
	hi_ordinal = last.toordinal()
	total = 0
	for year in range(first.year, last.year + 1):
		days = cal._working_days(year)[0]
		lo = bisect_right(days, lo_ordinal) if year == first.year else 0
		hi = bisect_right(days, hi_ordinal) if year == last.year else len(days)
		total += hi - lo
	return total


def deadline_year_confirmed(cal: WorkCalendar, deadline: date | datetime) -> bool:
	"""Whether the (Shanghai) year of `deadline` is confirmed; if not, RULES §4 requires a warning."""
	return _local_date(deadline).year in cal.confirmed_years


def shanghai_date(moment: date | datetime) -> date:
	"""The Asia/Shanghai calendar date of a date, naive (Shanghai local) or aware datetime."""
	return _local_date(moment)


def parse_shanghai_datetime(text: str) -> datetime:
	"""A naive Shanghai local datetime from an ISO 8601 date or date-time string.

	A value without an offset is taken as Shanghai local time; one with an offset (or `Z`) is
	converted to Shanghai local time. A date alone means its midnight. Raises ValueError when the
	text is not ISO 8601 and TypeError when it is not a string.
	"""
	if not isinstance(text, str):
		raise TypeError(f"expected an ISO 8601 string, got {text!r}")
	value = datetime.fromisoformat(text.strip())
	if value.tzinfo is not None and value.utcoffset() is not None:
		value = value.astimezone(SHANGHAI).replace(tzinfo=None)
	return value.replace(tzinfo=None)


def shanghai_isoformat(moment: datetime) -> str:
	"""ISO 8601 text of `moment` in Shanghai time with its +08:00 offset (naive = Shanghai local)."""
	if moment.tzinfo is None or moment.utcoffset() is None:
		return moment.replace(tzinfo=SHANGHAI).isoformat()
	return moment.astimezone(SHANGHAI).isoformat()


def china_exceptions(year: int) -> dict[date, tuple[DayKind, str]]:
	"""The official exception days of `year` from the `holidays` package (Chinese names).

	Statutory holidays, their observed days and the substituted days off (on weekdays or weekends)
	become REST with the package's zh_CN name; the weekend days the package marks as working days
	(`weekend_workdays`, i.e. 调休上班) become WORK. Years the package does not cover give only what it
	knows (possibly nothing); they still need confirming by an administrator.
	"""
	import holidays  # imported lazily: only needed to seed the calendar

	if isinstance(year, bool) or not isinstance(year, int):
		raise TypeError(f"year must be an integer, got {year!r}")
	# A substituted day off in January may move a working day into the previous December, so the
	# following year is loaded as well; everything is then filtered to `year`.
	years = [year, year + 1] if year < 9999 else [year]
	cn = holidays.China(years=years, expand=False, language="zh_CN")
	result: dict[date, tuple[DayKind, str]] = {}
	for day, name in sorted(cn.items()):
		if day.year == year:
			result[day] = (REST, name)
	rest_names = dict(cn.items())  # both loaded years: a December working day may pay for a January day off
	for day in sorted(getattr(cn, "weekend_workdays", ())):
		if day.year != year or day.weekday() < 5 or day in result:
			continue
		# The package names the day off "休息日（由 <working day> 调休）"; point back to it when found.
		swapped = sorted(other for other, name in rest_names.items() if day.isoformat() in name)
		name = f"{WORK_DAY_NAME}（{swapped[0].isoformat()} 休息）" if swapped else WORK_DAY_NAME
		result[day] = (WORK, name)
	return dict(sorted(result.items()))
