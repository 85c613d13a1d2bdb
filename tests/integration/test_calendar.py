"""Working-day calendar on the Frappe side (RULES §4, issue #4): records, seeding, confirmation,
cache, the server API and the office reminder."""

from contextlib import contextmanager
from datetime import date, datetime, timedelta
from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_to_date, getdate, now_datetime

from tests.factory import act_as, ensure_demo, make_slip
from whistle_app import api, roles
from whistle_app.calendar import (
	ADJUSTED_WORKING_DAY,
	ADMINISTRATOR,
	DOCTYPE,
	OFFICIAL,
	REST_DAY,
	compute_deadline,
	confirm_year,
	get_calendar_warnings,
	get_work_calendar,
	invalidate_work_calendar,
	office_users,
	remind_unconfirmed_next_year,
	revoke_year_confirmation,
	seed_current_and_next_year,
	seed_year,
	unconfirmed_warning,
)
from whistle_app.clocks import refresh_open_deadlines
from whistle_app.rules.workdays import REST, WORK, china_exceptions, is_working_day
from whistle_app.whistle.doctype.work_calendar_year.work_calendar_year import (
	CalendarYearError,
	DayOutsideYearError,
	DuplicateDayError,
)

D = date.fromisoformat
OFFICE_UNIT = "区吹哨办"
ADMIN_USER = "cal-admin@whistle.localhost"
OFFICE_USER = "cal-office@whistle.localhost"
OFFICE_USER_2 = "cal-office2@whistle.localhost"
PLAIN_USER = "cal-plain@whistle.localhost"
PARK, OFFICE, FGW = "park1@whistle.localhost", "office@whistle.localhost", "fgw@whistle.localhost"


def make_user(email: str, user_roles: list[str], unit: str | None = None) -> str:
	"""A desk user with exactly these roles in this unit (created or updated)."""
	if "System Manager" not in user_roles and not frappe.db.exists("User", PLAIN_USER):
		# Frappe makes the only enabled desk user a System Manager; make sure there is another one.
		make_user(PLAIN_USER, ["System Manager"])
	if frappe.db.exists("User", email):
		user = frappe.get_doc("User", email)
		user.set("roles", [])
	else:
		user = frappe.new_doc("User")
		user.email = email
		user.first_name = email.split("@")[0]
		user.send_welcome_email = 0
		user.user_type = "System User"
	user.whistle_unit = unit
	user.append_roles(*user_roles)
	user.save(ignore_permissions=True)
	return email


def rows(year: int) -> list[tuple]:
	doc = frappe.get_doc(DOCTYPE, str(year))
	return [(str(r.date), r.kind, r.holiday_name, r.source, r.name) for r in doc.days]


def row_of(doc, day: str):
	matches = [r for r in doc.days if getdate(r.date) == D(day)]
	return matches[0] if matches else None


@contextmanager
def count_queries():
	"""Every SQL statement sent through frappe.db while the block runs."""
	queries: list[str] = []
	db_class = frappe.db.__class__
	original = db_class.sql

	def counting_sql(self, query, *args, **kwargs):
		queries.append(str(query))
		return original(self, query, *args, **kwargs)

	db_class.sql = counting_sql
	try:
		yield queries
	finally:
		db_class.sql = original


class CalendarTestCase(FrappeTestCase):
	"""Each test starts from 2026 and 2027 freshly seeded and unconfirmed; all is rolled back."""

	def setUp(self):
		frappe.set_user("Administrator")
		frappe.flags.current_date = None
		self.lang = frappe.local.lang
		for year in (2026, 2027):
			if frappe.db.exists(DOCTYPE, str(year)):
				frappe.delete_doc(DOCTYPE, str(year), force=True, ignore_permissions=True)
			seed_year(year)

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.flags.current_date = None
		frappe.local.lang = self.lang
		frappe.db.rollback()
		invalidate_work_calendar()

	@staticmethod
	def admin_user() -> str:
		return make_user(ADMIN_USER, [roles.WHISTLE_ADMINISTRATOR, roles.WHISTLE_OFFICE], OFFICE_UNIT)

	@staticmethod
	def office_user(email: str = OFFICE_USER) -> str:
		return make_user(email, [roles.WHISTLE_OFFICE], OFFICE_UNIT)


