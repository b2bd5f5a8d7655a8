import base64
import os
import pathlib
import time

from odoo.tests import HttpCase, tagged
from odoo.tests.common import ChromeBrowser

from .common import B2bHttpMixin, B2bPortalCommon


@tagged("post_install", "-at_install")
class TestPortalTours(B2bHttpMixin, HttpCase, B2bPortalCommon):
    """The buyer's main journeys, in real Chromium."""

    def test_tour_order_from_login_to_approval_queue(self):
        self.start_tour("/web/login", "b2b_portal_order", login=None)
        order = self.env["sale.order"].search([("client_order_ref", "=", "PO-TOUR-1")])
        self.assertEqual((order.b2b_state, order.state, order.partner_id), ("pending", "draft", self.buyer_b))
        self.assertEqual((order.order_line.product_id, order.order_line.product_uom_qty), (self.cola, 12))
        self.assertEqual(order.order_line.price_unit, 14.4)
        self.assertTrue(order.message_ids.filtered(lambda m: "received" in (m.subject or "")))
        self._save_screenshots(order)

    def test_tour_reorder_from_dashboard(self):
        past = self._confirmed_order(self.customer_b, self.water, 2, "PO-PAST-B")
        past.order_line = [(0, 0, {"product_id": self.cola.id, "product_uom_qty": 4}),
                           (0, 0, {"product_id": self.knife.id, "product_uom_qty": 1})]
        self.knife.active = False
        self.start_tour("/b2b", "b2b_portal_reorder", login=self.portal_b.login)
        cart = self.cart_of(self.buyer_b)
        self.assertEqual({line.product_id: line.product_uom_qty for line in cart.order_line},
                         {self.water: 2, self.cola: 4})

    def test_tour_favourite_and_add_all(self):
        self.start_tour("/b2b/catalog", "b2b_portal_favorites", login=self.portal_b.login)
        self.assertEqual(self.customer_b.b2b_favorite_ids.product_id, self.water)
        self.assertEqual(self.cart_of(self.buyer_b).order_line.product_uom_qty, 3)

    def test_tour_quick_order_with_a_bad_line(self):
        self.start_tour("/b2b/quick_order", "b2b_portal_quick_order", login=self.portal_b.login)
        line = self.cart_of(self.buyer_b).order_line
        self.assertEqual((line.product_id, line.product_uom_qty), (self.cola, 5))

    def _save_screenshots(self, order):
        """With B2B_SCREENSHOTS=<folder>, save what a buyer sees as PNG files,
        at a desktop's size and at a phone's (``desktop_<page>.png``,
        ``phone_<page>.png``)."""
        folder = os.environ.get("B2B_SCREENSHOTS")
        if not folder:
            return
        pathlib.Path(folder).mkdir(parents=True, exist_ok=True)
        cart = self.env["sale.order"]._b2b_get_cart(self.buyer_b, create=True)
        cart._b2b_add_products({self.cola: 8, self.water: 6})
        self.cr.flush()
        pages = (("dashboard", "/b2b"), ("catalog", "/b2b/catalog?search=Case"),
                 ("product", f"/b2b/product/{self.cola.id}"), ("cart", "/b2b/cart"),
                 ("quick_order", "/b2b/quick_order"), ("favourites", "/b2b/favorites"), ("lists", "/b2b/lists"),
                 ("order", f"/my/orders/{order.id}"))
        browser = ChromeBrowser(self)
        try:
            self.authenticate(self.portal_b.login, self.portal_b.login, browser=browser)
            for size, (width, height, mobile) in (("desktop", (1366, 768, False)), ("phone", (390, 844, True))):
                browser._websocket_request("Emulation.setDeviceMetricsOverride", params={
                    "width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile,
                })
                for name, url in pages:
                    browser.navigate_to(self.base_url() + url, wait_stop=True)
                    # The page's own requests (translations, lazy bundles) done before the next page.
                    browser._wait_ready("document.readyState === 'complete'")
                    time.sleep(1)
                    shot = browser._websocket_request("Page.captureScreenshot", params={"captureBeyondViewport": True})
                    (pathlib.Path(folder) / f"{size}_{name}.png").write_bytes(base64.b64decode(shot["data"]))
        finally:
            browser.stop()
