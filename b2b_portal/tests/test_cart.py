from datetime import timedelta
from unittest.mock import patch

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import B2bPortalCommon


@tagged("post_install", "-at_install")
class TestCart(B2bPortalCommon):
    def new_cart(self):
        return self.env["sale.order"]._b2b_get_cart(self.buyer_b, create=True)

    def test_one_cart_per_buyer_priced_by_the_engine(self):
        cart = self.new_cart()
        self.assertEqual(self.env["sale.order"]._b2b_get_cart(self.buyer_b, create=True), cart)
        self.assertEqual((cart.b2b_state, cart.state), ("cart", "draft"))
        self.assertIn(self.buyer_b, cart.message_partner_ids)
        cart._b2b_add_products({self.cola: 4})
        cart._b2b_add_products({self.cola: 6})
        line = cart.order_line
        self.assertEqual((len(line), line.product_uom_qty), (1, 10))
        self.assertEqual(line.price_unit, self.price_of(self.cola, 10).price)
        self.assertEqual(line.price_unit, 14.4)

    def test_cart_refuses_bad_quantities_and_changes_nothing(self):
        cart = self.new_cart()
        cart._b2b_add_products({self.cola: 2})
        for qty, message in (
            (0, "more than zero"), (-3, "more than zero"), (float("nan"), "must be a number"),
            (float("inf"), "must be a number"), (1e309, "must be a number"), (10**9, "more than can be ordered"),
            (1.5, "whole number"), ("5", "must be a number"),
        ):
            with self.subTest(qty=qty), self.assertRaisesRegex(UserError, message):
                cart._b2b_add_products({self.cola: qty})
        self.assertEqual(cart.order_line.product_uom_qty, 2)
        cart._b2b_add_products({self.rice: 2.5})  # kilograms may be fractional
        self.assertEqual(cart.order_line.filtered(lambda line: line.product_id == self.rice).product_uom_qty, 2.5)

    def test_cart_refuses_products_outside_catalog_archived_or_unsaleable(self):
        cart_c = self.env["sale.order"]._b2b_get_cart(self.buyer_c, create=True)
        with self.assertRaisesRegex(UserError, "not in your catalog"):
            cart_c._b2b_add_products({self.cola: 1, self.knife: 1})
        self.assertFalse(cart_c.order_line, "nothing is half-added")
        cart = self.new_cart()
        self.water.active = False
        self.rice.sale_ok = False
        for product in (self.water, self.rice):
            with self.subTest(product=product.name), self.assertRaisesRegex(UserError, "cannot be ordered"):
                cart._b2b_add_products({product: 1})

    def test_cart_lines_are_priced_at_todays_rules(self):
        """A cart's line is priced at today's rules, as the cart's page shows
        it, even in a cart begun days ago: a negotiated price valid from
        today applies to what is added today."""
        cart = self.new_cart()
        cart._b2b_add_products({self.water: 1})
        cart.date_order = fields.Datetime.now() - timedelta(days=3)
        today = fields.Date.context_today(cart)
        self.add_exception(self.cola, fixed_price=11.0, date_start=today)
        cart._b2b_add_products({self.cola: 2})
        line = cart.order_line.filtered(lambda line: line.product_id == self.cola)
        self.assertEqual(line.price_unit, 11.0)
        self.assertFalse(cart._b2b_live_price_changes(), "the page shows the price the line has")

    def test_shared_prices_price_each_product_once_and_alike(self):
        """Within _b2b_sharing_prices (an in-place change), the changed
        line's write and its row ask the engine once, for its product alone;
        the cart's other products are priced only when asked, once, and the
        figures are those without the block."""
        SaleOrder = self.env["sale.order"]
        cart = self.new_cart()
        cart._b2b_add_products({self.cola: 3, self.water: 10, self.rice: 2.5})
        expected_summary = cart._b2b_cart_summary()
        cola = cart.order_line.filtered(lambda line: line.product_id == self.cola)
        Pricing = self.registry["b2b.pricing"]
        engine = Pricing._get_prices
        with patch.object(Pricing, "_get_prices", autospec=True, side_effect=engine) as calls:
            with SaleOrder._b2b_sharing_prices():
                cart._b2b_add_products({self.cola: 12}, replace=True)
                shared_line = cart._b2b_cart_summary(shown_lines=cola, live_lines=cola)
                self.assertEqual(calls.call_count, 1, "the line's price and its row: one engine call")
                self.assertEqual(calls.call_args.args[2], self.cola, "the changed line's product alone")
                shared = cart._b2b_cart_summary()
                self.assertEqual(calls.call_count, 2, "every line's check: the other products, once")
                self.assertEqual(calls.call_args.args[2], self.water | self.rice)
                cart._b2b_cart_summary()
                self.assertEqual(calls.call_count, 2, "asked again at the same quantities: nothing priced")
            self.assertNotIn("b2b_shared_order_prices", self.env.cr.cache, "kept for the block only")
            alone = cart._b2b_cart_summary()
            self.assertEqual(calls.call_count, 3, "outside the block, the engine is asked again")
        self.assertEqual(cola.price_unit, self.price_of(self.cola, 12, on=fields.Date.context_today(cart)).price)
        self.assertEqual(shared["engine_prices"], alone["engine_prices"])
        self.assertEqual(shared_line["engine_prices"], {self.cola.id: alone["engine_prices"][self.cola.id]})
        self.assertEqual([row["line"] for row in shared_line["lines"]], [cola], "the row shown only")
        self.assertEqual(shared_line["count"], 3)
        for summary in (shared_line, shared):
            self.assertEqual(summary["amount_total"], alone["amount_total"])
        self.assertNotEqual(shared["amount_total"], expected_summary["amount_total"], "12 colas, not 3")

    def test_summary_checks_the_lines_asked_against_todays_prices(self):
        """``live_lines``: those lines at today's prices, the others at the
        price they have, as the rows of a page loaded before a price changed
        show them; the full summary and the submit see every change."""
        cart = self.new_cart()
        cart._b2b_add_products({self.cola: 3, self.water: 10})
        cola, water = (cart.order_line.filtered(lambda line, p=p: line.product_id == p)
                       for p in (self.cola, self.water))
        self.env["b2b.tier.price"].search([("product_tmpl_id", "=", self.cola.product_tmpl_id.id),
                                           ("tier_id", "=", self.tier_b.id)]).price = 15.0
        full = cart._b2b_cart_summary()
        self.assertEqual([(row["line"], row["old_price"]) for row in full["lines"]], [(cola, 16.0), (water, None)])
        self.assertEqual(cart._b2b_cart_summary(live_lines=cola)["amount_total"], full["amount_total"])
        as_stored = cart._b2b_cart_summary(live_lines=water)
        self.assertTrue(all(row["old_price"] is None for row in as_stored["lines"]))
        self.assertEqual(as_stored["amount_total"], cart.amount_total, "the rows' prices, as they are")
        self.assertAlmostEqual(full["amount_total"] - as_stored["amount_total"], -3.0)
        self.assertEqual(cart._b2b_submit(), [(cola, 16.0, 15.0)], "the submit checks every line")

    def test_submitted_order_can_no_longer_change(self):
        cart = self.new_cart()
        cart._b2b_add_products({self.cola: 2})
        self.assertFalse(cart._b2b_submit(client_order_ref="PO-1"))
        with self.assertRaisesRegex(UserError, "already been submitted"):
            cart._b2b_add_products({self.cola: 2})
        with self.assertRaisesRegex(UserError, "already been submitted"):
            cart._b2b_submit()
        self.assertFalse(self.cart_of(self.buyer_b))

    def test_submit_makes_a_pending_order_and_tells_the_buyer(self):
        cart = self.new_cart()
        cart._b2b_add_products({self.cola: 12})
        delivery = self.env["res.partner"].create({
            "name": "Bistro kitchen", "parent_id": self.customer_b.id, "type": "delivery",
        })
        tomorrow = fields.Date.today() + timedelta(days=1)
        changes = cart._b2b_submit(
            client_order_ref=" PO-77 ", requested_date=tomorrow, shipping_partner=delivery, note="Back door",
        )
        self.assertEqual(changes, [])
        self.assertEqual((cart.b2b_state, cart.state, cart.client_order_ref), ("pending", "draft", "PO-77"))
        self.assertEqual(cart.partner_shipping_id, delivery)
        self.assertEqual(cart.commitment_date.date(), tomorrow)
        self.assertEqual(cart.b2b_buyer_note, "Back door")
        message = cart.message_ids.filtered(lambda m: "received" in (m.subject or ""))
        self.assertEqual(len(message), 1)
        self.assertIn(self.buyer_b, message.notified_partner_ids | message.partner_ids)
        self.assertIn("awaiting approval", str(message.body))

    def test_submit_checks_cart_address_and_date(self):
        cart = self.new_cart()
        with self.assertRaisesRegex(UserError, "empty"):
            cart._b2b_submit()
        cart._b2b_add_products({self.cola: 1})
        foreign = self.env["res.partner"].create({"name": "Elsewhere", "parent_id": self.customer_c.id,
                                                  "type": "delivery"})
        with self.assertRaisesRegex(UserError, "delivery addresses"):
            cart._b2b_submit(shipping_partner=foreign)
        with self.assertRaisesRegex(UserError, "in the past"):
            cart._b2b_submit(requested_date=fields.Date.today() - timedelta(days=1))
        self.cola.sale_ok = False
        with self.assertRaisesRegex(UserError, "can no longer be ordered"):
            cart._b2b_submit()
        self.assertEqual(cart.b2b_state, "cart")

    def test_price_change_before_submit_is_shown_then_accepted(self):
        cart = self.new_cart()
        cart._b2b_add_products({self.cola: 2})
        self.assertEqual(cart.order_line.price_unit, 16.0)
        self.env["b2b.tier.price"].search([("product_tmpl_id", "=", self.cola.product_tmpl_id.id),
                                           ("tier_id", "=", self.tier_b.id)]).price = 15.5
        changes = cart._b2b_submit(client_order_ref="PO-2")
        self.assertEqual([(line.product_id, old, new) for line, old, new in changes], [(self.cola, 16.0, 15.5)])
        self.assertEqual((cart.b2b_state, cart.order_line.price_unit), ("cart", 15.5))
        self.assertEqual(cart._b2b_submit(client_order_ref="PO-2"), [])
        self.assertEqual(cart.b2b_state, "pending")

    def test_reorder_puts_orderable_lines_in_cart_at_todays_price(self):
        past = self._confirmed_order(self.customer_b, self.cola, 3, "PO-OLD")
        past.order_line = [fields.Command.create({"product_id": self.knife.id, "product_uom_qty": 1}),
                           fields.Command.create({"product_id": self.water.id, "product_uom_qty": 2})]
        past.order_line.filtered(lambda line: line.product_id == self.cola).price_unit = 99.0
        self.knife.sale_ok = False
        cart = self.new_cart()
        skipped = past._b2b_reorder_into(cart)
        self.assertEqual(skipped, self.knife)
        self.assertEqual(sorted(cart.order_line.mapped("product_id.name")), ["Cola Case", "Water Case"])
        self.assertEqual(cart.order_line.filtered(lambda line: line.product_id == self.cola).price_unit, 16.0)

    def test_carts_are_not_in_the_office_quotation_lists(self):
        cart = self.new_cart()
        cart._b2b_add_products({self.cola: 1})
        pending = self.new_cart()
        self.assertEqual(pending, cart)
        for xmlid in ("sale.action_quotations_with_onboarding", "sale.action_quotations"):
            action = self.env.ref(xmlid)
            listed = self.env["sale.order"].search(safe_eval(action.domain))
            self.assertNotIn(cart, listed)
        cart._b2b_submit()
        self.assertIn(cart, self.env["sale.order"].search(safe_eval(self.env.ref("sale.action_quotations").domain)))