class TestSeeding(CalendarTestCase):
	def test_seeding_creates_the_year_from_the_package(self):
		frappe.delete_doc(DOCTYPE, "2026", force=True, ignore_permissions=True)
		result = seed_year(2026)
		self.assertTrue(result["created"])
		self.assertEqual(result["added"], [d.isoformat() for d in china_exceptions(2026)])
		doc = frappe.get_doc(DOCTYPE, "2026")
		self.assertEqual(doc.year, "2026")
		self.assertFalse(doc.confirmed)
		self.assertTrue(all(r.source == OFFICIAL for r in doc.days))

	def test_seeding_twice_changes_nothing(self):
		frappe.delete_doc(DOCTYPE, "2026", force=True, ignore_permissions=True)
		seed_year(2026)
		before_rows = rows(2026)
		before_modified = frappe.db.get_value(DOCTYPE, "2026", "modified")
		again = seed_year(2026)
		self.assertEqual(
			again,
			{"year": 2026, "created": False, "added": [], "updated": [], "removed": [], "skipped": None},
		)
		self.assertEqual(rows(2026), before_rows)
		self.assertEqual(frappe.db.get_value(DOCTYPE, "2026", "modified"), before_modified)

	def test_seed_current_and_next_year_is_idempotent(self):
		frappe.flags.current_date = D("2026-06-01")
		frappe.delete_doc(DOCTYPE, "2027", force=True, ignore_permissions=True)
		first = seed_current_and_next_year()
		self.assertEqual([r["year"] for r in first], [2026, 2027])
		self.assertFalse(first[0]["created"])
		self.assertTrue(first[1]["created"])
		modified = {y: frappe.db.get_value(DOCTYPE, str(y), "modified") for y in (2026, 2027)}
		second = seed_current_and_next_year()
		for result in second:
			self.assertFalse(result["created"] or result["added"] or result["updated"] or result["removed"])
		self.assertEqual(
			{y: frappe.db.get_value(DOCTYPE, str(y), "modified") for y in (2026, 2027)}, modified
		)

	def test_install_migrate_and_scheduler_are_wired(self):
		from whistle_app import install

		frappe.flags.current_date = D("2026-11-26")
		frappe.delete_doc(DOCTYPE, "2027", force=True, ignore_permissions=True)
		install.after_migrate()
		self.assertTrue(frappe.db.exists(DOCTYPE, "2027"))
		events = frappe.get_hooks("scheduler_events")
		self.assertIn("whistle_app.calendar.seed_current_and_next_year", events["yearly"])
		self.assertIn("whistle_app.calendar.remind_unconfirmed_next_year", events["daily"])

	def test_2026_record_matches_the_notice(self):
		doc = frappe.get_doc(DOCTYPE, "2026")
		self.assertEqual(row_of(doc, "2026-02-14").kind, ADJUSTED_WORKING_DAY)
		for day in ("2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20", "2026-02-23"):
			self.assertEqual(row_of(doc, day).kind, REST_DAY, day)
		self.assertEqual(row_of(doc, "2026-02-17").holiday_name, "春节")
		cal = get_work_calendar()
		self.assertTrue(is_working_day(cal, D("2026-02-14")))
		for offset in range(9):  # 02-15 … 02-23
			day = D("2026-02-15") + timedelta(days=offset)
			self.assertFalse(is_working_day(cal, day), day)
		self.assertTrue(is_working_day(cal, D("2026-02-24")))
		self.assertEqual(cal.kind(D("2026-10-10")), WORK)
		self.assertEqual(cal.kind(D("2026-10-01")), REST)

	def test_administrator_edits_survive_reseeding(self):
		self.admin_user()
		with self.set_user(ADMIN_USER):
			doc = frappe.get_doc(DOCTYPE, "2026")
			row_of(doc, "2026-02-17").holiday_name = "春节（本区）"
			row_of(doc, "2026-10-10").kind = REST_DAY
			doc.remove(row_of(doc, "2026-05-05"))
			doc.append("days", {"date": "2026-03-10", "kind": REST_DAY, "holiday_name": "示例休息日"})
			doc.save()

		doc = frappe.get_doc(DOCTYPE, "2026")
		self.assertEqual(row_of(doc, "2026-02-17").source, ADMINISTRATOR)
		self.assertEqual(row_of(doc, "2026-10-10").source, ADMINISTRATOR)
		self.assertEqual(row_of(doc, "2026-03-10").source, ADMINISTRATOR)
		self.assertEqual(row_of(doc, "2026-02-18").source, OFFICIAL, "an untouched row stays official")
		self.assertIsNone(row_of(doc, "2026-05-05"))
		self.assertEqual(doc.get_removed_days(), [D("2026-05-05")])
		self.assertEqual([r.date for r in doc.days], sorted(r.date for r in doc.days), "rows sorted by date")
		edited = rows(2026)

		result = seed_year(2026)
		self.assertEqual((result["added"], result["updated"], result["removed"]), ([], [], []))
		self.assertEqual(rows(2026), edited)

		# A newer package changes official days: official rows follow it, the administrator's do not.
		newer = dict(china_exceptions(2026))
		newer[D("2026-02-17")] = (REST, "春节（新）")
		newer[D("2026-02-18")] = (REST, "春节（新）")
		del newer[D("2026-06-19")]
		with patch("whistle_app.calendar.china_exceptions", return_value=newer):
			result = seed_year(2026)
		self.assertEqual(result["updated"], ["2026-02-18"])
		self.assertEqual(result["removed"], ["2026-06-19"])
		self.assertEqual(result["added"], [])
		doc = frappe.get_doc(DOCTYPE, "2026")
		self.assertEqual(row_of(doc, "2026-02-17").holiday_name, "春节（本区）")
		self.assertEqual(row_of(doc, "2026-02-18").holiday_name, "春节（新）")
		self.assertEqual(row_of(doc, "2026-10-10").kind, REST_DAY)
		self.assertIsNone(row_of(doc, "2026-05-05"), "a removed day is never added back")
		self.assertIsNone(row_of(doc, "2026-06-19"))
		self.assertEqual(doc.get_removed_days(), [D("2026-05-05")], "seeder removals are not remembered")

	def test_moving_an_official_day_remembers_its_old_date(self):
		doc = frappe.get_doc(DOCTYPE, "2026")
		row_of(doc, "2026-06-19").date = "2026-06-22"
		doc.save()
		doc.reload()
		self.assertEqual(row_of(doc, "2026-06-22").source, ADMINISTRATOR)
		self.assertEqual(doc.get_removed_days(), [D("2026-06-19")])
		seed_year(2026)
		self.assertIsNone(row_of(frappe.get_doc(DOCTYPE, "2026"), "2026-06-19"))

		# Adding the day back by hand lifts the removal.
		doc = frappe.get_doc(DOCTYPE, "2026")
		doc.append("days", {"date": "2026-06-19", "kind": REST_DAY, "holiday_name": "端午节"})
		doc.save()
		self.assertEqual(doc.get_removed_days(), [])

	def test_users_cannot_write_official_rows_or_removed_days(self):
		doc = frappe.get_doc(DOCTYPE, "2026")
		doc.append("days", {"date": "2026-03-11", "kind": REST_DAY, "source": OFFICIAL})
		doc.removed_days = "2026-01-01"
		doc.save()
		self.assertEqual(row_of(doc, "2026-03-11").source, ADMINISTRATOR)
		self.assertFalse(doc.removed_days)

	def test_a_confirmed_year_is_not_reseeded(self):
		confirm_year(2027)
		doc = frappe.get_doc(DOCTYPE, "2027")
		doc.remove(doc.days[0])
		doc.save()
		frappe.db.set_value(DOCTYPE, "2027", "removed_days", None)  # even without the removal record
		self.assertEqual(seed_year(2027)["skipped"], "confirmed")
		self.assertEqual(len(frappe.get_doc(DOCTYPE, "2027").days), len(china_exceptions(2027)) - 1)


