# The two commands of README.md: `make run` (set up, demo data, serve) and `make test`.
.PHONY: run test stop demo

run:
	bash scripts/setup.sh

test:
	bash scripts/test.sh $(ARGS)

stop:
	bash scripts/stop.sh

demo:
	bash -c 'source scripts/lib.sh && bench_cmd --site "$$SITE" whistle-demo'
