"""HTTP part of the benchmark: the B2B catalog page against Odoo's /shop for
the same buyer and products and Odoo's /my/orders for the same buyer (its
confirmed orders), in turn, on a real server with two workers (median and
p90 time, and the usual SQL query count of a request, read from the server
log; ``--only catalog`` stops there), then the buyer's order lists of 200 and 1,000 lines (the list page,
and all its lines to an empty cart), then a bounded load of concurrent
buyers, each with its own login, browsing, adding to its cart and
submitting. 127.0.0.1 only; fixed counts."""

import argparse
import concurrent.futures
import configparser
import json
import os
import re
import statistics
import subprocess
import time

import psycopg2
import requests


def percentile(values, pct):
    values = sorted(values)
    return values[min(len(values) - 1, round(pct / 100 * (len(values) - 1)))]


def login(base, user="bench_buyer"):
    session = requests.Session()
    token = re.search(r'name="csrf_token" value="([^"]+)"', session.get(base + "/web/login").text).group(1)
    session.post(base + "/web/login", data={"login": user, "password": user, "csrf_token": token})
    return session


def queries_per_request(log_path, path, method="GET", status=200, start=0):
    """Odoo's werkzeug log line ends with: query count, query time, other
    time. ``start``: the log's size before the requests to read."""
    counts = []
    pattern = re.compile(f'"{method} {re.escape(path)} HTTP/1.1" {status} - ' + r"(\d+) ")
    with open(log_path, encoding="utf-8") as log:
        log.seek(start)
        for line in log:
            match = pattern.search(line)
            if match:
                counts.append(int(match.group(1)))
    return counts


def logged_queries(log_path, path, method, status, start, expected):
    """The query counts of the ``expected`` requests made since ``start``
    (the server writes a request's log line once it has answered it)."""
    for _i in range(50):
        counts = queries_per_request(log_path, path, method, status, start)
        if len(counts) >= expected:
            break
        time.sleep(0.1)
    assert len(counts) == expected, (path, method, f"{len(counts)} log lines, {expected} requests")
    return counts


def time_page(session, url, count, marker, expected=40):
    """Time ``count`` loads of a page that must show ``expected`` rows (``marker``)."""
    timings = []
    for _i in range(count):
        start = time.perf_counter()
        response = session.get(url, timeout=120)
        timings.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
        assert response.text.count(marker) == expected, (url, f"does not show {expected} rows")
    return timings


def my_orders_count(connection):
    """How many orders bench_buyer's /my/orders lists (its confirmed orders,
    made by bench_prepare_shop.py), at most a portal page of them."""
    with connection.cursor() as cr:
        cr.execute("""SELECT count(*) FROM sale_order o JOIN res_users u ON u.partner_id = o.partner_id
                       WHERE u.login = 'bench_buyer' AND o.state = 'sale'""")
        (count,) = cr.fetchone()
    assert count, "no confirmed order of bench_buyer: see bench_prepare_shop.py"
    return min(count, 80)


def pages_against_peers(base, session, log_path, count, orders):
    """The catalog page against Odoo's /shop (same buyer, same products) and
    Odoo's /my/orders (same buyer, its ``orders`` orders), in turn: each
    round loads the three pages once, so that all three see the same
    machine. Median and p90 time and usual query count of each."""
    pages = {"catalog_page": ("/b2b/catalog?ppg=40", "o_b2b_product_row", 40),
             "shop_page": ("/shop?ppg=40", "oe_product_cart", 40),
             "my_orders_page": ("/my/orders", 'href="/my/orders/', orders)}
    for url, marker, expected in pages.values():  # warm up: assets, caches, both workers
        time_page(session, base + url, 4, marker, expected)
    start = os.path.getsize(log_path)  # the log is appended to: this run's requests only
    timings = {key: [] for key in pages}
    for _i in range(count):
        for key, (url, marker, expected) in pages.items():
            timings[key] += time_page(session, base + url, 1, marker, expected)
    result = {}
    for key, (url, _marker, _expected) in pages.items():
        queries = logged_queries(log_path, url, "GET", 200, start, count)
        result[key] = {"median_s": round(statistics.median(timings[key]), 4),
                       "p90_s": round(percentile(timings[key], 90), 4),
                       "queries": statistics.mode(queries), "queries_seen": sorted(set(queries))}
    result["my_orders_page"]["orders"] = orders
    result["requests"] = count
    catalog = result["catalog_page"]["median_s"]
    result["catalog_vs_shop"] = round(catalog / result["shop_page"]["median_s"], 2)
    result["catalog_vs_my_orders"] = round(catalog / result["my_orders_page"]["median_s"], 2)
    return result


