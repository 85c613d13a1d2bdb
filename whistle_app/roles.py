"""The roles of RULES.md §1, in one place.

Role names are English (stable identifiers used in code and permissions); their Chinese labels
come from ``locale/zh.po`` and are shown on a ``zh`` site.
"""

WHISTLE_ADMINISTRATOR = "Whistle Administrator"
WHISTLE_OFFICE = "Whistle Office"
PARK_AGENT = "Park Agent"
PARK_LEADER = "Park Leader"
DEPARTMENT_LIAISON = "Department Liaison"
DEPARTMENT_LEADER = "Department Leader"
DISTRICT_LEADER = "District Leader"
EFFICIENCY_OFFICE = "Efficiency Office"
ENTERPRISE = "Enterprise"

# role -> (Chinese label, desk access)
ROLES: dict[str, tuple[str, bool]] = {
	WHISTLE_ADMINISTRATOR: ("吹哨管理员", True),
	WHISTLE_OFFICE: ("区吹哨办", True),
	PARK_AGENT: ("园区/镇街店小二", True),
	PARK_LEADER: ("园区/镇街负责人", True),
	DEPARTMENT_LIAISON: ("部门报到员", True),
	DEPARTMENT_LEADER: ("部门负责人", True),
	DISTRICT_LEADER: ("区党政主要负责人", True),
	EFFICIENCY_OFFICE: ("区效能办", True),
	ENTERPRISE: ("企业", False),
}

# Role profiles: one per kind of user (record names are shown to administrators as they are).
ROLE_PROFILES: dict[str, list[str]] = {
	"区吹哨办": [WHISTLE_OFFICE],
	"吹哨管理员": [WHISTLE_ADMINISTRATOR, WHISTLE_OFFICE],
	"园区镇街店小二": [PARK_AGENT],
	"园区镇街负责人": [PARK_LEADER],
	"部门报到员": [DEPARTMENT_LIAISON],
	"部门负责人": [DEPARTMENT_LEADER],
	"区党政主要负责人": [DISTRICT_LEADER],
	"区效能办": [EFFICIENCY_OFFICE],
}

# Frappe's configuration DocTypes and the rights the Whistle Administrator holds on each (issue #22):
# custom fields, labels and help texts (Customize Form, Custom Field, Property Setter), print format
# copies (Print Format), the phone forms' fields and texts (Web Form), the notifications' texts and
# recipients (Notification), the workflows' messages and alerts (Workflow), state styles (Workflow
# State), action and state labels (Translation), roles to pick as recipients (Role). The app's own
# DocTypes (Whistle Settings, Rating Template, ...) grant their rights in their JSON.
# ``configuration.check_scope`` keeps an administrator who is not a System Manager to the app's own.
ADMINISTRATOR_RIGHTS: dict[str, tuple[str, ...]] = {
	"Customize Form": ("read", "write", "create"),
	"Custom Field": ("read", "write", "create", "delete"),
	"Property Setter": ("read", "write", "create", "delete"),
	"Print Format": ("read", "write", "create", "delete"),
	"Web Form": ("read", "write"),
	"Notification": ("read", "write"),
	"Workflow": ("read", "write"),
	"Workflow State": ("read", "write"),
	"Translation": ("read", "write", "create", "delete"),
	"Role": ("read",),
}
