"""Rater fairness (RULES §14, first bullet: 不得打和牌、人情分、关系分) as pure data.

Per rating unit (a park or town, or a lead department that rates) and quarter: the ratings it
gave, their mean total, standard deviation, share of full marks, share of identical score rows and
its peer gap; and the three flags. Framework-free: ``whistle_app.fairness`` feeds these functions
with two grouped queries and stores what they return; the unit tests call them directly.

[decision]s:

- A rating counts in the quarter of its ``rated_on`` (Asia/Shanghai): what the rater did in that
  quarter. Only submitted ratings count (a cancelled one is replaced by its amendment).
- Standard deviation: the population standard deviation of the rater's totals (the rater's own
  ratings are the whole population judged), compared exactly (variance against the squared
  threshold).
- Identical score rows: the share of the rater's ratings whose criterion scores, in the form's
  order, equal its most frequent set of criterion scores.
- Peer gap: the rater's mean minus the pooled mean of every other rater's ratings of the
  departments this rater rated in the quarter (park and lead-department forms alike: both are out
  of 100). No other rater of those departments: no peer gap, and it cannot raise a flag.
- Favouritism: for each department with at least ``favour_min`` of the rater's ratings, the
  rater's mean for it minus its mean for all its other ratings; the largest such gap (ties: the
  department's name) is the one reported and flagged.
- Every comparison is exact (fractions): "at least" is ``>=``, "below" is ``<``.
- Flags never change a score: nothing here reads or writes a slip score.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction

FULL_MARKS = 100

UNIFORM = "uniform"  # 打和牌
LENIENT = "lenient"  # 人情分
FAVOURITISM = "favouritism"  # 关系分
FLAGS = (UNIFORM, LENIENT, FAVOURITISM)


@dataclass(frozen=True)
class Thresholds:
	"""The §14 thresholds ([decision] defaults; Whistle Settings section 研判分析)."""

	min_ratings: int = 5
	uniform_sd: Fraction = Fraction(2)  # standard deviation below this …
	uniform_identical: Fraction = Fraction(80)  # … or at least this % identical score rows
	lenient_full: Fraction = Fraction(90)  # at least this % full marks …
	lenient_gap: Fraction = Fraction(10)  # … or a peer gap of at least this
	favour_gap: Fraction = Fraction(15)  # mean for one department at least this above the others
	favour_min: int = 3  # with at least this many ratings of that department

	@classmethod
	def of(cls, **values) -> "Thresholds":
		"""Thresholds from settings' numbers (floats or strings taken exactly as written)."""
		ints = ("min_ratings", "favour_min")
		clean = {}
		for key, value in values.items():
			if value is None:
				continue
			clean[key] = int(value) if key in ints else Fraction(str(value))
		return cls(**clean)


@dataclass(frozen=True)
class Rating:
	"""One submitted rating: who gave it, to whom, its total and its criterion scores in form order."""

	rater: str
	department: str
	total: int
	rows: tuple = ()


@dataclass(frozen=True)
class Tally:
	"""A rater's ratings of one department in the quarter, summed (one row of the grouped query)."""

	rater: str
	department: str
	count: int
	total: int  # sum of the totals
	squares: int  # sum of the squared totals
	full: int  # ratings with full marks


@dataclass(frozen=True)
class RaterStatistic:
	rater: str
	ratings: int
	mean: Fraction
	variance: Fraction
	full_share: Fraction  # percent
	identical_share: Fraction  # percent
	peer_mean: Fraction | None
	peer_gap: Fraction | None
	favoured_department: str | None
	favour_gap: Fraction | None
	favoured_ratings: int
	flags: frozenset = field(default_factory=frozenset)
	departments: tuple = ()

	@property
	def sd(self) -> float:
		return float(self.variance) ** 0.5

	@property
	def uniform(self) -> bool:
		return UNIFORM in self.flags

	@property
	def lenient(self) -> bool:
		return LENIENT in self.flags

	@property
	def favouritism(self) -> bool:
		return FAVOURITISM in self.flags


def tallies(ratings: Iterable[Rating]) -> list[Tally]:
	"""Sum individual ratings per rater and department (what the grouped query returns)."""
	sums: dict[tuple[str, str], list[int]] = {}
	for r in ratings:
		s = sums.setdefault((r.rater, r.department), [0, 0, 0, 0])
		s[0] += 1
		s[1] += r.total
		s[2] += r.total * r.total
		s[3] += int(r.total == FULL_MARKS)
	return [Tally(rater, dept, *s) for (rater, dept), s in sorted(sums.items())]


