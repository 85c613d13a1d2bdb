"""Ratings (RULES §5): the names, settings and errors the rating modules share."""

import frappe

from whistle_app.rules import lifecycle as lc
from whistle_app.rules import ratings as rr
from whistle_app.rules import scoring

DEFAULT_ACTIVE_FROM = "2023-05-08"
DEFAULT_TEMPLATES = (
	("园区镇街满意度评价表", rr.PARK_RATER, scoring.PARK_TEMPLATE),
	("牵头部门满意度评价表", rr.LEAD_RATER, scoring.LEAD_TEMPLATE),
)


RATING = "Whistle Rating"
COMMENT = "Whistle Rating Comment"
SETTINGS = "Whistle Settings"
HIDE_COMMENT_SETTING = "hide_rating_comment_from_rated"
RATER_ROLES = {
	rr.PARK_RATER: lc.ACTOR_ROLES[lc.PARK_ACTOR],
	rr.LEAD_RATER: lc.ACTOR_ROLES[lc.REPORTING_ACTOR],
}
# the plan's attachments 2 and 3: the title of each rater kind's form
FORM_TITLES = {rr.PARK_RATER: "园区/镇街满意度评价表", rr.LEAD_RATER: "牵头部门满意度评价表"}


class RatingError(frappe.ValidationError):
	pass
