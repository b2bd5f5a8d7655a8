#!/usr/bin/env bash
# Odoo's own post_install tests of sale, sale_stock, portal, product and
# website_sale, run on a database with b2b_portal installed and on one
# without it; the check is the comparison: a test that fails only with
# b2b_portal is a regression (exit 1). Some tests (website_sale editor tours)
# fail on these machines with or without the addon.
#
#   scripts/odoo_tests_compare.sh [both|base|b2b]
#
#   both (default)  build and test both sides, then compare
#   base            only the side without b2b_portal: writes the baseline
#                   .var/odoo_tests_base.txt (failing tests) and .stats
#   b2b             only the side with b2b_portal, compared with the baseline
#                   left in .var/ by an earlier `base` or `both`
#
# Each side is a fresh database (odoo_cmp_base, odoo_cmp_b2b) with demo data
# (several of these tests and tours use Odoo's demo records) and the modules
# sale_stock, portal, website_sale; the b2b side then installs b2b_portal,
# whose own demo data Odoo loads too (a database with demo data gets every
# installed module's demo data). The tests then run on
# the installed database (no -i), so only post_install tests run.
# Environment: CMP_TIMEOUT seconds per Odoo run (default 3600).
# Logs: .var/odoo_tests_<side>.install.log and .var/odoo_tests_<side>.log.
set -euo pipefail
source "$(dirname "$0")/common.sh"

MODE="${1:-both}"
case "$MODE" in
    both | base | b2b) ;;
    -h | --help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) b2b_die "usage: $0 [both|base|b2b]" ;;
esac

b2b_setup test
command -v chromium >/dev/null || b2b_die "chromium is not installed: the tours would be skipped (apt-get install chromium)"
"$PY" -c 'import websocket' || b2b_die "websocket-client is missing: the tours would be skipped"

MODULES="sale_stock,portal,website_sale"
TAGS="post_install/sale,post_install/sale_stock,post_install/portal,post_install/product,post_install/website_sale"
LIMIT="${CMP_TIMEOUT:-3600}"
mkdir -p "$B2B_VAR"

run_logged() {  # run_logged LOG what cmd...: bounded run, log kept; returns Odoo's exit code
    local log=$1 what=$2 rc t0=$SECONDS
    shift 2
    set +e
    timeout --kill-after=60 "$LIMIT" "$@" > "$log" 2>&1
    rc=$?
    set -e
    [ "$rc" = 124 ] && b2b_log "$what did not finish within ${LIMIT}s (CMP_TIMEOUT): stopped"
    b2b_log "$what: exit $rc, $((SECONDS - t0)) s, log $log"
    return "$rc"
}

side() {  # side base|b2b: fresh database, install, post_install tests, parse
    local name=$1 db port conf log rc t0=$SECONDS
    db="odoo_cmp_$name"
    if [ "$name" = base ]; then port=8569; else port=8669; fi
    conf="$B2B_VAR/odoo_cmp_$name.conf"
    log="$B2B_VAR/odoo_tests_$name.log"
    b2b_config "$conf" "$port"
    local cmd=("$PY" -m odoo -c "$conf")
    [ -n "$ODOO_BIN" ] && cmd=("$PY" "$ODOO_BIN" -c "$conf")
    dropdb --if-exists "$db"
    rm -rf "$B2B_VAR/data/filestore/$db" "/tmp/odoo_tests/$db"
    rm -f "$log" "$B2B_VAR/odoo_tests_$name.install.log" "$B2B_VAR/odoo_tests_$name.b2b_install.log"

    b2b_log "[$name] database $db: installing $MODULES with demo data (a few minutes)"
    if ! run_logged "$B2B_VAR/odoo_tests_$name.install.log" "[$name] install" \
        "${cmd[@]}" -d "$db" -i "$MODULES" --stop-after-init; then
        b2b_log "[$name] installing $MODULES failed: see $B2B_VAR/odoo_tests_$name.install.log"
        return 1
    fi
    if [ "$name" = b2b ]; then
        b2b_log "[b2b] installing b2b_portal and its demo data"
        if ! run_logged "$B2B_VAR/odoo_tests_b2b.b2b_install.log" "[b2b] b2b_portal install" \
            "${cmd[@]}" -d "$db" -i b2b_portal --stop-after-init; then
            b2b_log "[b2b] installing b2b_portal failed: see $B2B_VAR/odoo_tests_b2b.b2b_install.log"
            return 1
        fi
    fi

    b2b_log "[$name] running the post_install tests of sale, sale_stock, portal, product, website_sale (port $port)"
    rc=0
    run_logged "$log" "[$name] tests" "${cmd[@]}" -d "$db" --test-tags "$TAGS" --stop-after-init || rc=$?
    parse "$log" "$name" "$rc" || return 1
    b2b_log "[$name] done in $((SECONDS - t0)) s"
}

