#!/usr/bin/env bash
# `make benchmark` (issue #10): set up the benchmark site, generate the district and province
# datasets there and run benchmarks/run.py, which prints the results table (BENCHMARKS.md).
# The benchmark site is separate (never the demo or test site) and marked "whistle_perf_site".
# Environment: WHISTLE_PERF_SITE (default whistle-perf.localhost), WHISTLE_PERF_PORT (default 8090),
# BENCH_ARGS (extra arguments of benchmarks/run.py, e.g. "--skip-province").
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PERF_SITE="${WHISTLE_PERF_SITE:-whistle-perf.localhost}"

ensure_system_packages
ensure_mariadb
ensure_bench
ensure_redis
ensure_app
ensure_site "$PERF_SITE"
bench_cmd --site "$PERF_SITE" set-config whistle_perf_site 1 >/dev/null
ensure_build "$PERF_SITE"

PY="$BENCH_DIR/env/bin/python"
"$PY" -c "import requests" 2>/dev/null || uv pip install -q --python "$PY" requests

log "benchmarks on $PERF_SITE (results: BENCHMARKS.md)"
cd "$APP_DIR"
# shellcheck disable=SC2086
WHISTLE_BENCH="$BENCH_DIR" "$PY" benchmarks/run.py --site "$PERF_SITE" --port "${WHISTLE_PERF_PORT:-8090}" ${BENCH_ARGS:-}
