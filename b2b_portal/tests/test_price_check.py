from odoo.tests import Form, tagged

from .common import B2bCommon


@tagged("post_install", "-at_install")
class TestPriceCheckWizard(B2bCommon):
    def test_wizard_shows_the_engine_price_and_every_step(self):
        self.set_tier_price(self.cola, self.tier_b, 16.0)
        self.add_exception(self.cola, price_type="discount", discount=10.0, apply_volume_breaks=True)
        self.add_break(10, self.cola, discount=5.0)
        self.add_break(50, self.cola, discount=10.0)
        form = Form(self.env["b2b.price.check"].with_user(self.salesman))
        form.partner_id = self.buyer_b
        form.product_id = self.cola
        form.quantity = 12
        self.assertEqual(form.price, self.price_of(self.cola, 12).price)
        self.assertEqual(form.price, 13.68)  # 16.00 -10 % = 14.40, -5 % = 13.68
        self.assertEqual(form.source, "exception")
        self.assertTrue(form.in_catalog)
        html = str(form.breakdown_html)
        for text in ("Tier B price", "Your negotiated price: 10 % off", "Volume break from 10",
                     "16.00", "14.40", "13.68", "Order 38 more to pay", "12.96"):
            self.assertIn(text, html)

    def test_wizard_explains_a_customer_without_tier(self):
        form = Form(self.env["b2b.price.check"])
        form.partner_id = self.customer_plain
        form.product_id = self.cola
        self.assertEqual(form.price, 0.0)
        self.assertIn("no price tier", str(form.breakdown_html))
