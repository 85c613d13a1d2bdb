"""Who rates whom on a whistle slip (RULES §5), as pure data.

Framework-free: the Frappe side (``whistle_app.ratings``) and the tests read these functions.
"""

from dataclasses import dataclass

from whistle_app.rules import lifecycle as lc

PARK_RATER = "Park"  # plan attachment 2: the whistling park or town
LEAD_RATER = "Lead Department"  # plan attachment 3: the lead department
RATER_KINDS = (PARK_RATER, LEAD_RATER)

# [decision] A slip is rated once completed: while it awaits the park's confirmation (待确认评价)
# and after it (待销号). Amendments by the office are also allowed once the slip is closed.
RATING_STATES = frozenset({lc.COMPLETED, lc.CONFIRMED})
AMENDMENT_STATES = frozenset({lc.COMPLETED, lc.CONFIRMED, lc.CLOSED})


@dataclass(frozen=True)
class RequiredRating:
	"""One rating §5 requires: ``rater_unit`` (of ``rater_kind``) rates ``rated_department``."""

	rater_kind: str
	rater_unit: str
	rated_department: str
	department_role: str


def required_ratings(park: str, departments: list[tuple[str, str]]) -> list[RequiredRating]:
	"""The ratings a slip needs, from its park and its [(department, role on slip)].

	The park rates every department (sole, lead and co-departments alike) with attachment 2; the lead
	department also rates every co-department with attachment 3. Cross-level slips follow the same
	rule for their district departments (they are single or multi in shape).
	"""
	lead = next((unit for unit, role in departments if role == lc.LEAD), None)
	required = [RequiredRating(PARK_RATER, park, unit, role) for unit, role in departments]
	if lead:
		required += [
			RequiredRating(LEAD_RATER, lead, unit, role) for unit, role in departments if role == lc.CO
		]
	return required


def rating_key(slip: str, rated_department: str, rater_kind: str) -> str:
	"""The key that makes a rating unique per slip, rated department and rater kind."""
	return f"{slip}|{rated_department}|{rater_kind}"
