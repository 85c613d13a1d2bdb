"""Every whitelisted method of the installed Frappe, called over HTTP by users without rights on another
unit's whistle (issue #23).

The methods are enumerated from the installed Frappe (every module imported, then
``frappe.whitelisted``), not listed by hand. Each method whose parameters can name a document or
search text is called by a park of another unit (a desk user) and by an enterprise (a website user)
with arguments pointing at a whistle they may not read: its DocType and name, a filter on it, a
document dict of it, its secret text as search text. The secret (an ASCII marker in the whistle's
title, description and progress) must appear in no answer, and afterwards the whistle is unchanged
and nothing new refers to it (comments, files, assignments, shares, tags, likes, versions).
"""

import importlib
import inspect
import json
import pkgutil
import uuid

import frappe
import pytest

from tests.factory import ensure_demo
from tests.factory import secret_slip as make_secret_slip
from tests.http import Client
from tests.integration.cleanup import purge_all
from whistle_app.dev import demo

MARKER = f"ZQXFUZZ{uuid.uuid4().hex[:12]}"
SLIP = "Whistle Slip"
# parameters through which a method can reach a document or its text
DOCTYPE_PARAMS = frozenset(
	{"doctype", "dt", "reference_doctype", "doc_type", "document_type", "ref_doctype", "parenttype"}
)
NAME_PARAMS = frozenset({"name", "docname", "dn", "reference_name", "document_name", "docnames", "names"})
DOC_PARAMS = frozenset({"doc", "docs", "doclist"})
TEXT_PARAMS = frozenset({"txt", "text", "search_text", "query", "filters", "or_filters"})
REACHING = DOCTYPE_PARAMS | NAME_PARAMS | DOC_PARAMS | TEXT_PARAMS
# methods that end the caller's own session (the test would log itself out) or sleep on purpose
SKIPPED = frozenset(
	{
		"frappe.handler.logout",
		"frappe.www.login.logout",
		"frappe.sessions.clear",
		"frappe.auth.logout",
		"frappe.core.doctype.user.user.sign_up",
		"frappe.core.doctype.user.user.reset_password",
	}
)
# what refers to a document besides its own tables
REFERRERS = (
	("Comment", "reference_doctype", "reference_name"),
	("File", "attached_to_doctype", "attached_to_name"),
	("ToDo", "reference_type", "reference_name"),
	("DocShare", "share_doctype", "share_name"),
	("Tag Link", "document_type", "document_name"),
	("Version", "ref_doctype", "docname"),
	("Communication", "reference_doctype", "reference_name"),
	("Document Follow", "ref_doctype", "ref_docname"),
)


def import_frappe() -> list[str]:
	"""Import every module of the installed Frappe (tests, patches and command modules aside);
	returns the modules that cannot be imported here (no HTTP request can reach them either)."""
	unimportable = []
	for module in pkgutil.walk_packages(frappe.__path__, "frappe."):
		name = module.name
		if any(part in name for part in (".tests", ".test_", ".patches.", ".commands", "frappe.build")):
			continue
		try:
			importlib.import_module(name)
		except Exception as e:  # an optional dependency missing: recorded, and unreachable over HTTP too
			unimportable.append(f"{name}: {type(e).__name__}")
	return unimportable


def frappe_methods() -> dict[str, inspect.Signature]:
	import_frappe()
	methods = {}
	for fn in frappe.whitelisted:
		path = f"{fn.__module__}.{fn.__qualname__}"
		if not path.startswith("frappe.") or "." in fn.__qualname__ or path in SKIPPED:
			continue
		try:
			methods[path] = inspect.signature(fn)
		except (TypeError, ValueError):
			continue
	return methods


def arguments(signature: inspect.Signature, slip: str) -> dict | None:
	"""Arguments aiming the method at the secret whistle, or None when nothing can reach it."""
	params = set(signature.parameters)
	open_kwargs = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in signature.parameters.values())
	if not params & (REACHING | {"args"}) and not open_kwargs:
		return None
	values = {}
	if open_kwargs:  # ``**kwargs`` methods read what they need from the request
		values.update({"doctype": SLIP, "name": slip, "docname": slip})
	if "args" in params:
		values["args"] = json.dumps(
			{
				"doctype": SLIP,
				"name": slip,
				"docname": slip,
				"reference_name": slip,
				"filters": {"name": slip},
			}
		)
	for param in params - {"args"}:
		if param in DOCTYPE_PARAMS:
			values[param] = SLIP
		elif param in ("docnames", "names"):
			values[param] = json.dumps([slip])
		elif param in NAME_PARAMS:
			values[param] = slip
		elif param in DOC_PARAMS:
			values[param] = json.dumps({"doctype": SLIP, "name": slip})
		elif param in ("filters", "or_filters"):
			values[param] = json.dumps({"name": slip})
		elif param in TEXT_PARAMS:
			values[param] = MARKER
		elif param in ("fields", "fieldname"):
			values[param] = json.dumps(["*"]) if param == "fields" else "description"
		elif param == "parent":
			values[param] = SLIP
	return values


def referrers(slip: str) -> dict[str, int]:
	frappe.db.rollback()
	return {
		doctype: frappe.db.count(doctype, {dt_field: SLIP, name_field: slip})
		for doctype, dt_field, name_field in REFERRERS
		if frappe.db.table_exists(doctype)
	}


def snapshot(slip: str) -> tuple:
	frappe.db.rollback()
	return (
		frappe.db.get_value(SLIP, slip, ["modified", "title", "description", "_liked_by", "_assign"]),
		referrers(slip),
	)


@pytest.fixture(scope="module")
def secret_slip(live_server):
	demo.setup()
	ensure_demo()
	name = make_secret_slip(MARKER)
	yield name
	purge_all([(SLIP, name)])


def call(client: Client, path: str, args: dict):
	r = client.post(f"/api/method/{path}", args)
	if r.status_code == 405:
		r = client.get(f"/api/method/{path}", **args)
	return r


def logged_user(client: Client) -> str | None:
	r = client.get("/api/method/frappe.auth.get_logged_user")
	return r.json().get("message") if r.ok else None


@pytest.mark.parametrize("who", ["park2@whistle.localhost", demo.DEMO_ENTERPRISE_USER])
def test_no_frappe_method_leaks_or_changes_another_units_whistle(live_server, secret_slip, who):
	methods = frappe_methods()
	assert len(methods) > 200, len(methods)
	before = snapshot(secret_slip)
	leaks, called = [], 0
	client = Client(live_server, who, demo.DEMO_PASSWORD)
	for path, signature in sorted(methods.items()):
		args = arguments(signature, secret_slip)
		if args is None:
			continue
		r = call(client, path, args)
		called += 1
		if MARKER in r.text:
			leaks.append(f"{path} ({r.status_code}): {r.text[:200]}")
		if called % 20 == 0 and logged_user(client) != who:
			client = Client(live_server, who, demo.DEMO_PASSWORD)  # a method ended the session
	assert called > 100, called
	assert not leaks, "\n".join(leaks)
	assert snapshot(secret_slip) == before, "a method changed the whistle or attached something to it"
