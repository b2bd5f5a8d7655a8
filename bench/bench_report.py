"""Last step of scripts/bench.sh: the measures of this run against their
anchors (Odoo's pricelist engine, /shop, /my/orders, the cart page, the
smaller size) and their targets, read from the bench JSON. Prints the
targets, writes them back into the JSON as "summary" and writes
bench/RESULTS.md, one table per measure. Exits 1 when a target is missed.

    bench_report.py BENCH_JSON [--results RESULTS.md] [--seconds N]
"""

import argparse
import datetime
import json
import math
import os
import platform
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Targets: (what must hold, as the table says it).
ENGINE_SPEEDUP = 20           # Odoo pricelists / engine, 1,000 products
ENGINE_QUERIES = 10           # whatever the number of products
CATALOG_VS_SHOP = 0.15
CATALOG_VS_MY_ORDERS = 2.0
CATALOG_QUERIES = 25
CATALOG_FLAT = 1.25           # largest / smallest catalog
SUBMIT_GROWTH = 10            # 1,000 / 200 lines
LIST_GROWTH = 10              # 1,000 / 200 lines
IN_PLACE_VS_PAGE = 0.33
FLAT = 1.2                    # large / small size


class Report:
    """The targets checked and the tables written, in the order measured."""

    def __init__(self):
        self.checks = []
        self.sections = []

    def check(self, measure, value, target, met, unit=""):
        self.checks.append({"measure": measure, "value": value, "unit": unit, "target": target, "met": bool(met)})
        return "yes" if met else "**no**"

    def table(self, title, text, header, rows):
        self.sections.append((title, text, header, rows))


def seconds(value):
    return f"{value:.3f} s"


def ratio(value):
    return f"{value:.2f}"


def pricing_section(data, report):
    rows = []
    for row in data.get("pricing", []):
        target, met = "(informative)", ""
        if row["products"] == 1000:
            target = f">= {ENGINE_SPEEDUP}x"
            met = report.check(f"engine vs Odoo pricelists, 1,000 products, qty {row['quantity']}", row["speedup"],
                               target, row["speedup"] >= ENGINE_SPEEDUP, "x faster")
        rows.append([f"{row['products']:,}", row["quantity"], seconds(row["engine_s"]), row["engine_queries"],
                     seconds(row["native_s"]), row["native_queries"], f"{row['speedup']}x", target, met])
    if not rows:
        return
    queries = max(row["engine_queries"] for row in data["pricing"])
    met = report.check("engine SQL queries, whatever the number of products", queries, f"<= {ENGINE_QUERIES}",
                       queries <= ENGINE_QUERIES)
    mismatches = data.get("sample_mismatches")
    same = report.check("sample prices differing between the two engines", mismatches, "0", mismatches == 0)
    report.table(
        "Pricing engine against Odoo's pricelists",
        "The B2B engine and the same prices built as Odoo pricelists (a tier pricelist, a customer pricelist with "
        "its exceptions and category breaks), in one process, median of cold-cache runs. "
        f"Prices differing on the 600 samples: {mismatches} (met: {same}); "
        f"the engine's queries at most {queries} (target <= {ENGINE_QUERIES}, met: {met}).",
        ["products", "qty", "B2B engine", "queries", "Odoo pricelists", "queries", "ratio", "target", "met"], rows)


def pages_section(http, report):
    if "catalog_page" not in http:
        return
    catalog, shop, orders = http["catalog_page"], http["shop_page"], http["my_orders_page"]
    vs_shop = report.check("catalog page / Odoo /shop, median time", http["catalog_vs_shop"],
                           f"<= {CATALOG_VS_SHOP}", http["catalog_vs_shop"] <= CATALOG_VS_SHOP)
    vs_orders = report.check("catalog page / Odoo /my/orders, median time", http["catalog_vs_my_orders"],
                             f"<= {CATALOG_VS_MY_ORDERS}", http["catalog_vs_my_orders"] <= CATALOG_VS_MY_ORDERS)
    queries = report.check("catalog page SQL queries", catalog["queries"], f"<= {CATALOG_QUERIES}",
                           catalog["queries"] <= CATALOG_QUERIES)
    report.table(
        "Catalog page against Odoo's pages",
        "One logged-in buyer on a server with two workers, the three pages requested in turn; median and 90th "
        f"percentile of {http.get('requests', 30)} requests each. `/shop` shows the same 40 products "
        "(`website_sale` installed in the bench database only); `/my/orders` lists the buyer's "
        f"{orders['orders']} orders.",
        ["page", "median", "p90", "queries", "ratio of the catalog page", "target", "met"],
        [["`/b2b/catalog`, 40 products", seconds(catalog["median_s"]), seconds(catalog["p90_s"]),
          catalog["queries"], "", f"<= {CATALOG_QUERIES} queries", queries],
         ["Odoo `/shop`, 40 products", seconds(shop["median_s"]), seconds(shop["p90_s"]), shop["queries"],
          ratio(http["catalog_vs_shop"]), f"<= {CATALOG_VS_SHOP}", vs_shop],
         [f"Odoo `/my/orders`, {orders['orders']} orders", seconds(orders["median_s"]), seconds(orders["p90_s"]),
          orders["queries"], ratio(http["catalog_vs_my_orders"]), f"<= {CATALOG_VS_MY_ORDERS}", vs_orders]])


