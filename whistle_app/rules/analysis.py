"""Problem analysis (研判分析, RULES §14 second bullet) as pure rules: the typical-problem taxonomy,
repeated whistles, periods, trends and the time spent per lifecycle stage.

Framework-free: this module must never import frappe. ``whistle_app.analysis`` loads plain rows and
calls these functions; the report ``Whistle Analysis`` shows the result.

[decision]s where §14 is silent:

- **Repeated whistle**: a slip or demand filed for the same enterprise with the same sub-topic at most
  ``REPEAT_WINDOW_DAYS`` (90) calendar days after an earlier whistle (a slip past its draft) is linked
  to the latest such whistle; 91 days is not a repeat. Days are counted between the filing dates
  (Asia/Shanghai), so a whistle on 1 March repeats one of 1 December (90 days) but not one of
  30 November (91 days).
- **Stages** of a slip: 吹哨 filing (created) → 派单 dispatch → 报到 report → 办结 completion → 销号
  closure; each stage's time is the calendar days (fractional) from the previous timestamp to its
  own, counted only when both exist and in order.
- **Median** is the middle value (mean of the two middle values for an even count); the **90th
  percentile** is the nearest-rank value: the ⌈0.9·n⌉-th smallest.
- **Trend** of a period: its count minus the previous period's count, and the change in percent of the
  previous count (none when the previous period had none).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

REPEAT_WINDOW_DAYS = 90

# the five categories as the Whistle Slip stores them (RULES §3), with the plan's typical problems (三)
SUB_TOPICS: dict[str, tuple[str, ...]] = {
	"Efficiency Improvement": ("企业注册", "用地规划", "安全环保", "消防审验", "中介服务"),
	"Comprehensive Coordination": ("产权缺失", "资产转让", "竣工逾期"),
	"Docking and Striving": ("政策上争", "要素保障", "资金扶持", "药械注册", "专利申报", "人才引进"),
	"Case by Case": ("绿色通道", "告知承诺制", "标准地出让", "审批豁免"),
	"Other": ("其他难点堵点",),
}

ENTERPRISE_STAGES = ("招商引资", "项目开工建设", "企业投产运营")

MONTH = "Month"
QUARTER = "Quarter"
GRANULARITIES = (MONTH, QUARTER)

# (key, label) of the lifecycle stages, each ending at its own timestamp
STAGES = (
	("dispatch", "Filing to Dispatch"),
	("report", "Dispatch to Report"),
	("completion", "Report to Completion"),
	("closure", "Completion to Closure"),
)
STAGE_TIMESTAMPS = ("filed", "dispatched", "reported", "completed", "closed")


def seed_sub_topics() -> list[dict]:
	"""The install-time sub-topics: name, category and sort order, in the plan's order."""
	rows = []
	for category, names in SUB_TOPICS.items():
		for i, name in enumerate(names, start=1):
			rows.append({"topic_name": name, "category": category, "sort_order": i * 10})
	return rows


def is_repeat(earlier: date, later: date, window: int = REPEAT_WINDOW_DAYS) -> bool:
	"""Whether a whistle filed on ``later`` repeats one filed on ``earlier`` (§14 [decision])."""
	return 0 <= (later - earlier).days <= window


def window_start(day: date, window: int = REPEAT_WINDOW_DAYS) -> date:
	"""The earliest filing date an earlier whistle may have to be repeated on ``day``."""
	return date.fromordinal(day.toordinal() - window)


def period_of(day: date, granularity: str) -> str:
	"""``2026-03`` for a month, ``2026-Q1`` for a quarter."""
	if granularity == QUARTER:
		return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
	return f"{day.year}-{day.month:02d}"


def periods_between(start: date, end: date, granularity: str) -> list[str]:
	"""Every period from the one of ``start`` to the one of ``end``, in order."""
	step = 3 if granularity == QUARTER else 1
	month = start.month if granularity == MONTH else (start.month - 1) // 3 * 3 + 1
	year, out = start.year, []
	while (year, month) <= (end.year, end.month):
		out.append(period_of(date(year, month, 1), granularity))
		month += step
		if month > 12:
			year, month = year + 1, month - 12
	return out


@dataclass(frozen=True)
class Trend:
	change: int | None  # count minus the previous period's
	percent: float | None  # change in percent of the previous count


def trend(counts: Sequence[int]) -> list[Trend]:
	"""The trend of each period against the one before it; the first has none."""
	out = []
	for i, count in enumerate(counts):
		if i == 0:
			out.append(Trend(None, None))
			continue
		prev = counts[i - 1]
		out.append(Trend(count - prev, round((count - prev) * 100 / prev, 1) if prev else None))
	return out


def median(values: Iterable[float]) -> float | None:
	ordered = sorted(values)
	n = len(ordered)
	if not n:
		return None
	mid = n // 2
	return ordered[mid] if n % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def percentile(values: Iterable[float], p: float = 90) -> float | None:
	"""Nearest-rank percentile: the ⌈p/100·n⌉-th smallest value."""
	ordered = sorted(values)
	if not ordered:
		return None
	rank = max(1, math.ceil(p * len(ordered) / 100))
	return ordered[rank - 1]


def stage_durations(times: dict[str, datetime | None]) -> dict[str, float]:
	"""Days spent in each stage of one slip (keys of ``STAGES``) from its timestamps
	(``STAGE_TIMESTAMPS``); a stage is left out when either end is missing or out of order."""
	out = {}
	for (key, _label), start, end in zip(STAGES, STAGE_TIMESTAMPS, STAGE_TIMESTAMPS[1:], strict=False):
		a, b = times.get(start), times.get(end)
		if a and b and b >= a:
			out[key] = (b - a).total_seconds() / 86400
	return out


def top_recurring(counts: dict[str, int], limit: int = 10) -> list[tuple[str, int]]:
	"""The sub-topics with the most whistles, most first, ties by name; those with one whistle are
	not recurring."""
	ranked = sorted(((k, v) for k, v in counts.items() if k and v >= 2), key=lambda kv: (-kv[1], kv[0]))
	return ranked[:limit]
