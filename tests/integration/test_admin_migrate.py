"""Nothing the administrator configures is lost on the next migrate (issue #22, item 3).

The Whistle Administrator (a user of the 吹哨管理员 role profile alone) makes every kind of change the
app leaves to it, over HTTP through the calls the desk makes: a custom field on the whistle slip with
a changed help text (Customize Form), the field and a new introduction on the parks' phone form, a
copy of the 流转单 print format set as the slip's default, the slip notification's text and an extra
recipient, a state message of the slip workflow, an action's label (Translation), a state's style,
the deadline and supervision settings. A change of the workflow's rules is refused with its reason.
Then the real ``bench migrate`` runs on the test site, and every change is found intact and at work:
the phone form shows the field and stores what a park enters in it, the slip prints with the copy,
a step sends the administrator's text to the added recipient too. Everything is undone afterwards.
"""

import json
import subprocess

import frappe
from frappe.core.doctype.translation.translation import clear_user_translation_cache
from frappe.model.meta import trim_table
from frappe.modules.import_file import import_file_by_path

from tests.admin_desk import (
	CONFIGURATOR,
	http_load,
	http_method,
	http_ok,
	http_save,
	make_configurator,
	reset_caches,
)
from tests.conftest import BENCH_DIR, TEST_SITE
from tests.factory import act_as, ensure_demo
from tests.http import Client, server_message
from tests.integration.cleanup import purge
from whistle_app import roles, workflows
from whistle_app.configuration import WEB_FORM_FOLDER
from whistle_app.dev import demo
from whistle_app.lifecycle import WORKFLOW_NAME
from whistle_app.notifications import SLIP_STEP, ensure_notifications

SLIP = "Whistle Slip"
PARK = "park1@whistle.localhost"
OFFICE = "office@whistle.localhost"
LEADER = "leader@whistle.localhost"
FIELD_LABEL = "企业联系人职务"
HELP = "请填写企业联系人的姓名（本区要求）"
INTRO = "园区、镇街在此吹哨。本区补充：请写明企业联系人职务。"
COPY = "流转单（本区）"
MARKER = "本区流转单样式"
SUBJECT_PREFIX = "【本区】"
STATE = "待审核"
STATE_MESSAGE = "区吹哨办一个工作日内审核"
TITLE = "迁移后手机吹哨测试"


def row(parent: dict, table: str, doctype: str, after: str | None = None, **values) -> dict:
	"""A new child row as the desk inserts it (after the row of field ``after``, else at the end)."""
	rows = parent.setdefault(table, [])
	new = {
		"doctype": doctype,
		"__islocal": 1,
		"name": f"new-{doctype.lower().replace(' ', '-')}-1",
		"parent": parent["name"],
		"parenttype": parent["doctype"],
		"parentfield": table,
		**values,
	}
	at = next((i + 1 for i, r in enumerate(rows) if r.get("fieldname") == after), len(rows))
	rows.insert(at, new)
	for idx, r in enumerate(rows, start=1):
		r["idx"] = idx
	return new


