#!/usr/bin/env bash
# The README's test command: set up, install b2b_portal on a fresh database,
# run every test of the addon with Odoo's runner, fail on anything not green.
set -euo pipefail
source "$(dirname "$0")/common.sh"
b2b_setup test

DB="${B2B_TEST_DB:-b2b_test}"
PORT="${B2B_TEST_PORT:-8169}"
CONF="$B2B_VAR/test.conf"
LOG="$B2B_VAR/test.log"
b2b_config "$CONF" "$PORT"

command -v chromium >/dev/null || b2b_die "chromium is not on PATH: browser tours would be skipped (apt-get install chromium)"
"$PY" -c 'import websocket' || b2b_die "websocket-client is missing: browser tours would be skipped"

dropdb --if-exists "$DB"
rm -rf "$B2B_VAR/data/filestore/$DB" "/tmp/odoo_tests/$DB"
b2b_log "installing b2b_portal on a fresh database $DB and running its tests"
# A hung test must fail the run, not stall CI: bounded wall time (normally ~2 min).
LIMIT="${B2B_TEST_TIMEOUT:-1800}"
if [ -n "$ODOO_BIN" ]; then odoo_cmd=("$PY" "$ODOO_BIN" -c "$CONF"); else odoo_cmd=("$PY" -m odoo -c "$CONF"); fi
set +e
timeout --kill-after=60 "$LIMIT" "${odoo_cmd[@]}" -d "$DB" -i b2b_portal,payment_demo --without-demo=all \
    --test-tags "${B2B_TEST_TAGS:-/b2b_portal}" --stop-after-init --log-level=test 2>&1 | tee "$LOG"
rc=${PIPESTATUS[0]}
set -e
[ "$rc" = 124 ] && b2b_log "the test run did not finish within ${LIMIT}s (B2B_TEST_TIMEOUT): stopped"

status=0
"$PY" "$B2B_ROOT/scripts/check_test_log.py" "$LOG" "$rc" | tee "$B2B_VAR/summary.txt" || status=1

# The addon beside the website builder (website_sale's distributors), which
# it does not depend on: the tests of what only website changes (its URL
# post-processing, languages), on a database of their own.
WDB="${DB}_website"
WLOG="$B2B_VAR/test_website.log"
dropdb --if-exists "$WDB"
rm -rf "$B2B_VAR/data/filestore/$WDB" "/tmp/odoo_tests/$WDB"
b2b_log "installing b2b_portal with website on $WDB and running the tests that need website"
set +e
timeout --kill-after=60 "$LIMIT" "${odoo_cmd[@]}" -d "$WDB" -i b2b_portal,website,delivery --without-demo=all \
    --test-tags "b2b_website,/b2b_portal:TestCatalogQueries.test_catalog_rows_say_what_the_shared_templates_say" \
    --stop-after-init --log-level=test > "$WLOG" 2>&1
wrc=$?
set -e
"$PY" "$B2B_ROOT/scripts/check_test_log.py" "$WLOG" "$wrc" b2b_portal_website | tee -a "$B2B_VAR/summary.txt" || status=1
dropdb --if-exists "$WDB"
"$B2B_ROOT/scripts/check_fetch_odoo.sh" | tee -a "$B2B_VAR/summary.txt" || status=1  # set-up's fetch of Odoo, local repo
"$B2B_ROOT/scripts/check_setup.sh" | tee -a "$B2B_VAR/summary.txt" || status=1  # set-up's system packages
"$B2B_ROOT/scripts/lint.sh" | tee -a "$B2B_VAR/summary.txt" || status=1  # OCA's checks and ruff

# Checks that need a real server with two workers, on the same database.
b2b_log "multi-worker checks: live data across workers, concurrency, restart"
timeout --kill-after=30 600 "$PY" "$B2B_ROOT/scripts/multiworker_check.py" --db "$DB" --port "$((PORT + 100))" \
    --log "$B2B_VAR/multiworker.log" "${odoo_cmd[@]}" | tee -a "$B2B_VAR/summary.txt" || status=1

# A real streaming standby (scripts/replica.sh): read-only pages from it,
# writes on the primary, staleness, read-your-own-writes behind a delayed one.
b2b_log "replica check: Odoo on a hot standby of the test database"
timeout --kill-after=30 600 "$PY" "$B2B_ROOT/scripts/replica_check.py" --db "$DB" --port "$((PORT + 200))" \
    --log "$B2B_VAR/replica_check.log" "${odoo_cmd[@]}" | tee -a "$B2B_VAR/summary.txt" || status=1

grep -E '^[a-z0-9_]+: [0-9]+ passed, [0-9]+ failed$' "$B2B_VAR/summary.txt" \
    | awk '{p += $2; f += $4} END {printf "total: %d passed, %d failed\n", p, f}'
exit $status
