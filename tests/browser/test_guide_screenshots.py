"""The user guide's screenshots (docs/guide/*.md, issue #9), taken from the demo data as the demo users.

Each test checks what the page shows before it saves the picture to ``SCREENSHOTS``/guide/ (the annual
ranking also to ``SCREENSHOTS``/annual-ranking.png for the README): test-artifacts/ on a test run, the
documentation's images with `make screenshots`. The annual ranking needs an evaluated
year: ``demo.ensure_demo_evaluation(2023)`` makes one and commits it so that the web server sees it;
afterwards the test removes it again, because the evaluation tests compute 2023 themselves (a final
2023 evaluation left on the test site would be returned to them unchanged).
"""

import re
from pathlib import Path

import frappe
from frappe.modules.import_file import import_file_by_path
from playwright.sync_api import expect

from tests.admin_desk import CONFIGURATOR, make_configurator
from tests.browser.chinese import assert_chinese
from tests.browser.conftest import SCREENSHOTS, assert_fits_phone, login, phone_page, wait_db
from tests.conftest import REPO_ROOT
from tests.factory import ensure_demo
from tests.integration.cleanup import purge
from whistle_app import evaluation as ev
from whistle_app.configuration import WEB_FORM_FOLDER
from whistle_app.dev import demo
from whistle_app.rules import survey as sv

GUIDE_IMAGES = SCREENSHOTS / "guide"
GUIDE = REPO_ROOT / "docs" / "guide"
GUIDE_YEAR = 2023
PARK = "park1@whistle.localhost"
FGW = "fgw@whistle.localhost"
LEADER = "leader@whistle.localhost"
EFFICIENCY = "efficiency@whistle.localhost"


def save(page, name: str, full_page: bool = False) -> Path:
	GUIDE_IMAGES.mkdir(parents=True, exist_ok=True)
	path = GUIDE_IMAGES / name
	page.screenshot(path=str(path), full_page=full_page)
	return path


def test_park_files_a_whistle_on_a_phone(live_server, browser):
	ensure_demo()
	context, page = phone_page(browser)
	try:
		login(page, live_server, PARK, demo.DEMO_PASSWORD)
		page.goto(f"{live_server}/whistle/new")
		page.wait_for_selector('[data-fieldname="title"] input', timeout=30_000)
		assert "园区吹哨" in page.inner_text("h1")
		form = page.inner_text(".web-form-wrapper, .web-form")
		for label in ("事项名称", "吹哨类别", "问题描述", "企业诉求"):
			assert label in form, label
		page.fill('[data-fieldname="title"] input', "企业厂房周边道路积水")
		page.select_option('[data-fieldname="category"] select', "Comprehensive Coordination")
		assert_fits_phone(page)
		save(page, "park-whistle-phone.png")
	finally:
		context.close()


def test_park_ratings_on_a_phone(live_server, browser):
	ensure_demo()
	frappe.db.rollback()
	pending = frappe.get_all(
		"Whistle Rating",
		filters={"rater_unit": "示例园区一", "docstatus": 0},
		fields=["name", "rated_department"],
	)
	assert pending, "the demo leaves 示例园区一 a rating to give"
	context, page = phone_page(browser)
	try:
		login(page, live_server, PARK, demo.DEMO_PASSWORD)
		page.goto(f"{live_server}/ratings")
		page.wait_for_selector(".whistle-pending", timeout=30_000)
		assert "待我评价" in page.inner_text("h1")
		shown = {card.get_attribute("data-rating") for card in page.locator(".whistle-pending").all()}
		assert shown == {r.name for r in pending}
		text = page.inner_text("body")
		assert all(r.rated_department in text for r in pending)
		assert_fits_phone(page)
		save(page, "park-ratings-phone.png")
	finally:
		context.close()


def test_department_report_list_on_a_phone(live_server, browser):
	ensure_demo()
	frappe.db.rollback()
	on_fgw = set(
		frappe.get_all(
			"Whistle Slip Department",
			filters={"department": "发展和改革委", "parenttype": "Whistle Slip"},
			pluck="parent",
		)
	)
	titles = set(frappe.get_all("Whistle Slip", filters={"name": ("in", list(on_fgw))}, pluck="title"))
	assert titles
	context, page = phone_page(browser)
	try:
		login(page, live_server, FGW, demo.DEMO_PASSWORD)
		page.goto(f"{live_server}/whistle-report")
		page.wait_for_selector(".web-list-table, .list-table", timeout=30_000)
		page.wait_for_load_state("networkidle")
		text = page.inner_text("body")
		assert "部门报到" in text
		listed = {t for t in titles if t in text}
		assert listed, "the department's whistles are listed"
		others = set(
			frappe.get_all("Whistle Slip", filters={"name": ("not in", list(on_fgw))}, pluck="title")
		)
		assert not {t for t in others if t and t not in titles and t in text}, (
			"another unit's whistle is listed"
		)
		assert_fits_phone(page)
		width, scroll = page.evaluate(
			"() => [document.querySelector('.web-list-table').clientWidth,"
			" document.querySelector('.web-list-table').scrollWidth]"
		)
		assert scroll <= width, f"the list scrolls sideways: {scroll} > {width}"
		save(page, "department-report-phone.png")
	finally:
		context.close()