def configure(admin: Client, original: dict) -> str:
	"""Every kind of change, as the administrator's desk makes it; returns the custom field's name."""
	form = http_load(admin, "Customize Form", "Customize Form")
	form["doc_type"] = SLIP
	form = http_method(admin, form, "fetch_to_customize")
	next(f for f in form["fields"] if f["fieldname"] == "contact_person")["description"] = HELP
	row(
		form,
		"fields",
		"Customize Form Field",
		after="contact_phone",
		label=FIELD_LABEL,
		fieldtype="Data",
		is_custom_field=1,
	)
	form = http_method(admin, form, "save_customization")
	field = next(f["fieldname"] for f in form["fields"] if f.get("label") == FIELD_LABEL)

	web_form = http_load(admin, "Web Form", "whistle")
	web_form["introduction_text"] = INTRO
	row(
		web_form,
		"web_form_fields",
		"Web Form Field",
		after="contact_phone",
		fieldname=field,
		fieldtype="Data",
		label=FIELD_LABEL,
	)
	http_save(admin, web_form)

	standard = http_load(admin, "Print Format", "流转单")
	copy = {k: v for k, v in standard.items() if k not in ("owner", "creation", "modified", "modified_by")}
	copy.update(
		{
			"__islocal": 1,
			"name": "new-print-format-1",
			"__newname": COPY,
			"standard": "No",
			"html": standard["html"] + f"\n<p class='local-note'>{MARKER}</p>",
		}
	)
	http_save(admin, copy)
	http_ok(
		admin.post(
			"/api/method/frappe.printing.doctype.print_format.print_format.make_default", {"name": COPY}
		)
	)

	notification = http_load(admin, "Notification", SLIP_STEP)
	notification["subject"] = SUBJECT_PREFIX + notification["subject"]
	row(notification, "recipients", "Notification Recipient", receiver_by_role=roles.DISTRICT_LEADER)
	http_save(admin, notification)

	workflow = http_load(admin, "Workflow", WORKFLOW_NAME)
	for state in workflow["states"]:
		if state["state"] == STATE:
			state["message"] = STATE_MESSAGE
	workflow = http_save(admin, workflow)
	row(
		workflow,
		"transitions",
		"Workflow Transition",
		state=STATE,
		action="派单",
		next_state="待报到",
		allowed=roles.DISTRICT_LEADER,
	)
	refused = admin.post(
		"/api/method/frappe.desk.form.save.savedocs", {"doc": frappe.as_json(workflow), "action": "Save"}
	)
	assert refused.status_code == 417 and "由应用管理" in server_message(refused), refused.text[:500]

	http_save(
		admin,
		{
			"doctype": "Translation",
			"__islocal": 1,
			"name": "new-translation-1",
			"language": "zh",
			"source_text": "派单",
			"translated_text": "交办",
		},
	)
	style = http_load(admin, "Workflow State", STATE)
	http_save(admin, {**style, "style": "Danger"})
	settings = http_load(admin, "Whistle Settings", "Whistle Settings")
	http_save(
		admin,
		{
			**settings,
			"serious_overdue_days": original["serious_overdue_days"] + 1,
			"green_channel_meeting_days": 2,
		},
	)
	return field


def shows(html: str, text: str) -> bool:
	"""The page carries the text, as it is or as a JSON string (the web form's fields travel as JSON)."""
	return text in html or json.dumps(text)[1:-1] in html


def migrate() -> None:
	frappe.db.commit()  # nothing of this connection may hold the tables migrate alters
	done = subprocess.run(
		["bench", "--site", TEST_SITE, "migrate", "--skip-search-index"],
		cwd=BENCH_DIR,
		capture_output=True,
		text=True,
		timeout=900,
	)
	assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
	frappe.db.rollback()
	frappe.clear_cache()


