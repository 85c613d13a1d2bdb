"""Rater fairness flags (RULES §14): at and around every threshold, without a database."""

import statistics
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from whistle_app.rules import fairness as fr
from whistle_app.rules.fairness import Rating, Thresholds

DEPTS = ("发展和改革委", "教育局", "财政局", "商务局")


def rows_for(total: int) -> tuple:
	"""Four criterion scores (20/20/30/30 form) adding up to ``total``, varied with it."""
	a = min(20, total)
	b = min(20, total - a)
	c = min(30, total - a - b)
	return (a, b, c, total - a - b - c)


def ratings(rater: str, totals, depts=DEPTS, rows=None) -> list[Rating]:
	return [
		Rating(rater, depts[i % len(depts)], t, rows[i] if rows else (i, t)) for i, t in enumerate(totals)
	]


def stat(rs, thresholds=None, rater="P"):
	return next(s for s in fr.statistics_of(rs, thresholds) if s.rater == rater)


# --- the numbers ------------------------------------------------------------------------------------


def test_numbers_of_one_rater():
	s = stat(ratings("P", [100, 90, 80, 100, 70]))
	assert s.ratings == 5
	assert s.mean == 88
	assert s.sd == statistics.pstdev([100, 90, 80, 100, 70])
	assert s.full_share == 40
	assert s.identical_share == 20  # rows differ
	assert s.peer_gap is None and s.peer_mean is None  # nobody else rated


def test_identical_share_counts_the_most_frequent_score_rows():
	rows = [(20, 20, 30, 30)] * 3 + [(20, 20, 30, 29), (10, 20, 30, 30)]
	s = stat(ratings("P", [100, 100, 100, 99, 90], rows=rows))
	assert s.identical_share == 60


def test_peer_gap_pools_the_other_raters_of_the_same_departments():
	rs = [
		*ratings("P", [90, 90], depts=("教育局",)),
		Rating("Q", "教育局", 80),
		Rating("Q", "教育局", 70),
		Rating("Q", "财政局", 10),  # not a department P rated
		Rating("P2", "教育局", 60),
	]
	s = stat(rs)
	assert s.peer_mean == 70
	assert s.peer_gap == 20


# --- 打和牌 uniform: sd < 2 or ≥ 80 % identical rows ------------------------------------------------


def test_uniform_sd_just_below_two_flags_and_two_does_not():
	below = [88, 92, 88, 92, 90, 90, 88, 92]  # deviations ±2 and 0: variance 6×4/8 = 3, sd √3
	assert stat(ratings("P", below)).uniform
	exactly_two = [88, 92, 88, 92]  # variance 4 → sd 2
	s = stat(ratings("P", [*exactly_two, 88, 92], depts=DEPTS))
	assert s.variance == 4
	assert not s.uniform
	assert stat(ratings("P", [*exactly_two, 88, 92]), Thresholds(uniform_sd=Fraction(2001, 1000))).uniform


def test_uniform_identical_rows_at_80_percent():
	same = (20, 20, 30, 30)
	rows4 = [same] * 4 + [(0, 10, 20, 30)]
	s = stat(ratings("P", [100, 100, 100, 100, 60], rows=rows4))
	assert s.identical_share == 80 and s.uniform
	rows3 = [same] * 3 + [(0, 10, 20, 30), (10, 10, 20, 30)]
	s = stat(ratings("P", [100, 100, 100, 60, 70], rows=rows3))
	assert s.identical_share == 60 and not s.uniform
	# 7 of 9 (77.8 %) is below 80 %; 8 of 10 is exactly 80 %
	rows = [same] * 7 + [(1, 1, 1, 1), (2, 2, 2, 2)]
	assert not stat(ratings("P", [100] * 7 + [4, 60], rows=rows)).uniform
	rows = [same] * 8 + [(1, 1, 1, 1), (2, 2, 2, 2)]
	assert stat(ratings("P", [100] * 8 + [4, 60], rows=rows)).uniform


def test_no_flag_below_five_ratings():
	four = ratings("P", [100, 100, 100, 100], rows=[(1,)] * 4)
	s = stat(four)
	assert s.full_share == 100 and s.variance == 0 and s.identical_share == 100
	assert s.flags == frozenset()
	five = ratings("P", [100] * 5, rows=[(1,)] * 5)
	assert stat(five).flags >= {fr.UNIFORM, fr.LENIENT}
	assert stat(five, Thresholds(min_ratings=6)).flags == frozenset()


# --- 人情分 lenient: ≥ 90 % full marks or peer gap ≥ +10 ----------------------------------------------


