import re
from datetime import datetime, time
from html import unescape

from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.tests import HttpCase, TransactionCase, tagged

from .common import B2bHttpMixin, B2bPortalCommon


def money(amount):
    """``amount`` as the page writes it, as a regular expression."""
    return re.escape(f"{amount:,.2f}")


def text_of(html):
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


@tagged("post_install", "-at_install")
class TestDashboardChartScale(TransactionCase):
    def test_axis_goes_in_round_steps_up_to_at_least_the_best_month(self):
        SaleOrder = self.env["sale.order"]
        self.assertEqual(SaleOrder._b2b_chart_ticks(0.0), [0, 1, 2, 3, 4])
        self.assertEqual(SaleOrder._b2b_chart_ticks(8.0), [0, 2, 4, 6, 8])
        self.assertEqual(SaleOrder._b2b_chart_ticks(1234.5), [0, 500, 1000, 1500, 2000])
        self.assertEqual(SaleOrder._b2b_chart_ticks(9000.0), [0, 2500, 5000, 7500, 10000])
        for peak in (0.01, 3.3, 99.99, 100.0, 777.0, 123456.0):
            with self.subTest(peak=peak):
                ticks = SaleOrder._b2b_chart_ticks(peak)
                self.assertGreaterEqual(ticks[-1], peak)
                self.assertLess(ticks[-1], 2 * peak)


