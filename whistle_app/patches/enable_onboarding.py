"""Sites installed before issue #9: show the administrator's setup steps (Module Onboarding).

New sites get the setting in ``install.set_site_defaults``; the setup wizard, which would set it,
is skipped on purpose.
"""

import frappe


def execute():
	frappe.db.set_single_value("System Settings", "enable_onboarding", 1)
