import re
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import B2bHttpMixin
from .test_order_rules import B2bRulesCommon


class B2bPayCommon(B2bRulesCommon):
    """Customer B on "hold for the office" after 30 days: two invoices due 40
    days ago hold an order sent to the office."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        today = fields.Date.today()
        cls.customer_b.write({"b2b_credit_policy": "office", "b2b_overdue_grace_days": 30})
        cls.late_1 = cls.invoice(cls.customer_b, 120.0, today - timedelta(days=70))
        cls.late_2 = cls.invoice(cls.customer_b, 80.5, today - timedelta(days=70))
        cls.not_due = cls.invoice(cls.customer_b, 50.0, today)
        cls.theirs = cls.invoice(cls.customer_c, 99.0, today - timedelta(days=70))
        cart = cls.env["sale.order"]._b2b_get_cart(cls.buyer_b, create=True)
        cart._b2b_add_products({cls.knife: 2})
        cart._b2b_submit(client_order_ref="PO-HELD")
        cls.held = cart
        accountant = cls.env["res.partner"].create({
            "name": "Acc Ountant", "parent_id": cls.customer_b.id, "b2b_role": "accountant",
        })
        cls.portal_accountant = cls._create_portal_user("b2b_rules_accountant", accountant)
        chef = cls.env["res.partner"].create({
            "name": "Chef Buyer", "parent_id": cls.customer_b.id, "b2b_role": "buyer",
        })
        cls.portal_chef = cls._create_portal_user("b2b_rules_chef", chef)
        cls.provider = cls.env.ref("payment.payment_provider_demo")
        cls.provider.journal_id = cls.env["account.journal"].search(
            [("type", "=", "bank"), ("company_id", "=", cls.env.company.id)], limit=1
        )


@tagged("post_install", "-at_install")
class TestPayInvoicesHttp(B2bHttpMixin, HttpCase, B2bPayCommon):
    def transaction(self, ids, **params):
        """The payment form's call: its result, or the error's message as an AssertionError."""
        response = self.json_call(f"/b2b/invoices/transaction/{'-'.join(map(str, ids))}",
                                  self.payment_form_params(landing_route="/evil", **params))
        if "error" in response:
            raise AssertionError(response["error"]["data"]["message"])
        return response["result"]

    def test_held_order_shown_as_held(self):
        self.assertEqual(self.held.b2b_portal_status, "held")
        self.authenticate(self.portal_b.login, self.portal_b.login)
        page = self.url_open("/b2b/orders").text
        self.assertIn('data-status="held"', page)

    def test_pay_page_lists_the_ticked_invoices_with_the_demo_provider(self):
        self.authenticate(self.portal_accountant.login, self.portal_accountant.login)
        page = self.url_open("/b2b/invoices").text
        for invoice in (self.late_1, self.late_2, self.not_due):
            self.assertIn(invoice.name, page)
        self.assertNotIn(self.theirs.name, page)
        self.assertIn("o_b2b_pay_overdue", page)
        page = self.url_open(f"/b2b/invoices/pay?invoice_ids={self.late_1.id}&invoice_ids={self.not_due.id}").text
        self.assertIn('id="o_payment_form"', page)
        self.assertIn(f"/b2b/invoices/transaction/{self.late_1.id}-{self.not_due.id}", page)
        self.assertIn('data-payment-method-code="demo"', page)
        self.assertRegex(page, r'data-amount="170\.0"')
        # The page is not taken for Odoo's invoice page (its breadcrumb names one invoice).
        for invoice in (self.late_1, self.not_due):
            self.assertNotRegex(page, r'breadcrumb-item active">\s*' + re.escape(invoice.name))
        # All overdue: the two late ones, not the one due today.
        page = self.url_open("/b2b/invoices/pay?overdue=1").text
        self.assertIn(f"/b2b/invoices/transaction/{self.late_1.id}-{self.late_2.id}\"", page)

    def test_foreign_paid_or_bogus_invoices_are_refused_and_nothing_is_created(self):
        self.authenticate(self.portal_accountant.login, self.portal_accountant.login)
        transactions = self.env["payment.transaction"].search_count([])
        for ids, message in (
            ([self.late_1.id, self.theirs.id], "not open invoices of your company"),
            ([self.theirs.id], "not open invoices of your company"),
            ([999999], "not open invoices of your company"),
            (["x1"], "not invoices you can pay"),
        ):
            with self.subTest(ids=ids), self.assertRaisesRegex(AssertionError, message):
                self.transaction(ids, amount=1.0)
            page = self.url_open(f"/b2b/invoices/pay?invoice_ids={ids[-1]}")
            self.assertTrue(page.url.endswith("/b2b/invoices"))
            self.assertIn(message, page.text)
        self.assertEqual(self.env["payment.transaction"].search_count([]), transactions)

    def test_an_invoice_being_paid_is_not_paid_twice(self):
        self.authenticate(self.portal_accountant.login, self.portal_accountant.login)
        values = self.transaction([self.late_1.id])
        pending = self.env["payment.transaction"].search([("reference", "=", values["reference"])])
        pending._set_pending()
        with self.assertRaisesRegex(AssertionError, "already being processed"):
            self.transaction([self.late_1.id, self.late_2.id])
        page = self.url_open("/b2b/invoices").text
        self.assertIn("o_b2b_payment_processing", page)
        self.assertNotIn(f'value="{self.late_1.id}"', page)
        # "Pay all overdue" leaves it out.
        page = self.url_open("/b2b/invoices/pay?overdue=1").text
        self.assertIn(f"/b2b/invoices/transaction/{self.late_2.id}\"", page)

    def test_ids_that_are_not_plain_numbers_are_refused_cleanly(self):
        self.authenticate(self.portal_accountant.login, self.portal_accountant.login)
        for value in ("\u00b2", "99999999999", "1e3", "-1"):
            with self.subTest(value=value):
                with self.assertRaisesRegex(AssertionError, "not invoices you can pay"):
                    self.transaction([value])
                page = self.url_open(f"/b2b/invoices/pay?invoice_ids={value}")
                self.assertEqual(page.status_code, 200)
                self.assertIn("not invoices you can pay", page.text)
        self.authenticate(self.portal_b.login, self.portal_b.login)
        for path in ("/b2b/catalog?categ_id=\u00b2&page=\u00b2&ppg=\u00b2", "/b2b/catalog?categ_id=99999999999"):
            self.assertEqual(self.url_open(path).status_code, 200)
        page = self.post_form("/b2b/cart/add", {"product_id": "\u00b2", "add_qty": "1"})
        self.assertIn("This product cannot be ordered", page.text)

    def test_roles_without_the_account_right_cannot_pay(self):
        self.authenticate(self.portal_chef.login, self.portal_chef.login)
        self.assertEqual(self.url_open("/b2b/invoices").status_code, 403)
        self.assertEqual(self.url_open(f"/b2b/invoices/pay?invoice_ids={self.late_1.id}").status_code, 403)
        with self.assertRaisesRegex(AssertionError, "administrators and accountants"):
            self.transaction([self.late_1.id])

    def test_one_payment_reconciled_against_each_invoice_releases_the_held_order(self):
        self.authenticate(self.portal_accountant.login, self.portal_accountant.login)
        # A forged amount and landing page are ignored: the residual is paid.
        values = self.transaction([self.late_1.id, self.late_2.id], amount=1.0)
        tx = self.env["payment.transaction"].search([("reference", "=", values["reference"])])
        self.assertEqual(tx.invoice_ids, self.late_1 | self.late_2)
        self.assertAlmostEqual(tx.amount, 200.5)
        self.assertEqual(tx.landing_route, "/b2b/invoices")
        tx._set_done()
        tx._post_process()
        self.assertEqual(len(tx.payment_id), 1)
        for invoice in (self.late_1, self.late_2):
            self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(self.not_due.payment_state, "not_paid")
        self.assertFalse(self.held.b2b_hold_reason)
        self.assertEqual(self.held.b2b_portal_status, "pending")


@tagged("post_install", "-at_install")
class TestOrderRulesCartHttp(B2bHttpMixin, HttpCase, B2bRulesCommon):
    def test_cart_shows_the_way_to_the_minimum_and_refuses_the_submit(self):
        self.tier_b.write({"min_order_amount": 150.0, "free_delivery_amount": 300.0})
        self.company.b2b_delivery_product_id = self.delivery
        cart = self.cart_with({self.knife: 3})
        self.authenticate(self.portal_b.login, self.portal_b.login)
        page = self.url_open("/b2b/cart").text
        self.assertIn("o_b2b_meter_minimum", page)
        self.assertIn(f"Add {self.money(37.5)} more to reach the minimum order of {self.money(150.0)}", page)
        self.assertIn('data-charge="delivery"', page)
        self.assertRegex(page, r'class="btn btn-primary o_b2b_submit" disabled')
        page = self.post_form("/b2b/cart/submit", {"client_order_ref": "PO-SMALL"})
        self.assertIn("more to reach the minimum order", page.text)
        self.assertEqual((cart.b2b_state, cart.client_order_ref, len(cart.order_line)), ("cart", False, 1))

    def test_add_to_cart_rounds_to_the_case_and_says_so(self):
        self.env["product.packaging"].create({"name": "Case", "product_id": self.cola.id, "qty": 24, "sales": True})
        self.authenticate(self.portal_b.login, self.portal_b.login)
        page = self.url_open(f"/b2b/product/{self.cola.id}").text
        self.assertIn("By the Case of 24", page)
        self.assertRegex(page, r'name="add_qty"[^>]* value="24"')
        page = self.post_form("/b2b/cart/add", {"product_id": self.cola.id, "add_qty": "5"}).text
        self.assertIn("[T-COLA] Cola Case: rounded up to 24: sold by the Case of 24.", page)
        self.assertEqual(self.cart_of(self.buyer_b).order_line.product_uom_qty, 24)

    def test_break_hint_counts_whole_packs(self):
        """Cola's break is at 10: with 4 in the cart and a pack of 4, the way
        there is 8 more (12), not 6, which the cart would round up anyway."""
        self.env["product.packaging"].create({"name": "Pack", "product_id": self.cola.id, "qty": 4, "sales": True})
        self.cart_with({self.cola: 4})
        self.authenticate(self.portal_b.login, self.portal_b.login)
        page = self.url_open("/b2b/cart").text
        self.assertRegex(page, r"Order\s+8 more to pay")

    def test_credit_and_hold_shown_before_the_submit(self):
        self.company.account_use_credit_limit = True
        self.customer_b.write({"credit_limit": 100.0, "b2b_credit_policy": "prepay"})
        self.cart_with({self.knife: 4})
        self.authenticate(self.portal_b.login, self.portal_b.login)
        page = self.url_open("/b2b/cart").text
        self.assertIn("Available credit", page)
        self.assertIn("more than your available credit", page)
        self.assertIn("Submit and pay", page)
        page = self.post_form("/b2b/cart/submit", {"client_order_ref": "PO-PREPAY"})
        order = self.env["sale.order"].search([("client_order_ref", "=", "PO-PREPAY")])
        self.assertEqual(order.b2b_state, "to_pay")
        self.assertIn("waiting for your payment", page.text)
        self.assertIn(order.get_portal_url().split("?")[0], page.text)


@tagged("post_install", "-at_install")
class TestPayInvoicesTour(B2bHttpMixin, HttpCase, B2bPayCommon):
    def test_tour_pay_two_overdue_invoices_at_once_releases_the_held_order(self):
        self.start_tour("/b2b/orders", "b2b_portal_pay_invoices", login=self.portal_b.login)
        tx = self.env["payment.transaction"].search([("invoice_ids", "in", self.late_1.ids)])
        self.assertEqual((tx.state, tx.invoice_ids), ("done", self.late_1 | self.late_2))
        self.assertEqual(len(tx.payment_id), 1)
        for invoice in (self.late_1, self.late_2):
            self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(self.not_due.payment_state, "not_paid")
        self.assertEqual((self.held.b2b_state, self.held.b2b_hold_reason), ("pending", False))
