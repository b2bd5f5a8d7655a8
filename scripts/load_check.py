"""Load: many concurrent buyers, each with its own login, on Odoo with several
workers reading from a real PostgreSQL streaming replica.

On a database with b2b_portal installed, creates once (through RPC, kept for
the next runs) a catalog of a few hundred products in several categories,
with tier prices, volume breaks, some customer exceptions and stock, and
``--buyers`` buyer logins spread over several customer companies on different
price tiers. Starts the standby (``scripts/replica.sh start``) if it is not
running, then Odoo with ``--workers`` workers and ``--db_replica_host``, logs
every buyer in, and for ``--duration`` seconds each buyer, in its own thread
and session, goes round: dashboard, a catalog page, a catalog search, a
product page, add to cart by the form and in place (the JSON route, with the
page's CSRF token), the cart page, a quantity changed in place, and every
``--submit-every`` rounds a submit and the order's page; between two
requests it "reads" for a random time around ``--think`` seconds.

An error is any status but the expected one (200, or 303 for the forms), a
JSON error or refusal, or a page without its marker. Prints p50, p95, p99,
max, requests/s and errors, per route p50/p95, the share of transactions and
table scans each database server answered (``pg_stat_database`` and
``pg_stat_user_tables`` deltas, as the replica check reads them) and the
server log's ERROR lines; then "load: N passed, N failed". Stops Odoo, and
the standby if it started it. Reuses the replica and multi-worker checks'
helpers and the benchmark's percentile.
"""

import argparse
import collections
import json
import os
import random
import re
import sys
import threading
import time

import requests

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "bench"))
import multiworker_check as mw  # noqa: E402  (the same folder)
import replica_check as rc  # noqa: E402
from bench_http import percentile  # noqa: E402

PREFIX = "load"  # logins load_buyer_<n>, references LOAD-<n>, companies "Load customer <n>"
PRODUCTS = 300
CATEGORIES = 6
PPG = 20
CSRF = re.compile(r'csrf_token: "([^"]+)"')
SERVED = re.compile(r'HTTP/1\.1" \d+ - (\d+) ([\d.]+) ([\d.]+) (ro|rw)$')


