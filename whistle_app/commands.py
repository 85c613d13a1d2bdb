"""Bench commands of whistle_app (``bench --site SITE whistle-demo``).

The imports inside the commands are deliberate: bench imports this module on every invocation of
any command, so what a command needs is imported only when it runs (Frappe's own convention)."""

import click
from frappe.commands import get_site, pass_context


@click.command("whistle-demo")
@pass_context
def whistle_demo(context):
	"""Create or refresh the demo data of whistle_app (safe to run again)."""
	import frappe  # when the command runs (see the module docstring)

	from whistle_app.dev.demo import setup  # when the command runs
	from whistle_app.language import site_language  # when the command runs

	site = get_site(context)
	frappe.init(site=site)
	frappe.connect()
	frappe.local.lang = site_language()  # the demo's texts are the site's, not bench's English
	try:
		created = setup()
	finally:
		frappe.destroy()
	click.echo(f"whistle_app demo data ready on {site}: created {created}")


@click.command("whistle-generate")
@click.option(
	"--scale",
	type=click.Choice(["tiny", "district", "province"]),
	default="district",
	help="tiny: 50 slips; district: 10,000 slips, 20 parks and towns, 2,000 enterprises; province: 100,000 slips.",
)
@click.option("--seed", type=int, default=7, help="Same seed, same data.")
@click.option("--wipe", is_flag=True, help="Delete the dataset already on the site and generate again.")
@pass_context
def whistle_generate(context, scale, seed, wipe):
	"""Benchmark data: a deterministic year of whistles (only on a site marked "whistle_perf_site").

	A second run refuses while a dataset is on the site; --wipe deletes it and generates again."""
	import json  # when the command runs

	import frappe  # when the command runs (see the module docstring)

	from whistle_app.dev import perfdata  # when the command runs

	site = get_site(context)
	frappe.init(site=site)
	frappe.connect()
	try:
		perfdata.check_perf_site()
		existing = perfdata.existing_dataset()
		if existing and not wipe:
			raise click.ClickException(
				f"{site} already holds a generated dataset ({json.dumps(existing, ensure_ascii=False)}); "
				"run again with --wipe to delete it and generate a new one"
			)
		if existing or wipe:
			click.echo(f"wiping the dataset on {site}")
			perfdata.wipe()
		summary = perfdata.generate(scale, seed, log=click.echo)
	finally:
		frappe.destroy()
	click.echo(json.dumps(summary, ensure_ascii=False, indent=1, default=str))
	click.echo(
		f"{summary['slips']:,} slips ({scale}, seed {seed}) on {site} in {summary['seconds']['total']} s"
	)


commands = [whistle_demo, whistle_generate]