class TestValidation(CalendarTestCase):
	def test_days_must_lie_in_the_year(self):
		doc = frappe.get_doc(DOCTYPE, "2026")
		doc.append("days", {"date": "2027-03-10", "kind": REST_DAY})
		self.assertRaises(DayOutsideYearError, doc.save)

	def test_no_day_twice(self):
		doc = frappe.get_doc(DOCTYPE, "2026")
		doc.append("days", {"date": "2026-02-17", "kind": REST_DAY})
		self.assertRaises(DuplicateDayError, doc.save)

	def test_year_range(self):
		for year in ("1999", "2100", "20x6", "２０２８", ""):
			doc = frappe.get_doc({"doctype": DOCTYPE, "year": year})
			self.assertRaises(CalendarYearError, doc.insert)
		if frappe.db.exists(DOCTYPE, "2031"):  # seeded by migrate from 2030 on; rolled back after
			frappe.delete_doc(DOCTYPE, "2031", force=True, ignore_permissions=True)
		doc = frappe.get_doc({"doctype": DOCTYPE, "year": " 2031 "}).insert()
		self.assertEqual((doc.name, doc.year), ("2031", "2031"))

	def test_year_is_unique(self):
		doc = frappe.get_doc({"doctype": DOCTYPE, "year": 2026})
		self.assertRaises(frappe.DuplicateEntryError, doc.insert)


