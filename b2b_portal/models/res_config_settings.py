from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    b2b_low_stock_threshold = fields.Float(
        string="B2B low stock below",
        config_parameter="b2b_portal.low_stock_threshold",
        default=10.0,
        help="The portal shows 'low stock' below this free quantity, unless the product sets its own.",
    )
    b2b_small_order_product_id = fields.Many2one(
        related="company_id.b2b_small_order_product_id", readonly=False
    )
    b2b_delivery_product_id = fields.Many2one(related="company_id.b2b_delivery_product_id", readonly=False)
