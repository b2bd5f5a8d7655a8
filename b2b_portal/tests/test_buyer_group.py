import importlib.util
from pathlib import Path

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.base.models.res_users import name_selection_groups

from .common import B2bCommon


@tagged("post_install", "-at_install")
class TestBuyerGroup(B2bCommon):
    """"Is a buyer" means membership of b2b_portal.group_b2b_buyer, which
    follows portal access and the company's price tier."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.buyer_group = cls.env.ref("b2b_portal.group_b2b_buyer")

    def portal_user(self, partner, login):
        return self.env["res.users"].create({
            "name": partner.name, "login": login, "partner_id": partner.id,
            "groups_id": [Command.set(self.group_portal.ids)],
        })

    def assert_buyer(self, user, expected=True):
        user.invalidate_recordset(["groups_id"])
        self.assertEqual(self.buyer_group in user.groups_id, expected)
        self.assertEqual(user._b2b_is_buyer(), expected)

    def test_buyer_group_implies_portal(self):
        self.assertIn(self.group_portal, self.buyer_group.implied_ids)

    def test_portal_access_to_a_tiered_company_makes_a_buyer(self):
        self.assert_buyer(self.portal_user(self.buyer_b, "bea"))
        plain = self.env["res.partner"].create({"name": "Pat", "parent_id": self.customer_plain.id})
        self.assert_buyer(self.portal_user(plain, "pat"), expected=False)

    def test_removing_or_giving_the_tier_follows_on_the_buyers(self):
        user = self.portal_user(self.buyer_b, "bea")
        self.customer_b.b2b_price_tier_id = False
        self.assert_buyer(user, expected=False)
        self.assertTrue(user._is_portal(), "the contact keeps Odoo's normal portal")
        self.customer_b.b2b_price_tier_id = self.tier_a
        self.assert_buyer(user)

    def test_moving_a_contact_to_another_company(self):
        user = self.portal_user(self.buyer_b, "bea")
        self.buyer_b.parent_id = self.customer_plain
        self.assert_buyer(user, expected=False)
        self.buyer_b.parent_id = self.customer_c
        self.assert_buyer(user)

    def test_portal_wizard_grants_and_revokes_the_buyer(self):
        wizard = self.env["portal.wizard"].with_context(
            active_model="res.partner", active_ids=self.buyer_b.ids
        ).create({})
        self.buyer_b.email = "bea@example.com"
        wizard_user = wizard.user_ids.filtered(lambda u: u.partner_id == self.buyer_b)
        wizard_user.email = "bea@example.com"
        wizard_user.action_grant_access()
        user = self.buyer_b.user_ids
        self.assert_buyer(user)
        wizard_user.action_revoke_access()
        user = user.with_context(active_test=False)
        self.assert_buyer(user, expected=False)
        self.assertFalse(user._is_portal())
        self.assertFalse(user.active)
        wizard_user.action_grant_access()
        self.assert_buyer(user)

    def test_portal_user_promoted_to_internal_user_from_the_user_form(self):
        user = self.portal_user(self.buyer_b, "bea")
        internal = self.group_user
        user_types = self.env["res.groups"].search(
            [("category_id", "=", self.env.ref("base.module_category_user_type").id)]
        )
        user.write({name_selection_groups(user_types.ids): internal.id})
        self.assert_buyer(user, expected=False)
        self.assertTrue(user._is_internal())

    def test_portal_user_without_tier_has_no_b2b_rights(self):
        plain = self.env["res.partner"].create({"name": "Pat", "parent_id": self.customer_plain.id})
        env = self.env(user=self.portal_user(plain, "pat"))
        for model in ("product.product", "product.template", "b2b.favorite", "account.payment"):
            with self.subTest(model=model), self.assertRaises(AccessError):
                env[model].search([])

    def test_upgrade_puts_existing_buyers_in_the_group_with_roles(self):
        """18.0.1.1.0's migration: buyers of a database installed before the
        group and the roles existed; the oldest login of a company administers it."""
        colleague = self.env["res.partner"].create({"name": "Colleague", "parent_id": self.customer_b.id})
        users = self.portal_user(self.buyer_b, "bea") | self.portal_user(colleague, "colleague")
        # As before the upgrade (the ORM would put the users back in the group at once).
        self.env.flush_all()
        self.env.cr.execute("DELETE FROM res_groups_users_rel WHERE gid = %s AND uid IN %s",
                            [self.buyer_group.id, tuple(users.ids)])
        self.env.cr.execute("UPDATE res_partner SET b2b_role = 'buyer' WHERE id IN %s", [tuple(users.partner_id.ids)])
        self.env.invalidate_all()
        self.env.registry.clear_cache()
        for user in users:
            self.assert_buyer(user, expected=False)
        path = Path(__file__).resolve().parent.parent / "migrations" / "18.0.1.1.0" / "post-migrate.py"
        spec = importlib.util.spec_from_file_location("b2b_portal_post_migrate_18_0_1_1_0", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        migration.migrate(self.env.cr, "18.0.1.0.0")
        for user in users:
            self.assert_buyer(user)
        self.assertEqual(users.partner_id.mapped("b2b_role"), ["admin", "buyer"])
