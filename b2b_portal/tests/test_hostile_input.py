import re

from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import B2bHttpMixin, json_strings
from .test_statement import B2bAccountCommon

# What ir.http cleans from the text parameters of the addon's routes, and
# what must therefore never come back in an answer: the C0 controls and DEL,
# but tab, line feed and carriage return.
CLEANED_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@tagged("post_install", "-at_install")
class TestHostileInput(B2bHttpMixin, HttpCase, B2bAccountCommon):
    """Bad input gets a clear message and changes nothing: table-driven,
    through real HTTP, comparing cart, orders and favourites before and after."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer_b.b2b_catalog_ids = cls.env["b2b.catalog"].create({
            "name": "Drinks and rice", "categ_ids": [cls.categ_drinks.id],
            "product_tmpl_ids": [cls.rice.product_tmpl_id.id],
        })
        cls.archived = cls._create_product("Old Soda", "T-OLD", 5.0, cls.categ_soft)
        cls.archived.active = False
        cls.unsaleable = cls._create_product("Internal Soda", "T-INT", 5.0, cls.categ_soft, sale_ok=False)
        cls.cart_b = cls.env["sale.order"]._b2b_get_cart(cls.buyer_b, create=True)
        cls.cart_b._b2b_add_products({cls.cola: 3, cls.rice: 1.5})
        cls.favorite_b = cls.env["b2b.favorite"].create({"partner_id": cls.customer_b.id, "product_id": cls.water.id})
        cls.cart_c = cls.env["sale.order"]._b2b_get_cart(cls.buyer_c, create=True)
        cls.cart_c._b2b_add_products({cls.cola: 1})
        cls.address_c = cls.env["res.partner"].create({"name": "C dock", "parent_id": cls.customer_c.id,
                                                       "type": "delivery"})

    def cases(self):
        """(name, path, form data, expected message or status)."""
        line_b = self.cart_b.order_line.filtered(lambda line: line.product_id == self.cola).id
        big_csv = "\n".join("T-COLA;1" for _i in range(10001))
        add = "/b2b/cart/add"
        update = "/b2b/cart/update"
        submit = "/b2b/cart/submit"
        quick = "/b2b/quick_order"
        cola = self.cola.id
        return [
            ("negative quantity", add, {"product_id": cola, "add_qty": "-1"}, "more than zero"),
            ("zero quantity", add, {"product_id": cola, "add_qty": "0"}, "more than zero"),
            ("not a number", add, {"product_id": cola, "add_qty": "abc"}, "must be a number"),
            ("overflowing float", add, {"product_id": cola, "add_qty": "1e309"}, "must be a number"),
            ("NaN", add, {"product_id": cola, "add_qty": "NaN"}, "must be a number"),
            ("infinity", add, {"product_id": cola, "add_qty": "-inf"}, "must be a number"),
            ("huge quantity", add, {"product_id": cola, "add_qty": "99999999999"}, "more than can be ordered"),
            ("fraction of a unit", add, {"product_id": cola, "add_qty": "1.5"}, "whole number"),
            ("empty quantity", add, {"product_id": cola, "add_qty": ""}, "must be a number"),
            ("missing quantity", add, {"product_id": cola}, "must be a number"),
            ("missing product", add, {"add_qty": "1"}, "cannot be ordered"),
            ("product id not a number", add, {"product_id": "abc", "add_qty": "1"}, "cannot be ordered"),
            ("unknown product", add, {"product_id": "999999", "add_qty": "1"}, "cannot be ordered"),
            ("archived product", add, {"product_id": self.archived.id, "add_qty": "1"}, "cannot be ordered"),
            ("unsaleable product", add, {"product_id": self.unsaleable.id, "add_qty": "1"}, "cannot be ordered"),
            ("product outside catalog", add, {"product_id": self.knife.id, "add_qty": "1"}, "cannot be ordered"),
            ("another buyer's cart line", update, {"line_id": self.cart_c.order_line.id, "quantity": "9"},
             "not in your cart"),
            ("line id not a number", update, {"line_id": "x", "quantity": "9"}, "not in your cart"),
            ("missing line id", update, {"quantity": "9"}, "not in your cart"),
            ("remove another buyer's line", update, {"line_id": self.cart_c.order_line.id, "remove": "1"},
             "not in your cart"),
            ("negative line quantity", update, {"line_id": line_b, "quantity": "-5"}, "more than zero"),
            ("NaN line quantity", update, {"line_id": line_b, "quantity": "nan"}, "must be a number"),
            ("fractional line quantity", update, {"line_id": line_b, "quantity": "2.5"}, "whole number"),
            ("missing line quantity", update, {"line_id": line_b}, "must be a number"),
            ("date not a date", submit, {"requested_date": "31/31/2026"}, "is not a date"),
            ("date in the past", submit, {"requested_date": "2001-01-01"}, "in the past"),
            ("other company's address", submit, {"shipping_id": self.address_c.id}, "delivery addresses"),
            ("address id not a number", submit, {"shipping_id": "abc"}, "delivery addresses"),
            ("empty quick order", quick, {"lines": "   "}, "Nothing to add"),
            ("wrong delimiter", quick, {"lines": "T-COLA|5"}, "reference and a quantity"),
            ("unknown reference", quick, {"lines": "NOPE-1 5"}, "NOPE-1 is not a reference you can order."),
            ("quick order NaN", quick, {"lines": "T-COLA nan"}, "must be a number"),
            ("quick order outside catalog", quick, {"lines": "T-KNIFE 1"}, "T-KNIFE is not a reference you can order."),
            ("quick order archived", quick, {"lines": "T-OLD 1"}, "T-OLD is not a reference you can order."),
            ("quick order negative", quick, {"lines": "T-COLA -4"}, "more than zero"),
            ("10,001 lines", quick, {"lines": big_csv}, "At most 10,000"),
            ("favourite of unauthorised product", "/b2b/favorite/toggle", {"product_id": self.knife.id}, 404),
            ("favourite of unknown product", "/b2b/favorite/toggle", {"product_id": "999999"}, 404),
            ("favourite without product", "/b2b/favorite/toggle", {}, 404),
            ("favourites with negative quantity", "/b2b/favorites/add_all",
             {f"qty_{self.favorite_b.id}": "-2"}, "more than zero"),
            ("favourites with text quantity", "/b2b/favorites/add_all",
             {f"qty_{self.favorite_b.id}": "ten"}, "must be a number"),
            ("reorder another company's order", f"/b2b/reorder/{self.order_c.id}", {}, 404),
            ("reorder unknown order", "/b2b/reorder/999999", {}, 404),
            ("reorder own cart", f"/b2b/reorder/{self.cart_b.id}", {}, 404),
        ]

    def snapshot(self):
        self.env.invalidate_all()
        SaleOrder = self.env["sale.order"]
        return (
            sorted((line.product_id.id, line.product_uom_qty, line.price_unit) for line in self.cart_b.order_line),
            sorted((line.product_id.id, line.product_uom_qty) for line in self.cart_c.order_line),
            self.cart_b.b2b_state,
            SaleOrder.search_count([("partner_id", "child_of", self.customer_b.id)]),
            sorted(self.env["b2b.favorite"].search([]).mapped(lambda f: (f.partner_id.id, f.product_id.id))),
        )

    def csrf(self):
        return re.search(r'csrf_token: "([^"]+)"', self.url_open("/my").text).group(1)

    def test_bad_input_gets_a_clear_message_and_changes_nothing(self):
        self.authenticate(self.portal_b.login, self.portal_b.login)
        cases = self.cases()
        self.assertGreaterEqual(len(cases), 40)
        for name, path, data, expected in cases:
            with self.subTest(name):
                before = self.snapshot()
                response = self.url_open(path, data={**data, "csrf_token": self.csrf()})
                if isinstance(expected, int):
                    self.assertEqual(response.status_code, expected)
                else:
                    self.assertEqual(response.status_code, 200)
                    self.assertIn(expected, response.text)
                self.assertEqual(self.snapshot(), before)

    def test_bad_files_are_refused_whole(self):
        self.authenticate(self.portal_b.login, self.portal_b.login)
        for name, content, expected in (
            ("binary", b"T-COLA;1\n\x00\xff\x10", "not a text"),
            ("latin-1", "T-COLA;1\nCAF\xc9;2".encode("latin-1"), "not UTF-8"),
            ("several megabytes", b"T-COLA;1\n" * 700000, "larger than 5 MB"),
            ("empty", b"", "Nothing to add"),
        ):
            with self.subTest(name):
                before = self.snapshot()
                response = self.url_open("/b2b/quick_order", data={"csrf_token": self.csrf()},
                                         files={"upload": (f"{name}.csv", content, "text/csv")})
                self.assertIn(expected, response.text)
                self.assertEqual(self.snapshot(), before)
        bom_csv = "\ufeffreference;quantity\nT-COLA;2\n".encode()
        response = self.url_open("/b2b/quick_order", data={"csrf_token": self.csrf()},
                                 files={"upload": ("bom.csv", bom_csv, "text/csv")})
        self.assertIn("1 product(s) added", response.text)

    def test_posts_without_csrf_or_session_change_nothing(self):
        self.authenticate(self.portal_b.login, self.portal_b.login)
        before = self.snapshot()
        for path, data in (("/b2b/cart/add", {"product_id": self.cola.id, "add_qty": "1"}),
                           ("/b2b/cart/submit", {"client_order_ref": "PO-NO-CSRF"}),
                           ("/b2b/quick_order", {"lines": "T-COLA 1"}),
                           ("/b2b/favorites/add_all", {f"qty_{self.favorite_b.id}": "1"})):
            with self.subTest(path):
                self.assertEqual(self.url_open(path, data=data).status_code, 400)
        token = self.csrf()
        self.url_open("/web/session/logout")
        response = self.url_open("/b2b/cart/add", data={"product_id": self.cola.id, "add_qty": "1",
                                                        "csrf_token": token}, allow_redirects=False)
        self.assertIn(response.status_code, (303, 400))
        self.assertEqual(self.snapshot(), before)

    def test_markup_is_escaped_and_long_text_is_cut(self):
        self.authenticate(self.portal_b.login, self.portal_b.login)
        evil = '<img src=x onerror="alert(1)">'
        self.assertNotIn(evil, self.url_open(f"/b2b/catalog?search={evil}").text)
        self.assertNotIn(evil, self.url_open("/b2b/quick_order", data={"lines": f"{evil} 1",
                                                                       "csrf_token": self.csrf()}).text)
        self.url_open("/b2b/cart/submit", data={"client_order_ref": evil + "x" * 5000, "note": evil,
                                                "csrf_token": self.csrf()})
        self.assertEqual(self.cart_b.b2b_state, "pending")
        self.assertEqual(len(self.cart_b.client_order_ref), 100)
        for path in ("/b2b", "/b2b/orders", f"/b2b/order/{self.cart_b.id}/submitted"):
            self.assertNotIn(evil, self.url_open(path).text)

    def _requested_order(self, requester):
        order = self.env["sale.order"]._b2b_get_cart(requester, create=True)
        order._b2b_add_products({self.water: 1})
        order._b2b_submit()
        return order

    def assert_nothing_cleaned_in(self, texts):
        """None of ``texts`` (``(where, text)`` pairs) holds a character ir.http
        cleans; the first that does is named, with where it is."""
        for where, text in texts:
            found = CLEANED_CHARACTERS.search(text)
            if found:
                around = text[max(found.start() - 80, 0):found.end() + 80]
                self.fail(f"{found.group()!r} in {where}, at {found.start()}: ...{around!r}...")

    def test_control_characters_on_every_route_are_cleaned(self):
        """A NUL byte (refused by PostgreSQL) or any other control character
        in any text parameter of any route of the addon, taken from the
        routing map, never makes a server error: the addon cleans it."""
        nul = "\x00"
        cola, water, line = self.cola.id, self.water.id, self.cart_b.order_line[:1].id
        past = self._confirmed_order(self.customer_b, self.water, 1, "PO-PAST-NUL")
        colleague = self.env["res.partner"].create({"name": "Colleague", "parent_id": self.customer_b.id})
        self._create_portal_user("b2b_nul_colleague", colleague)
        requester = self.env["res.partner"].create({"name": "Req", "parent_id": self.customer_b.id,
                                                    "b2b_role": "requester"})
        self._create_portal_user("b2b_nul_requester", requester)
        requested, requested_2, requested_3 = (self._requested_order(requester) for _i in range(3))
        dates = "date_from=2026-01-01%00&date_to=%00%01"
        invoice = self.invoice(self.customer_b, 30.0, fields.Date.today())
        own, to_delete = (self.env["b2b.order.list"]._b2b_create_for(self.buyer_b, name, "private", {self.cola: 2})
                          for name in ("Hostile", "Doomed"))
        list_line = own.line_ids.id
        own.line_ids.par_qty = 10
        calls = {
            "/b2b": [("GET", "/b2b?x=%00", None)],
            "/b2b/catalog": [("GET", "/b2b/catalog?search=Co%00la%07&categ_id=%00&sortby=na%00me&ppg=2%000"
                                     "&in_stock=%00&favorites=%1b", None)],
            "/b2b/catalog/page/<int:page>": [("GET", "/b2b/catalog/page/1?search=%00", None)],
            "/b2b/product/<int:product_id>": [("GET", f"/b2b/product/{cola}?x=%00", None)],
            "/b2b/orders": [("GET", "/b2b/orders?x=%00", None)],
            "/b2b/orders/page/<int:page>": [("GET", "/b2b/orders/page/1?x=%00", None)],
            "/b2b/cart": [("GET", "/b2b/cart?x=%00", None)],
            "/b2b/cart/add": [("POST", "/b2b/cart/add",
                               {"product_id": f"{cola}{nul}", "add_qty": f"1{nul}", "redirect": f"/b2b{nul}"})],
            "/b2b/cart/update": [("POST", "/b2b/cart/update", {"line_id": f"{line}{nul}", "quantity": f"2{nul}"})],
            "/b2b/favorite/toggle": [("POST", "/b2b/favorite/toggle",
                                      {"product_id": f"{water}{nul}", "redirect": f"/b2b/favorites{nul}"})],
            "/b2b/favorites": [("GET", "/b2b/favorites?x=%00", None)],
            "/b2b/favorites/add_all": [("POST", "/b2b/favorites/add_all", {f"qty_{self.favorite_b.id}": f"2{nul}"})],
            "/b2b/quick_order": [("POST", "/b2b/quick_order", {"lines": f"T-CO{nul}LA 1\x01\nT-WATER\x02 1"})],
            "/b2b/json/cart/add": [("LIVE", "/b2b/json/cart/add",
                                    {"product_id": f"{cola}{nul}", "add_qty": f"1{nul}"})],
            "/b2b/json/cart/update": [("LIVE", "/b2b/json/cart/update", {"line_id": f"{line}{nul}",
                                                                          "quantity": f"2{nul}"})],
            "/b2b/json/search": [("LIVE", "/b2b/json/search", {"term": f"Co{nul}la\x07"})],
            "/b2b/json/quick_order/check": [("LIVE", "/b2b/json/quick_order/check",
                                             {"rows": [[f"T-CO{nul}LA", f"1{nul}"], ["T-WATER\x02", "1"]]})],
            "/b2b/json/price": [("LIVE", "/b2b/json/price", {"product_id": f"{cola}{nul}", "quantity": f"2{nul}"})],
            "/b2b/reorder/<int:order_id>": [("POST", f"/b2b/reorder/{past.id}", {"x": nul})],
            "/my/payments": [("GET", f"/my/payments?{dates}", None)],
            "/my/payments/page/<int:page>": [("GET", f"/my/payments/page/1?{dates}", None)],
            "/my/statement": [("GET", f"/my/statement?{dates}", None)],
            "/my/statement/pdf": [("GET", f"/my/statement/pdf?{dates}", None)],
            "/b2b/cart/submit": [("POST", "/b2b/cart/submit", {
                "client_order_ref": f"PO{nul}-NUL\x1f", "note": f"leave at{nul} the back", "shipping_id": f"{nul}",
                "requested_date": f"2099-01-01{nul}", "accept_price_changes": nul,
            })],
            "/b2b/order/<int:order_id>/submitted": [("GET", f"/b2b/order/{self.cart_b.id}/submitted?x=%00", None)],
            "/b2b/invoices": [("GET", "/b2b/invoices?x=%00", None)],
            "/b2b/invoices/pay": [("GET", f"/b2b/invoices/pay?invoice_ids={invoice.id}%00&overdue=%00", None)],
            "/b2b/invoices/transaction/<string:invoice_ids>": [
                ("JSON", f"/b2b/invoices/transaction/{invoice.id}%00", self.payment_form_params(flow=f"dir{nul}ect")),
            ],
            "/b2b/company": [("GET", "/b2b/company?x=%00", None)],
            "/b2b/company/invite": [("POST", "/b2b/company/invite",
                                     {"name": f"Nu{nul}l Colleague", "email": f"nul{nul}@b.example.com",
                                      "role": f"view{nul}er"})],
            "/b2b/company/member": [("POST", "/b2b/company/member",
                                     {"member_id": f"{colleague.id}{nul}", "role": f"accoun{nul}tant\x01",
                                      "order_limit": f"50{nul}0", "monthly_budget": f"{nul}"})],
            "/b2b/approvals": [("GET", "/b2b/approvals?x=%00", None)],
            "/b2b/company/settings": [("POST", "/b2b/company/settings", {"allow_rep_orders": f"1{nul}"})],
            # A buyer is refused (403): a representative's NUL is in tests/test_sales_rep.py.
            "/b2b/represent": [("POST", "/b2b/represent", {"partner_id": f"{self.buyer_b.id}{nul}"})],
            "/b2b/represent/stop": [("POST", "/b2b/represent/stop", {"x": nul})],
            "/b2b/approvals/<int:order_id>/approve": [("POST", f"/b2b/approvals/{requested.id}/approve", {"x": nul})],
            "/b2b/approvals/<int:order_id>/reject": [("POST", f"/b2b/approvals/{requested_2.id}/reject",
                                                      {"reason": f"Too{nul} much"})],
            "/b2b/approvals/<int:order_id>/update": [("POST", f"/b2b/approvals/{requested_3.id}/update",
                                                      {"line_id": f"{requested_3.order_line.id}{nul}",
                                                       "quantity": f"3{nul}"})],
            "/b2b/lists": [("GET", "/b2b/lists?x=%00", None)],
            "/b2b/lists/new": [("POST", "/b2b/lists/new", {"name": f"Bar{nul}\x07 list", "sharing": f"comp{nul}any"})],
            "/b2b/lists/add": [("POST", "/b2b/lists/add", {"product_id": f"{water}{nul}", "add_qty": f"2{nul}",
                                                           "list_id": f"{own.id}{nul}", "redirect": f"/b2b{nul}"})],
            "/b2b/lists/<int:list_id>": [("GET", f"/b2b/lists/{own.id}?x=%00", None)],
            "/b2b/lists/<int:list_id>/update": [("POST", f"/b2b/lists/{own.id}/update", {
                f"qty_{list_line}": f"4{nul}", f"par_{list_line}": f"12{nul}", f"note_{list_line}": f"top{nul} shelf",
                "move": f"{list_line}{nul}:up",
            })],
            "/b2b/lists/<int:list_id>/rename": [("POST", f"/b2b/lists/{own.id}/rename",
                                                 {"name": f"Host{nul}ile\x01", "sharing": nul})],
            "/b2b/lists/<int:list_id>/copy": [("POST", f"/b2b/lists/{own.id}/copy", {"x": nul})],
            "/b2b/lists/<int:list_id>/delete": [("POST", f"/b2b/lists/{to_delete.id}/delete", {"x": nul})],
            "/b2b/lists/<int:list_id>/to_cart": [("POST", f"/b2b/lists/{own.id}/to_cart",
                                                  {"selection": f"tick{nul}ed", "line_ids": f"{list_line}{nul}",
                                                   f"qty_{list_line}": f"1{nul}"})],
            "/b2b/lists/<int:list_id>/count": [("POST", f"/b2b/lists/{own.id}/count",
                                                {f"onhand_{list_line}": f"3{nul}"})],
            "/b2b/lists/<int:list_id>/import": [("POST", f"/b2b/lists/{own.id}/import",
                                                 {"lines": f"T-WA{nul}TER;1;2;no{nul}te\x01"})],
            "/b2b/lists/<int:list_id>/export": [("GET", f"/b2b/lists/{own.id}/export?x=%00", None)],
            "/b2b/cart/save_list": [("POST", "/b2b/cart/save_list", {"name": f"Cart{nul}", "sharing": nul})],
            "/b2b/order/<int:order_id>/save_list": [("POST", f"/b2b/order/{past.id}/save_list",
                                                     {"name": f"Past{nul}"})],
        }
        addon_routes = {
            rule.rule for rule in self.env["ir.http"].routing_map().iter_rules()
            if getattr(getattr(rule.endpoint, "original_endpoint", None), "__module__", "").startswith(
                "odoo.addons.b2b_portal.controllers.")
        }
        self.assertEqual(set(calls), addon_routes, "a route escapes the control-character test")
        self.authenticate(self.portal_b.login, self.portal_b.login)
        for route, route_calls in calls.items():
            for method, path, data in route_calls:
                with self.subTest(route=route):
                    if method in ("JSON", "LIVE"):
                        # Cleaned: the payment of the invoice is prepared, the
                        # pages' scripts (LIVE, with the page's CSRF token)
                        # answered, and no string of the answer holds what was cleaned.
                        result = self.make_jsonrpc_request(
                            path, {**data, "csrf_token": self.csrf()} if method == "LIVE" else data)
                        self.assert_nothing_cleaned_in(json_strings(result, "the result"))
                        continue
                    if method == "GET":
                        response = self.url_open(path)
                    else:
                        response = self.url_open(path, data={**data, "csrf_token": self.csrf()})
                    expected = 403 if route.startswith("/b2b/represent") else 200
                    self.assertEqual(response.status_code, expected, response.text[:500])
                    if response.headers.get("Content-Type", "").startswith("text/"):  # not a PDF's bytes
                        self.assert_nothing_cleaned_in([(f"the page {path}", response.text)])
        # Cleaned, not refused: the search found cola (and only cola), the
        # quick order added both lines, the submit kept the reference and the note.
        found = self.url_open("/b2b/catalog?search=Co%00la").text
        self.assertIn("Cola Case", found)
        self.assertNotIn("Water Case", found)
        self.env.invalidate_all()
        self.assertEqual(self.cart_b.b2b_state, "pending")
        self.assertEqual((self.cart_b.client_order_ref, self.cart_b.b2b_buyer_note), ("PO-NUL", "leave at the back"))
        self.assertEqual(self.cart_b.order_line.filtered(lambda line: line.product_id == self.water).product_uom_qty, 2)
        invited = self.env["res.partner"].search([("email", "=", "nul@b.example.com")])
        self.assertEqual((invited.name, invited.b2b_role, invited.parent_id),
                         ("Nul Colleague", "viewer", self.customer_b))
        self.assertEqual((colleague.b2b_role, colleague.b2b_order_limit), ("accountant", 500.0))
        self.assertEqual((requested.b2b_state, requested_2.b2b_state), ("pending", "rejected"))
        self.assertEqual(requested_2.b2b_reject_reason, "Too much")
        self.assertEqual(requested_3.order_line.product_uom_qty, 3)
        # The lists: cleaned, then kept.
        self.assertEqual((own.name, own.line_ids.filtered(lambda line: line.product_id == self.cola).note),
                         ("Hostile", "top shelf"))
        self.assertEqual(own.line_ids.filtered(lambda line: line.product_id == self.water).note, "note")
        self.assertTrue(self.env["b2b.order.list"].search([("name", "=", "Bar list"), ("sharing", "=", "company")]))
        self.assertFalse(to_delete.exists())
        # Odoo's own portal page answers the same way.
        self.assertEqual(self.url_open("/my/orders?search=%00").status_code, 200)
