from collections import defaultdict

from odoo import models


class SaleOrder(models.Model):
    """Reorder: a past order's lines into the cart at today's prices."""

    _inherit = "sale.order"  # pylint: disable=consider-merging-classes-inherited

    def _b2b_reorder_into(self, cart, notices=None):
        """Put this order's lines in ``cart`` at today's prices (rounded to
        the sales packs, see ``_b2b_add_products`` for ``notices``).
        :return: the products skipped because they can no longer be ordered."""
        self.ensure_one()
        lines = self._b2b_product_lines()
        orderable = cart.partner_id._b2b_filter_allowed_products(lines.product_id)
        quantities = defaultdict(float)
        for line in lines.filtered(lambda line: line.product_id in orderable):
            quantities[line.product_id] += line._b2b_qty_in_product_uom()
        if quantities:
            cart._b2b_add_products(dict(quantities), notices=notices)
        return lines.product_id - orderable
