from odoo import api, fields, models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    b2b_charge = fields.Selection(
        [("small_order", "Small-order surcharge"), ("delivery", "Delivery charge")],
        copy=False,
        help="Set on the service lines the portal's order rules add: not goods the buyer ordered.",
    )

    @api.model
    def _b2b_product_line_domain(self):
        """The one definition of "a product line of an order": goods
        ordered, that is a product, neither a section or a note nor a down
        payment, nor a charge of the order rules. Carts, submits, approvals,
        reorders and flags all use it (``_b2b_filter_product_lines``), and
        the cart's badge counts it in SQL."""
        return [("product_id", "!=", False), ("display_type", "=", False), ("is_downpayment", "=", False),
                ("b2b_charge", "=", False)]

    def _b2b_filter_product_lines(self):
        """These lines' product lines: ``_b2b_product_line_domain`` as a
        predicate (``filtered_domain`` costs a domain evaluation per line,
        and carts and orders filter their lines on every page and change)."""
        return self.filtered(
            lambda line: line.product_id and not line.display_type and not line.is_downpayment
            and not line.b2b_charge
        )

    def _b2b_priced_lines(self):
        """Product lines the B2B engine prices: those of customers with a
        tier, except combo products and their items (Odoo prices those)."""
        lines = self._b2b_filter_product_lines()
        tiered = lines.order_id.filtered(lambda order: order.partner_id.commercial_partner_id.b2b_price_tier_id)
        # The product's template read directly: the variant's inherited
        # fields are related fields, computed again for every variant read.
        return lines.filtered(
            lambda line: line.order_id in tiered
            and line.product_id.product_tmpl_id.type != "combo"
            and not line.combo_item_id
        )

    def _b2b_qty_in_product_uom(self):
        """This line's quantity in its product's sales unit."""
        self.ensure_one()
        uom = self.product_id.product_tmpl_id.uom_id  # the variant's, read from its template
        if not self.product_uom or self.product_uom == uom:
            return self.product_uom_qty
        return self.product_uom._compute_quantity(self.product_uom_qty, uom, raise_if_failure=False)

    def _b2b_engine_price_units(self, date=None, engine_prices=None):
        """``{line id: unit price}`` as the engine prices these lines now, in
        each line's unit, taxes included where the product's are: what
        ``_compute_price_unit`` writes, computed without writing it.
        ``engine_prices``: a dict to fill with the engine's own answer,
        ``{product_id: B2bPrice}`` (of one order's lines)."""
        result = {}
        for order, lines in self.grouped("order_id").items():
            prices = order._b2b_get_prices(lines.product_id, lines, date=date)
            if engine_prices is not None:
                engine_prices.update(prices)
            company = order.company_id
            for line in lines.with_company(company):
                product = line.product_id
                template = product.product_tmpl_id  # its unit and taxes, read without the variant's related fields
                price = prices[product.id].price
                if line.product_uom and line.product_uom != template.uom_id:
                    price = template.uom_id._compute_price(price, line.product_uom)
                taxes = template.taxes_id
                if taxes:
                    price = product._get_tax_included_unit_price_from_price(
                        price,
                        product_taxes=taxes._filter_taxes_by_company(company),
                        fiscal_position=order.fiscal_position_id,
                    )
                result[line.id] = price
        return result

    @api.depends("product_id", "product_uom", "product_uom_qty")
    def _compute_price_unit(self):  # pylint: disable=missing-return
        b2b_lines = self._b2b_priced_lines()
        super(SaleOrderLine, self - b2b_lines)._compute_price_unit()
        force = self.env.context.get("force_price_recomputation")
        # Like Odoo: a price typed by hand, or already invoiced, stays.
        to_price = b2b_lines.filtered(
            lambda line: (force or line.technical_price_unit == line.price_unit)
            and not line.qty_invoiced > 0
        )
        prices = to_price._b2b_engine_price_units()
        for line in to_price:
            line.price_unit = prices[line.id]
            line.technical_price_unit = line.price_unit

    @api.depends("product_id", "product_uom", "product_uom_qty")
    def _compute_discount(self):  # pylint: disable=missing-return
        b2b_lines = self._b2b_priced_lines()
        super(SaleOrderLine, self - b2b_lines)._compute_discount()
        # The engine's price is net: no pricelist discount on top of it.
        b2b_lines.discount = 0.0
