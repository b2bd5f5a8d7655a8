"""Checks that need a real Odoo server with several workers, run by the test
command after Odoo's own test runner, on the same database:

- live data across workers: a tier price, an exception, a catalog and a stock
  quantity changed through RPC show on every following page load, whichever
  worker answers (the server log tells which worker served each request);
- concurrency: 20 parallel add-to-cart requests sum exactly, two parallel
  submits of one cart make one order, a price changed between add and submit
  reaches the buyer before the order is sent, two buyers of one company
  submitting at once never both pass a company budget that fits one order;
- durability: a cart survives a server restart; an order is kept when the
  mail server is down.

Requests go to 127.0.0.1 only, in bounded numbers. Prints one line per check
and a closing "N passed, N failed" line; exits 1 on any failure.
"""

import argparse
import concurrent.futures
import re
import subprocess
import sys
import time
import traceback

import requests

BUYER = f"mw_buyer_{int(time.time())}"  # unique: the checks may run twice on one database


class Server:
    def __init__(self, cmd, port, log, workers=2, limit_time_real=120):
        self.cmd, self.port, self.log, self.proc = cmd, port, log, None
        self.workers, self.limit_time_real = workers, limit_time_real
        self.base = f"http://127.0.0.1:{port}"

    def start(self):
        self.proc = subprocess.Popen(  # noqa: S603  (our own Odoo command line)
            [*self.cmd, "--workers", str(self.workers), "--max-cron-threads", "0", "--http-port", str(self.port),
             "--gevent-port", str(self.port + 1), "--logfile", self.log, "--log-level", "info",
             "--limit-time-real", str(self.limit_time_real)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        for _ in range(120):
            try:
                if requests.get(self.base + "/web/login", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.5)
        raise RuntimeError("the multi-worker server did not start")

    def stop(self):
        if self.proc:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
            self.proc = None


class Rpc:
    def __init__(self, base, db):
        self.base, self.session = base, requests.Session()
        result = self.session.post(base + "/web/session/authenticate", json={
            "jsonrpc": "2.0", "params": {"db": db, "login": "admin", "password": "admin"}}, timeout=30).json()
        if result.get("error"):
            raise RuntimeError(f"admin login failed: {result['error']}")

    def __call__(self, model, method, *args, **kwargs):
        result = self.session.post(f"{self.base}/web/dataset/call_kw/{model}/{method}", json={
            "jsonrpc": "2.0", "method": "call",
            "params": {"model": model, "method": method, "args": list(args), "kwargs": kwargs}}, timeout=60).json()
        if result.get("error"):
            raise RuntimeError(result["error"]["data"]["message"])
        return result.get("result")


def buyer_session(base, login=BUYER):
    session = requests.Session()
    page = session.get(base + "/web/login", timeout=30)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    response = session.post(base + "/web/login", data={"login": login, "password": login, "csrf_token": token},
                            timeout=30)
    if "/b2b" not in response.url:
        raise RuntimeError(f"buyer login landed on {response.url}")
    return session


def csrf(session, base):
    return re.search(r'csrf_token: "([^"]+)"', session.get(base + "/b2b/cart", timeout=30).text).group(1)


def parallel(count, func):
    with concurrent.futures.ThreadPoolExecutor(max_workers=min(count, 8)) as pool:
        return list(pool.map(lambda _i: func(), range(count)))


def fetch_many(session, url, count=12):
    """Load a page ``count`` times, four at a time, each on its own connection."""
    cookies = session.cookies.get_dict()

    def load():
        response = requests.get(url, cookies=cookies, headers={"Connection": "close"}, timeout=60)
        return response.status_code, response.text

    return parallel(count, load)


class Checks:
    def __init__(self, server, db):
        self.server, self.db, self.results = server, db, []

    def check(self, name, func):
        try:
            func()
        except Exception as error:  # report every failure, then go on
            self.results.append((name, False))
            print(f"FAIL {name}: {error}")
            traceback.print_exc(limit=3)
        else:
            self.results.append((name, True))
            print(f"ok   {name}")

    # ------------------------------------------------------------------

    def setup(self):
        rpc = self.rpc = Rpc(self.server.base, self.db)
        [tier_b] = rpc("b2b.price.tier", "search", [("code", "=", "B")])
        self.tier_b = tier_b
        [portal] = rpc("ir.model.data", "search_read", [("module", "=", "base"), ("name", "=", "group_portal")],
                       ["res_id"])
        self.portal = portal
        categ = rpc("product.category", "create", {"name": "MW drinks"})
        self.other_categ = rpc("product.category", "create", {"name": "MW tools"})
        self.product = rpc("product.product", "create", {
            "name": "MW Cola", "default_code": f"MW-{BUYER}", "list_price": 20.0, "is_storable": True,
            "categ_id": categ, "taxes_id": [(5, 0, 0)]})
        [tmpl] = rpc("product.product", "read", [self.product], ["product_tmpl_id"])
        self.tier_price = rpc("b2b.tier.price", "create", {
            "product_tmpl_id": tmpl["product_tmpl_id"][0], "tier_id": tier_b, "price": 16.0})
        self.company = rpc("res.partner", "create", {"name": "MW Company", "is_company": True,
                                                     "b2b_price_tier_id": tier_b})
        self.buyer = rpc("res.partner", "create", {"name": "MW Buyer", "parent_id": self.company})
        rpc("res.users", "create", {"name": "MW Buyer", "login": BUYER, "password": BUYER, "partner_id": self.buyer,
                                    "groups_id": [(6, 0, [portal["res_id"]])]})
        [warehouse] = rpc("stock.warehouse", "search_read", [], ["lot_stock_id"], limit=1)
        self.stock_location = warehouse["lot_stock_id"][0]
        self.set_stock(100)
        self.session = buyer_session(self.server.base)

    def set_stock(self, quantity):
        quant = self.rpc("stock.quant", "create", {
            "product_id": self.product, "location_id": self.stock_location, "inventory_quantity": quantity,
        }, context={"inventory_mode": True})
        self.rpc("stock.quant", "action_apply_inventory", [quant])

    def product_pages(self):
        return fetch_many(self.session, f"{self.server.base}/b2b/product/{self.product}")

    def expect_everywhere(self, present, absent=None, status=200):
        pages = self.product_pages()
        assert all(code == status for code, _text in pages), f"statuses {[code for code, _t in pages]}"
        if present:
            missing = sum(present not in text for _code, text in pages)
            assert not missing, f"{missing} of {len(pages)} pages lack {present!r}"
        if absent:
            stale = sum(absent in text for _code, text in pages)
            assert not stale, f"{stale} of {len(pages)} pages still show {absent!r}"

    def test_live_price(self):
        self.expect_everywhere("16.00")
        self.rpc("b2b.tier.price", "write", [self.tier_price], {"price": 15.25})
        self.expect_everywhere("15.25", "16.00")

    def test_live_exception(self):
        [tmpl] = self.rpc("product.product", "read", [self.product], ["product_tmpl_id"])
        self.exception = self.rpc("b2b.price.exception", "create", {
            "partner_id": self.company, "product_tmpl_id": tmpl["product_tmpl_id"][0], "fixed_price": 14.1})
        self.expect_everywhere("14.10", "15.25")
        self.rpc("b2b.price.exception", "unlink", [self.exception])
        self.expect_everywhere("15.25", "14.10")

    def test_live_stock(self):
        self.expect_everywhere("In stock: 100")
        self.set_stock(37)
        self.expect_everywhere("37", "In stock: 100")

    def test_live_catalog(self):
        catalog = self.rpc("b2b.catalog", "create", {"name": "MW tools only",
                                                     "categ_ids": [(6, 0, [self.other_categ])]})
        self.rpc("res.partner", "write", [self.company], {"b2b_catalog_ids": [(6, 0, [catalog])]})
        self.expect_everywhere(None, status=404)
        self.rpc("res.partner", "write", [self.company], {"b2b_catalog_ids": [(5, 0, 0)]})
        self.expect_everywhere("MW Cola")

    def test_both_workers_answered(self):
        with open(self.server.log, encoding="utf-8") as log:
            pids = {line.split()[2] for line in log if f"GET /b2b/product/{self.product}" in line}
        assert len(pids) >= 2, f"only worker(s) {pids} answered"

    def cart(self):
        return self.rpc("sale.order", "search_read", [("partner_id", "=", self.buyer), ("b2b_state", "=", "cart")],
                        ["order_line", "amount_untaxed"])

    def orders(self, reference):
        return self.rpc("sale.order", "search_read", [("client_order_ref", "=", reference)], ["b2b_state"])

    def lines(self, order_ids):
        return self.rpc("sale.order.line", "search_read", [("order_id", "in", order_ids)],
                        ["product_uom_qty", "price_unit"])

    def post(self, path, data, session=None):
        session = session or self.session
        token = csrf(session, self.server.base)
        cookies = session.cookies.get_dict()

        def send():
            return requests.post(self.server.base + path, data={**data, "csrf_token": token}, cookies=cookies,
                                 headers={"Connection": "close"}, timeout=120)
        return send

    def test_parallel_add_to_cart_sums(self):
        responses = parallel(20, self.post("/b2b/cart/add", {"product_id": self.product, "add_qty": "1"}))
        assert all(r.status_code == 200 for r in responses), [r.status_code for r in responses]
        carts = self.cart()
        assert len(carts) == 1, f"{len(carts)} carts"
        [line] = self.lines([carts[0]["id"]])
        assert line["product_uom_qty"] == 20, f"quantity {line['product_uom_qty']}, not 20"

    def test_parallel_submits_make_one_order(self):
        [cart] = self.cart()
        responses = parallel(2, self.post("/b2b/cart/submit", {"client_order_ref": f"PO-MW-DOUBLE-{BUYER}"}))
        assert all(r.status_code == 200 for r in responses), [r.status_code for r in responses]
        orders = self.orders(f"PO-MW-DOUBLE-{BUYER}")
        assert [o["b2b_state"] for o in orders] == ["pending"], orders
        assert orders[0]["id"] == cart["id"]
        assert not self.cart(), "a cart is left"

    def test_price_change_between_add_and_submit(self):
        self.post("/b2b/cart/add", {"product_id": self.product, "add_qty": "2"})()
        submit = self.post("/b2b/cart/submit", {"client_order_ref": f"PO-MW-PRICE-{BUYER}"})  # page seen before
        self.rpc("b2b.tier.price", "write", [self.tier_price], {"price": 12.5})
        response = submit()
        assert "changed from" in response.text, "the buyer was not told"
        [cart] = self.cart()
        assert self.lines([cart["id"]])[0]["price_unit"] == 12.5
        self.post("/b2b/cart/submit", {"client_order_ref": f"PO-MW-PRICE-{BUYER}"})()
        orders = self.orders(f"PO-MW-PRICE-{BUYER}")
        assert [o["b2b_state"] for o in orders] == ["pending"], orders

    def test_office_approves_while_buyer_edits(self):
        [pending] = self.orders(f"PO-MW-PRICE-{BUYER}")
        before = sorted((line["product_uom_qty"], line["price_unit"]) for line in self.lines([pending["id"]]))
        add = self.post("/b2b/cart/add", {"product_id": self.product, "add_qty": "1"})
        with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
            adds = [pool.submit(add) for _i in range(6)]
            approval = pool.submit(self.rpc, "sale.order", "action_b2b_approve", [pending["id"]])
            approval.result()
            assert all(future.result().status_code == 200 for future in adds)
        [approved] = self.rpc("sale.order", "read", [pending["id"]], ["b2b_state", "state", "picking_ids"])
        assert (approved["b2b_state"], approved["state"]) == ("approved", "sale"), approved
        assert approved["picking_ids"], "no delivery"
        after = sorted((line["product_uom_qty"], line["price_unit"]) for line in self.lines([pending["id"]]))
        assert after == before, f"the approved order changed: {before} -> {after}"
        [cart] = self.cart()
        assert [line["product_uom_qty"] for line in self.lines([cart["id"]])] == [6]

    def test_company_budget_holds_under_parallel_submits(self):
        """Two buyers of one company submit at the same moment, and the
        company's monthly budget fits only one of the orders: one goes to the
        distributor, the other waits for the company's administrator."""
        rpc, tag = self.rpc, f"{BUYER}_budget"
        company = rpc("res.partner", "create", {"name": "MW Budget Company", "is_company": True,
                                                "b2b_price_tier_id": self.tier_b})
        sessions = []
        for index, role in enumerate(("admin", "buyer", "buyer")):
            login = f"{tag}_{index}"
            partner = rpc("res.partner", "create", {"name": f"MW {role} {index}", "parent_id": company,
                                                    "b2b_role": role, "email": f"{login}@mw.example.com"})
            rpc("res.users", "create", {"name": login, "login": login, "password": login, "partner_id": partner,
                                        "groups_id": [(6, 0, [self.portal["res_id"]])]})
            if index:
                session = buyer_session(self.server.base, login)
                self.post("/b2b/cart/add", {"product_id": self.product, "add_qty": "2"}, session)()
                sessions.append(session)
        carts = rpc("sale.order", "search_read", [("partner_id", "child_of", company), ("b2b_state", "=", "cart")],
                    ["amount_total"])
        assert len(carts) == 2, carts
        rpc("res.partner", "write", [company], {"b2b_company_monthly_budget": carts[0]["amount_total"] * 1.5})
        submits = [self.post("/b2b/cart/submit", {"client_order_ref": f"PO-MW-BUDGET-{BUYER}"}, session)
                   for session in sessions]
        with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
            responses = list(pool.map(lambda submit: submit(), submits))
        assert all(r.status_code == 200 for r in responses), [r.status_code for r in responses]
        states = sorted(o["b2b_state"] for o in self.orders(f"PO-MW-BUDGET-{BUYER}"))
        assert states == ["company_pending", "pending"], states

    def test_credit_limit_holds_under_parallel_submits(self):
        """Two buyers of a customer on "refuse the order" submit at the same
        moment, and its credit fits only one of the orders: one is sent, the
        other is refused with the reason, and the credit is never passed."""
        rpc, tag = self.rpc, f"{BUYER}_credit"
        company = rpc("res.partner", "create", {"name": "MW Credit Company", "is_company": True,
                                                "b2b_price_tier_id": self.tier_b, "b2b_credit_policy": "block"})
        sessions = []
        for index in range(2):
            login = f"{tag}_{index}"
            partner = rpc("res.partner", "create", {"name": f"MW credit buyer {index}", "parent_id": company,
                                                    "email": f"{login}@mw.example.com"})
            rpc("res.users", "create", {"name": login, "login": login, "password": login, "partner_id": partner,
                                        "groups_id": [(6, 0, [self.portal["res_id"]])]})
            session = buyer_session(self.server.base, login)
            self.post("/b2b/cart/add", {"product_id": self.product, "add_qty": "2"}, session)()
            sessions.append(session)
        carts = rpc("sale.order", "search_read", [("partner_id", "child_of", company), ("b2b_state", "=", "cart")],
                    ["amount_total", "company_id"])
        assert len(carts) == 2, carts
        rpc("res.company", "write", [carts[0]["company_id"][0]], {"account_use_credit_limit": True})
        rpc("res.partner", "write", [company], {"credit_limit": carts[0]["amount_total"] * 1.5})
        submits = [self.post("/b2b/cart/submit", {"client_order_ref": f"PO-MW-CREDIT-{BUYER}"}, session)
                   for session in sessions]
        try:
            with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
                responses = list(pool.map(lambda submit: submit(), submits))
        finally:
            rpc("res.company", "write", [carts[0]["company_id"][0]], {"account_use_credit_limit": False})
        assert all(r.status_code == 200 for r in responses), [r.status_code for r in responses]
        states = [o["b2b_state"] for o in self.orders(f"PO-MW-CREDIT-{BUYER}")]
        assert states == ["pending"], states
        refused = [r for r in responses if "available credit" in r.text]
        assert len(refused) == 1, "the second buyer was not told why"

    def test_cart_survives_restart(self):
        self.post("/b2b/cart/add", {"product_id": self.product, "add_qty": "3"})()
        self.server.stop()
        self.server.start()
        self.rpc = Rpc(self.server.base, self.db)
        self.session = buyer_session(self.server.base)
        page = self.session.get(self.server.base + "/b2b/cart", timeout=60).text
        assert "MW Cola" in page and "o_b2b_cart_line" in page, "the cart is gone"

    def test_order_kept_when_mail_server_is_down(self):
        server = self.rpc("ir.mail_server", "create", {"name": "down", "smtp_host": "127.0.0.1", "smtp_port": 1,
                                                       "sequence": 1})
        try:
            response = self.post("/b2b/cart/submit", {"client_order_ref": f"PO-MW-NOMAIL-{BUYER}"})()
            assert response.status_code == 200, response.status_code
            orders = self.rpc("sale.order", "search_read", [("client_order_ref", "=", f"PO-MW-NOMAIL-{BUYER}")],
                              ["b2b_state", "message_ids"])
            assert [o["b2b_state"] for o in orders] == ["pending"], orders
            mails = self.rpc("mail.mail", "search_read",
                             [("model", "=", "sale.order"), ("res_id", "=", orders[0]["id"])],
                             ["state"], context={"active_test": False})
            messages = self.rpc("mail.message", "search_count", [("model", "=", "sale.order"),
                                                                 ("res_id", "=", orders[0]["id"]),
                                                                 ("subject", "ilike", "received")])
            assert messages == 1, "the confirmation message is lost"
            assert all(m["state"] in ("outgoing", "exception") for m in mails), mails
        finally:
            self.rpc("ir.mail_server", "unlink", [server])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--port", type=int, default=8269)
    parser.add_argument("--log", required=True)
    parser.add_argument("odoo", nargs=argparse.REMAINDER, help="command that runs Odoo with its -c config")
    args = parser.parse_args()
    server = Server([*args.odoo, "-d", args.db, "--db-filter", f"^{args.db}$"], args.port, args.log)
    checks = Checks(server, args.db)
    server.start()
    try:
        checks.check("set-up through RPC", checks.setup)
        names = ("live_price", "live_exception", "live_stock", "live_catalog", "both_workers_answered",
                 "parallel_add_to_cart_sums", "parallel_submits_make_one_order",
                 "price_change_between_add_and_submit", "office_approves_while_buyer_edits",
                 "company_budget_holds_under_parallel_submits",
                 "credit_limit_holds_under_parallel_submits",
                 "cart_survives_restart",
                 "order_kept_when_mail_server_is_down")
        for name in names if checks.results[0][1] else ():
            checks.check(name.replace("_", " "), getattr(checks, f"test_{name}"))
    finally:
        server.stop()
    passed = sum(ok for _name, ok in checks.results)
    failed = len(checks.results) - passed
    print(f"multiworker: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
