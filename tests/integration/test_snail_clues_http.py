"""Only the Efficiency Office opens a Snail Award proposal from bulletin clues, over real HTTP too
(issue #16, RULES §9, §10): a department or a park is refused with a Chinese message by the app's method,
and no generic endpoint (REST insert, ``frappe.client.insert``) creates a Snail Award for anyone."""

import json

import frappe
import pytest

from tests.factory import ensure_demo
from tests.http import Client, server_message
from tests.integration import permission_matrix as pm
from whistle_app.dev import demo

METHOD = "/api/method/whistle_app.evaluation.snail.propose_from_bulletins"
ARGS = {"unit": "发展和改革委", "year": 2026, "quarter": 1, "bulletins": '["SB-2026-03"]', "reason": "越权"}
AWARD = {
	"doctype": "Snail Award",
	"whistle_unit": "发展和改革委",
	"year": 2026,
	"quarter": "1",
	"origin": "Efficiency Office Clue",
	"proposal_reason": "伪造",
	"status": "Awarded",
}


@pytest.fixture(scope="module")
def clients(live_server):
	ensure_demo()
	frappe.db.commit()
	return {
		who: Client(live_server, pm.USERS[who], demo.DEMO_PASSWORD)
		for who in ("fgw", "fgw-leader", "park1", "office", "leader", "efficiency")
	}


def awards() -> int:
	frappe.db.rollback()
	return frappe.db.count("Snail Award")


def test_only_the_efficiency_office_may_propose(clients):
	before = awards()
	for who in ("fgw", "fgw-leader", "park1", "office", "leader"):
		r = clients[who].post(METHOD, ARGS)
		assert r.status_code == 403, (who, r.status_code, r.text[:300])
		assert "只有区效能办可以依据督查通报提名蜗牛奖" in server_message(r), (who, server_message(r))
	# the Efficiency Office itself: POST only
	r = clients["efficiency"].get(METHOD, **ARGS)
	assert r.status_code == 403, (r.status_code, r.text[:300])
	assert awards() == before


def test_no_generic_endpoint_creates_a_snail_award(clients):
	before = awards()
	for who in ("fgw", "park1", "efficiency"):
		client = clients[who]
		r = client.post("/api/method/frappe.client.insert", {"doc": json.dumps(AWARD)})
		assert r.status_code == 403, (who, r.status_code, r.text[:300])
		r = client.session.post(
			f"{client.base_url}/api/resource/Snail Award", data={"data": json.dumps(AWARD)}
		)
		assert r.status_code == 403, (who, r.status_code, r.text[:300])
	assert awards() == before
