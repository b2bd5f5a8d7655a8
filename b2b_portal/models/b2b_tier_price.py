from odoo import api, fields, models
from odoo.exceptions import ValidationError


class B2bTierPrice(models.Model):
    _name = "b2b.tier.price"
    _description = "B2B Tier Price"
    _order = "product_tmpl_id, tier_sequence, tier_id"

    product_tmpl_id = fields.Many2one(
        "product.template", string="Product", required=True, ondelete="cascade", index=True
    )
    tier_id = fields.Many2one("b2b.price.tier", required=True, ondelete="cascade")
    tier_sequence = fields.Integer(related="tier_id.sequence", store=True)
    price = fields.Float(
        digits="Product Price",
        required=True,
        help="Unit price in the company currency, per the product's sales unit, tax excluded.",
    )
    currency_id = fields.Many2one(related="product_tmpl_id.currency_id")
    uom_id = fields.Many2one(related="product_tmpl_id.uom_id", string="Unit")

    _sql_constraints = [
        (
            "product_tier_unique",
            "unique(product_tmpl_id, tier_id)",
            "A product can only have one price per tier.",
        ),
    ]

    @api.constrains("price")
    def _check_price(self):
        for tier_price in self:
            if tier_price.price < 0:
                raise ValidationError(
                    self.env._(
                        "The tier %(tier)s price of %(product)s cannot be negative.",
                        tier=tier_price.tier_id.code,
                        product=tier_price.product_tmpl_id.display_name,
                    )
                )
