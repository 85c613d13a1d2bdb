"""The product lives through its boundaries (issue #24): a brand-new naming series, New Year with the
next year's calendar unconfirmed and then confirmed, a month end (the first-working-day bulletin) and
a quarter end (the evaluation starts), with concurrent park, office and department clients over real
HTTP at each step.

The web server is the test site's own, started on a clock the test moves (``tests/clock_server.py``);
the scheduled jobs run in this process at the same frozen moments, each twice, and the second run
must change nothing. Everything the walk creates is removed afterwards and the calendar's
confirmation is given back as it was found.
"""

import json
import os
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import frappe
import pytest
from frappe.tests.utils import FrappeTestCase

from tests.conftest import BENCH_DIR, PORT, TEST_SITE
from tests.factory import ensure_demo
from tests.http import Client, server_message
from tests.integration.cleanup import purge, purge_all
from tests.integration.test_concurrency import together
from tests.integration.test_jobs_idempotent import snapshot
from whistle_app import calendar, series
from whistle_app.bulletins.drafting import existing_bulletin
from whistle_app.dev import demo
from whistle_app.evaluation.common import quarterly_name
from whistle_app.surveys import survey_name

PASSWORD = demo.DEMO_PASSWORD
CLOCK_PORT = PORT + 3
SLIP = "Whistle Slip"
PARKS = ["park1", "park2", "town1"]
DEPARTMENT_USERS = {
	"发展和改革委": "fgw",
	"住房和城乡建设局": "zjj",
	"供电公司": "power",
	"公安分局": "police",
}
SUBMITTED = "待审核"


# --- the server on a clock ------------------------------------------------------------------------


class ClockServer:
	def __init__(self, start: str):
		self.base_url = f"http://127.0.0.1:{CLOCK_PORT}"
		log = open(BENCH_DIR / "logs" / "whistle-clock-server.log", "w")
		self.proc = subprocess.Popen(
			[
				sys.executable,
				"-P",  # not the tests folder first on the path: its http.py would hide the standard one
				str(Path(__file__).resolve().parent.parent / "clock_server.py"),
				TEST_SITE,
				str(CLOCK_PORT),
				start,
			],
			cwd=BENCH_DIR / "sites",
			stdout=log,
			stderr=subprocess.STDOUT,
			start_new_session=True,
			env={**os.environ, "CI": "1"},
		)
		self.log = log
		deadline = time.monotonic() + 60
		while not self.ping():
			if self.proc.poll() is not None or time.monotonic() > deadline:
				self.stop()
				pytest.fail(f"the clock server did not start; see {log.name}")
			time.sleep(0.3)

	def ping(self) -> bool:
		try:
			with urllib.request.urlopen(f"{self.base_url}/api/method/ping", timeout=2) as r:
				return b"pong" in r.read()
		except OSError:
			return False

	def move_to(self, moment: str) -> None:
		request = urllib.request.Request(
			f"{self.base_url}/__clock?to={urllib.parse.quote(moment)}", method="POST", data=b""
		)
		with urllib.request.urlopen(request, timeout=10) as r:
			assert r.status == 200

	def stop(self) -> None:
		if self.proc.poll() is None:
			os.killpg(self.proc.pid, 15)
			self.proc.wait(timeout=20)
		self.log.close()


@pytest.fixture(scope="module")
def clock_server(frappe_site):
	ensure_demo()  # the demo users the clients log in as, committed
	server = ClockServer("2026-12-31T23:58:00+08:00")
	yield server
	server.stop()


def clients(server: ClockServer, names: list[str]) -> list[Client]:
	return [Client(server.base_url, f"{name}@whistle.localhost", PASSWORD) for name in names]


def frozen(moment: str):
	"""This process's clock at ``moment`` (Shanghai time), for in-process jobs and checks."""
	return FrappeTestCase().freeze_time(moment)


# --- what the users do, over HTTP -----------------------------------------------------------------


def ok(response) -> dict:
	assert response.status_code == 200, (
		response.status_code,
		server_message(response) or response.text[:300],
	)
	return response.json()


def file_whistle(client: Client, title: str, submit: bool = True) -> str:
	data = {
		"doctype": SLIP,
		"title": title,
		"category": "Comprehensive Coordination",
		"description": "跨年边界测试：企业反映的问题",
	}
	name = ok(client.post(f"/api/resource/{SLIP}", {"data": json.dumps(data)}))["data"]["name"]
	if submit:
		ok(client.post("/api/method/whistle_app.lifecycle.act", {"slip": name, "action": "提交吹哨"}))
	return name


