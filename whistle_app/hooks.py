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
web_include_js = "/assets/whistle_app/js/whistle_web.js"
# Desk: shared form helpers (reason prompt of workflow actions)
app_include_js = "/assets/whistle_app/js/whistle_desk.js"

# Print formats: numbers rounded half-up as the evaluation compares them (RULES §7, §8)
jinja = {"methods": ["whistle_app.evaluation.whistle_number"]}

# Web pages: the title of a web form showing a document of the app stays text (whistle_app/security.py)
update_website_context = ["whistle_app.security.safe_page_title"]

# Installation
# ------------
after_install = "whistle_app.install.after_install"
after_migrate = "whistle_app.install.after_migrate"

# Fixtures: only this app's own records, always filtered.
fixtures = [
	{"dt": "Role", "filters": [["name", "in", list(ROLES)]]},
	{"dt": "Custom Field", "filters": [["name", "in", ["User-whistle_unit"]]]},
]

# every request and job reads committed data without gap locks (see whistle_app/transactions.py)
before_request = ["whistle_app.transactions.read_committed"]
before_job = ["whistle_app.transactions.read_committed"]

# Users and units (RULES §1)
doc_events = {
	"User": {
		"validate": "whistle_app.organisation.validate_user",
		"on_update": "whistle_app.organisation.on_user_change",
		"on_trash": "whistle_app.organisation.on_user_change",
	},
	# Input limits and plain text for every DocType of the app (issue #11, whistle_app/security.py).
	"*": {"validate": "whistle_app.security.validate_input"},
	"Notification Log": {"before_insert": "whistle_app.security.sanitize_notification"},
	# Live supervision board (issue #9): open boards refresh when a slip changes (after commit).
	"Whistle Slip": {
		"on_update": "whistle_app.board.publish_slip_change",
		"on_trash": "whistle_app.board.publish_slip_change",
	},
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
]
permission_query_conditions = {
	doctype: "whistle_app.permissions.query_conditions" for doctype in UNIT_SCOPED_DOCTYPES
}
has_permission = {doctype: "whistle_app.permissions.has_permission" for doctype in UNIT_SCOPED_DOCTYPES}

# Working-day calendar (RULES §4): fill this year and next from the holidays package each year;
# remind the office from 1 November until next year is confirmed.
scheduler_events = {
	"yearly": ["whistle_app.calendar.seed_current_and_next_year"],
	"daily": [
		"whistle_app.calendar.remind_unconfirmed_next_year",
		# Monthly supervision bulletin (RULES §6): drafted on the first working day of a month.
		"whistle_app.bulletins.run_monthly_bulletin_job",
		# Quarterly and annual evaluation (RULES §7, §8): after a quarter / year ends, on the long queue.
		"whistle_app.evaluation.run_evaluation_job",
		# One whistle, one rating (RULES §5): missing drafts, reminders of ratings pending > 3 working days.
		"whistle_app.ratings.remind_pending_ratings",
	],
	# Deadline supervision (RULES §4): reminders, overdue flags, escalation, warning levels.
	"cron": {"*/5 * * * *": ["whistle_app.clocks.run_deadline_job"]},
}
