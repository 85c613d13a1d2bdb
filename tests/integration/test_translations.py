"""Every user-visible string of the app has a Chinese translation (issue #9).

The app's sources are English (msgid) with their Chinese in ``whistle_app/locale/zh.po``; Frappe's own
``zh`` translations cover standard words. This test walks what the app ships and fails listing every
string that has neither, with where it comes from:

* DocTypes: names, descriptions, field/section/tab labels and descriptions, Select options,
  connection groups and actions;
* workflows (states, messages, actions), reports (names, JSON columns and filters, the column labels
  of Script Reports, read from their Python), web forms (titles, introduction and success texts, field
  labels, descriptions and options, list columns), pages, workspaces (labels, shortcuts, links, number
  cards, charts, headers), number cards, dashboard charts and chart sources, module onboarding and its
  steps, roles and custom fields of the fixtures;
* the app's notification records (``setup/notifications.json``);
* ``_()`` strings in Python, ``__()`` strings in JavaScript, ``_()`` in Jinja/HTML, and the string
  tables a Python module passes to ``_()`` by key (``_(MESSAGES[code])``).

Text that Frappe shows as it is stored (print formats, onboarding step descriptions and callbacks,
notification subjects and messages, shortcut count formats) must be Chinese already: the second test
lists any English left in it. Strings that already contain Chinese pass; strings without letters
(numbers, ``{0}``) and one-letter codes (the assessment classes A, B, C) need nothing.
"""

import ast
import json
import re
from collections import defaultdict
from pathlib import Path

import frappe
from babel.messages.pofile import read_po
from frappe.gettext.extractors.utils import extract_messages_from_code, is_translatable
from frappe.translate import get_messages_from_file, get_translations_from_apps
from frappe.utils import is_html, strip_html_tags

import whistle_app
from tests.base import WhistleTestCase

APP = Path(whistle_app.__file__).resolve().parent
REPO = APP.parent
MODULE = APP / "whistle"
PO_PATH = APP / "locale" / "zh.po"
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")
SKIP_DIRS = {"__pycache__", "node_modules", "dist", ".git"}


CODE = re.compile(
	r"[A-Z]"
)  # a one-letter code such as the assessment classes A/B/C reads the same in Chinese


def is_chinese(text: str) -> bool:
	return bool(CJK.search(text))


def lookup_keys(text: str) -> set[str]:
	"""The keys ``_()`` (HTML stripped, trimmed) and ``__()`` (as is) look a string up by."""
	keys = {text, text.strip()}
	if is_html(text):
		keys.add(strip_html_tags(text).strip())
	return keys


def rel(path: Path) -> str:
	return str(path.relative_to(REPO))


class Sources:
	"""Collects (text, where) pairs: ``translated`` go through _()/__(), ``shown`` are shown as stored."""

	def __init__(self):
		self.translated: dict[str, list[str]] = defaultdict(list)
		self.shown: dict[str, list[str]] = defaultdict(list)
		self.unreadable: list[str] = []
		self.seen: list[str] = []  # where every text came from, Chinese or not (to test the walk)

	def add(self, text, where: str) -> None:
		if not isinstance(text, str) or not text.strip():
			return
		self.seen.append(where)
		if is_translatable(text) and not is_chinese(text) and not CODE.fullmatch(text.strip()):
			self.translated[text].append(where)

	def add_shown(self, text, where: str) -> None:
		if isinstance(text, str) and ENGLISH_WORD.search(text) and not is_chinese(text):
			self.shown[text].append(where)

	def add_select_options(self, options, where: str) -> None:
		values = (options or "").split("\n")
		if values and "icon" in values[0]:
			return
		for value in values:
			self.add(value, where)

	def records(self, folder: str):
		"""(path, JSON) of every record in a module folder such as ``doctype`` or ``workspace``."""
		for path in sorted((MODULE / folder).glob("*/*.json")):
			try:
				yield path, json.loads(path.read_text())
			except ValueError as e:
				self.unreadable.append(f"{rel(path)}: {e}")


# --- collectors ---------------------------------------------------------------------------------------


