import re

from odoo import api, fields, models
from odoo.tools import sql


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
    b2b_min_qty = fields.Float(
        string="Minimum Order Quantity",
        digits="Product Unit of Measure",
        help="In the portal, a line of this product below this quantity (in its sales unit) is refused. "
        "Order multiples come from the product's sales packagings.",
    )
    # Catalogs are mostly made of categories: find a category's products
    # without reading the whole range.
    categ_id = fields.Many2one(index=True)
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

    def init(self):  # pylint: disable=missing-return
        super().init()
        self._b2b_index_name_sorting()

    @api.model
    def _b2b_index_name_sorting(self):
        """Index the product name as Odoo sorts it in each active language, so
        that a catalog page sorted by name reads a page of rows of an index
        rather than sorting the whole range."""
        for lang in self.env["res.lang"].search([("active", "=", True)]):
            # The fallback chain of Odoo's ORDER BY on a translated field
            # (Field.get_translation_fallback_langs): the language, then en_US.
            langs = ["en_US"] if lang.code == "en_US" else [lang.code, "en_US"]
            terms = [self.env.cr.mogrify("name->>%s", [code]).decode() for code in langs]
            expression = terms[0] if len(terms) == 1 else f"COALESCE({', '.join(terms)})"
            suffix = re.sub(r"\W", "_", lang.code.lower())  # sr@latin: sr_latin
            name = sql.make_identifier(f"product_template__b2b_name_{suffix}_index")
            sql.create_index(self.env.cr, name, self._table, [f"({expression})"])
