from odoo import fields, models


class B2bOrderReject(models.TransientModel):
    _name = "b2b.order.reject"
    _description = "Reject B2B web orders"

    order_ids = fields.Many2many("sale.order", string="Orders", required=True)
    reason = fields.Text(required=True, help="Sent to the buyer and shown in the portal.")

    def action_reject(self):
        self.order_ids._b2b_reject(self.reason)
        return {"type": "ir.actions.act_window_close"}
