"""What the Whistle Administrator configures in the desk, and what the app keeps (issue #22).

The administrator here is a user set up from the 吹哨管理员 role profile alone (no System Manager),
working through the calls the desk makes (``getdoc``, ``savedocs``, ``run_doc_method``); every test
rolls back. ``test_admin_migrate.py`` makes the same kinds of change over HTTP and runs ``bench
migrate``.
"""

import frappe

from tests.admin_desk import (
	CONFIGURATOR,
	desk_load,
	desk_method,
	desk_save,
	make_configurator,
	new_row,
	reset_caches,
)
from tests.base import WhistleTestCase
from tests.factory import act_as, make_slip
from whistle_app import coordination, notifications, notify, roles, workflows
from whistle_app.configuration import ConfigurationScopeError, WebFormSettingError
from whistle_app.lifecycle import WORKFLOW_NAME, sync_workflow
from whistle_app.notifications import ManagedNotificationError
from whistle_app.workflows import ManagedWorkflowError

SLIP = "Whistle Slip"
PARK = "park1@whistle.localhost"
OFFICE = "office@whistle.localhost"
LEADER = "leader@whistle.localhost"


class AdministratorCase(WhistleTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_configurator()
		frappe.db.commit()

	def tearDown(self):
		frappe.db.rollback()
		reset_caches()
		frappe.set_user("Administrator")

	def as_configurator(self):
		frappe.set_user(CONFIGURATOR)


class TestRights(AdministratorCase):
	def test_the_profile_alone_carries_the_configuration_rights(self):
		held = set(frappe.get_roles(CONFIGURATOR))
		self.assertIn(roles.WHISTLE_ADMINISTRATOR, held)
		self.assertNotIn("System Manager", held)
		for doctype, ptypes in roles.ADMINISTRATOR_RIGHTS.items():
			for ptype in ptypes:
				self.assertTrue(frappe.has_permission(doctype, ptype, user=CONFIGURATOR), (doctype, ptype))
		for doctype in ("Whistle Settings", "Rating Template", "Work Calendar Year"):
			self.assertTrue(frappe.has_permission(doctype, "write", user=CONFIGURATOR), doctype)
		self.assertFalse(frappe.has_permission("DocType", "write", user=CONFIGURATOR))
		self.assertFalse(frappe.has_permission("Workflow", "create", user=CONFIGURATOR))

	def test_labels_and_help_texts_through_customize_form(self):
		self.as_configurator()
		form = desk_load("Customize Form", "Customize Form")
		form["doc_type"] = SLIP
		form = desk_method(form, "fetch_to_customize")
		row = next(f for f in form["fields"] if f["fieldname"] == "contact_person")
		row["label"], row["description"] = "企业联系人姓名", "填写企业的具体联系人"
		try:
			desk_method(form, "save_customization")  # commits: Frappe alters the table after it
			field = frappe.get_meta(SLIP).get_field("contact_person")
			self.assertEqual((field.label, field.description), ("企业联系人姓名", "填写企业的具体联系人"))
		finally:
			frappe.set_user("Administrator")
			for name in frappe.get_all(
				"Property Setter", {"doc_type": SLIP, "owner": CONFIGURATOR}, pluck="name"
			):
				frappe.delete_doc("Property Setter", name)
			frappe.db.commit()

	def test_frappes_own_doctypes_stay_out_of_reach(self):
		self.as_configurator()
		form = desk_load("Customize Form", "Customize Form")
		form["doc_type"] = "ToDo"
		form = desk_method(form, "fetch_to_customize")
		next(f for f in form["fields"] if f["fieldname"] == "description")["description"] = "改写"
		self.assert_refused(lambda: desk_method(form, "save_customization"), "ToDo", ConfigurationScopeError)
		translation = {
			"doctype": "Translation",
			"__islocal": 1,
			"language": "zh",
			"source_text": "Save",
			"translated_text": "存",
		}
		self.assert_refused(lambda: desk_save(translation), "Save", ConfigurationScopeError)
		print_format = {
			"doctype": "Print Format",
			"__islocal": 1,
			"__newname": "待办打印",
			"doc_type": "ToDo",
			"standard": "No",
			"custom_format": 1,
			"html": "<p>{{ doc.name }}</p>",
		}
		self.assert_refused(lambda: desk_save(print_format), "ToDo", ConfigurationScopeError)
		# the app's own: a relabelled action and a print format copy
		desk_save({**translation, "source_text": "派单", "translated_text": "交办"})
		self.assertEqual(frappe._("派单", lang="zh"), "交办")
		desk_save({**print_format, "__newname": "流转单副本", "doc_type": SLIP})
		self.assertTrue(frappe.db.exists("Print Format", "流转单副本"))


class TestWorkflows(AdministratorCase):
	def load(self):
		return desk_load("Workflow", WORKFLOW_NAME)

	def test_the_administrator_changes_messages_and_sees_the_note(self):
		self.as_configurator()
		doc = self.load()
		managed = doc["__onload"]["whistle_app_managed"]
		self.assertIn("待审核", managed["states"])
		self.assertIn("派单", managed["actions"])
		for row in doc["states"]:
			if row["state"] == "待审核":
				row["message"] = "请在一个工作日内审核"
		doc["send_email_alert"] = 1
		desk_save(doc)
		saved = frappe.get_doc("Workflow", WORKFLOW_NAME)
		self.assertEqual({r.message for r in saved.states if r.state == "待审核"}, {"请在一个工作日内审核"})
		self.assertEqual(saved.send_email_alert, 1)

	def test_the_rules_parts_are_refused_with_the_reason(self):
		for user in (CONFIGURATOR, "Administrator"):
			frappe.set_user(user)
			doc = self.load()
			new_row(
				doc,
				"transitions",
				"Workflow Transition",
				{
					"state": "待审核",
					"action": "派单",
					"next_state": "待报到",
					"allowed": roles.DISTRICT_LEADER,
				},
			)
			error = self.assert_refused(lambda d=doc: desk_save(d), "由应用管理", ManagedWorkflowError)
			self.assertIn("派单", str(error))
			self.assertIn("区党政主要负责人", str(error))
			doc = self.load()
			doc["transitions"] = doc["transitions"][1:]
			self.assert_refused(lambda d=doc: desk_save(d), "移除", ManagedWorkflowError)
			doc = self.load()
			doc["is_active"] = 0
			self.assert_refused(lambda d=doc: desk_save(d), "由应用管理", ManagedWorkflowError)
		self.assert_refused(
			lambda: frappe.delete_doc("Workflow", WORKFLOW_NAME), "不能删除", ManagedWorkflowError
		)
		rival = frappe.get_doc({**workflows.managed_workflows()[WORKFLOW_NAME], "name": "另一个流程"})
		rival.workflow_name = "另一个流程"
		self.assert_refused(rival.insert, WORKFLOW_NAME, ManagedWorkflowError)

	def test_sync_restores_the_rules_and_keeps_the_administrators_fields(self):
		self.as_configurator()
		doc = self.load()
		for row in doc["states"]:
			if row["state"] == "待审核":
				row["message"] = "请在一个工作日内审核"
		desk_save(doc)
		frappe.set_user("Administrator")
		row = frappe.get_all(
			"Workflow Transition", filters={"parent": WORKFLOW_NAME, "action": "派单"}, pluck="name", limit=1
		)[0]
		frappe.db.set_value("Workflow Transition", row, "allowed", roles.DISTRICT_LEADER)  # around the form
		frappe.clear_document_cache("Workflow", WORKFLOW_NAME)
		sync_workflow()
		synced = frappe.get_doc("Workflow", WORKFLOW_NAME)
		self.assertEqual(workflows.rule_view(synced), workflows.rule_view(frappe._dict(self.json())))
		self.assertEqual({r.message for r in synced.states if r.state == "待审核"}, {"请在一个工作日内审核"})
		modified = synced.modified
		sync_workflow()
		self.assertEqual(frappe.db.get_value("Workflow", WORKFLOW_NAME, "modified"), modified)

	def json(self):
		return workflows.managed_workflows()[WORKFLOW_NAME]


class TestNotifications(AdministratorCase):
	def test_every_hand_off_has_its_record(self):
		self.assertEqual(notifications.ensure_notifications(), [])
		used = {
			notifications.SLIP_STEP,
			*notifications.REQUEST_STEP.values(),
			*notifications.CLOCK_REMINDER.values(),
			*notifications.CLOCK_ESCALATION.values(),
			notifications.RATING_REMINDER,
			notifications.BULLETIN_DRAFTED,
			notifications.BULLETIN_PUBLISHED,
			notifications.BULLETIN_NAMING,
			notifications.CALENDAR_UNCONFIRMED,
			notifications.URGE,
			# the District Head's coordination (RULES §12)
			coordination.NOTIFY_CANDIDATE,
			coordination.NOTIFY_PUBLISHED,
			coordination.NOTIFY_DECISION_STEP,
			coordination.NOTIFY_REMINDER,
			coordination.NOTIFY_ESCALATION,
		}
		self.assertEqual(used, set(notifications.defaults()))
		for name, default in notifications.defaults().items():
			record = frappe.get_doc("Notification", name)
			self.assertEqual(
				(record.enabled, record.event, record.channel, record.document_type, record.is_standard),
				(1, "Custom", "System Notification", default["document_type"], 0),
			)

	def edit(self, **values):
		self.as_configurator()
		doc = desk_load("Notification", notifications.SLIP_STEP)
		self.assertIn("who", doc["__onload"]["whistle_app_notification"])
		doc.update(values)
		return doc

	def logs(self, slip: str, user: str) -> list[str]:
		return frappe.get_all(
			"Notification Log",
			filters={"document_type": SLIP, "document_name": slip, "for_user": user},
			pluck="subject",
		)

	def test_the_administrators_text_and_recipients_are_sent(self):
		doc = self.edit(subject="【新】吹哨事项 {{ doc.name }}：{{ _(action) }}")
		new_row(doc, "recipients", "Notification Recipient", {"receiver_by_role": roles.DISTRICT_LEADER})
		desk_save(doc)
		frappe.set_user("Administrator")
		slip = make_slip(PARK, title="通知文字测试")
		act_as(PARK, slip.name, "提交吹哨")
		self.assertEqual(self.logs(slip.name, OFFICE), [f"【新】吹哨事项 {slip.name}：提交吹哨"])
		self.assertEqual(self.logs(slip.name, LEADER), [f"【新】吹哨事项 {slip.name}：提交吹哨"])

	def test_switched_off_filtered_or_broken(self):
		slip = make_slip(PARK, title="通知开关测试")
		context = {"action": "提交吹哨", "state": "草稿", "next_state": "待审核", "reason": None}

		def tell():
			return notify.tell(notifications.SLIP_STEP, slip, [OFFICE], context, exclude_self=False)

		desk_save(self.edit(enabled=0))
		self.assertEqual(tell(), [])
		desk_save(self.edit(enabled=1, condition="doc.title == '别的事项'"))
		self.assertEqual(tell(), [])
		desk_save(self.edit(condition="", subject="{{ 1 / 0 }}"))
		errors = frappe.db.count("Error Log")
		self.assertEqual(tell(), [OFFICE])
		self.assertEqual(
			self.logs(slip.name, OFFICE), [f"吹哨事项 {slip.name}（通知开关测试）：提交吹哨 → 待审核"]
		)
		self.assertEqual(frappe.db.count("Error Log"), errors + 1)

	def test_what_the_app_sends_them_with_stays(self):
		doc = self.edit(event="Save")
		self.assert_refused(lambda: desk_save(doc), notifications.SLIP_STEP, ManagedNotificationError)
		frappe.set_user("Administrator")
		other = frappe.get_doc(
			{
				"doctype": "Notification",
				"name": "待办提醒（测试）",
				"subject": "待办",
				"document_type": "ToDo",
				"event": "New",
				"channel": "System Notification",
				"message": "待办",
			}
		).insert()
		self.as_configurator()
		doc = desk_load("Notification", other.name)
		doc["subject"] = "改写"
		self.assert_refused(lambda: desk_save(doc), "只能", ConfigurationScopeError)


class TestPhoneForms(AdministratorCase):
	def load(self):
		self.as_configurator()
		doc = desk_load("Web Form", "whistle")
		self.assertIn("whistle_app_editable", doc["__onload"])
		return doc

	def test_texts_and_fields_are_the_administrators(self):
		doc = self.load()
		doc["introduction_text"] = "园区、镇街在此吹哨（本区说明）。"
		new_row(
			doc,
			"web_form_fields",
			"Web Form Field",
			{"fieldname": "higher_level_body", "fieldtype": "Data", "label": "上级部门", "read_only": 1},
		)
		desk_save(doc)
		saved = frappe.get_doc("Web Form", "whistle")
		self.assertEqual(saved.introduction_text, "园区、镇街在此吹哨（本区说明）。")
		self.assertIn("higher_level_body", [f.fieldname for f in saved.web_form_fields])

	def test_what_decides_who_writes_what_stays(self):
		doc = self.load()
		row = new_row(
			doc,
			"web_form_fields",
			"Web Form Field",
			{"fieldname": "higher_level_body", "fieldtype": "Data", "label": "上级部门"},
		)
		self.assert_refused(lambda: desk_save(doc), "只读", WebFormSettingError)
		row["read_only"] = 1
		doc["login_required"] = 0
		self.assert_refused(lambda: desk_save(doc), "whistle", WebFormSettingError)
		frappe.set_user(OFFICE)
		self.assertFalse(frappe.has_permission("Web Form", "write", user=OFFICE))
