"""Benchmark: 100,000 working-day deadlines against 100,000 `datetime + timedelta` additions.

Run from the repository root: ~/whistle-bench/env/bin/python benchmarks/deadlines.py
Not a test (pytest does not collect it): it only prints timings.
"""

from __future__ import annotations

import random
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

COUNT = 100_000
SEED = 20260101


def main() -> None:
	"""Build the 2026–2027 calendar, time both loops and print the result line."""
	sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
	from whistle_app.rules.workdays import WorkCalendar, add_working_days, china_exceptions

	cal = WorkCalendar({**china_exceptions(2026), **china_exceptions(2027)}, confirmed_years={2026})
	rng = random.Random(SEED)
	year_start = datetime(2026, 1, 1)
	seconds_in_2026 = 365 * 24 * 3600
	starts = [year_start + timedelta(seconds=rng.randrange(seconds_in_2026)) for _ in range(COUNT)]
	ns = [rng.randint(1, 5) for _ in range(COUNT)]
	deltas = [timedelta(days=n) for n in ns]

	add_working_days(cal, starts[0], 1)  # warm the per-year caches outside the timing, as a server would

	t0 = time.perf_counter()
	deadlines = [add_working_days(cal, s, n) for s, n in zip(starts, ns, strict=True)]
	t1 = time.perf_counter()
	plain = [s + d for s, d in zip(starts, deltas, strict=True)]
	t2 = time.perf_counter()

	assert len(deadlines) == len(plain) == COUNT
	work, baseline = t1 - t0, t2 - t1
	print(f"deadlines: {work:.3f} s, datetime+timedelta: {baseline:.3f} s, ratio {work / baseline:.1f}x")


if __name__ == "__main__":
	main()