@tagged("post_install", "-at_install")
class TestDashboardChartPortal(B2bHttpMixin, HttpCase, B2bPortalCommon):
    """The dashboard's chart of the company's confirmed orders per month, its
    axis and the same figures as a table; the month's spending against the
    budgets the company accounts set."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        today = fields.Date.today()
        cls.this_month = today.replace(day=1)
        cls.two_months_ago = cls.this_month - relativedelta(months=2)
        dated = [
            (cls.this_month, cls.cola, 5, "PO-NOW-1"),
            (cls.this_month, cls.rice, 8, "PO-NOW-2"),
            (cls.two_months_ago, cls.cola, 100, "PO-BEFORE"),
            (cls.this_month - relativedelta(months=13), cls.cola, 7, "PO-TOO-OLD"),
        ]
        cls.orders = cls.env["sale.order"]
        for month, product, qty, ref in dated:
            order = cls._confirmed_order(cls.buyer_b, product, qty, ref)
            order.date_order = datetime.combine(month.replace(day=10), time(12))
            cls.orders |= order
        # Not purchases: a quotation, a cancelled order, another company's order.
        cls.env["sale.order"].create({"partner_id": cls.buyer_b.id, "order_line": [
            Command.create({"product_id": cls.knife.id, "product_uom_qty": 3})]})
        cancelled = cls._confirmed_order(cls.buyer_b, cls.knife, 2, "PO-CANCELLED")
        cancelled._action_cancel()

    def dashboard(self):
        self.authenticate(self.portal_b.login, self.portal_b.login)
        response = self.url_open("/b2b")
        self.assertEqual(response.status_code, 200)
        return response.text

    def expected_per_month(self):
        amounts = {}
        for order in self.orders.filtered(lambda o: o.date_order.date() >= self.this_month - relativedelta(months=11)):
            month = order.date_order.date().replace(day=1)
            amounts[month] = amounts.get(month, 0.0) + order.amount_untaxed
        return amounts

    def test_table_and_bars_show_each_months_confirmed_orders(self):
        expected = self.expected_per_month()
        self.assertEqual(set(expected), {self.this_month, self.two_months_ago})
        self.assertGreater(expected[self.this_month], 0)
        page = self.dashboard()
        rows = re.findall(
            r'<tr class="o_b2b_chart_row" data-month="([\d-]+)">\s*<th[^>]*>([^<]+)</th>\s*'
            r'<td[^>]*>.*?oe_currency_value">([^<]+)<', page, re.S,
        )
        months = [self.this_month - relativedelta(months=11 - index) for index in range(12)]
        self.assertEqual([row[0] for row in rows], [str(month) for month in months])
        for month, _label, amount in rows:
            with self.subTest(month=month):
                self.assertAlmostEqual(float(amount.replace(",", "")),
                                       expected.get(fields.Date.to_date(month), 0.0), places=2)
        self.assertIn(str(self.this_month.year), rows[-1][1])
        total = re.search(r'o_b2b_chart_total"[^>]*>.*?oe_currency_value">([^<]+)<', page, re.S).group(1)
        self.assertAlmostEqual(float(total.replace(",", "")), sum(expected.values()), places=2)
        # The bars: one a month, the same amounts, each labelled, the best one the tallest.
        chunks = page.split("o_b2b_chart_bar")[1:]
        bars = [
            re.search(r'title="([^"]+)" data-amount="([\d.]+)">.*?height: ([\d.]+)%', chunk, re.S).groups()
            + tuple(re.findall(r'o_b2b_chart_amount"[^>]*>([^<]+)<', chunk))
            for chunk in chunks
        ]
        self.assertEqual(len(bars), 12)
        self.assertEqual([float(bar[1]) for bar in bars],
                         [self.currency.round(expected.get(month, 0.0)) for month in months])
        heights = [float(bar[2]) for bar in bars]
        best = max(range(12), key=lambda index: heights[index])
        self.assertEqual(months[best], self.two_months_ago)
        self.assertTrue(all(0 <= height <= 100 for height in heights))
        # Amounts in a few characters: 97, 1.4k.
        self.assertLess(expected[self.this_month], 1000)
        self.assertEqual(bars[-1][3], str(round(expected[self.this_month])))
        self.assertGreater(expected[self.two_months_ago], 1000)
        self.assertEqual(bars[-3][3], f"{expected[self.two_months_ago] / 1000:.1f}".removesuffix(".0") + "k")
        self.assertEqual(len(bars[0]), 3, "no label on an empty month")
        self.assertIn(f"{expected[self.this_month]:.2f}", bars[-1][0])
        # The axis: round values from 0 up to at least the best month.
        ticks = re.findall(r'o_b2b_chart_tick"[^>]*>([^<]+)<', page)
        self.assertEqual(ticks[0], "0")
        self.assertEqual(len(ticks), 5)
        # Month names under the bars, the year under the first one.
        labels = re.findall(r'o_b2b_chart_month"[^>]*>\s*([^<]*)<br/>([^<]*)</div>', page)
        self.assertEqual(len(labels), 12)
        self.assertEqual(labels[0][1].strip(), str(months[0].year))
        self.assertIn("Show as table", page)

    def test_no_chart_without_purchases(self):
        self.orders._action_cancel()
        page = self.dashboard()
        self.assertIn("o_b2b_chart_empty", page)
        self.assertNotIn("o_b2b_chart_table", page)

    def test_budget_bar_only_with_a_budget(self):
        page = self.dashboard()
        self.assertNotIn("o_b2b_budget", page)
        self.assertNotIn('role="progressbar"', page)

    def submit_web_order(self):
        """A web order of 5 colas sent this month, before any budget: the
        office's to approve. :return: its total, taxes included."""
        cart = self.env["sale.order"]._b2b_get_cart(self.buyer_b, create=True)
        cart._b2b_add_products({self.cola: 5})
        self.assertEqual(cart._b2b_submit(), [])
        self.assertEqual(cart.b2b_state, "pending")
        return cart.amount_total

    def test_budget_bar_shows_the_months_spending_against_the_company_budget(self):
        spent = self.submit_web_order()
        self.customer_b.b2b_company_monthly_budget = 1000.0
        self.assertTrue(spent)
        page = self.dashboard()
        block = re.search(r'<ul class="[^"]*o_b2b_budget.*?</ul>', page, re.S).group(0)
        self.assertEqual(block.count("o_b2b_budget_row"), 1)
        self.assertRegex(text_of(block), rf"Your company's orders this month: \S* ?{money(spent)} of \S* ?1,000\.00")
        percent = round(spent * 100 / 1000)
        self.assertIn(f'aria-valuenow="{percent}"', block)
        self.assertIn(f"width: {percent}%", block)
        self.assertIn("bg-success", block)
        self.assertRegex(text_of(block), rf"\S* ?{money(1000 - spent)} left this month")

    def test_budget_bar_over_the_budget(self):
        spent = self.submit_web_order()
        self.buyer_b.b2b_monthly_budget = 50.0
        self.assertGreater(spent, 50.0)
        block = re.search(r'<ul class="[^"]*o_b2b_budget.*?</ul>', self.dashboard(), re.S).group(0)
        self.assertRegex(text_of(block), rf"Your orders this month: \S* ?{money(spent)} of \S* ?50\.00")
        self.assertIn('aria-valuenow="100"', block)
        self.assertIn("bg-danger", block)
        self.assertRegex(text_of(block), rf"Over the budget by \S* ?{money(spent - 50)}")