class TestConfirmation(CalendarTestCase):
	def test_confirmation_records_user_and_time(self):
		self.admin_user()
		started = now_datetime().replace(microsecond=0)
		with self.set_user(ADMIN_USER):
			result = confirm_year(2027)
		doc = frappe.get_doc(DOCTYPE, "2027")
		self.assertTrue(doc.confirmed)
		self.assertEqual(doc.confirmed_by, ADMIN_USER)
		self.assertEqual(result["confirmed_by"], ADMIN_USER)
		self.assertGreaterEqual(doc.confirmed_on, started)
		self.assertLessEqual(doc.confirmed_on, add_to_date(now_datetime(), seconds=1))

		# confirming again keeps the first record
		with self.set_user("Administrator"):
			confirm_year(2027)
		self.assertEqual(frappe.db.get_value(DOCTYPE, "2027", "confirmed_by"), ADMIN_USER)

		with self.set_user(ADMIN_USER):
			revoke_year_confirmation(2027)
		self.assertEqual(
			frappe.db.get_value(DOCTYPE, "2027", ["confirmed", "confirmed_by", "confirmed_on"]),
			(0, None, None),
		)

	def test_only_an_administrator_may_confirm(self):
		self.office_user()
		with self.set_user(OFFICE_USER):
			self.assertRaises(frappe.PermissionError, confirm_year, 2027)
			doc = frappe.get_doc(DOCTYPE, "2027")
			doc.confirmed = 1
			self.assertRaises(frappe.PermissionError, doc.save)
		self.assertFalse(frappe.db.get_value(DOCTYPE, "2027", "confirmed"))

	def test_confirmation_cannot_be_forged(self):
		self.admin_user()
		with self.set_user(ADMIN_USER):
			doc = frappe.get_doc(DOCTYPE, "2027")
			doc.confirmed = 1
			doc.confirmed_by = "Administrator"
			doc.confirmed_on = "2020-01-01 00:00:00"
			doc.save()
			self.assertEqual(doc.confirmed_by, ADMIN_USER)
			self.assertGreater(doc.confirmed_on, datetime(2026, 1, 1))
			doc.confirmed_by = "Administrator"
			doc.save()
			self.assertEqual(doc.confirmed_by, ADMIN_USER)

	def test_role_permissions(self):
		self.admin_user()
		self.office_user()
		park = "示例日历园区"
		if not frappe.db.exists("Whistle Unit", park):
			frappe.get_doc({"doctype": "Whistle Unit", "unit_name": park, "unit_type": "Park"}).insert(
				ignore_permissions=True
			)
		agent = make_user("cal-park@whistle.localhost", [roles.PARK_AGENT], park)
		for user in (OFFICE_USER, agent):
			self.assertTrue(frappe.has_permission(DOCTYPE, "read", user=user), user)
			for ptype in ("write", "create", "delete"):
				self.assertFalse(frappe.has_permission(DOCTYPE, ptype, user=user), (user, ptype))
		for ptype in ("read", "write", "create", "delete"):
			self.assertTrue(frappe.has_permission(DOCTYPE, ptype, user=ADMIN_USER), ptype)


