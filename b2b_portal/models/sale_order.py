from collections import defaultdict

from odoo import fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _b2b_product_quantities(self, lines=None):
        """``{product_id: quantity}`` of the whole order, in each product's
        sales unit: volume breaks look at the total of a product. ``lines``
        adds lines not linked to the order yet (being created)."""
        self.ensure_one()
        quantities = defaultdict(float)
        for line in self.order_line | (lines or self.order_line.browse()):
            if line.product_id and not line.display_type and line.product_uom:
                quantities[line.product_id.id] += line.product_uom._compute_quantity(
                    line.product_uom_qty, line.product_id.uom_id, raise_if_failure=False
                )
        return quantities

    def _b2b_get_prices(self, products, lines=None):
        """The B2B engine's prices of ``products`` for this order."""
        self.ensure_one()
        return self.env["b2b.pricing"]._get_prices(
            self.partner_id,
            products,
            quantities=self._b2b_product_quantities(lines),
            date=fields.Date.context_today(self, self.date_order) if self.date_order else None,
            currency=self.currency_id,
        )
