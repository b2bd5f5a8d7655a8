#!/usr/bin/env bash
# The README's run command: set up, create the demo database if missing,
# serve the portal on http://localhost:8069.
set -euo pipefail
source "$(dirname "$0")/common.sh"
b2b_setup run

DB="${B2B_DB:-b2b_demo}"
PORT="${B2B_PORT:-8069}"
CONF="$B2B_VAR/run.conf"
b2b_config "$CONF" "$PORT"

if ! psql -d "$DB" -tAc "SELECT 1 FROM ir_module_module WHERE name='b2b_portal' AND state='installed'" 2>/dev/null | grep -q 1; then
    dropdb --if-exists "$DB"
    b2b_log "creating demo database $DB with b2b_portal and its demo data (about two minutes)"
    b2b_odoo -c "$CONF" -d "$DB" -i b2b_portal,payment_demo --stop-after-init --log-level=warn
fi

cat >&2 <<MSG
[b2b] Serving http://localhost:$PORT  (database $DB)
[b2b]   office:  admin / admin
[b2b]   buyers (password b2b-demo), one per price tier:
[b2b]     A anna@alpinehotels.example.com      B bruno@bistrocollective.example.com
[b2b]     C claire@campuscatering.example.com  D dirk@delico.example.com (catalog-restricted)
[b2b]     E emma@eventful.example.com
[b2b]   Alpine Hotels Group's people (anna is its administrator): marco@ and lena@ (buyers),
[b2b]     tom@ (requester), eva@ (accountant), all @alpinehotels.example.com
MSG
exec_args=(-c "$CONF" -d "$DB" --db-filter "^$DB\$" "$@")
if [ -n "$ODOO_BIN" ]; then exec "$PY" "$ODOO_BIN" "${exec_args[@]}"; else exec "$PY" -m odoo "${exec_args[@]}"; fi