@tagged("post_install", "-at_install")
class TestCartSummary(B2bPortalCommon):
    def test_summary_is_the_order_priced_today_with_stock_shortfalls(self):
        self.cola.taxes_id = self.env["account.tax"].create({"name": "VAT 10", "amount": 10.0, "type_tax_use": "sale"})
        self.knife.sale_ok = True
        cart = self.env["sale.order"]._b2b_get_cart(self.buyer_b, create=True)
        cart._b2b_add_products({self.cola: 3, self.water: 10, self.knife: 1})
        summary = cart._b2b_cart_summary()
        self.assertEqual(summary["count"], 3)
        self.assertEqual(
            (summary["amount_untaxed"], summary["amount_tax"], summary["amount_total"]),
            (cart.amount_untaxed, cart.amount_tax, cart.amount_total),
        )
        rows = {row["line"].product_id: row for row in summary["lines"]}
        self.assertEqual([rows[line.product_id]["subtotal"] for line in cart.order_line],
                         cart.order_line.mapped("price_subtotal"))
        self.assertIsNone(rows[self.cola]["short_qty"])  # 247 free
        self.assertEqual(rows[self.water]["short_qty"], 4)  # 4 free of 10 asked
        self.assertIsNone(rows[self.knife]["short_qty"])  # out of stock: the badge says so
        self.assertTrue(all(row["old_price"] is None for row in summary["lines"]))
        # A dozen of water is 12 units: more than the 4 free, counted in the product's unit.
        cart.order_line.filtered(lambda line: line.product_id == self.water).write(
            {"product_uom": self.uom_dozen.id, "product_uom_qty": 1})
        rows = {row["line"].product_id: row for row in cart._b2b_cart_summary()["lines"]}
        self.assertEqual(rows[self.water]["short_qty"], 4)
        # Today's price is shown, the order's is not written.
        self.env["b2b.tier.price"].search([("product_tmpl_id", "=", self.cola.product_tmpl_id.id),
                                           ("tier_id", "=", self.tier_b.id)]).price = 15.0
        cola_line = cart.order_line.filtered(lambda line: line.product_id == self.cola)
        summary = cart._b2b_cart_summary()
        row = next(row for row in summary["lines"] if row["line"] == cola_line)
        self.assertEqual((row["old_price"], row["price_unit"], row["subtotal"]), (16.0, 15.0, 45.0))
        self.assertEqual(cola_line.price_unit, 16.0)
        self.assertAlmostEqual(summary["amount_total"] - cart.amount_total, -3.3)

    def test_summary_read_from_the_order_is_the_computed_one(self):
        """With no price changed and no charge, the summary is read from
        what Odoo stored when the lines changed: it is what the computation
        gives, line by line and in total (a taxed line, a line in dozens, a
        volume break)."""
        self.cola.taxes_id = self.env["account.tax"].create({"name": "VAT 7", "amount": 7.0, "type_tax_use": "sale"})
        cart = self.env["sale.order"]._b2b_get_cart(self.buyer_b, create=True)
        cart._b2b_add_products({self.cola: 12, self.water: 10, self.rice: 2.5})
        cart.order_line.filtered(lambda line: line.product_id == self.water).write(
            {"product_uom": self.uom_dozen.id, "product_uom_qty": 1})
        lines = cart._b2b_product_lines()
        self.assertIsNotNone(cart._b2b_stored_summary(lines, {}, {}), "the case read from the order")
        stored = cart._b2b_cart_summary()
        with patch.object(self.registry["sale.order"], "_b2b_stored_summary", lambda *args: None):
            computed = cart._b2b_cart_summary()
        currency = cart.currency_id
        for key in ("count", "goods", "amount_untaxed", "amount_tax", "amount_total", "charges", "rules"):
            self.assertEqual(stored[key], computed[key], key)
        self.assertEqual(stored["engine_prices"].keys(), computed["engine_prices"].keys())

        def rows(summary):
            return [(row["line"], row["price_unit"], row["old_price"], currency.round(row["subtotal"]),
                     row["short_qty"]) for row in summary["lines"]]

        self.assertEqual(rows(stored), rows(computed))
        self.assertTrue(stored["amount_tax"], "the taxed line is in the totals")
        # A price changed since, or a charge to add: computed, not read.
        self.assertIsNone(cart._b2b_stored_summary(lines, {lines[0].id: (1.0, 2.0)}, {}))

    def test_cart_totals_are_odoos_whatever_the_taxes(self):
        """A cart's totals, added up from its lines' amounts where the
        company rounds per line, are what Odoo's own tax computation gives
        (``tax_totals``), through each change of the cart: percentages with
        awkward roundings, a tax included in the price, two taxes on a line
        with one in the base of the next, a fixed amount per unit, fractional
        kilograms; and Odoo's computation where the company rounds globally."""
        Tax = self.env["account.tax"]
        vat = Tax.create({"name": "VAT 21", "amount": 21.0, "type_tax_use": "sale"})
        included = Tax.create({"name": "VAT 7 incl.", "amount": 7.0, "type_tax_use": "sale",
                               "price_include_override": "tax_included"})
        eco = Tax.create({"name": "Eco 0.13", "amount_type": "fixed", "amount": 0.13, "type_tax_use": "sale",
                          "include_base_amount": True, "sequence": 1})
        levy = Tax.create({"name": "Levy 2.5", "amount": 2.5, "type_tax_use": "sale", "sequence": 2})
        self.cola.taxes_id = vat
        self.water.taxes_id = included
        self.rice.taxes_id = eco | levy
        cart = self.env["sale.order"]._b2b_get_cart(self.buyer_b, create=True)

        def assert_odoos_totals(what):
            totals = cart.tax_totals  # Odoo's computation over every line
            self.assertEqual(
                (cart.amount_untaxed, cart.amount_tax, cart.amount_total),
                tuple(cart.currency_id.round(totals[key])
                      for key in ("base_amount_currency", "tax_amount_currency", "total_amount_currency")),
                what,
            )

        for rounding in ("round_per_line", "round_globally"):
            self.env.company.tax_calculation_rounding_method = rounding
            cart._b2b_add_products({self.cola: 3, self.water: 7, self.rice: 2.35})
            assert_odoos_totals(f"{rounding}: added")
            self.assertTrue(cart.amount_tax)
            for qty in (1, 13, 11):
                cart._b2b_add_products({self.cola: qty}, replace=True)
                assert_odoos_totals(f"{rounding}: {qty} cola")
            cart._b2b_add_products({self.rice: 3.33}, replace=True)
            assert_odoos_totals(f"{rounding}: 3.33 kg")
            cart._b2b_remove_lines(cart.order_line.filtered(lambda line: line.product_id == self.water))
            assert_odoos_totals(f"{rounding}: a line removed")
            cart._b2b_remove_lines(cart.order_line)
            self.assertEqual((cart.amount_untaxed, cart.amount_tax, cart.amount_total), (0.0, 0.0, 0.0))

    def test_cart_changes_write_no_tracking_message(self):
        """A cart is the buyer's draft: typing quantities must not log an
        "amount changed" message per change in the chatter the office reads
        once the order is submitted."""
        # Tracking on (the tests' common set-up turns it off), as on a server.
        cart = self.env["sale.order"].with_context(tracking_disable=False)._b2b_get_cart(self.buyer_b, create=True)
        cart._b2b_add_products({self.cola: 2})
        self.env.cr.flush()  # tracking messages are posted here
        messages = cart.message_ids
        cart._b2b_add_products({self.cola: 5}, replace=True)
        cart._b2b_add_products({self.water: 3})
        cart._b2b_remove_lines(cart.order_line.filtered(lambda line: line.product_id == self.water))
        self.env.cr.flush()
        self.assertEqual(cart.message_ids, messages)
        self.assertEqual(cart.amount_untaxed, cart.order_line.price_subtotal, "the totals follow all the same")
        # Written as any order's line (not as a cart change), the amount is tracked.
        cart.order_line.product_uom_qty = 7
        cart.env.flush_all()
        self.env.cr.flush()
        self.assertIn("amount_total", (cart.message_ids - messages).tracking_value_ids.field_id.mapped("name"))

    def test_product_lines_predicate_is_the_domain(self):
        """``_b2b_filter_product_lines`` (a predicate, for speed) keeps
        exactly the lines ``_b2b_product_line_domain`` finds in SQL."""
        order = self.env["sale.order"].create({"partner_id": self.buyer_b.id, "order_line": [
            Command.create({"product_id": self.cola.id, "product_uom_qty": 1}),
            Command.create({"display_type": "line_section", "name": "Drinks"}),
            Command.create({"display_type": "line_note", "name": "Keep cold"}),
            Command.create({"product_id": self.water.id, "product_uom_qty": 1, "is_downpayment": True}),
            Command.create({"product_id": self.rice.id, "product_uom_qty": 1, "b2b_charge": "delivery"}),
            Command.create({"product_id": self.rice.id, "product_uom_qty": 2}),
        ]})
        Line = self.env["sale.order.line"]
        found = Line.search([("order_id", "=", order.id), *Line._b2b_product_line_domain()])
        self.assertEqual(order.order_line._b2b_filter_product_lines(), found)
        self.assertEqual(found.mapped("product_uom_qty"), [1, 2])


