from odoo import api, fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    b2b_tier_price_ids = fields.One2many(
        "b2b.tier.price", "product_tmpl_id", string="Tier Prices", groups="sales_team.group_sale_salesman"
    )
    b2b_volume_break_ids = fields.One2many(
        "b2b.volume.break", "product_tmpl_id", string="Volume Breaks", groups="sales_team.group_sale_salesman"
    )
    b2b_low_stock_threshold = fields.Float(
        string="Low Stock Below",
        digits="Product Unit of Measure",
        help="The portal shows 'low stock' below this free quantity; 0 uses the general setting.",
    )
    b2b_orderable = fields.Boolean(
        string="Orderable by me",
        compute="_compute_b2b_orderable",
        search="_search_b2b_orderable",
        help="Whether the current user's company may order a variant of this product.",
    )

    @api.depends_context("uid")
    def _compute_b2b_orderable(self):
        allowed = self.env.user.partner_id._b2b_filter_allowed_products(self)
        for template in self:
            template.b2b_orderable = template in allowed

    def _search_b2b_orderable(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise NotImplementedError(self.env._("Unsupported search on b2b_orderable."))
        return self.env.user.partner_id._b2b_orderable_domain(self._name, (operator == "=") == value)
