#!/usr/bin/env bash
# Shared helpers for `make run` (scripts/setup.sh) and `make test` (scripts/test.sh).
# Every step is idempotent: it checks first and only does what is missing.
set -euo pipefail

APP_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_DIR="${WHISTLE_BENCH:-$HOME/whistle-bench}"
SITE="${WHISTLE_SITE:-whistle.localhost}"
TEST_SITE="${WHISTLE_TEST_SITE:-whistle-test.localhost}"
DB_ROOT_PASSWORD="${DB_ROOT_PASSWORD:-whistle_root}"
# the site Administrator's password: ADMIN_PASSWORD, else a random one printed once when a site is made
ADMIN_PASSWORD="${ADMIN_PASSWORD:-}"
FRAPPE_BRANCH="${FRAPPE_BRANCH:-version-15}"
FRAPPE_UPSTREAM="https://github.com/frappe/frappe"
PORT="${WHISTLE_PORT:-8000}"
PYTHON_BIN="${PYTHON:-python3}"
# uv and pip trust the system's CA bundle (machines behind a TLS-inspecting proxy add theirs there)
export UV_NATIVE_TLS="${UV_NATIVE_TLS:-1}"

log() { printf '\033[1;34m[whistle]\033[0m %s\n' "$*"; }
die() {
	printf '\033[1;31m[whistle] ERROR:\033[0m %s\n' "$*" >&2
	exit 1
}
is_root() { [ "$(id -u)" = "0" ]; }
bench_cmd() { (cd "$BENCH_DIR" && bench "$@"); }

