"""The phone pages' steps (issue #20): which fields each one-button step of a department takes, what
is missing, and how each workflow action looks.

Framework-free. A department takes 报到, records the joint meeting (联商会办), adds progress and
completes (办结) from one dialog each: the dialog's fields are sent with the step, and every missing
field is named at once before anything is saved.
"""

from whistle_app.rules import lifecycle as lc

REPORT = "报到"
MEETING = "记录联商会办"
PROGRESS = "添加进展"
COMPLETE = "办结"

REPORT_FIELDS = ("work_plan", "planned_completion", "responsible_persons")
MEETING_FIELDS = (
	"meeting_date",
	"meeting_departments",
	"meeting_minutes",
	"meeting_solution",
	"meeting_task_division",
)
# the fields each step writes, in the dialog's order; the workflow action it then takes, if any
STEP_FIELDS: dict[str, tuple[str, ...]] = {
	REPORT: REPORT_FIELDS + MEETING_FIELDS,
	MEETING: MEETING_FIELDS,
	PROGRESS: ("content",),
	COMPLETE: ("result",),
}
STEP_ACTIONS: dict[str, str | None] = {REPORT: REPORT, MEETING: None, PROGRESS: None, COMPLETE: COMPLETE}

# a step that sends the slip back or ends it is shown as a danger; the forward steps as primary
DANGER_ACTIONS = frozenset({"重办", "退回补充", "不予受理", "退回报到", "终止跟踪"})


def action_style(action: str) -> str:
	return "danger" if action in DANGER_ACTIONS else "primary"


def missing_fields(step: str, values: dict, meeting_open: bool) -> list[str]:
	"""The step's fields still empty, all at once. With 报到 the joint meeting is optional, but once
	any of its fields is given (or when recording the meeting itself) all of them are needed."""
	given = {field for field, value in values.items() if str(value or "").strip()}
	if step == REPORT:
		needed = list(REPORT_FIELDS)
		if meeting_open and given & set(MEETING_FIELDS):
			needed += MEETING_FIELDS
	else:
		needed = list(STEP_FIELDS[step])
	return [field for field in needed if field not in given]


def department_steps(state: str, kinds: set[str], meeting_open: bool) -> list[str]:
	"""The phone steps open to a department user holding these actor kinds on a slip in this state."""
	steps = []
	reporting = lc.REPORTING_ACTOR in kinds
	if reporting and state == lc.DISPATCHED:
		steps.append(REPORT)
	if reporting and meeting_open and state in lc.MEETING_RECORD_STATES:
		steps.append(MEETING)
	if kinds & {lc.DEPARTMENT_ACTOR} and state in lc.PROGRESS_STATES:
		steps.append(PROGRESS)
	if reporting and state in (lc.HANDLING, lc.LONG_TERM):
		steps.append(COMPLETE)
	return steps