class LoadChecks(rc.ReplicaChecks):
    def __init__(self, server, db, primary, standby, args):
        super().__init__(server, db, primary, standby, samples=0, delay="0")
        self.args = args
        self.figures = {}

    # Set-up ------------------------------------------------------------

    def setup(self):
        """The catalog and the buyers, made once; later runs reuse them."""
        rpc = self.rpc = rc.Rpc(self.server.base, self.db)
        rc.Rpc.after_write = self.wait_replayed  # the set-up's reads may come from the standby
        try:
            self.products = rpc("product.product", "search", [("default_code", "=like", "LOAD-%")],
                                order="default_code")
            if len(self.products) < PRODUCTS:
                self.create_catalog()
            self.logins = [f"{PREFIX}_buyer_{index}" for index in range(self.args.buyers)]
            existing = {user["login"] for user in rpc("res.users", "search_read", [("login", "in", self.logins)],
                                                      ["login"])}
            missing = [login for login in self.logins if login not in existing]
            if missing:
                self.create_buyers(missing)
        finally:
            rc.Rpc.after_write = None
        self.wait_replayed()

    def create_catalog(self):
        rpc, rng = self.rpc, random.Random(15)  # noqa: S311 (reproducible data)
        categories = rpc("product.category", "create", [{"name": f"Load category {i}"} for i in range(CATEGORIES)])
        self.products = rpc("product.product", "create", [{
            "name": f"Load product {i:03d}", "default_code": f"LOAD-{i:03d}",
            "list_price": round(rng.uniform(2, 150), 2), "categ_id": categories[i % CATEGORIES],
            "is_storable": True, "taxes_id": [(5, 0, 0)],
        } for i in range(PRODUCTS)])
        products = rpc("product.product", "read", self.products, ["product_tmpl_id", "list_price"])
        tiers = rpc("b2b.price.tier", "search", [], order="sequence")
        rpc("b2b.tier.price", "create", [
            {"product_tmpl_id": p["product_tmpl_id"][0], "tier_id": tier,
             "price": round(p["list_price"] * (0.7 + 0.05 * n), 2)}
            for p in products[::3] + products[1::3] for n, tier in enumerate(tiers)])
        rpc("b2b.volume.break", "create", [
            {"product_tmpl_id": p["product_tmpl_id"][0], "min_qty": 10, "price_type": "discount", "discount": 5}
            for p in products[::10]])
        [warehouse] = rpc("stock.warehouse", "search_read", [], ["lot_stock_id"], limit=1)
        quants = rpc("stock.quant", "create", [
            {"product_id": product, "location_id": warehouse["lot_stock_id"][0],
             "inventory_quantity": 5000 + index}
            for index, product in enumerate(self.products) if index % 15],  # one in fifteen out of stock
            context={"inventory_mode": True})
        rpc("stock.quant", "action_apply_inventory", quants)

    def create_buyers(self, logins):
        rpc = self.rpc
        tiers = rpc("b2b.price.tier", "search", [], order="sequence")
        [portal] = rpc("ir.model.data", "search_read", [("module", "=", "base"), ("name", "=", "group_portal")],
                       ["res_id"])
        templates = [p["product_tmpl_id"][0] for p in rpc("product.product", "read", self.products[:40],
                                                          ["product_tmpl_id"])]
        companies = {}
        for login in logins:
            index = int(login.rsplit("_", 1)[1])
            number = index % self.args.companies
            if number not in companies:
                [found] = rpc("res.partner", "search", [("name", "=", f"Load customer {number}"),
                                                         ("is_company", "=", True)]) or [None]
                companies[number] = found or rpc("res.partner", "create", {
                    "name": f"Load customer {number}", "is_company": True,
                    "b2b_price_tier_id": tiers[number % len(tiers)]})
                if not found:  # a few negotiated prices for each customer
                    rpc("b2b.price.exception", "create", [
                        {"partner_id": companies[number], "product_tmpl_id": tmpl, "fixed_price": 1.5 + number}
                        for tmpl in templates[number::self.args.companies]])
        for start in range(0, len(logins), 10):
            batch = logins[start:start + 10]
            partners = rpc("res.partner", "create", [
                {"name": login, "parent_id": companies[int(login.rsplit("_", 1)[1]) % self.args.companies],
                 "email": f"{login}@load.example.com"} for login in batch])
            rpc("res.users", "create", [
                {"name": login, "login": login, "password": login, "partner_id": partner,
                 "groups_id": [(6, 0, [portal["res_id"]])]} for login, partner in zip(batch, partners, strict=True)])

    # The load ----------------------------------------------------------

    def test_load(self):
        args = self.args
        sessions = [None] * len(self.logins)
        indices, lock = iter(range(len(self.logins))), threading.Lock()

        def log_in():  # before the measure: a login hashes the password, which costs CPU
            with lock:
                index = next(indices)
            sessions[index] = mw.buyer_session(self.server.base, self.logins[index])

        mw.parallel(len(self.logins), log_in)
        # Every worker loads the registry and its caches before the measure.
        mw.fetch_many(sessions[0], f"{self.server.base}/b2b/catalog?ppg={PPG}", 4 * args.workers)
        self.wait_replayed()
        before = self.quiet_stats()
        log_start = os.path.getsize(self.server.log)
        deadline = time.monotonic() + args.duration
        started = time.monotonic()
        buyers = [Buyer(self, index, session, deadline) for index, session in enumerate(sessions)]
        threads = [threading.Thread(target=buyer.run) for buyer in buyers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        timings, errors = collections.defaultdict(list), []
        for buyer in buyers:
            errors += buyer.errors
            for route, values in buyer.timings.items():
                timings[route] += values
        after = self.quiet_stats()
        primary, standby = ({key: new[key] - old[key] for key in new} for old, new in zip(before, after, strict=True))
        with open(self.server.log, encoding="utf-8") as log:
            log.seek(log_start)
            lines = log.readlines()
        log_errors = [line.rstrip() for line in lines if " ERROR " in line or " CRITICAL " in line]
        # Odoo 18's request line ends with: queries, query time, other time, ro|rw (the cursor it used).
        served = [match.groups() for match in map(SERVED.search, lines) if match]
        self.report(timings, errors, elapsed, primary, standby, log_errors, served)
        assert not errors, f"{len(errors)} errors, first: {errors[:5]}"
        assert not log_errors, f"{len(log_errors)} ERROR lines in the server log, first: {log_errors[:3]}"

    def report(self, timings, errors, elapsed, primary, standby, log_errors, served):
        every = [t for values in timings.values() for t in values]
        count = len(every)
        out = self.measures
        out.append(f"{self.args.buyers} buyers ({self.args.companies} companies), {self.args.workers} workers, "
                   f"{self.args.duration} s, think time {self.args.think} s (0.5x to 1.5x): {count} requests, "
                   f"{count / elapsed:.1f} requests/s, {len(errors)} errors")
        if every:
            out.append("all requests: p50 {:.3f} s, p95 {:.3f} s, p99 {:.3f} s, max {:.3f} s".format(
                *(percentile(every, pct) for pct in (50, 95, 99)), max(every)))
        for route, values in sorted(timings.items()):
            out.append(f"  {route:<28} {len(values):>5} requests, p50 {percentile(values, 50):.3f} s, "
                       f"p95 {percentile(values, 95):.3f} s")
        for key in ("xact_commit", "table_scans", "tup_returned"):
            total = primary[key] + standby[key]
            share = standby[key] / total * 100 if total else 0.0
            out.append(f"{key}: standby {standby[key]}, primary {primary[key]} ({share:.0f}% on the standby)")
        for cursor, where in (("ro", "the standby (read-only cursor)"), ("rw", "the primary")):
            rows = [row for row in served if row[3] == cursor]
            if rows:
                out.append(f"server log: {len(rows)} of {len(served)} requests answered from {where}, "
                           f"{sum(int(r[0]) for r in rows) / len(rows):.0f} queries and "
                           f"{sum(float(r[1]) + float(r[2]) for r in rows) / len(rows):.3f} s in the worker on average")
        out.append(f"rows written on the primary: {primary['tup_inserted']} inserted, {primary['tup_updated']} "
                   f"updated, {primary['tup_deleted']} deleted; on the standby: "
                   f"{standby['tup_inserted'] + standby['tup_updated'] + standby['tup_deleted']}")
        out.append(f"server log: {len(log_errors)} ERROR lines")
        for route, problem in collections.Counter(errors).most_common(10):
            out.append(f"  error {route}: {problem}")
        for line in log_errors[:5]:
            out.append(f"  log: {line[:300]}")


class Buyer:
    """One buyer's rounds in its own thread and session, until ``deadline``."""

    def __init__(self, checks, index, session, deadline):
        self.base, self.args, self.products = checks.server.base, checks.args, checks.products
        self.index, self.session, self.deadline = index, session, deadline
        self.timings, self.errors = collections.defaultdict(list), []
        self.rng = random.Random(index)  # noqa: S311 (not security)
        self.token = None

    def call(self, route, method, path, expect, marker=None, data=None, payload=None):
        """One request, timed and checked; the page's CSRF token kept.
        :return: the response, or None on an error (counted)."""
        start = time.perf_counter()
        try:
            if payload is not None:
                response = self.session.post(self.base + path, json={
                    "jsonrpc": "2.0", "method": "call", "id": 1, "params": {**payload, "csrf_token": self.token}},
                    timeout=self.args.timeout)
            else:
                response = self.session.request(method, self.base + path, data=data, allow_redirects=False,
                                                timeout=self.args.timeout)
        except requests.RequestException as error:
            self.errors.append((route, type(error).__name__))
            return None
        finally:
            self.timings[route].append(time.perf_counter() - start)
        problem = None
        if response.status_code != expect:
            problem = response.status_code
        elif payload is not None:
            body = response.json()
            result = body.get("result") or {}
            if body.get("error") or not result.get("ok"):
                problem = f"JSON {json.dumps(body.get('error') or result)[:200]}"
        elif marker and marker not in response.text:
            problem = f"no {marker}"
        if problem is not None:
            self.errors.append((route, problem))
            return None
        found = CSRF.search(response.text) if expect == 200 and payload is None else None
        if found:
            self.token = found.group(1)
        return response

    def think(self):
        time.sleep(self.rng.uniform(0.5, 1.5) * self.args.think)

    def live(self):
        return time.monotonic() < self.deadline

    def run(self):
        round_ = 0
        while self.live():
            round_ += 1
            product = self.browse()
            if product and self.live():
                self.order(product, submit=(round_ + self.index) % self.args.submit_every == 0)

    def browse(self):
        """Dashboard, a catalog page, a search, a product page: the product, or None."""
        rng = self.rng
        product = self.products[rng.randrange(len(self.products))]
        steps = (
            ("/b2b", "/b2b", "o_b2b_pending_count"),
            ("/b2b/catalog", f"/b2b/catalog?ppg={PPG}&page={1 + rng.randrange(PRODUCTS // PPG)}", "o_b2b_product_row"),
            ("/b2b/catalog?search", f"/b2b/catalog?ppg={PPG}&search=Load+product+{rng.randrange(30):02d}",
             "o_b2b_product_row"),
            ("/b2b/product/<id>", f"/b2b/product/{product}", "o_b2b_product_page"),
        )
        for route, path, marker in steps:
            if not self.live() or not self.call(route, "GET", path, 200, marker):
                return None
            self.think()
        return product

    def order(self, product, submit):
        """Add by the form and in place, the cart, a quantity changed in place; a submit now and then."""
        rng = self.rng
        self.call("/b2b/cart/add", "POST", "/b2b/cart/add", 303, data={
            "product_id": product, "add_qty": str(1 + rng.randrange(5)), "csrf_token": self.token,
            "redirect": f"/b2b/product/{product}"})
        self.think()
        self.call("/b2b/json/cart/add", "POST", "/b2b/json/cart/add", 200, payload={
            "product_id": self.products[rng.randrange(len(self.products))], "add_qty": 1})
        self.think()
        cart = self.call("/b2b/cart", "GET", "/b2b/cart", 200, "o_b2b_cart_line")
        if cart is None:
            return
        self.think()
        lines = re.findall(r'data-line-id="(\d+)"', cart.text)
        if lines:
            self.call("/b2b/json/cart/update", "POST", "/b2b/json/cart/update", 200, payload={
                "line_id": int(rng.choice(lines)), "quantity": 2 + rng.randrange(8)})
            self.think()
        if not submit or not self.live():
            return
        sent = self.call("/b2b/cart/submit", "POST", "/b2b/cart/submit", 303, data={
            "client_order_ref": f"LOAD-{self.index}-{int(time.time() * 1000)}", "accept_price_changes": "1",
            "csrf_token": self.token})
        if sent is None:
            return
        location = sent.headers.get("Location", "")
        if "/submitted" not in location:
            self.errors.append(("/b2b/cart/submit", f"sent to {location}"))
            return
        self.think()
        self.call("/b2b/order/<id>/submitted", "GET", location.replace(self.base, ""), 200, "o_b2b_submitted")
        self.think()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True, help="a database with b2b_portal installed")
    parser.add_argument("--port", type=int, default=8469)
    parser.add_argument("--log", required=True)
    parser.add_argument("--replica-port", type=int, default=int(os.environ.get("B2B_REPLICA_PORT", "5433")))
    parser.add_argument("--buyers", type=int, default=50)
    parser.add_argument("--companies", type=int, default=10)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--duration", type=int, default=120, help="seconds of load")
    parser.add_argument("--think", type=float, default=5.0, help="mean seconds a buyer reads a page before the next")
    parser.add_argument("--submit-every", type=int, default=2,
                        help="a submit every N rounds of a buyer (staggered: some buyers in their first round)")
    parser.add_argument("--timeout", type=float, default=120, help="seconds a request may take")
    parser.add_argument("odoo", nargs=argparse.REMAINDER, help="command that runs Odoo with its -c config")
    args = parser.parse_args()
    os.environ["B2B_REPLICA_PORT"] = str(args.replica_port)
    started = rc.replica_sh("status").returncode != 0
    primary = rc.Pg(int(os.environ.get("PGPORT", "5432")), args.db)
    standby = rc.Pg(args.replica_port, args.db)
    server = mw.Server([*args.odoo, "-d", args.db, "--db-filter", f"^{args.db}$", "--db_replica_host", "localhost",
                        "--db_replica_port", str(args.replica_port)], args.port, args.log,
                       workers=args.workers, limit_time_real=600)
    checks = LoadChecks(server, args.db, primary, standby, args)
    t0 = time.monotonic()
    try:
        checks.check("standby started and streaming", lambda: checks.set_delay("0"))
        if checks.results[-1][1]:
            server.start()
            checks.check("set-up through RPC", checks.setup)
        if all(ok for _name, ok in checks.results):
            checks.check(f"{args.buyers} buyers for {args.duration} s on {args.workers} workers with the replica",
                         checks.test_load)
    finally:
        server.stop()
        rc.replica_sh("stop" if started else "start", "0")
    sys.exit(rc.report("load", checks, t0))


if __name__ == "__main__":
    main()
