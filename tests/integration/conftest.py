import frappe
import pytest


@pytest.fixture(autouse=True, scope="session")
def _site(frappe_site):
	"""Every integration test runs against the real test site."""
	return frappe_site


@pytest.fixture(autouse=True)
def _rollback_each_test(_site):
	"""Each test's writes are rolled back (FrappeTestCase alone rolls back per class)."""
	yield
	frappe.db.rollback()
	frappe.set_user("Administrator")
	frappe.local.lang = "en"