def scaling_section(http, report):
    scaling = http.get("scaling", [])
    if len(scaling) < 2:
        return
    growth = round(scaling[-1]["median_s"] / scaling[0]["median_s"], 2)
    flat = report.check(f"catalog page, catalog of {scaling[-1]['catalog_products']:,} / "
                        f"{scaling[0]['catalog_products']:,} products", growth, f"<= {CATALOG_FLAT}",
                        growth <= CATALOG_FLAT)
    counts = sorted({row["queries"] for row in scaling})
    same = report.check("catalog page SQL queries across catalog sizes", "/".join(map(str, counts)), "constant",
                        len(counts) == 1)
    report.table(
        "Catalog page against the size of the buyer's catalog",
        "The range grown to 100,000 products; buyers whose catalogs hold each number of products, "
        f"the catalog page (40 products) in turn. Largest / smallest: {ratio(growth)} (target <= {CATALOG_FLAT}, "
        f"met: {flat}); queries the same at every size: {same}.",
        ["products in the catalog", "median", "p90", "queries", "ratio to the smallest"],
        [[f"{row['catalog_products']:,}", seconds(row["median_s"]), seconds(row["p90_s"]), row["queries"],
          ratio(row["median_s"] / scaling[0]["median_s"])] for row in scaling])


def submit_section(data, report):
    submits = data.get("submit", [])
    if len(submits) != 2:
        return
    growth = round(submits[1]["seconds"] / submits[0]["seconds"], 1)
    met = report.check("cart submit, 1,000 / 200 lines", growth, f"< {SUBMIT_GROWTH}", growth < SUBMIT_GROWTH)
    rules = report.check("order rules SQL queries, 200 / 1,000 lines",
                         "/".join(str(row["rules_queries"]) for row in submits), "constant",
                         len({row["rules_queries"] for row in submits}) == 1)
    summary = report.check("cart summary SQL queries, 200 / 1,000 lines",
                           "/".join(str(row["summary_queries"]) for row in submits), "constant",
                           len({row["summary_queries"] for row in submits}) == 1)
    report.table(
        "Cart submit",
        f"A cart of 200 and of 1,000 lines submitted in one process. 1,000 / 200 lines: {growth} "
        f"(target < {SUBMIT_GROWTH}, met: {met}); the order rules' and the cart summary's queries the same at "
        f"both sizes: {rules}, {summary}.",
        ["lines", "submit", "queries", "cart summary queries", "order rules queries"],
        [[f"{row['lines']:,}", seconds(row["seconds"]), row["queries"], row["summary_queries"],
          row["rules_queries"]] for row in submits])


