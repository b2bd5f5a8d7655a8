#!/usr/bin/env bash
# Checks the set-up's fetch of Odoo (b2b_fetch_odoo in common.sh) on a fresh
# machine, without network: a tiny local git repository stands in for Odoo's
# (branch 18.0 with odoo-bin, odoo/addons/base, addons/), ODOO_PATH names a
# folder that does not exist, and a stub python3 cannot import odoo.
# Prints "fetch_odoo: N passed, M failed"; exits 1 on a failure. Seconds.
set -uo pipefail

COMMON="$(cd "$(dirname "$0")" && pwd)/common.sh"
work=$(mktemp -d)
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
        echo "fetch_odoo FAIL: $what" >&2
    fi
}
git_() { git -c user.name=check -c user.email=check@example.com -c init.defaultBranch=master "$@"; }

# The stand-in for Odoo's repository: two commits on 18.0 (so that a clone of
# depth 1 is shallow) and a master branch that must not be the one cloned.
src="$work/src"
git_ init -q "$src"
mkdir -p "$src/odoo/addons/base" "$src/addons/sale"
echo 'print("fake odoo-bin")' > "$src/odoo-bin"
: > "$src/odoo/__init__.py"
: > "$src/odoo/addons/base/__init__.py"
: > "$src/addons/sale/__init__.py"
git_ -C "$src" add -A && git_ -C "$src" commit -q -m master
git_ -C "$src" checkout -q -b 18.0
echo 1 > "$src/VERSION" && git_ -C "$src" add -A && git_ -C "$src" commit -q -m 'first 18.0'
echo 2 > "$src/VERSION" && git_ -C "$src" add -A && git_ -C "$src" commit -q -m 'second 18.0'
tip=$(git -C "$src" rev-parse 18.0)
git_ -C "$src" checkout -q master
echo master > "$src/MASTER_ONLY" && git_ -C "$src" add -A && git_ -C "$src" commit -q -m 'master only'
git_ clone -q --bare "$src" "$work/odoo.git"
URL="file://$work/odoo.git"

# python3 that cannot import odoo, whatever this machine has installed.
mkdir -p "$work/bin"
printf '#!/bin/sh\nexit 1\n' > "$work/bin/python3"
chmod +x "$work/bin/python3"

# find_odoo OUT_PREFIX [VAR=value...]: b2b_find_odoo in a fresh shell, as the
# run and test commands call it; writes PREFIX.out (the variables), PREFIX.err.
find_odoo() {
    local prefix=$1
    shift
    env -u ODOO_BRANCH -u ODOO_GIT_URL PATH="$work/bin:$PATH" "$@" \
        bash -c 'source "$1"; b2b_find_odoo; echo "ODOO_BIN=$ODOO_BIN"; echo "ODOO_ADDONS=$ODOO_ADDONS"' \
        _ "$COMMON" > "$prefix.out" 2> "$prefix.err"
}
no_leftover() {  # no temporary clone left beside $1
    [ -z "$(find "$(dirname "$1")" -maxdepth 1 -name ".$(basename "$1").fetch-*" -print -quit)" ]
}

# 1. Nothing at ODOO_PATH (nor its parent): a shallow clone of branch 18.0.
dest="$work/new/parent/odoo"
find_odoo "$work/c1" ODOO_PATH="$dest" ODOO_GIT_URL="$URL"
rc=$?
check "clone exits 0 (got $rc: $(tail -1 "$work/c1.err"))" [ "$rc" = 0 ]
check "odoo-bin fetched" [ -f "$dest/odoo-bin" ]
check "ODOO_BIN set to the fetched odoo-bin" grep -qx "ODOO_BIN=$dest/odoo-bin" "$work/c1.out"
check "ODOO_ADDONS set" grep -qx "ODOO_ADDONS=$dest/addons" "$work/c1.out"
check "clone is shallow" [ "$(git -C "$dest" rev-parse --is-shallow-repository 2>/dev/null)" = true ]
check "clone is at branch 18.0" [ "$(git -C "$dest" rev-parse --abbrev-ref HEAD 2>/dev/null)" = 18.0 ]
check "clone is at 18.0's tip" [ "$(git -C "$dest" rev-parse HEAD 2>/dev/null)" = "$tip" ]
check "one commit only" [ "$(git -C "$dest" rev-list --count HEAD 2>/dev/null)" = 1 ]
check "master not cloned" [ ! -e "$dest/MASTER_ONLY" ]
check "no temporary folder left" no_leftover "$dest"
check "the fetch says what it does" grep -q "fetching Odoo (branch 18.0 of $URL" "$work/c1.err"

# 2. Second call: the tree is there, nothing is fetched again.
find_odoo "$work/c2" ODOO_PATH="$dest" ODOO_GIT_URL="file://$work/none.git"
rc=$?
check "second call exits 0 without fetching" [ "$rc" = 0 ]
check "second call finds the tree" grep -qx "ODOO_BIN=$dest/odoo-bin" "$work/c2.out"
check "second call fetches nothing" bash -c '! grep -q fetching "$1"' _ "$work/c2.err"