def load(base, buyers, iterations, product_ids):
    """Each simulated buyer browses, adds to cart and, now and then, submits."""
    def buyer(index):
        session = login(base, f"bench_buyer_{index}")
        timings, errors = [], []
        for i in range(iterations):
            cart = session.get(base + "/b2b/cart", timeout=120)
            found = re.search(r'csrf_token: "([^"]+)"', cart.text)
            if cart.status_code != 200 or not found:
                errors.append(("GET", "/b2b/cart", cart.status_code))
                continue
            token = found.group(1)
            steps = [("GET", f"/b2b/catalog?page={1 + (index + i) % 5}&ppg=40", None),
                     ("POST", "/b2b/cart/add", {"product_id": product_ids[(index * 7 + i) % len(product_ids)],
                                                "add_qty": "2", "csrf_token": token})]
            if i % 5 == 4:
                steps.append(("POST", "/b2b/cart/submit", {"client_order_ref": f"LOAD-{index}-{i}",
                                                           "csrf_token": token}))
            for method, path, data in steps:
                start = time.perf_counter()
                response = session.request(method, base + path, data=data, timeout=120)
                timings.append(time.perf_counter() - start)
                if response.status_code != 200:
                    errors.append((method, path, response.status_code))
        return timings, errors

    start = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(max_workers=buyers) as pool:
        results = list(pool.map(buyer, range(buyers)))
    elapsed = time.perf_counter() - start
    timings = [t for result in results for t in result[0]]
    errors = [error for result in results for error in result[1]]
    return {"buyers": buyers, "requests": len(timings), "errors": len(errors), "first_errors": errors[:5],
            "requests_per_second": round(len(timings) / elapsed, 1),
            "p50_s": round(percentile(timings, 50), 3), "p95_s": round(percentile(timings, 95), 3)}


def db_params(odoo_cmd, db):
    """Connection parameters of the bench database, from the Odoo config
    file of the command (``-c``), else libpq's PG* variables."""
    params = {"dbname": db}
    config_path = next((odoo_cmd[i + 1] for i, arg in enumerate(odoo_cmd[:-1]) if arg in ("-c", "--config")), None)
    if config_path:
        config = configparser.ConfigParser(interpolation=None)
        config.read(config_path)
        options = config["options"] if config.has_section("options") else {}
        for key in ("host", "port", "user", "password"):
            value = options.get(f"db_{key}")
            if value and value != "False":
                params[key] = value
    return params


def delete_cart(connection, buyer_id):
    """The buyer's cart deleted in SQL (each measure starts from no cart)."""
    with connection.cursor() as cr:
        cr.execute("""SELECT id FROM sale_order
                       WHERE partner_id = %s AND b2b_state = 'cart' AND state = 'draft'""", [buyer_id])
        cart_ids = [cart_id for (cart_id,) in cr.fetchall()]
        if cart_ids:
            cr.execute("DELETE FROM mail_followers WHERE res_model = 'sale.order' AND res_id = ANY(%s)",
                       [cart_ids])
            cr.execute("DELETE FROM mail_message WHERE model = 'sale.order' AND res_id = ANY(%s)", [cart_ids])
            cr.execute("DELETE FROM sale_order WHERE id = ANY(%s)", [cart_ids])


def bench_lists(connection):
    """bench_buyer's partner id and its bench lists ``[(id, lines)]``,
    smallest first (made by bench_prepare_shop.py)."""
    with connection.cursor() as cr:
        cr.execute("SELECT partner_id FROM res_users WHERE login = 'bench_buyer'")
        (buyer_id,) = cr.fetchone()
        cr.execute("""SELECT l.id, count(line.id) FROM b2b_order_list l
                        JOIN b2b_order_list_line line ON line.list_id = l.id
                       WHERE l.owner_id = %s AND l.name LIKE 'Bench list %%'
                       GROUP BY l.id ORDER BY count(line.id)""", [buyer_id])
        lists = cr.fetchall()
    assert lists, "no order list of bench_buyer: see bench_prepare_shop.py"
    return buyer_id, lists


