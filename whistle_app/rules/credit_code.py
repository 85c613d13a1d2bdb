"""The unified social credit code (统一社会信用代码) of GB 32100-2015, framework-free.

An 18-character code::

    position   1      2        3-8                   9-17                18
               登记管理  机构类别  登记管理机关行政区划码   主体标识码(组织机构代码)   校验码
               部门代码

Characters come from the 31-character set ``0-9`` and the capital letters without I, O, Z, S
and V. The 18th character is a check character over the first 17 (GB 32100-2015 §4.3):
``C18 = charset[(31 - sum(value(Ci) × Wi) mod 31) mod 31]`` with the weights
``Wi = 3^(i-1) mod 31``.

Only the structure the standard fixes for every code is checked: the charset, the check
character, that positions 3-8 (the administrative division code) are digits, that the first
character is a registration authority code and the second an organisation category code (a digit
1-9). The registries of division codes and categories change over time and are not checked.
"""

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUES = {ch: i for i, ch in enumerate(CHARSET)}
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
LENGTH = 18

# Registration authority codes (登记管理部门代码, GB 32100-2015 Appendix A). Organisation
# category codes (机构类别代码) are the digits 1-9 under every authority; which digits an authority
# uses has been extended since 2015, so only the digit form is checked.
AUTHORITIES: dict[str, str] = {
	"1": "机构编制",
	"2": "外交",
	"3": "司法行政",
	"4": "文化",
	"5": "民政",
	"6": "旅游",
	"7": "宗教",
	"8": "工会",
	"9": "市场监督管理（工商）",
	"A": "中央军委改革和编制办公室",
	"N": "农业",
	"Y": "其他",
}
CATEGORIES = "123456789"


class CreditCodeError(ValueError):
	"""A code that is not a valid unified social credit code; ``code`` says why.

	``code`` is one of ``"empty"``, ``"length"``, ``"charset"``, ``"authority"``,
	``"category"``, ``"division"`` and ``"checksum"``; ``position`` is the 1-based position of
	the offending character where there is one; ``expected`` is the right check character for
	``"checksum"``.
	"""

	def __init__(self, code: str, message: str, position: int | None = None, expected: str | None = None):
		super().__init__(message)
		self.code = code
		self.position = position
		self.expected = expected


def normalise(code: str | None) -> str:
	"""Upper-case the code and drop every kind of white space (also full-width spaces)."""
	return "".join((code or "").split()).upper()


def check_character(first17: str) -> str:
	"""The 18th character for the given first 17 characters (which must be in the charset)."""
	if len(first17) != LENGTH - 1:
		raise CreditCodeError("length", f"expected 17 characters, got {len(first17)}")
	for position, ch in enumerate(first17, start=1):
		if ch not in VALUES:
			raise CreditCodeError(
				"charset", f"character {ch!r} at position {position} is not allowed", position
			)
	total = sum(VALUES[ch] * weight for ch, weight in zip(first17, WEIGHTS, strict=True))
	return CHARSET[(31 - total % 31) % 31]


def validate_credit_code(code: str | None) -> str:
	"""Return the normalised code, or raise ``CreditCodeError`` saying what is wrong."""
	value = normalise(code)
	if not value:
		raise CreditCodeError("empty", "the code is empty")
	if len(value) != LENGTH:
		raise CreditCodeError("length", f"the code has {len(value)} characters instead of {LENGTH}")
	for position, ch in enumerate(value, start=1):
		if ch not in VALUES:
			raise CreditCodeError(
				"charset", f"character {ch!r} at position {position} is not allowed", position
			)
	authority, category = value[0], value[1]
	if authority not in AUTHORITIES:
		raise CreditCodeError("authority", f"{authority!r} is not a registration authority code", 1)
	if category not in CATEGORIES:
		raise CreditCodeError("category", f"{category!r} is not an organisation category code", 2)
	for position in range(3, 9):
		if not value[position - 1].isdigit():
			raise CreditCodeError(
				"division", f"position {position} must be a digit (administrative division code)", position
			)
	expected = check_character(value[:17])
	if value[17] != expected:
		raise CreditCodeError(
			"checksum", f"the check character is {value[17]!r}, expected {expected!r}", 18, expected
		)
	return value


def is_valid_credit_code(code: str | None) -> bool:
	try:
		validate_credit_code(code)
	except CreditCodeError:
		return False
	return True


def make_credit_code(serial: int, division: str = "321203") -> str:
	"""A valid code (enterprise 9, 1) in ``division`` whose body encodes ``serial``: demo, benchmark
	and test data."""
	body, n = "", serial
	for _ in range(9):
		n, digit = divmod(n, 31)
		body = CHARSET[digit] + body
	first17 = f"91{division}{body}"
	return first17 + check_character(first17)
