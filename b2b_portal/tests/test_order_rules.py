from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import Form, new_test_user, tagged

from odoo.addons.b2b_portal.controllers.portal import B2bPortal

from .test_statement import B2bAccountCommon


class B2bRulesCommon(B2bAccountCommon):
    """Knives at 37.50 for tier B: three are 112.50, four exactly 150.00."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.approver = new_test_user(cls.env, login="b2b_rules_approver", groups="sales_team.group_sale_manager",
                                     name="Olga Office")
        cls.knife_price_b = cls.set_tier_price(cls.knife, cls.tier_b, 37.5)
        Product = cls.env["product.product"]
        cls.fee = Product.create({"name": "Small-order fee", "type": "service", "list_price": 12.0,
                                  "taxes_id": [Command.clear()]})
        cls.delivery = Product.create({"name": "Delivery", "type": "service", "list_price": 25.0,
                                       "taxes_id": [Command.clear()]})
        cls.money = cls.currency.format

    def cart_with(self, quantities, partner=None):
        cart = self.env["sale.order"]._b2b_get_cart(partner or self.buyer_b, create=True)
        cart._b2b_add_products(quantities)
        return cart

    def use_credit_limit(self, limit, policy, customer=None):
        customer = customer or self.customer_b
        self.company.account_use_credit_limit = True
        customer.write({"credit_limit": limit, "b2b_credit_policy": policy})

    def invalidate_credit(self):
        self.env.invalidate_all()


@tagged("post_install", "-at_install")
class TestPacksAndMinimumQuantities(B2bRulesCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Packaging = cls.env["product.packaging"]
        cls.case = Packaging.create({"name": "Case", "product_id": cls.cola.id, "qty": 24, "sales": True})
        # A pallet is a sales packaging too: the order multiple is the smallest one.
        Packaging.create({"name": "Pallet", "product_id": cls.cola.id, "qty": 480, "sales": True})
        # A packaging that is not for sales does not round anything.
        Packaging.create({"name": "Tray", "product_id": cls.water.id, "qty": 6, "sales": False})

    def test_quantities_rounded_up_to_the_sales_pack_with_a_notice(self):
        cart = self.cart_with({})
        for added, expected, notice_count in ((5, 24, 1), (19, 48, 1), (48, 96, 0)):
            notices = []
            cart._b2b_add_products({self.cola: added}, notices=notices)
            self.assertEqual(cart._b2b_product_lines().product_uom_qty, expected)
            self.assertEqual(len(notices), notice_count)
        # Exactly a multiple of the pack: no rounding and nothing to say.
        notices = []
        cart._b2b_add_products({self.cola: 24}, replace=True, notices=notices)
        self.assertEqual((cart._b2b_product_lines().product_uom_qty, notices), (24, []))
        cart._b2b_add_products({self.cola: 25}, replace=True, notices=notices)
        self.assertEqual(cart._b2b_product_lines().product_uom_qty, 48)
        self.assertEqual(notices, ["[T-COLA] Cola Case: rounded up to 48: sold by the Case of 24."])
        # Not a sales packaging: the quantity stays.
        cart._b2b_add_products({self.water: 5}, notices=notices)
        self.assertEqual(cart.order_line.filtered(lambda line: line.product_id == self.water).product_uom_qty, 5)

    def test_pack_rules_and_break_hints_read_as_the_buyer(self):
        """Pages read products as the buyer, who may not read units of measure."""
        self.env.invalidate_all()
        cola = self.cola.with_user(self.portal_b)
        rules = cola._b2b_pack_rules()
        self.assertEqual((rules[cola.id]["multiple"], rules[cola.id]["first_qty"]), (24, 24))
        self.assertEqual(cola._b2b_round_to_pack(5)[0], 24)
        self.env.invalidate_all()
        prices = self.env["b2b.pricing"].with_user(self.portal_b)._get_prices(self.buyer_b, cola, {cola.id: 1.0})
        hints = B2bPortal._b2b_break_hints(cola, prices, rules)
        self.assertEqual(hints[cola.id], 23)  # the break at 10, in whole cases: 24

    def test_minimum_quantity_refused_below_accepted_at_it(self):
        self.water.b2b_min_qty = 10
        cart = self.cart_with({self.cola: 24})
        with self.assertRaisesRegex(UserError, "Water Case: order at least 10 Units"):
            cart._b2b_add_products({self.water: 9})
        cart._b2b_add_products({self.water: 10})
        self.assertEqual(cart.order_line.filtered(lambda line: line.product_id == self.water).product_uom_qty, 10)
        # Lowering a line under the minimum is refused, and changes nothing.
        line = cart.order_line.filtered(lambda line: line.product_id == self.water)
        with self.assertRaises(UserError):
            cart._b2b_add_products({self.water: 3}, replace=True)
        self.assertEqual(line.product_uom_qty, 10)

    def test_minimum_checked_after_rounding_to_the_pack(self):
        self.cola.b2b_min_qty = 30
        cart = self.cart_with({self.water: 1})
        with self.assertRaisesRegex(UserError, "order at least 30"):
            cart._b2b_add_products({self.cola: 24})
        cart._b2b_add_products({self.cola: 25})  # rounded to 48: above the minimum
        self.assertEqual(cart.order_line.filtered(lambda line: line.product_id == self.cola).product_uom_qty, 48)
        rules = self.cola._b2b_pack_rules()[self.cola.id]
        self.assertEqual((rules["multiple"], rules["min_qty"], rules["first_qty"]), (24, 30, 48))

    def test_quick_order_and_reorder_round_and_refuse_line_by_line(self):
        self.water.b2b_min_qty = 10
        quantities, rejected = self.env["b2b.quick.order"]._parse(
            self.buyer_b, b"T-COLA 5\nT-WATER 4\nT-RICE 2\n"
        )
        self.assertEqual(quantities, {self.cola: 5, self.rice: 2})
        self.assertEqual([(number, reason) for number, _line, reason in rejected],
                         [(2, "[T-WATER] Water Case: order at least 10 Units.")])
        cart = self.cart_with({})
        notices = []
        cart._b2b_add_products(quantities, notices=notices)
        self.assertEqual(cart.order_line.filtered(lambda line: line.product_id == self.cola).product_uom_qty, 24)
        self.assertEqual(len(notices), 1)
        # Reorder of an office order of 10 colas: 24 in the cart, said so.
        past = self._confirmed_order(self.customer_b, self.cola, 10, "PO-PACK")
        cart.order_line.unlink()
        notices = []
        past._b2b_reorder_into(cart, notices=notices)
        self.assertEqual(cart.order_line.product_uom_qty, 24)
        self.assertIn("rounded up to 24", notices[0])

    def test_quick_order_minimum_counts_the_cart(self):
        self.water.b2b_min_qty = 10
        self.cart_with({self.water: 10})  # 2 more: under the minimum alone, not with the cart's
        quantities, rejected = self.env["b2b.quick.order"]._parse(self.buyer_b, b"T-WATER 2\n")
        self.assertEqual((quantities, rejected), ({self.water: 2}, []))

    def test_company_approver_quantities_follow_the_packs(self):
        requester = self.env["res.partner"].create({
            "name": "Rita Requester", "parent_id": self.customer_b.id, "b2b_role": "requester",
        })
        self._create_portal_user("b2b_pack_requester", requester)
        order = self.cart_with({self.cola: 24}, partner=requester)
        order._b2b_submit()
        self.assertEqual(order.b2b_state, "company_pending")
        line = order._b2b_product_lines()
        order._b2b_company_set_quantity(self.buyer_b, line, 30)
        self.assertEqual(line.product_uom_qty, 48)
        self.cola.b2b_min_qty = 48
        with self.assertRaisesRegex(UserError, "order at least 48"):
            order._b2b_company_set_quantity(self.buyer_b, line, 20)

    def test_office_enters_any_quantity_with_odoos_packaging_warning(self):
        order = self.env["sale.order"].with_user(self.approver).create({
            "partner_id": self.customer_b.id,
            "order_line": [Command.create({"product_id": self.cola.id, "product_uom_qty": 5,
                                           "product_packaging_id": self.case.id})],
        })
        self.assertEqual(order.order_line.product_uom_qty, 5)
        warning = order.order_line._onchange_product_packaging_id()
        self.assertIn("packaged by 24.00", warning["warning"]["message"])


@tagged("post_install", "-at_install")
class TestMinimumOrderAndCharges(B2bRulesCommon):
    def test_below_the_minimum_submit_refused_with_the_amount_missing(self):
        self.tier_b.min_order_amount = 150.0
        cart = self.cart_with({self.knife: 3})
        message = f"Add {self.money(37.5)} more to reach the minimum order of {self.money(150.0)}."
        self.assertEqual(cart._b2b_cart_summary()["rules"]["refusal"], message)
        with self.assertRaisesRegex(UserError, "more to reach the minimum order"):
            cart._b2b_submit()
        self.assertEqual((cart.b2b_state, cart.order_line.b2b_charge), ("cart", False))
        # Exactly at the minimum: sent.
        cart._b2b_add_products({self.knife: 1})
        summary = cart._b2b_cart_summary()
        self.assertEqual((summary["rules"]["missing"], summary["rules"]["refusal"]), (0.0, None))
        self.assertEqual(cart._b2b_submit(), [])
        self.assertEqual(cart.b2b_state, "pending")

    def test_customer_minimum_overrides_the_tiers(self):
        self.tier_b.min_order_amount = 100.0
        self.customer_b.b2b_min_order_amount = 200.0
        self.assertEqual(self.buyer_b._b2b_order_thresholds(), (200.0, 0.0))
        cart = self.cart_with({self.knife: 4})
        with self.assertRaisesRegex(UserError, "Add .*50.00 more"):
            cart._b2b_submit()

    def test_small_order_surcharge_and_delivery_charge_shown_then_added(self):
        self.company.write({"b2b_small_order_product_id": self.fee.id, "b2b_delivery_product_id": self.delivery.id})
        self.tier_b.write({"min_order_amount": 150.0, "free_delivery_amount": 300.0})
        cart = self.cart_with({self.knife: 3})
        summary = cart._b2b_cart_summary()
        self.assertEqual([(c["charge"], c["subtotal"]) for c in summary["charges"]],
                         [("small_order", 12.0), ("delivery", 25.0)])
        self.assertAlmostEqual(summary["amount_total"], 112.5 + 12 + 25)
        self.assertEqual((summary["rules"]["missing"], summary["rules"]["delivery_missing"]), (37.5, 187.5))
        self.assertIsNone(summary["rules"]["refusal"])
        self.assertFalse(cart.order_line.filtered("b2b_charge"), "a GET shows the charges, writes none")
        self.assertEqual(cart._b2b_submit(), [])
        charges = cart.order_line.filtered("b2b_charge")
        self.assertEqual(sorted(charges.mapped("b2b_charge")), ["delivery", "small_order"])
        self.assertAlmostEqual(cart.amount_total, summary["amount_total"])
        # Charges are not goods: not reordered, not in the product lines.
        self.assertEqual(cart._b2b_product_lines().product_id, self.knife)
        # At the minimum no surcharge; at the threshold, free delivery.
        cart2 = self.cart_with({self.knife: 4})
        self.assertEqual([c["charge"] for c in cart2._b2b_cart_summary()["charges"]], ["delivery"])
        cart2._b2b_add_products({self.knife: 4})
        self.assertEqual(cart2._b2b_cart_summary()["charges"], [])
        self.assertEqual(cart2._b2b_submit(), [])
        self.assertFalse(cart2.order_line.filtered("b2b_charge"))


@tagged("post_install", "-at_install")
class TestCreditPolicy(B2bRulesCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.today()

    def setUp(self):
        super().setUp()
        # 600.00 receivable, not yet due, against a limit of 1,000.00: 400.00 available.
        self.open_invoice = self.invoice(self.customer_b, 600.0, self.today - timedelta(days=5))

    def test_credit_read_as_odoo_reads_it(self):
        self.use_credit_limit(1000.0, "warn")
        confirmed = self._confirmed_order(self.customer_b, self.knife, 2, "PO-CONFIRMED")  # 75.00 to invoice
        self.invalidate_credit()
        credit = self.buyer_b._b2b_credit(self.company)
        self.assertAlmostEqual(credit["used"], 600.0 + confirmed.amount_to_invoice)
        self.assertAlmostEqual(credit["available"], 1000.0 - 675.0)
        # Without the Accounting setting, no limit.
        self.company.account_use_credit_limit = False
        self.assertIsNone(self.buyer_b._b2b_credit(self.company))

    def test_block_refuses_over_and_accepts_credit_exactly_used_up(self):
        self.use_credit_limit(1000.0, "block")
        cart = self.cart_with({self.knife: 11})  # 412.50
        summary = cart._b2b_cart_summary()
        self.assertAlmostEqual(summary["rules"]["credit"]["available"], 400.0)
        self.assertIn("more than your available credit", summary["rules"]["refusal"])
        with self.assertRaisesRegex(UserError, "This order cannot be sent"):
            cart._b2b_submit()
        self.assertEqual(cart.b2b_state, "cart")
        self.knife_price_b.price = 40.0  # 10 knives: 400.00, the credit exactly
        cart._b2b_add_products({self.knife: 10}, replace=True)
        self.assertEqual(cart._b2b_submit(accept_price_changes=True), [])
        self.assertEqual(cart.b2b_state, "pending")
        # The order sent waits for the office and counts: nothing left.
        second = self.cart_with({self.rice: 1})
        with self.assertRaisesRegex(UserError, "available credit"):
            second._b2b_submit()

    def test_warn_sends_with_the_flag(self):
        self.use_credit_limit(1000.0, "warn")
        cart = self.cart_with({self.knife: 12})
        self.assertTrue(cart._b2b_cart_summary()["rules"]["hold_reasons"])
        self.assertEqual(cart._b2b_submit(), [])
        self.assertEqual((cart.b2b_state, cart.b2b_hold_reason, cart.b2b_flag_credit), ("pending", False, True))

    def test_office_holds_then_office_override_is_logged(self):
        self.use_credit_limit(1000.0, "office")
        self.customer_b.b2b_auto_approve_limit = 10000.0
        cart = self.cart_with({self.knife: 12})
        self.assertEqual(cart._b2b_submit(), [])
        self.assertEqual((cart.b2b_state, cart.b2b_portal_status), ("pending", "held"))
        self.assertIn("Over the credit limit", cart.b2b_hold_reason)
        cart.with_user(self.approver).action_b2b_approve()
        self.assertEqual(cart.b2b_state, "approved")
        override = cart.message_ids.filtered(lambda m: "over the order rules" in (m.body or ""))
        self.assertEqual(len(override), 1)
        self.assertIn("Olga Office", override.body)
        self.assertFalse(cart.b2b_hold_reason)

    def test_office_approval_below_the_minimum_is_logged(self):
        self.env["stock.quant"]._update_available_quantity(self.knife, self.warehouse.lot_stock_id, 50)
        cart = self.cart_with({self.knife: 4})
        self.assertEqual(cart._b2b_submit(), [])
        self.tier_b.min_order_amount = 500.0  # raised since: the office approves it anyway
        cart.with_user(self.approver).action_confirm()  # Odoo's own Confirm button
        self.assertEqual(cart.b2b_state, "approved")
        override = cart.message_ids.filtered(lambda m: "over the order rules" in (m.body or ""))
        self.assertIn("Below the minimum order", override.body)

    def test_prepay_waits_for_the_payment_then_goes_to_the_office(self):
        self.use_credit_limit(1000.0, "prepay")
        cart = self.cart_with({self.knife: 12})
        self.assertEqual(cart._b2b_submit(), [])
        self.assertEqual((cart.b2b_state, cart.b2b_portal_status, cart.state), ("to_pay", "to_pay", "draft"))
        self.assertTrue(cart._has_to_be_paid())
        self.assertNotIn(cart, self.env["sale.order"].search([("b2b_state", "=", "pending")]))
        provider = self.env.ref("payment.payment_provider_demo")
        self.assertEqual(provider.code, "demo", "the test command installs payment_demo")
        tx = self.env["payment.transaction"].sudo().create({
            "provider_id": provider.id,
            "payment_method_id": provider.payment_method_ids[:1].id,
            "reference": f"{cart.name}-T",
            "amount": cart.amount_total,
            "currency_id": cart.currency_id.id,
            "partner_id": self.buyer_b.id,
            "operation": "online_direct",
            "sale_order_ids": [Command.set(cart.ids)],
        })
        tx._set_done()
        tx._post_process()
        self.assertEqual((cart.b2b_state, cart.state), ("pending", "draft"))
        self.assertTrue(cart.message_ids.filtered(lambda m: "received" in (m.subject or "")))
        # Approved by the office: invoiced at once (Automatic Invoice), the payment reconciled with it.
        self.env["ir.config_parameter"].sudo().set_param("sale.automatic_invoice", True)
        cart.with_user(self.approver).action_b2b_approve()
        self.assertEqual((cart.b2b_state, cart.state), ("approved", "sale"))
        self.assertFalse(cart.message_ids.filtered(lambda m: "over the order rules" in (m.body or "")))
        invoice = cart.invoice_ids
        self.assertEqual((len(invoice), invoice.state), (1, "posted"))
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))

    def test_overdue_hold_after_the_grace_days_released_by_the_payment(self):
        self.company.account_use_credit_limit = False
        self.customer_b.write({"b2b_credit_policy": "office", "b2b_overdue_grace_days": 30})
        late = self.invoice(self.customer_b, 80.0, self.today - timedelta(days=70))  # due 40 days ago
        self.customer_b.b2b_overdue_grace_days = 45
        self.assertFalse(self.buyer_b._b2b_held_overdue_invoices())
        self.customer_b.b2b_overdue_grace_days = 39
        self.assertEqual(self.buyer_b._b2b_held_overdue_invoices(), late)
        self.customer_b.b2b_overdue_grace_days = 40  # overdue by exactly 40 days: not more
        self.assertFalse(self.buyer_b._b2b_held_overdue_invoices())
        self.customer_b.b2b_overdue_grace_days = 30
        self.customer_b.b2b_auto_approve_limit = 10000.0
        self.env["stock.quant"]._update_available_quantity(self.knife, self.warehouse.lot_stock_id, 50)
        cart = self.cart_with({self.knife: 2})
        self.assertIn(late.name, cart._b2b_cart_summary()["rules"]["hold_reasons"][0])
        self.assertEqual(cart._b2b_submit(), [])
        self.assertEqual(cart.b2b_portal_status, "held")
        # Paying the overdue invoice releases it, and auto-approval follows.
        self.pay(late, 80.0, self.today)
        self.assertFalse(cart.b2b_hold_reason)
        self.assertEqual(cart.b2b_state, "approved")
        self.assertTrue(cart.message_ids.filtered(lambda m: "Released" in (m.body or "")))

    def test_block_policy_checked_again_at_company_approval(self):
        self.use_credit_limit(1000.0, "block")
        requester = self.env["res.partner"].create({"name": "Rita Requester", "parent_id": self.customer_b.id})
        self._create_portal_user("b2b_rules_requester", requester)
        requester.b2b_role = "requester"
        cart = self.cart_with({self.knife: 8}, partner=requester)  # 300.00: fits
        self.assertEqual(cart._b2b_submit(), [])
        self.assertEqual(cart.b2b_state, "company_pending")
        # The credit goes meanwhile: the administrator's approval is refused.
        self.invoice(self.customer_b, 200.0, self.today)
        self.invalidate_credit()
        with self.assertRaisesRegex(UserError, "available credit"):
            cart._b2b_company_approve(self.buyer_b)

    def test_credit_policy_fields_are_the_companys(self):
        form = Form(self.customer_b)
        form.b2b_credit_policy = "prepay"
        form.save()
        self.assertEqual(self.buyer_b.b2b_credit_policy, "prepay")


@tagged("post_install", "-at_install")
class TestOrderRulesQueries(B2bRulesCommon):
    def test_rules_and_cart_summary_in_a_bounded_number_of_queries(self):
        """The rules read per cart, not per line: the same number of queries
        for 3 lines and for 40 (the bench measures 200 and 1,000)."""
        self.company.write({"b2b_small_order_product_id": self.fee.id, "b2b_delivery_product_id": self.delivery.id,
                            "account_use_credit_limit": True})
        self.tier_b.write({"min_order_amount": 10000.0, "free_delivery_amount": 20000.0})
        self.customer_b.write({"credit_limit": 5000.0, "b2b_credit_policy": "office"})
        self.invoice(self.customer_b, 80.0, fields.Date.today() - timedelta(days=90))
        products = self.env["product.product"].concat(*(
            self._create_product(f"Bulk {index}", f"T-BULK-{index}", 3.0 + index, self.categ_root)
            for index in range(40)
        ))
        self.env["product.packaging"].create([
            {"name": "Case", "product_id": product.id, "qty": 6, "sales": True} for product in products[::2]
        ])
        counts = []
        for size, partner in ((3, self.buyer_b), (40, self.env["res.partner"].create(
                {"name": "Second buyer", "parent_id": self.customer_b.id}))):
            cart = self.cart_with(dict.fromkeys(products[:size], 6), partner=partner)
            cart._b2b_cart_summary()  # warm Odoo's caches (ormcache), which the first call fills
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            rules = cart._b2b_order_rules()
            after_rules = self.cr.sql_log_count
            self.env.invalidate_all()
            summary = cart._b2b_cart_summary()
            counts.append((after_rules - before, self.cr.sql_log_count - after_rules))
            self.assertTrue(rules["hold_reasons"])
            self.assertEqual(len(summary["charges"]), 2)
        self.assertEqual(counts[0], counts[1])
