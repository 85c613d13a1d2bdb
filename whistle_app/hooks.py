from whistle_app.doctype_index import child_doctypes, series_doctypes
from whistle_app.roles import ROLES

app_name = "whistle_app"
app_title = "园区吹哨、部门报到"
app_publisher = "whistle_app developers"
app_description = (
	"Parks blow the whistle, departments report for duty: routing, deadlines, ratings and rankings"
)
app_email = "dev@whistle.localhost"
app_license = "mit"

# Generated type blocks in DocType controllers are committed (see frappe/crm).
export_python_type_annotations = True

# Pages: shared script of the whistle web forms (phones)
web_include_js = [
	"/assets/whistle_app/js/whistle_web.js",
	"/assets/whistle_app/js/whistle_i18n.js",  # Chinese date picker, "Load More", manifest (issue #20)
	"/assets/whistle_app/js/whistle_sub_topic_web.js",  # the sub-topic by category (RULES §14)
]
# Desk: shared form helpers (reason prompt of workflow actions)
app_include_js = ["/assets/whistle_app/js/whistle_desk.js", "/assets/whistle_app/js/whistle_i18n.js"]
# The administrator's configuration in the desk (issue #22, whistle_app/configuration.py): notes on the
# app's workflows and notifications, the app's phone web forms editable, Customize Form on the app's
# DocTypes
doctype_js = {
	"Workflow": "public/js/config/workflow.js",
	"Notification": "public/js/config/notification.js",
	"Web Form": "public/js/config/web_form.js",
	"Customize Form": "public/js/config/customize_form.js",
	# the District Head's coordination (RULES §12): nominate or ask from the whistle's form
	"Whistle Slip": "public/js/coordination_slip.js",
}
# the app's standard phone web forms are edited by administrators outside developer mode
override_doctype_class = {"Web Form": "whistle_app.configuration.WhistleWebForm"}

# Print formats: numbers rounded half-up as the evaluation compares them (RULES §7, §8)
jinja = {
	"methods": [
		"whistle_app.evaluation.common.whistle_number",
		# print format 年度考核结果运用 (issue #25)
		"whistle_app.whistle.report.annual_consequences.annual_consequences.print_annual_consequences",
	]
}

# Web pages: the title of a web form showing a document of the app stays text (whistle_app/security.py)
update_website_context = [
	"whistle_app.security.safe_page_title",
	"whistle_app.manifest.link_manifest",
	"whistle_app.language.web_form_messages",  # Frappe's own words on web forms, in Chinese (issue #20)
	"whistle_app.language.web_page_words",  # a web form's introduction and the footer, in Chinese (#20)
]
# The web app manifest (issue #20): /manifest.json, so a phone adds the site to its home screen
page_renderer = ["whistle_app.manifest.ManifestPage"]

# Installation
# ------------
after_install = "whistle_app.install.after_install"
after_migrate = [
	"whistle_app.install.after_migrate",
	"whistle_app.home.ensure_default_workspaces",
	"whistle_app.home.restrict_frappe_workspaces",  # "Tools" and "Build" for system managers (#20)
	"whistle_app.fairness.ensure_settings_defaults",
]

# A home per role (issue #20, whistle_app/home.py): signed-in users of the web pages land on
# /whistle-home, which every web page's 首页 opens; desk users on their role's workspace
get_website_user_home_page = "whistle_app.home.website_home_page"

# Fixtures: only this app's own records, always filtered.
fixtures = [
	{"dt": "Role", "filters": [["name", "in", list(ROLES)]]},
	{"dt": "Custom Field", "filters": [["name", "in", ["User-whistle_unit"]]]},
]

# every request and job reads committed data without gap locks (see whistle_app/transactions.py)
before_request = ["whistle_app.transactions.read_committed"]
# a locked login answers 429 with a Chinese message instead of a server error (whistle_app/security.py)
after_request = ["whistle_app.security.login_lock_response"]

# Frappe's generic endpoints that answer without a row-level check answer only what get_list would
# (issue #23, whistle_app/endpoints.py)
override_whitelisted_methods = {
	"frappe.client.get_count": "whistle_app.endpoints.get_count",
	"frappe.desk.like.toggle_like": "whistle_app.endpoints.toggle_like",
	"frappe.desk.search.get_link_title": "whistle_app.endpoints.get_link_title",
	"upload_file": "whistle_app.uploads.upload_file",
	"frappe.handler.upload_file": "whistle_app.uploads.upload_file",
}
before_job = ["whistle_app.transactions.read_committed"]

