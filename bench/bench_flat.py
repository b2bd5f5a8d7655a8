"""Flatness from the small to the large size, measured side by side in one
run: the bench database as bench.sh leaves it ("small") and a copy of it
grown in SQL by bench_grow.py ("large"). The same requests for the same
buyer take turns on the two (small then large, then large then small...),
so that both see the same machine load; each measure is the median of its
requests after a warm-up, with the usual SQL query count of a request.

- the pricing engine for the measured customer over 1,000 products (cold
  caches, as bench_pricing.py times it), both databases' registries loaded
  in one Python process (``--engine``, run by the main process);
- over HTTP, one Odoo server per database (two workers each, same command):
  the catalog page (40 products), the cart page with 200 and with 1,000
  lines, list to cart of the 200 and 1,000-line lists, and a quick order
  of 1,000 pasted lines (each into an empty cart).

Writes {"flat": {"sizes", "rows"}} into the bench JSON (bench_report.py
reads it). 127.0.0.1 only; fixed counts."""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time

import psycopg2
import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_http import bench_lists, db_params, delete_cart, logged_queries, login

SIDES = ("small", "large")
SIZE_QUERIES = {
    "products": "SELECT count(*) FROM product_product WHERE default_code LIKE 'BENCH-%%'",
    "customers": "SELECT count(*) FROM res_partner WHERE is_company AND name LIKE 'Bench customer %%'",
    "exceptions": "SELECT count(*) FROM b2b_price_exception",
    "breaks": "SELECT count(*) FROM b2b_volume_break",
    "catalogs": "SELECT count(*) FROM b2b_catalog",
}


def turns(count):
    """The sides in turn, the first alternating: each side goes first half
    of the time."""
    for i in range(count):
        yield i, SIDES if i % 2 == 0 else SIDES[::-1]


# The engine, in a process of its own that loads Odoo -------------------------

def engine_worker(conf, dbs, runs, warm_up):
    import odoo  # noqa: PLC0415 (only this subprocess loads Odoo)
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    odoo.tools.config.parse_config(["-c", conf, "--log-level", "warn"])
    envs = {}
    for side, db in zip(SIDES, dbs, strict=True):
        registry = odoo.modules.registry.Registry(db)
        env = api.Environment(registry.cursor(), SUPERUSER_ID, {})
        measured = env["res.partner"].search([("name", "=", "Bench customer 0001"), ("is_company", "=", True)])
        products = env["product.product"].search([("default_code", "=like", "BENCH-%")], order="id", limit=1000)
        envs[side] = (env, measured, products)
    results = {side: {qty: ([], []) for qty in (1, 60)} for side in SIDES}
    prices = {}
    for i, sides in turns(warm_up + runs):
        for qty in (1, 60):
            for side in sides:
                env, measured, products = envs[side]
                env.invalidate_all()
                env.registry.clear_cache()
                before, start = env.cr.sql_log_count, time.perf_counter()
                found = env["b2b.pricing"]._get_prices(measured, products, dict.fromkeys(products.ids, qty))
                elapsed = time.perf_counter() - start
                if i >= warm_up:
                    results[side][qty][0].append(elapsed)
                    results[side][qty][1].append(env.cr.sql_log_count - before)
                prices[side, qty] = [round(found[pid].price, 2) for pid in products.ids]
    for env, _measured, _products in envs.values():
        env.cr.close()
    rows = []
    for qty in (1, 60):
        assert prices["small", qty] == prices["large", qty], "the measured customer's prices differ between sizes"
        rows.append(row(f"engine, 1,000 products, qty {qty}",
                        {side: results[side][qty] for side in SIDES}))
    print(json.dumps(rows))


def row(measure, by_side):
    """{side: (timings, queries)} -> one row of the table."""
    values = {"measure": measure}
    for side in SIDES:
        timings, queries = by_side[side]
        values[f"{side}_s"] = round(statistics.median(timings), 4)
        values[f"{side}_queries"] = statistics.mode(queries)
        values[f"{side}_queries_seen"] = sorted(set(queries))
        values["requests"] = len(timings)
    values["ratio"] = round(values["large_s"] / values["small_s"], 2)
    return values


# HTTP ---------------------------------------------------------------------------

