"""Bench commands of whistle_app (``bench --site SITE whistle-demo``)."""

import click
from frappe.commands import get_site, pass_context


@click.command("whistle-demo")
@pass_context
def whistle_demo(context):
	"""Create or refresh the demo data of whistle_app (safe to run again)."""
	import frappe

	from whistle_app.demo import setup

	site = get_site(context)
	frappe.init(site=site)
	frappe.connect()
	try:
		created = setup()
	finally:
		frappe.destroy()
	click.echo(f"whistle_app demo data ready on {site}: created {created}")


commands = [whistle_demo]