def test_lenient_full_marks_at_90_percent():
	nine = ratings("P", [100] * 9 + [60])
	assert stat(nine).full_share == 90 and stat(nine).lenient
	eight = ratings("P", [100] * 8 + [60, 70])
	assert stat(eight).full_share == 80 and not stat(eight).lenient


def _with_peers(mine, peers):
	return ratings("P", mine, depts=("教育局",)) + [
		Rating("Q", "教育局", t, (i,)) for i, t in enumerate(peers)
	]


def test_lenient_peer_gap_at_ten():
	spread = [70, 80, 90, 75, 85]  # mean 80
	assert stat(_with_peers(spread, [70] * 5)).peer_gap == 10
	assert stat(_with_peers(spread, [70] * 5)).lenient
	s = stat(_with_peers(spread, [70, 70, 70, 70, 71]))  # peers 70.2 → gap 9.8
	assert s.peer_gap == Fraction(49, 5) and not s.lenient
	assert stat(_with_peers(spread, [70] * 5), Thresholds(lenient_gap=Fraction(11))).lenient is False


def test_a_negative_gap_is_not_lenient():
	s = stat(_with_peers([60, 70, 80, 65, 75], [90] * 5))
	assert s.peer_gap == -20 and not s.lenient


# --- 关系分 favouritism: one department's mean ≥ 15 above the others, ≥ 3 of its ratings ---------------


def _favour(favoured_totals, other_totals):
	return [Rating("P", "教育局", t, (i,)) for i, t in enumerate(favoured_totals)] + [
		Rating("P", "财政局" if i % 2 else "商务局", t, (100 + i,)) for i, t in enumerate(other_totals)
	]


def test_favouritism_at_fifteen():
	s = stat(_favour([95, 95, 95], [80, 80, 80]))
	assert s.favour_gap == 15 and s.favoured_department == "教育局" and s.favouritism
	s = stat(_favour([95, 95, 94], [80, 80, 80]))
	assert s.favour_gap == Fraction(44, 3) and not s.favouritism


def test_favouritism_needs_three_ratings_of_that_department():
	s = stat(_favour([100, 100], [70, 70, 70]))
	assert s.favoured_department is None and not s.favouritism
	assert stat(_favour([100, 100], [70, 70, 70]), Thresholds(favour_min=2)).favouritism


def test_favouritism_needs_other_departments():
	s = stat(_favour([100, 90, 80, 70, 60], []))
	assert s.favour_gap is None and not s.favouritism


def test_thresholds_from_settings_numbers():
	t = Thresholds.of(min_ratings=5.0, uniform_sd=2.5, lenient_full="90", favour_gap=None)
	assert t.min_ratings == 5 and t.uniform_sd == Fraction(5, 2) and t.lenient_full == 90
	assert t.favour_gap == 15


# --- properties ---------------------------------------------------------------------------------------

totals = st.lists(st.integers(min_value=0, max_value=100), min_size=1, max_size=30)


@given(totals)
def test_numbers_match_the_statistics_module(values):
	s = stat(ratings("P", values))
	assert s.mean == Fraction(sum(values), len(values))
	assert abs(s.sd - statistics.pstdev(values)) < 1e-9
	assert s.full_share == Fraction(100 * values.count(100), len(values))


@given(totals, st.integers(min_value=0, max_value=100))
def test_adding_a_constant_never_changes_uniformity_and_a_fixed_total_is_uniform(values, shift):
	if len(values) >= 5:
		same = ratings("P", [min(100, shift)] * len(values))
		assert stat(same).uniform
	base = ratings("P", [v // 2 for v in values])
	moved = ratings("P", [v // 2 + 50 for v in values])
	assert stat(base).variance == stat(moved).variance


@given(st.lists(st.tuples(st.sampled_from("PQR"), st.sampled_from(DEPTS), st.integers(0, 100)), max_size=40))
def test_tallies_give_the_same_statistics_as_the_ratings(triples):
	rs = [Rating(r, d, t, (t,)) for r, d, t in triples]
	direct = fr.statistics_of(rs)
	again = fr.rater_statistics(reversed(fr.tallies(rs)), fr.identical_counts(rs))
	assert direct == again
	for s in direct:
		assert s.ratings == sum(1 for r in rs if r.rater == s.rater)
		assert (s.flags == frozenset()) or s.ratings >= 5


def test_score_signature_is_the_rows_in_form_order():
	assert fr.score_signature([20, 30, 0, 25]) == "20,30,0,25"
	assert fr.score_signature([20, None, 5]) == "20,,5"
	assert fr.score_signature([20, 30]) != fr.score_signature([30, 20])
	assert fr.score_signature([]) == ""
