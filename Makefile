# The two commands of README.md: `make run` (set up, demo data, serve) and `make test`.
.PHONY: run test stop demo benchmark

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