@tagged("post_install", "-at_install")
class TestQuickOrderParsing(B2bPortalCommon):
    def parse(self, text, partner=None):
        data = text if isinstance(text, bytes) else text.encode()
        return self.env["b2b.quick.order"]._parse(partner or self.buyer_b, data)

    def test_lines_are_read_with_any_usual_delimiter(self):
        quantities, rejected = self.parse("T-COLA 2\nT-WATER;3\nT-RICE,1.5\n\nT-COLA\t4\n")
        self.assertEqual(quantities, {self.cola: 6, self.water: 3, self.rice: 1.5})
        self.assertEqual(rejected, [])

    def test_each_bad_line_is_listed_with_its_reason(self):
        self.knife.sale_ok = False
        quantities, rejected = self.parse(
            "T-COLA 2\nNOPE-1 3\nT-WATER abc\nT-WATER -1\nT-KNIFE 1\nT-COLA 1.5\nT-COLA|3\nT-COLA 1 2"
        )
        self.assertEqual(quantities, {self.cola: 2})
        reasons = {number: reason for number, _line, reason in rejected}
        self.assertEqual(reasons[2], "NOPE-1 is not a reference you can order.")
        self.assertIn("not a quantity", reasons[3])
        self.assertIn("more than zero", reasons[4])
        # Outside the catalog, the same answer as an unknown reference.
        self.assertEqual(reasons[5], "T-KNIFE is not a reference you can order.")
        self.assertIn("whole number", reasons[6])
        self.assertIn("reference and a quantity", reasons[7])
        self.assertIn("reference and a quantity", reasons[8])

    def test_catalog_of_the_buyer_applies(self):
        quantities, rejected = self.parse("T-COLA 1\nT-RICE 1", partner=self.buyer_c)
        self.assertEqual(quantities, {self.cola: 1})
        self.assertEqual(rejected[0][2], "T-RICE is not a reference you can order.")

    def test_archived_products_are_never_read(self):
        archived = self._create_product("Old Soda", "T-DUP", 1.0, self.categ_soft)
        archived.active = False
        current = self._create_product("New Soda", "T-DUP", 1.0, self.categ_soft)
        self.assertLess(archived.id, current.id)
        self.assertEqual(self.parse("T-DUP 2"), ({current: 2}, []))
        current.active = False
        self.assertEqual(self.parse("T-DUP 2")[1], [(1, "T-DUP 2", "T-DUP is not a reference you can order.")])

    def test_control_characters_in_a_file_are_cleaned(self):
        self.assertEqual(self.parse(b"T-CO\x01LA 2\x1b\nT-WATER\x7f;3"), ({self.cola: 2, self.water: 3}, []))

    def test_csv_with_header_and_byte_order_mark(self):
        quantities, rejected = self.parse("\ufeffreference;quantity\r\nT-COLA;5\r\n".encode())
        self.assertEqual((quantities, rejected), ({self.cola: 5}, []))

    def test_csv_quoting_is_read_as_csv(self):
        # A spreadsheet's export quotes cells holding the delimiter; its pasted rows are tab separated.
        text = '"reference","quantity"\n"T-COLA","2"\n"T-WATER","3"\n"T-RICE,KG","1"\n'
        quantities, rejected = self.parse(text)
        self.assertEqual(quantities, {self.cola: 2, self.water: 3})
        self.assertEqual(rejected, [(4, '"T-RICE,KG","1"', "T-RICE,KG is not a reference you can order.")])
        self.assertEqual(self.parse("T-COLA\t2\nT-WATER\t3\n"), ({self.cola: 2, self.water: 3}, []))
        self.assertEqual(self.parse('T-RICE;"1.5"\nT-WATER  2\n'), ({self.rice: 1.5, self.water: 2}, []))

    def test_malformed_files_are_refused_whole(self):
        for data, message in (
            (b"T-COLA 1\n\x00\x01\x02", "not a text"),
            ("T-COLA 1\nCAF\xc9 2".encode("latin-1"), "not UTF-8"),
            (b"T-COLA 1\n" * 10001, "At most 10,000"),
            (b"x" * (5 * 1024 * 1024 + 1), "larger than 5 MB"),
        ):
            with self.subTest(message=message), self.assertRaisesRegex(UserError, message):
                self.parse(data)

    def test_a_thousand_lines_in_a_fixed_number_of_queries(self):
        products = self.env["product.product"].create([
            {"name": f"Bulk {i}", "default_code": f"BULK-{i:04d}", "list_price": 1 + i % 7} for i in range(1000)
        ])
        text = "\n".join(f"{p.default_code};{1 + i % 3}" for i, p in enumerate(products))
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        quantities, rejected = self.parse(text)
        queries = self.cr.sql_log_count - before
        self.assertEqual((len(quantities), rejected), (1000, []))
        self.assertLess(queries, 30)
        cart = self.env["sale.order"]._b2b_get_cart(self.buyer_b, create=True)
        cart._b2b_add_products(quantities)
        self.assertEqual(len(cart.order_line), 1000)


