from odoo import api, fields, models


class B2bCommercialMixin(models.AbstractModel):
    """Records that belong to a customer company (its commercial partner),
    whichever of its contacts was picked when they were made."""

    _name = "b2b.commercial.mixin"
    _description = "B2B record owned by a customer company"

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="cascade",
        help="The customer company (commercial partner).",
    )

    def _b2b_commercial_vals(self, vals):
        if vals.get("partner_id"):
            partner = self.env["res.partner"].browse(vals["partner_id"])
            vals = dict(vals, partner_id=partner.commercial_partner_id.id)
        return vals

    @api.model_create_multi
    def create(self, vals_list):
        return super().create([self._b2b_commercial_vals(vals) for vals in vals_list])

    def write(self, vals):
        return super().write(self._b2b_commercial_vals(vals))
