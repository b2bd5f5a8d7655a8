#!/usr/bin/env bash
# Shared set-up for the run, test and bench commands: Odoo source, virtualenv,
# PostgreSQL, Odoo config. Idempotent; source it, then call b2b_setup.
set -euo pipefail

B2B_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
B2B_VAR="${B2B_VAR:-$B2B_ROOT/.var}"
B2B_VENV="${B2B_VENV:-$B2B_ROOT/.venv}"
ODOO_PATH="${ODOO_PATH:-/opt/odoo}"
PY="$B2B_VENV/bin/python"

b2b_log() { printf '[b2b] %s\n' "$*" >&2; }
b2b_die() { printf '[b2b] ERROR: %s\n' "$*" >&2; exit 2; }

b2b_find_odoo() {
    if [ -f "$ODOO_PATH/odoo-bin" ] && [ -d "$ODOO_PATH/odoo/addons/base" ]; then
        ODOO_BIN="$ODOO_PATH/odoo-bin"
        ODOO_ADDONS="$ODOO_PATH/addons"
        return
    fi
    # An importable odoo package (pip-installed Odoo) is the fallback.
    local pkg
    if pkg=$(python3 -c 'import odoo, os; print(os.path.dirname(odoo.__file__))' 2>/dev/null); then
        ODOO_PATH="$(dirname "$pkg")"
        ODOO_BIN=""
        ODOO_ADDONS="$pkg/addons"
        return
    fi
    # Neither: fetch it (a fresh machine).
    b2b_fetch_odoo
    ODOO_BIN="$ODOO_PATH/odoo-bin"
    ODOO_ADDONS="$ODOO_PATH/addons"
}

b2b_fetch_odoo() {
    # A shallow clone of one branch of Odoo into $ODOO_PATH. It is cloned into
    # a temporary folder beside $ODOO_PATH and renamed only once complete, so
    # an interrupted or failed clone never leaves a tree that looks like Odoo.
    local url="${ODOO_GIT_URL:-https://github.com/odoo/odoo.git}"
    local branch="${ODOO_BRANCH:-18.0}"
    local dest="${ODOO_PATH%/}" parent base tmp t0
    command -v git >/dev/null \
        || b2b_die "no Odoo source at ODOO_PATH=$ODOO_PATH, no importable 'odoo' package, and git is missing to fetch Odoo: apt-get install git (or set ODOO_PATH to an Odoo $branch source tree)"
    if [ -e "$dest" ] && { [ ! -d "$dest" ] || [ -n "$(ls -A "$dest")" ]; }; then
        b2b_die "ODOO_PATH=$ODOO_PATH exists but is not an Odoo source tree (no odoo-bin and odoo/addons/base): remove or empty it to let the set-up fetch Odoo $branch there, or set ODOO_PATH to an Odoo $branch source tree"
    fi
    parent=$(dirname "$dest")
    base=$(basename "$dest")
    mkdir -p "$parent" 2>/dev/null || b2b_die "cannot create $parent to fetch Odoo into ODOO_PATH=$ODOO_PATH: set ODOO_PATH to a writable place"
    # Leftovers of clones killed over an hour ago.
    find "$parent" -maxdepth 1 -name ".$base.fetch-*" -mmin +60 -exec rm -rf {} + 2>/dev/null || true
    tmp=$(mktemp -d "$parent/.$base.fetch-XXXXXX") || b2b_die "cannot write in $parent to fetch Odoo into ODOO_PATH=$ODOO_PATH: set ODOO_PATH to a writable place"
    b2b_log "no Odoo source at $ODOO_PATH and no importable 'odoo' package: fetching Odoo (branch $branch of $url, shallow clone, a few minutes)"
    t0=$SECONDS
    # The clone runs in a subshell that removes its folder when interrupted;
    # only this shell renames a complete clone into place.
    if ! ( trap 'rm -rf "$tmp"; exit 130' INT TERM HUP
           GIT_TERMINAL_PROMPT=0 git clone -q --depth 1 --single-branch --branch "$branch" "$url" "$tmp/odoo" ); then
        rm -rf "$tmp"
        b2b_die "could not fetch Odoo: 'git clone --depth 1 --branch $branch $url' failed (see git's message above). Check ODOO_GIT_URL and ODOO_BRANCH, or set ODOO_PATH to an Odoo $branch source tree."
    fi
    if [ ! -f "$tmp/odoo/odoo-bin" ] || [ ! -d "$tmp/odoo/odoo/addons/base" ]; then
        rm -rf "$tmp"
        b2b_die "branch $branch of $url is not an Odoo source tree (no odoo-bin and odoo/addons/base): check ODOO_GIT_URL and ODOO_BRANCH"
    fi
    [ -d "$dest" ] && rmdir "$dest"
    mv -T "$tmp/odoo" "$dest" || { rm -rf "$tmp"; b2b_die "could not move the fetched Odoo into $dest"; }
    rmdir "$tmp"
    b2b_log "fetched Odoo $branch into $dest in $((SECONDS - t0)) s"
}

