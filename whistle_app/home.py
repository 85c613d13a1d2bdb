"""A home per role (issue #20).

* **Desk users** land on their role's workspace through Frappe's own ``User.default_workspace``:
  ``set_default_workspace`` (User ``validate``) fills it from the user's roles for every new or
  changed user, unless the administrator chose another workspace; ``ensure_default_workspaces``
  (migrate, demo) fills it for the users already there.
* **Website users** (enterprises) land on ``/whistle-home`` (``www/whistle-home``), the hook
  ``get_website_user_home_page``; it is also where every web page's 首页 leads, for every role: the
  user's daily pages with what waits on each (``phone.home_counts``).
"""

import frappe

from whistle_app import roles

HOME_ROUTE = "whistle-home"
# the first of these the user holds decides the workspace
ROLE_WORKSPACES: tuple[tuple[tuple[str, ...], str], ...] = (
	((roles.WHISTLE_OFFICE,), "Whistle Office Desk"),
	((roles.DEPARTMENT_LIAISON, roles.DEPARTMENT_LEADER), "Department Desk"),
	((roles.PARK_AGENT, roles.PARK_LEADER), "Park Desk"),
	(
		(roles.WHISTLE_ADMINISTRATOR, roles.DISTRICT_LEADER, roles.EFFICIENCY_OFFICE),
		"Whistle",
	),
)
APP_WORKSPACES = frozenset(workspace for _roles, workspace in ROLE_WORKSPACES)


def workspace_for(user_roles) -> str | None:
	held = set(user_roles)
	for role_group, workspace in ROLE_WORKSPACES:
		if held & set(role_group):
			return workspace
	return None


def website_home_page(user: str) -> str | None:
	"""``get_website_user_home_page``: the app's home page for every signed-in user."""
	return HOME_ROUTE if user and user != "Guest" else None


def set_default_workspace(doc, method: str | None = None) -> None:
	"""User ``validate``: the workspace of the user's roles, unless the administrator chose another."""
	if doc.name in ("Administrator", "Guest") or doc.user_type != "System User":
		return
	if doc.default_workspace and doc.default_workspace not in APP_WORKSPACES:
		return
	workspace = workspace_for(row.role for row in doc.roles)
	if workspace and frappe.db.exists("Workspace", workspace):
		doc.default_workspace = workspace


def ensure_default_workspaces() -> None:
	"""The users already there (migrate, demo): each product user's workspace where it has none."""
	users = frappe.get_all(
		"User",
		filters={"user_type": "System User", "enabled": 1, "name": ("not in", ("Administrator", "Guest"))},
		fields=["name", "default_workspace"],
	)
	for user in users:
		if user.default_workspace and user.default_workspace not in APP_WORKSPACES:
			continue
		workspace = workspace_for(frappe.get_roles(user.name))
		if workspace and workspace != user.default_workspace and frappe.db.exists("Workspace", workspace):
			frappe.db.set_value("User", user.name, "default_workspace", workspace, update_modified=False)


# Frappe's own workspaces that every desk user sees in the sidebar, though only a system manager
# works in them (issue #20: a park or a department saw "Tools" and "Build" beside its own desk; the
# District Leader 用户, 网站 and 集成). Users: the app's administrator keeps it (user accounts).
SYSTEM_ROLES = ("System Manager",)
SYSTEM_WORKSPACES = {
	"Build": SYSTEM_ROLES,
	"Tools": SYSTEM_ROLES,
	"Website": SYSTEM_ROLES,
	"Integrations": SYSTEM_ROLES,
	"Users": (*SYSTEM_ROLES, roles.WHISTLE_ADMINISTRATOR),
}


def restrict_frappe_workspaces() -> None:
	"""After migrate: Frappe's workspaces above only for the roles named, through Frappe's Custom
	Role (the roles a site adds to a standard page or workspace; Frappe's own records stay as shipped)."""
	added = False
	for workspace, workspace_roles in SYSTEM_WORKSPACES.items():
		restricted = frappe.db.exists("Custom Role", {"page": workspace})
		if restricted or not frappe.db.exists("Workspace", workspace):
			continue
		custom = frappe.get_doc(
			{"doctype": "Custom Role", "page": workspace, "roles": [{"role": r} for r in workspace_roles]}
		)
		custom.flags.ignore_links = True  # Custom Role links a Page; Frappe reads it for workspaces too
		custom.insert(ignore_permissions=True)
		added = True
	if added:
		frappe.clear_cache()  # the sidebar is cached per user
