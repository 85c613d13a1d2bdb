import pytest


@pytest.fixture(autouse=True, scope="session")
def _site(frappe_site):
	"""Every integration test runs against the real test site."""
	return frappe_site
