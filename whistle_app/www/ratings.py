"""/ratings (待我评价): parks and towns and lead departments fill in the ratings their unit owes, on a
phone (RULES §5). The list and the form come from the whitelisted ``whistle_app.ratings.page.pending_ratings``
and ``rating_form`` (which check the user's unit); the form submits through ``submit_rating``, and the
Whistle Rating controller checks everything again."""

import frappe
from frappe import _

from whistle_app import ratings
from whistle_app.lifecycle import check_web_form_roles
from whistle_app.rules import lifecycle as lc

no_cache = 1

# strings the page's script shows
MESSAGES = ("Total", "Rating submitted", "A comment is required when the total is below {0}.")


def get_context(context):
	if frappe.session.user == "Guest":
		frappe.local.flags.redirect_location = "/login?redirect-to=/ratings"
		raise frappe.Redirect
	check_web_form_roles(lc.ACTOR_ROLES[lc.PARK_ACTOR] + lc.ACTOR_ROLES[lc.REPORTING_ACTOR])
	context.no_breadcrumbs = True
	context.show_sidebar = False
	context.whistle_messages = {m: _(m) for m in MESSAGES}
	name = frappe.form_dict.get("rating")
	if name:
		context.form = ratings.rating_form(name)
		context.title = context.form["form_title"]
	else:
		context.pending = ratings.pending_ratings()
		context.title = _("Ratings Waiting for Me")
	return context
