"""The web app manifest (issue #20): a phone adds the site to its home screen as 园区吹哨.

``/manifest.json`` is served by a page renderer (hooks ``page_renderer``), linked from every web page
(``update_website_context``: the base template's ``head_include``) and from the desk
(``public/js/whistle_i18n.js``, since the desk's page has no head hook). The name is the site's
language's; the icons are the app's own (``public/images``). It starts at ``/me``, which Frappe sends
on to each user's home (a desk user's workspace, a phone user's home page).
"""

import frappe
from frappe.website.page_renderers.base_renderer import BaseRenderer

from whistle_app.language import stored_text

ROUTE = "manifest.json"
LINK = '<link rel="manifest" href="/manifest.json">'
ICONS = (192, 512)


def manifest() -> dict:
	name = stored_text("Park Whistle, Department Report")
	return {
		"name": name,
		"short_name": stored_text("Whistle"),
		"description": stored_text("Park Whistle, Department Report: file, follow and rate whistles."),
		"lang": "zh-CN",
		"start_url": "/me",
		"scope": "/",
		"display": "standalone",
		"background_color": "#ffffff",
		"theme_color": "#c8102e",
		"icons": [
			{
				"src": f"/assets/whistle_app/images/whistle-icon-{size}.png",
				"sizes": f"{size}x{size}",
				"type": "image/png",
				"purpose": "any",
			}
			for size in ICONS
		],
	}


class ManifestPage(BaseRenderer):
	"""``/manifest.json`` (anyone may read it: it holds no data)."""

	def can_render(self):
		return self.path == ROUTE

	def render(self):
		response = self.build_response(manifest())
		response.mimetype = "application/manifest+json"
		response.headers["Cache-Control"] = "public, max-age=3600"
		return response


def link_manifest(context) -> dict:
	"""``update_website_context``: the manifest link in the head of every web page."""
	head = context.get("head_include") or ""
	if LINK in head:
		return {}
	return {"head_include": head + LINK}