def lists_section(http, report):
    lists = sorted(http.get("lists", []), key=lambda row: row["lines"])
    if len(lists) < 2:
        return
    small, large = lists[0], lists[-1]
    sizes = f"{small['lines']:,} / {large['lines']:,} lines"
    page_same = report.check(f"list page SQL queries, {sizes}", f"{small['page_queries']}/{large['page_queries']}",
                             "constant", small["page_queries"] == large["page_queries"])
    # List to cart creates one sale line per list line, which Odoo inserts
    # (and flushes the computed fields of) 100 rows a statement.
    allowed = 2 * math.ceil((large["lines"] - small["lines"]) / 100)
    cart_growth = report.check(f"list to cart SQL queries, {sizes}",
                               f"{small['to_cart_queries']}/{large['to_cart_queries']}",
                               f"+{allowed} at most (2 per 100 lines)",
                               large["to_cart_queries"] - small["to_cart_queries"] <= allowed)
    rows = []
    for key, what, same in (("page", "list page", page_same), ("to_cart", "list to cart", cart_growth)):
        growth = round(large[f"{key}_median_s"] / small[f"{key}_median_s"], 1)
        met = report.check(f"{what}, {large['lines']:,} / {small['lines']:,} lines, median time", growth,
                           f"< {LIST_GROWTH}", growth < LIST_GROWTH)
        rows.append([what, seconds(small[f"{key}_median_s"]), small[f"{key}_queries"],
                     seconds(large[f"{key}_median_s"]), large[f"{key}_queries"], growth, f"< {LIST_GROWTH}", met,
                     same])
    report.table(
        "Order lists",
        f"Two lists of the bench buyer, of {small['lines']:,} and {large['lines']:,} lines, {small['requests']} "
        "requests each after a warm-up, on two workers.",
        ["request", f"{small['lines']:,} lines", "queries", f"{large['lines']:,} lines", "queries",
         "ratio", "target", "met", "queries met"], rows)


def in_place_section(http, report):
    rows = []
    for row in http.get("cart_in_place", []):
        met = report.check(f"in-place cart change / cart page, {row['lines']} lines, median time",
                           row["update_vs_page"], f"<= {IN_PLACE_VS_PAGE}", row["update_vs_page"] <= IN_PLACE_VS_PAGE)
        rows.append([row["lines"], seconds(row["page_median_s"]), row["page_queries"],
                     seconds(row["update_median_s"]), row["update_queries"], ratio(row["update_vs_page"]),
                     f"<= {IN_PLACE_VS_PAGE}", met])
    if rows:
        report.table(
            "In-place change of a cart line against the cart page",
            "The bench buyer's cart filled from a list; the full cart page and one line's quantity changed in "
            "place (`/b2b/json/cart/update`), in turn, median of the requests after a warm-up.",
            ["cart lines", "cart page", "queries", "in-place change", "queries", "ratio", "target", "met"], rows)


def flat_section(data, report):
    flat = data.get("flat")
    if not flat:
        return
    sizes = flat["sizes"]
    keys = ("products", "customers", "exceptions", "breaks", "catalogs")
    rows = []
    for row in flat["rows"]:
        met = report.check(f"{row['measure']}, large / small size, median time", row["ratio"], f"<= {FLAT}",
                           row["ratio"] <= FLAT)
        same = report.check(f"{row['measure']}, SQL queries small / large",
                            f"{row['small_queries']}/{row['large_queries']}", "equal",
                            row["small_queries"] == row["large_queries"])
        rows.append([row["measure"], seconds(row["small_s"]), row["small_queries"], seconds(row["large_s"]),
                     row["large_queries"], ratio(row["ratio"]), f"<= {FLAT}", met, same])
    described = "; ".join(f"{side}: " + ", ".join(f"{sizes[side][key]:,} {key}" for key in keys)
                          for side in ("small", "large"))
    report.table(
        "Flat from the small to the large size",
        f"The bench database and a copy of it grown in SQL, the same requests taking turns on both ({described}).",
        ["measure", "small", "queries", "large", "queries", "ratio", "target", "met", "same queries"], rows)


def load_section(http, report):
    load = http.get("load")
    if not load:
        return
    met = report.check(f"errors under load ({load['buyers']} buyers, {load['requests']} requests)",
                       load["errors"], "0", load["errors"] == 0)
    report.table(
        "Buyers at once",
        "Buyers with their own logins browsing, adding to the cart and submitting, on two workers.",
        ["buyers", "requests", "requests/s", "p50", "p95", "errors", "target", "met"],
        [[load["buyers"], load["requests"], load["requests_per_second"], seconds(load["p50_s"]),
          seconds(load["p95_s"]), load["errors"], "0 errors", met]])


