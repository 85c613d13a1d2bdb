"""Install a Frappe Workflow from its committed JSON (module ``workflow/`` folders).

Frappe does not sync a module's ``workflow`` folder by itself, and a workflow's states and actions
must exist as Workflow State / Workflow Action Master records first. Used on install and migrate;
running it again changes nothing unless the JSON changed.
"""

import frappe


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


def install_workflow(data: dict, state_styles: dict[str, str]) -> bool:
	"""Create or update the workflow ``data``; returns True when something was written."""
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
	if not frappe.db.exists("Workflow", data["name"]):
		frappe.get_doc(data).insert(ignore_permissions=True)
		return True
	doc = frappe.get_doc("Workflow", data["name"])
	current = (
		doc.document_type,
		[(r.state, r.doc_status, r.allow_edit) for r in doc.states],
		[(r.state, r.action, r.next_state, r.allowed) for r in doc.transitions],
	)
	wanted = (
		data["document_type"],
		[(r["state"], r["doc_status"], r["allow_edit"]) for r in data["states"]],
		[(r["state"], r["action"], r["next_state"], r["allowed"]) for r in data["transitions"]],
	)
	if current == wanted and doc.is_active:
		return False
	doc.document_type = data["document_type"]
	doc.set("states", data["states"])
	doc.set("transitions", data["transitions"])
	doc.is_active = 1
	doc.save(ignore_permissions=True)
	return True
