"""Install smoke: the app is installed from this checkout with Chinese defaults."""

import os
from pathlib import Path

import frappe
from frappe.tests.utils import FrappeTestCase

import whistle_app
from whistle_app.dev import demo
from whistle_app.roles import ROLES

REPO_ROOT = Path(__file__).resolve().parents[2]


class TestInstall(FrappeTestCase):
	def test_app_installed_from_this_checkout(self):
		self.assertIn("whistle_app", frappe.get_installed_apps())
		self.assertEqual(
			Path(os.path.realpath(whistle_app.__file__)).parent,
			REPO_ROOT / "whistle_app",
			"the bench must run this checkout's code",
		)
		self.assertEqual(frappe.get_attr("whistle_app.__version__"), whistle_app.__version__)

	def test_module_present(self):
		self.assertTrue(frappe.db.exists("Module Def", {"name": "Whistle", "app_name": "whistle_app"}))

	def test_language_and_time_zone(self):
		self.assertEqual(frappe.db.get_single_value("System Settings", "language"), "zh")
		self.assertEqual(frappe.db.get_single_value("System Settings", "time_zone"), "Asia/Shanghai")
		self.assertEqual(frappe.utils.get_system_timezone(), "Asia/Shanghai")

	def test_roles_installed_with_chinese_labels(self):
		for role, (label, desk) in ROLES.items():
			self.assertTrue(frappe.db.exists("Role", role), role)
			self.assertEqual(frappe.db.get_value("Role", role, "desk_access"), int(desk), role)
			self.assertEqual(frappe._(role, lang="zh"), label, f"zh translation of {role}")


class TestDemo(FrappeTestCase):
	def test_demo_is_rerunnable(self):
		demo.setup()
		second = demo.setup()
		self.assertEqual(second["users"], [], "a second run creates nothing")
		office = frappe.get_doc("User", "office@whistle.localhost")
		self.assertIn("Whistle Office", [r.role for r in office.roles])
		from frappe.utils.password import check_password

		self.assertEqual(
			check_password("office@whistle.localhost", demo.DEMO_PASSWORD), "office@whistle.localhost"
		)
