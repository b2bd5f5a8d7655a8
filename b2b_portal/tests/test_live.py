import re
from unittest.mock import patch

from odoo.exceptions import ValidationError
from odoo.sql_db import Cursor
from odoo.tests import HttpCase, tagged
from odoo.tools import SQL

from ..models.sale_order_cart import CART_CHANGE_FIELDS
from .common import B2bHttpMixin, B2bPhoneMixin, B2bPortalCommon


@tagged("post_install", "-at_install")
class TestLiveCart(B2bHttpMixin, HttpCase, B2bPortalCommon):
    """The routes the pages' scripts call: the same changes as the forms,
    answered with the cart's parts as the cart page renders them."""

    def setUp(self):
        super().setUp()
        self.authenticate(self.portal_b.login, self.portal_b.login)
        page = self.url_open("/my")
        self.csrf = re.search(r'csrf_token: "([^"]+)"', page.text).group(1)

    def call(self, path, **params):
        return self.make_jsonrpc_request(path, {"csrf_token": self.csrf, **params})

    @staticmethod
    def money(amount):
        """An amount as the pages render it (the monetary widget)."""
        return f'<span class="oe_currency_value">{amount:.2f}</span>'

    @staticmethod
    def total_of(html):
        """The total of the cart's summary, as rendered."""
        return re.search(r'o_b2b_total"[^>]*>(.*?)</td>', html, re.S).group(1)

    def cart_lines(self, partner=None):
        cart = self.cart_of(partner or self.buyer_b)
        return sorted((line.product_id.id, line.product_uom_qty, line.price_unit) for line in cart.order_line)

    def test_add_answers_messages_and_count(self):
        result = self.call("/b2b/json/cart/add", product_id=self.cola.id, add_qty="12")
        self.assertTrue(result["ok"])
        self.assertEqual(result["cart_count"], 1)
        self.assertEqual(result["in_cart"], 12)
        self.assertIn("[T-COLA] Cola Case added to your cart.", [text for _level, text in result["messages"]])
        # At the break price, as the catalog said at 12.
        self.assertEqual(self.cart_lines(), [(self.cola.id, 12.0, 14.4)])
        price = self.env["b2b.pricing"]._get_prices(self.buyer_b, self.cola, {self.cola.id: 12})[self.cola.id]
        self.assertEqual(price.price, 14.4)
        # The flashed messages were answered, not left for the next page.
        self.assertNotIn("added to your cart", self.url_open("/b2b/catalog").text)

    def test_add_refuses_bad_input_and_changes_nothing(self):
        self.call("/b2b/json/cart/add", product_id=self.water.id, add_qty="2")
        before = self.cart_lines()
        archived = self._create_product("Old Soda", "T-OLD", 5.0, self.categ_soft)
        archived.active = False
        for product_id, qty, message in (
            (self.cola.id, "nan", "must be a number"),
            (self.cola.id, "-3", "more than zero"),
            (self.cola.id, "abc", "must be a number"),
            (self.cola.id, "1e999", "must be a number"),
            (archived.id, "1", "cannot be ordered"),
            ("1 OR 1=1", "1", "cannot be ordered"),
            (self.order_c.order_line.product_id.id + 10**6, "1", "cannot be ordered"),
        ):
            result = self.call("/b2b/json/cart/add", product_id=product_id, add_qty=qty)
            self.assertFalse(result["ok"], (product_id, qty))
            self.assertTrue(any(message in text for _level, text in result["messages"]), result["messages"])
        self.assertEqual(self.cart_lines(), before)

    def test_changes_need_the_page_csrf_token(self):
        for path, params in (
            ("/b2b/json/cart/add", {"product_id": self.cola.id, "add_qty": 1}),
            ("/b2b/json/cart/add", {"product_id": self.cola.id, "add_qty": 1, "csrf_token": "forged"}),
            ("/b2b/json/cart/update", {"line_id": 1, "quantity": 3}),
        ):
            answer = self.json_call(path, params)
            self.assertIn("error", answer)
            self.assertEqual(answer["error"]["data"]["name"], "werkzeug.exceptions.Forbidden")
        self.assertFalse(self.cart_of(self.buyer_b))

    def test_catalog_cart_and_order_agree_to_the_cent(self):
        """A quantity changed in place: the line, the break hint and the
        totals rendered as the cart page renders them, the same figures as
        the full page and as the order once sent."""
        self.call("/b2b/json/cart/add", product_id=self.cola.id, add_qty="5")
        self.call("/b2b/json/cart/add", product_id=self.rice.id, add_qty="3")
        line = self.cart_of(self.buyer_b).order_line.filtered(lambda line: line.product_id == self.cola)
        self.assertIn("Order 5 more to pay", self.url_open("/b2b/cart").text)

        result = self.call("/b2b/json/cart/update", line_id=line.id, quantity="12")
        self.assertTrue(result["ok"])
        self.assertEqual(result["line_id"], line.id)
        self.assertIn(f'data-line-id="{line.id}"', result["line_html"])
        self.assertIn(self.money(14.4), result["line_html"])
        self.assertIn(self.money(172.8), result["line_html"])
        self.assertNotIn("more to pay", result["line_html"], "the break is reached: no hint left")
        cart = self.cart_of(self.buyer_b)
        self.assertEqual(line.price_unit, 14.4)
        # The summary's total is the full page's and the order's.
        total = self.total_of(result["summary_html"])
        self.assertEqual(total, self.total_of(self.url_open("/b2b/cart").text))
        self.assertIn(self.money(cart.amount_total), total)

        # A quantity the cart refuses: said, nothing changed, the line as it was.
        result = self.call("/b2b/json/cart/update", line_id=line.id, quantity="-1")
        self.assertFalse(result["ok"])
        self.assertNotIn("line_html", result)
        self.assertEqual(line.product_uom_qty, 12)

    def test_in_place_totals_add_up_the_rows_the_page_shows(self):
        """A price changed since a line was added: the cart page shows that
        line at its new price ("was ..."), and an in-place change of another
        line sends it (``repriced_line_ids``, what the page's script reads
        from its rows): the totals are the full page's. A page loaded before
        the change shows the price the line has, and the change's totals add
        that up, as the page's rows do; the next page load and the submit
        see the new price. Ids of lines not in the cart change nothing."""
        self.call("/b2b/json/cart/add", product_id=self.cola.id, add_qty="3")
        self.call("/b2b/json/cart/add", product_id=self.water.id, add_qty="2")
        cart = self.cart_of(self.buyer_b)
        cola, water = (cart.order_line.filtered(lambda line, p=p: line.product_id == p)
                       for p in (self.cola, self.water))
        other = self.env["sale.order"]._b2b_get_cart(self.buyer_c, create=True)
        other._b2b_add_products({self.water: 3})
        self.env["b2b.tier.price"].search([("product_tmpl_id", "=", self.cola.product_tmpl_id.id),
                                           ("tier_id", "=", self.tier_b.id)]).price = 15.0
        page = self.url_open("/b2b/cart").text
        rows = {line: re.search(rf'<tr class="o_b2b_cart_line"[^>]*data-line-id="{line.id}".*?</tr>', page, re.S)[0]
                for line in (cola, water)}
        self.assertIn("o_b2b_old_price", rows[cola], "the page shows the cola at its new price")
        self.assertNotIn("o_b2b_old_price", rows[water])

        result = self.call("/b2b/json/cart/update", line_id=water.id, quantity="3",
                           repriced_line_ids=[cola.id, other.order_line.id, "x", None])
        self.assertTrue(result["ok"])
        self.assertEqual(self.total_of(result["summary_html"]), self.total_of(self.url_open("/b2b/cart").text))
        self.assertIn(self.money(3 * 15.0 + 3 * 8.5), result["summary_html"])

        # The page did not show the new price: the rows' prices, as they are.
        result = self.call("/b2b/json/cart/update", line_id=water.id, quantity="4", repriced_line_ids=[])
        self.assertIn(self.money(3 * 16.0 + 4 * 8.5), result["summary_html"])
        self.assertIn(self.money(cart.amount_total), self.total_of(result["summary_html"]))
        self.assertIn(self.money(3 * 15.0 + 4 * 8.5), self.total_of(self.url_open("/b2b/cart").text))
        self.assertEqual(cola.price_unit, 16.0, "a line the buyer does not change keeps its price")
        self.assertEqual(other.order_line.product_uom_qty, 3)

    def test_a_change_refused_after_writing_changes_nothing(self):
        """The in-place changes run without a savepoint of their own: a
        refusal after the cart was written rolls the whole request back, and
        the answer says so, with the cart as it was."""
        self.call("/b2b/json/cart/add", product_id=self.cola.id, add_qty="5")
        cart = self.cart_of(self.buyer_b)
        line = cart.order_line
        total = cart.amount_total
        SaleOrder = self.registry["sale.order"]
        write = SaleOrder._b2b_cart_write

        def write_then_refuse(order, commands):
            write(order, commands)
            # A test's message: not in the addon's translations.
            raise ValidationError("Refused after the write.")  # pylint: disable=translation-required

        with patch.object(SaleOrder, "_b2b_cart_write", write_then_refuse):
            result = self.call("/b2b/json/cart/update", line_id=line.id, quantity="12")
            self.assertFalse(result["ok"])
            self.assertIn("Refused after the write.", [text for _level, text in result["messages"]])
            self.assertIn(self.money(total), result["summary_html"], "the totals of the cart as it was")
            result = self.call("/b2b/json/cart/add", product_id=self.water.id, add_qty="2")
            self.assertFalse(result["ok"])
        self.env.invalidate_all()
        self.assertEqual(self.cart_lines(), [(self.cola.id, 5.0, 16.0)])
        self.assertEqual(cart.amount_total, total)

    def test_a_change_in_a_fixed_number_of_queries_reading_no_whole_row(self):
        """An in-place change costs as many queries in a cart of 3 lines as
        in one of 41, and reads of the buyer, the cart, its lines, its
        company and the product what it uses (``CART_CHANGE_FIELDS``), not
        their whole rows of a hundred columns."""
        fillers = self.env["product.product"].create([
            {"name": f"Filler {i:02d}", "default_code": f"T-FILL-{i:02d}", "list_price": 2 + i, "is_storable": True}
            for i in range(40)
        ])
        cart = self.env["sale.order"]._b2b_get_cart(self.buyer_b, create=True)
        cart._b2b_add_products({self.cola: 3, **dict.fromkeys(fillers[:2], 1)})
        line = cart.order_line.filtered(lambda line: line.product_id == self.cola)
        self.call("/b2b/json/cart/update", line_id=line.id, quantity="4")  # warm Odoo's caches
        widths = {self.env[model]._table: len(names) + 1 for model, names in CART_CHANGE_FIELDS.items()}
        execute = Cursor.execute

        def change(quantity):
            read = {}

            def record(cursor, query, params=None, log_exceptions=True):
                code = query.code if isinstance(query, SQL) else query
                select = re.match(r'SELECT (.*?) FROM "(\w+)"', code, re.S)
                if select and select[2] in widths:
                    read[select[2]] = max(read.get(select[2], 0), select[1].count(f'"{select[2]}".'))
                return execute(cursor, query, params, log_exceptions)

            self.env.invalidate_all()
            before = self.cr.sql_log_count
            with patch.object(Cursor, "execute", record):
                result = self.call("/b2b/json/cart/update", line_id=line.id, quantity=str(quantity))
            self.assertTrue(result["ok"])
            self.assertIn(self.money(quantity * 16.0), result["line_html"])
            for table, width in read.items():
                self.assertLessEqual(width, widths[table], f"{table} read whole")
            self.assertGreaterEqual(read.keys(), {"res_users", "sale_order", "sale_order_line", "res_company"})
            return self.cr.sql_log_count - before

        small = change(5)
        cart._b2b_add_products(dict.fromkeys(fillers[2:], 1))
        self.assertEqual(len(cart.order_line), 41)
        self.assertEqual(change(6), small)
        self.assertLessEqual(small, 28)

    def test_remove_then_undo(self):
        self.call("/b2b/json/cart/add", product_id=self.cola.id, add_qty="5")
        self.call("/b2b/json/cart/add", product_id=self.water.id, add_qty="2")
        line = self.cart_of(self.buyer_b).order_line.filtered(lambda line: line.product_id == self.cola)
        result = self.call("/b2b/json/cart/update", line_id=line.id, remove=True)
        self.assertTrue(result["ok"])
        self.assertEqual(result["undo"], {"product_id": self.cola.id, "quantity": 5.0,
                                         "product": "[T-COLA] Cola Case"})
        self.assertEqual(result["cart_count"], 1)
        self.assertNotIn("line_html", result)
        self.assertFalse(result["empty"])
        self.assertEqual(self.cart_lines(), [(self.water.id, 2.0, 8.5)])

        undo = self.call("/b2b/json/cart/add", product_id=self.cola.id, add_qty=result["undo"]["quantity"],
                         cart_parts=True)
        self.assertTrue(undo["ok"])
        self.assertIn("Cola Case", undo["line_html"])
        self.assertIn(self.money(16.0), undo["line_html"])
        self.assertEqual(undo["cart_count"], 2)
        self.assertEqual(self.cart_lines(), sorted([(self.cola.id, 5.0, 16.0), (self.water.id, 2.0, 8.5)]))

        # The last line removed: the page shows the empty cart.
        for line in self.cart_of(self.buyer_b).order_line:
            result = self.call("/b2b/json/cart/update", line_id=line.id, remove=True)
        self.assertTrue(result["empty"])

    def test_another_buyers_line_is_refused(self):
        other = self.env["sale.order"]._b2b_get_cart(self.buyer_c, create=True)
        other._b2b_add_products({self.water: 3})
        before = sorted((line.product_id.id, line.product_uom_qty) for line in other.order_line)
        # Without a cart of its own: refused, and the page is told it is empty.
        result = self.call("/b2b/json/cart/update", line_id=other.order_line.id, quantity="40")
        self.assertEqual((result["ok"], result["empty"]), (False, True))
        self.call("/b2b/json/cart/add", product_id=self.cola.id, add_qty="1")
        for params in ({"quantity": "40"}, {"remove": True}):
            result = self.call("/b2b/json/cart/update", line_id=other.order_line.id, **params)
            self.assertFalse(result["ok"])
            self.assertIn("This line is not in your cart.", [text for _level, text in result["messages"]])
        self.assertEqual(sorted((line.product_id.id, line.product_uom_qty) for line in other.order_line), before)

    def test_live_forms_answer_json_and_a_fresh_token(self):
        """List to cart sent by the page's script: the same route, the page stays."""
        order_list = self.env["b2b.order.list"].create({
            "name": "Bar", "partner_id": self.customer_b.id, "owner_id": self.buyer_b.id,
            "line_ids": [(0, 0, {"product_id": self.cola.id, "quantity": 4})],
        })
        form = {"csrf_token": self.csrf, "selection": "all", "form_token": "t1"}
        response = self.url_open(f"/b2b/lists/{order_list.id}/to_cart", data=form, headers={"X-B2B-Live": "1"},
                                 allow_redirects=False)
        self.assertEqual(response.status_code, 200)
        answer = response.json()
        self.assertEqual(answer["cart_count"], 1)
        self.assertEqual(answer["redirect"], "/b2b/cart")
        self.assertTrue(answer["form_token"])
        self.assertTrue(any("added to your cart" in text for _level, text in answer["messages"]))
        # The same token again: nothing done a second time.
        form = {"csrf_token": self.csrf, "selection": "all", "form_token": "t1"}
        response = self.url_open(f"/b2b/lists/{order_list.id}/to_cart", data=form, headers={"X-B2B-Live": "1"},
                                 allow_redirects=False)
        self.assertTrue(any("already sent" in text for _level, text in response.json()["messages"]))
        self.assertEqual(self.cart_lines(), [(self.cola.id, 4.0, 16.0)])
        # Without the header: the redirect of the form, as before.
        response = self.url_open(
            f"/b2b/lists/{order_list.id}/to_cart", data={"csrf_token": self.csrf, "selection": "all"},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303)


