#!/usr/bin/env bash
# Command 2 (`make test`): lint, then the whole pytest suite (pure unit tests, Frappe integration
# tests against the test site, browser tests in headless Chromium) against *this* checkout.
# Idempotent; needs no environment variables where `make run` has run once. Without a Frappe
# bench or source it fails loudly and says how to provide one.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_system_packages
ensure_mariadb
ensure_bench
ensure_pdf_fonts
ensure_redis
ensure_app

PY="$BENCH_DIR/env/bin/python"
if ! "$PY" -c "import pytest, hypothesis, playwright, pypdf, ruff, freezegun, requests" 2>/dev/null; then
	log "installing test dependencies into the bench env"
	uv pip install -q --python "$PY" --no-build-isolation -e "$APP_DIR[test]"
fi

log "ruff check and ruff format --check"
(cd "$APP_DIR" && "$PY" -m ruff check . && "$PY" -m ruff format --check .)

ensure_site "$TEST_SITE" disposable
bench_cmd --site "$TEST_SITE" set-config allow_tests true >/dev/null
ensure_build "$TEST_SITE"

log "pytest over tests/ (site $TEST_SITE)"
cd "$APP_DIR"
set +e
WHISTLE_BENCH="$BENCH_DIR" WHISTLE_TEST_SITE="$TEST_SITE" "$PY" -m pytest "${@:-tests}"
rc=$?
set -e
[ "$rc" -eq 0 ] || die "tests failed (pytest exit code $rc)"
log "all tests passed"