# 3. A repository that does not exist: clear error, non-zero, nothing left.
dest="$work/missing/odoo"
find_odoo "$work/c3" ODOO_PATH="$dest" ODOO_GIT_URL="file://$work/does-not-exist.git"
rc=$?
check "missing repository exits non-zero" [ "$rc" != 0 ]
check "missing repository: clear message" grep -q "could not fetch Odoo: 'git clone --depth 1 --branch 18.0 file://$work/does-not-exist.git' failed" "$work/c3.err"
check "missing repository: nothing at ODOO_PATH" [ ! -e "$dest" ]
check "missing repository: no temporary folder left" no_leftover "$dest"

# 4. A branch that does not exist (ODOO_BRANCH): same.
dest="$work/branch/odoo"
find_odoo "$work/c4" ODOO_PATH="$dest" ODOO_GIT_URL="$URL" ODOO_BRANCH=17.0
rc=$?
check "missing branch exits non-zero" [ "$rc" != 0 ]
check "missing branch: clear message" grep -q "could not fetch Odoo: 'git clone --depth 1 --branch 17.0" "$work/c4.err"
check "missing branch: nothing at ODOO_PATH" [ ! -e "$dest" ]

# 5. ODOO_PATH is an empty folder: cloned into it.
dest="$work/empty/odoo"
mkdir -p "$dest"
find_odoo "$work/c5" ODOO_PATH="$dest/" ODOO_GIT_URL="$URL"
rc=$?
check "empty ODOO_PATH: clone exits 0" [ "$rc" = 0 ]
check "empty ODOO_PATH: fetched" [ -f "$dest/odoo-bin" ] && [ -d "$dest/.git" ]

# 6. ODOO_PATH holds something else: left alone, with a clear message.
dest="$work/other/odoo"
mkdir -p "$dest" && echo keep > "$dest/mine.txt"
find_odoo "$work/c6" ODOO_PATH="$dest" ODOO_GIT_URL="$URL"
rc=$?
check "foreign ODOO_PATH exits non-zero" [ "$rc" != 0 ]
check "foreign ODOO_PATH: clear message" grep -q "exists but is not an Odoo source tree" "$work/c6.err"
check "foreign ODOO_PATH left untouched" [ "$(ls -A "$dest")" = mine.txt ]

# 7. A clone killed half-way (the whole set-up killed while git writes):
# nothing that looks like Odoo at ODOO_PATH; the next run fetches.
dest="$work/killed/odoo"
mkdir -p "$work/killgit"
cat > "$work/killgit/git" <<'SH'
#!/bin/sh
for a; do last=$a; done
mkdir -p "$last/odoo/addons/base" && : > "$last/odoo-bin"
kill -KILL "$KILL_PID"
sleep 1
SH
chmod +x "$work/killgit/git"
{ env -u ODOO_BRANCH PATH="$work/killgit:$work/bin:$PATH" ODOO_PATH="$dest" ODOO_GIT_URL="$URL" \
    bash -c 'export KILL_PID=$$; source "$1"; b2b_find_odoo' _ "$COMMON" > /dev/null 2>&1; } 2>/dev/null
rc=$?
check "killed clone: the set-up died (got $rc)" [ "$rc" = 137 ]
check "killed clone: nothing at ODOO_PATH" [ ! -e "$dest" ]
# A leftover over an hour old is removed by the next run, which fetches.
find "$work/killed" -maxdepth 1 -name '.odoo.fetch-*' -exec touch -d '2 hours ago' {} +
find_odoo "$work/c7" ODOO_PATH="$dest" ODOO_GIT_URL="$URL"
rc=$?
check "after a killed clone the next run fetches" [ "$rc" = 0 ] && [ -f "$dest/odoo-bin" ] && [ -d "$dest/.git" ]
check "after a killed clone the leftover is removed" no_leftover "$dest"

# 8. No git on the machine: an install hint.
mkdir -p "$work/nogit"
ln -s "$(command -v dirname)" "$work/nogit/dirname"
ln -s "$work/bin/python3" "$work/nogit/python3"
dest="$work/nogit-odoo/odoo"
env -u ODOO_BRANCH PATH="$work/nogit" ODOO_PATH="$dest" ODOO_GIT_URL="$URL" \
    "$BASH" -c 'source "$1"; b2b_find_odoo' _ "$COMMON" > /dev/null 2> "$work/c8.err"
rc=$?
check "no git: exits non-zero" [ "$rc" != 0 ]
check "no git: install hint" grep -q "git is missing to fetch Odoo: apt-get install git" "$work/c8.err"

echo "fetch_odoo: $passed passed, $failed failed"
[ "$failed" = 0 ]
