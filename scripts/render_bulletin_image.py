"""Render page 1 of a monthly supervision bulletin (print format 月度督查通报) as a PNG for the docs.

Usage (the bench's python; the site needs the demo data, e.g. after `make run` or the tests):

    ~/whistle-bench/env/bin/python scripts/render_bulletin_image.py SITE [OUT]

OUT defaults to docs/images/bulletin-page1.png. The newest published bulletin of the site is printed;
where the site has none (a test site loads the demo data without it), the demo's own bulletin is made
in a transaction that is rolled back afterwards: last month's sample whistles replayed from its first
working day (``demo.ensure_demo_bulletin``), the bulletin drafted now and published by the office. The
PDF comes from wkhtmltopdf through ``frappe.get_print`` in the print format's language (Chinese); page
1 is turned into a PNG by pdftoppm (poppler-utils) at 110 dpi.
"""

import functools
import http.server
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENCH = Path(os.environ.get("WHISTLE_BENCH", Path.home() / "whistle-bench"))
PRINT_FORMAT = "月度督查通报"


class AssetsOnly(http.server.SimpleHTTPRequestHandler):
	"""Serves sites/assets (wkhtmltopdf loads the print stylesheet from the site's host name)."""

	def do_GET(self):
		if not self.path.startswith("/assets/"):
			self.send_error(404)
			return
		super().do_GET()

	def log_message(self, *args):
		pass


def render(site: str, out: Path) -> str:
	import frappe
	from frappe.translate import print_language

	sites = BENCH / "sites"
	os.chdir(sites)
	frappe.init(site=site, sites_path=str(sites))
	frappe.connect()
	server = http.server.ThreadingHTTPServer(
		("127.0.0.1", 0), functools.partial(AssetsOnly, directory=str(sites))
	)
	threading.Thread(target=server.serve_forever, daemon=True).start()
	frappe.local.conf.host_name = f"http://127.0.0.1:{server.server_address[1]}"
	try:
		names = frappe.get_all(
			"Supervision Bulletin", filters={"docstatus": 1}, order_by="year desc, month desc", pluck="name"
		)
		if names:
			name = names[0]
		else:
			from whistle_app.dev import demo

			frappe.flags.in_test = True  # notifications stay in this transaction, which is rolled back
			name = demo.ensure_demo_bulletin()
		language = frappe.db.get_value("Print Format", PRINT_FORMAT, "default_print_language") or "zh"
		with print_language(language):
			pdf = frappe.get_print("Supervision Bulletin", name, print_format=PRINT_FORMAT, as_pdf=True)
	finally:
		frappe.db.rollback()
		server.shutdown()
		frappe.destroy()
	with tempfile.TemporaryDirectory() as tmp:
		path = Path(tmp) / "bulletin.pdf"
		path.write_bytes(pdf)
		out.parent.mkdir(parents=True, exist_ok=True)
		subprocess.run(
			[
				"pdftoppm",
				"-png",
				"-r",
				"110",
				"-f",
				"1",
				"-l",
				"1",
				"-singlefile",
				str(path),
				str(out.with_suffix("")),
			],
			check=True,
		)
	return name


if __name__ == "__main__":
	if len(sys.argv) < 2:
		sys.exit(__doc__)
	target = Path(sys.argv[2]) if len(sys.argv) > 2 else REPO / "docs" / "images" / "bulletin-page1.png"
	print(f"rendered {render(sys.argv[1], target.resolve())} to {target}")
