"""The test site's web server with a clock the tests set: the boundary suite (issue #24) lives through
New Year, a month end and a quarter end with real HTTP clients, so the server must believe the date.

Run by ``tests/integration/test_boundaries.py`` from the bench's ``sites`` folder with the bench's
Python: ``python -P clock_server.py SITE PORT START`` (START an ISO moment with offset). Like the
production server (several gunicorn workers) it answers requests truly in parallel: one forked
process per request, so two requests can interleave inside the database as they do in production
(a threaded server under the GIL almost never does). Each request runs on a ticking frozen clock
(freezegun) read from the clock file: START at first; ``POST /__clock?to=MOMENT`` moves it for the
requests that follow. This file is test tooling: nothing of the app reads it, and the production
server has no such path.
"""

import json
import signal
import sys
import time
from datetime import timedelta
from pathlib import Path

from dateutil import parser
from freezegun import freeze_time
from werkzeug.serving import run_simple
from werkzeug.wrappers import Request, Response


def main(site: str, port: int, start: str) -> None:
	path = Path(f"whistle-clock-{port}.json").resolve()  # in the sites folder, removed on exit
	real_time = time.time  # the clock file counts real seconds, whatever the frozen clock says

	def set_clock(moment: str) -> None:
		path.with_suffix(".tmp").write_text(json.dumps({"to": moment, "at": real_time()}))
		path.with_suffix(".tmp").replace(path)  # atomic: a request never reads half a file

	set_clock(start)
	clock = freeze_time(start, tick=True).start()

	import frappe.app

	frappe.app._site = site
	frappe.app._sites_path = "."

	def application(environ, start_response):
		request = Request(environ)
		if request.path == "/__clock":
			if request.method == "POST":
				set_clock(request.args["to"])
			return Response(path.read_text())(environ, start_response)
		clock_file = json.loads(path.read_text())
		clock.move_to(parser.parse(clock_file["to"]) + timedelta(seconds=real_time() - clock_file["at"]))
		return frappe.app.application(environ, start_response)

	signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # the tests stop it: remove the clock file
	try:
		run_simple("127.0.0.1", port, application, processes=32, use_reloader=False, use_debugger=False)
	finally:
		path.unlink(missing_ok=True)


if __name__ == "__main__":
	main(sys.argv[1], int(sys.argv[2]), sys.argv[3])
