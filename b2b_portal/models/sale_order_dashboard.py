from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import format_date
from odoo.tools.misc import formatLang


class SaleOrder(models.Model):
    """Figures of the buyer's dashboard and favourites page."""

    _inherit = "sale.order"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _b2b_monthly_purchases(self, domain, today):
        """The last 12 months of confirmed orders, oldest first, every month
        present, as the current user, ready to draw: ``[{label, amount,
        height, title}]``, ``height`` in percent of the best month."""
        start = (today.replace(day=1) - relativedelta(months=11))
        groups = {
            month.date(): amount
            for month, amount in self._read_group(
                domain + [("state", "=", "sale"), ("date_order", ">=", start)],
                ["date_order:month"],
                ["amount_untaxed:sum"],
            )
        }
        months = [start + relativedelta(months=i) for i in range(12)]
        peak = max([*groups.values(), 1.0])
        currency = self.env.company.currency_id
        chart = []
        for month in months:
            label, amount = format_date(self.env, month, date_format="MMM yy"), groups.get(month, 0.0)
            chart.append({
                "label": label,
                "amount": amount,
                "height": int(amount * 100 / peak),
                "title": self.env._("%(month)s: %(amount)s", month=label,
                                    amount=formatLang(self.env, amount, currency_obj=currency)),
            })
        return chart

    @api.model
    def _b2b_most_ordered_products(self, partner, limit=6):
        """The company's most ordered products of the last 12 months that it may still order."""
        since = fields.Datetime.now() - relativedelta(months=12)
        groups = self.env["sale.order.line"].sudo()._read_group(
            [
                ("order_id.partner_id", "child_of", partner.commercial_partner_id.id),
                ("order_id.state", "=", "sale"),
                ("order_id.date_order", ">=", since),
                ("product_id", "!=", False),
            ],
            ["product_id"],
            ["__count"],
            order="__count desc",
            limit=limit * 2,
        )
        products = self.env["product.product"].concat(*(product for product, _count in groups))
        return partner._b2b_filter_allowed_products(products)[:limit].sudo(False)
