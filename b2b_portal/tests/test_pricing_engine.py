from datetime import date

from odoo.tests import tagged

from .common import B2bCommon


@tagged("post_install", "-at_install")
class TestPricingEngine(B2bCommon):
    # 1. Tier price -------------------------------------------------------

    def test_tier_price_of_the_product_wins_over_tier_discount(self):
        self.set_tier_price(self.cola, self.tier_b, 16.4)
        result = self.price_of(self.cola)
        self.assertEqual(result.price, 16.4)
        self.assertEqual(result.tier_price, 16.4)
        self.assertEqual(result.source, "tier")

    def test_tier_discount_applies_without_tier_price(self):
        # 20.00 less tier B's 15 %
        self.assertEqual(self.price_of(self.cola).price, 17.0)
        # Another tier's price for the product does not count for tier B.
        self.set_tier_price(self.cola, self.tier_c, 5.0)
        self.assertEqual(self.price_of(self.cola).price, 17.0)

    def test_tier_discount_includes_variant_extra(self):
        self.assertEqual(self.price_of(self.gloves_s).price, 6.8)  # 8.00 * 0.85
        self.assertEqual(self.price_of(self.gloves_l).price, 8.5)  # (8.00 + 2.00) * 0.85

    def test_contact_is_priced_as_its_company(self):
        self.set_tier_price(self.cola, self.tier_b, 16.4)
        self.assertEqual(self.price_of(self.cola, partner=self.buyer_b).price, 16.4)

    def test_partner_without_tier_gets_no_b2b_price(self):
        prices = self.env["b2b.pricing"]._get_prices(self.customer_plain, self.cola)
        self.assertEqual(prices, {})

    # 2. Exceptions -------------------------------------------------------

    def test_fixed_exception_replaces_tier_price(self):
        self.set_tier_price(self.cola, self.tier_b, 16.4)
        exception = self.add_exception(self.cola, fixed_price=15.0)
        result = self.price_of(self.cola)
        self.assertEqual((result.price, result.tier_price), (15.0, 16.4))
        self.assertEqual((result.source, result.exception_id), ("exception", exception.id))

    def test_discount_exception_is_off_the_tier_price(self):
        self.set_tier_price(self.cola, self.tier_b, 16.0)
        self.add_exception(self.cola, price_type="discount", discount=25.0)
        self.assertEqual(self.price_of(self.cola).price, 12.0)

    def test_variant_exception_beats_template_exception(self):
        self.add_exception(self.gloves_l, fixed_price=5.0)  # template level, lower
        self.add_exception(self.gloves_l, variant=True, fixed_price=7.0)
        self.assertEqual(self.price_of(self.gloves_l).price, 7.0)
        # The other variant still gets the template-level exception.
        self.assertEqual(self.price_of(self.gloves_s).price, 5.0)

    def test_lowest_exception_wins_among_equals(self):
        self.set_tier_price(self.cola, self.tier_b, 16.0)
        self.add_exception(self.cola, fixed_price=14.0)
        self.add_exception(self.cola, price_type="discount", discount=20.0)  # 12.80
        self.assertEqual(self.price_of(self.cola).price, 12.8)

    def test_exception_dates_are_inclusive(self):
        self.add_exception(self.cola, fixed_price=11.0, date_start=date(2026, 6, 1), date_end=date(2026, 6, 30))
        self.assertEqual(self.price_of(self.cola, on=date(2026, 6, 1)).price, 11.0)
        self.assertEqual(self.price_of(self.cola, on=date(2026, 6, 30)).price, 11.0)
        self.assertEqual(self.price_of(self.cola, on=date(2026, 5, 31)).price, 17.0)
        self.assertEqual(self.price_of(self.cola, on=date(2026, 7, 1)).price, 17.0)

    def test_open_ended_exception_dates(self):
        self.add_exception(self.cola, fixed_price=11.0, date_start=date(2026, 6, 10))
        self.assertEqual(self.price_of(self.cola, on=date(2030, 1, 1)).price, 11.0)
        self.assertEqual(self.price_of(self.cola, on=date(2026, 6, 9)).price, 17.0)

    def test_archived_exception_is_ignored(self):
        self.add_exception(self.cola, fixed_price=11.0).active = False
        self.assertEqual(self.price_of(self.cola).price, 17.0)

    def test_other_customers_exception_is_ignored(self):
        self.add_exception(self.cola, partner=self.customer_c, fixed_price=11.0)
        self.assertEqual(self.price_of(self.cola).price, 17.0)
        self.assertEqual(self.price_of(self.cola, partner=self.customer_c).price, 11.0)

    def test_exception_made_on_a_contact_belongs_to_its_company(self):
        exception = self.add_exception(self.cola, partner=self.buyer_b, fixed_price=11.0)
        self.assertEqual(exception.partner_id, self.customer_b)
        self.assertEqual(self.price_of(self.cola).price, 11.0)

    # 3. Volume breaks ----------------------------------------------------

    def test_break_applies_from_exactly_min_qty(self):
        self.add_break(10, self.cola, discount=10.0)
        self.assertEqual(self.price_of(self.cola, 9).price, 17.0)
        result = self.price_of(self.cola, 10)
        self.assertEqual(result.price, 15.3)
        self.assertEqual(result.applied_break.min_qty, 10)

    def test_largest_reached_break_applies(self):
        self.add_break(10, self.cola, discount=10.0)
        self.add_break(50, self.cola, discount=20.0)
        self.assertEqual(self.price_of(self.cola, 49).price, 15.3)
        self.assertEqual(self.price_of(self.cola, 50).price, 13.6)
        self.assertEqual(self.price_of(self.cola, 500).price, 13.6)

    def test_next_break_tells_quantity_and_price(self):
        self.add_break(10, self.cola, discount=10.0)
        self.add_break(50, self.cola, discount=20.0)
        result = self.price_of(self.cola, 4)
        self.assertEqual((result.next_break.min_qty, result.next_break.price), (10, 15.3))
        self.assertEqual(result.qty_to_next_break, 6)
        self.assertEqual(self.price_of(self.cola, 10).next_break.min_qty, 50)
        self.assertIsNone(self.price_of(self.cola, 50).next_break)
        self.assertEqual([lvl.price for lvl in result.break_levels], [15.3, 13.6])

    def test_fixed_break_never_raises_the_price(self):
        self.add_break(5, self.cola, price_type="fixed", fixed_price=18.0)  # above tier price 17.00
        self.add_break(20, self.cola, price_type="fixed", fixed_price=14.0)
        self.assertEqual(self.price_of(self.cola, 5).price, 17.0)
        self.assertEqual(self.price_of(self.cola, 20).price, 14.0)

    def test_tier_restricted_break_applies_to_its_tiers_only(self):
        self.add_break(10, self.cola, discount=10.0, tier_ids=[self.tier_c.id])
        self.assertEqual(self.price_of(self.cola, 10).price, 17.0)  # tier B: not for it
        self.assertEqual(self.price_of(self.cola, 10, partner=self.customer_c).price, 16.2)  # 18 * 0.9

    def test_category_break_comes_from_nearest_parent_category(self):
        self.add_break(10, self.categ_root, discount=5.0)
        self.assertEqual(self.price_of(self.cola, 10).price, 16.15)  # from the root, two levels up
        self.add_break(10, self.categ_drinks, discount=10.0)
        self.assertEqual(self.price_of(self.cola, 10).price, 15.3)  # nearer category wins
        # Only the nearest category with breaks counts, even if its breaks are not reached.
        self.add_break(100, self.categ_soft, discount=30.0)
        self.assertEqual(self.price_of(self.cola, 10).price, 17.0)

    def test_product_breaks_override_category_breaks(self):
        self.add_break(10, self.categ_soft, discount=20.0)
        self.add_break(20, self.cola, discount=5.0)
        self.assertEqual(self.price_of(self.cola, 10).price, 17.0)
        self.assertEqual(self.price_of(self.cola, 20).price, 16.15)
        self.assertEqual(self.price_of(self.water, 10).price, 6.8)  # 8.50 * 0.8, category break

    def test_exception_is_net_unless_it_applies_volume_breaks(self):
        self.add_break(10, self.cola, discount=10.0)
        exception = self.add_exception(self.cola, fixed_price=15.0)
        self.assertEqual(self.price_of(self.cola, 10).price, 15.0)
        self.assertFalse(self.price_of(self.cola, 10).break_levels)
        exception.apply_volume_breaks = True
        self.assertEqual(self.price_of(self.cola, 10).price, 13.5)

    # 4. Rounding, currency, batch ------------------------------------------

    def test_price_is_rounded_to_product_price_precision(self):
        digits = self.env["decimal.precision"].precision_get("Product Price")
        self.water.list_price = 9.99
        self.add_exception(self.water, price_type="discount", discount=33.33)
        price = self.price_of(self.water).price
        self.assertNotEqual(9.99 * 0.85 * (1 - 0.3333), round(9.99 * 0.85 * (1 - 0.3333), digits))
        self.assertEqual(price, round(9.99 * 0.85 * (1 - 0.3333), digits))
        self.assertEqual(price, round(price, digits))

    def test_prices_convert_to_the_order_currency(self):
        other = self.setup_other_currency("EUR", rates=[(date(2026, 1, 1), 2.0)])
        self.assertEqual(self.currency.rate, 1.0)
        self.assertEqual(self.price_of(self.cola, currency=other).price, 34.0)

    def test_quantities_are_per_product_in_one_call(self):
        self.add_break(10, self.categ_soft, discount=10.0)
        prices = self.env["b2b.pricing"]._get_prices(
            self.customer_b, self.cola | self.water, {self.cola.id: 10, self.water.id: 1}, self.today
        )
        self.assertEqual(prices[self.cola.id].price, 15.3)
        self.assertEqual(prices[self.water.id].price, 8.5)

    def test_query_count_does_not_grow_with_products(self):
        products = self.env["product.product"].create([
            {"name": f"Bulk {i}", "list_price": 10 + i, "categ_id": (self.categ_soft, self.categ_tools)[i % 2].id}
            for i in range(199)
        ]) | self.cola
        for i, product in enumerate(products[:60]):
            self.set_tier_price(product, self.tier_b, 9.0)
            if i % 3 == 0:
                self.add_exception(product, fixed_price=7.0, apply_volume_breaks=bool(i % 2))
        self.add_break(10, self.categ_soft, discount=10.0)
        self.add_break(5, self.cola, discount=5.0)
        Pricing = self.env["b2b.pricing"]

        def count_queries(records):
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            prices = Pricing._get_prices(self.customer_b, records, {p.id: 12 for p in records}, self.today)
            self.assertEqual(len(prices), len(records))
            return self.cr.sql_log_count - before

        one, many = count_queries(self.cola), count_queries(products)
        self.assertEqual(len(products), 200)
        self.assertEqual(one, many, "the engine must not issue queries per product")
        self.assertLessEqual(many, 10)
        with self.assertQueryCount(many):
            self.env.invalidate_all()
            Pricing._get_prices(self.customer_b, products, {}, self.today)
