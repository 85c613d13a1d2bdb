"""Organisation (RULES §1, §10): install-time units, membership rules, access through every path."""

import frappe
from frappe.tests.utils import FrappeTestCase

from tests.factory import ensure_demo, make_unit, make_user
from whistle_app import roles
from whistle_app.install import after_migrate
from whistle_app.organisation import REPORTING_UNIT, TOWN, UnitMembershipError, get_user_unit
from whistle_app.permissions import has_permission
from whistle_app.setup.default_units import CLASS_A, CLASS_B, CLASS_C


def reporting_units() -> list[tuple[str, str]]:
	return frappe.get_all(
		"Whistle Unit",
		filters={"unit_type": REPORTING_UNIT},
		fields=["name", "assessment_class"],
		order_by="display_order asc",
		as_list=True,
	)


def has_chinese(text: str) -> bool:
	return any("\u4e00" <= ch <= "\u9fff" for ch in text)


class TestInstallTimeUnits(FrappeTestCase):
	def test_forty_units_in_class_and_plan_order(self):
		expected = [(n, "A") for n in CLASS_A] + [(n, "B") for n in CLASS_B] + [(n, "C") for n in CLASS_C]
		self.assertEqual(len(expected), 40)
		self.assertEqual([tuple(r) for r in reporting_units()], expected)
		for office in ("区吹哨办", "区党政领导", "区效能办"):
			self.assertTrue(frappe.db.exists("Whistle Unit", office))

	def test_second_migrate_changes_nothing(self):
		before = frappe.get_all("Whistle Unit", fields=["name", "modified"], order_by="name")
		after_migrate()
		self.assertEqual(frappe.get_all("Whistle Unit", fields=["name", "modified"], order_by="name"), before)

	def test_admin_edits_survive_migrate(self):
		unit = frappe.get_doc("Whistle Unit", "教育局")
		unit.principal_leader_phone = "0523-86660000"
		unit.save()
		frappe.rename_doc("Whistle Unit", "国资办", "国有资产管理办公室")
		# force: monthly bulletins and evaluations may list every reporting unit; the point here is migrate
		frappe.delete_doc("Whistle Unit", "气象局", force=True)
		after_migrate()
		self.assertEqual(
			frappe.db.get_value("Whistle Unit", "教育局", "principal_leader_phone"), "0523-86660000"
		)
		self.assertFalse(frappe.db.exists("Whistle Unit", "国资办"), "a renamed unit is not created again")
		self.assertFalse(frappe.db.exists("Whistle Unit", "气象局"), "a deleted unit is not created again")

	def test_class_required_for_reporting_units_only(self):
		frappe.local.lang = "zh"
		with self.assertRaises(frappe.ValidationError) as cm:
			make_unit("测试部门甲", REPORTING_UNIT)
		self.assertTrue(has_chinese(str(cm.exception)), str(cm.exception))
		with self.assertRaises(frappe.ValidationError):
			make_unit("测试园区甲", TOWN, assessment_class="A")
		frappe.local.lang = "en"