def check_everything_intact(live_server: str, field: str, original: dict) -> None:
	meta = frappe.get_meta(SLIP)
	assert meta.get_field(field) and meta.get_field(field).label == FIELD_LABEL
	assert meta.get_field("contact_person").description == HELP
	assert meta.default_print_format == COPY

	# the phone form shows the field, and a park's entry in it is stored
	park = Client(live_server, PARK, demo.DEMO_PASSWORD)
	page = park.get("/whistle/new")
	assert page.ok, page.status_code
	assert shows(page.text, field) and shows(page.text, INTRO), page.text[:300]
	data = {
		"title": TITLE,
		"category": "Comprehensive Coordination",
		"description": "迁移后测试",
		field: "厂长",
	}
	answer = http_ok(
		park.post(
			"/api/method/frappe.website.doctype.web_form.web_form.accept",
			{"web_form": "whistle", "data": frappe.as_json(data)},
		)
	)
	name = answer["message"]["name"]
	frappe.db.rollback()
	assert frappe.db.get_value(SLIP, name, field) == "厂长"

	# the copy prints the slip, the step sends the administrator's text to the added recipient too
	assert MARKER in frappe.get_print(SLIP, name)
	act_as(PARK, name, "提交吹哨")
	for user in (OFFICE, LEADER):
		subjects = frappe.get_all(
			"Notification Log", filters={"document_name": name, "for_user": user}, pluck="subject"
		)
		assert subjects == [f"{SUBJECT_PREFIX}吹哨事项 {name}（{TITLE}）：提交吹哨 → {STATE}"], (
			user,
			subjects,
		)

	# the workflow keeps the administrator's message and the app's rules; the rest as set
	workflow = frappe.get_doc("Workflow", WORKFLOW_NAME)
	assert {r.message for r in workflow.states if r.state == STATE} == {STATE_MESSAGE}
	assert workflows.rule_view(workflow) == workflows.rule_view(
		frappe._dict(workflows.managed_workflows()[WORKFLOW_NAME])
	)
	assert frappe._("派单", lang="zh") == "交办"
	assert frappe.db.get_value("Workflow State", STATE, "style") == "Danger"
	settings = frappe.get_single("Whistle Settings")
	assert (settings.serious_overdue_days, settings.green_channel_meeting_days) == (
		original["serious_overdue_days"] + 1,
		2,
	)


def undo(field: str | None, original: dict) -> None:
	"""Put the site back as it was (as Administrator; committed)."""
	frappe.db.rollback()
	frappe.set_user("Administrator")
	purge(SLIP, frappe.get_all(SLIP, filters={"title": TITLE}, pluck="name"))
	for name in frappe.get_all(
		"Property Setter", filters={"doc_type": SLIP, "owner": CONFIGURATOR}, pluck="name"
	):
		frappe.delete_doc("Property Setter", name, ignore_permissions=True)
	if frappe.db.exists("Print Format", COPY):
		frappe.delete_doc("Print Format", COPY, ignore_permissions=True)
	for name in frappe.get_all(
		"Translation", filters={"source_text": "派单", "owner": CONFIGURATOR}, pluck="name"
	):
		frappe.delete_doc("Translation", name, ignore_permissions=True)
	frappe.db.set_value("Workflow State", STATE, "style", original["style"])
	frappe.db.set_single_value(
		"Whistle Settings",
		{k: original[k] for k in ("serious_overdue_days", "green_channel_meeting_days")},
	)
	workflow = frappe.get_doc("Workflow", WORKFLOW_NAME)
	for state in workflow.states:
		state.message = original["messages"].get(state.name)
	workflow.flags[workflows.SYNC_FLAG] = True
	workflow.save(ignore_permissions=True)
	frappe.delete_doc("Notification", SLIP_STEP, ignore_permissions=True)
	ensure_notifications()
	import_file_by_path(str(WEB_FORM_FOLDER / "whistle" / "whistle.json"), force=True)
	for name in frappe.get_all("Custom Field", filters={"dt": SLIP, "owner": CONFIGURATOR}, pluck="name"):
		frappe.delete_doc("Custom Field", name, ignore_permissions=True)
	frappe.db.commit()
	if field:
		trim_table(SLIP, dry_run=False)  # the custom field's column
	frappe.clear_cache(doctype=SLIP)
	reset_caches()
	clear_user_translation_cache("zh")


def test_the_administrators_configuration_survives_migrate(live_server):
	ensure_demo()
	make_configurator()
	settings = frappe.get_single("Whistle Settings")
	original = {
		"serious_overdue_days": settings.serious_overdue_days,
		"green_channel_meeting_days": settings.green_channel_meeting_days,
		"style": frappe.db.get_value("Workflow State", STATE, "style"),
		"messages": {r.name: r.message for r in frappe.get_doc("Workflow", WORKFLOW_NAME).states},
	}
	frappe.db.commit()
	field = None
	try:
		field = configure(Client(live_server, CONFIGURATOR, demo.DEMO_PASSWORD), original)
		migrate()
		check_everything_intact(live_server, field, original)
	finally:
		undo(field, original)
