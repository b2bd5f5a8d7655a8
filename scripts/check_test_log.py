"""Judge an Odoo test run by its log, not only its exit code: Odoo exits 0 on
an ERROR line in an otherwise passing run, a skipped tour and zero tests."""

import re
import sys

SQL_SECONDS_LIMIT = 5.0

log_path, exit_code = sys.argv[1], int(sys.argv[2])
suite = sys.argv[3] if len(sys.argv) > 3 else "b2b_portal"
text = open(log_path, encoding="utf-8", errors="replace").read()

problems = []
if exit_code:
    problems.append(f"odoo exited with {exit_code}")
for level in ("ERROR", "CRITICAL"):
    lines = [line for line in text.splitlines() if f" {level} " in line]
    if lines:
        problems.append(f"{len(lines)} {level} line(s), first: {lines[0][:300]}")
warnings = [
    line for line in text.splitlines()
    if " WARNING " in line and ("b2b_portal" in line or "skip" in line.lower() or "tour" in line.lower())
]
if warnings:
    problems.append(f"{len(warnings)} WARNING line(s) about b2b_portal or skipped tests, first: {warnings[0][:300]}")
skips = re.findall(r" INFO \S+ \S+: skipped (.*)", text)
if skips:
    problems.append(f"{len(skips)} skipped test(s) (a skipped tour is a failure), first: {skips[0][:300]}")
counts = re.findall(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests", text)
if not counts:
    problems.append("no test summary line: no test ran")
failed = sum(int(f) for f, _e, _t in counts)
errors = sum(int(e) for _f, e, _t in counts)
total = sum(int(t) for _f, _e, t in counts)
if counts and total == 0:
    problems.append("0 tests ran")

# Odoo logs each request with its query count and SQL time. A request that
# spends seconds in SQL on the small test database is a query plan gone wrong,
# which on a larger database would be worse.
requests = [
    (float(sql_time), int(count), path)
    for path, count, sql_time in re.findall(r'"(?:GET|POST|HEAD) (\S+) HTTP/[0-9.]+" \d+ - (\d+) ([0-9.]+) ', text)
]
if requests:
    slowest = max(requests)
    print(f"slowest request in SQL: {slowest[0]:.3f} s, {slowest[1]} queries, {slowest[2][:120]}", file=sys.stderr)
    too_slow = [r for r in requests if r[0] > SQL_SECONDS_LIMIT]
    if too_slow:
        problems.append(f"{len(too_slow)} request(s) spent over {SQL_SECONDS_LIMIT} s in SQL, first: {too_slow[0]}")

passed = max(total - failed - errors, 0)
print(f"{suite}: {passed} passed, {failed + errors} failed")
if problems or failed or errors:
    for problem in problems:
        print(f"FAILED: {problem}", file=sys.stderr)
    sys.exit(1)
