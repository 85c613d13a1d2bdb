"""Demo data: one re-runnable entry point (``bench --site SITE whistle-demo``).

Every record is looked up before it is made, so running it again creates nothing twice.
Sample parks and towns are clearly labelled 示例 (the plan names none).
"""

import frappe
from frappe.utils.password import update_password

from whistle_app import roles
from whistle_app.organisation import PARK, TOWN

DEMO_PASSWORD = "Whistle@2026"

# sample whistling units: name -> type
SAMPLE_UNITS: dict[str, str] = {
	"示例园区一": PARK,
	"示例园区二": PARK,
	"示例镇街一": TOWN,
}

# email -> (full name, unit, roles)
DEMO_USERS: dict[str, tuple[str, str, list[str]]] = {
	"office@whistle.localhost": ("吹哨办演示用户", "区吹哨办", [roles.WHISTLE_OFFICE]),
	"admin@whistle.localhost": (
		"吹哨管理员演示用户",
		"区吹哨办",
		[roles.WHISTLE_ADMINISTRATOR, roles.WHISTLE_OFFICE],
	),
	"park1@whistle.localhost": ("示例园区一店小二", "示例园区一", [roles.PARK_AGENT]),
	"park1-leader@whistle.localhost": ("示例园区一负责人", "示例园区一", [roles.PARK_LEADER]),
	"park2@whistle.localhost": ("示例园区二店小二", "示例园区二", [roles.PARK_AGENT]),
	"town1@whistle.localhost": ("示例镇街一店小二", "示例镇街一", [roles.PARK_AGENT]),
	"fgw@whistle.localhost": ("发展和改革委报到员", "发展和改革委", [roles.DEPARTMENT_LIAISON]),
	"fgw-leader@whistle.localhost": ("发展和改革委负责人", "发展和改革委", [roles.DEPARTMENT_LEADER]),
	"zjj@whistle.localhost": ("住房和城乡建设局报到员", "住房和城乡建设局", [roles.DEPARTMENT_LIAISON]),
	"police@whistle.localhost": ("公安分局报到员", "公安分局", [roles.DEPARTMENT_LIAISON]),
	"power@whistle.localhost": ("供电公司报到员", "供电公司", [roles.DEPARTMENT_LIAISON]),
	"leader@whistle.localhost": ("区党政主要负责人演示用户", "区党政领导", [roles.DISTRICT_LEADER]),
	"efficiency@whistle.localhost": ("区效能办演示用户", "区效能办", [roles.EFFICIENCY_OFFICE]),
}

# sample accountability chains of demo departments (fictitious people)
DEMO_CHAINS: dict[str, dict[str, str]] = {
	"发展和改革委": {
		"principal_leader_name": "王示例",
		"principal_leader_post": "主任",
		"principal_leader_phone": "0523-80000001",
		"deputy_leader_name": "李示例",
		"deputy_leader_post": "副主任",
		"deputy_leader_phone": "0523-80000002",
		"division_name": "综合科",
		"division_head_name": "赵示例",
		"division_head_post": "科长",
		"division_head_phone": "0523-80000003",
		"division_head_user": "fgw-leader@whistle.localhost",
	},
	"住房和城乡建设局": {
		"principal_leader_name": "周示例",
		"principal_leader_post": "局长",
		"deputy_leader_name": "吴示例",
		"deputy_leader_post": "副局长",
		"division_name": "建管科",
		"division_head_name": "郑示例",
		"division_head_post": "科长",
	},
}


def setup() -> dict[str, list[str]]:
	"""Create or refresh every demo record; returns what was created."""
	created: dict[str, list[str]] = {"units": [], "users": []}
	for name, unit_type in SAMPLE_UNITS.items():
		if not frappe.db.exists("Whistle Unit", name):
			frappe.get_doc({"doctype": "Whistle Unit", "unit_name": name, "unit_type": unit_type}).insert(
				ignore_permissions=True
			)
			created["units"].append(name)
	for email, (full_name, unit, user_roles) in DEMO_USERS.items():
		if ensure_user(email, full_name, unit, user_roles):
			created["users"].append(email)
	ensure_chains_and_liaisons()
	frappe.db.commit()
	return created


def ensure_user(email: str, full_name: str, unit: str, user_roles: list[str]) -> bool:
	"""Make sure a desk user exists in its unit with exactly its demo roles; True if created."""
	created = not frappe.db.exists("User", email)
	if created:
		user = frappe.new_doc("User")
		user.email = email
		user.first_name = full_name
		user.send_welcome_email = 0
		user.user_type = "System User"
	else:
		user = frappe.get_doc("User", email)
	user.enabled = 1
	user.whistle_unit = unit
	if created or {r.role for r in user.roles} != set(user_roles):
		user.set("roles", [])
		user.append_roles(*user_roles)
	user.save(ignore_permissions=True)
	# The README prints this password: reset it on every run so the demo logins always work.
	update_password(email, DEMO_PASSWORD)
	return created


def ensure_chains_and_liaisons() -> None:
	"""Demo departments get a sample accountability chain and their liaison users."""
	liaisons: dict[str, list[str]] = {}
	for email, (_name, unit, user_roles) in DEMO_USERS.items():
		if roles.DEPARTMENT_LIAISON in user_roles:
			liaisons.setdefault(unit, []).append(email)
	for unit in sorted(set(DEMO_CHAINS) | set(liaisons)):
		doc = frappe.get_doc("Whistle Unit", unit)
		changed = False
		for field, value in DEMO_CHAINS.get(unit, {}).items():
			if not doc.get(field):
				doc.set(field, value)
				changed = True
		listed = {row.user for row in doc.liaisons}
		for email in liaisons.get(unit, []):
			if email not in listed:
				doc.append("liaisons", {"user": email})
				changed = True
		if changed:
			doc.save(ignore_permissions=True)
