from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from ..models.b2b_order_list import _from_spreadsheet, _spreadsheet_safe
from .common import B2bPortalCommon


class B2bListsCommon(B2bPortalCommon):
    """Company B's people in each role (its first buyer is its
    administrator), lists of theirs, and a list the office prepared."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin_b = cls.portal_b  # the company's first buyer
        cls.ben = cls._create_portal_user(
            "b2b_ben", cls.env["res.partner"].create({"name": "Ben Buyer", "parent_id": cls.customer_b.id})
        )
        cls.vera = cls._create_portal_user("b2b_vera", cls.env["res.partner"].create({
            "name": "Vera Viewer", "parent_id": cls.customer_b.id, "b2b_role": "viewer",
        }))
        OrderList = cls.env["b2b.order.list"]
        cls.ben_private = OrderList._b2b_create_for(cls.ben.partner_id, "Ben's private", "private",
                                                    {cls.cola: 2})
        cls.ben_shared = OrderList._b2b_create_for(cls.ben.partner_id, "Bar weekly", "company",
                                                   {cls.cola: 6, cls.water: 3})
        cls.office_list = OrderList.create({
            "name": "Bistro starter range", "partner_id": cls.customer_b.id, "is_recommended": True,
            "line_ids": [Command.create({"product_id": cls.water.id, "quantity": 10})],
        })
        cls.list_c = OrderList._b2b_create_for(cls.buyer_c, "Canteen secret list", "company", {cls.cola: 1})


@tagged("post_install", "-at_install")
class TestOrderListRules(B2bListsCommon):
    """Who reads and who changes which list: the record rules, through the ORM as each user."""

    def lists_of(self, user):
        return self.env["b2b.order.list"].with_user(user).search([])

    def test_who_reads_which_list(self):
        self.assertEqual(self.lists_of(self.ben), self.ben_private | self.ben_shared | self.office_list)
        self.assertEqual(self.lists_of(self.admin_b), self.ben_shared | self.office_list)
        self.assertEqual(self.lists_of(self.vera), self.ben_shared | self.office_list)
        self.assertEqual(self.lists_of(self.portal_c), self.list_c)
        with self.assertRaises(AccessError):  # no tier, no B2B portal
            self.lists_of(self.portal_plain)
        lines = self.env["b2b.order.list.line"].with_user(self.portal_c).search([])
        self.assertEqual(lines, self.list_c.line_ids)
        with self.assertRaises(AccessError):
            self.ben_private.with_user(self.admin_b).read(["name"])
        with self.assertRaises(AccessError):
            self.ben_shared.line_ids.with_user(self.portal_c).read(["quantity"])

    def test_who_changes_which_list(self):
        # The owner and the company's administrator change a shared list.
        self.ben_shared.with_user(self.ben).name = "Bar weekly (Ben)"
        self.ben_shared.line_ids[:1].with_user(self.admin_b).quantity = 12
        self.env.invalidate_all()  # read back from the database, not from the cache the writes filled
        self.assertEqual((self.ben_shared.name, self.ben_shared.line_ids[:1].quantity), ("Bar weekly (Ben)", 12))
        # A viewer and a colleague read it only; nobody of the customer changes the office's list.
        colleague = self._create_portal_user(
            "b2b_cleo", self.env["res.partner"].create({"name": "Cleo Colleague", "parent_id": self.customer_b.id})
        )
        for user in (self.vera, colleague):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.ben_shared.with_user(user).name = "Mine now"
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.ben_shared.line_ids[:1].with_user(user).quantity = 99
        for user in (self.ben, self.admin_b):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.office_list.line_ids.with_user(user).quantity = 1
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.office_list.with_user(user).unlink()
        with self.assertRaises(AccessError):
            self.ben_private.with_user(self.admin_b).unlink()
        with self.assertRaises(AccessError):
            self.env["b2b.order.list"].with_user(self.vera).create({
                "name": "Viewer's list", "partner_id": self.customer_b.id, "owner_id": self.vera.partner_id.id,
            })
        self.env.invalidate_all()
        self.assertEqual(self.ben_shared.name, "Bar weekly (Ben)")
        self.assertEqual(self.office_list.line_ids.quantity, 10)

    def test_forged_values_are_refused(self):
        OrderList = self.env["b2b.order.list"].with_user(self.ben)
        for vals in (
            {"partner_id": self.customer_c.id, "owner_id": self.ben.partner_id.id},
            {"partner_id": self.customer_b.id, "owner_id": self.admin_b.partner_id.id},
            {"partner_id": self.customer_b.id, "owner_id": self.ben.partner_id.id, "is_recommended": True},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                OrderList.create({"name": "Forged", **vals})
        with self.assertRaises(AccessError):
            self.ben_private.with_user(self.ben).write({"partner_id": self.customer_c.id})
        with self.assertRaises(AccessError):
            self.ben_private.with_user(self.ben).write({"owner_id": self.admin_b.partner_id.id})
        line = self.ben_private.line_ids.with_user(self.ben)
        with self.assertRaises(AccessError):
            line.list_id = self.list_c
        with self.assertRaises(AccessError):
            line.saved_price = 0.01
        # Another list's lines: refused before any constraint can tell what the list holds or whose it is
        # (the knife is outside company C's catalog, the cola already on its list).
        for product in (self.water, self.knife, self.cola):
            for target in (self.list_c, self.ben_private):
                with self.subTest(product=product.name, list=target.name), self.assertRaises(AccessError):
                    self.env["b2b.order.list.line"].with_user(self.admin_b).create({
                        "list_id": target.id, "product_id": product.id,
                    })
        # Only the owner shares a list, makes it private or gives it away; a buyer's list has an owner.
        with self.assertRaises(AccessError):
            self.ben_shared.with_user(self.admin_b).sharing = "private"
        with self.assertRaises(AccessError):
            self.ben_shared.with_user(self.admin_b).owner_id = self.admin_b.partner_id
        with self.assertRaises(AccessError):
            OrderList.with_user(self.admin_b).create({"name": "Nobody's", "partner_id": self.customer_b.id,
                                                      "sharing": "company"})
        self.env.invalidate_all()  # what the database holds after the refused writes
        self.assertEqual((self.ben_shared.sharing, self.ben_shared.owner_id), ("company", self.ben.partner_id))
        self.assertEqual((self.ben_private.partner_id, self.list_c.line_ids.product_id),
                         (self.customer_b, self.cola))

    def test_products_outside_the_catalog_are_refused(self):
        # Company C's catalog is drinks only.
        with self.assertRaises(ValidationError):
            self.list_c._b2b_set_lines({self.knife: 1})
        self.knife.active = False
        with self.assertRaises(ValidationError):
            self.ben_private.with_user(self.ben)._b2b_set_lines({self.knife.sudo(): 1})
        for qty in (0, -1, 2.5, float("nan"), 10**7):
            with self.subTest(qty=qty), self.assertRaises(UserError):
                self.ben_private._b2b_set_lines({self.cola: qty})
        self.assertEqual(self.ben_private.line_ids.mapped("quantity"), [2])


@tagged("post_install", "-at_install")
class TestOrderListOperations(B2bListsCommon):
    @staticmethod
    def lines_of(order_list):
        return {line.product_id: (line.quantity, line.par_qty, line.note) for line in order_list.line_ids}

    def test_lines_remember_the_price_and_the_review_shows_what_changed(self):
        line_cola, line_water = self.ben_shared.line_ids
        self.assertEqual((line_cola.saved_price, line_water.saved_price), (16.0, 8.5))  # tier B: 16, 15 % off 10
        rows, counts = self.ben_shared._b2b_review(self.ben.partner_id)
        self.assertEqual([row["change"] for row in rows], [None, None])
        self.tier_b.discount = 10.0  # water up to 9.00
        self.env["b2b.tier.price"].search([("product_tmpl_id", "=", self.cola.product_tmpl_id.id),
                                           ("tier_id", "=", self.tier_b.id)]).price = 15.0  # cola down
        self.ben_shared._b2b_set_lines({self.knife: 1})
        self.knife.active = False
        rows, counts = self.ben_shared._b2b_review(self.ben.partner_id)
        by_product = {row["product"]: row for row in rows}
        self.assertEqual((by_product[self.cola]["change"], by_product[self.cola]["price"]), ("down", 15.0))
        self.assertEqual((by_product[self.water]["change"], by_product[self.water]["price"]), ("up", 9.0))
        self.assertEqual(by_product[self.water]["stock"].status, "low")
        self.assertFalse(by_product[self.knife]["orderable"])
        self.assertEqual(counts, {"up": 1, "down": 1, "low": 1, "out": 0, "gone": 1})

    def test_a_new_quantity_reaching_a_break_is_no_price_change(self):
        """Cola has a 10 % break from 10: a line raised from 2 to 12 shows
        today's lower price, but no "price down" since nothing changed."""
        line = self.ben_private.line_ids
        self.assertEqual((line.saved_price, line.saved_qty), (16.0, 2))
        line.with_user(self.ben).quantity = 12
        rows, counts = self.ben_private._b2b_review(self.ben.partner_id)
        self.assertEqual((rows[0]["price"], rows[0]["change"], counts["down"]), (14.4, None, 0))
        self.env["b2b.tier.price"].search([("product_tmpl_id", "=", self.cola.product_tmpl_id.id),
                                           ("tier_id", "=", self.tier_b.id)]).price = 17.0
        rows, counts = self.ben_private._b2b_review(self.ben.partner_id)
        self.assertEqual((rows[0]["price"], rows[0]["change"]), (15.3, "up"))

    def test_restock_to_par(self):
        pack = self.env["product.packaging"].create({
            "name": "Case of 12", "product_id": self.cola.id, "qty": 12, "sales": True,
        })
        order_list = self.env["b2b.order.list"]._b2b_create_for(self.ben.partner_id, "Par list")
        order_list._b2b_set_lines({self.cola: 1, self.water: 1, self.rice: 1, self.gloves_s: 1},
                                  pars={self.cola: 30, self.water: 10, self.rice: 10.5, self.gloves_s: 4})
        cola, water, rice, gloves = order_list.line_ids
        quantities, skipped = order_list._b2b_restock_quantities({cola.id: 5, water.id: 2.5, rice.id: 2.25})
        # cola: 25 missing, by the case of 12 -> 36; water: 7.5 -> 8 whole units; rice: 8.25 kg.
        self.assertEqual(quantities, {self.cola: 36, self.water: 8, self.rice: 8.25})
        self.assertEqual([(line, reason) for line, reason in skipped], [(gloves, "not counted")])
        quantities, skipped = order_list._b2b_restock_quantities({cola.id: 30, water.id: 11, rice.id: 0,
                                                                   gloves.id: 0})
        self.assertEqual(quantities, {self.rice: 10.5, self.gloves_s: 4})
        self.assertEqual([reason for _line, reason in skipped], ["at or above par", "at or above par"])
        self.water.product_tmpl_id.b2b_min_qty = 6
        self.assertEqual(order_list._b2b_restock_quantities({water.id: 8})[0], {self.water: 6})
        with self.assertRaises(UserError):
            order_list._b2b_restock_quantities({cola.id: -1})
        self.gloves_s.active = False
        quantities, skipped = order_list._b2b_restock_quantities({gloves.id: 1})
        self.assertEqual((quantities, skipped[-1][1]), ({}, "no longer orderable"))
        self.assertTrue(pack.exists())

    def test_csv_import_line_by_line_and_export(self):
        order_list = self.ben_private
        data = (
            b"reference;quantity;par;note\n"
            b"T-COLA;12;24;bar fridge\n"
            b"T-NOPE;1\n"
            b"T-WATER;2.5\n"
            b"T-RICE;1.5;;=cmd|' /C calc'!A0\n"
            b"T-WATER;abc\n"
            b"T-COLA;1\n"
            b"T-GLOVES;1;2;3;4\n"
            b"T-KNIFE;2;-3\n"
        )
        count, rejected = order_list._b2b_import_csv(data)
        self.assertEqual(count, 2)
        self.assertEqual([(number, reason) for number, _text, reason in rejected], [
            (3, "T-NOPE is not a reference you can order."),
            (4, "[T-WATER] Water Case is sold by Units: order a whole number."),
            (6, "abc is not a quantity."),
            (7, "T-COLA is already on line 2."),
            (8, "Expected a reference and a quantity, then a par level and a note if any."),
            (9, "[T-KNIFE] Knife: the quantity must be more than zero."),
        ])
        lines = self.lines_of(order_list)
        self.assertEqual(lines, {self.cola: (12, 24, "bar fridge"), self.rice: (1.5, 0, "=cmd|' /C calc'!A0")})
        exported = order_list._b2b_export_csv()
        self.assertEqual(exported, "reference,quantity,par,note\nT-COLA,12,24,bar fridge\n"
                                   "T-RICE,1.5,,'=cmd|' /C calc'!A0\n")
        # What is exported imports back to the same lines (the formula's apostrophe taken off).
        copy = self.env["b2b.order.list"]._b2b_create_for(self.ben.partner_id, "Round trip")
        self.assertEqual(copy._b2b_import_csv(exported.encode()), (2, []))
        self.assertEqual(self.lines_of(copy), lines)
        # Company C cannot import what is outside its catalog, and says it as for an unknown reference.
        self.assertEqual(self.list_c._b2b_import_csv(b"T-KNIFE,1\n")[1][0][2],
                         "T-KNIFE is not a reference you can order.")
        # A row without par or note keeps the line's own; a note longer than the csv module's own limit is cut.
        self.assertEqual(order_list._b2b_import_csv(b"T-COLA;6\nT-WATER;1;;" + b"x" * 140000), (2, []))
        self.assertEqual(self.lines_of(order_list)[self.cola], (6, 24, "bar fridge"))
        self.assertEqual(self.lines_of(order_list)[self.water], (1, 0, "x" * 200))
        self.assertEqual(_spreadsheet_safe("-5"), "'-5")
        self.assertEqual(_from_spreadsheet("'-5"), "-5")
        self.assertEqual(_from_spreadsheet("'quoted"), "'quoted")
        for bad in (b"", b"\0\1", b"\xff\xfe;1"):
            with self.subTest(bad=bad), self.assertRaises(UserError):
                order_list._b2b_import_csv(bad)

    def test_analytic_distribution_models_still_apply_to_order_lines(self):
        """The one-query shortcut for databases without distribution models
        leaves Odoo's own behaviour where a model exists."""
        order = self.env["sale.order"].create({"partner_id": self.customer_b.id})
        order.order_line = [Command.create({"product_id": self.cola.id, "product_uom_qty": 1})]
        self.assertFalse(order.order_line.analytic_distribution)
        plan = self.env["account.analytic.plan"].create({"name": "Outlets"})
        account = self.env["account.analytic.account"].create({"name": "Bar", "plan_id": plan.id})
        self.env["account.analytic.distribution.model"].create({
            "product_id": self.water.id, "analytic_distribution": {str(account.id): 100},
        })
        order.order_line = [Command.create({"product_id": self.water.id, "product_uom_qty": 1})]
        water_line = order.order_line.filtered(lambda line: line.product_id == self.water)
        self.assertEqual(water_line.analytic_distribution, {str(account.id): 100})

    def test_the_office_prepares_lists_for_a_customer(self):
        """A salesperson prepares a list on the customer (the backend's
        Recommended Lists); it is shared with the customer whatever is asked."""
        prepared = self.env["b2b.order.list"].with_user(self.salesman).create({
            "name": "Winter range", "partner_id": self.buyer_b.id, "is_recommended": True, "sharing": "private",
            "line_ids": [Command.create({"product_id": self.rice.id, "quantity": 5, "par_qty": 20})],
        })
        self.assertEqual((prepared.partner_id, prepared.sharing, prepared.owner_id),
                         (self.customer_b, "company", self.env["res.partner"]))
        self.assertIn(prepared, self.customer_b.b2b_recommended_list_ids)
        self.assertEqual(prepared.line_ids.saved_price, 2.13)  # rice: 2.50 less tier B's 15 %
        self.assertIn(prepared, self.env["b2b.order.list"].with_user(self.ben).search([]))
        copy = prepared.with_user(self.ben).copy({"owner_id": self.ben.partner_id.id, "is_recommended": False,
                                                  "sharing": "private"})
        self.assertEqual((copy.name, copy.line_ids.par_qty, copy.owner_id), ("Winter range (copy)", 20,
                                                                             self.ben.partner_id))
