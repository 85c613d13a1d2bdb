"""Install-time units: the 40 reporting units of RULES §1, verbatim and in the plan's order,
and the units of the Whistle Office and the district's leadership bodies.

Each entry has a stable seed key; a key is created once and never again (see
``seed_default_units`` below), so an administrator's later edits, renames and
deletions survive every migrate.
"""

import json

import frappe

from whistle_app.organisation import (
	DISTRICT_LEADERSHIP,
	EFFICIENCY_OFFICE_UNIT,
	REPORTING_UNIT,
	WHISTLE_OFFICE_UNIT,
)

CLASS_A = [
	"发展和改革委",
	"教育局",
	"工业和科技创新局",
	"司法局",
	"财政局",
	"国资办",
	"社会事业和退役军人事务局",
	"住房和城乡建设局",
	"农业农村局",
	"商务局",
	"卫生健康委",
	"应急管理局",
	"行政审批局",
	"市场监督管理局",
]
CLASS_B = [
	"公安分局",
	"医药高新区生态环境分局",
	"高港生态环境局",
	"医药高新区税务局",
	"高港区税务局",
	"医药高新区自然资源和规划分局",
	"高港自然资源和规划分局",
	"医药高新区交通分局",
	"高港交通分局",
	"医药高新区消防救援大队",
	"高港区消防救援大队",
	"交警医药高新区大队",
	"交警高港大队",
	"医保分局",
	"气象局",
	"邮政管理局",
]
CLASS_C = [
	"电信双高区局",
	"邮政口岸支局",
	"供电公司",
	"移动公司",
	"联通公司",
	"港华燃气公司",
	"科思燃气公司",
	"中石油昆仑燃气公司",
	"高港自来水公司",
	"永安自来水公司",
]


def default_units() -> list[dict]:
	"""Every install-time unit as field values, with its seed key and display order."""
	units = []
	order = 0
	for cls, names in (("A", CLASS_A), ("B", CLASS_B), ("C", CLASS_C)):
		for i, name in enumerate(names, start=1):
			order += 10
			units.append(
				{
					"seed_key": f"{cls}{i:02d}",
					"unit_name": name,
					"unit_type": REPORTING_UNIT,
					"assessment_class": cls,
					"display_order": order,
				}
			)
	for key, name, unit_type in (
		("OFFICE", "区吹哨办", WHISTLE_OFFICE_UNIT),
		("LEADERSHIP", "区党政领导", DISTRICT_LEADERSHIP),
		("EFFICIENCY", "区效能办", EFFICIENCY_OFFICE_UNIT),
	):
		order += 10
		units.append({"seed_key": key, "unit_name": name, "unit_type": unit_type, "display_order": order})
	return units


def seed_default_units() -> list[str]:
	"""Create the install-time units whose seed key was never created before.

	Keys already seeded are remembered in Whistle Settings, so a unit an administrator renamed,
	edited or deleted is never created or overwritten again.
	"""
	settings = frappe.get_single("Whistle Settings")
	seeded = set(json.loads(settings.seeded_units or "[]"))
	created = []
	for values in default_units():
		key = values["seed_key"]
		if key in seeded:
			continue
		existing = frappe.db.get_value("Whistle Unit", {"seed_key": key}) or frappe.db.exists(
			"Whistle Unit", values["unit_name"]
		)
		if not existing:
			unit = frappe.get_doc({"doctype": "Whistle Unit", **values})
			unit.insert(ignore_permissions=True)
			created.append(unit.name)
		seeded.add(key)
	if created or len(seeded) != len(json.loads(settings.seeded_units or "[]")):
		settings.db_set("seeded_units", json.dumps(sorted(seeded)))
	return created
