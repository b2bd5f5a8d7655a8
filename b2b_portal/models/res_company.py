from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    b2b_small_order_product_id = fields.Many2one(
        "product.product",
        string="Small-Order Surcharge",
        domain=[("type", "=", "service")],
        help="A web order below the customer's minimum order carries this service at its sales price. "
        "Without it, such an order is refused.",
    )
    b2b_delivery_product_id = fields.Many2one(
        "product.product",
        string="Delivery Charge",
        domain=[("type", "=", "service")],
        help="A web order below the customer's free delivery threshold carries this service at its "
        "sales price.",
    )
