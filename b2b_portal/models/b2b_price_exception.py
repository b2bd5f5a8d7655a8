from odoo import api, fields, models
from odoo.exceptions import ValidationError


class B2bPriceException(models.Model):
    _name = "b2b.price.exception"
    _inherit = ["b2b.commercial.mixin"]
    _description = "B2B Customer Price Exception"
    _order = "partner_id, product_tmpl_id, product_id, date_start desc, id"

    partner_id = fields.Many2one(
        domain=[("is_company", "=", True)],
        help="The customer company (commercial partner) this negotiated price applies to.",
    )
    product_tmpl_id = fields.Many2one(
        "product.template",
        string="Product",
        required=True,
        index=True,
        ondelete="cascade",
        compute="_compute_product_tmpl_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    product_id = fields.Many2one(
        "product.product",
        string="Variant",
        ondelete="cascade",
        domain="[('product_tmpl_id', '=', product_tmpl_id)]",
        help="Restrict the exception to one variant; a variant exception beats a product one.",
    )
    price_type = fields.Selection(
        [("fixed", "Fixed price"), ("discount", "Discount on tier price")],
        required=True,
        default="fixed",
    )
    fixed_price = fields.Float(digits="Product Price")
    discount = fields.Float(digits="Discount", help="Percent off the customer's tier price.")
    date_start = fields.Date(string="From")
    date_end = fields.Date(string="Until", help="Inclusive.")
    apply_volume_breaks = fields.Boolean(
        help="By default an exception is a net price. Tick to let volume breaks "
        "apply on top of it."
    )
    active = fields.Boolean(default=True)
    note = fields.Char()
    currency_id = fields.Many2one(related="product_tmpl_id.currency_id")

    @api.depends("product_id")
    def _compute_product_tmpl_id(self):
        for exception in self:
            if exception.product_id:
                exception.product_tmpl_id = exception.product_id.product_tmpl_id

    @api.constrains("fixed_price", "discount", "price_type")
    def _check_price(self):
        for exception in self:
            if exception.fixed_price < 0:
                raise ValidationError(self.env._("A price exception cannot have a negative price."))
            if not 0.0 <= exception.discount <= 100.0:
                raise ValidationError(
                    self.env._("The discount of a price exception must be between 0 and 100 %.")
                )

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for exception in self:
            if exception.date_start and exception.date_end and exception.date_end < exception.date_start:
                raise ValidationError(
                    self.env._(
                        "The price exception for %(product)s ends (%(end)s) before it starts (%(start)s).",
                        product=exception.product_tmpl_id.display_name,
                        end=exception.date_end,
                        start=exception.date_start,
                    )
                )

    @api.constrains("product_id", "product_tmpl_id")
    def _check_variant(self):
        for exception in self:
            if exception.product_id and exception.product_id.product_tmpl_id != exception.product_tmpl_id:
                raise ValidationError(
                    self.env._("The variant of a price exception must belong to its product.")
                )