def purge_year(year: int) -> None:
	"""Remove what ``demo.ensure_demo_evaluation(year)`` made (and commit)."""
	frappe.db.rollback()
	purge("Snail Award", frappe.get_all("Snail Award", filters={"year": year}, pluck="name"))
	purge(ev.ANNUAL, [ev.annual_name(year)])
	purge(ev.QUARTERLY, [ev.quarterly_name(year, q) for q in (1, 2, 3, 4)])
	purge("Satisfaction Survey", [sv.survey_name(year, q) for q in (1, 2, 3, 4)])
	purge(
		"Whistle Slip",
		frappe.get_all("Whistle Slip", filters={"title": ("like", f"示例（{year}年%")}, pluck="name"),
	)
	frappe.db.commit()


def test_annual_ranking_for_the_district_leader(live_server, page):
	ensure_demo()
	purge_year(GUIDE_YEAR)  # what an interrupted run may have left
	try:
		assert demo.ensure_demo_evaluation(GUIDE_YEAR) == ev.annual_name(GUIDE_YEAR)
		frappe.db.commit()
		doc = frappe.get_doc(ev.ANNUAL, ev.annual_name(GUIDE_YEAR))
		assert doc.status == ev.FINAL and len(doc.units) == 40
		class_a = [
			r.whistle_unit
			for r in sorted(doc.units, key=lambda r: r.final_position)
			if r.assessment_class == "A"
		]
		assert len(class_a) == 14

		login(page, live_server, LEADER, demo.DEMO_PASSWORD)
		page.goto(f"{live_server}/app/query-report/Annual Ranking?year={GUIDE_YEAR}&assessment_class=A")
		page.wait_for_selector(".dt-scrollable .dt-row", timeout=30_000)
		page.wait_for_function(  # every unit of the class rendered, not only the first rows
			"(units) => units.every((u) => document.querySelector('.dt-scrollable').innerText.includes(u))",
			arg=class_a,
			timeout=30_000,
		)
		expect(page.locator(".page-title")).to_contain_text("年度总评排名")
		table = page.inner_text(".dt-scrollable")
		positions = [table.find(unit) for unit in class_a]
		assert -1 not in positions and positions == sorted(positions), "the units in their final order"
		expect(page.locator("body")).to_contain_text("已定稿", timeout=30_000)
		page.wait_for_selector(".chart-wrapper svg, .report-chart svg, svg.frappe-chart", timeout=30_000)
		page.wait_for_timeout(1000)  # let the chart finish its animation
		path = save(page, "annual-ranking.png", full_page=True)
		(SCREENSHOTS / "annual-ranking.png").write_bytes(path.read_bytes())
		follow_the_leaders_view(page, live_server, doc)  # the District Leader
		page.context.clear_cookies()
		login(page, live_server, EFFICIENCY, demo.DEMO_PASSWORD)
		follow_the_leaders_view(page, live_server, doc)  # the Efficiency Office
	finally:
		purge_year(GUIDE_YEAR)


def follow_the_leaders_view(page, base: str, annual) -> None:
	"""Issue #25: the consequences name everyone (or say 未登记), in Chinese; one score of the
	ranking followed down to its whistle and the rating behind it, which opens; a Snail Award."""
	page.goto(f"{base}/app/query-report/Annual Consequences?year={GUIDE_YEAR}")
	page.wait_for_selector(".dt-scrollable .dt-row", timeout=30_000)
	expect(page.locator(".dt-scrollable")).to_contain_text("重点结果", timeout=30_000)
	table = page.inner_text(".dt-scrollable")
	assert "@" not in table
	assert_chinese(table, "the annual consequences")
	rows = frappe.get_all(  # each person named: the report's rows as the page shows them
		ev.ANNUAL_ROW,
		filters={"parent": annual.name, "is_last": 1, "assessment_class": "A"},
		fields=["principal_leader", "deputy_leader", "division_head"],
	)
	for row in rows:  # a name, or 未登记 where the unit's chain lacks it: never an empty cell
		for name in row.values():
			assert (name or "未登记") in table, f"{name!r} not named in the consequences"

	quarter = frappe.get_doc(ev.QUARTERLY, ev.quarterly_name(GUIDE_YEAR, 4))
	unit = next(r.whistle_unit for r in quarter.units if r.cases)
	page.goto(
		f"{base}/app/query-report/Evaluation Slip Scores?year={GUIDE_YEAR}&quarter=4&whistle_unit={unit}"
	)
	page.wait_for_selector(".dt-scrollable .dt-row", timeout=30_000)
	expect(page.locator(".report-summary")).to_contain_text("一致", timeout=30_000)
	assert_chinese(page.inner_text(".dt-scrollable"), "the slip scores")
	rating = page.locator(".dt-scrollable a[href*='/app/whistle-rating/']").first
	href = rating.get_attribute("href")
	page.goto(f"{base}{href}" if href.startswith("/") else href)
	expect(page.locator(".page-container:visible .frappe-control[data-fieldname='total']")).to_be_visible(
		timeout=30_000
	)
	assert "无权" not in page.inner_text(".page-container:visible")

	award = frappe.get_all(ev.SNAIL_AWARD, filters={"year": GUIDE_YEAR}, pluck="name", limit=1)
	if award:
		page.goto(f"{base}/app/snail-award/{award[0]}")
		expect(
			page.locator(".page-container:visible .frappe-control[data-fieldname='whistle_unit']")
		).to_be_visible(timeout=30_000)
		assert "@" not in page.inner_text(".page-container:visible .form-layout")
		assert "无权" not in page.inner_text(".page-container:visible")


