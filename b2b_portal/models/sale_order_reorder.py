from collections import defaultdict

from odoo import models


class SaleOrder(models.Model):
    """Reorder: a past order's lines into the cart at today's prices."""

    _inherit = "sale.order"  # pylint: disable=consider-merging-classes-inherited

    def _b2b_reorder_quantities(self, customer):
        """``({product: quantity}, skipped products)``: this order's goods,
        one quantity per product in its sales unit, that ``customer`` may
        still order, and those it no longer may."""
        self.ensure_one()
        lines = self._b2b_product_lines()
        orderable = customer._b2b_filter_allowed_products(lines.product_id)
        quantities = defaultdict(float)
        for line in lines.filtered(lambda line: line.product_id in orderable):
            quantities[line.product_id] += line._b2b_qty_in_product_uom()
        return dict(quantities), lines.product_id - orderable

    def _b2b_reorder_into(self, cart, notices=None):
        """Put this order's lines in ``cart`` at today's prices (rounded to
        the sales packs, see ``_b2b_add_products`` for ``notices``).
        :return: the products skipped because they can no longer be ordered."""
        quantities, skipped = self._b2b_reorder_quantities(cart.partner_id)
        if quantities:
            cart._b2b_add_products(quantities, notices=notices)
        return skipped
