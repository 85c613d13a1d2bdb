"""Unified social credit code, GB 32100-2015 (issue #5). Pure unit tests: no Frappe, no database."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from whistle_app.rules.credit_code import (
	AUTHORITIES,
	CATEGORIES,
	CHARSET,
	WEIGHTS,
	CreditCodeError,
	check_character,
	is_valid_credit_code,
	normalise,
	validate_credit_code,
)

# Published codes of well-known organisations; each was checked against this implementation.
PUBLIC_EXAMPLES = [
	"91350100M000100Y43",  # the example commonly cited for the standard
	"914403001922038216",  # 华为技术有限公司
	"91330100716105852F",  # 阿里巴巴（中国）有限公司
	"9144030071526726XG",  # 深圳市腾讯计算机系统有限公司
]


def with_check(first17: str) -> str:
	return first17 + check_character(first17)


def test_weights_are_powers_of_three_mod_31():
	assert WEIGHTS == tuple(pow(3, i, 31) for i in range(17))


def test_charset_has_no_i_o_z_s_v():
	assert len(CHARSET) == 31
	assert not set("IOZSV") & set(CHARSET)


@pytest.mark.parametrize("code", PUBLIC_EXAMPLES)
def test_public_examples_are_valid(code):
	assert validate_credit_code(code) == code
	assert is_valid_credit_code(code)


def test_computed_codes_for_the_district():
	# 321203 = 泰州市高港区; 企业 (9, 1), 个体工商户 (9, 2), 事业单位 (1, 2), 社会团体 (5, 1)
	for first17 in ("91321203MA1MXXX01", "92321203MA1P00001", "12321203466000000", "51321203MJ0000001"):
		code = with_check(first17)
		assert validate_credit_code(code) == code


def test_check_character_lowest_and_highest():
	# a weighted sum divisible by 31 gives "0"; a sum of 1 (mod 31) gives the last character "Y"
	assert check_character("0" * 17) == "0"
	assert check_character("1" + "0" * 16) == "Y"


def test_normalises_case_and_spaces():
	assert validate_credit_code(" 91350100m000100y43 ") == "91350100M000100Y43"
	assert validate_credit_code("913501 00M0001\u300000Y43") == "91350100M000100Y43"
	assert normalise(None) == ""


@pytest.mark.parametrize(
	"code, reason, position",
	[
		("", "empty", None),
		("   ", "empty", None),
		(None, "empty", None),
		("91350100M000100Y4", "length", None),
		("91350100M000100Y433", "length", None),
		("91350100M000100I43", "charset", 16),  # I is not in the charset
		("91350100M000100O43", "charset", 16),
		("9135010OM000100Y43", "charset", 8),
		("91350100M0001-0Y43", "charset", 14),
		("B1350100M000100Y43", "authority", 1),
		("90350100M000100Y43", "category", 2),
		("91A50100M000100Y43", "division", 3),
		("91350100M000100Y42", "checksum", 18),  # last character changed
		("91350101M000100Y43", "checksum", 18),  # one division digit changed
		("914403001922038217", "checksum", 18),
		("91330100716105852G", "checksum", 18),
	],
)
def test_invalid_codes_say_why(code, reason, position):
	with pytest.raises(CreditCodeError) as err:
		validate_credit_code(code)
	assert err.value.code == reason
	assert err.value.position == position
	assert isinstance(err.value, ValueError)
	assert not is_valid_credit_code(code)


def test_checksum_error_names_the_expected_character():
	with pytest.raises(CreditCodeError) as err:
		validate_credit_code("91350100M000100Y42")
	assert err.value.expected == "3"


def test_check_character_rejects_bad_input():
	with pytest.raises(CreditCodeError):
		check_character("123")
	with pytest.raises(CreditCodeError):
		check_character("9135010OM000100Y4")


body = st.text(alphabet=CHARSET, min_size=9, max_size=9)
division = st.text(alphabet="0123456789", min_size=6, max_size=6)
prefix = st.tuples(st.sampled_from(sorted(AUTHORITIES)), st.sampled_from(CATEGORIES), division, body).map(
	"".join
)


@given(prefix)
def test_any_well_formed_prefix_with_its_check_character_is_valid(first17):
	assert is_valid_credit_code(with_check(first17))


@given(prefix, st.integers(min_value=0, max_value=17), st.integers(min_value=1, max_value=30))
def test_every_single_character_change_is_detected(first17, index, shift):
	code = with_check(first17)
	changed = CHARSET[(CHARSET.index(code[index]) + shift) % 31]
	wrong = code[:index] + changed + code[index + 1 :]
	assert wrong != code
	assert not is_valid_credit_code(wrong)
