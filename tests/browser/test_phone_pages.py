"""Phones (issue #20): the park files a whistle naming its enterprise (registered on the spot with a
credit code pasted with a leading space) with a photo; the lead department reports for duty with the
joint meeting, adds progress and completes, each from one dialog with one button, every missing field
named at once; the park reads the plan, progress and result and confirms (确认解决 primary, 重办
danger); the home page counts the work. Everything these pages draw is Chinese."""

import re
import uuid
from datetime import timedelta

import frappe
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser.conftest import assert_fits_phone, login, phone_page, wait_db
from tests.factory import act_as, credit_code, dispatched_slip, ensure_demo
from tests.integration.cleanup import purge_all
from whistle_app.dev import demo

PARK = "park1@whistle.localhost"
FGW = "fgw@whistle.localhost"
# a 1×1 PNG
PHOTO = bytes.fromhex(
	"89504e470d0a1a0a0000000d4948445200000001000000010806000000"
	"1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
# Latin words allowed on these pages: codes (CS-2026-00001), units (MB), file names and the time zone
LATIN = re.compile(r"[A-Za-z]{2,}")
ALLOWED = {"CS", "MB", "png", "Asia", "Shanghai"}


def assert_chinese(page, selector: str) -> None:
	"""No Latin word on what ``selector`` shows, file names of the attachments left aside."""
	texts = page.evaluate(
		"""(sel) => [...document.querySelectorAll(sel)].map((el) => {
			let text = el.innerText;
			el.querySelectorAll(".whistle-attachments a, .whistle-staged li").forEach((a) => {
				text = text.split(a.innerText).join("");
			});
			return text;
		})""",
		selector,
	)
	for text in texts:
		words = set(LATIN.findall(text)) - ALLOWED
		assert not words, f"English on the page ({selector}): {sorted(words)}"


def state(name: str) -> str:
	return frappe.db.get_value("Whistle Slip", name, "workflow_state")


def close_message(page, message) -> None:
	"""Close Frappe's message dialog on top of the step's dialog (its own hide, as its close button)."""
	for _ in range(20):  # Bootstrap ignores a hide while the dialog is still fading in: again until gone
		page.evaluate("() => frappe.msg_dialog && frappe.msg_dialog.hide()")
		try:
			message.wait_for(state="hidden", timeout=1_500)
			return
		except PlaywrightTimeout:
			continue
	raise AssertionError("the message did not close")


def dialog_submit(page, values: dict[str, str]) -> None:
	dialog = page.locator(".modal.show .modal-dialog").last
	dialog.wait_for(timeout=30_000)
	for fieldname, value in values.items():
		dialog.locator(f'[data-fieldname="{fieldname}"] :is(input, textarea)').first.fill(value)
	dialog.locator(".btn-primary").first.click()


def reloading(page):
	"""A step that succeeds reloads the page (``whistle_web.js``): wait for that reload, so the next
	navigation does not race it (a late reload would abort it or wipe the next dialog)."""
	return page.expect_navigation(wait_until="load", timeout=60_000)


def test_park_and_department_do_their_daily_steps_on_phones(live_server, browser, artifacts_dir):
	ensure_demo()
	marker = str(uuid.uuid4().int)[:6]  # digits: names stay free of Latin letters
	code = credit_code(int(marker) + 770000)
	title = f"手机流转测试 {marker}"
	names = []
	context, page = phone_page(browser)
	try:
		# the park: a whistle with a newly registered enterprise and a photo
		login(page, live_server, PARK, demo.DEMO_PASSWORD, landing="**")
		page.goto(f"{live_server}/whistle/new")
		page.wait_for_selector(".whistle-add-enterprise", timeout=30_000)
		page.fill('[data-fieldname="title"] input', title)
		page.select_option('[data-fieldname="category"] select', "Comprehensive Coordination")
		page.fill('[data-fieldname="description"] textarea', "企业反映厂区道路积水")
		page.click(".whistle-add-enterprise")
		dialog_submit(page, {"enterprise_name": f"手机企业{marker}", "credit_code": f" {code}"})
		page.wait_for_function(
			"(code) => frappe.web_form.get_value('enterprise') === code", arg=code, timeout=30_000
		)
		page.set_input_files(
			".whistle-files", files=[{"name": "现场照片.png", "mimeType": "image/png", "buffer": PHOTO}]
		)
		page.wait_for_selector(".whistle-staged li", timeout=30_000)
		assert page.locator(".whistle-camera").get_attribute("capture") == "environment"
		assert_chinese(page, ".whistle-new-attachments, .whistle-add-enterprise")
		assert_fits_phone(page)
		page.screenshot(path=str(artifacts_dir / "phone-whistle-enterprise-photo.png"), full_page=True)
		page.click("button.submit-btn")
		wait_db(lambda: frappe.db.get_value("Whistle Slip", {"title": title}))
		name = frappe.db.get_value("Whistle Slip", {"title": title})
		names.append(name)
		wait_db(lambda: frappe.db.count("File", {"attached_to_name": name, "is_private": 1}) == 1)
		assert frappe.db.get_value("Whistle Slip", name, "enterprise") == code

		act_as(PARK, name, "提交吹哨")
		act_as(
			"office@whistle.localhost",
			name,
			"派单",
			scope="Multi",
			departments=[("发展和改革委", "Lead", None), ("住房和城乡建设局", "Co", "配合办理")],
		)
		frappe.db.commit()
		context.close()

		# the lead department: 报到 with the joint meeting, progress, 办结
		context, page = phone_page(browser)
		login(page, live_server, FGW, demo.DEMO_PASSWORD, landing="**")
		page.goto(f"{live_server}/whistle-report/{name}")
		page.click(".whistle-step[data-step='报到']", timeout=30_000)
		dialog_submit(page, {})
		error = page.locator(".modal.show").filter(has_text="请填写").last
		error.wait_for(timeout=30_000)
		assert "工作方案、计划办结日期、责任人" in error.inner_text()
		assert_chinese(page, ".modal.show")
		close_message(page, error)  # the step's dialog stays, with what was typed
		with reloading(page):
			dialog_submit(
				page,
				{
					"work_plan": "现场会商，分头办理",
					"planned_completion": frappe.utils.add_days(frappe.utils.today(), 20),
					"responsible_persons": "赵示例",
				},
			)
		wait_db(lambda: state(name) == "待审核抄送", page=page)
		act_as("office@whistle.localhost", name, "审核抄送")
		frappe.db.commit()
		page.goto(f"{live_server}/whistle-report/{name}")
		page.click(".whistle-step[data-step='记录联商会办']", timeout=30_000)
		page.wait_for_selector('.modal.show [data-fieldname="meeting_date"] input', timeout=30_000)
		# held the second after the dispatch: never before it nor in the future, whatever this
		# process's clock says against the web server's
		dispatched = frappe.utils.get_datetime(frappe.db.get_value("Whistle Slip", name, "dispatched_on"))
		held = (dispatched.replace(microsecond=0) + timedelta(seconds=1)).strftime("%Y-%m-%d %H:%M:%S")
		page.evaluate("(held) => whistle_app.current_dialog.set_value('meeting_date', held)", held)
		with reloading(page):
			dialog_submit(
				page,
				{
					"meeting_departments": "发展和改革委、住房和城乡建设局",
					"meeting_minutes": "已会商",
					"meeting_solution": "分头办理",
					"meeting_task_division": "住房和城乡建设局：配合办理",
				},
			)
		wait_db(lambda: bool(frappe.db.get_value("Whistle Slip", name, "meeting_recorded_on")), page=page)
		page.wait_for_selector(".whistle-step[data-step='添加进展']", timeout=30_000)
		page.click(".whistle-step[data-step='添加进展']")
		with reloading(page):
			dialog_submit(page, {"content": "已现场查看"})
		wait_db(lambda: frappe.db.count("Whistle Slip Progress", {"parent": name}) == 1, page=page)
		page.wait_for_selector(".whistle-progress", timeout=30_000)
		page.click(".whistle-step[data-step='办结']", timeout=30_000)
		with reloading(page):
			dialog_submit(page, {"result": "积水已排除"})
		wait_db(lambda: state(name) == "待确认评价", page=page)
		context.close()

		# the park: the facts, then 确认解决
		context, page = phone_page(browser)
		login(page, live_server, PARK, demo.DEMO_PASSWORD, landing="**")
		page.goto(f"{live_server}/whistle/{name}")
		page.wait_for_selector(".whistle-result", timeout=30_000)
		facts = page.inner_text(".whistle-facts")
		for expected in (
			"待确认评价",
			"现场会商，分头办理",
			"已现场查看",
			"积水已排除",
			"报到时限",
			f"手机企业{marker}",
		):
			assert expected in facts, expected
		confirm = page.locator(".whistle-action[data-action='确认解决']")
		assert "btn-primary" in confirm.get_attribute("class")
		assert "btn-danger" in page.locator(".whistle-action[data-action='重办']").get_attribute("class")
		assert_chinese(page, ".whistle-facts, .whistle-actions")
		assert_fits_phone(page)
		page.screenshot(path=str(artifacts_dir / "phone-park-completed-facts.png"), full_page=True)
		with reloading(page):
			confirm.click()
		wait_db(lambda: state(name) == "待销号", page=page)

		# home: 首页 leads to the Chinese home page with the counts
		page.goto(f"{live_server}/")  # where 首页 (the brand link) leads every signed-in user
		page.wait_for_selector(".whistle-home .whistle-tile", timeout=30_000)
		assert "园区吹哨" in page.inner_text(".whistle-home") and "待我评价" in page.inner_text(
			".whistle-home"
		)
		assert_chinese(page, ".whistle-home")
		assert_fits_phone(page)
	finally:
		context.close()
		frappe.db.rollback()
		purge_all([("Whistle Slip", n) for n in names])
		frappe.db.delete("Enterprise", {"name": code})
		frappe.db.commit()
