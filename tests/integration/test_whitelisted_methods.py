"""Every whitelisted method of the app (issue #11): type hints on every parameter, guests only on the
enterprise web-form paths and rate-limited, and each method refuses a user without rights over HTTP.

``REFUSALS`` is the table: one line per whitelisted method with the user who has no right to it and
the arguments; a new whitelisted method fails ``test_every_method_has_a_refusal_line`` until it
gets its line.
"""

import importlib
import inspect
import pkgutil

import frappe
import pytest
import requests

import whistle_app
from tests.factory import ensure_demo
from tests.http import Client
from tests.integration import permission_matrix as pm
from tests.integration.cleanup import purge_all
from whistle_app.dev import demo, demo_accountability
from whistle_app.rules import survey as sv

# Guests may call only what the enterprise demand and satisfaction survey web forms need, and each
# such method is rate-limited (none is open to guests today: both forms ask for a login first).
GUEST_ALLOWED: frozenset[str] = frozenset()


def import_all_modules() -> None:
	for module in pkgutil.walk_packages(whistle_app.__path__, "whistle_app."):
		importlib.import_module(module.name)


def app_methods() -> dict[str, object]:
	"""Dotted path -> function of every whitelisted function or document method of the app."""
	import_all_modules()
	return {
		f"{fn.__module__}.{fn.__qualname__}": fn
		for fn in frappe.whitelisted
		if getattr(fn, "__module__", "").startswith("whistle_app")
	}


def is_rate_limited(fn) -> bool:
	"""Some wrapper in the chain (frappe's own wrappers use functools.wraps) is frappe's rate limiter."""
	while fn is not None:
		code = getattr(fn, "__code__", None)
		if code and code.co_filename.replace("\\", "/").endswith("frappe/rate_limiter.py"):
			return True
		fn = getattr(fn, "__wrapped__", None)
	return False


def test_every_parameter_has_a_type_hint(frappe_site):
	missing = []
	methods = app_methods()
	assert len(methods) >= 30, sorted(methods)
	for path, fn in methods.items():
		for name, param in inspect.signature(fn).parameters.items():
			if name == "self" or param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
				continue
			if param.annotation is inspect.Parameter.empty:
				missing.append(f"{path}({name})")
	assert not missing, f"parameters without a type hint: {missing}"


def test_guests_only_on_the_web_form_paths_and_rate_limited(frappe_site):
	methods = app_methods()
	guest = {path for path, fn in methods.items() if fn in frappe.guest_methods}
	assert guest <= GUEST_ALLOWED, f"open to guests without being a web-form path: {guest - GUEST_ALLOWED}"
	assert all(is_rate_limited(methods[path]) for path in guest), "guest methods must be rate-limited"
	# the one public write of the survey page is rate-limited too
	assert is_rate_limited(methods["whistle_app.surveys.cast_vote"])


# --- refusals over HTTP -----------------------------------------------------------------------------------

SLIP_PARK1 = "示例：消防验收排期过长（报到逾期）"  # demo: 示例园区一 → 住房和城乡建设局, awaiting the report
CLOSED_PARK2 = "示例：标准厂房规划调整（已销号）"  # demo: closed, rated by 示例园区二 and 发展和改革委
DOC_METHOD = "/api/method/run_doc_method"
YEAR = "2026"