def dispatch(client: Client, name: str, departments: list[tuple[str, str]]) -> str:
	rows = [
		{"department": d, "department_role": role, "assigned_task": "配合办理" if role == "Co" else None}
		for d, role in departments
	]
	scope = "Single" if len(departments) == 1 else "Multi"
	ok(client.put(f"/api/resource/{SLIP}/{name}", {"scope": scope, "departments": rows}))
	return ok(client.post("/api/method/whistle_app.lifecycle.act", {"slip": name, "action": "派单"}))[
		"message"
	]


def act(client: Client, name: str, action: str, reason: str | None = None, **values) -> str:
	if values:
		ok(client.put(f"/api/resource/{SLIP}/{name}", values))
	data = {"slip": name, "action": action, **({"reason": reason} if reason else {})}
	return ok(client.post("/api/method/whistle_app.lifecycle.act", data))["message"]


def number(name: str) -> int:
	return int(name.rsplit("-", 1)[1])


def assert_consecutive(names: list[str], prefix: str) -> None:
	assert all(n.startswith(prefix) for n in names), names
	numbers = sorted(number(n) for n in names)
	assert numbers == list(range(numbers[0], numbers[0] + len(names))), names


def slip_values(name: str, *fields: str) -> dict:
	frappe.db.rollback()  # read what the server committed
	return frappe.db.get_value(SLIP, name, list(fields), as_dict=True)


# --- a brand-new series ---------------------------------------------------------------------------


def test_ten_creators_of_a_brand_new_series_get_consecutive_numbers(clock_server):
	"""The first whistles of a year whose series row does not exist yet (as on a site installed before
	the app created the rows, or a key first used today): ten park clients at the same moment."""
	key = "CS-2031-"
	frappe.db.rollback()
	assert not frappe.get_all(SLIP, filters={"name": ("like", f"{key}%")}, limit=1)
	frappe.db.delete("Series", {"name": key})
	frappe.db.commit()
	clock_server.move_to("2031-03-03T10:00:00+08:00")
	parks = clients(clock_server, [PARKS[i % 3] for i in range(10)])
	names: list[str] = []
	try:
		responses = together(
			[
				lambda c=c, i=i: c.post(
					f"/api/resource/{SLIP}",
					{
						"data": json.dumps(
							{
								"doctype": SLIP,
								"title": f"新号段{i}",
								"category": "Comprehensive Coordination",
								"description": "新号段并发",
							}
						)
					},
				)
				for i, c in enumerate(parks)
			]
		)
		names = [r.json().get("data", {}).get("name") for r in responses if r.status_code == 200]
		assert [r.status_code for r in responses] == [200] * 10, [server_message(r) for r in responses]
		assert sorted(names) == [f"{key}{i:05d}" for i in range(1, 11)]
	finally:
		frappe.db.rollback()
		purge(SLIP, names)
		frappe.db.delete("Series", {"name": key})
		frappe.db.commit()


def test_install_migrate_and_the_yearly_job_create_next_years_series():
	"""Every series the app numbers from exists for this year and next, with its counter untouched."""
	with frozen("2027-01-01 00:00:00"):
		series.ensure_current_and_next_year()
		for doctype in series.SERIES_DOCTYPES:
			for pattern in series.patterns(doctype):
				for year in (2027, 2028):
					assert frappe.db.exists("Series", series.key_in_year(pattern, year)), (pattern, year)
		before = frappe.get_all("Series", fields=["name", "current"], order_by="name")
		assert series.ensure_current_and_next_year() == []
		assert frappe.get_all("Series", fields=["name", "current"], order_by="name") == before
	assert "whistle_app.series.ensure_current_and_next_year" in frappe.get_hooks("scheduler_events")["yearly"]
	frappe.db.rollback()


# --- New Year, a month end and a quarter end ---------------------------------------------------------