b2b_pip_venv() {
    # A virtualenv at $1 with the requirements file $2 installed, installed
    # again only when that file changes; $3 is Python code that must run once
    # they are in.
    local dir=$1 requirements=$2 check=$3 want
    local stamp="$dir/.$(basename "$requirements" .txt).sha"
    want=$(sha1sum "$requirements" | cut -d' ' -f1)
    if [ ! -x "$dir/bin/python" ]; then
        b2b_log "creating virtualenv $dir"
        python3 -m venv "$dir" || b2b_die "could not create the virtualenv $dir"
    fi
    if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
        b2b_log "installing $(basename "$requirements") into $dir (the first time takes a few minutes)"
        { "$dir/bin/python" -m pip install -q --upgrade pip wheel "setuptools<70" \
            && "$dir/bin/python" -m pip install -q -r "$requirements"; } 2>&1 | grep -v 'is ignored: it is neither' >&2 || true
        "$dir/bin/python" -c "$check" || b2b_die "$(basename "$requirements") did not install"
        echo "$want" > "$stamp"
    fi
}

b2b_venv() {
    b2b_pip_venv "$B2B_VENV" "$B2B_ROOT/requirements.txt" \
        'import importlib.util as u, psycopg2, werkzeug, lxml, websocket, gevent; assert u.find_spec("pytest_odoo")'
    # Odoo on the path without installing it (pip install -e would write into the tree).
    local site
    site=$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
    [ -n "$ODOO_BIN" ] && echo "$ODOO_PATH" > "$site/odoo-src.pth"
    return 0
}

b2b_postgres() {
    # An already reachable server named by PG* variables wins.
    if [ -n "${PGHOST:-}" ] && pg_isready -q; then
        b2b_log "using PostgreSQL at $PGHOST"
        return
    fi
    if ! pg_isready -q -h localhost 2>/dev/null; then
        command -v pg_ctlcluster >/dev/null || b2b_die "PostgreSQL is not reachable and pg_ctlcluster is missing: apt-get install postgresql, or set PGHOST/PGUSER/PGPASSWORD"
        local ver
        ver=$(ls /usr/lib/postgresql | sort -n | tail -1)
        if ! pg_lsclusters -h | grep -q "^$ver main"; then
            pg_createcluster "$ver" main >/dev/null
        fi
        b2b_log "starting PostgreSQL $ver"
        pg_ctlcluster "$ver" main start || true
        for _ in $(seq 1 30); do pg_isready -q -h localhost && break; sleep 1; done
        pg_isready -q -h localhost || b2b_die "PostgreSQL did not start"
    fi
    export PGHOST=localhost PGUSER="${PGUSER:-odoo}" PGPASSWORD="${PGPASSWORD:-odoo}"
    if [ "$(id -u)" = 0 ] && ! psql -d postgres -tAc 'SELECT 1' >/dev/null 2>&1; then
        # Odoo refuses the postgres role: create a dedicated one (local peer access as root).
        b2b_log "creating PostgreSQL role $PGUSER"
        (cd / && env -u PGHOST -u PGUSER -u PGPASSWORD su postgres -c \
            "psql -q -v ON_ERROR_STOP=1 -c \"CREATE ROLE \\\"$PGUSER\\\" LOGIN CREATEDB PASSWORD '$PGPASSWORD'\"")
    fi
    psql -d postgres -tAc 'SELECT 1' >/dev/null || b2b_die "cannot connect to PostgreSQL as $PGUSER on $PGHOST"
}

