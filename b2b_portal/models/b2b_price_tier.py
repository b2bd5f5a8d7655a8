from odoo import api, fields, models
from odoo.exceptions import ValidationError


class B2bPriceTier(models.Model):
    _name = "b2b.price.tier"
    _description = "B2B Price Tier"
    _order = "sequence, code"
    _rec_names_search = ["code", "name"]

    code = fields.Char(required=True, size=8)
    name = fields.Char(required=True, translate=True)
    discount = fields.Float(
        digits="Discount",
        help="Percent off the product's sales price, used for products that have "
        "no price of their own for this tier.",
    )
    min_order_amount = fields.Monetary(
        string="Minimum Order",
        currency_field="currency_id",
        help="Web orders of this tier's customers below this untaxed amount are refused, or carry the "
        "small-order surcharge where one is set in the settings. A customer may set its own.",
    )
    free_delivery_amount = fields.Monetary(
        string="Free Delivery From",
        currency_field="currency_id",
        help="Web orders below this untaxed amount carry the delivery charge set in the settings.",
    )
    currency_id = fields.Many2one("res.currency", default=lambda self: self.env.company.currency_id, required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    partner_count = fields.Integer(compute="_compute_partner_count")

    _sql_constraints = [
        ("code_unique", "unique(code)", "A price tier with this code already exists."),
    ]

    @api.depends("code", "name")
    def _compute_display_name(self):
        for tier in self:
            tier.display_name = f"{tier.code} - {tier.name}" if tier.code else tier.name

    def _compute_partner_count(self):
        groups = self.env["res.partner"]._read_group(
            [("b2b_price_tier_id", "in", self.ids), ("is_company", "=", True)],
            ["b2b_price_tier_id"],
            ["__count"],
        )
        counts = {tier.id: count for tier, count in groups}
        for tier in self:
            tier.partner_count = counts.get(tier.id, 0)

    @api.constrains("discount")
    def _check_discount(self):
        for tier in self:
            if not 0.0 <= tier.discount <= 100.0:
                raise ValidationError(
                    self.env._(
                        "The discount of price tier %(tier)s must be between 0 and 100 %%.",
                        tier=tier.display_name,
                    )
                )
