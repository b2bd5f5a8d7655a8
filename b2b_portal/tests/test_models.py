from datetime import date

from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import B2bCommon


@tagged("post_install", "-at_install")
class TestConstraints(B2bCommon):
    def test_tiers_a_to_e_ship_with_unique_codes(self):
        tiers = self.env["b2b.price.tier"].search([("code", "in", list("ABCDE"))])
        self.assertEqual(sorted(tiers.mapped("code")), list("ABCDE"))
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.cr.savepoint():
            self.env["b2b.price.tier"].create({"code": "A", "name": "Duplicate"})

    def test_tier_discount_over_100_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "between 0 and 100"):
            self.tier_b.discount = 120

    def test_negative_tier_price_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self.set_tier_price(self.cola, self.tier_b, -1)

    def test_duplicate_tier_price_is_refused(self):
        self.set_tier_price(self.cola, self.tier_b, 10)
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.cr.savepoint():
            self.set_tier_price(self.cola, self.tier_b, 11)

    def test_exception_values_are_checked(self):
        with self.assertRaisesRegex(ValidationError, "negative price"):
            self.add_exception(self.cola, fixed_price=-5)
        with self.assertRaisesRegex(ValidationError, "between 0 and 100"):
            self.add_exception(self.cola, price_type="discount", discount=101)
        with self.assertRaisesRegex(ValidationError, "ends .* before it starts"):
            self.add_exception(self.cola, fixed_price=5, date_start=date(2026, 3, 2), date_end=date(2026, 3, 1))

    def test_exception_variant_must_belong_to_its_product(self):
        with self.assertRaisesRegex(ValidationError, "must belong to its product"):
            self.env["b2b.price.exception"].create({
                "partner_id": self.customer_b.id, "product_tmpl_id": self.cola.product_tmpl_id.id,
                "product_id": self.gloves_l.id, "fixed_price": 1,
            })

    def test_break_needs_exactly_one_of_product_and_category(self):
        Break = self.env["b2b.volume.break"]
        with self.assertRaisesRegex(ValidationError, "either a product or a product category"):
            Break.create({"min_qty": 5, "discount": 5})
        with self.assertRaisesRegex(ValidationError, "either a product or a product category"):
            Break.create({"min_qty": 5, "discount": 5, "categ_id": self.categ_soft.id,
                          "product_tmpl_id": self.cola.product_tmpl_id.id})

    def test_break_values_are_checked(self):
        with self.assertRaisesRegex(ValidationError, "must be positive"):
            self.add_break(0, self.cola, discount=5)
        with self.assertRaisesRegex(ValidationError, "between 0 and 100"):
            self.add_break(5, self.cola, discount=-1)
        with self.assertRaisesRegex(ValidationError, "negative price"):
            self.add_break(5, self.cola, price_type="fixed", fixed_price=-1)

    def test_tier_and_catalogs_follow_the_company_to_its_contacts(self):
        catalog = self.env["b2b.catalog"].create({"name": "Drinks", "categ_ids": [self.categ_drinks.id]})
        self.customer_b.b2b_catalog_ids = catalog
        self.assertEqual(self.buyer_b.b2b_price_tier_id, self.tier_b)
        self.assertEqual(self.buyer_b.b2b_catalog_ids, catalog)
        self.customer_b.b2b_price_tier_id = self.tier_c
        self.assertEqual(self.buyer_b.b2b_price_tier_id, self.tier_c)


