from dataclasses import dataclass

from odoo import api, fields, models


@dataclass(frozen=True)
class B2bStock:
    """What a buyer is told of a product's availability."""

    free_qty: float
    status: str  # 'in_stock', 'low' or 'out'
    next_receipt_date: object  # datetime of the next planned receipt, or None

    @property
    def counted(self):
        """Whether the quantity is known (storable products), to show it."""
        return self.free_qty != float("inf")


class ProductProduct(models.Model):
    _inherit = "product.product"

    b2b_orderable = fields.Boolean(
        string="Orderable by me",
        compute="_compute_b2b_orderable",
        search="_search_b2b_orderable",
        help="Whether the current user's company may order this product (saleable, "
        "active, in its catalogs). Portal users can only read orderable products.",
    )

    b2b_in_stock = fields.Boolean(
        string="In stock now",
        compute="_compute_b2b_in_stock",
        search="_search_b2b_in_stock",
        help="Storable and with a free quantity (on hand less reserved) above zero.",
    )

    @api.depends_context("company", "warehouse_id", "location")
    def _compute_b2b_in_stock(self):
        for product in self.sudo():
            product.b2b_in_stock = product.is_storable and product.free_qty > 0

    def _search_b2b_in_stock(self, operator, value):
        """One grouped query on quants, instead of stock's search on free_qty,
        which computes the quantity of every product of the database in Python."""
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise NotImplementedError(self.env._("Unsupported search on b2b_in_stock."))
        quant_domain = self.sudo()._get_domain_locations()[0]
        groups = self.env["stock.quant"].sudo()._read_group(
            quant_domain + [("product_id.is_storable", "=", True)],
            ["product_id"],
            ["quantity:sum", "reserved_quantity:sum"],
        )
        ids = [product.id for product, quantity, reserved in groups if quantity - reserved > 0]
        positive = (operator == "=") == value
        return [("id", "in" if positive else "not in", ids)]

    def _b2b_get_stock(self):
        """``{product_id: B2bStock}`` from the warehouse as it is now (free
        quantity: on hand less reserved), in a fixed number of queries."""
        products = self.sudo()
        default_threshold = float(
            self.env["ir.config_parameter"].sudo().get_param("b2b_portal.low_stock_threshold", 10)
        )
        receipts = dict(self.env["stock.move"].sudo()._read_group(
            [
                ("product_id", "in", products.ids),
                ("state", "in", ("confirmed", "waiting", "partially_available", "assigned")),
                ("location_dest_id.usage", "=", "internal"),
                ("location_id.usage", "not in", ("internal", "transit")),
            ],
            ["product_id"],
            ["date:min"],
        ))
        result = {}
        for product in products:
            threshold = product.b2b_low_stock_threshold or default_threshold
            free = product.free_qty if product.is_storable else float("inf")
            if free <= 0:
                status = "out"
            elif free < threshold:
                status = "low"
            else:
                status = "in_stock"
            result[product.id] = B2bStock(free, status, receipts.get(product) if status == "out" else None)
        return result

    def _b2b_image_urls(self, field="image_128"):
        """``{product_id: URL}`` of each product's image at ``/web/image``,
        which the browser caches: the URL changes when the product or its
        template does. Odoo answers with a placeholder when there is none."""
        urls = {}
        for product in self:
            stamp = max(filter(None, (product.write_date, product.product_tmpl_id.write_date)), default=None)
            unique = f"?unique={int(stamp.timestamp())}" if stamp else ""
            urls[product.id] = f"/web/image/product.product/{product.id}/{field}{unique}"
        return urls

    @api.depends_context("uid")
    def _compute_b2b_orderable(self):
        allowed = self.env.user.partner_id._b2b_filter_allowed_products(self)
        for product in self:
            product.b2b_orderable = product in allowed

    def _search_b2b_orderable(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise NotImplementedError(self.env._("Unsupported search on b2b_orderable."))
        return self.env.user.partner_id._b2b_orderable_domain(self._name, (operator == "=") == value)
