# The two commands of README.md: `make run` (set up, demo data, serve) and `make test`.
.PHONY: run test stop demo benchmark replica load screenshots

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

# Issue #21: a read replica of the benchmark site's database (a second MariaDB on port 3307,
# scripts/replica.sh) and benchmarks/replica.py: the board, the ranking reports and the chart source
# with and without it, queries per server, replication lag, writes refused. `make benchmark` runs it at
# its end (WHISTLE_SKIP_REPLICA=1 skips it). The replica is stopped and removed even when a step fails.
replica:
	@rc=0; \
	bash scripts/replica.sh start "$${WHISTLE_PERF_SITE:-whistle-perf.localhost}" \
		&& bash -c 'source scripts/lib.sh && cd "$$APP_DIR" && DB_ROOT_PASSWORD="$$DB_ROOT_PASSWORD" WHISTLE_BENCH="$$BENCH_DIR" \
			"$$BENCH_DIR/env/bin/python" benchmarks/replica.py --site "$${WHISTLE_PERF_SITE:-whistle-perf.localhost}" $(REPLICA_ARGS)' \
		|| rc=$$?; \
	bash scripts/replica.sh stop || rc=$$((rc ? rc : 1)); \
	exit $$rc

# Issue #11: load test against the running demo site (`make run` first): 30 users of every role for
# 10 minutes; prints requests, errors, lost writes and p50/p95 and fails unless errors and losses are 0.
# LOAD_ARGS overrides, e.g. LOAD_ARGS="--users 10 --duration 60".
load:
	bash -c 'source scripts/lib.sh && "$$BENCH_DIR/env/bin/python" scripts/load_test.py --url "http://127.0.0.1:$$PORT" $${LOAD_ARGS:---users 30 --duration 600}'

# Pictures for the README and the user guide (docs/images/): the browser tests that take them, saving
# into the documentation instead of test-artifacts/. A plain `make test` never touches docs/.
screenshots:
	WHISTLE_SCREENSHOTS="$(CURDIR)/docs/images" bash scripts/test.sh tests/browser/test_board.py tests/browser/test_guide_screenshots.py