class TestDeadlines(CalendarTestCase):
	def test_rules_row_across_the_year_end(self):
		start = datetime(2026, 12, 31, 10)
		self.assertEqual(compute_deadline(start, 1), (datetime(2027, 1, 4, 23, 59, 59), False))
		self.assertEqual(compute_deadline(start, 3), (datetime(2027, 1, 6, 23, 59, 59), False))
		confirm_year(2027)
		self.assertEqual(compute_deadline(start, 1), (datetime(2027, 1, 4, 23, 59, 59), True))

	def test_rules_table_2026(self):
		for event, plus1, plus3 in (
			("2026-02-12", "2026-02-13", "2026-02-24"),
			("2026-02-13", "2026-02-14", "2026-02-25"),
			("2026-02-27", "2026-02-28", "2026-03-03"),
			("2026-04-30", "2026-05-06", "2026-05-08"),
			("2026-09-24", "2026-09-28", "2026-09-30"),
			("2026-09-30", "2026-10-08", "2026-10-10"),
			("2026-01-02", "2026-01-04", "2026-01-06"),
		):
			start = datetime.combine(D(event), datetime.min.time()).replace(hour=10)
			self.assertEqual(compute_deadline(start, 1)[0].date(), D(plus1), event)
			self.assertEqual(compute_deadline(f"{event} 10:00:00", 3)[0].date(), D(plus3), event)

	def test_cache_follows_edits(self):
		start = datetime(2026, 3, 9, 10)  # Monday
		self.assertEqual(compute_deadline(start, 1)[0].date(), D("2026-03-10"))
		doc = frappe.get_doc(DOCTYPE, "2026")
		doc.append("days", {"date": "2026-03-10", "kind": REST_DAY, "holiday_name": "示例休息日"})
		doc.save()
		self.assertEqual(compute_deadline(start, 1)[0].date(), D("2026-03-11"))
		doc.remove(row_of(doc, "2026-03-10"))
		doc.save()
		self.assertEqual(compute_deadline(start, 1)[0].date(), D("2026-03-10"))

	def test_open_deadlines_follow_the_calendar_and_answered_ones_are_kept(self):
		"""A day added to an unconfirmed year moves the response deadlines still ahead (noted on the
		slip); an answered one is kept; confirming the year removes every warning (RULES §4)."""
		frappe.local.lang = "zh"
		ensure_demo()
		slips = []
		for _i in range(2):
			with self.freeze_time("2026-12-31 09:00:00"):
				slip = make_slip(PARK)
				act_as(PARK, slip.name, "提交吹哨")
			with self.freeze_time("2026-12-31 10:00:00"):
				act_as(
					OFFICE, slip.name, "派单", scope="Single", departments=[("发展和改革委", "Sole", None)]
				)
			slips.append(slip.name)
		open_slip, answered = slips
		with self.freeze_time("2027-01-01 09:00:00"):
			act_as(
				FGW,
				answered,
				"报到",
				planned_completion="2027-01-29",
				work_plan="现场办公",
				responsible_persons="赵示例",
			)
		for name in slips:
			values = frappe.db.get_value("Whistle Slip", name, ["response_deadline", "calendar_warning"])
			self.assertEqual(values, (datetime(2027, 1, 4, 23, 59, 59), "2027 年工作日历尚未确认"))

		with self.freeze_time("2027-01-02 12:00:00"):
			doc = frappe.get_doc(DOCTYPE, "2027")
			doc.append("days", {"date": "2027-01-04", "kind": REST_DAY, "holiday_name": "示例补休"})
			doc.save()
		self.assertEqual(
			frappe.db.get_value("Whistle Slip", open_slip, "response_deadline"),
			datetime(2027, 1, 5, 23, 59, 59),
		)
		self.assertEqual(
			frappe.db.get_value("Whistle Slip", answered, "response_deadline"),
			datetime(2027, 1, 4, 23, 59, 59),
		)
		notes = frappe.get_all(
			"Comment", filters={"reference_name": open_slip, "comment_type": "Info"}, pluck="content"
		)
		self.assertTrue(any("工作日历已调整" in note and "2027-01-05" in note for note in notes), notes)

		with self.freeze_time("2027-01-02 12:05:00"):
			confirm_year(2027)
			refreshed_again = refresh_open_deadlines()
		for name in slips:
			self.assertFalse(frappe.db.get_value("Whistle Slip", name, "calendar_warning"))
		self.assertEqual(refreshed_again, [], "a second refresh changes nothing")

	def test_deleting_a_year_falls_back_to_weekends(self):
		self.assertEqual(compute_deadline(datetime(2026, 9, 30, 10), 1)[0].date(), D("2026-10-08"))
		frappe.delete_doc(DOCTYPE, "2026", force=True, ignore_permissions=True)
		self.assertEqual(compute_deadline(datetime(2026, 9, 30, 10), 1)[0].date(), D("2026-10-01"))

	def test_deadlines_cost_no_queries_and_no_redis_calls(self):
		invalidate_work_calendar()
		with count_queries() as warm_up:
			unconfirmed_warning(compute_deadline(datetime(2026, 1, 5, 9), 1)[0])
		self.assertGreaterEqual(len(warm_up), 1, "the counter sees the query that loads the calendar")

		starts = [datetime(2026, 1, 1, 10) + timedelta(hours=7 * i) for i in range(1000)]
		with count_queries() as queries, self.assertRedisCallCounts(0):
			for i in range(10_000):
				deadline, _confirmed = compute_deadline(starts[i % 1000], 1 + i % 5)
				unconfirmed_warning(deadline)
		self.assertEqual(queries, [])

	def test_unconfirmed_warning(self):
		frappe.local.lang = "zh"
		self.assertEqual(unconfirmed_warning(datetime(2027, 1, 4, 23, 59, 59)), "2027 年工作日历尚未确认")
		# the warning is stored on the slip for everyone: in the site's language, whatever the language
		# of the request or job that writes it (issue #20)
		frappe.local.lang = "en"
		self.assertEqual(unconfirmed_warning(datetime(2027, 1, 4, 23, 59, 59)), "2027 年工作日历尚未确认")
		confirm_year(2027)
		self.assertIsNone(unconfirmed_warning(datetime(2027, 1, 4, 23, 59, 59)))
		self.assertIsNone(unconfirmed_warning(None))

	def test_office_warnings(self):
		frappe.local.lang = "zh"
		confirm_year(2026)
		frappe.flags.current_date = D("2026-10-31")
		self.assertEqual(get_calendar_warnings(), [])
		frappe.flags.current_date = D("2026-11-01")
		self.assertEqual(get_calendar_warnings(), ["2027 年工作日历尚未确认"])
		confirm_year(2027)
		self.assertEqual(get_calendar_warnings(), [])

	def test_cache_forgets_rolled_back_changes(self):
		frappe.db.rollback()
		start = datetime(2026, 3, 9, 10)  # Monday; 03-10 is a working day in the stored calendar
		baseline = compute_deadline(start, 1)
		self.assertEqual(baseline[0].date(), D("2026-03-10"))
		doc = frappe.get_doc(DOCTYPE, "2026")
		doc.append("days", {"date": "2026-03-10", "kind": REST_DAY})
		doc.save()
		self.assertEqual(compute_deadline(start, 1)[0].date(), D("2026-03-11"))
		frappe.db.rollback()
		self.assertEqual(compute_deadline(start, 1), baseline)


