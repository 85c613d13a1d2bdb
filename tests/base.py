"""The base class of the integration tests that work with the demo units and users."""

import frappe
from frappe.tests.utils import FrappeTestCase

from tests.factory import ensure_demo


class WhistleTestCase(FrappeTestCase):
	"""Demo data loaded once per session; Chinese messages; Administrator unless a test switches."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		ensure_demo()

	def setUp(self):
		frappe.local.lang = "zh"
		frappe.set_user("Administrator")

	def assert_refused(self, fn, text: str, exc=frappe.ValidationError):
		"""The call fails with ``exc`` whose (Chinese) message contains ``text``, and changes nothing."""
		user = frappe.session.user
		frappe.db.savepoint("refusal")
		try:
			with self.assertRaises(exc) as cm:
				fn()
		finally:
			frappe.db.rollback(save_point="refusal")
			frappe.set_user(user)
		self.assertIn(text, str(cm.exception))
		return cm.exception