def collect_doctypes(src: Sources) -> None:
	for path, d in src.records("doctype"):
		where = rel(path)
		src.add(d.get("name"), f"{where} [DocType name]")
		src.add(d.get("description"), f"{where} [description]")
		for f in d.get("fields") or []:
			name = f.get("fieldname")
			src.add(f.get("label"), f"{where} [{name} label]")
			src.add(f.get("description"), f"{where} [{name} description]")
			if f.get("fieldtype") == "Select" and name != "naming_series":
				src.add_select_options(f.get("options"), f"{where} [{name} option]")
			if f.get("fieldtype") == "HTML":
				src.add(f.get("options"), f"{where} [{name} HTML]")
		for link in d.get("links") or []:
			src.add(link.get("group"), f"{where} [connection group]")
		for action in d.get("actions") or []:
			src.add(action.get("label"), f"{where} [action label]")
			src.add(action.get("group"), f"{where} [action group]")


def collect_workflows(src: Sources) -> None:
	for path, d in src.records("workflow"):
		where = rel(path)
		for row in d.get("states") or []:
			src.add(row.get("state"), f"{where} [state]")
			src.add(row.get("message"), f"{where} [state message]")
		for row in d.get("transitions") or []:
			src.add(row.get("action"), f"{where} [action]")


def literal_labels(path: Path) -> list[tuple[str, int]]:
	"""``"label": "..."`` in the dict literals of a Script Report (column and filter labels),
	whether or not wrapped in ``_()`` (the report view translates them either way)."""
	tree = ast.parse(path.read_text())
	found = []
	for node in ast.walk(tree):
		if not isinstance(node, ast.Dict):
			continue
		for key, value in zip(node.keys, node.values, strict=False):
			if not (isinstance(key, ast.Constant) and key.value == "label"):
				continue
			if isinstance(value, ast.Call) and getattr(value.func, "id", None) in ("_", "_lt") and value.args:
				value = value.args[0]
			if isinstance(value, ast.Constant) and isinstance(value.value, str):
				found.append((value.value, value.lineno))
	return found


JS_LABEL = re.compile(r"""\blabel\s*:\s*(["'])((?:(?!\1).)+)\1""")


def collect_reports(src: Sources) -> None:
	for path, d in src.records("report"):
		where = rel(path)
		src.add(d.get("report_name") or d.get("name"), f"{where} [report name]")
		for row in d.get("columns") or []:
			src.add(row.get("label"), f"{where} [column]")
		for row in d.get("filters") or []:
			src.add(row.get("label"), f"{where} [filter]")
		py = path.with_suffix(".py")
		if py.exists():
			for text, line in literal_labels(py):
				src.add(text, f"{rel(py)}:{line} [column label]")
		js = path.with_suffix(".js")
		if js.exists():
			for m in JS_LABEL.finditer(js.read_text()):
				src.add(m.group(2), f"{rel(js)} [filter label]")


def collect_web_forms(src: Sources) -> None:
	for path, d in src.records("web_form"):
		where = rel(path)
		for key in (
			"title",
			"introduction_text",
			"success_title",
			"success_message",
			"list_title",
			"button_label",
		):
			src.add(d.get(key), f"{where} [{key}]")
		for f in d.get("web_form_fields") or []:
			name = f.get("fieldname")
			src.add(f.get("label"), f"{where} [{name} label]")
			src.add(f.get("description"), f"{where} [{name} description]")
			if f.get("fieldtype") == "Select":
				src.add_select_options(f.get("options"), f"{where} [{name} option]")
		for col in d.get("list_columns") or []:
			src.add(col.get("label"), f"{where} [list column]")