@tagged("post_install", "-at_install")
class TestLiveSearch(B2bHttpMixin, HttpCase, B2bPortalCommon):
    def search(self, user, term):
        self.authenticate(user.login, user.login)
        return self.make_jsonrpc_request("/b2b/json/search", {"term": term})

    def test_suggestions_carry_the_buyers_price_and_stock(self):
        self.cola.barcode = "5449000000996"
        result = self.search(self.portal_b, "cola")
        self.assertEqual([row["id"] for row in result["products"]], [self.cola.id])
        self.assertIn(TestLiveCart.money(16.0), result["html"])
        self.assertIn('data-status="in_stock"', result["html"])
        # A scanned barcode: its product first, marked exact.
        result = self.search(self.portal_b, "5449000000996")
        self.assertEqual(result["products"][0], {"id": self.cola.id, "first_qty": 1.0, "exact": True})
        # Company C's own exception price, never B's.
        result = self.search(self.portal_c, "T-WATER")
        self.assertIn(TestLiveCart.money(3.33), result["html"])

    def test_only_the_buyers_catalog(self):
        self.assertTrue(self.search(self.portal_b, "Knife")["products"])
        result = self.search(self.portal_c, "Knife")  # company C's catalog: drinks only
        self.assertEqual(result["products"], [])
        self.assertIn("No product matches", result["html"])
        self.knife.active = False
        self.assertEqual(self.search(self.portal_b, "Knife")["products"], [])
        self.assertEqual(self.search(self.portal_b, "   ")["products"], [])
        # Not a buyer: refused.
        self.authenticate(self.salesman.login, self.salesman.login)
        answer = self.json_call("/b2b/json/search", {"term": "Cola"})
        self.assertEqual(answer["error"]["data"]["name"], "werkzeug.exceptions.Forbidden")


    def test_product_page_price_follows_the_quantity_typed(self):
        self.authenticate(self.portal_b.login, self.portal_b.login)

        def price(product, quantity):
            answer = self.json_call("/b2b/json/price", {"product_id": product.id, "quantity": quantity})
            return answer.get("result", {}).get("html") or answer["error"]["data"]["name"]

        html = price(self.cola, "1")
        self.assertIn(TestLiveCart.money(16.0), html)
        self.assertIn("Order", html)
        self.assertIn('<span class="oe_currency_value">14.40</span>', html, "the next break's price")
        html = price(self.cola, "12")
        self.assertIn(TestLiveCart.money(14.4), html)
        self.assertNotIn("o_b2b_next_break", html)
        for junk in ("abc", "nan", "-5", None):
            self.assertIn(TestLiveCart.money(16.0), price(self.cola, junk))
        # What the cart holds counts: 8 in the cart and 2 typed reach the break.
        cart = self.env["sale.order"]._b2b_get_cart(self.buyer_b, create=True)
        cart._b2b_add_products({self.cola: 8})
        self.cr.flush()
        html = price(self.cola, "2")
        self.assertIn(TestLiveCart.money(14.4), html)
        self.assertIn("In your cart", html)
        # Not in company C's catalog: not found.
        self.authenticate(self.portal_c.login, self.portal_c.login)
        self.assertEqual(price(self.knife, "1"), "werkzeug.exceptions.NotFound")