class TestMembership(FrappeTestCase):
	def setUp(self):
		frappe.local.lang = "zh"

	def tearDown(self):
		frappe.local.lang = "en"

	def test_product_role_needs_a_unit(self):
		with self.assertRaises(UnitMembershipError) as cm:
			make_user("nounit@test.localhost", [roles.PARK_AGENT])
		self.assertIn("必须属于一个单位", str(cm.exception))

	def test_role_must_fit_unit_type(self):
		make_unit("测试园区乙")
		with self.assertRaises(UnitMembershipError) as cm:
			make_user("wrongfit@test.localhost", [roles.DEPARTMENT_LIAISON], unit="测试园区乙")
		self.assertIn("不适用于单位", str(cm.exception))
		with self.assertRaises(UnitMembershipError):
			make_user("wrongfit2@test.localhost", [roles.PARK_AGENT], unit="教育局")
		self.assertFalse(frappe.db.exists("User", "wrongfit@test.localhost"))

	def test_second_unit_rejected(self):
		make_user("liaison@test.localhost", [roles.DEPARTMENT_LIAISON], unit="教育局")
		other = frappe.get_doc("Whistle Unit", "财政局")
		other.append("liaisons", {"user": "liaison@test.localhost"})
		with self.assertRaises(UnitMembershipError) as cm:
			other.save()
		self.assertIn("已属于单位", str(cm.exception))
		self.assertEqual(frappe.db.get_value("User", "liaison@test.localhost", "whistle_unit"), "教育局")

	def test_liaison_without_unit_joins_the_unit(self):
		make_user("joiner@test.localhost", [])
		unit = frappe.get_doc("Whistle Unit", "司法局")
		unit.append("liaisons", {"user": "joiner@test.localhost"})
		unit.save()
		self.assertEqual(get_user_unit("joiner@test.localhost"), "司法局")

	def test_unit_cache_follows_changes(self):
		make_user("mover@test.localhost", [roles.DEPARTMENT_LIAISON], unit="教育局")
		self.assertEqual(get_user_unit("mover@test.localhost"), "教育局")
		user = frappe.get_doc("User", "mover@test.localhost")
		user.whistle_unit = "财政局"
		user.save()
		self.assertEqual(get_user_unit("mover@test.localhost"), "财政局")


