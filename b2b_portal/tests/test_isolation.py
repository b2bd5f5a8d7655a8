import re
from datetime import timedelta
from types import SimpleNamespace

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged

from .common import B2bHttpMixin, json_strings
from .test_statement import B2bAccountCommon

ADDON_CONTROLLERS = "odoo.addons.b2b_portal.controllers."


@tagged("post_install", "-at_install")
class TestRouteIsolation(B2bHttpMixin, HttpCase, B2bAccountCommon):
    """Every route the addon adds, generated from the routing map, called by
    strangers: anonymous visitors, a portal user whose company has no tier,
    and a buyer of company B with company C's ids and forbidden products."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cart_c = cls.env["sale.order"]._b2b_get_cart(cls.buyer_c, create=True)
        cls.cart_c._b2b_add_products({cls.cola: 2})
        cls.favorite_c = cls.env["b2b.favorite"].create({"partner_id": cls.customer_c.id, "product_id": cls.cola.id})
        cls.delivery_c = cls.env["res.partner"].create({
            "name": "Canteen Test Company back door", "parent_id": cls.customer_c.id, "type": "delivery",
        })
        # Products company B may not see: archived, unsaleable, and C-only exception prices.
        # An order of company C awaiting its own approval (a requester's).
        requester_c = cls.env["res.partner"].create({
            "name": "Canteen Requester", "parent_id": cls.customer_c.id, "b2b_role": "requester",
        })
        cls._create_portal_user("b2b_requester_c", requester_c)
        cls.requested_c = cls.env["sale.order"]._b2b_get_cart(requester_c, create=True)
        cls.requested_c._b2b_add_products({cls.cola: 1})
        cls.requested_c._b2b_submit(client_order_ref="PO-SECRET-C-REQ")
        cls.invoice_c = cls.invoice(cls.customer_c, 45.0, fields.Date.today() - timedelta(days=90))
        cls.list_c = cls.env["b2b.order.list"]._b2b_create_for(cls.buyer_c, "Canteen secret list", "company",
                                                               {cls.cola: 7})
        cls.list_c.line_ids.write({"par_qty": 30, "note": "PO-SECRET-C"})
        cls.office_list_c = cls.env["b2b.order.list"].create({
            "name": "Canteen secret office list", "partner_id": cls.customer_c.id, "is_recommended": True,
            "line_ids": [Command.create({"product_id": cls.cola.id, "quantity": 4})],
        })
        cls.knife.active = False
        cls.rice.sale_ok = False

    def calls(self):
        """(method, path, data) for every route, with C's ids or forbidden products."""
        knife, rice = self.knife.id, self.rice.id
        return {
            "/b2b": [("GET", "/b2b", None)],
            "/b2b/catalog": [("GET", f"/b2b/catalog?search=Knife&categ_id={self.categ_tools.id}", None)],
            "/b2b/catalog/page/<int:page>": [("GET", "/b2b/catalog/page/2?ppg=20", None)],
            "/b2b/product/<int:product_id>": [("GET", f"/b2b/product/{knife}", None),
                                              ("GET", f"/b2b/product/{rice}", None)],
            "/b2b/orders": [("GET", "/b2b/orders", None)],
            "/b2b/orders/page/<int:page>": [("GET", "/b2b/orders/page/2", None)],
            "/b2b/cart": [("GET", "/b2b/cart", None)],
            "/b2b/cart/add": [("POST", "/b2b/cart/add", {"product_id": knife, "add_qty": "1"}),
                              ("POST", "/b2b/cart/add", {"product_id": rice, "add_qty": "1"})],
            "/b2b/cart/update": [("POST", "/b2b/cart/update",
                                  {"line_id": self.cart_c.order_line.id, "quantity": "99"}),
                                 ("POST", "/b2b/cart/update", {"line_id": self.cart_c.order_line.id, "remove": "1"})],
            "/b2b/cart/submit": [("POST", "/b2b/cart/submit", {"shipping_id": self.delivery_c.id})],
            "/b2b/order/<int:order_id>/submitted": [("GET", f"/b2b/order/{self.order_c.id}/submitted", None),
                                                     ("GET", f"/b2b/order/{self.cart_c.id}/submitted", None)],
            "/b2b/reorder/<int:order_id>": [("POST", f"/b2b/reorder/{self.order_c.id}", {})],
            "/b2b/favorite/toggle": [("POST", "/b2b/favorite/toggle", {"product_id": knife})],
            "/b2b/favorites": [("GET", "/b2b/favorites", None)],
            "/b2b/favorites/add_all": [("POST", "/b2b/favorites/add_all", {f"qty_{self.favorite_c.id}": "5"})],
            "/b2b/quick_order": [("POST", "/b2b/quick_order", {"lines": "T-KNIFE 1\nT-RICE 2"})],
            "/b2b/json/cart/add": [("LIVE", "/b2b/json/cart/add", {"product_id": knife, "add_qty": "1"}),
                                   ("LIVE", "/b2b/json/cart/add", {"product_id": rice, "add_qty": "1"})],
            "/b2b/json/cart/update": [("LIVE", "/b2b/json/cart/update",
                                       {"line_id": self.cart_c.order_line.id, "quantity": "99"}),
                                      ("LIVE", "/b2b/json/cart/update", {"line_id": self.cart_c.order_line.id,
                                                                         "remove": True})],
            "/b2b/json/search": [("LIVE", "/b2b/json/search", {"term": "Knife"}),
                                 ("LIVE", "/b2b/json/search", {"term": "T-WATER"})],
            "/b2b/json/quick_order/check": [("LIVE", "/b2b/json/quick_order/check",
                                             {"rows": [["T-KNIFE", "1"], ["T-RICE", "1"], ["T-WATER", "1"]]})],
            "/b2b/json/price": [("LIVE", "/b2b/json/price", {"product_id": knife, "quantity": "1"}),
                                ("LIVE", "/b2b/json/price", {"product_id": self.water.id, "quantity": "1"})],
            "/my/payments": [("GET", "/my/payments", None)],
            "/my/payments/page/<int:page>": [("GET", "/my/payments/page/2", None)],
            "/my/statement": [("GET", "/my/statement?date_from=2000-01-01", None)],
            "/my/statement/pdf": [("GET", "/my/statement/pdf?date_from=2000-01-01", None)],
            "/b2b/invoices": [("GET", "/b2b/invoices", None)],
            "/b2b/invoices/pay": [("GET", f"/b2b/invoices/pay?invoice_ids={self.invoice_c.id}", None),
                                  ("GET", "/b2b/invoices/pay?overdue=1", None)],
            "/b2b/invoices/transaction/<string:invoice_ids>": [
                ("JSON", f"/b2b/invoices/transaction/{self.invoice_c.id}", self.payment_form_params(amount=45.0)),
            ],
            "/b2b/company": [("GET", "/b2b/company", None)],
            "/b2b/company/invite": [("POST", "/b2b/company/invite", {"name": "Intruder", "email": "in@c.example.com"})],
            "/b2b/company/member": [("POST", "/b2b/company/member", {"member_id": self.buyer_c.id, "role": "viewer"}),
                                    ("POST", "/b2b/company/member", {"member_id": self.buyer_c.id, "deactivate": "1"})],
            "/b2b/approvals": [("GET", "/b2b/approvals", None)],
            "/b2b/company/settings": [("POST", "/b2b/company/settings", {"allow_rep_orders": "1",
                                                                        "partner_id": self.customer_c.id})],
            **self.list_calls(),
            # Last: a representative's stop ends what the test runs as (TestRepRouteIsolation).
            "/b2b/represent": [("POST", "/b2b/represent", {"partner_id": self.buyer_c.id})],
            "/b2b/represent/stop": [("POST", "/b2b/represent/stop", {})],
            "/b2b/approvals/<int:order_id>/approve": [("POST", f"/b2b/approvals/{self.requested_c.id}/approve", {})],
            "/b2b/approvals/<int:order_id>/reject": [("POST", f"/b2b/approvals/{self.requested_c.id}/reject",
                                                      {"reason": "no"})],
            "/b2b/approvals/<int:order_id>/update": [("POST", f"/b2b/approvals/{self.requested_c.id}/update",
                                                      {"line_id": self.requested_c.order_line.id, "quantity": "99"})],
        }

    def list_calls(self):
        """Company C's lists (its own and the office's) on every list route."""
        knife = self.knife.id
        calls = {
            "/b2b/lists": [("GET", "/b2b/lists", None)],
            "/b2b/lists/new": [("POST", "/b2b/lists/new", {"name": "Mine", "partner_id": self.customer_c.id})],
            "/b2b/lists/add": [("POST", "/b2b/lists/add", {"product_id": self.cola.id, "list_id": self.list_c.id}),
                               ("POST", "/b2b/lists/add", {"product_id": knife, "list_id": "new"})],
            "/b2b/cart/save_list": [("POST", "/b2b/cart/save_list", {"name": "Canteen secret list"})],
            "/b2b/order/<int:order_id>/save_list": [("POST", f"/b2b/order/{self.order_c.id}/save_list", {})],
        }
        line = self.list_c.line_ids.id
        for order_list in (self.list_c, self.office_list_c):
            for route, method, data in (
                ("", "GET", None), ("/export", "GET", None), ("/count", "GET", None),
                ("/update", "POST", {f"qty_{line}": "99", "remove": line}),
                ("/rename", "POST", {"name": "Hijacked", "sharing": "private"}),
                ("/copy", "POST", {}), ("/delete", "POST", {}),
                ("/to_cart", "POST", {"selection": "ticked", "line_ids": line, f"qty_{line}": "5"}),
                ("/count", "POST", {f"onhand_{line}": "1"}),
                ("/import", "POST", {"lines": "T-COLA;99"}),
            ):
                calls.setdefault(f"/b2b/lists/<int:list_id>{route}", []).append(
                    (method, f"/b2b/lists/{order_list.id}{route}", data))
        return calls

    def addon_routes(self):
        routes = set()
        for rule in self.env["ir.http"].routing_map().iter_rules():
            original = getattr(rule.endpoint, "original_endpoint", rule.endpoint)
            if getattr(original, "__module__", "").startswith(ADDON_CONTROLLERS):
                routes.add(rule.rule)
        return routes

    def request(self, method, path, data):
        """The response; for a JSON route, one standing for a refusal (403)
        when the answer is an error, its text the strings of the decoded
        answer (its encoding would escape a marker's quotes or accents)."""
        if method == "GET":
            return self.url_open(path, allow_redirects=False)
        page = self.url_open("/my", allow_redirects=True)
        token = re.search(r'csrf_token: "([^"]+)"', page.text)
        token = token.group(1) if token else ""
        if method in ("JSON", "LIVE"):  # LIVE: the pages' scripts, with the page's CSRF token
            answer = self.json_call(path, {**data, "csrf_token": token} if method == "LIVE" else data)
            return SimpleNamespace(status_code=403 if "error" in answer else 200,
                                   text="\n".join(text for _where, text in json_strings(answer)))
        payload = dict(data or {}, csrf_token=token)
        return self.url_open(path, data=payload, allow_redirects=False)

    def state_of_c(self):
        return (
            [(line.product_id.id, line.product_uom_qty) for line in self.cart_c.order_line],
            self.favorite_c.exists().default_qty,
            self.order_c.state,
            self.cart_c.b2b_state,
            self.buyer_c.b2b_role,
            self.portal_c.with_context(active_test=False).active,
            self.env["res.partner"].search_count([("parent_id", "=", self.customer_c.id)]),
            self.requested_c.b2b_state,
            self.requested_c.order_line.product_uom_qty,
            self.env["payment.transaction"].sudo().search_count([]),
            [(lst.name, lst.sharing, lst.line_ids.mapped("quantity")) for lst in (self.list_c | self.office_list_c)],
            self.env["b2b.order.list"].search_count([("partner_id", "=", self.customer_c.id)]),
            self.customer_c.b2b_allow_rep_orders,
            len(self.customer_c.message_ids),
        )

    def test_every_addon_route_is_covered(self):
        self.assertEqual(self.addon_routes(), set(self.calls()), "a route escapes the isolation test")

    def test_anonymous_visitors_reach_nothing(self):
        for route, calls in self.calls().items():
            for method, path, _data in calls:
                with self.subTest(route=route, method=method):
                    if method in ("JSON", "LIVE"):
                        self.assertEqual(self.request(method, path, _data).status_code, 403)
                        continue
                    data = {"probe": "1"} if method == "POST" else None
                    response = self.url_open(path, data=data, allow_redirects=False)
                    self.assertIn(response.status_code, (303, 400, 403))
                    if response.status_code == 303:
                        self.assertIn("/web/login", response.headers["Location"])

    def test_portal_user_without_tier_reaches_nothing(self):
        self.authenticate(self.portal_plain.login, self.portal_plain.login)
        for route, calls in self.calls().items():
            for method, path, data in calls:
                with self.subTest(route=route, method=method):
                    self.assertEqual(self.request(method, path, data).status_code, 403)
        self.assertEqual(self.cart_of(self.portal_plain.partner_id), self.env["sale.order"])

    def login_company_b(self):
        self.authenticate(self.portal_b.login, self.portal_b.login)

    def test_buyer_gets_nothing_of_another_company(self):
        self.login_company_b()
        before = self.state_of_c()
        markers = ("Canteen Test Company", "Carl Buyer", "PO-SECRET-C", "3.33", "18.50", self.order_c.name,
                   "back door", "Canteen secret")
        for route, calls in self.calls().items():
            for method, path, data in calls:
                with self.subTest(route=route, method=method, path=path):
                    response = self.request(method, path, data)
                    self.assertIn(response.status_code, (200, 303, 403, 404))
                    for marker in markers:
                        self.assertNotIn(marker, response.text)
                    self.assertEqual(self.state_of_c(), before)
        cart_b = self.cart_of(self.buyer_b)
        self.assertFalse(cart_b.order_line.product_id & (self.knife | self.rice))


@tagged("post_install", "-at_install")
class TestRepRouteIsolation(TestRouteIsolation):
    """The same calls, by a sales representative ordering for company B as
    its buyer: company C's ids get nothing either."""

    allow_inherited_tests_method = True  # Odoo's loader runs only a class's own test methods otherwise
    test_every_addon_route_is_covered = None  # run once, by TestRouteIsolation
    test_anonymous_visitors_reach_nothing = None
    test_portal_user_without_tier_reaches_nothing = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rep = new_test_user(cls.env, login="b2b_rep_iso", groups="b2b_portal.group_b2b_sales_rep", name="Iso Rep")
        cls.customer_b.user_id = cls.rep

    def login_company_b(self):
        self.authenticate(self.rep.login, self.rep.login)
        self.post_form("/b2b/represent", {"partner_id": self.buyer_b.id})
        self.assertIn("o_b2b_rep_banner", self.url_open("/b2b").text)
