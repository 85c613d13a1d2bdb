"""Input bounds on the Frappe side (issue #20): the latest planned completion of a whistle.

The rule is pure (``rules/bounds.py``); this module reads the setting and refuses with a translated
message. Checked when a department sets or moves the planned completion (the report, a later edit)
and when it asks for an extension, so a date such as 2099-12-31 is refused before anyone approves it.
"""

import frappe
from frappe import _
from frappe.utils import cint, getdate

from whistle_app.rules import bounds as rb


class CompletionTooLateError(frappe.ValidationError):
	"""The planned completion date is further after the dispatch than the settings allow."""


def completion_span_months() -> int:
	"""Whistle Settings → Longest Completion Span (months after dispatch), 12 unless set."""
	return rb.span_months(cint(frappe.db.get_single_value("Whistle Settings", "completion_span_months")))


def check_planned_completion(planned, dispatched_on, long_term_tracking) -> None:
	"""Refuse ``planned`` when it lies beyond the span after ``dispatched_on`` (not in long-term tracking)."""
	if not planned or not dispatched_on:
		return
	months = completion_span_months()
	planned, dispatched = getdate(planned), getdate(dispatched_on)
	if rb.completion_too_late(planned, dispatched, months, bool(cint(long_term_tracking))):
		frappe.throw(
			_(
				"The planned completion date {0} is too far ahead: at most {1} months after the dispatch "
				"on {2}, that is by {3}. Only a whistle in long-term tracking may be planned further."
			).format(planned, months, dispatched, rb.latest_completion(dispatched, months)),
			CompletionTooLateError,
			title=_("Planned Completion Date"),
		)


def validate_planned_completion(slip) -> None:
	"""The slip's step: checked when the planned completion is new or moved (old dates stay)."""
	if not slip.planned_completion or not slip.dispatched_on:
		return
	try:
		planned = getdate(slip.planned_completion)
		dispatched = getdate(slip.dispatched_on)
	except (ValueError, frappe.ValidationError):
		return  # malformed: refused with its own message by security.validate_input
	before = slip.get_doc_before_save()
	if before and before.planned_completion and getdate(before.planned_completion) == planned:
		return
	check_planned_completion(planned, dispatched, slip.long_term_tracking)