@pytest.fixture
def walk(clock_server):
	"""What the walk created, removed afterwards; 2027's confirmation as it was found."""
	frappe.db.rollback()
	confirmed = frappe.db.get_value("Work Calendar Year", "2027", "confirmed")
	survey = frappe.db.get_value("Satisfaction Survey", survey_name(2026, 4), "status")
	periodic = ("Supervision Bulletin", "Quarterly Evaluation", "Annual Evaluation")
	had = {doctype: set(frappe.get_all(doctype, pluck="name")) for doctype in periodic}
	created: list[tuple[str, str]] = []
	# the deadline job flags every open slip at the walk's dates and confirming 2027 clears calendar
	# warnings: the slips found here (the demo's) get their flags and warnings back as they were
	kept = {
		SLIP: ["warning_level", "overdue", "calendar_warning"],
		"Whistle Slip Department": ["warning_level", "overdue"],
	}
	found = {doctype: frappe.get_all(doctype, fields=["name", *fields]) for doctype, fields in kept.items()}
	lang, frappe.local.lang = frappe.local.lang, "zh"  # the warnings as the server writes them
	yield created
	frappe.local.lang = lang
	frappe.db.rollback()
	for doctype in periodic:  # what the jobs made on the walk
		created.extend((doctype, n) for n in set(frappe.get_all(doctype, pluck="name")) - had[doctype])
	purge_all(created)
	if survey:
		frappe.db.set_value(
			"Satisfaction Survey", survey_name(2026, 4), "status", survey, update_modified=False
		)
	frappe.db.set_value("Work Calendar Year", "2027", "confirmed", confirmed, update_modified=False)
	for doctype, rows in found.items():
		for row in rows:
			values = {field: row[field] for field in kept[doctype]}
			frappe.db.set_value(doctype, row.name, values, update_modified=False)
	frappe.db.commit()
	calendar.invalidate_work_calendar()


def run_twice(job: str, first: str, second: str) -> None:
	"""A scheduled job at ``first`` and again at ``second``: the second run changes nothing."""
	frappe.flags.run_jobs_inline = True
	try:
		with frozen(first):
			frappe.get_attr(job)()
		frappe.db.commit()
		after_first = snapshot()
		with frozen(second):
			frappe.get_attr(job)()
		assert snapshot() == after_first, f"{job} changed the database on its second run"
		frappe.db.commit()
	finally:
		frappe.flags.run_jobs_inline = False


