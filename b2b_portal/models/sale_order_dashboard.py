import math

from babel.numbers import format_decimal
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import format_date
from odoo.tools.misc import babel_locale_parse, formatLang, get_lang


def short_amount(value, locale):
    """``value`` in a few characters for a chart: 1.2k, 35k, 1.5M, 850."""
    for divisor, suffix in ((1_000_000, "M"), (1_000, "k")):
        if abs(value) >= divisor:
            return format_decimal(value / divisor, format="#,##0.#", locale=locale) + suffix
    return format_decimal(value, format="#,##0", locale=locale)


class SaleOrder(models.Model):
    """Figures of the buyer's dashboard and favourites page."""

    _inherit = "sale.order"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _b2b_monthly_purchases(self, domain, today):
        """The last 12 months of confirmed orders (taxes excluded, in the
        company currency), as the current user, ready to draw and to read as
        a table: ``{months, ticks, total, currency}``.

        ``months``, oldest first, every month present: ``{month, label,
        year_label, long_label, amount, short_amount, height, title}``,
        ``height`` in percent of the axis; ``ticks``, bottom to top:
        ``{value, label, position}`` (percent of the axis), round values
        from 0 to the axis' top, which is at least the best month."""
        start = (today.replace(day=1) - relativedelta(months=11))
        groups = {
            month.date(): amount
            for month, amount in self._read_group(
                domain + [("state", "=", "sale"), ("date_order", ">=", start)],
                ["date_order:month"],
                ["amount_untaxed:sum"],
            )
        }
        currency = self.env.company.currency_id
        ticks = self._b2b_chart_ticks(max(groups.values(), default=0.0))
        top = ticks[-1]
        locale = babel_locale_parse(get_lang(self.env).code)
        months = []
        for index in range(12):
            month = start + relativedelta(months=index)
            amount = currency.round(groups.get(month, 0.0))
            label = format_date(self.env, month, date_format="MMM")
            long_label = format_date(self.env, month, date_format="MMMM y")
            months.append({
                "month": month,
                "label": label,
                # The year under the first month and under each January.
                "year_label": format_date(self.env, month, date_format="y") if not index or month.month == 1 else "",
                "long_label": long_label,
                "amount": amount,
                "short_amount": short_amount(amount, locale),
                "height": round(amount * 100 / top, 1),
                "title": self.env._("%(month)s: %(amount)s", month=long_label,
                                    amount=formatLang(self.env, amount, currency_obj=currency)),
            })
        return {
            "months": months,
            "ticks": [
                {"value": value, "position": round(value * 100 / top, 1),
                 "label": short_amount(value, locale)}
                for value in ticks
            ],
            "total": sum(month["amount"] for month in months),
            "currency": currency,
        }

    @api.model
    def _b2b_chart_ticks(self, peak, steps=4):
        """Round values for a chart's axis, from 0 up to at least ``peak``:
        ``steps`` equal steps of 1, 2, 2.5 or 5 times a power of ten
        (``[0, 1, 2, 3, 4]`` without any amount)."""
        if peak <= 0:
            return list(range(steps + 1))
        rough = peak / steps
        magnitude = 10 ** math.floor(math.log10(rough))
        step = next(factor * magnitude for factor in (1, 2, 2.5, 5, 10) if factor * magnitude >= rough)
        return [step * index for index in range(steps + 1)]

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
