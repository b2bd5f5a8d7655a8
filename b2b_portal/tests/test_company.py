import re

from odoo.tests import HttpCase, tagged

from .common import B2bHttpMixin, B2bPortalCommon


@tagged("post_install", "-at_install")
class TestCompanyPeople(B2bHttpMixin, HttpCase, B2bPortalCommon):
    """The customer's administrator manages its people at /b2b/company:
    invitations, roles, deactivation, each logged on the company's chatter."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin_b = cls.portal_b  # company B's first buyer
        cls.chef = cls.env["res.partner"].create({
            "name": "Chef Charlie", "parent_id": cls.customer_b.id, "email": "charlie@b.example.com",
        })
        cls.chef_user = cls._create_portal_user("b2b_chef", cls.chef)
        cls._create_portal_user("taken@c.example.com", cls.env["res.partner"].create(
            {"name": "Taken", "parent_id": cls.customer_c.id}))

    def post(self, path, data):
        token = re.search(r'csrf_token: "([^"]+)"', self.url_open("/my").text).group(1)
        return self.url_open(path, data={**data, "csrf_token": token})

    def company_log(self):
        return self.customer_b.message_ids.filtered(lambda m: m.author_id == self.buyer_b).mapped("body")

    def test_administrator_invites_a_colleague(self):
        self.authenticate(self.admin_b.login, self.admin_b.login)
        page = self.url_open("/b2b/company").text
        self.assertIn("Chef Charlie", page)
        self.assertNotIn("Carl Buyer", page)  # company C's
        response = self.post("/b2b/company/invite", {"name": "Dora Dishes", "email": "Dora@B.example.com",
                                                     "role": "requester"})
        self.assertIn("Dora Dishes is invited", response.text)
        dora = self.env["res.partner"].search([("email", "=", "dora@b.example.com")])
        self.assertEqual((dora.parent_id, dora.b2b_role), (self.customer_b, "requester"))
        user = dora.user_ids
        self.assertTrue(user._is_portal() and user._b2b_is_buyer())
        # Odoo's portal invitation: a signup link, prepared as its email is sent.
        self.assertEqual(dora.sudo().signup_type, "signup")
        self.assertTrue(any("invited Dora Dishes" in body for body in self.company_log()))

    def test_invitation_refuses_bad_input_and_existing_logins(self):
        self.authenticate(self.admin_b.login, self.admin_b.login)
        count = self.env["res.partner"].search_count([])
        for data, message in (
            ({"name": "", "email": "x@b.example.com"}, "Give your colleague&#39;s name"),
            ({"name": "X", "email": "not an email"}, "Give your colleague&#39;s email address"),
            ({"name": "X", "email": "x@b.example.com", "role": "king"}, "Choose one of the roles"),
            ({"name": "X", "email": "Taken@C.example.com"}, "already has a login"),
        ):
            with self.subTest(data=data):
                self.assertIn(message, self.post("/b2b/company/invite", data).text)
        self.assertEqual(self.env["res.partner"].search_count([]), count)
        # A name longer than the form allows is cut, not stored whole.
        self.post("/b2b/company/invite", {"name": "N" * 500, "email": "long@b.example.com"})
        self.assertEqual(len(self.env["res.partner"].search([("email", "=", "long@b.example.com")]).name), 128)

    def test_roles_change_and_the_company_keeps_an_administrator(self):
        self.authenticate(self.admin_b.login, self.admin_b.login)
        self.post("/b2b/company/member", {"member_id": self.chef.id, "role": "viewer"})
        self.assertEqual(self.chef.b2b_role, "viewer")
        self.assertTrue(any("from Buyer to Viewer" in body for body in self.company_log()))
        # The only administrator cannot step down, nor be deactivated...
        response = self.post("/b2b/company/member", {"member_id": self.buyer_b.id, "role": "buyer"})
        self.assertIn("needs an administrator", response.text)
        self.assertEqual(self.buyer_b.b2b_role, "admin")
        # ... until a colleague is one.
        self.post("/b2b/company/member", {"member_id": self.chef.id, "role": "admin"})
        self.post("/b2b/company/member", {"member_id": self.buyer_b.id, "role": "buyer"})
        self.assertEqual((self.chef.b2b_role, self.buyer_b.b2b_role), ("admin", "buyer"))
        # No longer an administrator: the page is closed.
        self.assertEqual(self.url_open("/b2b/company").status_code, 403)

    def test_deactivation_keeps_the_orders(self):
        order = self._confirmed_order(self.chef, self.cola, 2, "PO-CHEF")
        self.authenticate(self.admin_b.login, self.admin_b.login)
        self.assertIn("You cannot deactivate yourself",
                      self.post("/b2b/company/member", {"member_id": self.buyer_b.id, "deactivate": "1"}).text)
        self.post("/b2b/company/member", {"member_id": self.chef.id, "deactivate": "1"})
        user = self.chef_user.with_context(active_test=False)
        self.assertFalse(user.active)
        self.assertFalse(user._b2b_is_buyer())
        self.assertEqual(order.exists().state, "sale")
        self.assertIn("Deactivated", self.url_open("/b2b/company").text)
        self.assertTrue(any("deactivated Chef Charlie" in body for body in self.company_log()))

    def test_nobody_touches_another_companys_people(self):
        self.authenticate(self.admin_b.login, self.admin_b.login)
        for data in ({"member_id": self.buyer_c.id, "role": "viewer"},
                     {"member_id": self.buyer_c.id, "deactivate": "1"},
                     {"member_id": "abc", "role": "viewer"}):
            with self.subTest(data=data):
                self.assertEqual(self.post("/b2b/company/member", data).status_code, 404)
        self.assertEqual(self.buyer_c.b2b_role, "admin")
        self.assertTrue(self.portal_c.active)
        # A buyer who is not an administrator reaches none of it.
        self.authenticate(self.chef_user.login, self.chef_user.login)
        self.assertEqual(self.url_open("/b2b/company").status_code, 403)
        self.assertEqual(self.post("/b2b/company/member", {"member_id": self.chef.id, "role": "admin"}).status_code,
                         403)
        self.assertEqual(self.chef.b2b_role, "buyer")
