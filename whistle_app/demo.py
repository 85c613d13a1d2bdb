"""Demo data: one re-runnable entry point (``bench --site SITE whistle-demo``).

Every record is looked up before it is made, so running it again changes nothing.
"""

import frappe
from frappe.utils.password import update_password

from whistle_app import roles

DEMO_PASSWORD = "Whistle@2026"

# email -> (first name, roles)
DEMO_USERS: dict[str, tuple[str, list[str]]] = {
	"office@whistle.localhost": ("吹哨办演示用户", [roles.WHISTLE_OFFICE]),
	"admin@whistle.localhost": ("吹哨管理员演示用户", [roles.WHISTLE_ADMINISTRATOR, roles.WHISTLE_OFFICE]),
}


def setup() -> dict[str, list[str]]:
	"""Create or update every demo record; returns what was created."""
	created = {
		"users": [ensure_user(email, name, user_roles) for email, (name, user_roles) in DEMO_USERS.items()]
	}
	frappe.db.commit()
	return {key: [v for v in values if v] for key, values in created.items()}


def ensure_user(email: str, first_name: str, user_roles: list[str]) -> str | None:
	"""Make sure a desk user exists with the demo password and exactly its demo roles."""
	created = False
	if frappe.db.exists("User", email):
		user = frappe.get_doc("User", email)
	else:
		user = frappe.new_doc("User")
		user.email = email
		user.first_name = first_name
		user.send_welcome_email = 0
		user.user_type = "System User"
		created = True
	user.enabled = 1
	current = {r.role for r in user.roles}
	if created or current != set(user_roles):
		user.set("roles", [])
		user.append_roles(*user_roles)
	user.save(ignore_permissions=True)
	# The README prints this password: reset it on every run so the demo logins always work.
	update_password(email, DEMO_PASSWORD)
	return email if created else None
