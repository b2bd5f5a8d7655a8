import html
import re

from odoo.tests import HttpCase, tagged

from .common import B2bHttpMixin, B2bPhoneMixin
from .test_order_lists import B2bListsCommon


@tagged("post_install", "-at_install")
class TestOrderListsHttp(B2bHttpMixin, HttpCase, B2bListsCommon):
    """The list pages over real HTTP, as Ben (a buyer of company B)."""

    def setUp(self):
        super().setUp()
        self.authenticate(self.ben.login, self.ben.login)

    def lines_of(self, order_list):
        return [(line.product_id, line.quantity, line.par_qty, line.note or "") for line in order_list.line_ids]

    @staticmethod
    def messages(response):
        return [html.unescape(re.sub(r"\s+", " ", text).strip())
                for text in re.findall(r'o_b2b_message"[^>]*>(.*?)</div>', response.text, re.S)]

    def test_make_a_list_from_the_catalog_and_change_it(self):
        response = self.post_form("/b2b/lists/new", {"name": "Kitchen weekly", "sharing": "company"})
        order_list = self.env["b2b.order.list"].search([("name", "=", "Kitchen weekly")])
        self.assertEqual((order_list.owner_id, order_list.sharing, order_list.partner_id),
                         (self.ben.partner_id, "company", self.customer_b))
        self.assertIn("This list is empty", response.text)
        # The catalog and the product page offer Ben's lists, and a new one.
        catalog = self.url_open("/b2b/catalog").text
        self.assertRegex(catalog, f'name="list_id"[^>]*value="{order_list.id}"')
        self.assertNotRegex(catalog, f'name="list_id"[^>]*value="{self.office_list.id}"')
        self.post_form("/b2b/lists/add", {"product_id": self.cola.id, "add_qty": "4", "list_id": order_list.id})
        self.post_form("/b2b/lists/add", {"product_id": self.cola.id, "add_qty": "2", "list_id": order_list.id})
        response = self.post_form("/b2b/lists/add", {"product_id": self.water.id, "add_qty": "3",
                                                     "list_id": order_list.id, "redirect": "/b2b/catalog"})
        self.assertIn("[T-WATER] Water Case added to the list Kitchen weekly.", self.messages(response))
        self.assertEqual(self.lines_of(order_list), [(self.cola, 6, 0, ""), (self.water, 3, 0, "")])
        self.post_form("/b2b/lists/add", {"product_id": self.rice.id, "add_qty": "1.5", "list_id": "new",
                                          "list_name": "Dry store"})
        self.assertEqual(self.lines_of(self.env["b2b.order.list"].search([("name", "=", "Dry store")])),
                         [(self.rice, 1.5, 0, "")])
        # Quantities, par levels and notes in one form; move a line up; remove one.
        cola, water = order_list.line_ids
        self.post_form(f"/b2b/lists/{order_list.id}/update", {
            f"qty_{cola.id}": "8", f"par_{cola.id}": "24", f"note_{cola.id}": "bar fridge",
            f"qty_{water.id}": "3", f"par_{water.id}": "", f"note_{water.id}": "", "move": f"{water.id}:up",
        })
        self.assertEqual(self.lines_of(order_list), [(self.water, 3, 0, ""), (self.cola, 8, 24, "bar fridge")])
        # A bad quantity changes nothing and says why.
        response = self.post_form(f"/b2b/lists/{order_list.id}/update", {f"qty_{cola.id}": "2.5",
                                                                        f"qty_{water.id}": "1"})
        self.assertIn("[T-COLA] Cola Case is sold by Units: order a whole number.", self.messages(response))
        self.assertEqual(self.lines_of(order_list)[0][1], 3)
        self.post_form(f"/b2b/lists/{order_list.id}/update", {"remove": water.id})
        self.assertEqual(self.lines_of(order_list), [(self.cola, 8, 24, "bar fridge")])
        self.post_form(f"/b2b/lists/{order_list.id}/rename", {"name": "Bar", "sharing": "private"})
        self.assertEqual((order_list.name, order_list.sharing), ("Bar", "private"))
        response = self.post_form(f"/b2b/lists/{order_list.id}/copy", {})
        copy = self.env["b2b.order.list"].search([("name", "=", "Bar (copy)")])
        self.assertEqual((self.lines_of(copy), copy.owner_id), (self.lines_of(order_list), self.ben.partner_id))
        self.post_form(f"/b2b/lists/{copy.id}/delete", {})
        self.assertFalse(copy.exists())

    def test_list_to_cart_shows_what_changed_and_drops_nothing_silently(self):
        order_list = self.ben_shared
        order_list._b2b_set_lines({self.knife: 1, self.rice: 2})
        self.env["b2b.tier.price"].search([("product_tmpl_id", "=", self.cola.product_tmpl_id.id),
                                           ("tier_id", "=", self.tier_b.id)]).price = 17.0
        self.knife.active = False
        page = self.url_open(f"/b2b/lists/{order_list.id}").text
        self.assertIn("Since this list was made", page)
        self.assertIn("1 price(s) up", page)
        self.assertIn("1 low in stock", page)
        self.assertIn("1 no longer orderable", page)
        self.assertRegex(page, r'data-change="up">\s*<i class="fa fa-arrow-up"></i> was.*16\.00')
        self.assertIn('data-status="gone"', page)
        cola, _water, knife, rice = order_list.line_ids
        response = self.post_form(f"/b2b/lists/{order_list.id}/to_cart", {
            "selection": "ticked", "line_ids": [cola.id, knife.id, rice.id], f"qty_{cola.id}": "12",
            f"qty_{rice.id}": "0",
        })
        cart = self.cart_of(self.ben.partner_id)
        self.assertEqual({line.product_id: line.product_uom_qty for line in cart.order_line}, {self.cola: 12})
        self.assertEqual(cart.order_line.price_unit, 15.3)  # 17.00 with the 10 % break from 10
        messages = self.messages(response)
        self.assertIn("Not added: [T-KNIFE] Knife (no longer orderable), [T-RICE] Rice (quantity 0)", messages)
        self.assertIn("1 lines of the list Bar weekly added to your cart.", messages)
        # All lines: the list's own quantities; the list itself is unchanged.
        self.post_form(f"/b2b/lists/{order_list.id}/to_cart", {"selection": "all"})
        self.assertEqual({line.product_id: line.product_uom_qty for line in cart.order_line},
                         {self.cola: 18, self.water: 3, self.rice: 2})
        self.assertEqual([line.quantity for line in order_list.line_ids], [6, 3, 1, 2])
        response = self.post_form(f"/b2b/lists/{order_list.id}/to_cart", {"selection": "ticked"})
        self.assertIn("Tick the lines to add to the cart.", self.messages(response))

    def test_count_the_shelf_fills_the_cart_to_par(self):
        self.env["product.packaging"].create({"name": "Case of 12", "product_id": self.cola.id, "qty": 12,
                                              "sales": True})
        order_list = self.ben_private
        order_list._b2b_set_lines({self.cola: 2, self.water: 1, self.rice: 1},
                                  pars={self.cola: 30, self.water: 4, self.rice: 5})
        cola, water, rice = order_list.line_ids
        page = self.url_open(f"/b2b/lists/{order_list.id}/count").text
        self.assertEqual(page.count("o_b2b_count_line"), 3)
        self.assertIn("by the Case of 12 of 12", page)
        response = self.post_form(f"/b2b/lists/{order_list.id}/count", {
            f"onhand_{cola.id}": "7", f"onhand_{water.id}": "6", f"onhand_{rice.id}": "",
        })
        cart = self.cart_of(self.ben.partner_id)
        self.assertEqual({line.product_id: line.product_uom_qty for line in cart.order_line},
                         {self.cola: 24})
        messages = self.messages(response)
        self.assertIn("Restocked to par from Ben's private: 24 × [T-COLA] Cola Case", messages)
        self.assertIn("Not ordered: [T-WATER] Water Case (at or above par), [T-RICE] Rice (not counted)", messages)
        response = self.post_form(f"/b2b/lists/{order_list.id}/count", {f"onhand_{cola.id}": "-2"})
        self.assertIn("[T-COLA] Cola Case: what is on the shelf cannot be less than zero.", self.messages(response))
        response = self.post_form(f"/b2b/lists/{order_list.id}/count", {f"onhand_{cola.id}": "many"})
        self.assertIn("The quantity must be a number.", self.messages(response))
        self.assertEqual(self.cart_of(self.ben.partner_id).order_line.product_uom_qty, 24)

    def test_save_the_cart_and_a_past_order_as_lists(self):
        cart = self.env["sale.order"]._b2b_get_cart(self.ben.partner_id, create=True)
        cart._b2b_add_products({self.cola: 5, self.rice: 2.5})
        response = self.post_form("/b2b/cart/save_list", {"name": "Friday", "sharing": "company"})
        saved = self.env["b2b.order.list"].search([("name", "=", "Friday")])
        self.assertEqual((self.lines_of(saved), saved.sharing), ([(self.cola, 5, 0, ""), (self.rice, 2.5, 0, "")],
                                                                 "company"))
        self.assertIn("Your cart is saved as the list Friday.", self.messages(response))
        past = self._confirmed_order(self.ben.partner_id, self.water, 4, "PO-BEN-PAST")
        past.order_line = [(0, 0, {"product_id": self.knife.id, "product_uom_qty": 1})]
        self.knife.active = False
        self.assertIn("o_b2b_save_order_list", self.url_open(f"/my/orders/{past.id}").text)
        response = self.post_form(f"/b2b/order/{past.id}/save_list", {})
        saved = self.env["b2b.order.list"].search([("name", "=", "PO-BEN-PAST")])
        self.assertEqual(self.lines_of(saved), [(self.water, 4, 0, "")])
        self.assertIn("Left out, no longer orderable: [T-KNIFE] Knife", self.messages(response))
        # Another company's order is not found.
        self.assertEqual(self.post_form(f"/b2b/order/{self.order_c.id}/save_list", {}).status_code, 404)

    def test_csv_over_http(self):
        response = self.post_form(f"/b2b/lists/{self.ben_private.id}/import",
                                  {"lines": "T-WATER;4;8;back bar\nT-NOPE;1"})
        self.assertIn("1 lines imported into the list.", self.messages(response))
        self.assertIn("Line 2 (<code>T-NOPE;1</code>): T-NOPE is not a reference you can order.", response.text)
        export = self.url_open(f"/b2b/lists/{self.ben_private.id}/export")
        self.assertEqual(export.headers["Content-Type"], "text/csv; charset=utf-8")
        self.assertIn("attachment", export.headers["Content-Disposition"])
        self.assertEqual(export.text, "reference,quantity,par,note\nT-COLA,2,,\nT-WATER,4,8,back bar\n")

    def test_readers_of_a_shared_or_office_list_copy_it_and_change_nothing(self):
        self.authenticate(self.admin_b.login, self.admin_b.login)  # an administrator edits a shared list
        self.assertIn("o_b2b_list_save", self.url_open(f"/b2b/lists/{self.ben_shared.id}").text)
        colleague = self._create_portal_user("b2b_cleo", self.env["res.partner"].create({
            "name": "Cleo Colleague", "parent_id": self.customer_b.id,
        }))
        self.authenticate(colleague.login, colleague.login)
        for order_list in (self.ben_shared, self.office_list):
            with self.subTest(order_list=order_list.name):
                page = self.url_open(f"/b2b/lists/{order_list.id}").text
                self.assertNotIn("o_b2b_list_save", page)
                self.assertIn("o_b2b_copy", page)
                before = self.lines_of(order_list)
                line = order_list.line_ids[0]
                for path, data in (("update", {f"qty_{line.id}": "99"}), ("rename", {"name": "Mine"}),
                                   ("delete", {}), ("import", {"lines": "T-COLA;99"})):
                    self.assertEqual(self.post_form(f"/b2b/lists/{order_list.id}/{path}", data).status_code, 404)
                self.assertEqual((self.lines_of(order_list), order_list.exists().name != "Mine"), (before, True))
                self.post_form(f"/b2b/lists/{order_list.id}/copy", {})
                copy = self.env["b2b.order.list"].search([("name", "=", f"{order_list.name} (copy)"),
                                                          ("owner_id", "=", colleague.partner_id.id)])
                self.assertEqual((self.lines_of(copy), copy.sharing), (before, "private"))
        # A viewer reads the shared list, adds nothing and copies nothing.
        self.authenticate(self.vera.login, self.vera.login)
        page = self.url_open(f"/b2b/lists/{self.ben_shared.id}").text
        self.assertIn("Bar weekly", page)
        self.assertNotIn("o_b2b_list_all_to_cart", page)
        self.assertEqual(self.post_form(f"/b2b/lists/{self.ben_shared.id}/copy", {}).status_code, 403)

    def test_another_companys_lists_over_http_and_json_rpc(self):
        self.authenticate(self.portal_c.login, self.portal_c.login)
        private_id = self.ben_private.id
        for path in (f"/b2b/lists/{private_id}", f"/b2b/lists/{self.ben_shared.id}/count",
                     f"/b2b/lists/{self.office_list.id}/export"):
            self.assertEqual(self.url_open(path).status_code, 404, path)
        self.assertNotIn("Bar weekly", self.url_open("/b2b/lists").text)
        for model, domain in (("b2b.order.list", []), ("b2b.order.list.line", [])):
            found = self.make_jsonrpc_request(f"/web/dataset/call_kw/{model}/search_read", {
                "model": model, "method": "search_read", "args": [domain], "kwargs": {"fields": ["display_name"]},
            })
            self.assertEqual(found, self.env[model].search_read(
                [("partner_id", "=", self.customer_c.id)], ["display_name"]), model)
        for method, args in (("write", [[self.ben_shared.id], {"name": "Hijacked"}]),
                             ("unlink", [[self.ben_shared.id]]),
                             ("read", [[self.ben_shared.id], ["name"]]),
                             ("copy", [[self.office_list.id]])):
            answer = self.json_call(f"/web/dataset/call_kw/b2b.order.list/{method}", {
                "model": "b2b.order.list", "method": method, "args": args, "kwargs": {},
            })
            self.assertEqual(answer["error"]["data"]["name"], "odoo.exceptions.AccessError", method)
        self.assertEqual(self.ben_shared.name, "Bar weekly")

    def test_list_page_and_list_to_cart_in_a_fixed_number_of_queries(self):
        products = self.env["product.product"].create([
            {"name": f"List filler {i:03d}", "default_code": f"T-FILL-{i:03d}", "list_price": 5 + i,
             "categ_id": self.categ_soft.id, "is_storable": True}
            for i in range(40)
        ])
        small = self.env["b2b.order.list"]._b2b_create_for(self.ben.partner_id, "Small", "private",
                                                           dict.fromkeys(products[:3], 2))
        large = self.env["b2b.order.list"]._b2b_create_for(self.ben.partner_id, "Large", "private",
                                                           dict.fromkeys(products, 2))
        self.url_open(f"/b2b/lists/{small.id}")  # warm caches: assets, views, session

        def queries(order_list, method, path, data=None):
            self.cart_of(self.ben.partner_id).unlink()  # each list into an empty cart
            self.env.invalidate_all()
            token = re.search(r'csrf_token: "([^"]+)"', self.url_open("/my").text).group(1)
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            if method == "GET":
                response = self.url_open(path)
                self.assertEqual(response.text.count("o_b2b_list_line"), len(order_list.line_ids))
            else:
                response = self.url_open(path, data={**(data or {}), "csrf_token": token}, allow_redirects=False)
                self.assertEqual(response.status_code, 303)
            return self.cr.sql_log_count - before

        self.assertEqual(queries(small, "GET", f"/b2b/lists/{small.id}"),
                         queries(large, "GET", f"/b2b/lists/{large.id}"))
        queries(small, "POST", f"/b2b/lists/{small.id}/to_cart", {"selection": "all"})  # warm Odoo's caches
        self.assertEqual(queries(small, "POST", f"/b2b/lists/{small.id}/to_cart", {"selection": "all"}),
                         queries(large, "POST", f"/b2b/lists/{large.id}/to_cart", {"selection": "all"}))
        self.assertEqual(len(self.cart_of(self.ben.partner_id).order_line), 40)


