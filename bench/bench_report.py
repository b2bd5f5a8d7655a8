"""Last step of scripts/bench.sh: one table of the ratios measured in this run
against their anchors (Odoo's pricelist engine, /shop, the smaller size) and
the targets, read from the bench JSON, written back into it as "summary".
Exits 1 when a target is missed."""

import json
import math
import sys

# The catalog page's queries before the interactive pages (issue 14): kept.
CATALOG_QUERIES = 39


def main(path):
    with open(path, encoding="utf-8") as bench_file:
        data = json.load(bench_file)
    pricing = {(row["products"], row["quantity"]): row for row in data.get("pricing", [])}
    http = data.get("http", {})
    rows = []

    def add(measure, value, target, met, unit=""):
        rows.append({"measure": measure, "value": value, "unit": unit, "target": target, "met": bool(met)})

    if "sample_mismatches" in data:
        add("sample prices differing between the two engines", data["sample_mismatches"], "0",
            data["sample_mismatches"] == 0)
    for qty in (1, 60):
        row = pricing.get((1000, qty))
        if row:
            add(f"engine vs Odoo pricelists, 1,000 products, qty {qty}", row["speedup"], ">= 20",
                row["speedup"] >= 20, "x faster")
    if pricing:
        queries = max(row["engine_queries"] for row in pricing.values())
        add("engine SQL queries, 40 to 10,000 products", queries, "<= 10", queries <= 10)
    add_catalog_page(http, add)
    scaling = http.get("scaling", [])
    if len(scaling) > 1:
        ratio = round(scaling[-1]["median_s"] / scaling[0]["median_s"], 2)
        add(f"catalog page at {scaling[-1]['catalog_products']:,} / {scaling[0]['catalog_products']:,} products",
            ratio, "flat (<= 1.25)", ratio <= 1.25)
        counts = sorted({row["queries"] for row in scaling if "queries" in row})
        if counts:
            add("catalog page SQL queries across catalog sizes", "/".join(map(str, counts)), "constant",
                len(counts) == 1)
    submits = data.get("submit", [])
    if len(submits) == 2:
        ratio = round(submits[1]["seconds"] / submits[0]["seconds"], 1)
        add("cart submit, 1,000 / 200 lines", ratio, "< 10", ratio < 10)
        if all("rules_queries" in row for row in submits):
            counts = [row["rules_queries"] for row in submits]
            add("order rules SQL queries, 200 / 1,000 lines", "/".join(map(str, counts)), "constant",
                len(set(counts)) == 1)
            counts = [row["summary_queries"] for row in submits]
            add("cart summary SQL queries, 200 / 1,000 lines", "/".join(map(str, counts)), "constant",
                len(set(counts)) == 1)
    add_order_lists(http.get("lists", []), add)
    for row in http.get("cart_in_place", []):
        add(f"in-place cart change / cart page, {row['lines']} lines, median time", row["update_vs_page"],
            "<= 0.33", row["update_vs_page"] <= 0.33)
    add_flat(data.get("flat"), add)
    if "load" in http:
        add(f"errors under load ({http['load']['buyers']} buyers, {http['load']['requests']} requests)",
            http["load"]["errors"], "0", http["load"]["errors"] == 0)

    width = max(len(row["measure"]) for row in rows)
    print()
    print(f"{'measure':<{width}}  {'this run':>14}  {'target':<16} met")
    for row in rows:
        value = f"{row['value']}{' ' + row['unit'] if row['unit'] else ''}"
        print(f"{row['measure']:<{width}}  {value:>14}  {row['target']:<16} {'yes' if row['met'] else 'NO'}")
    data["summary"] = rows
    with open(path, "w", encoding="utf-8") as out:
        json.dump(data, out, indent=2)
    return 0 if all(row["met"] for row in rows) else 1


def add_catalog_page(http, add):
    """The catalog page against its two peers of the same run, for the same
    buyer: Odoo's /shop (same products) and Odoo's /my/orders (a page near
    the floor of what Odoo's portal costs); its SQL queries."""
    if "catalog_vs_shop" not in http:
        return
    add("catalog page / Odoo /shop, median time", http["catalog_vs_shop"], "<= 0.5", http["catalog_vs_shop"] <= 0.5)
    add("catalog page / Odoo /shop, median time, near the floor", http["catalog_vs_shop"], "<= 0.15",
        http["catalog_vs_shop"] <= 0.15)
    if "catalog_vs_my_orders" in http:
        orders = http["my_orders_page"]
        add(f"Odoo /my/orders ({orders['orders']} orders), median time", orders["median_s"], "(informative)",
            True, "s")
        add(f"Odoo /my/orders ({orders['orders']} orders), SQL queries", orders["queries"], "(informative)", True)
        add("catalog page / Odoo /my/orders, median time", http["catalog_vs_my_orders"], "<= 2",
            http["catalog_vs_my_orders"] <= 2)
    queries = http["catalog_page"]["queries"]
    add("catalog page SQL queries", queries, "<= 39 (kept)", queries <= CATALOG_QUERIES)
    add("catalog page SQL queries, near the floor", queries, "<= 25", queries <= 25)
    add("catalog page / Odoo /shop, SQL queries",
        round(http["catalog_page"]["queries"] / http["shop_page"]["queries"], 2), "(informative)", True)

def add_order_lists(lists, add):
    """The list page and list to cart, smallest against largest list. The
    page reads the same number of queries at any size; list to cart creates
    one sale line per list line, which Odoo inserts (and flushes the
    computed fields of) 100 rows a statement: at most 2 more queries per 100
    lines, none per line."""
    lists = sorted(lists, key=lambda row: row["lines"])
    if len(lists) < 2:
        return
    small, large = lists[0], lists[-1]
    sizes = f"{small['lines']:,} / {large['lines']:,} lines"
    counts = [small["page_queries"], large["page_queries"]]
    add(f"list page SQL queries, {sizes}", "/".join(map(str, counts)), "constant", len(set(counts)) == 1)
    counts = [small["to_cart_queries"], large["to_cart_queries"]]
    allowed = 2 * math.ceil((large["lines"] - small["lines"]) / 100)
    add(f"list to cart SQL queries, {sizes}", "/".join(map(str, counts)), f"+{allowed} at most (2 per 100)",
        counts[1] - counts[0] <= allowed)
    for key, what in (("page", "list page"), ("to_cart", "list to cart")):
        ratio = round(large[f"{key}_median_s"] / small[f"{key}_median_s"], 1)
        add(f"{what}, {large['lines']:,} / {small['lines']:,} lines, median time", ratio, "< 10", ratio < 10)


def add_flat(flat, add):
    """Issue 15: each measure of bench_flat.py at the large size against the
    small one, side by side in the same run: at most 1.2 times the time, and
    the same SQL query count at both sizes."""
    if not flat:
        return
    sizes = flat["sizes"]
    add("flatness sizes, small -> large (products/customers/exceptions/breaks/catalogs)",
        " -> ".join("/".join(f"{sizes[side][key]:,}" for key in ("products", "customers", "exceptions", "breaks",
                                                                 "catalogs")) for side in ("small", "large")),
        "(informative)", True)
    for row in flat["rows"]:
        add(f"{row['measure']}, large / small size, median time", row["ratio"], "<= 1.2", row["ratio"] <= 1.2)
        add(f"{row['measure']}, SQL queries small / large", f"{row['small_queries']}/{row['large_queries']}",
            "equal", row["small_queries"] == row["large_queries"])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
