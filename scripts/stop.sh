#!/usr/bin/env bash
# `make stop`: stop the processes `make run` started (MariaDB and Redis keep running).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
pidfile="$BENCH_DIR/whistle-run.pid"
if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
	kill -TERM -- "-$(cat "$pidfile")" 2>/dev/null || kill -TERM "$(cat "$pidfile")"
	log "stopped"
else
	log "not running"
fi
rm -f "$pidfile"
