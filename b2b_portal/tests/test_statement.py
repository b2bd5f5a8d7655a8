from datetime import date, timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, tagged

from .common import B2bHttpMixin, B2bPortalCommon


class B2bAccountCommon(B2bPortalCommon):
    @classmethod
    def invoice(cls, partner, amount, on, move_type="out_invoice", days=30):
        move = cls.env["account.move"].create({
            "move_type": move_type,
            "partner_id": partner.id,
            "invoice_date": on,
            "invoice_date_due": on + timedelta(days=days),
            "invoice_line_ids": [Command.create({
                "product_id": cls.rice.id, "quantity": 1, "price_unit": amount, "tax_ids": [Command.clear()],
            })],
        })
        move.action_post()
        return move

    def pay(self, invoice, amount, on):
        return self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"amount": amount, "payment_date": on})._create_payments()


@tagged("post_install", "-at_install")
class TestStatement(B2bAccountCommon):
    def statement(self, partner, date_from, date_to):
        return self.env["report.b2b_portal.report_b2b_statement"]._get_statement(partner, date_from, date_to)

    def test_closing_balance_is_the_receivable_balance(self):
        today = fields.Date.today()
        first = self.invoice(self.customer_b, 1000.0, today - timedelta(days=90))  # overdue, partly paid
        self.pay(first, 400.0, today - timedelta(days=60))
        second = self.invoice(self.customer_b, 250.0, today - timedelta(days=20))  # not due yet
        third = self.invoice(self.customer_b, 120.0, today - timedelta(days=10))
        self.pay(third, 120.0, today - timedelta(days=5))  # paid in full
        self.invoice(self.customer_b, 50.0, today - timedelta(days=3), move_type="out_refund")  # credit note
        self.invoice(self.customer_c, 999.0, today - timedelta(days=30))  # another company
        self.customer_b.invalidate_recordset(["credit"])
        whole = self.statement(self.customer_b, date(2000, 1, 1), today)
        self.assertAlmostEqual(whole["opening"], 0.0)
        self.assertAlmostEqual(whole["closing"], self.customer_b.credit)
        self.assertAlmostEqual(whole["closing"], 1000 - 400 + 250 + 120 - 120 - 50)
        self.assertAlmostEqual(whole["overdue"], 600.0)
        self.assertEqual(len(whole["lines"]), 6)
        self.assertEqual([row["kind"] for row in whole["lines"]].count("Payment"), 2)
        self.assertIn("Credit note", [row["kind"] for row in whole["lines"]])
        self.assertNotIn(999.0, [row["debit"] for row in whole["lines"]])
        # A later period opens on the balance the earlier one closed on.
        cut = today - timedelta(days=15)
        before = self.statement(self.customer_b, date(2000, 1, 1), cut)
        after = self.statement(self.customer_b, cut + timedelta(days=1), today)
        self.assertAlmostEqual(after["opening"], before["closing"])
        self.assertAlmostEqual(after["closing"], whole["closing"])
        running = after["opening"]
        for row in after["lines"]:
            running += row["debit"] - row["credit"]
            self.assertAlmostEqual(row["balance"], running)
        self.assertTrue(second.amount_residual)

    def test_a_contacts_statement_is_its_companys(self):
        self.invoice(self.customer_b, 80.0, fields.Date.today())
        self.assertAlmostEqual(self.statement(self.buyer_b, date(2000, 1, 1), fields.Date.today())["closing"], 80.0)


@tagged("post_install", "-at_install")
class TestAccountPortal(B2bHttpMixin, HttpCase, B2bAccountCommon):
    def test_payments_and_statement_of_the_own_company_only(self):
        today = fields.Date.today()
        mine = self.invoice(self.customer_b, 300.0, today - timedelta(days=40))
        self.pay(mine, 125.0, today - timedelta(days=2))
        theirs = self.invoice(self.customer_c, 777.0, today - timedelta(days=40))
        self.pay(theirs, 333.0, today - timedelta(days=2))
        self.authenticate(self.portal_b.login, self.portal_b.login)
        payments = self.url_open("/my/payments").text
        self.assertIn("125.00", payments)
        self.assertIn(mine.name, payments)
        self.assertNotIn("333.00", payments)
        statement = self.url_open(f"/my/statement?date_from={today - timedelta(days=60)}&date_to={today}").text
        self.assertIn("175.00", statement)  # closing balance
        self.assertNotIn("777.00", statement)
        self.assertIn("175.00", self.url_open(f"/my/statement/pdf?date_to={today}").text)
        bad = self.url_open("/my/statement?date_from=2026-12-31&date_to=2026-01-01").text
        self.assertIn("start before it ends", bad)
        self.authenticate(self.portal_plain.login, self.portal_plain.login)
        self.assertEqual(self.url_open("/my/payments").status_code, 403)
        self.assertEqual(self.url_open("/my/statement").status_code, 403)
        payment_model = self.env["account.payment"].with_user(self.portal_c)
        self.assertEqual(payment_model.search([]).mapped("amount"), [333.0])
