#!/usr/bin/env bash
# Command 1 (`make run`): set everything up, load demo data and serve on http://localhost:$PORT.
# Idempotent: a second run reuses the bench, the services and the site.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_system_packages
ensure_mariadb
ensure_bench
ensure_pdf_fonts
ensure_redis
ensure_app
ensure_site "$SITE"

# Demo data and site settings: again only when the app changed (both are idempotent anyway).
setup_stamp="$BENCH_DIR/sites/$SITE/whistle_app.setup"
if [ "$(cat "$setup_stamp" 2>/dev/null)" != "$(app_stamp)" ]; then
	# translations first: the demo's bulletin and warnings are written in the site's language (zh)
	ensure_build "$SITE"
	log "loading demo data"
	bench_cmd --site "$SITE" whistle-demo
	bench_cmd --site "$SITE" clear-cache >/dev/null
	bench_cmd use "$SITE" >/dev/null
	bench_cmd --site "$SITE" scheduler enable >/dev/null
	bench_cmd --site "$SITE" set-maintenance-mode off >/dev/null
	# wkhtmltopdf fetches the print styles from this address
	bench_cmd --site "$SITE" set-config host_name "http://localhost:$PORT" >/dev/null
	app_stamp >"$setup_stamp"
fi

serving() { curl -fsS "http://localhost:$PORT/api/method/ping" 2>/dev/null | grep -q pong; }
BACKEND_PORT="${WHISTLE_BACKEND_PORT:-$((PORT + 5))}"
SOCKETIO_PORT="$("$BENCH_DIR/env/bin/python" -c 'import json, sys; print(json.load(open(sys.argv[1])).get("socketio_port", 9000))' "$BENCH_DIR/sites/common_site_config.json")"

if serving; then
	log "already serving on http://localhost:$PORT"
else
	log "starting nginx, web (gunicorn), socket.io, scheduler and worker"
	# production topology: nginx in front (real client address, socket.io and assets on one port,
	# uploads served as downloads), Frappe behind it on the loopback only
	bash "$APP_DIR/scripts/nginx.sh" "$BENCH_DIR/config/whistle-nginx.conf" "$BENCH_DIR" "$SITE" "$PORT" \
		"$BACKEND_PORT" "$SOCKETIO_PORT"
	cat >"$BENCH_DIR/Procfile.whistle" <<PROC
nginx: nginx -c $BENCH_DIR/config/whistle-nginx.conf -g 'daemon off;'
web: cd sites && exec ../env/bin/gunicorn -b 127.0.0.1:$BACKEND_PORT -w 2 -t 120 --preload frappe.app:application
socketio: node apps/frappe/socketio.js
schedule: bench schedule
worker: bench worker
PROC
	# own session (setsid) so `make stop` can end the whole process group; no fds left on ours
	(cd "$BENCH_DIR" && exec setsid honcho -f Procfile.whistle start) \
		>"$BENCH_DIR/logs/whistle-run.log" 2>&1 </dev/null &
	echo $! >"$BENCH_DIR/whistle-run.pid"
	for _ in $(seq 1 120); do serving && break; sleep 0.5; done
	serving || die "the server did not answer on port $PORT; see $BENCH_DIR/logs/whistle-run.log"
fi
log "whistle_app is serving at http://localhost:$PORT (site $SITE)"
log "log in as office@whistle.localhost / Whistle@2026 (more demo logins in README.md)"
log "stop it with: make stop"
