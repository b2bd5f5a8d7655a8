#!/usr/bin/env bash
# OCA's own checks on b2b_portal at their newest releases (requirements-lint.txt: pylint-odoo
# 10.0.12, oca-odoo-pre-commit-hooks 0.2.27), with OCA's Odoo 18.0 settings PLUS every check
# these releases have, plus ruff with ruff.toml. Every check of these releases is on, including
# those OCA's 18.0 settings alone (mandatory checks, older pins) do not run
# (prefer-env-translation, XML headers, xml-tag-position...). All blocking:
#   pylint-odoo             OCA's 18.0 mandatory checks (.pylintrc-mandatory)
#   pylint-odoo all checks  every pylint-odoo check (message group "odoolint", i.e.
#                           --disable=all --enable=odoolint) with .pylintrc-mandatory's
#                           [ODOOLINT] settings (valid-odoo-versions=18.0, authors, licenses)
#   oca-checks-odoo-module  every check (its default) on the addon's manifest, XML, CSV, i18n
#   oca-checks-po           b2b_portal/i18n/*.pot and *.po with --disable=po-pretty-format, as
#                           OCA's 18.0 pre-commit runs it (the .pot is Odoo's export, regenerated
#                           rather than formatted by hand)
#   ruff                    ruff check . (ruff.toml)
# and, informational as in OCA's pre-commit, never failing the run and not counted:
#   pylint-odoo optional    .pylintrc (OCA's optional AND mandatory checks) with --exit-zero
# Installs requirements-lint.txt into its own virtualenv, .var/lint-venv (why not .venv: see
# requirements-lint.txt), never changes a checked file (no --fix), writes every finding to
# .var/lint_findings.txt and ends with "lint: N passed, M failed" (N tools reported nothing,
# M reported something); exits 1 when a blocking tool reports something or cannot run.
set -euo pipefail
source "$(dirname "$0")/common.sh"
b2b_find_odoo

# The lint tools' own virtualenv: oca-odoo-pre-commit-hooks 0.2.27 needs polib 1.2.*, Odoo 18
# pins polib==1.1.1, so they cannot share .venv without changing what Odoo runs on.
LINT_VENV="$B2B_VAR/lint-venv"
LPY="$LINT_VENV/bin/python"
b2b_pip_venv "$LINT_VENV" "$B2B_ROOT/requirements-lint.txt" 'import pylint_odoo, oca_pre_commit_hooks, ruff'

cd "$B2B_ROOT"
ADDON=b2b_portal
OUT="$B2B_VAR/lint_findings.txt"
mkdir -p "$B2B_VAR"
: > "$OUT"
# pylint-odoo infers Odoo's classes (models.Model, http.Controller, _): Odoo on the path,
# whether or not common.sh's odoo-src.pth is there.
export PYTHONPATH="$ODOO_PATH${PYTHONPATH:+:$PYTHONPATH}"
# The Python files as pre-commit hands them to pylint (types: python), in a stable order.
mapfile -t PY_FILES < <(find "$ADDON" -name '*.py' -not -path '*/__pycache__/*' | LC_ALL=C sort)
mapfile -t PO_FILES < <(find "$ADDON/i18n" -maxdepth 1 \( -name '*.po' -o -name '*.pot' \) 2>/dev/null | LC_ALL=C sort)

passed=0
failed=0
# run_tool NAME BLOCKING SHOWN COMMAND...: runs COMMAND (SHOWN: the command as printed).
# A tool "reports nothing" when it exits 0 and its standard output is empty but for blank
# lines and pylint's "***** Module" headers. Its standard error (e.g. git's "not a git
# repository" from pylint-odoo outside a clone) is shown, and fails it only with a non-zero exit.
run_tool() {
    local name=$1 blocking=$2 shown=$3 rc out err n
    shift 3
    err=$(mktemp)
    set +e
    out=$("$@" 2>"$err")
    rc=$?
    set -e
    out=$(printf '%s\n' "$out" | grep -v -e '^[[:space:]]*$' -e '^\*\{13\} Module ' || true)
    n=$(printf '%s\n' "$out" | grep -c -E '^[^[:space:]].*:[0-9]+(:[0-9]+)?:' || true)
    {
        printf '== %s: %s\n' "$name" "$shown"
        if [ -n "$out" ]; then printf '%s\n' "$out"; fi
        if [ -s "$err" ]; then sort -u "$err" | sed 's/^/(stderr) /'; fi
        if [ "$rc" = 0 ] && [ -z "$out" ]; then
            printf '%s: reported nothing\n' "$name"
        else
            printf '%s: %d finding(s), exit code %d%s\n' "$name" "$n" "$rc" \
                "$([ "$blocking" = yes ] || echo ', informational: does not fail the run')"
        fi
        echo
    } | tee -a "$OUT"
    rm -f "$err"
    [ "$blocking" = yes ] || return 0
    if [ "$rc" = 0 ] && [ -z "$out" ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
}

PY_SHOWN="the ${#PY_FILES[@]} .py files of $ADDON"
run_tool pylint-odoo yes "pylint --rcfile=.pylintrc-mandatory $PY_SHOWN" \
    "$LPY" -m pylint --rcfile=.pylintrc-mandatory --output-format=text "${PY_FILES[@]}"
# Every pylint-odoo check: the command line's --disable=all --enable=odoolint replaces the rc
# file's list (odoolint: the name of pylint-odoo's checkers, pylint_odoo/checkers/), the rc
# file gives the [ODOOLINT] settings. A check that contradicted Odoo 18.0 would be disabled
# here, after --enable, with the reason: none does today.
run_tool "pylint-odoo all checks" yes \
    "pylint --rcfile=.pylintrc-mandatory --disable=all --enable=odoolint $PY_SHOWN" \
    "$LPY" -m pylint --rcfile=.pylintrc-mandatory --disable=all --enable=odoolint --output-format=text \
    "${PY_FILES[@]}"
run_tool oca-checks-odoo-module yes "oca-checks-odoo-module $ADDON" \
    "$LINT_VENV/bin/oca-checks-odoo-module" "$ADDON"
if [ ${#PO_FILES[@]} -gt 0 ]; then
    run_tool oca-checks-po yes "oca-checks-po --disable=po-pretty-format ${PO_FILES[*]}" \
        "$LINT_VENV/bin/oca-checks-po" --disable=po-pretty-format "${PO_FILES[@]}"
else
    echo "== oca-checks-po: no $ADDON/i18n/*.po or *.pot: nothing to check" | tee -a "$OUT"
fi
run_tool ruff yes "ruff check --quiet --no-fix --output-format=concise ." \
    "$LINT_VENV/bin/ruff" check --quiet --no-fix --output-format=concise .
run_tool readme yes "python scripts/gen_readme.py --check (README.rst built from readme/*.md)" \
    "$LPY" scripts/gen_readme.py --check
run_tool "pylint-odoo optional" no "pylint --rcfile=.pylintrc --exit-zero $PY_SHOWN" \
    "$LPY" -m pylint --rcfile=.pylintrc --output-format=text --exit-zero "${PY_FILES[@]}"

echo "lint: $passed passed, $failed failed" | tee -a "$OUT"
[ "$failed" = 0 ]