JINJA = re.compile(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", re.S)
STYLE = re.compile(r"<style.*?</style>|<script.*?</script>", re.S | re.I)
TAG = re.compile(r"<[^>]+>")
ENTITY = re.compile(r"&[#a-zA-Z0-9]+;")


def visible_text(html: str) -> list[str]:
	"""The literal text of a Jinja/HTML template outside tags and template code."""
	text = ENTITY.sub(" ", TAG.sub("\n", JINJA.sub("\n", STYLE.sub("\n", html))))
	return [line.strip() for line in text.split("\n") if line.strip()]


def collect_print_formats(src: Sources) -> None:
	for path, d in src.records("print_format"):
		where = rel(path)
		src.add(d.get("name"), f"{where} [name]")
		html = d.get("html") or ""
		for text in visible_text(html):
			src.add_shown(text, f"{where} [visible text]")
		for _pos, message, _context in extract_messages_from_code(html):
			src.add(message, f"{where} [_() in template]")


def collect_desk(src: Sources) -> None:
	"""Pages, workspaces, number cards, charts, chart sources, onboarding, notifications."""
	for path, d in src.records("page"):
		src.add(d.get("title"), f"{rel(path)} [page title]")
	for path, d in src.records("workspace"):
		where = rel(path)
		src.add(d.get("label"), f"{where} [label]")
		src.add(d.get("title"), f"{where} [title]")
		for row in d.get("shortcuts") or []:
			src.add(row.get("label"), f"{where} [shortcut]")
			src.add_shown(row.get("format"), f"{where} [shortcut count format]")
		for row in d.get("links") or []:
			src.add(row.get("label"), f"{where} [link]")
		for key in ("number_cards", "charts", "quick_lists", "custom_blocks"):
			for row in d.get(key) or []:
				src.add(row.get("label"), f"{where} [{key}]")
		for block in json.loads(d.get("content") or "[]"):
			text = (block.get("data") or {}).get("text")
			if text:
				src.add(strip_html_tags(text).strip(), f"{where} [{block.get('type')} text]")
	for path, d in src.records("number_card"):
		src.add(d.get("label") or d.get("name"), f"{rel(path)} [number card]")
	for path, d in src.records("dashboard_chart"):
		src.add(d.get("chart_name") or d.get("name"), f"{rel(path)} [chart]")
	for path, d in src.records("dashboard_chart_source"):
		src.add(d.get("source_name") or d.get("name"), f"{rel(path)} [chart source]")
	for path, d in src.records("module_onboarding"):
		for key in ("title", "subtitle", "success_message"):
			src.add(d.get(key), f"{rel(path)} [{key}]")
	for path, d in src.records("onboarding_step"):
		for key in ("title", "action_label", "report_description"):
			src.add(d.get(key), f"{rel(path)} [{key}]")
		for key in ("description", "callback_title", "callback_message"):
			src.add_shown(d.get(key), f"{rel(path)} [{key}]")
	for path, d in src.records("notification"):
		for key in ("subject", "message"):
			src.add_shown(visible_text_joined(d.get(key)), f"{rel(path)} [{key}]")
	# the app's notifications as editable records (issue #22): their defaults, and what the desk form
	# says of them (whom the rules name, the templates' variables)
	defaults = APP / "setup" / "notifications.json"
	for d in json.loads(defaults.read_text()):
		where = f"{rel(defaults)} [{d['name']}]"
		src.add_shown(d["name"], f"{where} [name]")
		for key in ("subject", "message", "who"):
			src.add_shown(visible_text_joined(d.get(key)), f"{where} [{key}]")
		for label in d["variables"].values():
			src.add_shown(label, f"{where} [variable]")


def visible_text_joined(text: str | None) -> str:
	return " ".join(visible_text(text or ""))


def collect_fixtures(src: Sources) -> None:
	for path in sorted((APP / "fixtures").glob("*.json")):
		for row in json.loads(path.read_text()):
			if row.get("doctype") == "Role":
				src.add(row.get("role_name") or row.get("name"), f"{rel(path)} [role]")
			if row.get("doctype") == "Custom Field":
				src.add(row.get("label"), f"{rel(path)} [{row.get('fieldname')} label]")
				src.add(row.get("description"), f"{rel(path)} [{row.get('fieldname')} description]")


def code_files():
	for path in sorted(APP.rglob("*")):
		if path.is_file() and path.suffix in (".py", ".js", ".html") and not SKIP_DIRS & set(path.parts):
			yield path


def string_tables(tree: ast.Module) -> dict[str, list[tuple[str, int]]]:
	"""Module-level dict/tuple/list/set constants and the strings they hold (dict values)."""
	tables = {}
	for node in tree.body:
		targets = (
			node.targets
			if isinstance(node, ast.Assign)
			else [node.target]
			if isinstance(node, ast.AnnAssign)
			else []
		)
		value = getattr(node, "value", None)
		values = (
			value.values
			if isinstance(value, ast.Dict)
			else value.elts
			if isinstance(value, ast.Tuple | ast.List | ast.Set)
			else None
		)
		if values is None:
			continue
		strings = [
			(v.value, v.lineno) for v in values if isinstance(v, ast.Constant) and isinstance(v.value, str)
		]
		for target in targets:
			if isinstance(target, ast.Name) and strings:
				tables[target.id] = strings
	return tables


def tables_passed_to_underscore(path: Path) -> list[tuple[str, int]]:
	"""Strings of module tables looked up inside ``_()``: ``_(TABLE[key])``, ``_(TABLE.get(key))``."""
	tree = ast.parse(path.read_text())
	tables = string_tables(tree)
	found = []
	for node in ast.walk(tree):
		if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("_", "_lt") and node.args):
			continue
		arg = node.args[0]
		if isinstance(arg, ast.Subscript):
			arg = arg.value
		elif isinstance(arg, ast.Call) and isinstance(arg.func, ast.Attribute) and arg.func.attr == "get":
			arg = arg.func.value
		if isinstance(arg, ast.Name) and arg.id in tables:
			found.extend(tables[arg.id])
	return found


