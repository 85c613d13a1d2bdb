# The two commands of README.md: `make run` (set up, demo data, serve) and `make test`.
.PHONY: run test stop demo benchmark load screenshots

run:
	bash scripts/setup.sh

test:
	bash scripts/test.sh $(ARGS)

stop:
	bash scripts/stop.sh

demo:
	bash -c 'source scripts/lib.sh && bench_cmd --site "$$SITE" whistle-demo'

# Issue #10: benchmark site (whistle-perf.localhost), district and province datasets, results table
# (BENCHMARKS.md). Not part of `make test`; takes about half an hour on 2 CPUs.
benchmark:
	bash scripts/benchmark.sh


# Issue #11: load test against the running demo site (`make run` first): 30 users of every role for
# 10 minutes; prints requests, errors, lost writes and p50/p95 and fails unless errors and losses are 0.
# LOAD_ARGS overrides, e.g. LOAD_ARGS="--users 10 --duration 60".
load:
	bash -c 'source scripts/lib.sh && "$$BENCH_DIR/env/bin/python" scripts/load_test.py --url "http://127.0.0.1:$$PORT" $${LOAD_ARGS:---users 30 --duration 600}'

# Pictures for the README and the user guide (docs/images/): the browser tests that take them, saving
# into the documentation instead of test-artifacts/. A plain `make test` never touches docs/.
screenshots:
	WHISTLE_SCREENSHOTS="$(CURDIR)/docs/images" bash scripts/test.sh tests/browser/test_board.py tests/browser/test_guide_screenshots.py
