#!/usr/bin/env bash
# Issue #21: a read replica of the benchmark site's database on this machine, for `make replica`
# (benchmarks/replica.py measures with and without it).
#
#   bash scripts/replica.sh start [SITE]   primary with binary logging (ROW, server_id 1), a second
#                                          MariaDB server (port 3307, own data dir, socket and pid file,
#                                          server_id 2, read_only) holding SITE's database, replicating
#                                          from the primary (CHANGE MASTER TO / START SLAVE)
#   bash scripts/replica.sh stop           stop that second server and remove its data dir
#
# The replica is started the way the primary is (mysqld_safe in the background, no systemd). `start`
# is idempotent: a replica that already replicates is left alone, a broken one is rebuilt. The site's
# DB user exists on the replica with the site's password and SELECT only. `stop` never touches the
# primary's data (it only drops the replication user `start` created there).
# Environment: WHISTLE_PERF_SITE (default whistle-perf.localhost), WHISTLE_REPLICA_PORT (3307),
# WHISTLE_REPLICA_DIR (/var/lib/mysql-whistle-replica), DB_ROOT_PASSWORD (see lib.sh).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

REPLICA_PORT="${WHISTLE_REPLICA_PORT:-3307}"
REPLICA_DIR="${WHISTLE_REPLICA_DIR:-/var/lib/mysql-whistle-replica}"
REPLICA_DATA="$REPLICA_DIR/data"
REPLICA_CNF="$REPLICA_DIR/my.cnf"
REPLICA_SOCK="$REPLICA_DIR/mysqld.sock"
REPLICA_PID="$REPLICA_DIR/mysqld.pid"
REPLICA_LOG="$REPLICA_DIR/error.log"
SAFE_PID="$REPLICA_DIR/mysqld_safe.pid"
PRIMARY_CNF=/etc/mysql/mariadb.conf.d/99-whistle-replication.cnf
REPL_USER=whistle_repl

# the primary (port 3306) as root over TCP, the password in the environment rather than in `ps`
primary() { MYSQL_PWD="$DB_ROOT_PASSWORD" mariadb -h127.0.0.1 -P3306 -uroot "$@"; }
# the replica as root through its own socket (unix_socket authentication), none of the primary's
# option files read
replica() { mariadb --no-defaults -S "$REPLICA_SOCK" -uroot "$@"; }
replica_up() { [ -S "$REPLICA_SOCK" ] && mariadb-admin --no-defaults -S "$REPLICA_SOCK" -uroot ping >/dev/null 2>&1; }

