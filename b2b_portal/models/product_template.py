from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    b2b_tier_price_ids = fields.One2many("b2b.tier.price", "product_tmpl_id", string="Tier Prices")
    b2b_volume_break_ids = fields.One2many(
        "b2b.volume.break", "product_tmpl_id", string="Volume Breaks"
    )