def test_new_year_with_the_next_calendar_unconfirmed_then_confirmed(clock_server, walk):
	# 2027 is not confirmed yet, as on a real 31 December before the office checks the notice
	frappe.db.set_value("Work Calendar Year", "2027", "confirmed", 0, update_modified=False)
	frappe.db.commit()
	calendar.invalidate_work_calendar()
	# 23:59 on 31 December (the clock moves before anyone logs in, and users log in again after each
	# jump of hours or days: a session lives 8 hours of the server's clock, install.py): six parks
	# file at the same moment, numbered in 2026
	clock_server.move_to("2026-12-31T23:59:00+08:00")
	office = clients(clock_server, ["office"] * 3)
	park_clients = clients(clock_server, PARKS * 2)
	old_year = together(
		[lambda c=c, i=i: file_whistle(c, f"年末吹哨{i}") for i, c in enumerate(park_clients)]
	)
	walk.extend((SLIP, n) for n in old_year)
	assert_consecutive(old_year, "CS-2026-")

	# 23:59:30: the office dispatches three of them at once; the response deadline is the first working
	# day of 2027 (New Year 1–3 January are rest days) and carries the unconfirmed-year warning
	clock_server.move_to("2026-12-31T23:59:30+08:00")
	routes = [[("发展和改革委", "Sole")], [("住房和城乡建设局", "Sole")], [("供电公司", "Sole")]]
	states = together(
		[
			lambda c=c, s=s, r=r: dispatch(c, s, r)
			for c, s, r in zip(office, old_year[:3], routes, strict=True)
		]
	)
	assert states == ["待报到"] * 3
	for name in old_year[:3]:
		row = slip_values(name, "response_deadline", "calendar_warning")
		assert str(row.response_deadline) == "2027-01-04 23:59:59", row
		assert row.calendar_warning == calendar.unconfirmed_year_message(2027), row

	# midnight passes: new whistles are numbered in 2027, the 2026 one is reported on time on New
	# Year's Day, and a whistle dispatched on the holiday counts from the first working day
	clock_server.move_to("2027-01-01T00:00:10+08:00")
	fgw = clients(clock_server, ["fgw"])[0]
	report = {
		"planned_completion": "2027-01-29",
		"work_plan": "现场办公，按期办结",
		"responsible_persons": "赵示例",
	}
	results = together(
		[lambda c=c, i=i: file_whistle(c, f"新年吹哨{i}") for i, c in enumerate(park_clients[:4])]
		+ [
			lambda: act(fgw, old_year[0], "报到", **report),
			lambda: dispatch(office[0], old_year[3], [("公安分局", "Sole")]),
		]
	)
	new_year, (reported, dispatched) = results[:4], results[4:]
	walk.extend((SLIP, n) for n in new_year)
	assert_consecutive(new_year, "CS-2027-")
	assert (reported, dispatched) == ("待审核抄送", "待报到")
	row = slip_values(old_year[0], "response_status", "reported_on")
	assert row.response_status == "Met" and str(row.reported_on).startswith("2027-01-01 00:00"), row
	row = slip_values(old_year[3], "response_deadline", "calendar_warning")
	assert str(
		row.response_deadline
	) == "2027-01-04 23:59:59" and row.calendar_warning == calendar.unconfirmed_year_message(2027)

	# the first working day of 2027, 08:30: reminders for the three responses due today, sent once;
	# December's bulletin drafted once; the fourth quarter's evaluation started once
	run_twice("whistle_app.clocks.run_deadline_job", "2027-01-04 08:30:00", "2027-01-04 08:35:00")
	reminded = frappe.get_all(
		"Whistle Clock Event", filters={"slip": ("in", old_year), "kind": "reminder"}, pluck="slip"
	)
	assert sorted(reminded) == sorted(old_year[1:4]), reminded
	run_twice(
		"whistle_app.bulletins.drafting.run_monthly_bulletin_job",
		"2027-01-04 08:40:00",
		"2027-01-04 08:45:00",
	)
	bulletin = existing_bulletin(2026, 12)
	assert bulletin, "December's bulletin is drafted on the first working day of January"
	received = dict(
		frappe.get_all(
			"Supervision Bulletin Unit",
			filters={
				"parent": bulletin,
				"department": ("in", ["发展和改革委", "住房和城乡建设局", "供电公司"]),
			},
			fields=["department", "slips_received"],
			as_list=True,
		)
	)
	assert all(received.get(d, 0) >= 1 for d in ("发展和改革委", "住房和城乡建设局", "供电公司")), received
	# the office closes the fourth quarter's satisfaction survey (if one is open), and the evaluation
	# of the quarter starts
	survey = frappe.db.get_value("Satisfaction Survey", survey_name(2026, 4), "status")
	if survey and survey != "Closed":
		clock_server.move_to("2027-01-04T08:48:00+08:00")
		office = clients(clock_server, ["office"] * 3)  # days later: everyone logs in again
		ok(office[2].post("/api/method/whistle_app.surveys.close_survey", {"survey": survey_name(2026, 4)}))
	run_twice("whistle_app.evaluation.jobs.run_evaluation_job", "2027-01-04 08:50:00", "2027-01-04 08:55:00")
	assert frappe.db.exists("Quarterly Evaluation", quarterly_name(2026, 4))

	# 10:00: the administrator confirms 2027 over HTTP; open deadlines are kept (the notice matches the
	# package) and every warning goes, on open and answered slips alike
	clock_server.move_to("2027-01-04T10:00:00+08:00")
	admin = clients(clock_server, ["admin"])[0]
	ok(admin.post("/api/method/whistle_app.calendar.confirm_year", {"year": 2027}))
	for name in old_year[:4]:
		row = slip_values(name, "response_deadline", "calendar_warning")
		assert str(row.response_deadline) == "2027-01-04 23:59:59" and not row.calendar_warning, (name, row)

	# just after midnight on 5 January: the three unanswered responses are overdue, escalated once;
	# a department reporting now is late, and the office goes on working at the same moment
	clock_server.move_to("2027-01-05T00:00:30+08:00")
	office = clients(clock_server, ["office"] * 3)
	run_twice("whistle_app.clocks.run_deadline_job", "2027-01-05 00:00:30", "2027-01-05 00:05:30")
	escalated = frappe.get_all(
		"Whistle Clock Event", filters={"slip": ("in", old_year), "kind": "escalation"}, pluck="slip"
	)
	assert sorted(escalated) == sorted(old_year[1:4]), escalated
	zjj = clients(clock_server, ["zjj"])[0]
	late, reviewed = together(
		[lambda: act(zjj, old_year[1], "报到", **report), lambda: act(office[1], old_year[0], "审核抄送")]
	)
	assert (late, reviewed) == ("待审核抄送", "办理中")
	assert slip_values(old_year[1], "response_status").response_status == "Late"

	# 9:00: the department completes, the park confirms: the rating is numbered in 2027's series
	clock_server.move_to("2027-01-05T09:00:00+08:00")
	fgw = clients(clock_server, ["fgw"])[0]
	assert act(fgw, old_year[0], "办结", result="已在新年办结") == "待确认评价"
	park_of_slip = frappe.db.get_value(SLIP, old_year[0], "owner").split("@")[0]
	park = clients(clock_server, [park_of_slip])[0]
	act(park, old_year[0], "确认解决")
	frappe.db.rollback()
	ratings = frappe.get_all("Whistle Rating", filters={"slip": old_year[0]}, pluck="name")
	assert ratings and all(r.startswith("PJ-2027-") for r in ratings), ratings

	# nothing was numbered twice, and no request failed on the way (every call above asserted 200)
	frappe.db.rollback()
	assert len(set(old_year + new_year)) == len(old_year + new_year)


