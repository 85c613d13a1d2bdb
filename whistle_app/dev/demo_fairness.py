"""Demo ratings that make each rater fairness flag visible (RULES §14, issue #19).

Eight multi-department whistles filed 30 days ago, each with 发展和改革委 as lead and three
co-departments, replayed through the real workflow (``demo.ensure_demo_slips``) and rated through
the app's rating path (``demo.rate_demo`` → ``ratings.rate``):

- 示例园区一 gives every department 100 (打和牌 and 人情分);
- 示例园区二 gives every department 85 (打和牌);
- 示例镇街一 gives 发展和改革委 98 and the others 72–78 (关系分);
- 发展和改革委, as lead, rates its co-departments 84–89 (no flag).

Then the quarters of those ratings are computed at once (the daily job would do it tomorrow).
Idempotent: a whistle is replayed once, recognised by its title.
"""

from datetime import datetime, time, timedelta

import frappe
from frappe.utils import getdate

from whistle_app import fairness
from whistle_app.rules import scoring

OFFICE = "office@whistle.localhost"
FGW = "fgw@whistle.localhost"
RATE = "评价"  # demo.RATE
LEAD = "发展和改革委"
COS = ("住房和城乡建设局", "公安分局", "供电公司")
DEPARTMENTS = [(LEAD, "Lead", None), *((co, "Co", "按分工推进") for co in COS)]
REPORT = {
	"work_plan": "成立专班，现场办公，分步解决",
	"responsible_persons": "赵示例（科长）",
	"meeting_departments": "牵头部门、协办部门",
	"meeting_minutes": "召开联商会办会议，明确各方职责",
	"meeting_solution": "牵头部门统筹，协办部门按分工推进",
	"meeting_task_division": "住房和城乡建设局、公安分局、供电公司按分工推进",
}
# attachment 2 (响应速度 20, 服务态度 20, 办理效率 30, 办理成效 30) per park and department
FULL = [20, 20, 30, 30]  # 100
EIGHTY_FIVE = [17, 17, 26, 25]  # 85
FAVOURED = [20, 20, 29, 29]  # 98
OTHERS = ([15, 15, 23, 22], [14, 15, 22, 21], [16, 16, 23, 23])  # 75, 72, 78
# attachment 3 (配合主动性 30, 响应速度 20, 工作质量 30, 办理时效 20): the lead's ratings of its co-departments
LEAD_SCORES = ([26, 17, 26, 17], [25, 18, 25, 16], [27, 17, 27, 18])  # 86, 84, 89

PARKS = {
	"park1@whistle.localhost": ("示例园区一", 3, lambda dept, i: FULL),
	"park2@whistle.localhost": ("示例园区二", 2, lambda dept, i: EIGHTY_FIVE),
	"town1@whistle.localhost": ("示例镇街一", 3, lambda dept, i: FAVOURED if dept == LEAD else OTHERS[i % 3]),
}


def fairness_slips() -> dict:
	"""title -> (park user, category, steps) in the format of ``demo.DEMO_SLIPS``."""
	slips = {}
	for user, (unit, count, scores) in PARKS.items():
		for n in range(count):
			steps = [
				(0, user, "提交吹哨", {}),
				(0.1, OFFICE, "派单", {"scope": "Multi", "departments": DEPARTMENTS}),
				(0.5, FGW, "报到", {**REPORT, "planned_completion": 20}),
				(0.7, OFFICE, "审核抄送", {}),
				(3 + n, FGW, "办结", {"result": "已按分工办结"}),
				(3.2 + n, user, "确认解决", {}),
			]
			for i, dept in enumerate((LEAD, *COS)):
				steps.append((3.3 + n, user, RATE, {"department": dept, "scores": scores(dept, i + n)}))
			for i, co in enumerate(COS):
				steps.append((3.4 + n, FGW, RATE, {"department": co, "scores": LEAD_SCORES[(i + n) % 3]}))
			slips[f"示例（评分公正性）：{unit}第{n + 1}件多部门事项"] = (
				user,
				"Comprehensive Coordination",
				steps,
			)
	return slips


def ensure_demo_fairness(today=None) -> list[str]:
	"""The eight rated whistles (made once) and their quarters' rater statistics; returns the whistles
	made now. Not in tests (``frappe.flags.in_test``): replaying eight whistles takes minutes, and
	``tests/integration/test_fairness.py`` makes its own ratings."""
	from whistle_app.dev.demo import ensure_demo_slips

	if frappe.flags.in_test:
		return []

	today = getdate(today)
	start = datetime.combine(today - timedelta(days=30), time(9, 0))
	made = ensure_demo_slips(today, slips=fairness_slips(), start=start)
	quarters = {scoring.quarter_of((start + timedelta(days=d)).date()) for d in (3, 6)}
	for year, quarter in sorted(quarters):
		if fairness.quarter_open(year, quarter):
			fairness.refresh_quarter(year, quarter)
	return made