# Users and units (RULES §1)
doc_events = {
	"User": {
		"validate": ["whistle_app.organisation.validate_user", "whistle_app.home.set_default_workspace"],
		"on_update": "whistle_app.organisation.on_user_change",
		"on_trash": "whistle_app.organisation.on_user_change",
	},
	# Input limits and plain text for every DocType of the app (issue #11, whistle_app/security.py);
	# fields the server computes are never written by a client (issue #23, whistle_app/guard.py).
	# Select fields take the Chinese label or the code (issue #20, whistle_app/select_values.py).
	"*": {
		"before_validate": ["whistle_app.guard.guard_server_fields", "whistle_app.select_values.normalise"],
		"before_update_after_submit": "whistle_app.guard.guard_server_fields",
		"validate": "whistle_app.security.validate_input",
	},
	# Uploads: safe types only, attached only to documents the user may write (whistle_app/uploads.py)
	"File": {"validate": "whistle_app.uploads.validate_file"},
	"Notification Log": {"before_insert": "whistle_app.security.sanitize_notification"},
	# What the administrator configures, and what the app keeps (issue #22): the app's workflows keep
	# the parts the rules depend on, its notifications their event; a Whistle Administrator who is not
	# a System Manager configures the app's own DocTypes, forms and labels only.
	"Workflow": {
		"before_validate": "whistle_app.workflows.protect",
		"on_trash": "whistle_app.workflows.refuse_delete",
		"onload": "whistle_app.workflows.onload",
	},
	"Notification": {
		"validate": "whistle_app.notifications.protect",
		"onload": "whistle_app.notifications.onload",
	},
	"Web Form": {
		"validate": "whistle_app.configuration.check_scope",
		"on_trash": "whistle_app.configuration.check_scope",
		"onload": "whistle_app.configuration.web_form_onload",
	},
	**{
		doctype: dict.fromkeys(("validate", "on_trash"), "whistle_app.configuration.check_scope")
		for doctype in ("Custom Field", "Property Setter", "Print Format", "Translation", "Workflow State")
	},
	# Document numbers taken atomically, so the first whistles of a new year never collide (issue #24).
	**{doctype: {"autoname": "whistle_app.series.autoname"} for doctype in series_doctypes()},
	# Live supervision board (issue #9): open boards refresh when a slip changes (after commit). The
	# slip's own entry replaces the one above, so it repeats the numbering.
	# The desks' cached figures (issue #21, whistle_app/desk_summary.py) are out of date once a slip, a
	# slip score or a bulletin changes.
	"Whistle Slip": {
		"autoname": "whistle_app.series.autoname",
		"validate": "whistle_app.lifecycle.validate_enterprise",
		"on_update": ["whistle_app.board.publish_slip_change", "whistle_app.desk_cache.on_change"],
		"on_trash": ["whistle_app.board.publish_slip_change", "whistle_app.desk_cache.on_change"],
	},
	"Whistle Slip Score": dict.fromkeys(("on_update", "on_trash"), "whistle_app.desk_cache.on_change"),
	# Rater fairness (RULES §14): a final quarterly evaluation freezes its quarter's rater statistics.
	"Quarterly Evaluation": {"on_update": "whistle_app.fairness.on_evaluation_update"},
	"Supervision Bulletin": dict.fromkeys(
		("on_update", "on_submit", "on_cancel", "on_update_after_submit", "on_trash"),
		"whistle_app.desk_cache.on_change",
	),
}

# Access (RULES §10): one module serves list queries and document checks.
UNIT_SCOPED_DOCTYPES = [
	"Whistle Unit",
	"Whistle Slip",
	"Enterprise",
	"Enterprise Demand",
	"Whistle Extension Request",
	"Whistle Exemption Request",
	"Assessment Exclusion Request",
	"Whistle Rating",
	"Whistle Slip Score",
	"Satisfaction Vote",
	"Supervision Bulletin",
	"Quarterly Evaluation",
	"Annual Evaluation",
	"Snail Award",
	"Accountability Case",
	"Fault Tolerance Application",
	"Coordination Candidate",
	"Coordination Meeting",
	"Coordination Decision",
	"Rater Fairness Statistic",
]
# Their child tables (state history, progress, departments, scores, bulletin rows...) carry the parent's
# scope on every generic list endpoint; read from the DocType files, so a new child table joins alone.
SCOPED_CHILD_DOCTYPES = child_doctypes(UNIT_SCOPED_DOCTYPES)
permission_query_conditions = {
	**{doctype: "whistle_app.permissions.query_conditions" for doctype in UNIT_SCOPED_DOCTYPES},
	**{doctype: "whistle_app.permissions.child_query_conditions" for doctype in SCOPED_CHILD_DOCTYPES},
	# files attached to the app's documents: only those of documents the user may read (Frappe lists
	# every file attached to any DocType the user has a role permission on)
	"File": "whistle_app.permissions.file_query_conditions",
	# open workflow actions: only those of documents the user may read
	"Workflow Action": "whistle_app.permissions.workflow_action_query_conditions",
	# users (with their last login and address): a unit's user sees its own unit's
	"User": "whistle_app.permissions.user_query_conditions",
}
has_permission = {
	**{doctype: "whistle_app.permissions.has_permission" for doctype in UNIT_SCOPED_DOCTYPES},
	"User": "whistle_app.permissions.user_has_permission",
}

# Working-day calendar (RULES §4): fill this year and next from the holidays package each year;
# remind the office from 1 November until next year is confirmed.
scheduler_events = {
	"yearly": [
		"whistle_app.calendar.seed_current_and_next_year",
		# Next year's document number series exist before its first whistle (issue #24).
		"whistle_app.series.ensure_current_and_next_year",
	],
	"daily": [
		"whistle_app.calendar.remind_unconfirmed_next_year",
		# Monthly supervision bulletin (RULES §6): drafted on the first working day of a month.
		"whistle_app.bulletins.drafting.run_monthly_bulletin_job",
		# Quarterly and annual evaluation (RULES §7, §8): after a quarter / year ends, on the long queue.
		"whistle_app.evaluation.jobs.run_evaluation_job",
		# One whistle, one rating (RULES §5): missing drafts, reminders of ratings pending > 3 working days.
		"whistle_app.ratings.reminders.remind_pending_ratings",
		# Rater fairness (RULES §14): the open quarters' statistics and flags, on the long queue.
		"whistle_app.fairness.run_fairness_job",
	],
	# Deadline supervision (RULES §4): reminders, overdue flags, escalation, warning levels.
	"cron": {"*/5 * * * *": ["whistle_app.clocks.run_deadline_job"]},
}