def test_a_month_end_inside_a_quarter(clock_server, walk):
	"""Friday 29 January to Monday 1 February 2027: a deadline that crosses the month end, a report on
	the last evening of the month, January's bulletin on the first working day of February, and no
	evaluation (the quarter is not over)."""
	clock_server.move_to("2027-01-29T16:00:00+08:00")  # first: a session lives 8 hours of the server's clock
	office = clients(clock_server, ["office"] * 2)
	park_clients = clients(clock_server, PARKS)
	filed = together([lambda c=c, i=i: file_whistle(c, f"月末吹哨{i}") for i, c in enumerate(park_clients)])
	walk.extend((SLIP, n) for n in filed)
	assert_consecutive(filed, "CS-2027-")
	routes = [[("发展和改革委", "Sole")], [("住房和城乡建设局", "Sole")]]
	assert (
		together(
			[
				lambda c=c, s=s, r=r: dispatch(c, s, r)
				for c, s, r in zip(office, filed[:2], routes, strict=True)
			]
		)
		== ["待报到"] * 2
	)
	for name in filed[:2]:
		assert str(slip_values(name, "response_deadline").response_deadline) == "2027-02-01 23:59:59"

	# Sunday 31 January, 23:59:50: one department reports, the office dispatches the third whistle
	clock_server.move_to("2027-01-31T23:59:50+08:00")
	office = clients(clock_server, ["office"] * 2)  # days later: everyone logs in again
	fgw = clients(clock_server, ["fgw"])[0]
	report = {"planned_completion": "2027-02-26", "work_plan": "现场办公", "responsible_persons": "赵示例"}
	assert together(
		[
			lambda: act(fgw, filed[0], "报到", **report),
			lambda: dispatch(office[0], filed[2], [("供电公司", "Sole")]),
		]
	) == ["待审核抄送", "待报到"]
	assert slip_values(filed[0], "response_status").response_status == "Met"
	# dispatched on a Sunday (a rest day): the first working day after it is the first counted (§4)
	assert str(slip_values(filed[2], "response_deadline").response_deadline) == "2027-02-01 23:59:59"

	run_twice("whistle_app.clocks.run_deadline_job", "2027-02-01 08:30:00", "2027-02-01 08:35:00")
	reminded = frappe.get_all(
		"Whistle Clock Event", filters={"slip": ("in", filed), "kind": "reminder"}, pluck="slip"
	)
	assert sorted(reminded) == sorted(filed[1:]), reminded
	run_twice(
		"whistle_app.bulletins.drafting.run_monthly_bulletin_job",
		"2027-02-01 08:40:00",
		"2027-02-01 08:45:00",
	)
	bulletin = existing_bulletin(2027, 1)
	assert bulletin, "January's bulletin is drafted on the first working day of February"
	received = dict(
		frappe.get_all(
			"Supervision Bulletin Unit",
			filters={"parent": bulletin, "department": ("in", ["发展和改革委", "住房和城乡建设局"])},
			fields=["department", "slips_received"],
			as_list=True,
		)
	)
	assert received.get("发展和改革委", 0) >= 1 and received.get("住房和城乡建设局", 0) >= 1, received
	run_twice("whistle_app.evaluation.jobs.run_evaluation_job", "2027-02-01 08:50:00", "2027-02-01 08:55:00")
	assert not frappe.db.exists("Quarterly Evaluation", quarterly_name(2027, 1)), "the quarter is not over"
