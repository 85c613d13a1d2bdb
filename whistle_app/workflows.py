"""The app's Frappe Workflows: installed from their committed JSON, and kept as the rules need them.

Frappe does not sync a module's ``workflow`` folder by itself, and a workflow's states and actions
must exist as Workflow State / Workflow Action Master records first: ``install_workflow`` does both
on install and migrate.

**What the app keeps, what the administrator may change (issue #22).** The workflow kernel
(``whistle_app.kernel``) checks every step against the rules' table, so the parts of a workflow the
rules depend on are the app's: which states and transitions exist, each transition's action, roles
(``allowed``), self-approval and condition, each state's document status, editing roles and field
updates, and the workflow's document type, state field and being active (``RULE_*_FIELDS``). The
rest is the administrator's, in the desk: the message shown in each state, the e-mail template of the
next action, whether e-mail alerts are sent, the list status override (``ADMIN_*_FIELDS``); the
styles of the states (their Workflow State records) and the labels of actions and states (Frappe
shows them through ``__()``, so a Translation relabels a button or a state everywhere while the
kernel keeps keying on the action's name).

* ``protect`` (``doc_events["Workflow"]["before_validate"]``) refuses, with a translated reason
  naming it, any change of the app's parts, from any user (the app's own sync excepted), and a second
  active workflow on an app DocType; ``refuse_delete`` keeps them from being deleted.
* ``install_workflow`` merges instead of overwriting: it writes only when the app's parts differ
  from the JSON, and then carries every administrator's field over to the rebuilt rows.
* ``onload`` tells the desk form (``public/js/workflow.js``) to show a Chinese note saying that the
  workflow is managed by the app and what may change.
"""

import json
from collections import Counter
from functools import cache
from pathlib import Path

import frappe
from frappe import _
from frappe.utils import cstr

WORKFLOW_FOLDER = Path(__file__).resolve().parent / "whistle" / "workflow"
SYNC_FLAG = "whistle_app_sync"

RULE_WORKFLOW_FIELDS = ("document_type", "workflow_state_field", "is_active")
RULE_STATE_FIELDS = ("state", "doc_status", "allow_edit", "update_field", "update_value")
RULE_TRANSITION_FIELDS = ("state", "action", "next_state", "allowed", "allow_self_approval", "condition")
ADMIN_WORKFLOW_FIELDS = ("send_email_alert", "override_status", "workflow_data")
ADMIN_STATE_FIELDS = (
	"message",
	"next_action_email_template",
	"is_optional_state",
	"avoid_status_override",
	"workflow_builder_id",
)
ADMIN_TRANSITION_FIELDS = ("workflow_builder_id",)


class ManagedWorkflowError(frappe.ValidationError):
	"""A change of the parts of an app workflow that the rules depend on."""


def workflow_doc(name: str, document_type: str, states: list[dict], transitions: list[dict]) -> dict:
	"""The Frappe Workflow document (as committed JSON) of an app workflow."""
	return {
		"doctype": "Workflow",
		"name": name,
		"workflow_name": name,
		"document_type": document_type,
		"is_active": 1,
		"override_status": 0,
		"send_email_alert": 0,
		"workflow_state_field": "workflow_state",
		"states": states,
		"transitions": transitions,
	}


# --- the app's parts ----------------------------------------------------------------------------------


@cache
def managed_workflows() -> dict[str, dict]:
	"""Workflow name -> its committed JSON, for every workflow of the app."""
	found = {}
	for path in sorted(WORKFLOW_FOLDER.glob("*/*.json")):
		data = json.loads(path.read_text(encoding="utf-8"))
		found[data["name"]] = data
	return found


def managed_doctypes() -> frozenset[str]:
	return frozenset(data["document_type"] for data in managed_workflows().values())


def norm(value) -> str:
	"""One spelling of a stored value: unset, 0 and "0" alike (the JSON omits defaults)."""
	text = cstr(value).strip()
	return "" if text in ("", "0") else text


def rows_of(rows, fields: tuple[str, ...]) -> Counter:
	return Counter(tuple(norm(row.get(f)) for f in fields) for row in rows or [])


def rule_view(doc) -> tuple:
	"""The parts of a workflow (a Document or its JSON) that the rules depend on."""
	return (
		tuple(norm(doc.get(f)) for f in RULE_WORKFLOW_FIELDS),
		rows_of(doc.get("states"), RULE_STATE_FIELDS),
		rows_of(doc.get("transitions"), RULE_TRANSITION_FIELDS),
	)


def describe_state(key: tuple) -> str:
	return _("state {0} (role {1})").format(key[0], _(key[2]) if key[2] else "-")


def describe_transition(key: tuple) -> str:
	return _("transition {0} –{1}→ {2} (role {3})").format(
		key[0], key[1], key[2], _(key[3]) if key[3] else "-"
	)


def rule_changes(doc, before) -> list[str]:
	"""What a change did to the app's parts, in words (empty when nothing)."""
	new, old = rule_view(doc), rule_view(before)
	changes = [
		_(doc.meta.get_label(field))
		for field, a, b in zip(RULE_WORKFLOW_FIELDS, new[0], old[0], strict=True)
		if a != b
	]
	for describe, now, then in ((describe_state, new[1], old[1]), (describe_transition, new[2], old[2])):
		changes += [_("{0} added or changed").format(describe(k)) for k in sorted(now - then)]
		changes += [_("{0} removed or changed").format(describe(k)) for k in sorted(then - now)]
	return changes


