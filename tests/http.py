"""A tiny HTTP client for the test server: real requests, real sessions (no Frappe test client)."""

import json

import requests


class Client:
	def __init__(self, base_url: str, user: str, password: str):
		self.base_url = base_url
		self.session = requests.Session()
		r = self.session.post(f"{base_url}/api/method/login", data={"usr": user, "pwd": password}, timeout=30)
		r.raise_for_status()

	def get(self, path: str, **params) -> requests.Response:
		return self.session.get(f"{self.base_url}{path}", params=params, timeout=60)

	def post(self, path: str, data: dict | None = None) -> requests.Response:
		return self.session.post(f"{self.base_url}{path}", data=data or {}, timeout=60)

	def put(self, path: str, data: dict) -> requests.Response:
		return self.session.put(f"{self.base_url}{path}", data={"data": json.dumps(data)}, timeout=60)

	def resource_names(self, doctype: str) -> set[str]:
		r = self.get(f"/api/resource/{doctype}", limit_page_length=0)
		r.raise_for_status()
		return {row["name"] for row in r.json()["data"]}

	def get_doc(self, doctype: str, name: str) -> requests.Response:
		return self.post("/api/method/frappe.client.get", {"doctype": doctype, "name": name})

	def search_link(self, doctype: str, txt: str = "") -> set[str]:
		r = self.get("/api/method/frappe.desk.search.search_link", doctype=doctype, txt=txt, page_length=1000)
		r.raise_for_status()
		return {row["value"] for row in r.json()["message"]}


def server_message(response: requests.Response) -> str:
	"""The message(s) an error answer carries, as the desk shows them: sites send no traceback to
	clients (``allow_error_traceback`` is off), so the message is what there is."""
	body = response.json()
	messages = [json.loads(m).get("message", "") for m in json.loads(body.get("_server_messages") or "[]")]
	return "\n".join(messages) or body.get("message") or ""
