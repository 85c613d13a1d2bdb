"""Rater fairness over real HTTP (RULES §10, §14, issue #19): a department or a park sees its own rater
statistics only, in the report, the REST list and the document; never another rater's; only the
office reviews a flag, and nobody writes a statistic through a generic endpoint."""

import json

import frappe
import pytest

from tests.factory import ensure_demo
from tests.http import Client, server_message
from tests.integration import permission_matrix as pm
from whistle_app import fairness
from whistle_app.dev import demo

YEAR, QUARTER = 2019, 3
RATERS = {"示例园区一": "Park", "发展和改革委": "Lead Department", "住房和城乡建设局": "Lead Department"}
REPORT = "/api/method/frappe.desk.query_report.run"
REVIEW = "/api/method/whistle_app.fairness.review_flag"


@pytest.fixture(scope="module")
def clients(live_server):
	ensure_demo()
	names = []
	for rater, kind in RATERS.items():
		doc = frappe.get_doc(
			{
				"doctype": fairness.STATISTIC,
				"rater_unit": rater,
				"rater_kind": kind,
				"year": YEAR,
				"quarter": str(QUARTER),
				"ratings": 6,
				"mean_total": 99,
				"full_marks_share": 95,
				"flag_lenient": 1,
				"flagged": 1,
			}
		).insert(ignore_permissions=True)
		names.append(doc.name)
	frappe.db.commit()
	yield {
		who: Client(live_server, pm.USERS[who], demo.DEMO_PASSWORD)
		for who in ("fgw", "zjj", "park1", "office", "leader", "efficiency")
	}
	for name in names:
		frappe.delete_doc(fairness.STATISTIC, name, ignore_permissions=True, force=True)
	frappe.db.commit()


def report_raters(client: Client, **filters) -> set[str]:
	r = client.post(
		REPORT, {"report_name": "Rater Fairness", "filters": json.dumps({"year": YEAR, **filters})}
	)
	assert r.status_code == 200, (r.status_code, r.text[:300])
	return {row["rater_unit"] for row in r.json()["message"]["result"] if isinstance(row, dict)}


def test_each_rater_sees_its_own_statistics_only(clients):
	own = {"fgw": "发展和改革委", "zjj": "住房和城乡建设局", "park1": "示例园区一"}
	for who, unit in own.items():
		client = clients[who]
		assert report_raters(client) == {unit}, who
		assert (
			report_raters(client, rater_unit="示例园区一" if unit != "示例园区一" else "发展和改革委")
			== set()
		)
		listed = {
			n for n in client.resource_names(fairness.STATISTIC) if n.startswith(f"RF-{YEAR}-Q{QUARTER}-")
		}
		assert listed == {fairness.statistic_name(YEAR, QUARTER, unit)}, who
		for other in set(RATERS) - {unit}:
			r = client.get_doc(fairness.STATISTIC, fairness.statistic_name(YEAR, QUARTER, other))
			assert r.status_code == 403, (who, other, r.status_code)
	for who in ("office", "leader", "efficiency"):
		assert report_raters(clients[who]) >= set(RATERS), who


def test_only_the_office_reviews_and_nobody_writes_a_statistic(clients):
	name = fairness.statistic_name(YEAR, QUARTER, "发展和改革委")
	for who in ("fgw", "leader", "efficiency"):
		r = clients[who].post(REVIEW, {"name": name, "flag": "Lenient", "outcome": "No Issue"})
		assert r.status_code == 403, (who, r.status_code)
		assert "只有区吹哨办可以研判评分公正性预警" in server_message(r)
		r = clients[who].put(f"/api/resource/{fairness.STATISTIC}/{name}", {"flag_lenient": 0})
		assert r.status_code == 403, (who, r.status_code)
	r = clients["office"].put(f"/api/resource/{fairness.STATISTIC}/{name}", {"flag_lenient": 0})
	assert r.status_code == 403, r.status_code
	r = clients["office"].post(
		REVIEW, {"name": name, "flag": "Lenient", "outcome": "Reminded", "note": "已提醒"}
	)
	assert r.status_code == 200, (r.status_code, r.text[:300])
	frappe.db.rollback()
	doc = frappe.get_doc(fairness.STATISTIC, name)
	assert doc.flag_lenient == 1
	assert [(row.outcome, row.reviewed_by) for row in doc.reviews] == [("Reminded", pm.USERS["office"])]
