from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemoData(TransactionCase):
    """The run command's demo distributor loads through Odoo's real flows."""

    def test_demo_distributor_is_complete(self):
        self.env["b2b.demo"]._load_demo()
        ref = self.env.ref
        products = self.env["product.product"].search([("categ_id", "child_of", ref("b2b_portal.categ_root_demo").id)])
        self.assertGreaterEqual(len(products), 60)
        self.assertGreaterEqual(len(products.categ_id), 5)
        self.assertGreaterEqual(len(products.uom_id), 4)
        self.assertTrue(products.filtered(lambda p: p.qty_available == 0 and p.incoming_qty > 0))
        self.assertTrue(products.filtered(lambda p: 0 < p.free_qty < 10))
        self.assertTrue(products.filtered(lambda p: p.free_qty > 50))
        customers = self.env["res.partner"].search([("b2b_price_tier_id", "!=", False), ("is_company", "=", True)])
        self.assertEqual(sorted(customers.b2b_price_tier_id.mapped("code")), list("ABCDE"))
        buyers = self.env["res.users"].search([("partner_id.commercial_partner_id", "in", customers.ids)])
        self.assertEqual(len(buyers), 5)
        self.assertTrue(all(user._is_portal() for user in buyers))
        self.assertEqual(len(customers.b2b_price_exception_ids.partner_id), 2)
        restricted = customers.filtered(lambda c: c.b2b_catalog_ids != ref("b2b_portal.catalog_wholesale_demo"))
        self.assertEqual(len(restricted), 1)
        self.assertLess(len(restricted._b2b_filter_allowed_products(products)), len(products))
        self.assertTrue(customers.b2b_favorite_ids)
        invoices = self.env["account.move"].search(
            [("partner_id", "in", customers.ids), ("move_type", "=", "out_invoice")]
        )
        self.assertEqual(set(invoices.mapped("payment_state")), {"not_paid", "partial", "paid"})
        self.assertTrue(invoices.filtered(lambda m: m.invoice_date_due < m.invoice_date.today() and m.amount_residual))
        orders = self.env["sale.order"].search([("partner_id", "in", customers.ids)])
        self.assertEqual(set(orders.mapped("delivery_status")) - {False}, {"pending", "full"})
        # Demo orders were priced by the engine.
        line = orders.order_line[0]
        expected = self.env["b2b.pricing"]._get_prices(
            line.order_id.partner_id, line.product_id, line.order_id._b2b_product_quantities(),
            line.order_id.date_order.date(),
        )[line.product_id.id].price
        self.assertAlmostEqual(line.price_unit, line.product_id.uom_id._compute_price(expected, line.product_uom))