@tagged("post_install", "-at_install")
class TestCatalogs(B2bCommon):
    def allowed(self, partner=None):
        products = self.cola | self.water | self.rice | self.knife | self.gloves_s | self.gloves_l
        return (partner or self.customer_b)._b2b_filter_allowed_products(products)

    def test_without_catalog_every_saleable_product(self):
        self.knife.sale_ok = False
        self.assertEqual(self.allowed(), self.cola | self.water | self.rice | self.gloves_s | self.gloves_l)

    def test_catalog_category_includes_its_children(self):
        self.customer_b.b2b_catalog_ids = self.env["b2b.catalog"].create({
            "name": "Drinks", "categ_ids": [self.categ_drinks.id],
        })
        self.assertEqual(self.allowed(), self.cola | self.water)
        self.assertEqual(self.allowed(self.buyer_b), self.cola | self.water)

    def test_catalogs_are_a_union_minus_exclusions(self):
        Catalog = self.env["b2b.catalog"]
        self.customer_b.b2b_catalog_ids = Catalog.create({
            "name": "Drinks but cola", "categ_ids": [self.categ_drinks.id],
            "excluded_product_tmpl_ids": [self.cola.product_tmpl_id.id],
        }) | Catalog.create({
            "name": "Rice and cola", "product_tmpl_ids": [self.rice.product_tmpl_id.id, self.cola.product_tmpl_id.id],
        })
        self.assertEqual(self.allowed(), self.water | self.rice)

    def test_catalog_changes_apply_at_once_in_the_same_transaction(self):
        catalog = self.env["b2b.catalog"].create({"name": "Rice", "product_tmpl_ids": [self.rice.product_tmpl_id.id]})
        self.customer_b.b2b_catalog_ids = catalog
        self.assertEqual(self.allowed(), self.rice)
        catalog.write({
            "product_tmpl_ids": [Command.link(self.cola.product_tmpl_id.id)],
            "excluded_product_tmpl_ids": [Command.link(self.rice.product_tmpl_id.id)],
        })
        self.assertEqual(self.allowed(), self.cola)
        child = self.env["product.category"].create({"name": "Sub-tools", "parent_id": self.categ_tools.id})
        self.gloves_l.categ_id = child
        catalog.categ_ids = [Command.link(self.categ_tools.id)]
        self.assertEqual(self.allowed(), self.cola | self.knife | self.gloves_s | self.gloves_l)

    def test_category_menu_follows_the_catalogs(self):
        self.customer_b.b2b_catalog_ids = self.env["b2b.catalog"].create({
            "name": "Drinks and a knife", "categ_ids": [self.categ_drinks.id],
            "product_tmpl_ids": [self.knife.product_tmpl_id.id],
        })
        # Catalog categories with their children and parents, and the
        # categories of listed products; nothing of other categories.
        self.assertEqual(self.buyer_b._b2b_get_catalog_categories(),
                         self.categ_root | self.categ_drinks | self.categ_soft | self.categ_tools)
        self.customer_b.b2b_catalog_ids.product_tmpl_ids = False
        self.assertEqual(self.buyer_b._b2b_get_catalog_categories(),
                         self.categ_root | self.categ_drinks | self.categ_soft)
        self.assertEqual(self.customer_c._b2b_get_catalog_categories(),
                         self.env["product.category"].search([]))

    def test_catalog_does_not_open_unsaleable_or_archived_products(self):
        self.customer_b.b2b_catalog_ids = self.env["b2b.catalog"].create({
            "name": "Drinks", "categ_ids": [self.categ_drinks.id],
        })
        self.cola.sale_ok = False
        self.water.active = False
        self.assertFalse(self.allowed())

    def test_archived_catalog_restricts_rather_than_opens(self):
        catalog = self.env["b2b.catalog"].create({"name": "Drinks", "categ_ids": [self.categ_drinks.id]})
        self.customer_b.b2b_catalog_ids = catalog
        catalog.active = False
        self.assertFalse(self.allowed())

    def test_other_customers_catalog_does_not_restrict(self):
        self.customer_c.b2b_catalog_ids = self.env["b2b.catalog"].create({
            "name": "Tools", "categ_ids": [self.categ_tools.id],
        })
        self.assertEqual(len(self.allowed()), 6)
        self.assertEqual(self.allowed(self.customer_c), self.knife | self.gloves_s | self.gloves_l)

    def test_portal_rules_follow_the_catalog_without_self_joins(self):
        portal_b = self.env["res.users"].create({
            "name": "Portal B", "login": "portal_b", "partner_id": self.buyer_b.id,
            "groups_id": [Command.set(self.group_portal.ids)],
        })
        self.customer_b.b2b_catalog_ids = self.env["b2b.catalog"].create({
            "name": "Drinks but cola", "categ_ids": [self.categ_drinks.id],
            "excluded_product_tmpl_ids": [self.cola.product_tmpl_id.id],
        })
        everything = self.cola | self.water | self.rice | self.knife | self.gloves_s | self.gloves_l
        env = self.env(user=portal_b)
        self.assertEqual(env["product.product"].search([("id", "in", everything.ids)]), self.water)
        self.assertEqual(env["product.template"].search([("id", "in", everything.product_tmpl_id.ids)]),
                         self.water.product_tmpl_id)
        self.assertEqual(env["product.product"].sudo().search([("id", "in", everything.ids),
                                                               ("b2b_orderable", "=", False)]),
                         everything - self.water)
        # The rules add plain conditions to the product's own row: a sub-select
        # of the product table inside its own rule once cost 90 s for 150
        # products, with the statistics of a fresh database.
        for model, table in (("product.product", "product_product"), ("product.template", "product_template")):
            code = env[model]._search([]).select().code
            self.assertEqual(code.count(f'FROM "{table}"'), 1, code)


