from datetime import timedelta

from odoo import fields
from odoo.modules.module import get_manifest
from odoo.tests import TransactionCase, tagged
from odoo.tools.convert import convert_file


@tagged("post_install", "-at_install")
class TestDemoData(TransactionCase):
    """The run command's demo distributor, loaded from the manifest's demo
    files as Odoo loads them, through Odoo's real order, delivery, invoice and
    payment flows. The test database has no demo data: the files are loaded
    here, inside the test's transaction."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for filename in get_manifest("b2b_portal")["demo"]:
            convert_file(cls.env, "b2b_portal", filename, {}, mode="init", noupdate=True, kind="demo")
        cls.customers = cls.env["res.partner"].search([("b2b_price_tier_id", "!=", False), ("is_company", "=", True)])
        cls.products = cls.env["product.product"].search(
            [("categ_id", "child_of", cls.env.ref("b2b_portal.categ_root_demo").id)]
        )

    def test_no_demo_code_is_registered(self):
        self.assertNotIn("b2b.demo", self.env)

    def test_demo_catalog_of_products_and_prices(self):
        products = self.products
        self.assertEqual(len(products), 62)
        self.assertIn(self.env.ref("b2b_portal.product_bev_1001_demo"), products.product_tmpl_id)
        self.assertGreaterEqual(len(products.categ_id), 5)
        self.assertGreaterEqual(len(products.uom_id), 4)
        self.assertTrue(all(products.mapped("is_storable")))
        tier_prices = self.env["b2b.tier.price"].search([("product_tmpl_id", "in", products.product_tmpl_id.ids)])
        self.assertEqual(len(tier_prices), 185)
        self.assertEqual(set(tier_prices.tier_id.mapped("code")), set("ABCDE"))
        breaks = self.env["b2b.volume.break"].search([])
        self.assertEqual(len(breaks.filtered("product_tmpl_id")), 5)
        self.assertEqual(len(breaks.filtered("categ_id")), 3)

    def test_demo_stock_plentiful_low_zero_and_incoming(self):
        products = self.products
        incoming = products.filtered(lambda p: p.qty_available == 0 and p.incoming_qty > 0)
        self.assertEqual(incoming.default_code, "BEV-1008")
        receipt = self.env["stock.move"].search(
            [("product_id", "=", incoming.id), ("state", "not in", ("done", "cancel"))]
        )
        self.assertEqual(receipt.date.date(), fields.Date.today() + timedelta(days=6))
        self.assertTrue(products.filtered(lambda p: 0 < p.free_qty < 10))
        self.assertTrue(products.filtered(lambda p: p.free_qty > 50))

    def test_demo_customers_buyers_exceptions_catalogs_favourites(self):
        customers = self.customers
        self.assertEqual(sorted(customers.b2b_price_tier_id.mapped("code")), list("ABCDE"))
        self.assertEqual(len(customers.child_ids.filtered(lambda c: c.type == "delivery")), 5)
        buyers = self.env["res.users"].search([("partner_id.commercial_partner_id", "in", customers.ids)])
        self.assertEqual(len(buyers), 9)
        self.assertTrue(all(user._is_portal() and user._b2b_is_buyer() for user in buyers))
        # Each company's first buyer administers it; Alpine Hotels Group has every role.
        admins = buyers.filtered(lambda u: u.partner_id.b2b_role == "admin")
        self.assertEqual(admins.partner_id.commercial_partner_id, customers)
        self.assertEqual(len(admins), 5)
        alpine_company = self.env.ref("b2b_portal.partner_alpine_demo")
        alpine = buyers.filtered(lambda u: u.partner_id.commercial_partner_id == alpine_company)
        self.assertEqual(sorted(alpine.partner_id.mapped("b2b_role")),
                         ["accountant", "admin", "buyer", "buyer", "requester"])
        requested = self.env.ref("b2b_portal.sale_order_alpine_requested_demo")
        self.assertEqual((requested.b2b_state, requested.partner_id.b2b_role), ("company_pending", "requester"))
        anna = self.env.ref("b2b_portal.user_alpine_demo").partner_id
        self.assertEqual(requested.partner_id._b2b_company_approvers(), anna)
        self.assertTrue(all(alpine.partner_id.filtered(lambda p: p.b2b_role == "buyer").mapped("b2b_order_limit")))
        anna = buyers.filtered(lambda u: u.login == "anna@alpinehotels.example.com")
        self.assertEqual(anna, self.env.ref("b2b_portal.user_alpine_demo"))
        # The README's password (raises AccessDenied otherwise).
        anna.with_user(anna)._check_credentials({"type": "password", "password": "b2b-demo"}, {"interactive": False})
        self.assertEqual(len(customers.b2b_price_exception_ids.partner_id), 2)
        dated = customers.b2b_price_exception_ids.filtered("date_start")
        self.assertEqual(dated.date_start, fields.Date.today() - timedelta(days=30))
        restricted = customers.filtered(
            lambda c: c.b2b_catalog_ids != self.env.ref("b2b_portal.catalog_wholesale_demo")
        )
        self.assertEqual(len(restricted), 1)
        self.assertLess(len(restricted._b2b_filter_allowed_products(self.products)), len(self.products))
        self.assertEqual(len(customers.b2b_favorite_ids), 11)

    def test_demo_order_history_went_through_the_flows(self):
        customers = self.customers
        today = fields.Date.today()
        orders = self.env["sale.order"].search([("partner_id", "in", customers.ids)])
        self.assertEqual(len(orders), 25)
        self.assertEqual(set(orders.mapped("state")), {"sale"})
        self.assertEqual(set(orders.mapped("delivery_status")) - {False}, {"pending", "full"})
        self.assertEqual(len(orders.filtered(lambda o: o.delivery_status == "full")), 20)
        self.assertEqual(sorted({(today - order.date_order.date()).days for order in orders}), [3, 12, 30, 50, 75])
        invoices = self.env["account.move"].search(
            [("partner_id", "in", customers.ids), ("move_type", "=", "out_invoice")]
        )
        self.assertEqual(len(invoices), 15)
        self.assertEqual(set(invoices.mapped("state")), {"posted"})
        self.assertEqual(set(invoices.mapped("payment_state")), {"not_paid", "partial", "paid"})
        self.assertTrue(invoices.filtered(lambda m: m.invoice_date_due < today and m.amount_residual))
        self.assertEqual(
            set(invoices.invoice_payment_term_id.ids), {self.env.ref("account.account_payment_term_30days").id}
        )
        # Demo orders were priced by the engine.
        line = orders.order_line[0]
        expected = (
            self.env["b2b.pricing"]
            ._get_prices(
                line.order_id.partner_id,
                line.product_id,
                line.order_id._b2b_product_quantities(),
                line.order_id.date_order.date(),
            )[line.product_id.id]
            .price
        )
        self.assertAlmostEqual(line.price_unit, line.product_id.uom_id._compute_price(expected, line.product_uom))

    def test_demo_order_rules_and_credit(self):
        ref = self.env.ref
        juice = ref("b2b_portal.product_bev_1005_demo").product_variant_id
        self.assertEqual(juice._b2b_pack_rules()[juice.id]["multiple"], 12)
        self.assertEqual(ref("b2b_portal.product_dry_3002_demo").b2b_min_qty, 2)
        self.assertEqual(ref("b2b_portal.price_tier_b").min_order_amount, 150)
        self.assertEqual(ref("base.main_company").b2b_delivery_product_id.type, "service")
        # Deli & Co pays first: any order of its buyer goes to payment.
        deli = ref("b2b_portal.partner_deli_demo")
        self.assertEqual(deli.b2b_credit_policy, "prepay")
        dirk = ref("b2b_portal.user_deli_demo").partner_id
        cart = self.env["sale.order"]._b2b_get_cart(dirk, create=True)
        cart._b2b_add_products({ref("b2b_portal.product_cln_4005_demo").product_variant_id: 3})
        self.assertTrue(cart._b2b_cart_summary()["rules"]["hold_reasons"])
        self.assertEqual(cart._b2b_submit(accept_price_changes=True), [])
        self.assertEqual(cart.b2b_state, "to_pay")
        # Eventful's order is held for its overdue invoice, in the office's queue.
        held = ref("b2b_portal.sale_order_event_held_demo")
        self.assertEqual((held.b2b_state, held.b2b_portal_status), ("pending", "held"))
        self.assertIn("overdue", held.b2b_hold_reason)
        # Bistro (tier B) below 150.00: refused with the amount missing; a delivery charge below 400.00.
        bruno = ref("b2b_portal.user_bistro_demo").partner_id
        cart = self.env["sale.order"]._b2b_get_cart(bruno, create=True)
        cart._b2b_add_products({ref("b2b_portal.product_dry_3002_demo").product_variant_id: 2})
        rules = cart._b2b_cart_summary()["rules"]
        self.assertIn("more to reach the minimum order", rules["refusal"])
        self.assertEqual([c["charge"] for c in cart._b2b_cart_summary()["charges"]], ["delivery"])

    def test_demo_order_lists(self):
        ref = self.env.ref
        marco = ref("b2b_portal.user_alpine_chef_marco_demo")
        tom = ref("b2b_portal.user_alpine_requester_tom_demo")
        bar = ref("b2b_portal.order_list_alpine_bar_demo")
        kitchen = ref("b2b_portal.order_list_alpine_kitchen_demo")
        # Tom reads the lists his colleagues share, not Anna's own; Bruno reads the office's.
        self.assertEqual(self.env["b2b.order.list"].with_user(tom).search([]),
                         bar | ref("b2b_portal.order_list_alpine_housekeeping_demo"))
        self.assertEqual(self.env["b2b.order.list"].with_user(ref("b2b_portal.user_bistro_demo")).search([]),
                         ref("b2b_portal.order_list_bistro_starter_demo"))
        self.assertEqual(kitchen.owner_id, ref("b2b_portal.user_alpine_demo").partner_id)
        # The bar's cola costs more than the list remembers; its juices restock by the case of 12.
        rows, changes = bar._b2b_review(marco.partner_id)
        self.assertEqual(changes["up"], 1)
        self.assertEqual([row["product"].default_code for row in rows if row["change"] == "up"], ["BEV-1003"])
        juice = bar.line_ids.filtered(lambda line: line.product_id.default_code == "BEV-1005")
        quantities, _skipped = bar._b2b_restock_quantities({juice.id: 5})
        self.assertEqual(list(quantities.values()), [24])

    def test_demo_sales_representative(self):
        sophie = self.env.ref("b2b_portal.user_sales_rep_demo")
        customers = self.env["res.partner"]._b2b_rep_contacts(sophie).commercial_partner_id
        self.assertEqual(customers, self.env.ref("b2b_portal.partner_alpine_demo") | self.env.ref(
            "b2b_portal.partner_bistro_demo"))
        self.assertTrue(self.env.ref("b2b_portal.user_alpine_demo").partner_id._b2b_rep_may_act_for(sophie))

    def test_demo_distributor_has_a_name_a_logo_and_product_pictures(self):
        company = self.env.ref("base.main_company")
        self.assertEqual(company.name, "Brenner Foodservice Wholesale")
        self.assertTrue(company.logo)
        self.assertNotEqual(company.logo, company._get_logo())
        self.assertTrue(all(self.products.mapped("image_128")))
        self.assertEqual(len(set(self.products.mapped("image_1920"))), len(self.products.product_tmpl_id))
        self.assertEqual(self.env.ref("b2b_portal.partner_alpine_demo").b2b_company_monthly_budget, 6000)