def test_the_administrator_configures_in_the_desk(live_server, page):
	"""Issue #22: a user of the 吹哨管理员 role profile alone (no System Manager) opens Customize Form on
	the whistle slip, the slip workflow with its note of what the app keeps, a notification of the app
	with its note, the parks' phone form (editable) and the settings."""
	ensure_demo()
	frappe.db.rollback()
	make_configurator()
	frappe.db.commit()
	slip = frappe.get_all("Whistle Slip", pluck="name", limit=1)[0]
	login(page, live_server, CONFIGURATOR, demo.DEMO_PASSWORD)

	# the way in: the slip form's menu offers 定制 (Customize) to the profile's administrator
	page.goto(f"{live_server}/app/whistle-slip/{slip}")
	page.wait_for_selector(".page-head .menu-btn-group button", state="visible", timeout=30_000)
	page.wait_for_load_state("networkidle")
	page.locator(".page-head .menu-btn-group button").first.click()
	customize = page.locator(".page-head .menu-btn-group .dropdown-menu .menu-item-label", has_text="定制")
	expect(customize.first).to_be_visible(timeout=30_000)
	customize.first.click()
	page.wait_for_url("**/app/customize-form**", timeout=30_000)
	expect(page.locator(".page-container:visible .page-title")).to_contain_text("吹哨事项", timeout=30_000)
	page.wait_for_selector(".form-builder-container .field", timeout=30_000)
	page.wait_for_load_state("networkidle")
	# the contact person field selected: its label and help text (description) are edited on the right
	page.locator(".form-builder-container .field").filter(has_text="Contact Person").first.click()
	properties = page.locator(
		".form-builder-container .sidebar-container, .form-builder-container .properties"
	)
	expect(properties.first).to_contain_text("描述", timeout=30_000)
	save(page, "admin-customize-form.png")

	page.goto(f"{live_server}/app/workflow/Whistle Slip Workflow")
	note = page.locator(".whistle-managed-note:visible").first
	expect(note).to_contain_text("由吹哨报到应用管理", timeout=30_000)
	expect(note).to_contain_text("在「翻译」中修改")
	page.wait_for_load_state("networkidle")
	save(page, "admin-workflow.png")

	page.goto(f"{live_server}/app/notification/吹哨事项流转通知")
	expect(note).to_contain_text("由吹哨报到应用发送", timeout=30_000)
	expect(note).to_contain_text("区吹哨办")
	page.wait_for_load_state("networkidle")
	save(page, "admin-notification.png")

	page.goto(f"{live_server}/app/web-form/whistle")
	expect(note).to_contain_text("吹哨报到应用的手机表单", timeout=30_000)
	expect(
		page.locator(
			".frappe-control[data-fieldname='introduction_text'] .ql-editor:visible, "
			".frappe-control[data-fieldname='introduction_text'] textarea:visible"
		).first
	).to_be_editable()
	page.wait_for_load_state("networkidle")
	save(page, "admin-web-form.png")
	# the desk saves the administrator's introduction (Frappe itself locks standard web forms)
	try:
		intro = page.locator(".frappe-control[data-fieldname='introduction_text'] .ql-editor").first
		intro.click()
		page.keyboard.press("Control+End")
		page.keyboard.type("（本区说明）")
		# the editor hands its text to the form after a pause: save once the form says it is unsaved
		expect(page.locator(".page-container:visible .indicator-pill")).to_contain_text("未保存")
		page.keyboard.press("Control+s")
		wait_db(lambda: "本区说明" in (frappe.db.get_value("Web Form", "whistle", "introduction_text") or ""))
	finally:
		import_file_by_path(str(WEB_FORM_FOLDER / "whistle" / "whistle.json"), force=True)
		frappe.db.commit()
		frappe.clear_document_cache("Web Form", "whistle")

	page.goto(f"{live_server}/app/whistle-settings")
	expect(page.locator(".page-container:visible .page-title")).to_contain_text(
		"吹哨报到设置", timeout=30_000
	)
	page.wait_for_load_state("networkidle")
	save(page, "admin-settings.png", full_page=True)


def test_every_image_the_guide_shows_exists():
	"""Run last: every picture docs/guide/*.md and the README show is in the repository."""
	missing = []
	for page in [*sorted(GUIDE.glob("*.md")), REPO_ROOT / "README.md"]:
		for target in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", page.read_text()):
			if not (page.parent / target).resolve().is_file():
				missing.append(f"{page.relative_to(REPO_ROOT)}: {target}")
	assert not missing, missing