ensure_system_packages() {
	local missing=()
	command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ] || missing+=(mariadb-server mariadb-client)
	command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
	[ -f /usr/include/mariadb/mysql.h ] || missing+=(libmariadb-dev pkg-config)
	command -v chromium >/dev/null 2>&1 || missing+=(chromium)
	[ -n "$(fc-list 'Noto Sans CJK SC' 2>/dev/null)" ] || missing+=(fonts-noto-cjk)
	command -v wkhtmltopdf >/dev/null 2>&1 || missing+=(wkhtmltopdf)
	command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
	command -v git >/dev/null 2>&1 || missing+=(git)
	# bench init sets up a backup job with crontab, which a minimal Debian lacks
	command -v crontab >/dev/null 2>&1 || missing+=(cron)
	# the front web server of `make run` (scripts/nginx.sh)
	command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
	if [ ${#missing[@]} -gt 0 ]; then
		if is_root && command -v apt-get >/dev/null 2>&1; then
			log "installing system packages: ${missing[*]}"
			apt-get update -qq
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
		else
			die "missing system packages: ${missing[*]} (install them with sudo apt-get install, then re-run)"
		fi
	fi
	command -v node >/dev/null 2>&1 || die "Node.js 18+ is required (apt-get install nodejs npm)"
	local node_major
	node_major=$(node -p 'process.versions.node.split(".")[0]')
	[ "$node_major" -ge 18 ] || die "Node.js 18+ is required, found $(node --version)"
	command -v yarn >/dev/null 2>&1 || { log "installing yarn"; npm install -g yarn >/dev/null; }
	if ! command -v bench >/dev/null 2>&1 || ! command -v uv >/dev/null 2>&1; then
		log "installing frappe-bench and uv"
		"$PYTHON_BIN" -m pip install -q frappe-bench uv
		hash -r
	fi
}

ensure_mariadb() {
	local cnf=/etc/mysql/mariadb.conf.d/99-whistle-frappe.cnf
	if is_root && [ ! -f "$cnf" ]; then
		cat >"$cnf" <<'CNF'
[mysqld]
character-set-client-handshake = FALSE
character-set-server = utf8mb4
collation-server = utf8mb4_unicode_ci
innodb_buffer_pool_size = 512M

[mysql]
default-character-set = utf8mb4
CNF
	fi
	if ! mysqladmin ping >/dev/null 2>&1 && ! mysqladmin -uroot -p"$DB_ROOT_PASSWORD" ping >/dev/null 2>&1; then
		log "starting MariaDB"
		if [ -x /etc/init.d/mariadb ]; then
			/etc/init.d/mariadb start >/dev/null || die "MariaDB did not start (see /var/log/mysql)"
		else
			die "MariaDB is not running and cannot be started from here"
		fi
	fi
	if ! mysql -h127.0.0.1 -uroot -p"$DB_ROOT_PASSWORD" -e 'select 1' >/dev/null 2>&1; then
		log "setting the MariaDB root password for password logins"
		mysql -uroot -e "ALTER USER 'root'@'localhost' IDENTIFIED VIA mysql_native_password USING PASSWORD('$DB_ROOT_PASSWORD') OR unix_socket; FLUSH PRIVILEGES;" \
			|| die "cannot log into MariaDB as root; set DB_ROOT_PASSWORD to its root password"
	fi
}

# Frappe's package.json takes air-datepicker from GitHub. Where GitHub is unreachable,
# AIR_DATEPICKER_PATH (a git clone, a package folder such as another bench's
# apps/frappe/node_modules/air-datepicker, or a tarball) becomes a yarn offline mirror holding that
# package under the file name yarn looks for: the commit in Frappe's yarn.lock. Only this setup's
# yarn runs see it (YARN_YARN_OFFLINE_MIRROR); nothing is written to the user's yarn config.
prepare_yarn_mirror() {
	local frappe_source="$1" src="${AIR_DATEPICKER_PATH:-}"
	[ -n "$src" ] || return 0
	[ -e "$src" ] || die "AIR_DATEPICKER_PATH=$src does not exist"
	local lock commit
	if [ -d "$frappe_source/.git" ] || git -C "$frappe_source" rev-parse --git-dir >/dev/null 2>&1; then
		lock=$(git -C "$frappe_source" show "$FRAPPE_BRANCH:yarn.lock" 2>/dev/null || cat "$frappe_source/yarn.lock")
	elif [ -f "$frappe_source/yarn.lock" ]; then
		lock=$(cat "$frappe_source/yarn.lock")
	else
		die "AIR_DATEPICKER_PATH needs a local Frappe source (FRAPPE_PATH) to read which commit yarn.lock pins"
	fi
	commit=$(printf '%s\n' "$lock" | sed -n 's#.*codeload.github.com/frappe/air-datepicker/tar.gz/\([0-9a-f]*\).*#\1#p' | head -n 1)
	[ -n "$commit" ] || die "Frappe's yarn.lock names no air-datepicker commit; AIR_DATEPICKER_PATH is not needed"
	YARN_MIRROR_DIR="$(mktemp -d)"
	local target="$YARN_MIRROR_DIR/$commit"
	if [ -f "$src" ]; then
		cp "$src" "$target"
	elif [ -e "$src/.git" ] || [ "$(git -C "$src" rev-parse --is-bare-repository 2>/dev/null)" = "true" ]; then
		git -C "$src" cat-file -e "$commit^{commit}" 2>/dev/null \
			|| die "AIR_DATEPICKER_PATH=$src has no commit $commit (the one Frappe's yarn.lock pins)"
		git -C "$src" archive --format=tar.gz --prefix="air-datepicker-$commit/" "$commit" >"$target"
	elif [ -f "$src/package.json" ]; then
		tar -czf "$target" -C "$(dirname "$src")" --transform "s#^$(basename "$src")#package#" "$(basename "$src")"
	else
		die "AIR_DATEPICKER_PATH=$src is neither a git clone, a package folder nor a tarball"
	fi
	log "yarn takes air-datepicker ($commit) from $src"
	export YARN_YARN_OFFLINE_MIRROR="$YARN_MIRROR_DIR" YARN_YARN_OFFLINE_MIRROR_PRUNING=false
}

# bench_init PARENT NAME SOURCE: `bench init` with its output kept; on failure its own last lines
# are shown, since they name the cause.
bench_init() {
	local parent="$1" name="$2" source="$3" init_log
	init_log="$(mktemp --suffix=-bench-init.log)"
	prepare_yarn_mirror "$source"
	if is_root; then
		# bench refuses to run as root unless the folder it runs from names the user to run as.
		mkdir -p "$parent/sites"
		[ -f "$parent/sites/common_site_config.json" ] || echo '{"frappe_user": "root"}' >"$parent/sites/common_site_config.json"
	fi
	local rc=0
	set +o pipefail
	(cd "$parent" && bench init "$name" --frappe-path "$source" --frappe-branch "$FRAPPE_BRANCH" \
		--python "$(command -v "$PYTHON_BIN")" --skip-redis-config-generation) 2>&1 | tee "$init_log"
	rc=${PIPESTATUS[0]}
	set -o pipefail
	[ -z "${YARN_MIRROR_DIR:-}" ] || rm -rf "$YARN_MIRROR_DIR"
	unset YARN_YARN_OFFLINE_MIRROR YARN_YARN_OFFLINE_MIRROR_PRUNING YARN_MIRROR_DIR
	if [ "$rc" -ne 0 ]; then
		rm -rf "${parent:?}/$name"
		printf '%s\n' "----- last lines of bench init (full log: $init_log) -----" >&2
		tail -n 25 "$init_log" >&2
		printf '%s\n' "-----" >&2
		die "bench init failed (exit $rc) creating $parent/$name from $source ($FRAPPE_BRANCH); the cause is in its last lines above"
	fi
	rm -f "$init_log"
	if is_root; then
		"$parent/$name/env/bin/python" - "$parent/$name/sites/common_site_config.json" <<'PY'
import json, sys
path = sys.argv[1]
conf = json.load(open(path))
conf["frappe_user"] = "root"
json.dump(conf, open(path, "w"), indent=1)
PY
	fi
	"$parent/$name/env/bin/python" -m pip install -q "setuptools<81"
}

ensure_bench() {
	if [ -f "$BENCH_DIR/apps/frappe/frappe/__init__.py" ] && [ -x "$BENCH_DIR/env/bin/python" ]; then
		return
	fi
	[ ! -e "$BENCH_DIR" ] || die "$BENCH_DIR exists but is not a complete bench; move it away or set WHISTLE_BENCH"
	local source="${FRAPPE_PATH:-$FRAPPE_UPSTREAM}"
	log "creating the bench $BENCH_DIR from $source ($FRAPPE_BRANCH); this takes a few minutes"
	local parent
	parent="$(dirname "$BENCH_DIR")"
	mkdir -p "$parent"
	bench_init "$parent" "$(basename "$BENCH_DIR")" "$source"
}

# PDF fonts: copies of Noto CJK that wkhtmltopdf turns into correct PDF text (see the script).
ensure_pdf_fonts() {
	local target=/usr/local/share/fonts/whistle
	[ -z "$(fc-list 'Whistle Serif SC' 2>/dev/null)" ] || return 0
	is_root || { log "PDF fonts missing: run as root once (scripts/make_pdf_fonts.py)"; return 0; }
	log "deriving the PDF fonts from Noto CJK"
	"$BENCH_DIR/env/bin/python" "$APP_DIR/scripts/make_pdf_fonts.py" "$target" >/dev/null
	fc-cache -f "$target" >/dev/null
}

ensure_redis() {
	if [ ! -f "$BENCH_DIR/config/redis_cache.conf" ]; then
		# other ports than bench's defaults when asked (CI's throwaway bench beside a running one)
		if [ -n "${WHISTLE_REDIS_CACHE_PORT:-}" ]; then
			bench_cmd set-config -g redis_cache "redis://127.0.0.1:$WHISTLE_REDIS_CACHE_PORT" >/dev/null
			bench_cmd set-config -g redis_socketio "redis://127.0.0.1:$WHISTLE_REDIS_CACHE_PORT" >/dev/null
		fi
		if [ -n "${WHISTLE_REDIS_QUEUE_PORT:-}" ]; then
			bench_cmd set-config -g redis_queue "redis://127.0.0.1:$WHISTLE_REDIS_QUEUE_PORT" >/dev/null
		fi
		bench_cmd setup redis >/dev/null
	fi
	local conf port
	for conf in redis_cache redis_queue; do
		port=$(awk '/^port/ {print $2}' "$BENCH_DIR/config/$conf.conf")
		if ! redis-cli -p "$port" ping >/dev/null 2>&1; then
			log "starting $conf on port $port"
			(cd "$BENCH_DIR/config" && redis-server "$conf.conf" --daemonize yes >/dev/null)
		fi
	done
	for conf in redis_cache redis_queue; do
		port=$(awk '/^port/ {print $2}' "$BENCH_DIR/config/$conf.conf")
		for _ in $(seq 1 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
		redis-cli -p "$port" ping >/dev/null 2>&1 || die "redis ($conf) did not start"
	done
}

# Point the bench's whistle_app at *this* checkout (a symlink) and install it into the bench env.
ensure_app() {
	local link="$BENCH_DIR/apps/whistle_app"
	if [ "$(readlink -f "$link" 2>/dev/null)" != "$APP_DIR" ] || ! "$BENCH_DIR/env/bin/python" -c \
		"import whistle_app, os, sys; sys.exit(os.path.realpath(whistle_app.__path__[0]) != os.path.realpath('$APP_DIR/whistle_app'))" 2>/dev/null; then
		log "linking $APP_DIR into the bench"
		[ ! -e "$link" ] || [ -L "$link" ] || die "$link is a real folder, not this checkout; move it away"
		ln -sfn "$APP_DIR" "$link"
		uv pip install -q --python "$BENCH_DIR/env/bin/python" --no-build-isolation -e "$APP_DIR"
	fi
	grep -qx whistle_app "$BENCH_DIR/sites/apps.txt" || printf '\nwhistle_app\n' >>"$BENCH_DIR/sites/apps.txt"
	# drop blank lines that bench itself would not write
	sed -i '/^$/d' "$BENCH_DIR/sites/apps.txt"
}

# ensure_site NAME [disposable]: create the site with whistle_app, or install and migrate it.
# A disposable site (the test site) that cannot be opened is dropped and made again.
ensure_site() {
	local site="$1" disposable="${2:-}"
	local stamp="$BENCH_DIR/sites/$site/whistle_app.migrated"
	if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$(app_stamp)" ]; then
		return  # installed and migrated with exactly these app files
	fi
	if [ -f "$BENCH_DIR/sites/$site/site_config.json" ] && ! bench_cmd --site "$site" list-apps >/dev/null 2>&1; then
		[ -n "$disposable" ] || die "site $site exists but cannot be opened; see: cd $BENCH_DIR && bench --site $site list-apps"
		log "site $site is broken; dropping it"
		bench_cmd drop-site "$site" --db-root-password "$DB_ROOT_PASSWORD" --force --no-backup >/dev/null 2>&1 || true
		rm -rf "$BENCH_DIR/sites/$site"
	fi
	if [ ! -f "$BENCH_DIR/sites/$site/site_config.json" ]; then
		log "creating site $site"
		local admin_password="$ADMIN_PASSWORD"
		[ -n "$admin_password" ] || admin_password="$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
		if ! bench_cmd new-site "$site" --force --db-root-password "$DB_ROOT_PASSWORD" \
			--admin-password "$admin_password" --install-app whistle_app >/dev/null; then
			rm -rf "$BENCH_DIR/sites/$site"
			die "could not create site $site"
		fi
		[ -n "$ADMIN_PASSWORD" ] || log "site $site: the Administrator's password is $admin_password (shown once; keep it)"
	elif ! bench_cmd --site "$site" list-apps 2>/dev/null | grep -q '^whistle_app'; then
		log "installing whistle_app on $site"
		bench_cmd --site "$site" install-app whistle_app >/dev/null
	fi
	log "migrating $site"
	bench_cmd --site "$site" migrate >/dev/null
	app_stamp >"$stamp"
}

# A fingerprint of this checkout's app files (names, sizes, times) and where it lives: migrate and
# build run again only when it changes.
app_stamp() {
	{
		echo "$APP_DIR"
		(cd "$APP_DIR" && find whistle_app -type f ! -path '*/__pycache__/*' -printf '%P %s %T@\n' | sort)
	} | sha1sum | cut -d' ' -f1
}

# Build assets and compile translations when the app changed since the last build.
ensure_build() {
	local stamp="$BENCH_DIR/sites/assets/whistle_app.built"
	if [ "$(cat "$stamp" 2>/dev/null)" != "$(app_stamp)" ] || [ ! -e "$BENCH_DIR/sites/assets/whistle_app" ]; then
		log "building assets and translations"
		bench_cmd build --app whistle_app >/dev/null
		for site in "$@"; do bench_cmd --site "$site" clear-cache >/dev/null; done
		app_stamp >"$stamp"
	fi
}