parse() {  # parse LOG side rc: writes .var/odoo_tests_<side>.txt (failing tests) and .stats
    "$PY" - "$1" "$B2B_VAR/odoo_tests_$2.txt" "$B2B_VAR/odoo_tests_$2.stats" "$3" <<'PY'
import re
import sys

log, out, stats_out, rc = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
head = r"^\d{4}-\d\d-\d\d [\d:,]+ \d+ "
fail_re = re.compile(head + r"ERROR \S+ (\S+): (FAIL|ERROR): (.+)$")
other_re = re.compile(head + r"(ERROR|CRITICAL) ")
summary_re = re.compile(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests")
module_re = re.compile(head + r"INFO \S+ odoo\.tests\.stats: (\w+): (\d+) tests ")
failing, others, modules, totals = set(), [], {}, None
with open(log, encoding="utf-8", errors="replace") as f:
    for line in f:
        line = line.rstrip("\n")
        m = fail_re.match(line)
        if m:
            failing.add(f"{m[1]}: {m[2]}: {m[3]}")
            continue
        m = summary_re.search(line)
        if m:
            totals = tuple(int(x) for x in m.groups())
            continue
        if other_re.match(line):
            others.append(line)
        m = module_re.match(line)
        if m:
            modules[m[1]] = int(m[2])
with open(out, "w") as f:
    f.writelines(t + "\n" for t in sorted(failing))
with open(stats_out, "w") as f:
    f.write(f"exit {rc}\n")
    if totals:
        f.write(f"tests {totals[2]} failed {totals[0]} errors {totals[1]}\n")
    f.writelines(f"module {m} {n}\n" for m, n in sorted(modules.items()))
    f.write(f"other_error_lines {len(others)}\n")
with open(out[: -len(".txt")] + ".errors", "w") as f:
    f.writelines(line[:400] + "\n" for line in others)
if not totals or not totals[2]:
    print(f"[b2b] ERROR: no test ran (no 'N failed, N error(s) of N tests' line, or 0 tests) in {log}", file=sys.stderr)
    sys.exit(1)
if rc not in (0, 1):  # 1: some test failed; anything else: the run broke
    print(f"[b2b] ERROR: the test run exited {rc}: see {log}", file=sys.stderr)
    sys.exit(1)
PY
}

status=0
if [ "$MODE" != b2b ]; then side base || status=1; fi
if [ "$MODE" != base ]; then
    [ -f "$B2B_VAR/odoo_tests_base.txt" ] && [ -f "$B2B_VAR/odoo_tests_base.stats" ] \
        || b2b_die "no baseline in $B2B_VAR (odoo_tests_base.txt): run '$0 base' or '$0 both' first"
    side b2b || status=1
fi
[ "$status" = 0 ] || { b2b_log "a run did not complete: no comparison"; exit 1; }

# Report: counts per side, then the differences (the test ids without FAIL/ERROR).
"$PY" - "$B2B_VAR" "$MODE" <<'PY'
import sys
from pathlib import Path

var, mode = Path(sys.argv[1]), sys.argv[2]
sides = ["base"] if mode == "base" else ["base", "b2b"]

def failing(side):
    tests = {}
    for line in (var / f"odoo_tests_{side}.txt").read_text().splitlines():
        logger, _flavour, desc = line.split(": ", 2)
        tests[f"{logger}: {desc}"] = line
    return tests

def stats(side):
    s = {"modules": {}}
    for line in (var / f"odoo_tests_{side}.stats").read_text().splitlines():
        parts = line.split()
        if parts[0] == "module":
            s["modules"][parts[1]] = int(parts[2])
        elif parts[0] == "tests":
            s.update(tests=int(parts[1]), failed=int(parts[3]), errors=int(parts[5]))
        else:
            s[parts[0]] = int(parts[1])
    return s

label = {"base": "without b2b_portal", "b2b": "with b2b_portal"}
fails = {side: failing(side) for side in sides}
st = {side: stats(side) for side in sides}
for side in sides:
    s = st[side]
    per_module = ", ".join(f"{m} {n}" for m, n in sorted(s["modules"].items()))
    print(f"{label[side]}: {s['tests']} tests, {s['failed']} failed, {s['errors']} errors, "
          f"{len(fails[side])} failing test ids; {s['other_error_lines']} other ERROR lines; odoo.tests.stats per module: {per_module}")
if mode == "base":
    print(f"baseline written to {var / 'odoo_tests_base.txt'}:")
    for t in sorted(fails["base"].values()):
        print(f"  {t}")
    sys.exit(0)
only_b2b = sorted(set(fails["b2b"]) - set(fails["base"]))
only_base = sorted(set(fails["base"]) - set(fails["b2b"]))
both = sorted(set(fails["base"]) & set(fails["b2b"]))
print(f"failing on both sides ({len(both)}):")
for t in both:
    print(f"  {t}")
print(f"failing only without b2b_portal ({len(only_base)}):")
for t in only_base:
    print(f"  {fails['base'][t]}")
print(f"failing only with b2b_portal, regressions ({len(only_b2b)}):")
for t in only_b2b:
    print(f"  {fails['b2b'][t]}")
for m in sorted(set(st["base"]["modules"]) | set(st["b2b"]["modules"])):
    a, b = st["base"]["modules"].get(m, 0), st["b2b"]["modules"].get(m, 0)
    if a != b:
        print(f"note: {m} ran {a} tests without b2b_portal and {b} with it")
if only_b2b:
    print(f"odoo_tests_compare: {len(only_b2b)} regression(s): see {var}/odoo_tests_b2b.log")
    sys.exit(1)
print("odoo_tests_compare: no regression")
PY