@tagged("post_install", "-at_install")
class TestStockStatus(B2bPortalCommon):
    def test_status_follows_free_quantity_and_thresholds(self):
        stock = (self.cola | self.water | self.knife)._b2b_get_stock()
        # 250 on hand, 3 reserved for the confirmed order of company C
        self.assertEqual((stock[self.cola.id].status, stock[self.cola.id].free_qty), ("in_stock", 247))
        self.assertEqual(stock[self.water.id].status, "low")
        self.assertEqual(stock[self.knife.id].status, "out")
        self.water.b2b_low_stock_threshold = 3
        self.assertEqual(self.water._b2b_get_stock()[self.water.id].status, "in_stock")
        self.env["ir.config_parameter"].set_param("b2b_portal.low_stock_threshold", 300)
        self.assertEqual(self.cola._b2b_get_stock()[self.cola.id].status, "low")

    def test_reserved_quantity_is_not_available(self):
        order = self._confirmed_order(self.customer_b, self.cola, 200, "PO-BIG")
        order.picking_ids.action_assign()
        self.assertEqual(self.cola._b2b_get_stock()[self.cola.id].free_qty, 250 - 3 - 200)

    def test_out_of_stock_shows_next_receipt(self):
        when = fields.Datetime.now() + timedelta(days=5)
        receipt = self.env["stock.picking"].create({
            "picking_type_id": self.warehouse.in_type_id.id,
            "location_id": self.env.ref("stock.stock_location_suppliers").id,
            "location_dest_id": self.warehouse.lot_stock_id.id,
            "scheduled_date": when,
            "move_ids": [fields.Command.create({
                "name": "knives", "product_id": self.knife.id, "product_uom_qty": 10,
                "product_uom": self.knife.uom_id.id, "date": when,
                "location_id": self.env.ref("stock.stock_location_suppliers").id,
                "location_dest_id": self.warehouse.lot_stock_id.id,
            })],
        })
        receipt.action_confirm()
        stock = self.knife._b2b_get_stock()[self.knife.id]
        self.assertEqual(stock.status, "out")
        self.assertEqual(stock.next_receipt_date.date(), when.date())