def collect_code(src: Sources) -> None:
	frappe.flags.scanned_files = set()  # get_messages_from_file skips files it has seen before
	for path in code_files():
		for _file, message, _context, line in get_messages_from_file(str(path)):
			src.add(message, f"{rel(path)}:{line}")
		if path.suffix == ".py":
			for text, line in tables_passed_to_underscore(path):
				src.add(text, f"{rel(path)}:{line} [table passed to _()]")


def collect_all() -> Sources:
	src = Sources()
	for collect in (
		collect_doctypes,
		collect_workflows,
		collect_reports,
		collect_web_forms,
		collect_print_formats,
		collect_desk,
		collect_fixtures,
		collect_code,
	):
		collect(src)
	return src


# --- the translations ----------------------------------------------------------------------------------


def read_catalogue() -> tuple[set[str], list[str]]:
	"""msgids of zh.po with a non-empty msgstr (also ``msgid:msgctxt``), and duplicate msgids."""
	text = PO_PATH.read_text()
	ids = re.findall(r'^(?:msgctxt "(?:[^"\\]|\\.)*"\n)?msgid "((?:[^"\\]|\\.)*)"\n(?=msgstr)', text, re.M)
	duplicates = sorted({i for i in ids if i and ids.count(i) > 1})
	with PO_PATH.open("rb") as f:
		catalogue = read_po(f, locale="zh")
	keys = set()
	for message in catalogue:
		if message.id and message.string:
			keys.add(message.id)
			if message.context:
				keys.add(f"{message.id}:{message.context}")
	return keys, duplicates


def known_translations() -> set[str]:
	keys, _duplicates = read_catalogue()
	frappe_zh = get_translations_from_apps("zh", apps=["frappe"])
	return keys | {k for k, v in frappe_zh.items() if v}


def format_missing(found: dict[str, list[str]]) -> str:
	by_file: dict[str, list[str]] = defaultdict(list)
	for text, places in sorted(found.items()):
		first = places[0]
		more = f" (+{len(places) - 1} more)" if len(places) > 1 else ""
		by_file[first.split(":")[0].split(" ")[0]].append(f"    {text!r}  ← {first}{more}")
	return "\n".join(f"  {file}\n" + "\n".join(lines) for file, lines in sorted(by_file.items()))


class TestTranslations(WhistleTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.sources = collect_all()
		cls.known = known_translations()

	def test_sources_are_readable(self):
		self.assertEqual(self.sources.unreadable, [], "app files that could not be read")

	def test_the_walk_finds_what_the_app_ships(self):
		"""The collectors see every kind of source (a broken walk would pass everything)."""
		places = " ".join(self.sources.seen)
		untranslated = set(self.sources.translated)
		for probe in ("Whistle Slip", "Live Supervision Board", "Open Whistles", "Whistle Unit Directory"):
			self.assertIn(probe, untranslated, probe)
		for kind in (
			"/doctype/",
			"/workflow/",
			"/report/",
			"/web_form/",
			"/workspace/",
			"/number_card/",
			"/dashboard_chart/",
			"/onboarding_step/",
			"/page/",
			".py:",
			".js:",
			"[table passed to _()]",
		):
			self.assertIn(kind, places, kind)

	def test_every_string_has_a_zh_translation(self):
		missing = {
			text: places
			for text, places in self.sources.translated.items()
			if not lookup_keys(text) & self.known
		}
		self.assertFalse(
			missing,
			f"{len(missing)} string(s) without a zh translation (add them to whistle_app/locale/zh.po):\n"
			+ format_missing(missing),
		)

	def test_text_shown_as_stored_is_chinese(self):
		self.assertFalse(
			self.sources.shown,
			"English text that Frappe shows as stored (write it in Chinese):\n"
			+ format_missing(self.sources.shown),
		)

	def test_zh_po_has_no_duplicate_msgids(self):
		_keys, duplicates = read_catalogue()
		self.assertEqual(duplicates, [], "msgids defined twice in zh.po")
