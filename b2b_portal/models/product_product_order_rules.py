from odoo import models
from odoo.exceptions import UserError
from odoo.tools import float_compare


class ProductProduct(models.Model):
    """Order multiples and minimum quantities of the portal: sales packagings
    (``product.packaging`` with ``sales`` set) and ``b2b_min_qty``."""

    _inherit = "product.product"  # pylint: disable=consider-merging-classes-inherited

    def _b2b_sales_packagings(self):
        """``{product id: packaging}``: the smallest sales packaging of each
        product (its quantity is the order multiple), read in one query, or
        none where Odoo has read the products' packagings already (a sales
        line's change reads them to suggest one: the cart's row then shows
        the packaging its change rounded to without reading it again). Read
        with what that suggestion reads of them, for the same reason."""
        products = self.sudo()
        field = products._fields["packaging_ids"]
        if products and all(self.env.cache.contains(product, field) for product in products):
            packagings = products.packaging_ids
        else:
            packagings = self.env["product.packaging"].sudo().search_fetch(
                [("product_id", "in", self.ids)], ["product_id", "qty", "name", "sales", "company_id"],
            )
        result = {}
        for packaging in packagings.filtered(lambda packaging: packaging.sales and packaging.qty > 0):
            current = result.get(packaging.product_id.id)
            if not current or (packaging.qty, packaging.id) < (current.qty, current.id):
                result[packaging.product_id.id] = packaging
        return result

    def _b2b_pack_rules(self):
        """``{product id: {"packaging", "multiple", "min_qty", "first_qty"}}``
        for the pages (in each product's sales unit; ``first_qty``: the
        smallest quantity that can be ordered), in one batch."""
        packagings = self._b2b_sales_packagings()
        result = {}
        # Units of measure are read as superuser: a buyer may not read uom.uom.
        # Their unit and minimum read from their templates: a variant's inherited
        # fields are related fields, computed for every variant of the page.
        for product in self.sudo():
            packaging = packagings.get(product.id)
            template = product.product_tmpl_id
            min_qty = template.b2b_min_qty
            multiple = packaging.qty if packaging else 0.0
            first = min_qty
            if multiple:
                first = max(packaging._check_qty(min_qty, template.uom_id, "UP"), multiple)
            result[product.id] = {"packaging": packaging, "multiple": multiple, "min_qty": min_qty, "first_qty": first}
        return result

    def _b2b_round_to_pack(self, quantity, packaging=None):
        """``(quantity, notice)``: ``quantity`` (sales unit) rounded up to the
        next multiple of the product's sales packaging, with a sentence for
        the buyer when it changed; a UserError below the minimum quantity."""
        self.ensure_one()
        if packaging is None:
            packaging = self._b2b_sales_packagings().get(self.id)
        notice = None
        # Read from the template: the variant's inherited fields are related
        # fields, computed for every variant of the cart at the first read.
        template = self.sudo().product_tmpl_id
        uom = template.uom_id
        if packaging:
            rounded = packaging._check_qty(quantity, uom, "UP")
            if float_compare(rounded, quantity, precision_rounding=uom.rounding):
                notice = self.env._(
                    "%(product)s: rounded up to %(qty)s: sold by the %(pack)s of %(pack_qty)s.",
                    product=self.display_name, qty=self._b2b_format_qty(rounded), pack=packaging.name,
                    pack_qty=self._b2b_format_qty(packaging.qty),
                )
                quantity = rounded
        min_qty = template.b2b_min_qty
        if min_qty and float_compare(quantity, min_qty, precision_rounding=uom.rounding) < 0:
            raise UserError(self.env._(
                "%(product)s: order at least %(min)s %(uom)s.",
                product=self.display_name, min=self._b2b_format_qty(min_qty), uom=uom.name,
            ))
        return quantity, notice

    def _b2b_format_qty(self, quantity):
        """``24``, ``1000000``, ``2.5``: no exponent, no trailing zeros."""
        return f"{quantity:.6f}".rstrip("0").rstrip(".")
