"""Install and migrate hooks: site defaults for a Chinese district office."""

import frappe

from whistle_app.accountability import sync_accountability_workflows
from whistle_app.analysis import seed_sub_topics
from whistle_app.calendar import seed_current_and_next_year
from whistle_app.configuration import ensure_administrator_rights
from whistle_app.coordination import sync_coordination_workflows
from whistle_app.desk_summary import ensure_desk_blocks
from whistle_app.indexes import ensure_indexes
from whistle_app.lifecycle import sync_workflow
from whistle_app.notifications import ensure_notifications
from whistle_app.organisation import ensure_role_profiles
from whistle_app.ratings import ensure_default_templates
from whistle_app.requests import sync_request_workflows
from whistle_app.series import ensure_current_and_next_year
from whistle_app.setup.default_units import seed_default_units
from whistle_app.uploads import install_allowed_extensions

LANGUAGE = "zh"
TIME_ZONE = "Asia/Shanghai"


def after_install():
	set_site_defaults()
	after_migrate()


def after_migrate():
	seed_default_units()
	ensure_role_profiles()
	# the workflows first: they add the state fields, which the calendar's seeding reads when it
	# refreshes the deadlines of open slips (clocks.refresh_open_deadlines)
	sync_workflow()
	sync_request_workflows()
	sync_accountability_workflows()
	sync_coordination_workflows()
	seed_current_and_next_year()
	ensure_current_and_next_year()  # the document number series of this year and next (issue #24)
	ensure_default_templates()
	seed_sub_topics()  # the plan's typical problems (RULES §14), once per sub-topic
	ensure_indexes()  # after the workflows: their state fields are indexed too
	install_allowed_extensions()
	ensure_desk_blocks()  # the figures of the three desk workspaces (issue #21)
	# what the administrator configures in the desk (issue #22): its rights on Frappe's configuration
	# DocTypes, and the app's notifications as editable records (created when missing, never rewritten)
	ensure_administrator_rights()
	ensure_notifications()


def set_site_defaults():
	"""Chinese UI and Asia/Shanghai, and the setup wizard marked done (it asks nothing we need)."""
	settings = frappe.get_single("System Settings")
	settings.language = LANGUAGE
	settings.time_zone = TIME_ZONE
	settings.country = settings.country or "China"
	settings.date_format = "yyyy-mm-dd"
	settings.time_format = "HH:mm:ss"
	settings.first_day_of_the_week = "Monday"
	settings.setup_complete = 1
	settings.enable_onboarding = 1  # the wizard would set it; the administrator's setup steps (issue #9)
	# production defaults (issue #23): no tracebacks to clients, sessions end after 8 idle hours
	settings.allow_error_traceback = 0
	settings.session_expiry = "08:00"
	settings.flags.ignore_mandatory = True
	settings.save(ignore_permissions=True)
	frappe.db.set_default("lang", LANGUAGE)
	frappe.db.set_default("desktop:home_page", "workspace")