@tagged("post_install", "-at_install")
class TestQuickOrderCheck(B2bHttpMixin, HttpCase, B2bPortalCommon):
    def check(self, rows):
        self.authenticate(self.portal_b.login, self.portal_b.login)
        return self.make_jsonrpc_request("/b2b/json/quick_order/check", {"rows": rows})["rows"]

    def test_each_line_checked_before_the_cart(self):
        self.env["product.packaging"].create({
            "name": "Tray", "product_id": self.water.id, "qty": 6, "sales": True,
        })
        rows = self.check([
            ["T-COLA", "12"], ["NOPE-42", "1"], ["T-RICE", "abc"], ["", ""], ["T-WATER", "4"], ["T-KNIFE", "-2"],
        ])
        self.assertEqual([(row["ok"], row["empty"]) for row in rows], [
            (True, False), (False, False), (False, False), (True, True), (True, False), (False, False),
        ])
        # Found, at the price of the quantity typed (the break from 10), with its stock.
        self.assertIn("Cola Case", rows[0]["html"])
        self.assertIn(TestLiveCart.money(14.4), rows[0]["html"])
        self.assertIn('data-status="in_stock"', rows[0]["html"])
        self.assertIn("NOPE-42 is not a reference you can order.", rows[1]["html"])
        self.assertIn("must be a number", rows[2]["html"])
        self.assertEqual(rows[3]["html"], "")
        self.assertIn("rounded up to 6", rows[4]["html"])
        self.assertIn("more than zero", rows[5]["html"])
        self.assertFalse(self.cart_of(self.buyer_b), "checking writes nothing")

    def test_same_answer_as_the_quick_order(self):
        """A reference outside the buyer's catalog reads as unknown, as the quick order says."""
        self.authenticate(self.portal_c.login, self.portal_c.login)
        rows = self.make_jsonrpc_request("/b2b/json/quick_order/check",
                                         {"rows": [["T-KNIFE", "1"], "junk", [1]]})["rows"]
        self.assertIn("T-KNIFE is not a reference you can order.", rows[0]["html"])
        self.assertTrue(rows[1]["empty"] and rows[2]["empty"])
        self.assertEqual(self.make_jsonrpc_request("/b2b/json/quick_order/check", {"rows": [["T-COLA", "1"]] * 501}),
                         {"rows": []})