def machine():
    """What ran the bench: processor, cores, memory, system, PostgreSQL, Odoo, the commit."""
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else ""
    memory = ""
    if Path("/proc/meminfo").exists():
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kib / 1024 ** 2:.0f} GiB"
    system = platform.platform()
    if Path("/etc/os-release").exists():
        fields = dict(line.split("=", 1) for line in Path("/etc/os-release").read_text().splitlines() if "=" in line)
        system = fields.get("PRETTY_NAME", system).strip('"')

    def output(*command, cwd=None):
        try:
            return subprocess.run(command, capture_output=True, text=True, timeout=20, cwd=cwd,  # noqa: S603
                                  check=True).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return ""

    odoo = Path(os.environ.get("ODOO_PATH", "/opt/odoo")) / "odoo" / "release.py"
    odoo_version = ""
    if odoo.exists():
        namespace = {}
        exec(compile(odoo.read_text(), str(odoo), "exec"), namespace)  # noqa: S102  (Odoo's own release file)
        odoo_version = namespace.get("version", "")
    commit = output("git", "rev-parse", "--short", "HEAD", cwd=ROOT)
    if commit and output("git", "status", "--porcelain", "--untracked-files=no", cwd=ROOT):
        commit += " with uncommitted changes"
    return {"processor": cpu, "cores": os.cpu_count(), "memory": memory, "system": system,
            "python": platform.python_version(),
            "postgresql": output("psql", "-d", "postgres", "-tAc", "SHOW server_version")
            or output("psql", "--version").rpartition(" ")[2],
            "odoo": odoo_version, "commit": commit}


def markdown(data, report, seconds_taken):
    about = data.get("machine", {})
    sizes = data.get("sizes", {})
    lines = [
        "# Benchmark results",
        "",
        "Written by `bench/bench_report.py` from `.var/bench.json` at the end of `./scripts/bench.sh`; "
        "every figure comes from that one run. Do not edit by hand: run the bench again.",
        "",
        f"- Date: {data.get('date', '')}" + (f", {seconds_taken / 60:.0f} minutes end to end" if seconds_taken
                                              else ""),
        f"- Machine: {about.get('processor', '')}, {about.get('cores', '')} cores, {about.get('memory', '')}; "
        f"{about.get('system', '')}",
        f"- Software: Python {about.get('python', '')}, PostgreSQL {about.get('postgresql', '')}, "
        f"Odoo {about.get('odoo', '')}; b2b_portal at {about.get('commit', '')}",
    ]
    if sizes:
        lines.append("- Bench database: " + ", ".join(f"{value:,} {key}" for key, value in sizes.items()))
    missed = [check for check in report.checks if not check["met"]]
    lines += ["", f"Targets met: {len(report.checks) - len(missed)} of {len(report.checks)}"
              + (" (missed: " + "; ".join(check["measure"] for check in missed) + ")" if missed else "") + "."]
    for title, text, header, rows in report.sections:
        lines += ["", f"## {title}", "", text, "",
                  "| " + " | ".join(header) + " |",
                  "| " + " | ".join("---" if index == 0 else "---:" for index in range(len(header))) + " |"]
        lines += ["| " + " | ".join(f"{cell:,}" if isinstance(cell, int) else str(cell) for cell in row) + " |"
                  for row in rows]
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("json")
    parser.add_argument("--results", default=str(ROOT / "bench" / "RESULTS.md"))
    parser.add_argument("--seconds", type=int, default=0, help="the whole bench's duration")
    args = parser.parse_args(argv)
    with open(args.json, encoding="utf-8") as bench_file:
        data = json.load(bench_file)
    data.setdefault("machine", machine())
    data.setdefault("date", datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"))
    http = data.get("http", {})
    report = Report()
    pricing_section(data, report)
    pages_section(http, report)
    scaling_section(http, report)
    submit_section(data, report)
    lists_section(http, report)
    in_place_section(http, report)
    flat_section(data, report)
    load_section(http, report)

    width = max(len(check["measure"]) for check in report.checks)
    print()
    print(f"{'measure':<{width}}  {'this run':>14}  {'target':<24} met")
    for check in report.checks:
        value = f"{check['value']}{' ' + check['unit'] if check['unit'] else ''}"
        print(f"{check['measure']:<{width}}  {value:>14}  {check['target']:<24} {'yes' if check['met'] else 'NO'}")
    data["summary"] = report.checks
    with open(args.json, "w", encoding="utf-8") as out:
        json.dump(data, out, indent=2)
    Path(args.results).write_text(markdown(data, report, args.seconds), encoding="utf-8")
    print(f"written {args.results}")
    return 0 if all(check["met"] for check in report.checks) else 1


if __name__ == "__main__":
    sys.exit(main())
