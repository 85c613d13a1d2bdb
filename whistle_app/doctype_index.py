"""The app's DocTypes as their JSON files describe them, read without Frappe (``hooks.py`` uses it).

``child_doctypes(parents)`` maps each child DocType used in a Table field of these parents to its
parent, so that the child rows carry their parent's row-level scope on every generic endpoint
(``permissions.child_query_conditions``). A new child table of a scoped DocType joins by itself.
"""

import json
from functools import cache
from pathlib import Path

DOCTYPE_FOLDER = Path(__file__).resolve().parent / "whistle" / "doctype"
TABLE_TYPES = ("Table", "Table MultiSelect")


@cache
def doctype_definitions() -> dict[str, dict]:
	"""DocType name -> its JSON definition, for every DocType of the module."""
	found = {}
	for path in sorted(DOCTYPE_FOLDER.glob("*/*.json")):
		if path.stem != path.parent.name:
			continue
		definition = json.loads(path.read_text(encoding="utf-8"))
		if definition.get("doctype") == "DocType":
			found[definition["name"]] = definition
	return found


def child_doctypes(parents: list[str]) -> dict[str, str]:
	"""Child DocType -> parent DocType for the Table fields of ``parents``."""
	definitions = doctype_definitions()
	children: dict[str, str] = {}
	for parent in parents:
		for field in definitions.get(parent, {}).get("fields", []):
			if field.get("fieldtype") in TABLE_TYPES and field.get("options"):
				children.setdefault(field["options"], parent)
	return children


def series_doctypes() -> tuple[str, ...]:
	"""The DocTypes numbered from a naming series (``naming_series:`` or a pattern with ``#``)."""
	return tuple(
		name
		for name, definition in doctype_definitions().items()
		if (autoname := definition.get("autoname") or "").startswith("naming_series:") or "#" in autoname
	)
