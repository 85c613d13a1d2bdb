"""Adversarial input shared by the integration and browser tests (issue #11): classic script/HTML
payloads, SQL metacharacters, and a checker that finds anything a payload injected into HTML."""

from contextlib import contextmanager
from html.parser import HTMLParser

# Classic XSS payloads (OWASP cheat-sheet style); each would run ``alert`` or add an element if a
# page rendered it as HTML. The id "wlxss" marks elements they would inject.
XSS_PAYLOADS: list[str] = [
	"<script>alert('wlxss')</script>",
	"<img src=x onerror=alert('wlxss') id=wlxss>",
	"<svg onload=alert('wlxss') id=wlxss>",
	'"><script>alert("wlxss")</script>',
	"'><img src=x onerror=alert(1) id=wlxss>",
	"</textarea><script>alert('wlxss')</script>",
	"</script><script>alert('wlxss')</script>",
	"</title><script>alert('wlxss')</script>",  # web page titles: Frappe's striptags unescapes
	"<iframe src=javascript:alert('wlxss') id=wlxss></iframe>",
	"<a href=javascript:alert('wlxss') id=wlxss>点我</a>",
	"<body onload=alert('wlxss')>",
	"<details open ontoggle=alert('wlxss') id=wlxss>",
	"<input autofocus onfocus=alert('wlxss') id=wlxss>",
	"<math><mtext><table><mglyph><style><img src=x onerror=alert('wlxss') id=wlxss>",
	'["<img src=x onerror=alert(1) id=wlxss>"]',  # valid JSON: Frappe's own filter skips it
	'"<img src=x onerror=alert(1) id=wlxss>"',
	"<div style=\"background:url(javascript:alert('wlxss'))\" id=wlxss>x</div>",
	"<meta http-equiv=refresh content='0;url=javascript:alert(1)'>",
	"<link rel=stylesheet href=https://example.invalid/x.css id=wlxss>",
	"{{ frappe.db.sql('select 1') }}{% raw %}",  # Jinja: must stay text in print formats
	"javascript:alert('wlxss')",
]

SQL_PAYLOADS: list[str] = [
	"' OR '1'='1",
	"' OR 1=1 -- ",
	'" OR ""="',
	"'; DROP TABLE `tabWhistle Slip`; --",
	"1' UNION SELECT name, password FROM __Auth -- ",
	"%' AND SLEEP(3) AND '%'='",
	"\\'; SELECT 1; --",
	"示例` OR 1=1 #",
]

ACTIVE_TAGS = {"script", "img", "svg", "iframe", "body", "details", "input", "math", "style", "meta", "link"}


class InjectionFinder(HTMLParser):
	"""Collects the elements a payload injected: anything with id=wlxss, an event-handler attribute
	that calls alert, a javascript: URL, or a script whose text calls alert with the marker."""

	def __init__(self):
		super().__init__(convert_charrefs=True)
		self.found: list[str] = []
		self._in_script = False

	def handle_starttag(self, tag, attrs):
		values = dict(attrs)
		if values.get("id") == "wlxss":
			self.found.append(f"<{tag} id=wlxss>")
		for name, value in attrs:
			value = (value or "").lower()
			if name.startswith("on") and "alert" in value:
				self.found.append(f"<{tag} {name}>")
			if name in ("href", "src", "content", "style") and "javascript:" in value:
				self.found.append(f"<{tag} {name}=javascript:>")
		self._in_script = tag == "script"

	def handle_endtag(self, tag):
		self._in_script = False

	def handle_data(self, data):
		# a script element the payload opened holds just the alert (data inside the page's own scripts,
		# e.g. a JSON string with the escaped payload, is inert)
		if self._in_script and data.strip() in ("alert('wlxss')", 'alert("wlxss")'):
			self.found.append("<script>alert(wlxss)</script>")


def injected(html: str) -> list[str]:
	finder = InjectionFinder()
	finder.feed(html)
	return finder.found


ALL = "\n".join(XSS_PAYLOADS)


