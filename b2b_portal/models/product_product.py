from dataclasses import dataclass

from odoo import api, fields, models
from odoo.tools import SQL, float_round

from odoo.addons.stock.models.product import Product as StockProduct


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
        groups = self.env["stock.quant"].sudo()._read_group(
            self._b2b_quant_location_domain() + [("product_id.is_storable", "=", True)],
            ["product_id"],
            ["quantity:sum", "reserved_quantity:sum"],
        )
        ids = [product.id for product, quantity, reserved in groups if quantity - reserved > 0]
        positive = (operator == "=") == value
        return [("id", "in" if positive else "not in", ids)]

    def _b2b_quant_location_domain(self):
        """The quants' location domain of stock's ``_get_domain_locations``
        (the first of its three), for the locations of the context's
        warehouse or location, else of every active warehouse of the
        current companies. In the usual case it is a subquery (the
        locations under the warehouses' view locations, by parent_path as
        stock's domain does), so that the quants are read in one query
        instead of stock's three; archived locations count only when the
        context's ``active_test`` is off, as in stock's domain."""
        if any(self.env.context.get(key) for key in ("warehouse_id", "location", "strict")):
            return self.sudo()._get_domain_locations()[0]
        Location, Warehouse = self.env["stock.location"], self.env["stock.warehouse"]
        Location.flush_model(["parent_path", "active"])
        Warehouse.flush_model(["view_location_id", "company_id", "active"])
        locations = SQL(
            "(SELECT location.id FROM stock_location location WHERE %s AND EXISTS ("
            "SELECT 1 FROM stock_warehouse warehouse JOIN stock_location view ON view.id = warehouse.view_location_id"
            " WHERE warehouse.active AND warehouse.company_id IN %s"
            " AND location.parent_path LIKE view.parent_path || %s))",
            SQL("location.active") if self.env.context.get("active_test", True) else SQL("TRUE"),
            tuple(self.env.companies.ids), "%",
        )
        return [("location_id", "in", locations)]

    def _b2b_free_quantities(self):
        """``{product_id: free quantity}`` (on hand less reserved, rounded to
        the product's unit) of these storable products, as stock's
        ``free_qty`` computes it without dates, lots, owners or packages,
        in one grouped query on the quants (plus the locations') instead of
        stock's five (it sums the incoming and outgoing moves too). Where
        another addon computes quantities its own way (mrp's kits), its
        ``free_qty`` answers."""
        if type(self)._compute_quantities_dict is not StockProduct._compute_quantities_dict or any(
            self.env.context.get(key) for key in ("lot_id", "owner_id", "package_id", "from_date", "to_date")
        ):
            return {product.id: product.free_qty for product in self.sudo()}
        quants = self.env["stock.quant"].sudo().with_context(active_test=False)._read_group(
            [("product_id", "in", self.ids), *self.with_context(active_test=False)._b2b_quant_location_domain()],
            ["product_id"],
            ["quantity:sum", "reserved_quantity:sum"],
        )
        on_hand = {product.id: (quantity, reserved) for product, quantity, reserved in quants}
        return {
            product.id: float_round(on_hand.get(product.id, (0.0, 0.0))[0] - on_hand.get(product.id, (0.0, 0.0))[1],
                                    precision_rounding=product.product_tmpl_id.uom_id.rounding)
            for product in self.sudo()
        }

    def _b2b_get_stock(self):
        """``{product_id: B2bStock}`` from the warehouse as it is now (free
        quantity: on hand less reserved), in a fixed number of queries: the
        quants (``_b2b_free_quantities``), and the next receipts of the
        products out of stock, if any."""
        products = self.sudo()
        default_threshold = float(
            self.env["ir.config_parameter"].sudo().get_param("b2b_portal.low_stock_threshold", 10)
        )
        # Read from the templates: a variant's inherited fields are related
        # fields, computed for every variant of the page.
        storable = products.filtered(lambda product: product.product_tmpl_id.is_storable)
        free_qty = storable._b2b_free_quantities() if storable else {}
        statuses = {}
        for product in products:
            threshold = product.product_tmpl_id.b2b_low_stock_threshold or default_threshold
            free = free_qty[product.id] if product.id in free_qty else float("inf")
            if free <= 0:
                status = "out"
            elif free < threshold:
                status = "low"
            else:
                status = "in_stock"
            statuses[product] = (free, status)
        out = products.browse([product.id for product, (_free, status) in statuses.items() if status == "out"])
        receipts = dict(self.env["stock.move"].sudo()._read_group(
            [
                ("product_id", "in", out.ids),
                ("state", "in", ("confirmed", "waiting", "partially_available", "assigned")),
                ("location_dest_id.usage", "=", "internal"),
                ("location_id.usage", "not in", ("internal", "transit")),
            ],
            ["product_id"],
            ["date:min"],
        )) if out else {}
        return {product.id: B2bStock(free, status, receipts.get(product) if status == "out" else None)
                for product, (free, status) in statuses.items()}

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