guard_dir() {
	# never anything of the primary's
	case "$REPLICA_DIR" in
		/ | /var/lib/mysql | /var/lib/mysql/* | "") die "refusing to use $REPLICA_DIR as the replica's directory" ;;
	esac
	[ "$REPLICA_PORT" != 3306 ] || die "the replica cannot listen on the primary's port 3306"
}

# PID is alive and one of the replica's processes (mysqld_safe or mariadbd with its option file)
ours() { [ -n "$1" ] && tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -qF -- "$REPLICA_DIR"; }

slave_field() { replica -e 'SHOW SLAVE STATUS\G' 2>/dev/null | awk -F': ' -v k="$1" '$1 ~ "^ *"k"$" {print $2}'; }

replicating() {
	replica_up && [ "$(slave_field Slave_IO_Running)" = Yes ] && [ "$(slave_field Slave_SQL_Running)" = Yes ]
}

site_value() {
	"$BENCH_DIR/env/bin/python" -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' \
		"$BENCH_DIR/sites/$1/site_config.json" "$2"
}

sql_string() { printf "'%s'" "$(printf '%s' "$1" | sed -e "s/\\\\/\\\\\\\\/g" -e "s/'/''/g")"; }

ensure_primary_binlog() {
	local log_bin fmt server_id
	read -r log_bin fmt server_id < <(primary -N -e 'SELECT @@log_bin, @@binlog_format, @@server_id') \
		|| die "cannot log into the primary MariaDB as root (DB_ROOT_PASSWORD)"
	if [ "$log_bin" = 1 ] && [ "$fmt" = ROW ] && [ "$server_id" = 1 ]; then
		log "primary: binary logging on (ROW, server_id 1)"
		return
	fi
	if [ ! -f "$PRIMARY_CNF" ]; then
		cat >"$PRIMARY_CNF" <<'CNF'
# whistle_app scripts/replica.sh (issue #21): binary log of the primary for the benchmark's replica
[mysqld]
server_id = 1
log_bin = mariadb-bin
binlog_format = ROW
CNF
		log "primary: wrote $PRIMARY_CNF (log_bin, binlog_format=ROW, server_id=1)"
	fi
	if [ "$log_bin" != 1 ]; then
		log "primary: binary logging is OFF; restarting the primary MariaDB once (/etc/init.d/mariadb restart) to turn it on"
		/etc/init.d/mariadb restart >/dev/null || die "the primary MariaDB did not restart (see /var/log/syslog or its error log)"
		local _
		for _ in $(seq 1 60); do primary -e 'SELECT 1' >/dev/null 2>&1 && break; sleep 1; done
		read -r log_bin fmt server_id < <(primary -N -e 'SELECT @@log_bin, @@binlog_format, @@server_id') \
			|| die "the primary MariaDB is not back after its restart"
		[ "$log_bin" = 1 ] || die "binary logging is still off on the primary; is $PRIMARY_CNF overridden?"
		log "primary: restarted with binary logging on"
	fi
	if [ "$fmt" != ROW ] || [ "$server_id" != 1 ]; then
		# both are dynamic: no restart needed (the option file keeps them after the next one)
		primary -e 'SET GLOBAL binlog_format = ROW; SET GLOBAL server_id = 1'
		log "primary: binlog_format=ROW and server_id=1 set (were $fmt, $server_id)"
	fi
}

ensure_replication_user() {
	# not written to the binary log: nothing of it reaches the replica
	REPL_PASSWORD="$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
	local host
	for host in 127.0.0.1 localhost; do
		primary -e "SET SESSION sql_log_bin = 0;
			CREATE USER IF NOT EXISTS '$REPL_USER'@'$host' IDENTIFIED BY '$REPL_PASSWORD';
			ALTER USER '$REPL_USER'@'$host' IDENTIFIED BY '$REPL_PASSWORD';
			GRANT REPLICATION SLAVE ON *.* TO '$REPL_USER'@'$host';"
	done
	log "primary: replication user $REPL_USER"
}

start_replica_server() {
	local db="$1" charset collation pool
	read -r charset collation pool < <(primary -N -e \
		'SELECT @@character_set_server, @@collation_server, @@innodb_buffer_pool_size')
	mkdir -p "$REPLICA_DATA"
	cat >"$REPLICA_CNF" <<CNF
# whistle_app scripts/replica.sh: the benchmark site's read replica (removed by \`replica.sh stop\`)
[mysqld]
user = mysql
basedir = /usr
datadir = $REPLICA_DATA
socket = $REPLICA_SOCK
pid-file = $REPLICA_PID
log-error = $REPLICA_LOG
port = $REPLICA_PORT
bind-address = 127.0.0.1
server_id = 2
read_only = ON
skip-log-bin
relay_log = relay-bin
replicate_do_db = $db
character-set-server = $charset
collation-server = $collation
character-set-client-handshake = FALSE
innodb_buffer_pool_size = $pool

[mysqld_safe]
log-error = $REPLICA_LOG
pid-file = $REPLICA_PID
socket = $REPLICA_SOCK
CNF
	chown -R mysql:mysql "$REPLICA_DIR"
	chmod 750 "$REPLICA_DIR"
	log "replica: initialising $REPLICA_DATA"
	mariadb-install-db --defaults-file="$REPLICA_CNF" --auth-root-authentication-method=socket \
		--skip-test-db >"$REPLICA_DIR/install-db.log" 2>&1 \
		|| { tail -n 20 "$REPLICA_DIR/install-db.log" >&2; die "mariadb-install-db failed"; }
	log "replica: starting mysqld_safe on port $REPLICA_PORT (socket $REPLICA_SOCK)"
	# daemonised like the primary's init script does it: in the background, in its own session
	setsid nohup mysqld_safe --defaults-file="$REPLICA_CNF" >/dev/null 2>&1 </dev/null &
	echo $! >"$SAFE_PID"
	local _
	for _ in $(seq 1 60); do replica_up && break; sleep 1; done
	replica_up || { tail -n 20 "$REPLICA_LOG" >&2; die "the replica server did not start (log: $REPLICA_LOG)"; }
	local port datadir
	read -r port datadir < <(replica -N -e 'SELECT @@port, @@datadir')
	if [ "$port" != "$REPLICA_PORT" ] || [ "${datadir%/}" != "$REPLICA_DATA" ]; then
		die "the server on $REPLICA_SOCK is not the replica (port $port, datadir $datadir)"
	fi
	# root over TCP with the same password as the primary's (benchmarks/replica.py reads its counters)
	replica -e "ALTER USER 'root'@'localhost' IDENTIFIED VIA mysql_native_password
		USING PASSWORD($(sql_string "$DB_ROOT_PASSWORD")) OR unix_socket; FLUSH PRIVILEGES;"
}

cmd_start() {
	local site="${1:-${WHISTLE_PERF_SITE:-whistle-perf.localhost}}"
	guard_dir
	[ -f "$BENCH_DIR/sites/$site/site_config.json" ] || die "no site $site in $BENCH_DIR (make benchmark creates it)"
	local db password
	db="$(site_value "$site" db_name)"
	password="$(site_value "$site" db_password)"
	[[ "$db" =~ ^[A-Za-z0-9_]+$ ]] || die "unexpected database name $db"

	ensure_mariadb
	if replicating && [ -n "$(replica -N -e "SHOW DATABASES LIKE '$db'")" ]; then
		log "replica: already running on port $REPLICA_PORT and replicating $db from the primary; nothing to do"
		return
	fi
	if replica_up || [ -e "$REPLICA_DIR" ]; then
		log "replica: a previous one is there but not replicating; removing it and starting afresh"
		cmd_stop
	fi
	ensure_primary_binlog
	ensure_replication_user
	start_replica_server "$db"

	local host
	for host in localhost 127.0.0.1; do
		replica -e "CREATE USER IF NOT EXISTS '$db'@'$host' IDENTIFIED BY $(sql_string "$password");
			ALTER USER '$db'@'$host' IDENTIFIED BY $(sql_string "$password");
			GRANT SELECT ON \`$db\`.* TO '$db'@'$host';"
	done
	log "replica: site user $db (SELECT only) with the site's password"

	# where to replicate from first: the dump then sets the binlog file and position of its snapshot
	# (MASTER_HOST or MASTER_PORT given later would reset them)
	replica -e "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=3306, MASTER_USER='$REPL_USER',
		MASTER_PASSWORD='$REPL_PASSWORD', MASTER_USE_GTID=no, MASTER_CONNECT_RETRY=5;"
	log "replica: copying $db from the primary (consistent snapshot with its binlog position)"
	local t0=$SECONDS
	MYSQL_PWD="$DB_ROOT_PASSWORD" mariadb-dump -h127.0.0.1 -P3306 -uroot --default-character-set=utf8mb4 \
		--single-transaction --master-data=1 --quick --routines --databases "$db" \
		| replica --default-character-set=utf8mb4 \
		|| die "copying $db to the replica failed (log: $REPLICA_LOG)"
	log "replica: copied in $((SECONDS - t0)) s; from $(slave_field Master_Log_File) position $(slave_field Read_Master_Log_Pos)"

	replica -e 'START SLAVE;'
	local _
	for _ in $(seq 1 60); do
		replicating && break
		sleep 1
	done
	if ! replicating; then
		replica -e 'SHOW SLAVE STATUS\G' | grep -E 'Running|Last_(IO|SQL)_Error' >&2 || true
		die "replication did not start (SHOW SLAVE STATUS above)"
	fi
	for _ in $(seq 1 120); do
		[ "$(slave_field Seconds_Behind_Master)" = 0 ] && break
		sleep 1
	done
	log "replica: Slave_IO_Running=Yes, Slave_SQL_Running=Yes, Seconds_Behind_Master=$(slave_field Seconds_Behind_Master)"
}

cmd_stop() {
	guard_dir
	if replica_up; then
		local port datadir
		read -r port datadir < <(replica -N -e 'SELECT @@port, @@datadir')
		if [ "$port" != "$REPLICA_PORT" ] || [ "${datadir%/}" != "$REPLICA_DATA" ]; then
			die "the server on $REPLICA_SOCK is not the replica (port $port, datadir $datadir); not stopping it"
		fi
		replica -e 'STOP SLAVE;' >/dev/null 2>&1 || true
		log "replica: shutting down the server on port $REPLICA_PORT"
		mariadb-admin --no-defaults -S "$REPLICA_SOCK" -uroot shutdown >/dev/null 2>&1 || true
	fi
	local pid pidfile _
	for pidfile in "$REPLICA_PID" "$SAFE_PID"; do
		[ -f "$pidfile" ] || continue
		pid="$(cat "$pidfile")"
		ours "$pid" || continue
		for _ in $(seq 1 60); do ours "$pid" || break; sleep 1; done
		if ours "$pid"; then
			log "replica: process $pid still running; terminating it"
			kill "$pid" 2>/dev/null || true
			sleep 2
			kill -9 "$pid" 2>/dev/null || true
		fi
	done
	if [ -e "$REPLICA_DIR" ]; then
		rm -rf "${REPLICA_DIR:?}"
		log "replica: removed $REPLICA_DIR"
	fi
	if primary -N -e "SELECT 1 FROM mysql.user WHERE user = '$REPL_USER' LIMIT 1" 2>/dev/null | grep -q 1; then
		primary -e "SET SESSION sql_log_bin = 0; DROP USER IF EXISTS '$REPL_USER'@'127.0.0.1', '$REPL_USER'@'localhost';"
		log "primary: dropped the replication user $REPL_USER"
	fi
}

case "${1:-}" in
	start) shift; cmd_start "$@" ;;
	stop) cmd_stop ;;
	*) die "usage: $0 start [SITE] | stop" ;;
esac