def refusals(names: dict) -> dict[str, tuple]:
	"""Method path -> (demo user without the right, or Guest; arguments[; HTTP status, default 403])."""
	slip, demand, rating, survey, request = (
		names["slip"],
		names["demand"],
		names["rating"],
		names["survey"],
		names["request"],
	)
	scores = '{"响应速度": 1}'
	cal = "whistle_app.whistle.doctype.work_calendar_year.work_calendar_year.WorkCalendarYear"
	return {
		"whistle_app.lifecycle.act": ("park2", {"slip": slip, "action": "报到"}),
		# Frappe's generic endpoints as the app answers them (whistle_app/endpoints.py)
		"whistle_app.endpoints.get_count": ("park1", {"doctype": "Whistle Rating Comment"}),
		"whistle_app.uploads.upload_file": (
			"park2",
			{"doctype": "Whistle Slip", "docname": slip, "file_url": "/files/x.png", "file_name": "x.png"},
		),
		"whistle_app.endpoints.toggle_like": (
			"park2",
			{"doctype": "Whistle Slip", "name": slip, "add": "Yes"},
		),
		# the desk asks for every link's title: for an unreadable document it answers nothing, not an error
		"whistle_app.endpoints.get_link_title": ("park2", {"doctype": "Whistle Slip", "docname": slip}, 200),
		"whistle_app.lifecycle.available_actions": ("park2", {"slip": slip}),
		"whistle_app.lifecycle.add_progress": ("fgw", {"slip": slip, "content": "越权"}),
		"whistle_app.calendar.confirm_year": ("park1", {"year": YEAR}),
		"whistle_app.calendar.revoke_year_confirmation": ("office", {"year": YEAR}),
		"whistle_app.calendar.get_calendar_warnings": ("Guest", {}),
		"whistle_app.api.get_deadline": ("Guest", {"start": "2026-03-02T10:00:00+08:00", "working_days": 1}),
		"whistle_app.clocks.get_warning_summary": ("Guest", {}),
		"whistle_app.board.get_board": ("ent1", {}),
		"whistle_app.league.get_league": ("park1", {}),  # parks and enterprises see no league
		# a desk's figures only for the desk's roles
		"whistle_app.desk_summary.get_summary": ("park1", {"workspace": "Whistle Office Desk"}),
		"whistle_app.bulletins.drafting.draft_now": ("park1", {"year": 2097, "month": 1}),
		"whistle_app.bulletins.drafting.recount": ("park1", {"name": "no-such-bulletin"}),
		"whistle_app.bulletins.drafting.make_correction": (
			"park1",
			{"name": "no-such-bulletin", "reason": "x"},
		),
		"whistle_app.bulletins.drafting.publish": ("park1", {"name": "no-such-bulletin"}),
		"whistle_app.demand.resolve_locally": ("park2", {"demand": demand, "resolution": "越权"}),
		"whistle_app.demand.escalate": ("park2", {"demand": demand}),
		"whistle_app.demand.get_public_progress": ("park2", {"demand": demand}),
		"whistle_app.demand.get_slip_categories": ("Guest", {}),
		"whistle_app.analysis.repeat_info": ("park2", {"doctype": "Whistle Slip", "name": slip}),
		"whistle_app.analysis.sub_topic_options": ("Guest", {}),
		"whistle_app.analysis.suggest_focus_topic": ("park1", {"month": "2026-11-01"}),
		# only the office reviews a rater fairness flag (RULES §14)
		"whistle_app.fairness.review_flag": (
			"fgw",
			{"name": "no-such-statistic", "flag": "Lenient", "outcome": "No Issue"},
		),
		"whistle_app.surveys.create_survey": ("park1", {"year": 2097, "quarter": 1}),
		"whistle_app.surveys.open_survey": ("park1", {"survey": survey}),
		"whistle_app.surveys.close_survey": ("fgw", {"survey": survey}),
		"whistle_app.surveys.get_ballot": ("park1", {}),
		"whistle_app.surveys.cast_vote": (
			"park1",
			{"survey": survey, "unit": "发展和改革委", "level": "满意"},
		),
		"whistle_app.surveys.survey_results": ("park1", {"survey": survey}),
		"whistle_app.evaluation.snail.decide_snail_award": (
			"office",
			{"name": "no-such-award", "decision": "x"},
		),
		"whistle_app.urging.urge": ("park2", {"slip": slip, "message": "越权"}),
		# the phone pages (issue #20): another park's whistle; a department registering an enterprise
		"whistle_app.phone.slip_facts": ("park2", {"slip": slip}),
		"whistle_app.phone.take_step": (
			"park2",
			{"slip": slip, "step": "添加进展", "values": '{"content": "越权"}'},
		),
		"whistle_app.phone.file_request": (
			"park2",
			{"slip": slip, "doctype": "Whistle Extension Request", "values": '{"reason": "越权"}'},
		),
		"whistle_app.phone.add_enterprise": (
			"fgw",
			{"enterprise_name": "越权企业", "credit_code": "91320000MA1X000000"},
		),
		"whistle_app.urging.urge_status": ("park2", {"slip": slip}),
		"whistle_app.evaluation.snail.propose_from_bulletins": (
			"fgw",
			{"unit": "发展和改革委", "year": 2026, "quarter": 1, "bulletins": "[]", "reason": "越权"},
		),
		"whistle_app.evaluation.jobs.evaluate_now": ("park1", {"year": 2097, "quarter": 1}),
		"whistle_app.evaluation.jobs.finalise": ("fgw", {"year": 2097, "quarter": 1}),
		"whistle_app.evaluation.report.latest_period": ("park1", {}),
		"whistle_app.ratings.drafts.rating_tasks": ("park2", {"slip": slip}),
		# checks the slip's read permission first (SECURITY-FINDINGS.md F3)
		"whistle_app.ratings.drafts.rate": (
			"park2",
			{"slip": slip, "rated_department": "住房和城乡建设局", "scores": scores},
		),
		"whistle_app.ratings.drafts.cancel_rating": ("fgw", {"name": rating, "reason": "越权"}),
		"whistle_app.ratings.drafts.amend_rating": ("fgw", {"name": rating, "scores": scores}),
		"whistle_app.ratings.drafts.save_draft": ("fgw", {"name": rating, "scores": scores}),
		"whistle_app.ratings.drafts.submit_rating": ("fgw", {"name": rating, "scores": scores}),
		"whistle_app.ratings.page.pending_ratings": ("Guest", {}),
		"whistle_app.ratings.page.rating_form": ("park1", {"name": rating}),
		"whistle_app.ratings.comments.set_comment_hidden_from_rated": ("park1", {"hide": 1}),
		# 发展和改革委 never reads 住房和城乡建设局's accountability case (RULES §13)
		"whistle_app.accountability.act": (
			"fgw",
			{"doctype": "Accountability Case", "name": names["case"], "action": "办结", "reason": "越权"},
		),
		# the District Head's coordination (RULES §12): only the office schedules, nominates and
		# decides the queue; another park neither asks for nor reads park1's whistle's history
		"whistle_app.coordination.act": (
			"fgw",
			{"doctype": "Whistle Slip", "name": slip, "action": "印发纪要"},
			417,
		),
		"whistle_app.coordination.refresh_agenda": ("fgw", {"meeting": "no-such-meeting"}),
		"whistle_app.coordination.nominate": ("fgw", {"slip": slip, "reason": "越权"}),
		"whistle_app.coordination.request_coordination": ("park2", {"slip": slip, "reason": "越权"}),
		"whistle_app.coordination.accept_candidate": ("fgw", {"name": "no-such-candidate"}),
		"whistle_app.coordination.decline_candidate": ("fgw", {"name": "no-such-candidate", "reason": "x"}),
		"whistle_app.coordination.slip_history": ("park2", {"slip": slip}),
		# the park reads the requests on its whistles but is not their actor: RequestActorError
		"whistle_app.requests.act": (
			"park1",
			{"doctype": "Whistle Extension Request", "name": request, "action": "提交申请"},
			417,
		),
		"whistle_app.whistle.dashboard_chart_source.whistle_slip_statistics.whistle_slip_statistics.get": (
			"Guest",
			{},
		),
		f"{cal}.confirm": ("park1", {"dt": "Work Calendar Year", "dn": YEAR, "method": "confirm"}),
		f"{cal}.revoke_confirmation": (
			"office",
			{"dt": "Work Calendar Year", "dn": YEAR, "method": "revoke_confirmation"},
		),
	}


