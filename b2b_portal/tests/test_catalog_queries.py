import html
import logging
import re
import traceback
from datetime import timedelta
from unittest.mock import patch

from lxml import html as lxml_html

from odoo import Command, fields
from odoo.sql_db import Cursor
from odoo.tests import HttpCase, tagged

from ..controllers.catalog import row_formats
from .common import B2bHttpMixin, B2bPortalCommon
from .test_order_lists import B2bListsCommon

_logger = logging.getLogger(__name__)

CATALOG_QUERY_BUDGET = 25
RESTRICTED_CATALOG_QUERY_BUDGET = 27


@tagged("post_install", "-at_install")
class TestCatalogQueries(B2bHttpMixin, HttpCase, B2bPortalCommon):
    """The catalog's SQL queries, counted where they run: the HTTP request
    runs in this process on a test cursor that executes on the test's own
    cursor, so every query of the request (session, rights, layout, pricing,
    stock, templates) goes through ``Cursor.execute``."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The first page sorted by name: Cola, the two Gloves variants (their
        # names read the attribute tables), Knife, then fillers.
        cls.fillers = cls.env["product.product"].create([
            {"name": f"Page filler {i:03d}", "default_code": f"T-FILL-{i:03d}", "list_price": 5 + i,
             "categ_id": (cls.categ_soft if i % 2 else cls.categ_tools).id, "is_storable": True,
             "uom_id": cls.uom_unit.id, "uom_po_id": cls.uom_unit.id, "taxes_id": [Command.clear()]}
            for i in range(90)
        ])
        # Sales packs on some products, stock on others: every part of a row has something to show.
        cls.env["product.packaging"].create([
            {"name": "Crate", "product_id": product.id, "qty": 6, "sales": True} for product in cls.fillers[:10]
        ])
        stock = cls.warehouse.lot_stock_id
        for product in cls.fillers[:30]:
            cls.env["stock.quant"]._update_available_quantity(product, stock, 50)
        # What a buyer has: a cart, a favourite, a list.
        cart = cls.env["sale.order"]._b2b_get_cart(cls.buyer_b, create=True)
        cart._b2b_add_products({cls.cola: 2, cls.fillers[0]: 6})
        cls.env["b2b.favorite"].create({"partner_id": cls.customer_b.id, "product_id": cls.cola.id})
        cls.env["b2b.order.list"].create({
            "name": "Weekly", "partner_id": cls.customer_b.id, "owner_id": cls.buyer_b.id,
            "line_ids": [Command.create({"product_id": cls.cola.id, "quantity": 2})],
        })

    def _catalog_queries(self, url, log=False):
        """``(queries, response)``: each query of one request to ``url`` as
        ``(sql, origin)``, the origin being the innermost frames of the
        addon or of the QWeb template that ran it; with ``log``, all of
        them in the log."""
        queries = []
        execute = Cursor.execute

        def counting_execute(cursor, query, params=None, log_exceptions=True):
            frames = traceback.extract_stack(limit=40)[:-1]
            ours = [frame for frame in frames if frame.filename.startswith("<") or (
                "b2b_portal" in frame.filename and "/tests/" not in frame.filename)]
            origin = [f"{frame.name}@{frame.filename.rsplit('/', 2)[-1]}:{frame.lineno}"
                      for frame in (ours or frames)][-3 if ours else -5:]
            queries.append((str(query)[:150], " < ".join(reversed(origin))))
            return execute(cursor, query, params, log_exceptions)

        with patch.object(Cursor, "execute", counting_execute):
            response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        if log:
            _logger.info("GET %s: %s queries\n%s", url, len(queries), "\n".join(
                f"{i:3d} {sql!r}\n      {origin}" for i, (sql, origin) in enumerate(queries, 1)
            ))
        return queries, response

    def _warm(self, url):
        for _i in range(2):
            self.url_open(url)

    @staticmethod
    def _row_parts(tree):
        """What a product's row says, read from ``tree`` (a catalog row, or
        the product page): favourite, price, stock badge, the add form's
        quantity, labels and pack hint, the lists offered."""
        def text(elements):
            return " ".join(" ".join(elements[0].text_content().split()).split()) if elements else None

        favorite = tree.xpath('.//*[contains(@class, "o_b2b_favorite") or contains(@class, "o_b2b_is_favorite")]')
        stock = tree.xpath('.//span[contains(@class, "o_b2b_stock")]')
        form = tree.xpath('.//form[contains(@class, "o_b2b_add_form")]')
        form = form[0] if form else None
        return {
            "favorite": [(node.tag, node.get("title"), "o_b2b_is_favorite" in node.get("class", ""))
                         for node in favorite[:1]],
            "price": text(tree.xpath('.//span[contains(@class, "o_b2b_price")]')),
            "stock": (stock[0].get("data-status"), text(stock)) if stock else None,
            "add_qty": form is not None and [(node.get("value"), node.get("aria-label"))
                                             for node in form.xpath('.//input[@name="add_qty"]')],
            "add_title": form is not None and [node.get("title") for node in form.xpath('.//button[@type="submit"]')
                                               if "o_b2b_add" in node.get("class", "").split()],
            "pack_hint": form is not None and text(form.xpath('.//*[contains(@class, "o_b2b_pack_hint")]')),
            "lists": form is not None and [" ".join(node.text_content().split())
                                           for node in form.xpath('.//button[@formaction="/b2b/lists/add"]')],
        }

    def test_catalog_rows_say_what_the_shared_templates_say(self):
        """The catalog's rows are written out in one template (no t-call per
        row: the page's main cost was rendering); the product page renders
        the same parts with the shared templates (favourite, price, stock
        badge, add form with its pack hint and lists). Both say the same for
        every kind of product: a favourite with a volume break, low stock
        counted in kilograms, out of stock with its next receipt, a sales
        pack with a minimum, plain ones; and for a buyer who may not order."""
        knife = self.knife
        knife.sale_ok = True
        supplier = self.env.ref("stock.stock_location_suppliers")
        self.env["stock.move"].create({
            "name": "Knives on their way", "product_id": knife.id, "product_uom_qty": 5,
            "product_uom": knife.uom_id.id, "location_id": supplier.id,
            "location_dest_id": self.warehouse.lot_stock_id.id,
            "date": fields.Datetime.now() + timedelta(days=3),
        })._action_confirm()
        self.fillers[1].b2b_min_qty = 12
        self.env["b2b.favorite"].create({"partner_id": self.customer_b.id, "product_id": self.rice.id})
        products = (self.cola, self.water, self.rice, knife, self.fillers[0], self.fillers[1], self.fillers[40])
        compared = set()
        for user in (self.portal_b, self.portal_c):
            self.authenticate(user.login, user.login)
            for product in products:
                page = self.url_open(f"/b2b/product/{product.id}")
                if page.status_code == 404:
                    continue  # not in this buyer's catalog
                catalog = lxml_html.fromstring(self.url_open(f"/b2b/catalog?search={product.default_code}").text)
                rows = catalog.xpath(f'//tr[contains(@class, "o_b2b_product_row")][@data-product-id="{product.id}"]')
                with self.subTest(user=user.login, product=product.default_code):
                    self.assertEqual(len(rows), 1)
                    product_page = lxml_html.fromstring(page.text).xpath('//*[contains(@class, "o_b2b_product_page")]')
                    self.assertEqual(self._row_parts(rows[0]), self._row_parts(product_page[0]))
                compared.add((user, product))
        # Every product for B; for C, whose catalog is drinks only, the soft drinks.
        self.assertEqual(compared, {(self.portal_b, product) for product in products}
                         | {(self.portal_c, product) for product in (self.cola, self.water, self.fillers[1])})
        # The parts compared are there: the checks above compare something.
        self.authenticate(self.portal_b.login, self.portal_b.login)
        catalog = lxml_html.fromstring(self.url_open("/b2b/catalog?search=T-KNIFE").text)
        parts = self._row_parts(catalog.xpath('//tr[contains(@class, "o_b2b_product_row")]')[0])
        self.assertEqual(parts["stock"][0], "out")
        self.assertIn("expected", parts["stock"][1])
        self.assertEqual(parts["lists"], ["Weekly", "Create"])
        catalog = lxml_html.fromstring(self.url_open(f"/b2b/catalog?search={self.fillers[1].default_code}").text)
        parts = self._row_parts(catalog.xpath('//tr[contains(@class, "o_b2b_product_row")]')[0])
        self.assertEqual(parts["add_qty"][0][0], "12")
        self.assertIn("min. 12", parts["pack_hint"])

    def test_row_formats_write_what_the_widgets_write(self):
        """The catalog's rows format prices and stock quantities with
        ``row_formats`` (the language read once a page), not with a QWeb
        widget per row: the same text as the widgets, in languages with other
        separators and groupings and for a currency written after the amount."""
        values = (0.0, 0.004, 7.5, 12.345, 999.995, 1234567.891, -1234.5, -0.4)
        langs = [self.env["res.lang"]._activate_lang(code) for code in ("en_US", "fr_FR", "en_IN")]
        self.assertEqual(len({(lang.thousands_sep, lang.decimal_point, lang.grouping) for lang in langs}), 3)
        for lang in langs:
            env = self.env(context=dict(self.env.context, lang=lang.code))
            for currency in (self.env.company.currency_id, self.env.ref("base.EUR")):
                money, whole = row_formats(env, currency)
                for value in values:
                    with self.subTest(lang=lang.code, currency=currency.name, value=value):
                        self.assertEqual(money(value), env["ir.qweb.field.monetary"].value_to_html(
                            value, {"display_currency": currency}))
                        self.assertEqual(whole(value), env["ir.qweb.field.float"].value_to_html(
                            value, {"precision": 0}))
        self.assertEqual(self.env.ref("base.EUR").position, "after")

    def test_catalog_queries_within_budget(self):
        self.login_as_buyer()
        url = "/b2b/catalog?ppg=40"
        self._warm(url)
        queries, response = self._catalog_queries(url, log=True)
        self.assertEqual(response.text.count("o_b2b_product_row"), 40)
        self.assertLessEqual(len(queries), CATALOG_QUERY_BUDGET)

    def test_restricted_catalog_queries_within_budget(self):
        """A customer with a catalog: the catalog's categories and products
        are read once, its category subtree comes from the cache."""
        self.authenticate(self.portal_c.login, self.portal_c.login)
        url = "/b2b/catalog?ppg=40"
        self._warm(url)
        queries, _response = self._catalog_queries(url, log=True)
        self.assertLessEqual(len(queries), RESTRICTED_CATALOG_QUERY_BUDGET)

    def test_catalog_queries_do_not_grow_with_page_size(self):
        self.login_as_buyer()
        self._warm("/b2b/catalog?ppg=20")
        counts = {}
        for size in (20, 80):
            self._warm(f"/b2b/catalog?ppg={size}")
            queries, response = self._catalog_queries(f"/b2b/catalog?ppg={size}")
            self.assertEqual(response.text.count("o_b2b_product_row"), size)
            counts[size] = len(queries)
        self.assertEqual(counts[20], counts[80])

    def test_catalog_queries_do_not_grow_with_favourites_and_lists(self):
        self.login_as_buyer()
        url = "/b2b/catalog?ppg=40"
        self._warm(url)
        before = len(self._catalog_queries(url)[0])
        products = self.fillers[:20]
        self.env["b2b.favorite"].create([
            {"partner_id": self.customer_b.id, "product_id": product.id} for product in products
        ])
        self.env["b2b.order.list"].create([
            {"name": f"List {i}", "partner_id": self.customer_b.id, "owner_id": self.buyer_b.id,
             "sharing": "company" if i % 2 else "private",
             "line_ids": [Command.create({"product_id": product.id, "quantity": 1}) for product in products[:i + 1]]}
            for i in range(6)
        ])
        self._warm(url)
        queries, response = self._catalog_queries(url)
        self.assertEqual(response.text.count("o_b2b_is_favorite"), 21)
        self.assertEqual(response.text.count("List 5"), 40)  # each row's Add to a list part
        self.assertEqual(len(queries), before)

    def login_as_buyer(self):
        self.authenticate(self.portal_b.login, self.portal_b.login)


@tagged("post_install", "-at_install")
class TestCatalogQueryCutsKeepBehaviour(B2bHttpMixin, HttpCase, B2bListsCommon):
    """What the catalog reads in fewer queries is what it read before."""

    def test_free_quantity_is_stocks_free_quantity(self):
        Quant = self.env["stock.quant"]
        stock = self.warehouse.lot_stock_id
        shelf = self.env["stock.location"].create({"name": "Shelf", "usage": "internal", "location_id": stock.id})
        second = self.env["stock.warehouse"].create({"name": "Second", "code": "WH2B"})
        loose = self.env["stock.location"].create({
            "name": "Outside any warehouse", "usage": "internal",
            "location_id": self.env.ref("stock.stock_location_locations").id,
        })
        Quant._update_available_quantity(self.knife, shelf, 7)
        Quant._update_available_quantity(self.knife, second.lot_stock_id, 5)
        Quant._update_available_quantity(self.knife, loose, 100)
        Quant._update_reserved_quantity(self.cola, stock, 20)
        products = self.cola | self.water | self.rice | self.knife | self.gloves_s
        self.env.invalidate_all()
        stock_info = products._b2b_get_stock()
        for product in products:
            with self.subTest(product=product.name):
                self.assertEqual(stock_info[product.id].free_qty, product.free_qty)
        self.assertEqual(stock_info[self.knife.id].free_qty, 12)
        self.assertEqual(stock_info[self.cola.id].free_qty, 227)  # 250, less 3 reserved for order_c and 20
        self.assertEqual(self.env["product.product"].search([
            ("id", "in", products.ids), ("b2b_in_stock", "=", True),
        ]), self.cola | self.water | self.rice | self.knife)

    def test_cart_badge_counts_the_product_lines(self):
        cart = self.env["sale.order"]._b2b_get_cart(self.buyer_b, create=True)
        cart._b2b_add_products({self.cola: 2, self.water: 1})
        cart.order_line = [Command.create({"display_type": "line_note", "name": "Leave at the back door"}),
                           Command.create({"display_type": "line_section", "name": "Drinks"})]
        self.assertEqual(len(cart.order_line), 4)
        self.assertEqual(self.env["sale.order"]._b2b_cart_count(self.buyer_b), len(cart._b2b_product_lines()))
        self.assertEqual(len(cart._b2b_product_lines()), 2)
        self.authenticate(self.portal_b.login, self.portal_b.login)
        self.assertRegex(self.url_open("/b2b/catalog").text, r'o_b2b_cart_count">\s*2\s*<')

    def test_catalog_offers_the_lists_the_buyer_may_change(self):
        for user in (self.admin_b, self.ben, self.vera):
            with self.subTest(user=user.login):
                self.authenticate(user.login, user.login)
                page = self.url_open("/b2b/catalog?search=T-COLA").text
                offered = {html.unescape(name) for name in re.findall(r'o_b2b_add_to_list_button"[^>]*>([^<]*)<', page)}
                lists = self.env["b2b.order.list"].with_user(user).search([("is_recommended", "=", False)])
                writable = lists._filtered_access("write") if user != self.vera else lists.browse()
                self.assertEqual(offered, set(writable.mapped("name")))
                self.assertEqual(bool(offered), user != self.vera)

    def test_category_filter_follows_the_category_tree(self):
        self.authenticate(self.portal_b.login, self.portal_b.login)
        self.assertIn("B2B Test Root / Drinks / Soft", self.url_open("/b2b/catalog").text)
        self.categ_drinks.name = "Beverages"
        self.env["product.category"].create({"name": "Frozen", "parent_id": self.categ_root.id})
        page = self.url_open("/b2b/catalog").text
        self.assertIn("B2B Test Root / Beverages / Soft", page)
        self.assertIn("B2B Test Root / Frozen", page)
        self.assertNotIn("B2B Test Root / Drinks", page)

    def test_restricted_catalog_follows_the_category_tree(self):
        self.authenticate(self.portal_c.login, self.portal_c.login)
        self.assertIn("Cola Case", self.url_open("/b2b/catalog?ppg=80").text)
        self.categ_soft.parent_id = self.categ_tools  # out of catalog C's Drinks
        self.assertNotIn("Cola Case", self.url_open("/b2b/catalog?ppg=80").text)
        juice = self.env["product.category"].create({"name": "Juice", "parent_id": self.categ_drinks.id})
        self.knife.categ_id = juice
        page = self.url_open("/b2b/catalog?ppg=80").text
        self.assertIn("Knife", page)
        self.assertIn("B2B Test Root / Drinks / Juice", page)
        self.assertEqual(self.url_open(f"/b2b/product/{self.cola.id}").status_code, 404)

    def test_cached_defaults_follow_their_changes(self):
        IrDefault = self.env["ir.default"].sudo()
        self.assertIsNone(IrDefault._get("res.partner", "ref"))
        IrDefault.set("res.partner", "ref", "B2B-DEFAULT")
        self.assertEqual(IrDefault._get("res.partner", "ref"), "B2B-DEFAULT")
        IrDefault.set("res.partner", "ref", "B2B-OTHER")
        self.assertEqual(IrDefault._get("res.partner", "ref"), "B2B-OTHER")
        IrDefault.search([("field_id.name", "=", "ref"), ("field_id.model", "=", "res.partner")]).unlink()
        self.assertIsNone(IrDefault._get("res.partner", "ref"))


@tagged("post_install", "-at_install", "-standard", "b2b_website")
class TestCatalogWithWebsite(B2bHttpMixin, HttpCase, B2bPortalCommon):
    """With the ``website`` module installed too (``website_sale``'s
    distributors): run by the test command on a database of its own
    (``--test-tags b2b_website``), the addon itself not depending on it."""

    def setUp(self):
        super().setUp()
        self.assertIn("website", self.env, "run on a database with the website module (scripts/test.sh)")

    def test_catalog_urls_as_website_writes_them(self):
        """The rows' product links and images skip website's post-processing
        (``data-no-post-process``): their URLs are written as it would write
        them, with the language's prefix and through the website's rewrites.
        Besides a link's URL, the post-processing would only add what an
        iframe, a script or a background image needs."""
        french = self.env["res.lang"]._activate_lang("fr_FR")
        self.env["website"].get_current_website().language_ids |= french
        self.authenticate(self.portal_b.login, self.portal_b.login)

        def rows(url):
            page = lxml_html.fromstring(self.url_open(url).text)
            return [(row.get("data-product-id"),
                     row.xpath('.//a[contains(@class, "o_b2b_product_link")]')[0].get("href"),
                     row.xpath(".//img")[0].get("src"))
                    for row in page.xpath('//tr[contains(@class, "o_b2b_product_row")]')]

        english, in_french = rows("/b2b/catalog"), rows("/fr/b2b/catalog")
        self.assertTrue(english)
        self.assertEqual([(pid, f"/b2b/product/{pid}") for pid, _href, _src in english],
                         [(pid, href) for pid, href, _src in english])
        self.assertEqual([(pid, f"/fr/b2b/product/{pid}", src) for pid, _href, src in english], in_french)
        self.assertTrue(all(src.startswith("/web/image/product.product/") for _pid, _href, src in english))
        self.env["website.rewrite"].create({
            "name": "Products as items", "redirect_type": "308",
            "url_from": "/b2b/product/<int:product_id>", "url_to": "/b2b/item/<int:product_id>",
        })
        self.assertEqual([(pid, f"/fr/b2b/item/{pid}") for pid, _href, _src in english],
                         [(pid, href) for pid, href, _src in rows("/fr/b2b/catalog")])

    def test_pages_have_their_own_title_and_no_view_as_main_object(self):
        """Website's layout names a page after its main object and lists that
        object's fields four times for a logged-in user: the portal's pages
        give their own title (a translatable word, or the record's name) and a main
        object without fields, so the page's view is not described four
        times (``fields_get``, about 1 ms each)."""
        website = self.env["website"].get_current_website()
        self.authenticate(self.portal_b.login, self.portal_b.login)
        View = self.registry["ir.ui.view"]
        described = []
        fields_get = View.fields_get

        def counting_fields_get(view, *args, **kwargs):
            described.append(view._name)
            return fields_get(view, *args, **kwargs)

        with patch.object(View, "fields_get", counting_fields_get):
            for url, title in (("/b2b/catalog", "Catalog"), ("/b2b/cart", "Cart"),
                               (f"/b2b/product/{self.cola.id}", self.cola.display_name)):
                page = lxml_html.fromstring(self.url_open(url).text)
                self.assertEqual(page.findtext(".//title"), f"{title} | {website.name}", url)
        self.assertEqual(described, [])
