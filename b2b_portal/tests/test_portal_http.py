import re
from unittest.mock import patch

from odoo.tests import HttpCase, tagged
from odoo.tools.query import Query

from odoo.addons.b2b_portal.controllers import catalog as catalog_controllers

from .common import B2bHttpMixin, B2bPortalCommon

GET_ROUTES = ("/b2b", "/b2b/catalog", "/b2b/cart", "/b2b/favorites", "/b2b/quick_order")


@tagged("post_install", "-at_install")
class TestPortalHttp(B2bHttpMixin, HttpCase, B2bPortalCommon):
    def login_as(self, user):
        self.authenticate(user.login, user.login)

    def post(self, path, data=None, csrf=True):
        data = dict(data or {})
        if csrf:
            data["csrf_token"] = self.csrf_token()
        return self.url_open(path, data=data, allow_redirects=True)

    def csrf_token(self):
        page = self.url_open("/b2b/quick_order")
        return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)

    def snapshot(self, partner):
        """What a refused request must leave untouched."""
        cart = self.cart_of(partner)
        return (
            sorted((line.product_id.id, line.product_uom_qty, line.price_unit) for line in cart.order_line),
            self.env["sale.order"].search_count([("partner_id", "child_of", partner.commercial_partner_id.id)]),
            sorted(self.env["b2b.favorite"].sudo().search([]).mapped(lambda f: (f.partner_id.id, f.product_id.id))),
        )

    # Access -------------------------------------------------------------

    def test_anonymous_visitors_are_sent_to_login(self):
        for path in (*GET_ROUTES, f"/b2b/product/{self.cola.id}", f"/b2b/order/{self.order_c.id}/submitted"):
            with self.subTest(path=path):
                response = self.url_open(path, allow_redirects=False)
                self.assertEqual(response.status_code, 303)
                self.assertIn("/web/login", response.headers["Location"])

    def web_login(self, user):
        """Log in through the real login form, as a person does."""
        page = self.url_open("/web/login")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        return self.url_open("/web/login", data={"login": user.login, "password": user.login, "csrf_token": csrf},
                             allow_redirects=False)

    def test_buyer_lands_on_b2b_dashboard_after_login(self):
        self.assertTrue(self.web_login(self.portal_b).headers["Location"].endswith("/b2b"))
        self.url_open("/web/session/logout")
        self.assertTrue(self.web_login(self.portal_plain).headers["Location"].endswith("/my"))

    def test_portal_user_without_tier_is_refused(self):
        self.login_as(self.portal_plain)
        for path in GET_ROUTES:
            with self.subTest(path=path):
                self.assertEqual(self.url_open(path).status_code, 403)
        self.assertNotIn('href="/b2b"', self.url_open("/my").text)

    def test_dashboard_shows_the_company_figures_only(self):
        self._confirmed_order(self.customer_b, self.water, 2, "PO-MINE-B")
        self.login_as(self.portal_b)
        page = self.url_open("/b2b").text
        self.assertIn("PO-MINE-B", page)
        self.assertNotIn("PO-SECRET-C", page)
        self.assertIn('href="/b2b"', self.url_open("/my").text)

    # Catalog and product -----------------------------------------------

    def test_catalog_shows_the_buyers_price_and_stock(self):
        self.login_as(self.portal_b)
        page = self.url_open("/b2b/catalog?search=T-COLA").text
        self.assertIn("Cola Case", page)
        self.assertRegex(page, r"16\.00")
        self.assertIn('data-status="in_stock"', page)
        self.assertNotIn("Water Case", page)
        self.assertIn("Low stock", self.url_open("/b2b/catalog?search=Water").text)
        in_stock = self.url_open("/b2b/catalog?in_stock=1&ppg=80").text
        self.assertIn("Cola Case", in_stock)
        self.assertNotIn("Knife", in_stock)

    def test_catalog_of_a_restricted_company(self):
        self.login_as(self.portal_c)
        page = self.url_open("/b2b/catalog?ppg=80").text
        self.assertIn("Cola Case", page)
        self.assertIn("18.50", page)
        self.assertNotIn("Knife", page)
        self.assertNotIn("Rice", page)
        self.assertEqual(self.url_open(f"/b2b/product/{self.knife.id}").status_code, 404)

    def test_product_page_shows_break_table_and_next_break(self):
        self.login_as(self.portal_b)
        page = self.url_open(f"/b2b/product/{self.cola.id}").text
        self.assertIn("o_b2b_breaks", page)
        self.assertIn("14.40", page)
        self.assertRegex(page, r"Order\s+9\s+more")
        self.assertIn(self.cola.uom_id.name, page)

    def test_product_page_404_for_archived_unsaleable_or_unknown(self):
        self.login_as(self.portal_b)
        self.water.active = False
        self.rice.sale_ok = False
        for product_id in (self.water.id, self.rice.id, 999999):
            with self.subTest(product_id=product_id):
                self.assertEqual(self.url_open(f"/b2b/product/{product_id}").status_code, 404)

    def test_catalog_query_count_does_not_depend_on_page_size(self):
        self.env["product.product"].create([
            {"name": f"Page filler {i:03d}", "list_price": 5 + i, "categ_id": self.categ_soft.id, "is_storable": True}
            for i in range(90)
        ])
        self.login_as(self.portal_b)
        self.url_open("/b2b/catalog?ppg=20")  # warm caches: assets, views, session

        def queries(size):
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            response = self.url_open(f"/b2b/catalog?ppg={size}")
            self.assertEqual(response.text.count("o_b2b_product_row"), size)
            return self.cr.sql_log_count - before

        self.assertEqual(queries(20), queries(80))

    def test_catalog_counts_only_so_far_ahead(self):
        self.env["product.product"].create([
            {"name": f"Page filler {i:03d}", "list_price": 5 + i, "categ_id": self.categ_soft.id}
            for i in range(90)
        ])
        total = self.env["product.product"].with_user(self.portal_b).search_count([("sale_ok", "=", True)])
        self.login_as(self.portal_b)

        def shown(url):
            text = self.url_open(url).text
            count = re.search(r'o_b2b_product_count">\s*(.*?)\s*</p>', text, re.S).group(1)
            pages = {int(number) for number in re.findall(r"/b2b/catalog/page/(\d+)", text)}
            return " ".join(re.sub(r"<[^>]+>", " ", count).split()), max(pages | {1})

        with patch.object(catalog_controllers, "CATALOG_COUNT_AHEAD", 30):
            self.assertEqual(shown("/b2b/catalog?ppg=20"), ("More than 30 products", 2))
            self.assertEqual(shown("/b2b/catalog/page/2?ppg=20"), ("More than 50 products", 3))
            last = (total + 19) // 20
            self.assertEqual(shown(f"/b2b/catalog/page/{last}?ppg=20"), (f"{total} products", last))
        self.assertEqual(shown("/b2b/catalog?ppg=20"), (f"{total} products", last))

    def test_name_sorting_is_indexed_in_every_active_language(self):
        def indexed():
            self.env.cr.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'product_template'"
                                " AND indexname LIKE 'product_template__b2b_name_%%'")
            return {row[0].split(" USING btree ")[1] for row in self.env.cr.fetchall()}

        self.assertIn("(((name ->> 'en_US'::text)))", indexed())
        self.env["res.lang"]._activate_lang("fr_FR")
        self.assertEqual(indexed(), {"(((name ->> 'en_US'::text)))",
                                     "(COALESCE((name ->> 'fr_FR'::text), (name ->> 'en_US'::text)))"})
        # The index is on what Odoo sorts by in that language.
        order = self.env["product.template"].with_context(lang="fr_FR")._order_to_sql(
            "name", Query(self.env, "product_template"))
        self.assertEqual(order.code.strip(), 'COALESCE("product_template"."name"->>%s, "product_template"."name"->>%s)')
        self.assertEqual(order.params, ["fr_FR", "en_US"])

    # Cart and orders ----------------------------------------------------

    def test_add_to_cart_and_submit_through_http(self):
        self.login_as(self.portal_b)
        response = self.post("/b2b/cart/add", {"product_id": self.cola.id, "add_qty": "12"})
        self.assertIn("added to your cart", response.text)
        cart = self.cart_of(self.buyer_b)
        self.assertEqual((cart.order_line.product_uom_qty, cart.order_line.price_unit), (12, 14.4))
        response = self.post("/b2b/cart/submit", {"client_order_ref": "PO-HTTP-1"})
        self.assertIn("awaiting approval", response.text)
        self.assertEqual(cart.b2b_state, "pending")
        # A second click lands on the same order and creates nothing.
        count = self.env["sale.order"].search_count([("partner_id", "=", self.buyer_b.id)])
        response = self.post("/b2b/cart/submit", {"client_order_ref": "PO-HTTP-1"})
        self.assertIn(cart.name, response.text)
        self.assertEqual(self.env["sale.order"].search_count([("partner_id", "=", self.buyer_b.id)]), count)

    def test_forged_price_is_ignored(self):
        self.login_as(self.portal_b)
        self.post("/b2b/cart/add", {"product_id": self.cola.id, "add_qty": "1", "price_unit": "0.01",
                                    "discount": "99"})
        line = self.cart_of(self.buyer_b).order_line
        self.assertEqual((line.price_unit, line.discount), (16.0, 0.0))

    def test_other_companys_ids_and_unauthorised_products_are_refused(self):
        cart_c = self.env["sale.order"]._b2b_get_cart(self.buyer_c, create=True)
        cart_c._b2b_add_products({self.cola: 1})
        favorite_c = self.env["b2b.favorite"].create({"partner_id": self.customer_c.id, "product_id": self.cola.id})
        self.login_as(self.portal_c)
        before_c = self.snapshot(self.buyer_c)
        for path, data in (
            ("/b2b/cart/add", {"product_id": self.knife.id, "add_qty": "1"}),
            ("/b2b/favorite/toggle", {"product_id": self.rice.id}),
        ):
            with self.subTest(path=path):
                response = self.post(path, data)
                self.assertIn(response.status_code, (200, 404))
        self.assertEqual(self.snapshot(self.buyer_c), before_c)
        self.login_as(self.portal_b)
        before_b = self.snapshot(self.buyer_b)
        self.assertEqual(self.url_open(f"/b2b/order/{self.order_c.id}/submitted").status_code, 404)
        self.assertEqual(self.post(f"/b2b/reorder/{self.order_c.id}").status_code, 404)
        response = self.post("/b2b/cart/update", {"line_id": cart_c.order_line.id, "quantity": "50"})
        self.assertIn("not in your cart", response.text)
        response = self.post("/b2b/favorites/add_all", {f"qty_{favorite_c.id}": "40"})
        self.assertIn("no favourites", response.text)
        self.assertEqual(self.snapshot(self.buyer_b), before_b)
        self.assertEqual(cart_c.order_line.product_uom_qty, 1)
        self.assertTrue(favorite_c.exists())
        # Nothing of company C, not even its negotiated price, reaches B.
        for path in (*GET_ROUTES, f"/b2b/product/{self.water.id}"):
            page = self.url_open(path).text
            self.assertNotIn("3.33", page)
            self.assertNotIn("PO-SECRET-C", page)
            self.assertNotIn("Canteen Test Company", page)

    def test_post_without_csrf_token_changes_nothing(self):
        self.login_as(self.portal_b)
        before = self.snapshot(self.buyer_b)
        response = self.post("/b2b/cart/add", {"product_id": self.cola.id, "add_qty": "1"}, csrf=False)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.snapshot(self.buyer_b), before)

    def test_cart_survives_logout_and_login(self):
        self.login_as(self.portal_b)
        self.post("/b2b/cart/add", {"product_id": self.cola.id, "add_qty": "3"})
        self.url_open("/web/session/logout")
        self.login_as(self.portal_b)
        self.assertIn("Cola Case", self.url_open("/b2b/cart").text)

    def test_reorder_and_quick_order_through_http(self):
        past = self._confirmed_order(self.customer_b, self.water, 2, "PO-PAST-B")
        self.login_as(self.portal_b)
        response = self.post(f"/b2b/reorder/{past.id}")
        self.assertIn("Water Case", response.text)
        response = self.post("/b2b/quick_order", {"lines": "T-COLA 5\nNOPE 1"})
        self.assertIn("NOPE is not a reference you can order.", response.text)
        quantities = {line.product_id: line.product_uom_qty for line in self.cart_of(self.buyer_b).order_line}
        self.assertEqual(quantities, {self.water: 2, self.cola: 5})

    def test_favourite_toggle_and_add_all(self):
        self.login_as(self.portal_b)
        self.post("/b2b/favorite/toggle", {"product_id": self.cola.id})
        favorite = self.env["b2b.favorite"].search([("partner_id", "=", self.customer_b.id)])
        self.assertEqual(favorite.product_id, self.cola)
        response = self.post("/b2b/favorites/add_all", {f"qty_{favorite.id}": "7"})
        self.assertIn("Cola Case", response.text)
        self.assertEqual(self.cart_of(self.buyer_b).order_line.product_uom_qty, 7)
        self.post("/b2b/favorite/toggle", {"product_id": self.cola.id})
        self.assertFalse(favorite.exists())

    def test_script_in_inputs_is_escaped(self):
        self.login_as(self.portal_b)
        evil = '<script>alert("x")</script>'
        self.assertNotIn(evil, self.url_open(f"/b2b/catalog?search={evil}").text)
        self.post("/b2b/cart/add", {"product_id": self.cola.id, "add_qty": "1"})
        self.post("/b2b/cart/submit", {"client_order_ref": evil, "note": evil})
        page = self.url_open("/b2b").text
        self.assertNotIn(evil, page)
        self.assertIn("&lt;script&gt;", page)

    # Reading pages writes nothing ---------------------------------------------

    def test_cart_page_shows_todays_prices_without_writing_them(self):
        cart = self.env["sale.order"]._b2b_get_cart(self.buyer_b, create=True)
        cart._b2b_add_products({self.cola: 2})
        line = cart.order_line
        self.assertEqual(line.price_unit, 16.0)
        self.env["b2b.tier.price"].search([("product_tmpl_id", "=", self.cola.product_tmpl_id.id),
                                           ("tier_id", "=", self.tier_b.id)]).price = 14.0
        self.env.flush_all()
        self.env.cr.execute("SELECT write_date, date_order, amount_total FROM sale_order WHERE id = %s", [cart.id])
        before = self.env.cr.fetchall()
        self.login_as(self.portal_b)
        page = self.url_open("/b2b/cart").text
        # Shown at today's price, with the change and totals computed live...
        self.assertRegex(page, r"changed from \S*\s?16\.00\S* to \S*\s?14\.00")
        self.assertRegex(page, r'o_b2b_line_price"[^>]*>.*14\.00')
        self.assertRegex(page, r'o_b2b_total"[^>]*>.*28\.00')
        # ... while nothing was written.
        self.env.invalidate_all()
        self.env.cr.execute("SELECT write_date, date_order, amount_total FROM sale_order WHERE id = %s", [cart.id])
        self.assertEqual(self.env.cr.fetchall(), before)
        self.assertEqual(line.price_unit, 16.0)
        # A POST (here an update of the quantity) writes today's prices.
        self.post("/b2b/cart/update", {"line_id": line.id, "quantity": "3"})
        self.env.invalidate_all()
        self.assertEqual((line.product_uom_qty, line.price_unit, cart.amount_total), (3.0, 14.0, 42.0))
        self.assertNotIn("changed from", self.url_open("/b2b/cart").text)

    def test_catalog_images_are_cacheable_urls(self):
        self.login_as(self.portal_b)
        page = self.url_open("/b2b/catalog?search=T-COLA").text
        self.assertNotIn("data:image", page)
        url = re.search(rf'src="(/web/image/product\.product/{self.cola.id}/image_128\?unique=\d+)"', page).group(1)
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.headers["Content-Type"].startswith("image/"))
        product_page = self.url_open(f"/b2b/product/{self.cola.id}").text
        self.assertIn(f"/web/image/product.product/{self.cola.id}/image_1024", product_page)
        self.assertNotIn("data:image", product_page)

    def test_order_status_label_comes_from_the_field(self):
        self.login_as(self.portal_b)
        self.post("/b2b/cart/add", {"product_id": self.cola.id, "add_qty": "1"})
        self.post("/b2b/cart/submit", {})
        page = self.url_open("/b2b/orders").text
        self.assertRegex(page, r'class="badge text-bg-warning o_b2b_order_status" data-status="pending"[^>]*>'
                               r'\s*Awaiting approval')