@tagged("post_install", "-at_install", "-standard", "b2b_website")
class TestCartBesideDelivery(B2bPortalCommon):
    """With Odoo's ``delivery`` installed too (``website_sale`` depends on
    it): run by the test command on the database with ``website``
    (``--test-tags b2b_website``), the addon itself not depending on it."""

    def test_shipping_weight_is_computed_when_the_cart_is_submitted(self):
        """A cart's changes leave ``delivery``'s shipping weight aside (it
        reads every line, for each quantity typed): a cart's stays 0, which
        the carriers read as "weigh the lines", and the order's is computed
        when the cart is sent, the weight of what was ordered."""
        SaleOrder = self.env["sale.order"]
        self.assertIn("shipping_weight", SaleOrder._fields, "run on a database with delivery (scripts/test.sh)")
        self.cola.weight, self.water.weight, self.rice.weight = 2.0, 1.5, 1.0
        cart = SaleOrder._b2b_get_cart(self.buyer_b, create=True)
        cart._b2b_add_products({self.cola: 3, self.water: 2})
        cart._b2b_add_products({self.cola: 5}, replace=True)
        cart._b2b_add_products({self.rice: 2.5})
        cart._b2b_remove_lines(cart.order_line.filtered(lambda line: line.product_id == self.water))
        self.assertEqual(cart.shipping_weight, 0.0)
        self.assertEqual(cart._get_estimated_weight(), 12.5, "5 colas of 2 kg and 2.5 kg of rice")
        self.assertFalse(cart._b2b_submit())
        self.assertEqual(cart.b2b_state, "pending")
        self.assertEqual(cart.shipping_weight, 12.5)
        # An order written as any order's: Odoo's compute, as before.
        cart.order_line.filtered(lambda line: line.product_id == self.cola).product_uom_qty = 6
        self.assertEqual(cart.shipping_weight, 14.5)
