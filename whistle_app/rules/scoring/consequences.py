"""RULES §9: quarters, Snail Award candidates and the annual consequences."""

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from whistle_app.rules.scoring.base import BOTTOM_POSITIONS, CLASS_CODES, ScoreError, _unique, _whole

# ---------------------------------------------------------------------------------------------
# Quarters and §9 consequences


def quarter_of(day: datetime.date) -> tuple[int, int]:
	"""(year, quarter 1..4) of a calendar date (take the date in Asia/Shanghai before calling)."""
	return day.year, (day.month - 1) // 3 + 1


def _check_quarter(year: int, quarter: int) -> None:
	if isinstance(quarter, bool) or quarter not in (1, 2, 3, 4):
		raise ScoreError(f"quarter must be 1..4, got {quarter!r}", "invalid_quarter", value=quarter)
	if isinstance(year, bool) or not isinstance(year, int):
		raise ScoreError(f"year must be an int, got {year!r}", "invalid_year", value=year)


def previous_quarter(year: int, quarter: int) -> tuple[int, int]:
	"""The quarter before (Q1's previous is Q4 of the previous year)."""
	_check_quarter(year, quarter)
	return (year - 1, 4) if quarter == 1 else (year, quarter - 1)


def next_quarter(year: int, quarter: int) -> tuple[int, int]:
	"""The quarter after (Q4's next is Q1 of the next year)."""
	_check_quarter(year, quarter)
	return (year + 1, 1) if quarter == 4 else (year, quarter + 1)


def quarter_bounds(year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
	"""First and last calendar day of a quarter."""
	_check_quarter(year, quarter)
	next_year, next_q = next_quarter(year, quarter)
	last = datetime.date(next_year, 3 * next_q - 2, 1) - datetime.timedelta(days=1)
	return datetime.date(year, 3 * quarter - 2, 1), last


def snail_candidates(
	last_by_quarter: Mapping[tuple[int, int], set[str]], year: int, quarter: int
) -> set[str]:
	"""Units proposed for the Snail Award in (year, quarter): last there and in the previous quarter (§9).

	Every unit tied for last place counts as last; Q4 → next Q1 counts as consecutive.
	"""
	current = set(last_by_quarter.get((year, quarter), set()))
	previous = set(last_by_quarter.get(previous_quarter(year, quarter), set()))
	return current & previous


@dataclass(frozen=True)
class Consequence:
	"""One annual outcome for a unit (§9): a machine code, a Chinese description, and for people the
	role it concerns (``principal_leader``, ``deputy_leader``, ``responsible_person``) and the share of
	the annual bonus deducted. The module only lists outcomes; it never acts on people."""

	code: str
	description: str
	role: str | None = None
	fraction: Fraction | None = None


EXPORT_TO_PERFORMANCE = Consequence("export_to_performance", "年度考核结果纳入区级机关部门综合绩效考核")
NO_FIRST_PRIZE = Consequence("no_first_prize", "取消综合绩效考核一等奖评选资格")
BONUS_DEDUCTIONS = (
	Consequence("bonus_deduction", "部门主要负责人扣减1/2年度考核奖", "principal_leader", Fraction(1, 2)),
	Consequence("bonus_deduction", "部门分管负责人扣减1/3年度考核奖", "deputy_leader", Fraction(1, 3)),
	Consequence("bonus_deduction", "部门具体责任人扣减1/4年度考核奖", "responsible_person", Fraction(1, 4)),
)
DEPUTY_REMOVAL = Consequence(
	"deputy_removal", "连续两年考核排名末位，部门分管负责人给予免职", "deputy_leader"
)
PRINCIPAL_RESIGNATION = Consequence(
	"principal_resignation", "连续三年考核排名末位，部门主要负责人引咎辞职", "principal_leader"
)
COPY_TO_SUPERIOR = Consequence("copy_to_superior", "年度考核结果抄送上级部门")


def annual_consequences(
	class_code: str, final_order: Sequence[str], consecutive_last_years: Mapping[str, int]
) -> dict[str, list[Consequence]]:
	"""Annual outcomes per unit of one class from its final order (after the bulletin penalty), §9.

	``consecutive_last_years[unit]`` = the number of consecutive years immediately BEFORE this one in
	which the unit held the last A-class position (0 or absent if it was not last last year); this
	year's last place is added here. [decision] Bottom three of a class with fewer than three units is
	every unit; "last position" needs ≥ 2 units; streaks are cumulative (≥ 2 years → deputy removal,
	≥ 3 years → also principal resignation). Every unit of ``final_order`` is a key (maybe with []).
	"""
	if class_code not in CLASS_CODES:
		raise ScoreError(
			f"class must be one of A, B, C, got {class_code!r}", "invalid_class", value=class_code
		)
	_unique(final_order, "unit")
	bottom = set(final_order[-BOTTOM_POSITIONS:])
	last = final_order[-1] if len(final_order) >= 2 else None
	outcomes: dict[str, list[Consequence]] = {}
	for unit in final_order:
		listed: list[Consequence] = []
		if class_code in ("A", "B"):
			listed.append(EXPORT_TO_PERFORMANCE)
			if unit in bottom:
				listed.append(NO_FIRST_PRIZE)
		if class_code == "A" and unit == last:
			listed.extend(BONUS_DEDUCTIONS)
			streak = 1 + _whole(consecutive_last_years.get(unit, 0), "consecutive_last_years")
			if streak >= 2:
				listed.append(DEPUTY_REMOVAL)
			if streak >= 3:
				listed.append(PRINCIPAL_RESIGNATION)
		if class_code in ("B", "C") and unit in bottom:
			listed.append(COPY_TO_SUPERIOR)
		outcomes[unit] = listed
	return outcomes
