#!/usr/bin/env bash
# `make benchmark` (issue #10): set up the benchmark site, generate the district and province
# datasets there and run benchmarks/run.py, which prints the results table (BENCHMARKS.md).
# The benchmark site is separate (never the demo or test site) and marked "whistle_perf_site".
# Environment: WHISTLE_PERF_SITE (default whistle-perf.localhost), WHISTLE_PERF_PORT (default 8090),
# BENCH_ARGS (extra arguments of benchmarks/run.py, e.g. "--skip-province"), WHISTLE_SKIP_REPLICA=1
# (no read replica measurement at the end, issue #21: scripts/replica.sh + benchmarks/replica.py).
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

# Issue #21: the same site with a read replica (a second MariaDB, started here and always stopped)
if [ "${WHISTLE_SKIP_REPLICA:-0}" != "1" ]; then
	log "read replica: board, reports and chart source with and without it (WHISTLE_SKIP_REPLICA=1 skips this)"
	rc=0
	bash "$APP_DIR/scripts/replica.sh" start "$PERF_SITE" \
		&& DB_ROOT_PASSWORD="$DB_ROOT_PASSWORD" WHISTLE_BENCH="$BENCH_DIR" "$PY" benchmarks/replica.py --site "$PERF_SITE" \
		|| rc=$?
	bash "$APP_DIR/scripts/replica.sh" stop || rc=$((rc ? rc : 1))
	exit "$rc"
fi