def score_signature(rows: Iterable[int | None]) -> str:
	"""A rating's criterion scores in form order as one text, stored on the rating when it is scored:
	two ratings have identical score rows exactly when their signatures are equal, so counting them is
	one ``GROUP BY`` over the ratings (an unscored criterion is left empty)."""
	return ",".join("" if score is None else str(int(score)) for score in rows)


def identical_counts(ratings: Iterable[Rating]) -> dict[str, int]:
	"""Per rater, how many of its ratings share its most frequent set of criterion scores."""
	counts: dict[str, dict[tuple, int]] = {}
	for r in ratings:
		per = counts.setdefault(r.rater, {})
		per[tuple(r.rows)] = per.get(tuple(r.rows), 0) + 1
	return {rater: max(per.values()) for rater, per in counts.items()}


def _percent(part: int, whole: int) -> Fraction:
	return Fraction(100 * part, whole) if whole else Fraction(0)


def _favour(own: list[Tally], thresholds: Thresholds) -> tuple[str | None, Fraction | None, int]:
	"""The department this rater favours most: (department, gap, its ratings) among those with at
	least ``favour_min`` ratings and some other rating to compare with."""
	count = sum(t.count for t in own)
	total = sum(t.total for t in own)
	best: tuple[str | None, Fraction | None, int] = (None, None, 0)
	for t in sorted(own, key=lambda t: t.department):
		others = count - t.count
		if t.count < thresholds.favour_min or others == 0:
			continue
		gap = Fraction(t.total, t.count) - Fraction(total - t.total, others)
		if best[1] is None or gap > best[1]:
			best = (t.department, gap, t.count)
	return best


def rater_statistics(
	rows: Iterable[Tally], identical: dict[str, int], thresholds: Thresholds | None = None
) -> list[RaterStatistic]:
	"""The statistics and flags of every rater, ordered by rater.

	``rows``: the tallies of all raters in the quarter (peers are read from them too);
	``identical``: per rater, the count of its most frequent set of criterion scores.
	"""
	thresholds = thresholds or Thresholds()
	rows = list(rows)
	by_rater: dict[str, list[Tally]] = {}
	dept_count: dict[str, int] = {}
	dept_total: dict[str, int] = {}
	for t in rows:
		by_rater.setdefault(t.rater, []).append(t)
		dept_count[t.department] = dept_count.get(t.department, 0) + t.count
		dept_total[t.department] = dept_total.get(t.department, 0) + t.total
	result = []
	for rater in sorted(by_rater):
		own = by_rater[rater]
		n = sum(t.count for t in own)
		s = sum(t.total for t in own)
		sq = sum(t.squares for t in own)
		full = sum(t.full for t in own)
		mean = Fraction(s, n)
		variance = Fraction(n * sq - s * s, n * n)
		full_share = _percent(full, n)
		identical_share = _percent(identical.get(rater, 0), n)
		peer_n = sum(dept_count[t.department] - t.count for t in own)
		peer_s = sum(dept_total[t.department] - t.total for t in own)
		peer_mean = Fraction(peer_s, peer_n) if peer_n else None
		peer_gap = mean - peer_mean if peer_mean is not None else None
		favoured, favour_gap, favoured_n = _favour(own, thresholds)
		flags = set()
		if n >= thresholds.min_ratings:
			if variance < thresholds.uniform_sd**2 or identical_share >= thresholds.uniform_identical:
				flags.add(UNIFORM)
			if full_share >= thresholds.lenient_full or (
				peer_gap is not None and peer_gap >= thresholds.lenient_gap
			):
				flags.add(LENIENT)
			if favour_gap is not None and favour_gap >= thresholds.favour_gap:
				flags.add(FAVOURITISM)
		result.append(
			RaterStatistic(
				rater=rater,
				ratings=n,
				mean=mean,
				variance=variance,
				full_share=full_share,
				identical_share=identical_share,
				peer_mean=peer_mean,
				peer_gap=peer_gap,
				favoured_department=favoured,
				favour_gap=favour_gap,
				favoured_ratings=favoured_n,
				flags=frozenset(flags),
				departments=tuple(sorted(t.department for t in own)),
			)
		)
	return result


def statistics_of(ratings: Iterable[Rating], thresholds: Thresholds | None = None) -> list[RaterStatistic]:
	"""The statistics of individual ratings (tests, small data): ``rater_statistics`` of their tallies."""
	ratings = list(ratings)
	return rater_statistics(tallies(ratings), identical_counts(ratings), thresholds)
