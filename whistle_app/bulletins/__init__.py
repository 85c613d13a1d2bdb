"""Monthly supervision bulletin (月度督查通报, RULES §6) on the Frappe side.

Public, stable API for the evaluation (§8 bulletin penalty, §9 Snail Award evidence):

* ``published_namings(year, units=None) -> {unit: count}``
* ``naming_bulletins(unit, year) -> [bulletin names]``

What a bulletin counts and whom it proposes is pure logic in ``whistle_app.rules.bulletin`` (see
its docstring for the counting [decision]s); this module loads the month's facts with a few grouped
queries (``count_month``), drafts bulletins (the daily job, the office's "draft now", corrections)
and publishes them.

[decision]s:

- **Published** means submitted (``docstatus = 1``). A bulletin belongs to the calendar year of its
  period (``year`` field), not of its publication date.
- A **correction** is a new bulletin of the same period with ``corrects`` = the bulletin it
  corrects (``make_correction``). Publishing the correction cancels the corrected bulletin
  (``docstatus = 2``, status 已更正, ``superseded_by`` set) in the same transaction, so at most one
  bulletin per period is published at any time and only the latest version of a period counts. A
  published bulletin is never cancelled any other way and never edited.
- A unit counts once per bulletin that names it (the final list ``named_units``: proposals minus
  the office's removals plus its additions).
- One bulletin per month: the unique ``bulletin_key`` is the period (``2026-03``), and a correction's
  key adds the bulletin it corrects, so each bulletin is corrected at most once (a correction of a
  correction continues the chain).
- The daily job drafts on the first working day (§4 calendar) of a month only, for the previous
  month; the office may draft any month that has ended at any time (``draft_now``).
- The published text is generated in Chinese (the bulletin is an official notice) from the
  figures and the final list; the office may edit it. An unedited text follows every change of the
  naming list; an edited one is kept as the office wrote it.
"""

from whistle_app.bulletins.common import (
	ADJUSTMENT_MESSAGES,
	BULLETIN,
	JOB_ID,
	LANGUAGE,
	NAMED_UNIT,
	SAVEPOINT,
	SLIP,
	SLIP_DEPARTMENT,
	SLIP_SCORE,
	BulletinAdjustmentError,
	BulletinCorrectionError,
	BulletinError,
	BulletinPeriodError,
	BulletinPublishedError,
	DuplicateBulletinError,
	check_office,
	check_period,
	period_label,
)
from whistle_app.bulletins.drafting import (
	check_correctable,
	check_month_ended,
	draft_bulletin,
	draft_now,
	draft_previous_month,
	existing_bulletin,
	make_correction,
	notify_office_of_draft,
	publish,
	raise_published,
	recount,
	run_monthly_bulletin_job,
)
from whistle_app.bulletins.figures import (
	clock_rows,
	count_month,
	open_and_overdue_counts,
	received_counts,
	reporting_units,
	score_totals,
	slip_departments,
)
from whistle_app.bulletins.filling import (
	doc_adjustments,
	doc_proposals,
	fill_figures,
	generate_text,
	set_named_units,
	set_text,
	totals,
	validate_adjustments,
)
from whistle_app.bulletins.namings import (
	_published_named_rows,
	naming_bulletins,
	published_namings,
)
from whistle_app.bulletins.publication import (
	UNIT_ROLES,
	notify_publication,
	supersede,
	unit_users,
)

__all__ = [
	"ADJUSTMENT_MESSAGES",
	"BULLETIN",
	"JOB_ID",
	"LANGUAGE",
	"NAMED_UNIT",
	"SAVEPOINT",
	"SLIP",
	"SLIP_DEPARTMENT",
	"SLIP_SCORE",
	"UNIT_ROLES",
	"BulletinAdjustmentError",
	"BulletinCorrectionError",
	"BulletinError",
	"BulletinPeriodError",
	"BulletinPublishedError",
	"DuplicateBulletinError",
	"_published_named_rows",
	"check_correctable",
	"check_month_ended",
	"check_office",
	"check_period",
	"clock_rows",
	"count_month",
	"doc_adjustments",
	"doc_proposals",
	"draft_bulletin",
	"draft_now",
	"draft_previous_month",
	"existing_bulletin",
	"fill_figures",
	"generate_text",
	"make_correction",
	"naming_bulletins",
	"notify_office_of_draft",
	"notify_publication",
	"open_and_overdue_counts",
	"period_label",
	"publish",
	"published_namings",
	"raise_published",
	"received_counts",
	"recount",
	"reporting_units",
	"run_monthly_bulletin_job",
	"score_totals",
	"set_named_units",
	"set_text",
	"slip_departments",
	"supersede",
	"totals",
	"unit_users",
	"validate_adjustments",
]