@tagged("post_install", "-at_install")
class TestOrderListTours(B2bHttpMixin, HttpCase, B2bListsCommon):
    def test_tour_catalog_to_list_to_cart(self):
        self.start_tour("/b2b/catalog", "b2b_portal_lists", login=self.ben.login)
        order_list = self.env["b2b.order.list"].search([("name", "=", "Weekly bar")])
        self.assertEqual([(line.product_id, line.quantity, line.par_qty) for line in order_list.line_ids],
                         [(self.cola, 6, 24)])
        self.assertEqual(self.cart_of(self.ben.partner_id).order_line.product_uom_qty, 6)


@tagged("post_install", "-at_install")
class TestOrderListPhoneTour(B2bPhoneMixin, B2bHttpMixin, HttpCase, B2bListsCommon):
    """The par-level count on a phone-sized screen, by touch."""

    def test_tour_count_the_shelf_on_a_phone(self):
        self.env["product.packaging"].create({"name": "Case of 12", "product_id": self.cola.id, "qty": 12,
                                              "sales": True})
        self.env["b2b.order.list"]._b2b_create_for(self.ben.partner_id, "Bar par", "company",
                                                   {self.cola: 12, self.water: 2, self.rice: 1})
        order_list = self.env["b2b.order.list"].search([("name", "=", "Bar par")])
        order_list._b2b_set_lines({self.cola: 12, self.water: 2, self.rice: 1},
                                  pars={self.cola: 30, self.water: 4, self.rice: 5})
        self.start_tour("/b2b/lists", "b2b_portal_par_count", login=self.ben.login)
        # Cola: 30 - 7 = 23, by the case of 12: 24; water: 4 - 1 = 3; rice not counted.
        cart = self.cart_of(self.ben.partner_id)
        self.assertEqual({line.product_id: line.product_uom_qty for line in cart.order_line},
                         {self.cola: 24, self.water: 3})


