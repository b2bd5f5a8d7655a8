#!/usr/bin/env bash
# A streaming hot standby of the local PostgreSQL cluster, on the same machine,
# for running Odoo with --db_replica_host/--db_replica_port.
#
#   scripts/replica.sh start    # copy the primary (pg_basebackup) once, start the standby
#   scripts/replica.sh status   # running? streaming? how far behind?
#   scripts/replica.sh stop     # stop it (its copy is kept for the next start)
#   scripts/replica.sh destroy  # stop it and delete its copy
#
# Settings (environment):
#   B2B_REPLICA_PORT          the standby's port (5433)
#   B2B_REPLICA_DIR           its data directory ($B2B_VAR/replica)
#   RECOVERY_MIN_APPLY_DELAY  an artificial lag, e.g. 3s (none by default); set
#                             again by every start, also on a running standby
#
# Idempotent: start on a running standby only applies the delay; a copy that
# cannot catch up (stopped too long, its WAL gone from the primary) is made
# again. PostgreSQL refuses root: as root, its commands run as the postgres
# user, as b2b_postgres in common.sh does.
set -euo pipefail
# shellcheck source=scripts/common.sh
source "$(dirname "$0")/common.sh"

REPLICA_PORT="${B2B_REPLICA_PORT:-5433}"
REPLICA_DIR="${B2B_REPLICA_DIR:-$B2B_VAR/replica}"
REPLICA_LOG="$REPLICA_DIR.log"
DELAY="${RECOVERY_MIN_APPLY_DELAY:-0}"
# shellcheck disable=SC2012  # version numbers, as in common.sh
PG_BIN="${PG_BIN:-/usr/lib/postgresql/$(ls /usr/lib/postgresql | sort -n | tail -1)/bin}"

as_postgres() {
    # A command as the postgres user, without the PG* variables meant for Odoo's role.
    if [ "$(id -u)" = 0 ]; then
        (cd / && env -u PGHOST -u PGPORT -u PGUSER -u PGPASSWORD runuser -u postgres -- "$@")
    elif [ "$(id -un)" = postgres ]; then
        (cd / && env -u PGHOST -u PGPORT -u PGUSER -u PGPASSWORD "$@")
    else
        b2b_die "run this as root or as the postgres user"
    fi
}

owned_by_postgres() {
    # install(1) of $1 (the other arguments are install's) owned by postgres.
    local target=$1
    shift
    if [ "$(id -u)" = 0 ]; then install -o postgres -g postgres "$@" "$target"; else install "$@" "$target"; fi
}

primary_sql() { as_postgres "$PG_BIN/psql" -X -q -tA -v ON_ERROR_STOP=1 -p "${PGPORT:-5432}" -d postgres -c "$1"; }
standby_sql() { as_postgres "$PG_BIN/psql" -X -q -tA -v ON_ERROR_STOP=1 -p "$REPLICA_PORT" -d postgres -c "$1"; }
standby_running() { [ -f "$REPLICA_DIR/postmaster.pid" ] && as_postgres "$PG_BIN/pg_ctl" -D "$REPLICA_DIR" status >/dev/null 2>&1; }

prepare_primary() {
    # What streaming needs on the primary. Debian's defaults already have it
    # all; anything changed here is said, and the primary restarted only for
    # the two settings that need it.
    local restart=0 hba
    if [ "$(primary_sql 'SHOW wal_level')" = minimal ]; then
        b2b_log "primary: wal_level = replica (restart needed)"
        primary_sql "ALTER SYSTEM SET wal_level = replica"
        restart=1
    fi
    if [ "$(primary_sql 'SHOW max_wal_senders')" -lt 2 ]; then
        b2b_log "primary: max_wal_senders = 10 (restart needed)"
        primary_sql "ALTER SYSTEM SET max_wal_senders = 10"
        restart=1
    fi
    # pg_basebackup and the standby's WAL receiver connect as postgres on the
    # local socket (peer authentication): a "replication" line must allow it.
    if [ "$(primary_sql "SELECT count(*) FROM pg_hba_file_rules WHERE type = 'local'
            AND 'replication' = ANY(database) AND (user_name && ARRAY['all', 'postgres'])
            AND auth_method IN ('peer', 'trust')")" = 0 ]; then
        hba=$(primary_sql 'SHOW hba_file')
        b2b_log "primary: allowing local replication connections of postgres in $hba"
        printf 'local   replication     postgres                                peer\n' >> "$hba"
        primary_sql "SELECT pg_reload_conf()" >/dev/null
    fi
    if [ "$restart" = 1 ]; then
        local cluster
        cluster=$(pg_lsclusters -h | awk -v port="${PGPORT:-5432}" '$3 == port {print $1 " " $2}')
        [ -n "$cluster" ] || b2b_die "the primary needs a restart, and no Debian cluster listens on port ${PGPORT:-5432}: restart it yourself"
        b2b_log "restarting the primary ($cluster)"
        # shellcheck disable=SC2086  # "version name"
        pg_ctlcluster $cluster restart
        for _ in $(seq 1 30); do pg_isready -q -h localhost -p "${PGPORT:-5432}" && break; sleep 1; done
    fi
}

