from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, new_test_user, tagged

from .common import B2bHttpMixin, B2bPortalCommon


class B2bApprovalCommon(B2bPortalCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.approver = new_test_user(cls.env, login="b2b_approver", groups="sales_team.group_sale_manager",
                                     name="Olga Office")

    def submitted_order(self, quantities=None, partner=None):
        partner = partner or self.buyer_b
        cart = self.env["sale.order"]._b2b_get_cart(partner, create=True)
        cart._b2b_add_products(quantities or {self.cola: 12, self.rice: 5})
        self.assertEqual(cart._b2b_submit(client_order_ref="PO-APPROVE"), [])
        return cart

    def mails_to_buyer(self, order, subject):
        return order.message_ids.filtered(lambda m: subject in (m.subject or ""))


@tagged("post_install", "-at_install")
class TestApproval(B2bApprovalCommon):
    def test_approve_confirms_creates_delivery_and_invoice_follows(self):
        order = self.submitted_order()
        order.with_user(self.approver).action_b2b_approve()
        self.assertEqual((order.state, order.b2b_state, order.b2b_portal_status), ("sale", "approved", "approved"))
        picking = order.picking_ids
        self.assertEqual(picking.move_ids.mapped("product_uom_qty"), [12, 5])
        picking.move_ids.quantity = 0
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.move_ids.picked = True
        picking._action_done()
        self.assertEqual(order.b2b_portal_status, "shipped")
        invoice = order._create_invoices()
        invoice.action_post()
        self.assertEqual(invoice.amount_untaxed, order.amount_untaxed)
        self.assertEqual(order.b2b_portal_status, "invoiced")
        mail = self.mails_to_buyer(order, "approved")
        self.assertEqual(len(mail), 1)
        self.assertNotIn("made these changes", str(mail.body))

    def test_adjust_then_approve_tells_the_buyer_what_changed(self):
        order = self.submitted_order()
        with Form(order.with_user(self.approver)) as form:
            with form.order_line.edit(0) as line:
                line.product_uom_qty = 8
                line.price_unit = 13.0
        self.assertTrue(order.b2b_flag_manual_price)
        order.with_user(self.approver).action_b2b_approve()
        self.assertEqual(order.order_line[0].price_unit, 13.0)
        body = str(self.mails_to_buyer(order, "approved").body)
        self.assertIn("made these changes", body)
        self.assertIn("Cola Case", body)
        for text in ("12.0", "8.0", "14.4", "13.0"):
            self.assertIn(text, body)

    def test_reject_cancels_and_sends_the_reason(self):
        order = self.submitted_order()
        wizard = Form(self.env["b2b.order.reject"].with_user(self.approver).with_context(
            default_order_ids=order.ids))
        wizard.reason = "Rice is discontinued."
        wizard.save().action_reject()
        self.assertEqual((order.state, order.b2b_state, order.b2b_portal_status), ("cancel", "rejected", "rejected"))
        self.assertEqual(order.b2b_reject_reason, "Rice is discontinued.")
        self.assertIn("Rice is discontinued.", str(self.mails_to_buyer(order, "rejected").body))
        with self.assertRaisesRegex(UserError, "awaiting approval"):
            order.with_user(self.approver).action_b2b_approve()

    def test_reject_needs_a_reason(self):
        order = self.submitted_order()
        with self.assertRaisesRegex(UserError, "why"):
            order.with_user(self.approver)._b2b_reject("  ")
        self.assertEqual(order.b2b_state, "pending")

    def test_auto_approval_up_to_the_customers_limit_without_flags(self):
        self.customer_b.b2b_auto_approve_limit = 500
        small = self.submitted_order({self.cola: 2})
        self.assertEqual((small.b2b_state, small.state), ("approved", "sale"))
        self.assertTrue(small.picking_ids)
        big = self.submitted_order({self.cola: 100})  # 1,440.00 over the limit
        self.assertEqual(big.b2b_state, "pending")
        flagged = self.submitted_order({self.water: 6})  # 6 asked, 4 free: stock flag
        self.assertTrue(flagged.b2b_flag_stock)
        self.assertEqual(flagged.b2b_state, "pending")

    def test_flags_for_the_approver(self):
        order = self.submitted_order({self.cola: 2, self.water: 10})
        self.assertTrue(order.b2b_flag_stock)
        self.assertFalse(order.b2b_flag_manual_price)
        self.assertEqual(order.b2b_overdue_amount, 0)
        ok = self.submitted_order({self.cola: 2})
        self.assertFalse(ok.b2b_flag_stock)

    def test_only_approvers_approve(self):
        order = self.submitted_order()
        portal = self.portal_b
        for user in (self.salesman, portal):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                order.with_user(user).action_b2b_approve()
        with self.assertRaises(AccessError):
            order.with_user(self.salesman)._b2b_reject("no")
        self.assertEqual(order.b2b_state, "pending")
        self.assertTrue(self.approver.has_group("b2b_portal.group_b2b_approver"))
        order.with_user(self.approver).action_b2b_approve()
        self.assertEqual(order.b2b_state, "approved")

    def test_sales_team_dashboard_counts_orders_to_approve(self):
        order = self.submitted_order()
        self.assertTrue(order.team_id)
        self.assertEqual(order.team_id.b2b_pending_count, 1)
        order.with_user(self.approver).action_b2b_approve()
        order.team_id.invalidate_recordset(["b2b_pending_count"])
        self.assertEqual(order.team_id.b2b_pending_count, 0)

    def test_odoo_confirm_button_is_an_approval(self):
        order = self.submitted_order()
        with self.assertRaises(AccessError):
            order.with_user(self.salesman).action_confirm()
        self.assertEqual((order.state, order.b2b_state), ("draft", "pending"))
        order.with_user(self.approver).action_confirm()
        self.assertEqual((order.state, order.b2b_state), ("sale", "approved"))
        self.assertEqual(len(self.mails_to_buyer(order, "approved")), 1)
        office_order = self._confirmed_order(self.customer_b, self.cola, 1, "PO-PHONE")
        self.assertEqual((office_order.state, office_order.b2b_state), ("sale", False))

    def test_pending_order_is_not_a_quotation_to_sign_or_pay(self):
        order = self.submitted_order()
        order.require_signature = True
        self.assertFalse(order._has_to_be_signed())


@tagged("post_install", "-at_install")
class TestApprovalPortal(B2bHttpMixin, HttpCase, B2bApprovalCommon):
    def test_buyer_sees_status_and_rejection_reason(self):
        pending = self.submitted_order()
        self.authenticate(self.portal_b.login, self.portal_b.login)
        self.assertIn('data-status="pending"', self.url_open("/b2b/orders").text)
        page = self.url_open(f"/my/orders/{pending.id}").text
        self.assertIn("Awaiting approval", page)
        self.assertNotIn("Accept &amp; Sign", page)
        pending.with_user(self.approver)._b2b_reject("Out of season")
        page = self.url_open(f"/my/orders/{pending.id}").text
        self.assertIn("Out of season", page)
        self.assertIn('data-status="rejected"', self.url_open("/b2b/orders").text)

    def test_tour_office_changes_quantity_and_buyer_sees_it(self):
        order = self.submitted_order({self.cola: 12})
        order.with_user(self.approver).write({"order_line": [Command.update(order.order_line.id,
                                                                            {"product_uom_qty": 9})]})
        order.with_user(self.approver).action_b2b_approve()
        self.start_tour("/b2b", "b2b_portal_approved", login=self.portal_b.login)