def payload_documents() -> dict:
	"""Whistles, demands, a rating comment and requests whose every free-text field holds the XSS
	payloads, made through the real flows as the real actors (as Administrator's caller; not
	committed). Returns {"given": [(doctype, name, field, value given)], "created": [(doctype, name)],
	"slip": the rich slip, "demand": a demand of the demo enterprise, "titles": [slip per payload]}."""
	import frappe

	from tests.factory import act_as, make_request, make_slip
	from whistle_app.dev import demo
	from whistle_app.lifecycle import add_progress
	from whistle_app.ratings import draft_for, fill_scores

	park, office, fgw = "park1@whistle.localhost", "office@whistle.localhost", "fgw@whistle.localhost"
	given, created = [], []

	def keep(doctype, name, values):
		created.append((doctype, name))
		given.extend((doctype, name, field, value) for field, value in values.items())

	# one draft per payload as its title (lists, notifications, link titles)
	titles = []
	for payload in XSS_PAYLOADS:
		slip = make_slip(park, title=payload, description=payload)
		keep("Whistle Slip", slip.name, {"title": payload, "description": payload})
		titles.append(slip.name)

	# the rich slip: every free-text field, through dispatch, report, progress and completion
	first = {
		"description": ALL,
		"demand": ALL,
		"project_name": XSS_PAYLOADS[1],
		"contact_person": XSS_PAYLOADS[3],
	}
	slip = make_slip(park, title=XSS_PAYLOADS[0], **first)
	name = slip.name
	act_as(park, name, "提交吹哨")
	act_as(
		office,
		name,
		"派单",
		scope="Multi",
		departments=[("发展和改革委", "Lead", None), ("住房和城乡建设局", "Co", ALL)],
	)
	report = {
		"work_plan": ALL,
		"planned_completion": frappe.utils.add_days(frappe.utils.nowdate(), 180),  # within a year (#20)
		"responsible_persons": XSS_PAYLOADS[2],
		"meeting_date": frappe.utils.now(),
		"meeting_departments": ALL,
		"meeting_minutes": ALL,
		"meeting_solution": ALL,
		"meeting_task_division": ALL,
	}
	act_as(fgw, name, "报到", **report)
	act_as(office, name, "审核抄送")
	frappe.set_user(fgw)
	try:
		for payload in XSS_PAYLOADS:
			add_progress(name, payload)
	finally:
		frappe.set_user("Administrator")
	request = make_request(
		fgw,
		"Whistle Extension Request",
		name,
		new_completion_date=frappe.utils.add_days(frappe.utils.nowdate(), 270),
		reason=ALL,
	)
	keep("Whistle Extension Request", request.name, {"reason": ALL})
	act_as(fgw, name, "办结", result=ALL)
	frappe.set_user(park)
	try:
		rating = frappe.get_doc("Whistle Rating", draft_for(name, "发展和改革委"))
		fill_scores(rating, {row.criterion: 5 for row in rating.scores}, ALL)
		rating.save()
	finally:
		frappe.set_user("Administrator")
	keep(
		"Whistle Slip",
		name,
		{
			**first,
			"title": XSS_PAYLOADS[0],
			"result": ALL,
			**{k: v for k, v in report.items() if k not in ("meeting_date", "planned_completion")},
		},
	)
	given.append(
		(
			"Whistle Rating Comment",
			frappe.db.get_value("Whistle Rating Comment", {"rating": rating.name}),
			"comment",
			ALL,
		)
	)
	slip_doc = frappe.get_doc("Whistle Slip", name)
	given.extend(
		("Whistle Slip Progress", row.name, "content", p)
		for row, p in zip(slip_doc.progress, XSS_PAYLOADS, strict=True)
	)
	given.extend(
		("Whistle Slip Department", row.name, "assigned_task", ALL)
		for row in slip_doc.departments
		if row.department_role == "Co"
	)

	# workflow reasons: returned and declined whistles
	for action in ("退回补充", "不予受理"):
		other = make_slip(park, title=f"{action}测试")
		act_as(park, other.name, "提交吹哨")
		act_as(office, other.name, action, reason=ALL)
		created.append(("Whistle Slip", other.name))
		log = frappe.get_doc("Whistle Slip", other.name).state_log[-1]
		given.append(("Whistle Slip State Log", log.name, "reason", ALL))

	# enterprise demands: the demo enterprise's (its web form), one resolved locally with a payload
	company = frappe.db.get_value("Enterprise", {"enterprise_name": demo.DEMO_ENTERPRISE})
	demands = []
	for _ in range(2):
		values = {
			"description": ALL,
			"request": ALL,
			"project_name": XSS_PAYLOADS[4],
			"contact_person": XSS_PAYLOADS[1],
		}
		doc = frappe.get_doc(
			{
				"doctype": "Enterprise Demand",
				"enterprise": company,
				"whistle_unit": "示例园区一",
				"source": "Visit",
				**values,
			}
		).insert(ignore_permissions=True)
		keep("Enterprise Demand", doc.name, values)
		demands.append(doc.name)
	from whistle_app.demand import resolve_locally

	frappe.set_user(park)
	try:
		resolve_locally(demands[1], ALL)
	finally:
		frappe.set_user("Administrator")
	given.append(("Enterprise Demand", demands[1], "resolution", ALL))
	return {"given": given, "created": created, "slip": name, "demand": demands[0], "titles": titles}


@contextmanager
def committed_payload_documents():
	"""``payload_documents()`` committed (so that a web server sees them) and removed afterwards."""
	import frappe

	from tests.factory import ensure_demo
	from tests.integration.cleanup import purge_all

	ensure_demo()
	frappe.set_user("Administrator")
	docs = None
	try:
		docs = payload_documents()
		frappe.db.commit()
		yield docs
	finally:
		frappe.set_user("Administrator")
		purge_all(docs["created"] if docs else [])