class TestDeadlineApi(CalendarTestCase):
	def test_valid_input_returns_the_documented_shape(self):
		self.office_user()
		with self.set_user(OFFICE_USER):
			result = api.get_deadline("2026-12-31T10:00:00", 1)
			self.assertEqual(result, {"deadline": "2027-01-04T23:59:59+08:00", "confirmed": False})
			self.assertEqual(api.get_deadline("2026-12-31T02:00:00Z", 1), result, "aware input → Shanghai")
			self.assertEqual(
				api.get_deadline("2026-02-13T10:00:00+08:00", 3),
				{"deadline": "2026-02-25T23:59:59+08:00", "confirmed": False},
			)
			# as sent over HTTP: the number arrives as text
			via_call = frappe.call(
				"whistle_app.api.get_deadline", start="2026-12-31T10:00:00", working_days="1"
			)
			self.assertEqual(via_call, result)
		confirm_year(2027)
		with self.set_user(OFFICE_USER):
			self.assertTrue(api.get_deadline("2026-12-31T10:00:00", 1)["confirmed"])

	def test_bad_input_is_rejected_clearly(self):
		self.office_user()
		with self.set_user(OFFICE_USER):
			for start in ("tomorrow", "2026-02-30T10:00:00", "", "1999-12-31T10:00:00", "<b>x</b>"):
				with self.assertRaises(api.InvalidStartError) as caught:
					api.get_deadline(start, 1)
				self.assertIn("ISO 8601", str(caught.exception))
				self.assertNotIn("<b>", str(caught.exception))
			for n in (0, -1, 3651):
				with self.assertRaises(api.InvalidWorkingDaysError) as caught:
					api.get_deadline("2026-12-31T10:00:00", n)
				self.assertIn("3650", str(caught.exception))
			with self.assertRaises(frappe.FrappeTypeError):
				api.get_deadline("2026-12-31T10:00:00", "three")

	def test_needs_a_logged_in_user(self):
		self.office_user()
		with self.set_user("Guest"):
			self.assertRaises(frappe.PermissionError, frappe.is_whitelisted, api.get_deadline)
		with self.set_user(OFFICE_USER):
			frappe.is_whitelisted(api.get_deadline)