b2b_config() {
    # $1: config file to write; $2: http port
    mkdir -p "$B2B_VAR"
    cat > "$1" <<CONF
[options]
addons_path = $ODOO_ADDONS,$B2B_ROOT
data_dir = $B2B_VAR/data
db_host = $PGHOST
db_port = ${PGPORT:-5432}
db_user = $PGUSER
db_password = $PGPASSWORD
http_port = $2
without_demo = False
list_db = True
log_level = info
max_cron_threads = 0
CONF
}

# System packages each command needs, as "command:package" pairs: a package
# is wanted when its command is not on PATH.
B2B_PACKAGES_COMMON="pg_config:libpq-dev"
B2B_PACKAGES_POSTGRES="pg_ctlcluster:postgresql pg_isready:postgresql-client psql:postgresql-client createdb:postgresql-client"
B2B_PACKAGES_test="chromium:chromium"
B2B_PACKAGES_run="wkhtmltopdf:wkhtmltopdf"
B2B_PACKAGES_bench=""

b2b_missing_packages() {
    # The Debian packages $1 (test, run or bench) needs that this machine
    # lacks, one per line: PostgreSQL's only without a server named by PGHOST,
    # git only when there is no Odoo source to use.
    local var="B2B_PACKAGES_$1" pair wanted
    wanted="$B2B_PACKAGES_COMMON ${!var:-}"
    [ -n "${PGHOST:-}" ] || wanted="$wanted $B2B_PACKAGES_POSTGRES"
    if [ ! -f "$ODOO_PATH/odoo-bin" ] && ! python3 -c 'import odoo' 2>/dev/null; then
        wanted="$wanted git:git"
    fi
    for pair in $wanted; do
        command -v "${pair%%:*}" >/dev/null 2>&1 || echo "${pair#*:}"
    done | awk '!seen[$0]++'
}

b2b_system_packages() {
    # Installs what $1 needs with apt-get when run as root on Debian; says
    # exactly what to install otherwise. B2B_SETUP_DRY_RUN=1 only says what
    # it would do.
    local missing
    missing=$(b2b_missing_packages "$1" | tr '\n' ' ')
    missing="${missing% }"
    [ -n "$missing" ] || return 0
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
        b2b_die "missing system packages: $missing. Install them (on Debian or Ubuntu, as root: apt-get install -y $missing) and run this command again, or run it as root on Debian to have them installed."
    fi
    if [ -n "${B2B_SETUP_DRY_RUN:-}" ]; then
        b2b_log "would install with apt-get: $missing"
        return 0
    fi
    b2b_log "installing with apt-get: $missing"
    apt-get update -qq || b2b_die "apt-get update failed: install $missing yourself"
    # shellcheck disable=SC2086  # one word per package
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null \
        || b2b_die "apt-get install $missing failed: install them yourself"
}

b2b_setup() {
    # $1: the command being set up (test, run or bench), for its system packages.
    b2b_system_packages "${1:-bench}"
    b2b_find_odoo
    b2b_venv
    b2b_postgres
}

b2b_odoo() {
    if [ -n "$ODOO_BIN" ]; then "$PY" "$ODOO_BIN" "$@"; else "$PY" -m odoo "$@"; fi
}