# --- protection (doc_events) ------------------------------------------------------------------------------


def protect(doc, method: str | None = None) -> None:
	"""``doc_events["Workflow"]["before_validate"]``: the parts of the app's workflows that the rules
	depend on change only with the app (``install_workflow``); another active workflow on an app
	DocType would replace the app's, so it is refused too."""
	if doc.flags.get(SYNC_FLAG):
		return
	data = managed_workflows().get(doc.name)
	if data is None:
		refuse_rival(doc)
		return
	changes = rule_changes(doc, doc.get_doc_before_save() or frappe._dict(data))
	if not changes:
		return
	shown = "；".join(changes[:4]) + ("……" if len(changes) > 4 else "")
	frappe.throw(
		_(
			"The workflow {0} is managed by the app and follows the rules (RULES §3), so this is "
			"refused: {1}. You may change the state messages, the e-mail template of the next action "
			"and the e-mail alerts here, the state styles in Workflow State and the labels of actions "
			"and states in Translation."
		).format(doc.name, shown),
		ManagedWorkflowError,
		title=_("Managed by the app"),
	)


def refuse_rival(doc) -> None:
	from whistle_app.configuration import ConfigurationScopeError, is_confined

	if is_confined("Workflow"):
		frappe.throw(
			_("As Whistle Administrator you may change the app's own workflows only."),
			ConfigurationScopeError,
			title=_("Not permitted"),
		)
	if doc.is_active and doc.document_type in managed_doctypes():
		app_workflow = next(
			n for n, d in managed_workflows().items() if d["document_type"] == doc.document_type
		)
		frappe.throw(
			_("{0} runs on the app's workflow {1}; another active workflow would replace it.").format(
				_(doc.document_type), app_workflow
			),
			ManagedWorkflowError,
			title=_("Managed by the app"),
		)


def refuse_delete(doc, method: str | None = None) -> None:
	"""``doc_events["Workflow"]["on_trash"]``: the app's workflows stay."""
	if doc.name in managed_workflows() and not doc.flags.get(SYNC_FLAG):
		frappe.throw(
			_("The workflow {0} is managed by the app and cannot be deleted.").format(doc.name),
			ManagedWorkflowError,
			title=_("Managed by the app"),
		)


def onload(doc, method: str | None = None) -> None:
	"""``doc_events["Workflow"]["onload"]``: the desk form shows its note (``public/js/workflow.js``)."""
	if doc.name in managed_workflows():
		doc.set_onload(
			"whistle_app_managed",
			{
				"states": sorted({row.state for row in doc.states}),
				"actions": sorted({row.action for row in doc.transitions}),
			},
		)


# --- install and migrate ------------------------------------------------------------------------------------


def ensure_masters(data: dict, state_styles: dict[str, str]) -> None:
	"""The Workflow State and Workflow Action Master records the workflow links to (a state's style
	is set when it is created; afterwards it is the administrator's)."""
	for row in data["states"]:
		state = row["state"]
		if not frappe.db.exists("Workflow State", state):
			frappe.get_doc(
				{
					"doctype": "Workflow State",
					"workflow_state_name": state,
					"style": state_styles.get(state, ""),
				}
			).insert(ignore_permissions=True)
	for action in sorted({t["action"] for t in data["transitions"]}):
		if not frappe.db.exists("Workflow Action Master", action):
			frappe.get_doc({"doctype": "Workflow Action Master", "workflow_action_name": action}).insert(
				ignore_permissions=True
			)


def merged_rows(wanted: list[dict], current, key_fields: tuple[str, ...], admin_fields: tuple[str, ...]):
	"""The rows the JSON wants, each with the administrator's fields of the current row it matches
	(same key), else of the first current row of the same state."""
	by_key, by_state = {}, {}
	for row in current:
		by_key.setdefault(tuple(norm(row.get(f)) for f in key_fields), row)
		by_state.setdefault(row.state, row)
	rows = []
	for row in wanted:
		kept = by_key.get(tuple(norm(row.get(f)) for f in key_fields)) or by_state.get(row["state"])
		merged = dict(row)
		if kept:
			merged.update({f: kept.get(f) for f in admin_fields if kept.get(f) not in (None, "")})
		rows.append(merged)
	return rows


def install_workflow(data: dict, state_styles: dict[str, str]) -> bool:
	"""Create the workflow ``data``, or restore its rule-bearing parts when they differ from it and keep
	everything the administrator may change; returns True when something was written."""
	ensure_masters(data, state_styles)
	if not frappe.db.exists("Workflow", data["name"]):
		doc = frappe.get_doc(data)
		doc.flags[SYNC_FLAG] = True
		doc.insert(ignore_permissions=True)
		return True
	doc = frappe.get_doc("Workflow", data["name"])
	if rule_view(doc) == rule_view(frappe._dict(data)):
		return False
	for field in RULE_WORKFLOW_FIELDS:
		doc.set(field, data[field])
	doc.set("states", merged_rows(data["states"], doc.states, ("state", "allow_edit"), ADMIN_STATE_FIELDS))
	doc.set(
		"transitions",
		merged_rows(
			data["transitions"],
			doc.transitions,
			("state", "action", "next_state", "allowed"),
			ADMIN_TRANSITION_FIELDS,
		),
	)
	doc.flags[SYNC_FLAG] = True
	doc.save(ignore_permissions=True)
	return True
