#!/usr/bin/env bash
# Checks the set-up's choice of system packages (b2b_system_packages in
# common.sh) on machine states this one is not in: Chromium, wkhtmltopdf or
# apt-get absent from PATH, a user who is not root. Nothing is installed:
# B2B_SETUP_DRY_RUN=1 makes the set-up say what it would do.
# Prints "setup: N passed, M failed"; exits 1 on a failure. Seconds.
set -uo pipefail

COMMON="$(cd "$(dirname "$0")" && pwd)/common.sh"
work=$(mktemp -d)
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
check() {  # check "what" command...
    local what=$1
    shift
    if "$@"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "setup FAIL: $what" >&2
        sed 's/^/    /' "$work/out" >&2
    fi
}

# path_without DIR NAME...: a folder of links to every command on PATH but NAME...
path_without() {
    local dir=$1 entry name base
    shift
    mkdir -p "$dir"
    IFS=: read -ra entries <<< "$PATH"
    for entry in "${entries[@]}"; do
        for name in "$entry"/*; do
            base=${name##*/}
            case " $* " in *" $base "*) continue ;; esac
            [ -x "$name" ] && [ ! -d "$name" ] && [ ! -e "$dir/$base" ] && ln -s "$name" "$dir/$base"
        done
    done
    return 0
}

# decide COMMAND PATH [as USER]: the set-up's decision for COMMAND (test or
# run) in a fresh shell with that PATH; its messages in $work/out.
decide() {
    local command=$1 path=$2 user=${3:-}
    local script='source "$1"; b2b_system_packages "$2"; echo "exit=$?"'
    if [ -n "$user" ]; then
        runuser -u "$user" -- env -i PATH="$path" B2B_SETUP_DRY_RUN=1 HOME=/tmp ODOO_PATH="$ODOO_PATH" \
            bash -c "$script" _ "$COMMON" "$command" > "$work/out" 2>&1
    else
        env -u PGHOST PATH="$path" B2B_SETUP_DRY_RUN=1 bash -c "$script" _ "$COMMON" "$command" > "$work/out" 2>&1
    fi
}
said() { grep -qF -- "$1" "$work/out"; }
not_said() { ! grep -qF -- "$1" "$work/out"; }

ODOO_PATH="${ODOO_PATH:-/opt/odoo}"
export ODOO_PATH
path_without "$work/no-chromium" chromium chromium-browser
path_without "$work/no-apt" chromium chromium-browser apt-get
path_without "$work/no-pdf" wkhtmltopdf

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    decide test "$work/no-chromium"
    check "as root on Debian without Chromium, the test command would install it" said "would install with apt-get: chromium"
    check "... and goes on" said "exit=0"
    decide run "$work/no-pdf"
    check "as root on Debian without wkhtmltopdf, the run command would install it" said "would install with apt-get: wkhtmltopdf"
    decide test "$work/no-pdf"
    check "the test command does not install wkhtmltopdf" not_said "wkhtmltopdf"
    if id nobody >/dev/null 2>&1 && command -v runuser >/dev/null; then
        chmod o+x "$work/no-chromium"
        decide test "$work/no-chromium" nobody
        check "as another user without Chromium, the test command says what to install" \
            said "missing system packages: chromium. Install them (on Debian or Ubuntu, as root: apt-get install -y chromium)"
        check "... and stops" not_said "exit=0"
    fi
fi
decide test "$work/no-apt"
if [ "$(id -u)" = 0 ]; then
    check "without apt-get and Chromium, the test command says what to install" said "apt-get install -y chromium"
    check "... and stops" not_said "exit=0"
fi
decide test "$PATH"
if command -v chromium >/dev/null && command -v pg_config >/dev/null && command -v pg_ctlcluster >/dev/null; then
    check "with everything there, the test command installs nothing" not_said "install"
fi

echo "setup: $passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$passed" -gt 0 ]
