"""How the scheduled entry points hand their heavy work to the long queue.

Every scheduler entry point of ``hooks.scheduler_events`` that has heavy work calls ``enqueue_long``:
one deduplicated job on the long queue. With ``frappe.flags.run_jobs_inline`` set (the job tests
and the demo data), the worker runs right here instead, in the caller's transaction, so a test can
run every scheduled job end to end without a worker and roll everything back afterwards.
"""

import frappe


def enqueue_long(method: str, job_id: str, timeout: int = 1500, **kwargs):
	"""Run ``method`` on the long queue once (a job with the same id already queued is not queued
	again); inline when ``frappe.flags.run_jobs_inline`` is set."""
	if frappe.flags.run_jobs_inline:
		return frappe.get_attr(method)(**kwargs)
	return frappe.enqueue(method, queue="long", timeout=timeout, job_id=job_id, deduplicate=True, **kwargs)