class TestReminder(CalendarTestCase):
	def setUp(self):
		super().setUp()
		self.admin_user()
		self.office_user()
		self.office_user(OFFICE_USER_2)
		confirm_year(2026)

	def logs(self, year: int) -> list[str]:
		return frappe.get_all(
			"Notification Log",
			filters={"document_type": DOCTYPE, "document_name": str(year), "type": "Alert"},
			pluck="for_user",
		)

	def test_reminder_from_1_november_once_per_office_user(self):
		users = office_users()
		self.assertTrue({ADMIN_USER, OFFICE_USER, OFFICE_USER_2} <= set(users))
		self.assertNotIn(PLAIN_USER, users)

		frappe.flags.current_date = D("2026-10-31")
		self.assertEqual(remind_unconfirmed_next_year(), [])
		self.assertEqual(self.logs(2027), [])

		frappe.flags.current_date = D("2026-11-01")
		sent = remind_unconfirmed_next_year()
		self.assertEqual(sorted(sent), sorted((user, 2027) for user in users))
		self.assertEqual(sorted(self.logs(2027)), sorted(users), "one notification per office user")

		self.assertEqual(remind_unconfirmed_next_year(), [], "a second run sends nothing")
		frappe.flags.current_date = D("2026-11-20")
		self.assertEqual(remind_unconfirmed_next_year(), [])
		frappe.flags.current_date = D("2027-01-05")  # 2027 still unconfirmed: already reminded
		self.assertEqual(remind_unconfirmed_next_year(), [])
		self.assertEqual(sorted(self.logs(2027)), sorted(users))

	def test_no_reminder_once_next_year_is_confirmed(self):
		confirm_year(2027)
		frappe.flags.current_date = D("2026-11-01")
		self.assertEqual(remind_unconfirmed_next_year(), [])
		self.assertEqual(self.logs(2027), [])

	def test_reminder_subject_is_translated(self):
		frappe.local.lang = "zh"
		frappe.flags.current_date = D("2026-11-01")
		remind_unconfirmed_next_year()
		subject = frappe.db.get_value(
			"Notification Log",
			{"document_type": DOCTYPE, "document_name": "2027", "for_user": OFFICE_USER},
			"subject",
		)
		self.assertEqual(subject, "请对照国务院通知确认 2027 年工作日历")
