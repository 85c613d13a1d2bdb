"""The one factory for test data (users in units, sample units)."""

import frappe

from whistle_app.organisation import PARK


def make_unit(name: str, unit_type: str = PARK, **values) -> str:
	if not frappe.db.exists("Whistle Unit", name):
		frappe.get_doc(
			{"doctype": "Whistle Unit", "unit_name": name, "unit_type": unit_type, **values}
		).insert(ignore_permissions=True)
	return name


def make_user(email: str, roles: list[str], unit: str | None = None, first_name: str | None = None) -> str:
	"""A desk user with exactly these roles in this unit (created or updated)."""
	if frappe.db.exists("User", email):
		user = frappe.get_doc("User", email)
		user.set("roles", [])
	else:
		user = frappe.new_doc("User")
		user.email = email
		user.first_name = first_name or email.split("@")[0]
		user.send_welcome_email = 0
		user.user_type = "System User"
	user.whistle_unit = unit
	user.append_roles(*roles)
	user.save(ignore_permissions=True)
	return email