class Side:
    """One database, its Odoo server, its log, a logged-in buyer and a
    connection to empty the buyer's cart."""

    def __init__(self, name, db, port, odoo_cmd, log_dir):
        self.name, self.db, self.base = name, db, f"http://127.0.0.1:{port}"
        self.log = os.path.join(log_dir, f"bench-flat-{name}.log")
        self.server = subprocess.Popen(  # noqa: S603  (our own Odoo command line)
            [*odoo_cmd, "-d", db, "--db-filter", f"^{db}$", "--workers", "2", "--max-cron-threads", "0",
             "--http-port", str(port), "--gevent-port", str(port + 1), "--logfile", self.log,
             "--limit-time-real", "600", "--limit-memory-hard", str(4 * 1024**3)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.connection = psycopg2.connect(**db_params(odoo_cmd, db))
        self.connection.autocommit = True
        self.session = self.csrf = None

    def start(self):
        for _i in range(240):
            try:
                if requests.get(self.base + "/web/login", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.5)
        self.session = login(self.base)
        self.buyer_id, self.lists = bench_lists(self.connection)

    def sizes(self):
        with self.connection.cursor() as cr:
            result = {}
            for name, query in SIZE_QUERIES.items():
                cr.execute(query)
                result[name] = cr.fetchone()[0]
            return result

    def cart_lines(self):
        with self.connection.cursor() as cr:
            cr.execute("""SELECT count(line.id) FROM sale_order o
                            JOIN sale_order_line line ON line.order_id = o.id AND line.display_type IS NULL
                           WHERE o.partner_id = %s AND o.b2b_state = 'cart' AND o.state = 'draft'""",
                       [self.buyer_id])
            return cr.fetchone()[0]

    def empty_cart(self):
        delete_cart(self.connection, self.buyer_id)

    def token(self, path, pattern=r'name="csrf_token" value="([^"]+)"'):
        return re.search(pattern, self.session.get(self.base + path, timeout=300).text).group(1)

    def stop(self):
        self.connection.close()
        self.server.terminate()
        self.server.wait(30)


def measure(sides, name, count, warm_up, prepare, request, path, method, status):
    """``request(side)`` timed ``warm_up + count`` times on each side in
    turn (``prepare(side)`` before each, not timed); the usual query count
    of ``method path`` from each server's log."""
    timings = {side: [] for side in SIDES}
    starts = {side: os.path.getsize(sides[side].log) for side in SIDES}
    for i, order in turns(warm_up + count):
        for side in order:
            prepare(sides[side])
            begin = time.perf_counter()
            request(sides[side])
            if i >= warm_up:
                timings[side].append(time.perf_counter() - begin)
    result = row(name, {side: (timings[side], logged_queries(sides[side].log, path, method, status, starts[side],
                                                             warm_up + count)[warm_up:])
                        for side in SIDES})
    print(f"{name}: small {result['small_s']:.3f} s, {result['small_queries']} queries; "
          f"large {result['large_s']:.3f} s, {result['large_queries']} queries; ratio {result['ratio']}", flush=True)
    return result


def http_rows(sides, count, heavy_count, warm_up):
    rows = []
    catalog = "/b2b/catalog"

    def get_catalog(side):
        response = side.session.get(side.base + catalog + "?ppg=40", timeout=300)
        assert response.status_code == 200 and response.text.count("o_b2b_product_row") == 40, (side.name, catalog)

    for side in sides.values():
        side.empty_cart()
    rows.append(measure(sides, "catalog page, 40 products", count, warm_up, lambda side: None, get_catalog,
                        catalog + "?ppg=40", "GET", 200))

    for index, lines in ((0, 200), (-1, 1000)):
        n = count if lines <= 200 else heavy_count
        assert all(side.lists[index][1] == lines for side in sides.values()), "bench lists of 200 and 1,000 lines"

        def to_cart(side, index=index, lines=lines):
            list_id = side.lists[index][0]
            response = side.session.post(f"{side.base}/b2b/lists/{list_id}/to_cart", allow_redirects=False,
                                         data={"selection": "all", "csrf_token": side.csrf}, timeout=300)
            assert response.status_code == 303, (side.name, "to_cart", response.status_code)
            assert side.cart_lines() == lines, (side.name, "to_cart", side.cart_lines(), lines)

        for side in sides.values():
            side.csrf = side.token(f"/b2b/lists/{side.lists[index][0]}")
        rows.append(measure(sides, f"list to cart, {lines:,} lines", n, warm_up, Side.empty_cart, to_cart,
                            f"/b2b/lists/{sides['small'].lists[index][0]}/to_cart", "POST", 303))
        assert sides["small"].lists[index][0] == sides["large"].lists[index][0]

        def cart_page(side, lines=lines):
            response = side.session.get(side.base + "/b2b/cart", timeout=300)
            assert response.text.count('class="o_b2b_cart_line"') == lines, (side.name, "cart page", lines)

        for side in sides.values():  # the cart left by the last list to cart
            assert side.cart_lines() == lines
        rows.append(measure(sides, f"cart page, {lines:,} lines", n, warm_up, lambda side: None, cart_page,
                            "/b2b/cart", "GET", 200))
        for side in sides.values():
            side.empty_cart()

    with sides["small"].connection.cursor() as cr:
        cr.execute("""SELECT p.default_code FROM b2b_order_list_line line
                        JOIN product_product p ON p.id = line.product_id
                       WHERE line.list_id = %s ORDER BY line.sequence, line.id""", [sides["small"].lists[-1][0]])
        refs = [ref for (ref,) in cr.fetchall()]
    pasted = "\n".join(f"{ref} {2 + i % 2}" for i, ref in enumerate(refs))
    for side in sides.values():
        side.csrf = side.token("/b2b/quick_order")

    def quick_order(side):
        response = side.session.post(side.base + "/b2b/quick_order", data={"lines": pasted, "csrf_token": side.csrf},
                                     timeout=300)
        assert response.status_code == 200, (side.name, "quick order", response.status_code)
        assert side.cart_lines() == len(refs), (side.name, "quick order", side.cart_lines(), len(refs))

    rows.append(measure(sides, f"quick order, {len(refs):,} lines", heavy_count, warm_up, Side.empty_cart,
                        quick_order, "/b2b/quick_order", "POST", 200))
    for side in sides.values():
        side.empty_cart()
    return rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", required=True, help="the bench database")
    parser.add_argument("--large", required=True, help="its copy grown by bench_grow.py")
    parser.add_argument("--ports", type=int, nargs=2, default=(8371, 8375),
                        help="HTTP ports of the two servers (each also uses the next port for gevent)")
    parser.add_argument("--log-dir", required=True)
    parser.add_argument("--json", required=True)
    parser.add_argument("--requests", type=int, default=15, help="of the lighter measures (catalog, 200 lines)")
    parser.add_argument("--heavy-requests", type=int, default=7, help="of the 1,000-line measures")
    parser.add_argument("--engine-runs", type=int, default=15)
    parser.add_argument("--warm-up", type=int, default=2)
    parser.add_argument("--engine", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("odoo", nargs=argparse.REMAINDER, help="the Odoo command, with -c CONFIG")
    args = parser.parse_args()
    conf = next(args.odoo[i + 1] for i, arg in enumerate(args.odoo[:-1]) if arg in ("-c", "--config"))
    if args.engine:
        return engine_worker(conf, (args.small, args.large), args.engine_runs, args.warm_up)

    started = time.time()
    engine = subprocess.run(  # noqa: S603 (this script again, in its engine mode)
        [sys.executable, os.path.abspath(__file__), "--engine", "--small", args.small, "--large", args.large,
         "--log-dir", args.log_dir, "--json", args.json, "--engine-runs", str(args.engine_runs),
         "--warm-up", str(args.warm_up), *args.odoo],
        capture_output=True, text=True, check=False)
    if engine.returncode:
        sys.exit(f"engine run failed:\n{engine.stderr[-3000:]}")
    rows = json.loads(engine.stdout.strip().splitlines()[-1])
    for result in rows:
        print(f"{result['measure']}: small {result['small_s']:.4f} s, {result['small_queries']} queries; "
              f"large {result['large_s']:.4f} s, {result['large_queries']} queries; ratio {result['ratio']}",
              flush=True)
    sides = {}
    try:
        for side, db, port in zip(SIDES, (args.small, args.large), args.ports, strict=True):
            sides[side] = Side(side, db, port, args.odoo, args.log_dir)
        for side in sides.values():
            side.start()
        sizes = {side: sides[side].sizes() for side in SIDES}
        print(f"sizes: {json.dumps(sizes)}", flush=True)
        rows += http_rows(sides, args.requests, args.heavy_requests, args.warm_up)
    finally:
        for side in sides.values():
            side.stop()
    with open(args.json, encoding="utf-8") as existing:
        data = json.load(existing)
    data["flat"] = {"sizes": sizes, "rows": rows, "seconds": round(time.time() - started)}
    with open(args.json, "w", encoding="utf-8") as out:
        json.dump(data, out, indent=2)
    print(f"flat run in {time.time() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
