#!/usr/bin/env bash
# The README's benchmark command: a fresh database at distributor scale, the
# B2B engine against Odoo's own pricelist engine, ratios and query counts.
set -euo pipefail
source "$(dirname "$0")/common.sh"
b2b_setup bench

DB="${B2B_BENCH_DB:-b2b_bench}"
CONF="$B2B_VAR/bench.conf"
b2b_config "$CONF" "${B2B_BENCH_PORT:-8369}"
export BENCH_JSON="${BENCH_JSON:-$B2B_VAR/bench.json}"
export B2B_BENCH_DIR="$B2B_ROOT/bench"  # bench_sql.py, for the scripts run in odoo shell

dropdb --if-exists "$DB"
b2b_log "installing b2b_portal on $DB"
b2b_odoo -c "$CONF" -d "$DB" -i b2b_portal --without-demo=all --stop-after-init --log-level=warn
b2b_odoo shell -c "$CONF" -d "$DB" --log-level=warn --no-http < "$B2B_ROOT/bench/bench_pricing.py"

b2b_log "installing website_sale on $DB (for /shop) and timing the pages on two workers"
b2b_odoo -c "$CONF" -d "$DB" -i website_sale --without-demo=all --stop-after-init --log-level=warn
b2b_odoo shell -c "$CONF" -d "$DB" --log-level=warn --no-http < "$B2B_ROOT/bench/bench_prepare_shop.py"
if [ -n "$ODOO_BIN" ]; then odoo_cmd=("$PY" "$ODOO_BIN" -c "$CONF"); else odoo_cmd=("$PY" -m odoo -c "$CONF"); fi
"$PY" "$B2B_ROOT/bench/bench_http.py" --db "$DB" --port "${B2B_BENCH_PORT:-8369}" --log "$B2B_VAR/bench-http.log" \
    --json "$BENCH_JSON" "${odoo_cmd[@]}"

b2b_log "scaling: the range grown to ${BENCH_SCALE_PRODUCTS:-100000} products, catalogs of 1,000 to all"
b2b_odoo shell -c "$CONF" -d "$DB" --log-level=warn --no-http < "$B2B_ROOT/bench/bench_scale.py"
"$PY" "$B2B_ROOT/bench/bench_http.py" --db "$DB" --port "${B2B_BENCH_PORT:-8369}" --log "$B2B_VAR/bench-scale.log" \
    --json "$BENCH_JSON" --scaling --requests 15 "${odoo_cmd[@]}"

b2b_log "flatness: $DB against a copy grown in SQL to ${BENCH_LARGE_PRODUCTS:-200000} products, \
${BENCH_LARGE_CUSTOMERS:-50000} customers, ${BENCH_LARGE_EXCEPTIONS:-1000000} exceptions, \
${BENCH_LARGE_BREAKS:-20000} breaks, ${BENCH_LARGE_CATALOGS:-500} catalogs, measured side by side"
LARGE="${B2B_BENCH_LARGE_DB:-${DB}_large}"
dropdb --if-exists "$LARGE"
createdb -T "$DB" "$LARGE"
rm -rf "$B2B_VAR/data/filestore/$LARGE"
if [ -d "$B2B_VAR/data/filestore/$DB" ]; then cp -a "$B2B_VAR/data/filestore/$DB" "$B2B_VAR/data/filestore/$LARGE"; fi
b2b_odoo shell -c "$CONF" -d "$LARGE" --log-level=warn --no-http < "$B2B_ROOT/bench/bench_grow.py"
port=${B2B_BENCH_PORT:-8369}
"$PY" "$B2B_ROOT/bench/bench_flat.py" --small "$DB" --large "$LARGE" --ports $((port + 2)) $((port + 4)) \
    --log-dir "$B2B_VAR" --json "$BENCH_JSON" "${odoo_cmd[@]}"

# This run's measures against their anchors and targets, into bench/RESULTS.md (exit 1 if one is missed).
"$PY" "$B2B_ROOT/bench/bench_report.py" "$BENCH_JSON" --results "$B2B_ROOT/bench/RESULTS.md" --seconds "$SECONDS"
