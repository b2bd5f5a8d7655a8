from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    def _invoice_paid_hook(self):
        """Paid invoices release the web orders their customers' credit
        policy held for the office (overdue invoices, credit limit)."""
        res = super()._invoice_paid_hook()
        customers = self.filtered(lambda move: move.move_type == "out_invoice").commercial_partner_id
        if customers:
            self.env["sale.order"].sudo().search([
                ("partner_id", "child_of", customers.ids),
                ("b2b_state", "=", "pending"),
                ("b2b_hold_reason", "!=", False),
            ])._b2b_release_holds()
        return res