class TestUnitAccess(FrappeTestCase):
	"""List query, has_permission and link search agree, per role."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		ensure_demo()

	def visible(self, user: str) -> tuple[set[str], set[str], set[str]]:
		frappe.set_user(user)
		try:
			listed = set(frappe.get_list("Whistle Unit", pluck="name", limit_page_length=0))
			all_units = frappe.get_all("Whistle Unit", pluck="name")
			checked = {
				u for u in all_units if frappe.has_permission("Whistle Unit", "read", doc=u, user=user)
			}
			from frappe.desk.search import search_widget

			searched = {r[0] for r in search_widget("Whistle Unit", "", page_length=1000, as_dict=False)}
		finally:
			frappe.set_user("Administrator")
		return listed, checked, searched

	def test_paths_agree_for_every_role(self):
		reporting = {n for n, _c in reporting_units()}
		all_units = set(frappe.get_all("Whistle Unit", pluck="name"))
		expectations = {
			"office@whistle.localhost": all_units,
			"leader@whistle.localhost": all_units,
			"efficiency@whistle.localhost": all_units,
			"park1@whistle.localhost": reporting | {"示例园区一"},
			"fgw@whistle.localhost": reporting,
		}
		for user, expected in expectations.items():
			listed, checked, searched = self.visible(user)
			self.assertEqual(listed, expected, user)
			self.assertEqual(checked, expected, user)
			self.assertEqual(searched, expected, user)

	def test_department_edits_only_its_own_unit(self):
		own = frappe.get_doc("Whistle Unit", "发展和改革委")
		other = frappe.get_doc("Whistle Unit", "教育局")
		self.assertIsNone(has_permission(own, "write", "fgw@whistle.localhost"))
		self.assertFalse(has_permission(other, "write", "fgw@whistle.localhost"))
		self.assertFalse(
			frappe.has_permission("Whistle Unit", "write", doc=own, user="park1@whistle.localhost")
		)
		# a document dressed up as the user's own unit still fails on its stored row
		other.name = "教育局"
		other.unit_type = REPORTING_UNIT
		self.assertFalse(has_permission(other, "write", "fgw@whistle.localhost"))


class TestOrganisationReports(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		ensure_demo()

	def run_report(self, name: str, user: str, filters: dict | None = None) -> dict:
		from frappe.desk.query_report import run

		frappe.set_user(user)
		try:
			return run(name, filters=filters or {})
		finally:
			frappe.set_user("Administrator")

	def test_directory_groups_by_class_with_chain(self):
		result = self.run_report("Whistle Unit Directory", "office@whistle.localhost")
		rows = result["result"]
		classes = [r["assessment_class"] for r in rows if r["assessment_class"]]
		self.assertEqual(classes, sorted(classes), "grouped by class A, B, C")
		self.assertEqual(classes.count("A"), 14)
		fgw = next(r for r in rows if r["name"] == "发展和改革委")
		self.assertEqual(fgw["principal_leader_name"], "王示例")
		self.assertGreaterEqual(fgw["liaison_count"], 1)
		self.assertEqual(result["chart"]["data"]["datasets"][0]["values"][0], 14)

	def test_directory_filtered_by_class(self):
		rows = self.run_report(
			"Whistle Unit Directory", "leader@whistle.localhost", {"assessment_class": "C"}
		)["result"]
		self.assertEqual([r["name"] for r in rows], CLASS_C)

	def test_directory_lists_the_units_whose_chain_is_incomplete(self):
		"""The office desk's shortcut 问责链条待补登单位 (issue #25): assessed units lacking a person the
		consequences name; a unit whose division head is removed joins the list."""
		unit = frappe.get_doc("Whistle Unit", "发展和改革委")
		before = {r["name"] for r in self.run_report(*self.INCOMPLETE)["result"]}
		self.assertNotIn(unit.name, before)
		frappe.db.set_value("Whistle Unit", unit.name, "division_head_name", None)
		rows = self.run_report(*self.INCOMPLETE)["result"]
		self.assertEqual({r["name"] for r in rows}, before | {unit.name})
		self.assertTrue(all(r["assessment_class"] for r in rows), "only assessed units")
		self.assertTrue(
			all(
				not (r["principal_leader_name"] and r["deputy_leader_name"] and r["division_head_name"])
				for r in rows
			)
		)

	INCOMPLETE = ("Whistle Unit Directory", "office@whistle.localhost", {"chain_incomplete": 1})

	def test_directory_refused_to_park_users(self):
		with self.assertRaises(frappe.PermissionError):
			self.run_report("Whistle Unit Directory", "park1@whistle.localhost")

	def test_members_report_shows_who_is_missing(self):
		rows = {
			r["unit"]: r
			for r in self.run_report("Whistle Unit Members", "office@whistle.localhost")["result"]
		}
		self.assertIn("fgw@whistle.localhost", rows["发展和改革委"]["members"])
		self.assertEqual(rows["发展和改革委"]["missing"], "")
		self.assertIn(frappe._("Department Leader"), rows["住房和城乡建设局"]["missing"])
		self.assertEqual(rows["教育局"]["member_count"], 0)
		with self.assertRaises(frappe.PermissionError):
			self.run_report("Whistle Unit Members", "fgw@whistle.localhost")


class TestUnitLifecycle(FrappeTestCase):
	def test_unit_with_members_cannot_be_deleted(self):
		make_unit("测试园区丙")
		make_user("member@test.localhost", [roles.PARK_AGENT], unit="测试园区丙")
		with self.assertRaises(frappe.LinkExistsError):
			frappe.delete_doc("Whistle Unit", "测试园区丙")

	def test_units_with_slips_cannot_be_deleted(self):
		ensure_demo()  # demo whistles of 示例园区一, dispatched to 住房和城乡建设局 among others
		for unit in ("示例园区一", "住房和城乡建设局"):
			with self.assertRaises(frappe.LinkExistsError):
				frappe.delete_doc("Whistle Unit", unit)
			self.assertTrue(frappe.db.exists("Whistle Unit", unit))

	def test_disabled_unit_keeps_its_members(self):
		make_unit("测试园区丁")
		make_user("member2@test.localhost", [roles.PARK_AGENT], unit="测试园区丁")
		unit = frappe.get_doc("Whistle Unit", "测试园区丁")
		unit.enabled = 0
		unit.save()
		self.assertEqual(get_user_unit("member2@test.localhost"), "测试园区丁")


class TestRoleProfiles(FrappeTestCase):
	def test_one_profile_per_kind_of_user(self):
		from whistle_app.organisation import ensure_role_profiles
		from whistle_app.roles import ROLE_PROFILES

		self.assertEqual(ensure_role_profiles(), [], "installed once; a second run creates nothing")
		for name, profile_roles in ROLE_PROFILES.items():
			self.assertEqual({r.role for r in frappe.get_doc("Role Profile", name).roles}, set(profile_roles))
