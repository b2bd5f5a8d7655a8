from odoo import Command
from odoo.tests import Form, tagged

from .common import B2bCommon


@tagged("post_install", "-at_install")
class TestSaleOrderPricing(B2bCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.set_tier_price(cls.cola, cls.tier_b, 16.0)
        cls.add_break(10, cls.cola, discount=10.0)
        # ProductCommon's pricelist, the only active one: cola at 19.00, retail minus 1.
        cls.pricelist.item_ids = [Command.create({
            "applied_on": "0_product_variant", "product_id": cls.cola.id,
            "compute_price": "fixed", "fixed_price": 19.0,
        })]
        (cls.customer_b | cls.customer_plain).property_product_pricelist = cls.pricelist

    def _order_form(self, partner):
        form = Form(self.env["sale.order"].with_user(self.salesman))
        form.partner_id = partner
        self.assertEqual(form.pricelist_id, self.pricelist)
        return form

    def test_backend_order_of_tier_partner_gets_engine_price(self):
        form = self._order_form(self.customer_b)
        with form.order_line.new() as line:
            line.product_id = self.cola
            line.product_uom_qty = 2
        order = form.save()
        self.assertEqual(order.order_line.price_unit, 16.0)
        self.assertEqual(order.order_line.discount, 0.0)
        self.assertEqual(order.amount_untaxed, 32.0)

    def test_order_price_follows_quantity_across_a_break(self):
        form = self._order_form(self.buyer_b)  # a contact: its company's prices
        with form.order_line.new() as line:
            line.product_id = self.cola
            line.product_uom_qty = 9
            self.assertEqual(line.price_unit, 16.0)
            line.product_uom_qty = 10
            self.assertEqual(line.price_unit, 14.4)
        order = form.save()
        order.order_line.product_uom_qty = 3
        self.assertEqual(order.order_line.price_unit, 16.0)

    def test_break_counts_the_whole_order_quantity_of_a_product(self):
        order = self.env["sale.order"].create({
            "partner_id": self.customer_b.id,
            "order_line": [Command.create({"product_id": self.cola.id, "product_uom_qty": 6}),
                           Command.create({"product_id": self.cola.id, "product_uom_qty": 4})],
        })
        self.assertEqual(order.order_line.mapped("price_unit"), [14.4, 14.4])

    def test_order_in_dozens_is_priced_per_dozen(self):
        order = self.env["sale.order"].create({
            "partner_id": self.customer_b.id,
            "order_line": [Command.create({
                "product_id": self.cola.id, "product_uom_qty": 1, "product_uom": self.uom_dozen.id,
            })],
        })
        # 12 units reach the break: 14.40 a unit, 172.80 a dozen.
        self.assertAlmostEqual(order.order_line.price_unit, 172.8)

    def test_hand_typed_price_stays_when_quantity_changes(self):
        form = self._order_form(self.customer_b)
        with form.order_line.new() as line:
            line.product_id = self.cola
            line.product_uom_qty = 2
            line.price_unit = 12.5
            line.product_uom_qty = 20
            self.assertEqual(line.price_unit, 12.5)
        order = form.save()
        self.assertEqual(order.order_line.price_unit, 12.5)

    def test_partner_without_tier_keeps_pricelist_price(self):
        form = self._order_form(self.customer_plain)
        with form.order_line.new() as line:
            line.product_id = self.cola
            line.product_uom_qty = 10
        order = form.save()
        self.assertEqual(order.order_line.price_unit, 19.0)

    def test_update_prices_recomputes_from_engine(self):
        order = self.env["sale.order"].create({
            "partner_id": self.customer_b.id,
            "order_line": [Command.create({"product_id": self.cola.id, "product_uom_qty": 2})],
        })
        self.add_exception(self.cola, fixed_price=11.0)
        self.assertEqual(order.order_line.price_unit, 16.0)  # existing line untouched
        order.action_update_prices()
        self.assertEqual(order.order_line.price_unit, 11.0)
