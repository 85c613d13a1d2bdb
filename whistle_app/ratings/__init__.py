"""One whistle, one rating (RULES §5) on Frappe: templates, who rates whom, slip scores, closure.

The arithmetic lives in ``whistle_app.rules.scoring`` and who rates whom in
``whistle_app.rules.ratings``; this module loads the data, stores the results and is what the
Whistle Rating controller, the slip controller (``validate_closure``) and the tests call.

[decision]s:

- A slip can be rated once it is completed: in 待确认评价 and in 待销号. The office's amendments of
  cancelled ratings are also allowed after closure (已销号); the slip score follows them.
- Completing a slip (办结, entering 待确认评价) creates a draft rating (docstatus 0, scores empty) for
  every rating §5 requires (``create_drafts``), keyed by ``rating_key`` so that it happens once;
  the daily job ``remind_pending_ratings`` makes any draft still missing (slips completed before
  this existed, a draft deleted by the office) and reminds the rater's unit of ratings pending
  more than 3 working days after completion, once per rating and completion (a ``Whistle Clock
  Event`` row with clock ``rating`` and a unique key backs it). Raters fill and submit their
  drafts (``submit_rating``, ``rate``, the page ``/ratings``); scores are checked whenever they are
  saved, completeness and the comment below 60 at submit.
- The template of a rating is the template of its rater kind with the latest ``active_from`` on or
  before the day the rating is created (Asia/Shanghai; for the drafts: the day the slip is
  completed); it never changes afterwards, and an amendment keeps the template of the rating it
  amends.
- The comment lives in its own ``Whistle Rating Comment`` record and is shown on the rating as a
  virtual field: the office (and those who read everything), the rater's unit and, unless the
  office sets ``hide_rating_comment_from_rated`` in Whistle Settings, the rated department read it
  (``visible_comment``). Lists, report views and exports never carry it (a virtual field has no
  column); the document (desk, REST), the print formats and the pages read it through the check.
- A template that a rating uses cannot have its criteria, kind or start date changed: a change of
  form is a new template with a later ``active_from``.
- ``Whistle Slip Score`` holds one row per slip and department, refreshed on every rating submit and
  cancel; ``slip_score`` counts only once ``rating_complete`` is set (every rating of that
  department submitted).
  (Frappe stores numbers NOT NULL, so ``rating_complete`` tells a missing score from a 0.)
  ``closed_on`` is stamped at closure (``validate_closure``) and ``excluded_from_assessment`` is
  copied from the slip each time the scores are refreshed.
"""

from whistle_app.ratings.comments import (
	comment_hidden_from_rated,
	delete_comment,
	may_read_comment,
	save_comment,
	set_comment_hidden_from_rated,
	stored_comment,
	visible_comment,
)
from whistle_app.ratings.common import (
	COMMENT,
	DEFAULT_ACTIVE_FROM,
	DEFAULT_TEMPLATES,
	FORM_TITLES,
	HIDE_COMMENT_SETTING,
	RATER_ROLES,
	RATING,
	SETTINGS,
	RatingError,
)
from whistle_app.ratings.drafts import (
	amend_rating,
	cancel_rating,
	create_drafts,
	draft_for,
	ensure_drafts,
	existing_keys,
	fill_scores,
	insert_draft,
	own_draft,
	parse_scores,
	rate,
	rating_tasks,
	save_draft,
	submit_rating,
)
from whistle_app.ratings.page import (
	DEADLINE_LABELS,
	STATUS_LABELS,
	_when,
	pending_ratings,
	rater_kinds_of_user,
	rating_form,
	slip_facts,
)
from whistle_app.ratings.reminders import (
	pending_rows,
	remind_pending_ratings,
	send_reminder,
)
from whistle_app.ratings.scores import (
	missing_ratings,
	required_ratings,
	submitted_ratings,
	update_slip_scores,
	validate_closure,
)
from whistle_app.ratings.templates import (
	ensure_default_templates,
	template_in_force,
	template_maxima,
)

__all__ = [
	"COMMENT",
	"DEADLINE_LABELS",
	"DEFAULT_ACTIVE_FROM",
	"DEFAULT_TEMPLATES",
	"FORM_TITLES",
	"HIDE_COMMENT_SETTING",
	"RATER_ROLES",
	"RATING",
	"SETTINGS",
	"STATUS_LABELS",
	"RatingError",
	"_when",
	"amend_rating",
	"cancel_rating",
	"comment_hidden_from_rated",
	"create_drafts",
	"delete_comment",
	"draft_for",
	"ensure_default_templates",
	"ensure_drafts",
	"existing_keys",
	"fill_scores",
	"insert_draft",
	"may_read_comment",
	"missing_ratings",
	"own_draft",
	"parse_scores",
	"pending_ratings",
	"pending_rows",
	"rate",
	"rater_kinds_of_user",
	"rating_form",
	"rating_tasks",
	"remind_pending_ratings",
	"required_ratings",
	"save_comment",
	"save_draft",
	"send_reminder",
	"set_comment_hidden_from_rated",
	"slip_facts",
	"stored_comment",
	"submit_rating",
	"submitted_ratings",
	"template_in_force",
	"template_maxima",
	"update_slip_scores",
	"validate_closure",
	"visible_comment",
]