@tagged("post_install", "-at_install")
class TestFavorites(B2bCommon):
    def test_favourite_belongs_to_the_company(self):
        favorite = self.env["b2b.favorite"].create({"partner_id": self.buyer_b.id, "product_id": self.cola.id})
        self.assertEqual(favorite.partner_id, self.customer_b)
        self.assertEqual(self.customer_b.b2b_favorite_ids, favorite)

    def test_favourite_is_unique_per_company_and_product(self):
        self.env["b2b.favorite"].create({"partner_id": self.customer_b.id, "product_id": self.cola.id})
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.cr.savepoint():
            self.env["b2b.favorite"].create({"partner_id": self.buyer_b.id, "product_id": self.cola.id})

    def test_favourite_quantity_must_be_positive(self):
        with self.assertRaisesRegex(ValidationError, "must be positive"):
            self.env["b2b.favorite"].create({
                "partner_id": self.customer_b.id, "product_id": self.cola.id, "default_qty": 0,
            })

    def test_favourite_outside_the_catalog_is_refused(self):
        self.customer_b.b2b_catalog_ids = self.env["b2b.catalog"].create({
            "name": "Drinks", "categ_ids": [self.categ_drinks.id],
        })
        with self.assertRaisesRegex(ValidationError, "not in its catalog"):
            self.env["b2b.favorite"].create({"partner_id": self.customer_b.id, "product_id": self.knife.id})


@tagged("post_install", "-at_install")
class TestAccessRights(B2bCommon):
    def test_salesman_reads_but_cannot_edit_pricing(self):
        self.set_tier_price(self.cola, self.tier_b, 16.0)
        exception = self.add_exception(self.cola, fixed_price=15.0)
        as_salesman = self.env(user=self.salesman)
        self.assertEqual(exception.with_env(as_salesman).fixed_price, 15.0)
        for model, vals in (
            ("b2b.price.tier", {"code": "Z", "name": "Z"}),
            ("b2b.price.exception", {"partner_id": self.customer_b.id,
                                     "product_tmpl_id": self.water.product_tmpl_id.id, "fixed_price": 1}),
            ("b2b.tier.price", {"product_tmpl_id": self.water.product_tmpl_id.id,
                                "tier_id": self.tier_b.id, "price": 1}),
            ("b2b.volume.break", {"categ_id": self.categ_soft.id, "min_qty": 5, "discount": 5}),
            ("b2b.catalog", {"name": "Nope"}),
        ):
            with self.subTest(model=model), self.assertRaises(AccessError):
                as_salesman[model].create(vals)
        with self.assertRaises(AccessError):
            self.tier_b.with_user(self.salesman).discount = 1
        with self.assertRaises(AccessError):
            exception.with_user(self.salesman).fixed_price = 1

    def test_pricing_manager_edits_pricing(self):
        env = self.env(user=self.pricing_manager)
        env.ref("b2b_portal.price_tier_b").discount = 12.0
        exception = env["b2b.price.exception"].create({
            "partner_id": self.customer_b.id, "product_tmpl_id": self.cola.product_tmpl_id.id, "fixed_price": 9.0,
        })
        self.assertEqual(self.price_of(self.cola).price, 9.0)
        exception.unlink()
        self.assertEqual(self.price_of(self.cola).price, 17.6)

    def test_portal_user_reads_no_pricing_rule_and_only_its_favourites(self):
        portal_b = self.env["res.users"].create({
            "name": "Portal B", "login": "portal_b", "partner_id": self.buyer_b.id,
            "groups_id": [Command.set(self.group_portal.ids)],
        })
        self.add_exception(self.cola, partner=self.customer_c, fixed_price=1.0)
        mine = self.env["b2b.favorite"].create({"partner_id": self.customer_b.id, "product_id": self.cola.id})
        self.env["b2b.favorite"].create({"partner_id": self.customer_c.id, "product_id": self.cola.id})
        env = self.env(user=portal_b)
        for model in ("b2b.price.exception", "b2b.tier.price", "b2b.volume.break", "b2b.catalog", "b2b.price.tier"):
            with self.subTest(model=model), self.assertRaises(AccessError):
                env[model].search([])
        self.assertEqual(env["b2b.favorite"].search([]), mine)
