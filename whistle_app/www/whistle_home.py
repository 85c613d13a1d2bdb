"""/whistle-home (首页, issue #20): a signed-in user's daily pages with what waits on each (园区吹哨,
待我评价, 部门报到, requests, an enterprise's demands), on a phone. Counts come from
``whistle_app.phone.home_counts`` (``frappe.get_list``: the user's unit scope)."""

import frappe
from frappe import _

from whistle_app.phone import home_counts

no_cache = 1


def get_context(context):
	if frappe.session.user == "Guest":
		frappe.local.flags.redirect_location = "/login?redirect-to=/whistle-home"
		raise frappe.Redirect
	context.no_breadcrumbs = True
	context.show_sidebar = False
	context.title = _("Home")
	context.full_name = frappe.utils.get_fullname(frappe.session.user)
	context.tiles = home_counts()
	context.desk = frappe.db.get_value("User", frappe.session.user, "user_type") == "System User"
	return context