write_standby_config() {
    # The copy has no postgresql.conf (Debian keeps it in /etc): the standby
    # gets its own, written again on every start. Settings a hot standby must
    # have at least as high as its primary are taken from the primary.
    local hba ident socket limits key
    hba=$(primary_sql 'SHOW hba_file')
    ident=$(primary_sql 'SHOW ident_file')
    socket=$(primary_sql 'SHOW unix_socket_directories' | cut -d, -f1)
    limits=""
    for key in max_connections max_worker_processes max_wal_senders max_prepared_transactions \
               max_locks_per_transaction; do
        limits+="$key = $(primary_sql "SHOW $key")"$'\n'
    done
    as_postgres tee "$REPLICA_DIR/postgresql.conf" >/dev/null <<CONF
# Written by scripts/replica.sh: a hot standby of the cluster on port ${PGPORT:-5432}.
cluster_name = 'b2b_replica'
port = $REPLICA_PORT
listen_addresses = 'localhost'
unix_socket_directories = '$socket'
hba_file = '$hba'
ident_file = '$ident'
hot_standby = on
recovery_min_apply_delay = '$DELAY'
$limits
CONF
    # The primary's own ALTER SYSTEM lines came with the copy: none may
    # override the lines above (the connection to the primary stays).
    as_postgres sed -i -E '/^(port|listen_addresses|unix_socket_directories|hba_file|ident_file|cluster_name|recovery_min_apply_delay) /d' \
        "$REPLICA_DIR/postgresql.auto.conf"
}

copy_primary() {
    b2b_log "copying the primary into $REPLICA_DIR (pg_basebackup)"
    rm -rf "$REPLICA_DIR"
    mkdir -p "$(dirname "$REPLICA_DIR")"
    owned_by_postgres "$REPLICA_DIR" -d -m 700
    as_postgres test -w "$REPLICA_DIR" \
        || b2b_die "the postgres user cannot reach $REPLICA_DIR: make its parent folders readable (chmod o+x) or set B2B_REPLICA_DIR"
    local socket t0=$SECONDS
    socket=$(primary_sql 'SHOW unix_socket_directories' | cut -d, -f1)
    # -R: standby.signal and primary_conninfo; -X stream: the WAL written meanwhile; -c fast: no wait for a checkpoint.
    as_postgres "$PG_BIN/pg_basebackup" -h "$socket" -p "${PGPORT:-5432}" -D "$REPLICA_DIR" -R -X stream -c fast
    b2b_log "copied in $((SECONDS - t0)) s"
}

start_standby() {
    if command -v ss >/dev/null && ss -ltnH "sport = :$REPLICA_PORT" | grep -q .; then
        b2b_die "port $REPLICA_PORT is taken by another server: set B2B_REPLICA_PORT"
    fi
    owned_by_postgres "$REPLICA_LOG" -m 640 /dev/null
    as_postgres "$PG_BIN/pg_ctl" -D "$REPLICA_DIR" -l "$REPLICA_LOG" -w -t 120 start >/dev/null
}

streaming() {
    # The standby receives WAL from the primary and has replayed up to what it received.
    [ "$(standby_sql "SELECT status FROM pg_stat_wal_receiver" 2>/dev/null)" = streaming ]
}

cmd_start() {
    b2b_postgres
    prepare_primary
    if standby_running; then
        write_standby_config
        as_postgres "$PG_BIN/pg_ctl" -D "$REPLICA_DIR" reload >/dev/null
        b2b_log "standby already running on port $REPLICA_PORT (recovery_min_apply_delay = $DELAY)"
        return
    fi
    local attempt
    for attempt in 1 2; do
        if [ ! -f "$REPLICA_DIR/PG_VERSION" ] || [ ! -f "$REPLICA_DIR/standby.signal" ]; then
            copy_primary
        fi
        write_standby_config
        start_standby
        for _ in $(seq 1 30); do streaming && break; sleep 1; done
        if streaming; then
            b2b_log "standby streaming on port $REPLICA_PORT (recovery_min_apply_delay = $DELAY)"
            return
        fi
        # Most likely stopped for too long: the primary no longer has the WAL it needs.
        b2b_log "the standby does not stream from the primary (see $REPLICA_LOG): copying again"
        as_postgres "$PG_BIN/pg_ctl" -D "$REPLICA_DIR" -m fast -w stop >/dev/null || true
        rm -rf "$REPLICA_DIR"
        [ "$attempt" = 2 ] && b2b_die "the standby did not start streaming; see $REPLICA_LOG"
    done
}

cmd_stop() {
    if standby_running; then
        as_postgres "$PG_BIN/pg_ctl" -D "$REPLICA_DIR" -m fast -w stop >/dev/null
        b2b_log "standby stopped"
    else
        b2b_log "standby not running"
    fi
}

cmd_status() {
    if ! standby_running; then
        echo "standby: not running (port $REPLICA_PORT, $REPLICA_DIR)"
        return 3
    fi
    standby_sql "SELECT format('standby: running on port %s, in recovery: %s, receiver: %s, replayed up to %s, '
                               'last replayed transaction %s ago, recovery_min_apply_delay = %s',
                               current_setting('port'), pg_is_in_recovery(),
                               coalesce((SELECT status FROM pg_stat_wal_receiver), 'none'),
                               pg_last_wal_replay_lsn(),
                               date_trunc('millisecond', now() - pg_last_xact_replay_timestamp()),
                               current_setting('recovery_min_apply_delay'))"
    primary_sql "SELECT format('primary: at %s, sending to %s (%s), replay lag %s', pg_current_wal_lsn(),
                               application_name, state, coalesce(replay_lag::text, '0'))
                 FROM pg_stat_replication"
}

case "${1:-}" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    destroy) cmd_stop; rm -rf "$REPLICA_DIR" "$REPLICA_LOG"; b2b_log "standby copy deleted" ;;
    *) echo "usage: $0 start|stop|status|destroy" >&2; exit 2 ;;
esac