@tagged("post_install", "-at_install")
class TestLiveTour(B2bHttpMixin, HttpCase, B2bPortalCommon):
    """In real Chromium: adding, searching, scanning and changing the cart
    without reloading the page, at a desktop's size."""

    def test_tour_without_page_reloads(self):
        self.rice.barcode = "5449000000996"
        self.start_tour("/b2b/catalog", "b2b_portal_live", login=self.portal_b.login)
        cart = self.cart_of(self.buyer_b)
        self.assertEqual(
            {line.product_id: (line.product_uom_qty, line.price_unit) for line in cart.order_line},
            {self.cola: (15.0, 14.4), self.water: (2.0, 8.5), self.rice: (1.0, 2.13)},
            "the grid's 3 Cola Cases added to the 12 of the cart, at the break price",
        )


@tagged("post_install", "-at_install")
class TestPhoneTour(B2bPhoneMixin, B2bHttpMixin, HttpCase, B2bPortalCommon):
    """The same pages on a 390 by 844 phone."""

    def test_tour_on_a_phone(self):
        self.start_tour("/b2b/catalog", "b2b_portal_phone", login=self.portal_b.login)
        line = self.cart_of(self.buyer_b).order_line
        self.assertEqual((line.product_id, line.product_uom_qty, line.price_unit), (self.cola, 12.0, 14.4))