@tagged("post_install", "-at_install")
class TestOrderListsBadInput(B2bHttpMixin, HttpCase, B2bListsCommon):
    """Bad input on the list routes: a clear message, nothing changed."""

    def setUp(self):
        super().setUp()
        self.authenticate(self.ben.login, self.ben.login)
        self.ben_private._b2b_set_lines({self.cola: 2}, pars={self.cola: 10})
        self.line = self.ben_private.line_ids

    messages = staticmethod(TestOrderListsHttp.messages)

    def test_numbers_that_are_not_numbers(self):
        for field, route in (("qty", "update"), ("par", "update"), ("onhand", "count"), ("qty", "to_cart")):
            for value in ("nan", "inf", "-inf", "1e999", "12abc"):
                with self.subTest(field=field, value=value):
                    response = self.post_form(f"/b2b/lists/{self.ben_private.id}/{route}",
                                              {f"{field}_{self.line.id}": value, "selection": "all"})
                    self.assertEqual(response.status_code, 200)
                    self.assertIn("The quantity must be a number.", self.messages(response))
        self.assertEqual((self.line.quantity, self.line.par_qty), (2, 10))
        self.assertFalse(self.cart_of(self.ben.partner_id))

    def test_a_form_sent_twice_changes_nothing_the_second_time(self):
        page = self.url_open(f"/b2b/lists/{self.ben_private.id}").text
        token = re.search(r'action="/b2b/lists/\d+/to_cart">\s*<input[^>]*csrf_token[^>]*>\s*'
                          r'<input type="hidden" name="form_token" value="([0-9a-f]+)"', page).group(1)
        for _attempt in range(2):
            response = self.post_form(f"/b2b/lists/{self.ben_private.id}/to_cart",
                                      {"selection": "all", "form_token": token})
        self.assertIn("This form was already sent: nothing was done a second time.", self.messages(response))
        self.assertEqual(self.cart_of(self.ben.partner_id).order_line.product_uom_qty, 2)
        count_page = self.url_open(f"/b2b/lists/{self.ben_private.id}/count").text
        token = re.search(r'name="form_token" value="([0-9a-f]+)"', count_page).group(1)
        for _attempt in range(2):
            self.post_form(f"/b2b/lists/{self.ben_private.id}/count",
                           {f"onhand_{self.line.id}": "4", "form_token": token})
        self.assertEqual(self.cart_of(self.ben.partner_id).order_line.product_uom_qty, 8)  # 2 + (10 - 4), once
        lists = self.url_open("/b2b/lists").text
        token = re.search(r'name="form_token" value="([0-9a-f]+)"', lists).group(1)
        for _attempt in range(2):
            self.post_form("/b2b/lists/new", {"name": "Twice", "form_token": token})
        self.assertEqual(self.env["b2b.order.list"].search_count([("name", "=", "Twice")]), 1)

    def test_files_and_text_in_each_others_fields(self):
        token = re.search(r'csrf_token: "([^"]+)"', self.url_open("/my").text).group(1)
        for path, field in ((f"/b2b/lists/{self.ben_private.id}/import", "lines"), ("/b2b/quick_order", "lines")):
            with self.subTest(path=path):
                response = self.url_open(path, data={"csrf_token": token, "upload": "T-COLA;5"},
                                         files={field: ("lines.csv", b"T-COLA;5", "text/csv")})
                self.assertEqual(response.status_code, 200)
                self.assertIn("Nothing to add", response.text)
        self.assertEqual(self.line.quantity, 2)
        self.assertFalse(self.cart_of(self.ben.partner_id))
