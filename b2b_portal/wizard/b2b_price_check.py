from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools.misc import formatLang

from ..models.b2b_pricing import _number


class B2bPriceCheck(models.TransientModel):
    _name = "b2b.price.check"
    _description = "B2B Price Check"

    partner_id = fields.Many2one("res.partner", string="Customer", required=True)
    product_id = fields.Many2one(
        "product.product", required=True, domain=[("sale_ok", "=", True)]
    )
    quantity = fields.Float(default=1.0, digits="Product Unit of Measure", required=True)
    date = fields.Date(default=fields.Date.context_today, required=True)
    uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    currency_id = fields.Many2one("res.currency", default=lambda self: self.env.company.currency_id)
    tier_id = fields.Many2one(related="partner_id.commercial_partner_id.b2b_price_tier_id", string="Tier")
    price = fields.Float(string="Unit Price", compute="_compute_price", digits="Product Price")
    tier_price = fields.Float(compute="_compute_price", digits="Product Price")
    source = fields.Selection(
        [("tier", "Tier"), ("exception", "Customer exception")], compute="_compute_price"
    )
    in_catalog = fields.Boolean(string="In the customer's catalog", compute="_compute_price")
    breakdown_html = fields.Html(string="Breakdown", compute="_compute_price", sanitize=False)

    @api.depends("partner_id", "product_id", "quantity", "date")
    def _compute_price(self):
        for check in self:
            result = None
            if check.partner_id and check.product_id:
                result = self.env["b2b.pricing"]._get_prices(
                    check.partner_id, check.product_id, {check.product_id.id: check.quantity}, check.date
                ).get(check.product_id.id)
            check.price = result.price if result else 0.0
            check.tier_price = result.tier_price if result else 0.0
            check.source = result.source if result else False
            check.in_catalog = bool(
                check.partner_id
                and check.product_id
                and check.partner_id._b2b_filter_allowed_products(check.product_id)
            )
            check.breakdown_html = check._render_breakdown(result)

    def _render_breakdown(self, result):
        if not result:
            if self.partner_id and not self.tier_id:
                return Markup("<p>%s</p>") % self.env._(
                    "This customer has no price tier: Odoo's pricelists price it."
                )
            return False
        rows = Markup().join(
            Markup("<tr><td>%s</td><td class='text-end'>%s</td></tr>")
            % (step.label, self._format_price(step.price))
            for step in result.steps
        )
        html = Markup("<table class='table table-sm'><tbody>%s</tbody></table>") % rows
        if result.next_break:
            html += Markup("<p>%s</p>") % self.env._(
                "Order %(qty)s more to pay %(price)s.",
                qty=_number(result.qty_to_next_break),
                price=self._format_price(result.next_break.price),
            )
        if result.break_levels:
            levels = Markup().join(
                Markup("<tr><td>%s</td><td class='text-end'>%s</td></tr>")
                % (f"≥ {level.min_qty:g}", self._format_price(level.price))
                for level in result.break_levels
            )
            html += Markup("<h6>%s</h6><table class='table table-sm'><tbody>%s</tbody></table>") % (
                self.env._("Volume breaks"),
                levels,
            )
        return html

    def _format_price(self, value):
        return formatLang(self.env, value, dp="Product Price", currency_obj=self.currency_id)