def cart_in_place(base, session, connection, log_path, count, size, warm_up=3):
    """A cart of the first ``size`` lines of bench_buyer's smallest bench
    list: the full cart page against an in-place change of one line's
    quantity (the JSON route the cart page's script calls, which answers with
    that line, the charges and the totals, and is told that no row shows a
    new price, as the page's script tells it then). Median time and usual
    query count of each, the page and the change timed in turn."""
    buyer_id, lists = bench_lists(connection)
    list_id = lists[0][0]
    with connection.cursor() as cr:
        cr.execute("SELECT id FROM b2b_order_list_line WHERE list_id = %s ORDER BY sequence, id LIMIT %s",
                   [list_id, size])
        line_ids = [line_id for (line_id,) in cr.fetchall()]
    lines = len(line_ids)
    delete_cart(connection, buyer_id)
    page = session.get(f"{base}/b2b/lists/{list_id}", timeout=300)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    session.post(f"{base}/b2b/lists/{list_id}/to_cart", allow_redirects=False, timeout=300,
                 data={"selection": "ticked", "line_ids": line_ids, "csrf_token": token})
    try:
        cart_page = session.get(base + "/b2b/cart", timeout=300).text
        line_id = int(re.search(r'data-line-id="(\d+)"', cart_page).group(1))
        token = re.search(r'csrf_token: "([^"]+)"', cart_page).group(1)

        def page():
            response = session.get(base + "/b2b/cart", timeout=300)
            assert response.text.count('class="o_b2b_cart_line"') == lines, "the cart does not show the list's lines"

        def update(i):
            response = session.post(base + "/b2b/json/cart/update", timeout=300, json={
                "jsonrpc": "2.0", "method": "call", "id": i,
                "params": {"line_id": line_id, "quantity": 5 + i % 2, "repriced_line_ids": [],
                           "csrf_token": token},
            })
            result = response.json().get("result") or {}
            assert result.get("ok") and result.get("line_html"), ("in-place update", response.text[:300])

        # In turn, a page then a change: both see the same machine, whatever
        # else it does meanwhile.
        start = os.path.getsize(log_path)
        page_timings, update_timings = [], []
        for i in range(warm_up + count):
            begin = time.perf_counter()
            page()
            middle = time.perf_counter()
            update(i)
            end = time.perf_counter()
            if i >= warm_up:
                page_timings.append(middle - begin)
                update_timings.append(end - middle)
        page_queries = logged_queries(log_path, "/b2b/cart", "GET", 200, start, warm_up + count)[warm_up:]
        update_queries = logged_queries(log_path, "/b2b/json/cart/update", "POST", 200, start, warm_up + count)
    finally:
        delete_cart(connection, buyer_id)
    page_median, update_median = statistics.median(page_timings), statistics.median(update_timings)
    return {"lines": lines, "requests": count,
            "page_median_s": round(page_median, 4), "page_queries": statistics.mode(page_queries),
            "update_median_s": round(update_median, 4), "update_queries": statistics.mode(update_queries[warm_up:]),
            "update_vs_page": round(update_median / page_median, 2)}


