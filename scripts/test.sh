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
if ! "$PY" -c "import pytest, pytest_randomly, hypothesis, playwright, pypdf, ruff, freezegun, requests, pip_audit" 2>/dev/null \
	|| [ ! -x "$BENCH_DIR/env/bin/semgrep" ]; then
	log "installing test dependencies into the bench env"
	# the packages already installed (Frappe's pins) are constraints: the test tools adapt, Frappe does not
	constraints="$(mktemp)"
	uv pip freeze --python "$PY" --exclude-editable >"$constraints"
	uv pip install -q --python "$PY" --no-build-isolation -c "$constraints" -e "$APP_DIR[test]"
	rm -f "$constraints"
fi

log "ruff check and ruff format --check"
(cd "$APP_DIR" && "$PY" -m ruff check . && "$PY" -m ruff format --check .)

log "semgrep (Frappe's rules) and pip-audit (the app's dependencies)"
"$PY" "$APP_DIR/scripts/static_checks.py" --bench "$BENCH_DIR"

ensure_site "$TEST_SITE" disposable
bench_cmd --site "$TEST_SITE" set-config allow_tests true >/dev/null
ensure_build "$TEST_SITE"

log "pytest over tests/ (site $TEST_SITE)"
cd "$APP_DIR"
set +e
# the suite runs in random order; WHISTLE_TEST_SEED repeats one (CI pins the order it was proven in)
seed=()
[ -n "${WHISTLE_TEST_SEED:-}" ] && seed=(--randomly-seed="$WHISTLE_TEST_SEED")
WHISTLE_BENCH="$BENCH_DIR" WHISTLE_TEST_SITE="$TEST_SITE" "$PY" -m pytest "${seed[@]}" "${@:-tests}"
rc=$?
set -e
[ "$rc" -eq 0 ] || die "tests failed (pytest exit code $rc)"
log "all tests passed"
