"""The slip workflow is defined once (rules.lifecycle); the JSON, the site and the docs follow it."""

import json
from pathlib import Path

import frappe
from frappe.tests.utils import FrappeTestCase

from whistle_app.lifecycle import WORKFLOW_NAME, WORKFLOW_PATH, build_workflow, sync_workflow
from whistle_app.rules import lifecycle as lc

DOC = Path(__file__).resolve().parents[2] / "docs" / "workflow-whistle-slip.md"


class TestWorkflowSync(FrappeTestCase):
	def test_committed_json_is_built_from_the_rules(self):
		self.assertEqual(json.loads(WORKFLOW_PATH.read_text()), build_workflow())

	def test_site_workflow_matches_and_sync_is_idempotent(self):
		sync_workflow()
		before = frappe.db.get_value("Workflow", WORKFLOW_NAME, "modified")
		sync_workflow()
		self.assertEqual(frappe.db.get_value("Workflow", WORKFLOW_NAME, "modified"), before)
		doc = frappe.get_doc("Workflow", WORKFLOW_NAME)
		installed = {(t.state, t.action, t.next_state, t.allowed) for t in doc.transitions}
		expected = {
			(t.state, t.action, t.next_state, role)
			for t in lc.TRANSITIONS
			for role in lc.ACTOR_ROLES[t.actor]
		}
		self.assertEqual(installed, expected)
		self.assertEqual(doc.states[0].state, lc.DRAFT)

	def test_diagram_in_docs_shows_every_transition(self):
		text = DOC.read_text()
		for t in lc.TRANSITIONS:
			self.assertIn(f"{t.state} --> {t.next_state}: {t.action}", text)
			self.assertIn(f"| {t.state} | {t.action} | {t.next_state} |", text)
