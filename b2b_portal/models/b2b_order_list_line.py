from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError


class B2bOrderListLine(models.Model):
    _name = "b2b.order.list.line"
    _description = "B2B Order List Line"
    _order = "list_id, sequence, id"

    list_id = fields.Many2one("b2b.order.list", required=True, index=True, ondelete="cascade")
    partner_id = fields.Many2one(related="list_id.partner_id")
    sequence = fields.Integer(default=10)
    product_id = fields.Many2one("product.product", required=True, index=True, ondelete="cascade")
    uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    quantity = fields.Float(default=1.0, digits="Product Unit of Measure")
    par_qty = fields.Float(
        string="Par Level",
        digits="Product Unit of Measure",
        help="The quantity the shelf should hold: counting the shelf orders the difference. 0: none.",
    )
    note = fields.Char()
    saved_price = fields.Float(
        string="Price When Added",
        digits="Product Price",
        readonly=True,
        copy=False,
        help="The customer's price when the line was added (or its list copied), to show the buyer what "
        "changed since.",
    )
    saved_qty = fields.Float(
        string="Quantity When Added",
        digits="Product Unit of Measure",
        readonly=True,
        copy=False,
        help="The quantity the remembered price is for: today's price is compared at the same quantity, so "
        "that a volume break reached by a new quantity is not taken for a price change.",
    )

    _sql_constraints = [
        ("list_product_unique", "unique(list_id, product_id)", "A product appears once in a list."),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        self._b2b_check_portal_vals(vals_list, moving=False)
        if not self.env.su and self.env.user.share:
            # Before the constraints run: their messages must not tell a
            # stranger what another list holds or whose it is.
            self.env["b2b.order.list"].browse({vals.get("list_id") for vals in vals_list} - {None}).check_access(
                "write"
            )
        by_list = defaultdict(list)
        for vals in vals_list:
            if vals.get("list_id") and vals.get("product_id") and not vals.get("saved_price"):
                by_list[vals["list_id"]].append(vals)
        for list_id, list_vals in by_list.items():
            self._b2b_price_vals(self.env["b2b.order.list"].browse(list_id), list_vals)
        return super().create(vals_list)

    def write(self, vals):
        self._b2b_check_portal_vals([vals], moving=True)
        res = super().write(vals)
        if "product_id" in vals:
            for line in self:
                line_vals = {"product_id": line.product_id.id, "quantity": line.quantity}
                self._b2b_price_vals(line.list_id, [line_vals])
                line.sudo().write({key: line_vals.get(key, 0.0) for key in ("saved_price", "saved_qty")})
        return res

    def _b2b_check_portal_vals(self, vals_list, moving):
        """From the portal a line is never moved to another list, nor its
        remembered price forged (the record rules check the list it is in)."""
        if self.env.su or not self.env.user.share:
            return
        if any({"saved_price", "saved_qty"} & set(vals) or (moving and "list_id" in vals) for vals in vals_list):
            raise AccessError(self.env._("You cannot move a line to another list or set its price."))

    def _b2b_price_vals(self, order_list, vals_list):
        """Put today's customer price of each new line in its values, in one
        batch: it is what the list page compares today's price with."""
        products = self.env["product.product"].sudo().browse({vals["product_id"] for vals in vals_list})
        prices = self.env["b2b.pricing"]._get_prices(
            order_list.sudo().partner_id, products,
            {vals["product_id"]: vals.get("quantity", 1.0) for vals in vals_list},
        )
        for vals in vals_list:
            price = prices.get(vals["product_id"])
            if price:
                vals["saved_price"] = price.price
                vals["saved_qty"] = vals.get("quantity", 1.0)

    @api.constrains("quantity", "par_qty", "product_id")
    def _check_quantities(self):
        Order = self.env["sale.order"]
        for line in self:
            product = line.product_id.sudo()
            Order._b2b_check_quantity(product, line.quantity)
            if line.par_qty:
                Order._b2b_check_quantity(product, line.par_qty)

    @api.constrains("list_id", "product_id")
    def _check_product_allowed(self):
        for partner, lines in self.grouped("partner_id").items():
            allowed = partner.sudo()._b2b_filter_allowed_products(lines.product_id.sudo())
            refused = lines.product_id.sudo() - allowed
            if refused:
                raise ValidationError(self.env._(
                    "%(products)s cannot be in a list of %(customer)s: not in its catalog.",
                    products=", ".join(refused.mapped("display_name")), customer=partner.display_name,
                ))
