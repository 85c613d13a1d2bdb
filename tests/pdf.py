"""PDF tests: wkhtmltopdf loads print.bundle.css from the site's host_name by absolute URL and fails
the whole PDF when that host does not answer (a test site has no web server), so a test class that
renders PDFs serves sites/assets itself, as `bench serve` would."""

import functools
import http.server
import threading

import frappe


class _AssetsOnly(http.server.SimpleHTTPRequestHandler):
	"""Serves sites/assets read-only; 404 for all else."""

	def do_GET(self):
		if not self.path.startswith("/assets/"):
			self.send_error(404)
			return
		super().do_GET()

	def log_message(self, *args):
		pass


class AssetsServerMixin:
	"""Put first among a FrappeTestCase's bases: an assets server and host_name for the class."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		handler = functools.partial(_AssetsOnly, directory=frappe.local.sites_path)
		cls.assets_server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
		threading.Thread(target=cls.assets_server.serve_forever, daemon=True).start()
		cls.saved_host_name = frappe.local.conf.get("host_name")
		frappe.local.conf.host_name = f"http://127.0.0.1:{cls.assets_server.server_address[1]}"

	@classmethod
	def tearDownClass(cls):
		cls.assets_server.shutdown()
		cls.assets_server.server_close()
		frappe.local.conf.host_name = cls.saved_host_name
		super().tearDownClass()