def order_lists(base, session, connection, log_path, count, warm_up=3):
    """bench_buyer's lists (made by bench_prepare_shop.py): the list page,
    then all its lines into an empty cart (the cart is deleted in SQL before
    each request, so that each one creates the cart and its lines afresh).
    Median time and usual query count of ``count`` requests of each, after
    ``warm_up`` requests that warm both workers' caches."""
    buyer_id, lists = bench_lists(connection)

    def cart_lines():
        with connection.cursor() as cr:
            cr.execute("""SELECT count(line.id) FROM sale_order o
                            JOIN sale_order_line line ON line.order_id = o.id AND line.display_type IS NULL
                           WHERE o.partner_id = %s AND o.b2b_state = 'cart' AND o.state = 'draft'""", [buyer_id])
            return cr.fetchone()[0]

    def empty_cart():
        delete_cart(connection, buyer_id)

    rows = []
    for list_id, lines in lists:
        page, to_cart = f"/b2b/lists/{list_id}", f"/b2b/lists/{list_id}/to_cart"
        start = os.path.getsize(log_path)
        page_timings, token = [], None
        for i in range(warm_up + count):
            begin = time.perf_counter()
            response = session.get(base + page, timeout=300)
            elapsed = time.perf_counter() - begin
            assert response.status_code == 200, (page, response.status_code)
            assert response.text.count("o_b2b_list_line") == lines, (page, f"does not show {lines} lines")
            token = re.search(r'name="csrf_token" value="([^"]+)"', response.text).group(1)
            if i >= warm_up:
                page_timings.append(elapsed)
        page_queries = logged_queries(log_path, page, "GET", 200, start, warm_up + count)[warm_up:]
        start = os.path.getsize(log_path)
        cart_timings = []
        for i in range(warm_up + count):
            empty_cart()
            begin = time.perf_counter()
            response = session.post(base + to_cart, data={"selection": "all", "csrf_token": token},
                                    allow_redirects=False, timeout=300)
            elapsed = time.perf_counter() - begin
            assert response.status_code == 303, (to_cart, response.status_code)
            assert response.headers["Location"].endswith("/b2b/cart"), (to_cart, response.headers["Location"])
            assert cart_lines() == lines, (to_cart, f"{cart_lines()} cart lines, not {lines}")
            if i >= warm_up:
                cart_timings.append(elapsed)
        empty_cart()
        cart_queries = logged_queries(log_path, to_cart, "POST", 303, start, warm_up + count)[warm_up:]
        rows.append({"lines": lines, "requests": count,
                     "page_median_s": round(statistics.median(page_timings), 4),
                     "page_queries": statistics.mode(page_queries),
                     "to_cart_median_s": round(statistics.median(cart_timings), 4),
                     "to_cart_queries": statistics.mode(cart_queries),
                     "page_queries_seen": sorted(set(page_queries)),
                     "to_cart_queries_seen": sorted(set(cart_queries))})
    return rows


