from odoo import api, models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    def _b2b_priced_lines(self):
        """Lines the B2B engine prices: product lines of customers with a tier."""
        return self.filtered(
            lambda line: line.order_id
            and line.product_id
            and not line.display_type
            and line.product_type != "combo"
            and not line.combo_item_id
            and not line.is_downpayment
            and line.order_id.partner_id.commercial_partner_id.b2b_price_tier_id
        )

    @api.depends("product_id", "product_uom", "product_uom_qty")
    def _compute_price_unit(self):
        b2b_lines = self._b2b_priced_lines()
        super(SaleOrderLine, self - b2b_lines)._compute_price_unit()
        force = self.env.context.get("force_price_recomputation")
        # Like Odoo: a price typed by hand, or already invoiced, stays.
        to_price = b2b_lines.filtered(
            lambda line: (force or line.technical_price_unit == line.price_unit)
            and not line.qty_invoiced > 0
        )
        for order, lines in to_price.grouped("order_id").items():
            prices = order._b2b_get_prices(lines.product_id, lines)
            company = order.company_id
            for line in lines.with_company(company):
                product = line.product_id
                price = product.uom_id._compute_price(prices[product.id].price, line.product_uom)
                line.price_unit = product._get_tax_included_unit_price_from_price(
                    price,
                    product_taxes=product.taxes_id._filter_taxes_by_company(company),
                    fiscal_position=order.fiscal_position_id,
                )
                line.technical_price_unit = line.price_unit

    @api.depends("product_id", "product_uom", "product_uom_qty")
    def _compute_discount(self):
        b2b_lines = self._b2b_priced_lines()
        super(SaleOrderLine, self - b2b_lines)._compute_discount()
        # The engine's price is net: no pricelist discount on top of it.
        b2b_lines.discount = 0.0