@pytest.fixture(scope="module")
def refusal_names(live_server):
	ensure_demo()
	demo.ensure_demo_slips()  # the demo whistles again, where an earlier test removed one of them
	demo_accountability.ensure_demo_accountability()  # and the demo accountability cases on them
	fx = pm.Fixture()
	frappe.set_user("Administrator")
	try:
		names = {
			"slip": frappe.db.get_value("Whistle Slip", {"title": SLIP_PARK1}),
			"rating": frappe.db.get_value(
				"Whistle Rating",
				{
					"slip": frappe.db.get_value("Whistle Slip", {"title": CLOSED_PARK2}),
					"rater_unit": "示例园区二",
					"docstatus": 1,
				},
			),
			"survey": frappe.get_all("Satisfaction Survey", filters={"status": sv.OPEN}, pluck="name")[0],
			"demand": pm.demand(fx, "A"),
			"request": pm.extension_request(fx, "A"),
			"case": frappe.db.get_value(
				"Accountability Case", {"referral_number": demo_accountability.REFERRAL_NUMBER}
			),
		}
		assert all(names.values()), names
		frappe.db.commit()
		yield live_server, names
	finally:
		purge_all(fx.created)


def test_every_method_has_a_refusal_line(frappe_site):
	table = refusals(dict.fromkeys(("slip", "demand", "rating", "survey", "request", "case"), "x"))
	assert set(app_methods()) == set(table), {
		"missing": sorted(set(app_methods()) - set(table)),
		"stale": sorted(set(table) - set(app_methods())),
	}


def test_each_method_refuses_a_user_without_rights(refusal_names):
	base_url, names = refusal_names
	table = refusals(names)
	clients: dict[str, object] = {"Guest": requests.Session()}
	before = snapshot(names)
	problems = []
	for path, (user, args, *status) in table.items():
		if user not in clients:
			clients[user] = Client(base_url, pm.USERS[user], demo.DEMO_PASSWORD).session
		session = clients[user]
		url = base_url + (DOC_METHOD if "WorkCalendarYear" in path else f"/api/method/{path}")
		r = session.post(url, data=args, timeout=60)
		if r.status_code != (status[0] if status else 403):
			problems.append(f"{path} as {user}: HTTP {r.status_code} {r.text[:200]}")
	assert not problems, "\n".join(problems)
	assert snapshot(names) == before, "a refused call changed data"
	print(f"\nwhitelisted methods refused over HTTP: {len(table)}")


def snapshot(names: dict) -> dict:
	frappe.db.rollback()
	return {
		"slip": frappe.db.get_value("Whistle Slip", names["slip"], ["modified", "workflow_state"]),
		"rating": frappe.db.get_value("Whistle Rating", names["rating"], ["modified", "docstatus"]),
		"survey": frappe.db.get_value("Satisfaction Survey", names["survey"], ["modified", "status"]),
		"demand": frappe.db.get_value("Enterprise Demand", names["demand"], ["modified", "status"]),
		"request": frappe.db.get_value("Whistle Extension Request", names["request"], ["modified"]),
		"case": frappe.db.get_value("Accountability Case", names["case"], ["modified", "workflow_state"]),
		"calendar": frappe.db.get_value("Work Calendar Year", YEAR, ["modified", "confirmed"]),
		"settings": frappe.db.get_singles_dict("Whistle Settings"),
		"surveys": frappe.db.count("Satisfaction Survey"),
		"bulletins": frappe.db.count("Supervision Bulletin"),
	}
