from odoo import api, fields, models
from odoo.exceptions import ValidationError


class B2bFavorite(models.Model):
    _name = "b2b.favorite"
    _inherit = ["b2b.commercial.mixin"]
    _description = "B2B Favourite Product"
    _order = "partner_id, sequence, id"

    partner_id = fields.Many2one(help="The customer company: favourites are shared by its buyers.")
    product_id = fields.Many2one(
        "product.product", required=True, ondelete="cascade"
    )
    product_tmpl_id = fields.Many2one(related="product_id.product_tmpl_id")
    uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    default_qty = fields.Float(
        string="Default Quantity", default=1.0, digits="Product Unit of Measure"
    )
    sequence = fields.Integer(default=10)

    _sql_constraints = [
        (
            "partner_product_unique",
            "unique(partner_id, product_id)",
            "This product is already a favourite of this customer.",
        ),
    ]

    @api.constrains("default_qty")
    def _check_default_qty(self):
        for favorite in self:
            if favorite.default_qty <= 0:
                raise ValidationError(self.env._("The default quantity of a favourite must be positive."))

    @api.constrains("partner_id", "product_id")
    def _check_product_allowed(self):
        for partner, favorites in self.grouped("partner_id").items():
            allowed = partner.sudo()._b2b_filter_allowed_products(favorites.product_id)
            refused = favorites.product_id - allowed
            if refused:
                raise ValidationError(
                    self.env._(
                        "%(products)s cannot be a favourite of %(customer)s: it is not in its catalog.",
                        products=", ".join(refused.mapped("display_name")),
                        customer=partner.display_name,
                    )
                )
