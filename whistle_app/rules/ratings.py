"""Who rates whom on a whistle slip (RULES §5), when ratings are owed and reminded, and who reads a
rating's comment (RULES §10), as pure data.

Framework-free: the Frappe side (``whistle_app.ratings``) and the tests read these functions.
"""

from dataclasses import dataclass
from datetime import datetime

from whistle_app.rules import clocks as ck
from whistle_app.rules import lifecycle as lc
from whistle_app.rules.workdays import WorkCalendar, add_working_days

PARK_RATER = "Park"  # plan attachment 2: the whistling park or town
LEAD_RATER = "Lead Department"  # plan attachment 3: the lead department
RATER_KINDS = (PARK_RATER, LEAD_RATER)

# [decision] A slip is rated once completed: while it awaits the park's confirmation (待确认评价)
# and after it (待销号). Amendments by the office are also allowed once the slip is closed.
RATING_STATES = frozenset({lc.COMPLETED, lc.CONFIRMED})
AMENDMENT_STATES = frozenset({lc.COMPLETED, lc.CONFIRMED, lc.CLOSED})
# Entering 待确认评价 (办结) creates a draft rating for every rating the slip requires.
DRAFTS_ON = lc.COMPLETED

# [decision] A rating still pending more than 3 working days after the slip's completion is reminded
# to the rater's unit once (per rating and completion), however often the daily job runs.
REMINDER_AFTER_WORKING_DAYS = 3
REMINDER_CLOCK = "rating"  # Whistle Clock Event.clock of these reminders


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


def rater_kind_of(unit: str | None, park: str, departments: list[tuple[str, str]]) -> str | None:
	"""The kind of rater ``unit`` is on a slip: its park, its lead department, or neither (None)."""
	if not unit:
		return None
	if unit == park:
		return PARK_RATER
	if unit == next((d for d, role in departments if role == lc.LEAD), None):
		return LEAD_RATER
	return None


def missing_drafts(
	required: list[RequiredRating], slip: str, existing_keys: set[str]
) -> list[RequiredRating]:
	"""The required ratings of ``slip`` that have no rating yet (no key among ``existing_keys``)."""
	return [r for r in required if rating_key(slip, r.rated_department, r.rater_kind) not in existing_keys]


# --- reminders ---------------------------------------------------------------------------------------


def reminder_deadline(calendar: WorkCalendar, completed_on: datetime) -> datetime:
	"""The end of the 3rd working day after the completion (RULES §4 counting): after it, remind."""
	return add_working_days(calendar, completed_on, REMINDER_AFTER_WORKING_DAYS)


def reminder_due(now: datetime, completed_on: datetime | None, calendar: WorkCalendar) -> bool:
	"""A pending rating is reminded once more than 3 working days have passed since completion."""
	return completed_on is not None and now > reminder_deadline(calendar, completed_on)


def reminder_key(slip: str, rated_department: str, rater_kind: str, deadline: datetime) -> str:
	"""The identity of one rating reminder (unique among Whistle Clock Event keys): a re-completed
	slip has a new deadline and so a new reminder."""
	if rater_kind not in RATER_KINDS:
		raise ValueError(f"unknown rater kind {rater_kind!r}")
	when = deadline.replace(microsecond=0).isoformat(sep=" ")
	return f"{slip}|{rated_department}|{REMINDER_CLOCK}:{rater_kind}|{when}|{ck.REMINDER}"


# --- the comment (RULES §10) ---------------------------------------------------------------------------


def comment_visible(
	sees_all: bool,
	viewer_unit: str | None,
	rater_unit: str | None,
	rated_department: str | None,
	hidden_from_rated: bool,
) -> bool:
	"""Who reads a rating's comment: the office and those who read everything, the rater's unit, and
	the rated department unless the office hides comments from the rated (Whistle Settings)."""
	if sees_all:
		return True
	if not viewer_unit:
		return False
	if viewer_unit == rater_unit:
		return True
	return viewer_unit == rated_department and not hidden_from_rated


# --- the slip's facts shown next to the rating form -------------------------------------------------------

OPEN = "Open"  # a deadline whose action is not recorded


@dataclass(frozen=True)
class DeadlineFact:
	"""One deadline of the slip: when it fell, when its action was recorded, Met / Late / Open."""

	clock: str
	deadline: datetime
	done_at: datetime | None
	status: str


def deadline_facts(
	deadlines: dict[str, datetime | None],
	done: dict[str, datetime | None],
	statuses: dict[str, str | None],
) -> list[DeadlineFact]:
	"""The response, joint meeting and completion deadlines a slip had (those it had), in that order,
	each with its stored status (Met/Late), or the status its recorded time gives, or Open."""
	facts = []
	for clock in ck.CLOCKS:
		deadline = deadlines.get(clock)
		if not deadline:
			continue
		done_at = done.get(clock)
		status = statuses.get(clock) or (lc.mark(done_at, deadline) if done_at else OPEN)
		facts.append(DeadlineFact(clock, deadline, done_at, status))
	return facts
