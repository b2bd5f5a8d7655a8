from odoo import api, fields, models
from odoo.exceptions import ValidationError


class B2bVolumeBreak(models.Model):
    _name = "b2b.volume.break"
    _description = "B2B Volume Break"
    _order = "product_tmpl_id, categ_id, min_qty"

    product_tmpl_id = fields.Many2one(
        "product.template", string="Product", index=True, ondelete="cascade"
    )
    categ_id = fields.Many2one(
        "product.category", string="Product Category", index=True, ondelete="cascade"
    )
    tier_ids = fields.Many2many(
        "b2b.price.tier",
        string="Tiers",
        help="Tiers this break applies to; leave empty for every tier.",
    )
    min_qty = fields.Float(
        string="Minimum Quantity",
        required=True,
        default=1.0,
        digits="Product Unit of Measure",
        help="In the product's sales unit, summed over the order.",
    )
    price_type = fields.Selection(
        [("discount", "Discount"), ("fixed", "Fixed price")], required=True, default="discount"
    )
    discount = fields.Float(digits="Discount")
    fixed_price = fields.Float(
        digits="Product Price",
        help="Unit price from this quantity on; never raises a lower price.",
    )
    company_currency_id = fields.Many2one(
        "res.currency", default=lambda self: self.env.company.currency_id, readonly=True
    )

    # min_qty (always set) makes the check run on a create that sets neither target.
    @api.constrains("product_tmpl_id", "categ_id", "min_qty")
    def _check_target(self):
        for volume_break in self:
            if bool(volume_break.product_tmpl_id) == bool(volume_break.categ_id):
                raise ValidationError(
                    self.env._("A volume break applies to either a product or a product category, not both or neither.")
                )

    @api.constrains("min_qty", "discount", "fixed_price")
    def _check_values(self):
        for volume_break in self:
            if volume_break.min_qty <= 0:
                raise ValidationError(self.env._("The minimum quantity of a volume break must be positive."))
            if volume_break.fixed_price < 0:
                raise ValidationError(self.env._("A volume break cannot have a negative price."))
            if not 0.0 <= volume_break.discount <= 100.0:
                raise ValidationError(
                    self.env._("The discount of a volume break must be between 0 and 100 %.")
                )

    @api.depends("product_tmpl_id", "categ_id", "min_qty")
    def _compute_display_name(self):
        for volume_break in self:
            target = volume_break.product_tmpl_id or volume_break.categ_id
            volume_break.display_name = f"{target.display_name} ≥ {volume_break.min_qty:g}"