def scaling(base, scale_path, log_path, count):
    """The catalog page (40 products) for customers whose catalogs hold more
    and more products: its time should stay flat. Users take turns, so that
    every size sees the same machine."""
    with open(scale_path, encoding="utf-8") as scale_file:
        scale = sorted(json.load(scale_file).items(), key=lambda item: item[1])
    url = "/b2b/catalog?ppg=40"
    sessions = {user: login(base, user) for user, _products in scale}
    timings = {user: [] for user, _products in scale}
    for user, _products in scale:  # warm up both workers
        time_page(sessions[user], base + url, 4, "o_b2b_product_row")
    for _i in range(count):
        for user, _products in scale:
            timings[user] += time_page(sessions[user], base + url, 1, "o_b2b_product_row")
    # Requests were sequential, in turn: the last log lines follow that order.
    queries = queries_per_request(log_path, url)[-count * len(scale):]
    return [{"catalog_products": products, "median_s": round(statistics.median(timings[user]), 4),
             "p90_s": round(percentile(timings[user], 90), 4),
             "queries": statistics.mode(queries[index::len(scale)])}
            for index, (user, products) in enumerate(scale)]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--port", type=int, default=8369)
    parser.add_argument("--log", required=True)
    parser.add_argument("--json", required=True)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--list-requests", type=int, default=5,
                        help="measured requests of each list page and list to cart (after 3 to warm up)")
    parser.add_argument("--scaling", action="store_true",
                        help="only the catalog page against catalog size (users in JSON.scale)")
    parser.add_argument("--only", choices=["catalog", "cart"],
                        help="catalog: only the catalog page against /shop and /my/orders; "
                             "cart: only the cart page against an in-place change of one line")
    parser.add_argument("odoo", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    base = f"http://127.0.0.1:{args.port}"
    server = subprocess.Popen(  # noqa: S603  (our own Odoo command line)
        [*args.odoo, "-d", args.db, "--db-filter", f"^{args.db}$", "--workers", "2", "--max-cron-threads", "0",
         "--http-port", str(args.port), "--gevent-port", str(args.port + 1), "--logfile", args.log,
         "--limit-time-real", "600", "--limit-memory-hard", str(4 * 1024**3)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _i in range(240):
            try:
                if requests.get(base + "/web/login", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.5)
        if args.scaling:
            result = {"scaling": scaling(base, args.json + ".scale", args.log, args.requests)}
            return report(args.json, result)
        session = login(base)
        connection = psycopg2.connect(**db_params(args.odoo, args.db))
        connection.autocommit = True
        try:
            if args.only == "cart":
                result = {"cart_in_place": [cart_in_place(base, session, connection, args.log, args.requests, size)
                                            for size in (60, 200)]}
                return report(args.json, result)
            result = pages_against_peers(base, session, args.log, args.requests, my_orders_count(connection))
            if args.only == "catalog":
                return report(args.json, result)
            product_ids = [int(pid) for pid in re.findall(r'class="o_b2b_product_row"[^>]*data-product-id="(\d+)"',
                                                          session.get(base + "/b2b/catalog?ppg=40").text)]
            assert product_ids, "no product row on the catalog page"
            result["lists"] = order_lists(base, session, connection, args.log, args.list_requests)
            # A hotel kitchen's weekly order of 60 lines, and one of 200.
            result["cart_in_place"] = [cart_in_place(base, session, connection, args.log, args.requests, size)
                                       for size in (60, 200)]
        finally:
            connection.close()
        result["load"] = load(base, buyers=6, iterations=15, product_ids=product_ids)
        return report(args.json, result)
    finally:
        server.terminate()
        server.wait(30)


def report(json_path, result):
    if "scaling" in result:
        for row in result["scaling"]:
            print(f"catalog page with {row['catalog_products']:>6} products in the catalog: "
                  f"median {row['median_s']:.3f} s, p90 {row['p90_s']:.3f} s, queries {row['queries']}")
        rows = result["scaling"]
        if len(rows) > 1:
            print(f"largest / smallest catalog median time: {rows[-1]['median_s'] / rows[0]['median_s']:.2f}")
        return _merge(json_path, result)
    if "catalog_page" in result:
        print(f"catalog page (40 products): median {result['catalog_page']['median_s']:.3f} s, "
              f"p90 {result['catalog_page']['p90_s']:.3f} s, queries {result['catalog_page']['queries']}")
        print(f"/shop        (40 products): median {result['shop_page']['median_s']:.3f} s, "
              f"p90 {result['shop_page']['p90_s']:.3f} s, queries {result['shop_page']['queries']}")
        orders = result["my_orders_page"]
        print(f"/my/orders   ({orders['orders']:>2} orders):   median {orders['median_s']:.3f} s, "
              f"p90 {orders['p90_s']:.3f} s, queries {orders['queries']}")
        print(f"catalog / shop median time: {result['catalog_vs_shop']}")
        print(f"catalog / my orders median time: {result['catalog_vs_my_orders']}")
    for row in result.get("lists", []):
        print(f"list page    ({row['lines']:>5} lines): median {row['page_median_s']:.3f} s, "
              f"queries {row['page_queries']} (seen {row['page_queries_seen']})")
        print(f"list to cart ({row['lines']:>5} lines): median {row['to_cart_median_s']:.3f} s, "
              f"queries {row['to_cart_queries']} (seen {row['to_cart_queries_seen']})")
    for row in result.get("cart_in_place", []):
        print(f"cart page    ({row['lines']:>5} lines): median {row['page_median_s']:.3f} s, "
              f"queries {row['page_queries']}")
        print(f"in-place change of a line: median {row['update_median_s']:.3f} s, queries {row['update_queries']}, "
              f"{row['update_vs_page']} of the cart page")
    if "load" in result:
        print(f"load: {json.dumps(result['load'])}")
    return _merge(json_path, result)


def _merge(json_path, result):
    with open(json_path, encoding="utf-8") as existing:
        data = json.load(existing)
    data.setdefault("http", {}).update(result)
    with open(json_path, "w", encoding="utf-8") as out:
        json.dump(data, out, indent=2)


if __name__ == "__main__":
    main()
