"""Demo: every reporting unit's accountability chain (RULES §1) with clearly fictional people (issue #25).

Annual consequences and accountability cases name these people (§9, §13); in the demo every unit
has them, each name marked 示例 (sample) so nobody mistakes it for a real official. Only empty fields
are filled: the chains ``demo.DEMO_CHAINS`` sets, and any the administrator entered, stay.
"""

import frappe

from whistle_app.organisation import REPORTING_UNIT

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛"

# the last characters of a unit's name -> (principal's post, deputy's post)
POSTS = (
	("委", ("主任", "副主任")),
	("办", ("主任", "副主任")),
	("局", ("局长", "副局长")),
	("大队", ("大队长", "副大队长")),
	("支局", ("支局长", "副支局长")),
	("公司", ("总经理", "副总经理")),
)


def posts(unit: str) -> tuple[str, str]:
	for ending, pair in POSTS:
		if unit.endswith(ending):
			return pair
	return ("主要负责人", "分管负责人")


def sample_chain(unit: str, index: int) -> dict[str, str]:
	"""A fictional chain for the ``index``-th reporting unit: three distinct surnames + 示例."""
	principal, deputy = posts(unit)
	name = lambda offset: SURNAMES[(3 * index + offset) % len(SURNAMES)] + "示例"  # noqa: E731
	return {
		"principal_leader_name": name(0),
		"principal_leader_post": principal,
		"deputy_leader_name": name(1),
		"deputy_leader_post": deputy,
		"division_name": "综合科",
		"division_head_name": name(2),
		"division_head_post": "科长",
	}


def ensure_demo_chains() -> list[str]:
	"""Fill the empty chain fields of every reporting unit; returns the units changed."""
	changed = []
	units = frappe.get_all(
		"Whistle Unit",
		filters={"unit_type": REPORTING_UNIT},
		order_by="assessment_class asc, display_order asc, name asc",
		pluck="name",
	)
	for index, unit in enumerate(units):
		doc = frappe.get_doc("Whistle Unit", unit)
		missing = {f: v for f, v in sample_chain(unit, index).items() if not (doc.get(f) or "").strip()}
		if missing:
			doc.update(missing)
			doc.save(ignore_permissions=True)
			changed.append(unit)
	return changed
