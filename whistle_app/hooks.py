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

# Installation
# ------------
after_install = "whistle_app.install.after_install"

# Fixtures: only this app's own records, always filtered.
fixtures = [{"dt": "Role", "filters": [["name", "in", list(ROLES)]]}]
