from odoo import models


class ResUsers(models.Model):
    _inherit = "res.users"

    def _b2b_is_buyer(self):
        """A portal user whose company has a price tier orders in the B2B portal."""
        self.ensure_one()
        return self._is_portal() and bool(self.partner_id.commercial_partner_id.sudo().b2b_price_tier_id)
