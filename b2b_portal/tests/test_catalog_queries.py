import logging
import traceback
from unittest.mock import patch

from odoo import Command
from odoo.sql_db import Cursor
from odoo.tests import HttpCase, tagged

from .common import B2bHttpMixin, B2bPortalCommon

_logger = logging.getLogger(__name__)

CATALOG_QUERY_BUDGET = 25


@tagged("post_install", "-at_install")
class TestCatalogQueries(B2bHttpMixin, HttpCase, B2bPortalCommon):
    """The catalog's SQL queries, counted where they run: the HTTP request
    runs in this process on a test cursor that executes on the test's own
    cursor, so every query of the request (session, rights, layout, pricing,
    stock, templates) goes through ``Cursor.execute``."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        packaging_unit = cls.env.ref("uom.product_uom_unit")
        cls.fillers = cls.env["product.product"].create([
            {"name": f"Page filler {i:03d}", "default_code": f"T-FILL-{i:03d}", "list_price": 5 + i,
             "categ_id": (cls.categ_soft if i % 2 else cls.categ_tools).id, "is_storable": True,
             "uom_id": packaging_unit.id, "uom_po_id": packaging_unit.id, "taxes_id": [Command.clear()]}
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

    def _catalog_queries(self, url):
        """``(queries, response)``: each query of one request to ``url`` as
        ``(sql, origin)``, the origin being the innermost frames of the
        addon or of the QWeb template that ran it."""
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
        _logger.info("GET %s: %s queries\n%s", url, len(queries), "\n".join(
            f"{i:3d} {sql!r}\n      {origin}" for i, (sql, origin) in enumerate(queries, 1)
        ))
        return queries, response

    def _warm(self, url):
        for _i in range(2):
            self.url_open(url)

    def test_catalog_queries_within_budget(self):
        self.login_as_buyer()
        url = "/b2b/catalog?ppg=40"
        self._warm(url)
        queries, response = self._catalog_queries(url)
        self.assertEqual(response.text.count("o_b2b_product_row"), 40)
        self.assertLessEqual(len(queries), CATALOG_QUERY_BUDGET)

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
