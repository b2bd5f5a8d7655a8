import re

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import B2bHttpMixin, B2bPortalCommon
from .test_statement import B2bAccountCommon


class B2bRepCommon(B2bPortalCommon):
    """Rita is the salesperson of company B; Tim is a member of company C's
    sales team; Mona is a sales manager; Sam (a plain salesperson) is no
    representative."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rita = new_test_user(cls.env, login="b2b_rep_rita", groups="b2b_portal.group_b2b_sales_rep",
                                 name="Rita Rep")
        cls.tim = new_test_user(cls.env, login="b2b_rep_tim", groups="b2b_portal.group_b2b_sales_rep",
                                name="Tim Team")
        cls.mona = new_test_user(cls.env, login="b2b_rep_mona", groups="sales_team.group_sale_manager",
                                 name="Mona Manager")
        cls.customer_b.user_id = cls.rita
        carla = new_test_user(cls.env, login="b2b_sales_carla", groups="sales_team.group_sale_salesman",
                              name="Carla Canteens")
        cls.env["crm.team"].create({"name": "Canteens", "member_ids": [Command.set((cls.tim | carla).ids)]})
        cls.customer_c.user_id = carla  # Tim's teammate: company C is in Tim's reach
        cls.ben = cls._create_portal_user("b2b_rep_ben", cls.env["res.partner"].create({
            "name": "Ben Buyer", "parent_id": cls.customer_b.id,
        }))
        cls.vera = cls._create_portal_user("b2b_rep_vera", cls.env["res.partner"].create({
            "name": "Vera Viewer", "parent_id": cls.customer_b.id, "b2b_role": "viewer",
        }))


@tagged("post_install", "-at_install")
class TestRepPortfolio(B2bRepCommon):
    def test_who_orders_for_whom(self):
        Partner = self.env["res.partner"]
        self.assertEqual(Partner._b2b_rep_contacts(self.rita), self.buyer_b | self.ben.partner_id)
        self.assertEqual(Partner._b2b_rep_contacts(self.tim), self.buyer_c)
        self.assertEqual(Partner._b2b_rep_contacts(self.mona), self.buyer_b | self.ben.partner_id | self.buyer_c)
        self.assertFalse(Partner._b2b_rep_contacts(self.salesman))  # not a representative
        self.ben.active = False  # an archived login orders no more
        self.assertEqual(Partner._b2b_rep_contacts(self.rita), self.buyer_b)
        self.ben.active = True
        self.assertTrue(self.buyer_b._b2b_rep_may_act_for(self.rita))
        for contact in (self.buyer_c, self.vera.partner_id, self.customer_b):  # another's, a viewer, a company
            with self.subTest(contact=contact.name):
                self.assertFalse(contact._b2b_rep_may_act_for(self.rita))
        self.customer_b.b2b_allow_rep_orders = False
        self.assertFalse(self.buyer_b._b2b_rep_may_act_for(self.rita))
        self.assertFalse(self.buyer_b._b2b_rep_may_act_for(self.mona))
        self.assertFalse(Partner._b2b_rep_contacts(self.rita))

    def test_rights_when_acting_for_a_buyer(self):
        admin = self.buyer_b  # its company's first buyer: an administrator
        self.assertEqual(admin._b2b_rights(), {"order", "account", "manage", "approve"})
        self.assertEqual(admin.with_context(b2b_rep_uid=self.rita.id)._b2b_rights(), {"order"})


@tagged("post_install", "-at_install")
class TestRepInThePortal(B2bHttpMixin, HttpCase, B2bRepCommon):
    def represent(self, contact):
        return self.post_form("/b2b/represent", {"partner_id": contact.id})

    def chatter(self, customer):
        return [re.sub(r"<[^>]+>", "", body) for body in customer.message_ids.sorted("id").mapped("body")]

    def test_a_representative_orders_for_its_customer(self):
        self.authenticate(self.rita.login, self.rita.login)
        switcher = self.url_open("/b2b").text
        self.assertIn("Order as Bea Buyer", switcher)
        self.assertNotIn("Carl Buyer", switcher)
        page = self.represent(self.buyer_b).text
        self.assertRegex(page, r"Ordering for <strong>Bistro Test Company</strong> as <strong>Bea Buyer</strong>")
        # The buyer's catalog and prices (tier B), its cart; none of its accounts, payments or people.
        catalog = self.url_open("/b2b/catalog").text
        self.assertIn("16.00", catalog)
        self.assertNotIn('href="/b2b/company"', catalog)
        for path in ("/b2b/invoices", "/my/statement", "/b2b/company", "/b2b/approvals", "/my/payments"):
            self.assertEqual(self.url_open(path, allow_redirects=False).status_code, 403, path)
        # Odoo's own account page stays the representative's: the session is never the buyer's.
        account = self.url_open("/my/account").text
        self.assertIn('value="Rita Rep"', account)
        self.assertNotIn("Bea Buyer", account)
        self.post_form("/b2b/cart/add", {"product_id": self.cola.id, "add_qty": "3"})
        cart = self.cart_of(self.buyer_b)
        self.assertEqual(cart.order_line.product_uom_qty, 3)
        self.post_form("/b2b/cart/submit", {"client_order_ref": "PO-BY-RITA"})
        order = self.env["sale.order"].search([("client_order_ref", "=", "PO-BY-RITA")])
        self.assertEqual((order.partner_id, order.b2b_placed_by_id, order.user_id, order.b2b_state),
                         (self.buyer_b, self.rita, self.rita, "pending"))
        self.assertEqual(order.order_line.price_unit, 16.0)
        self.assertIn(self.buyer_b, order.message_partner_ids)  # the buyer gets the emails
        # Paying is the customer's: an order waiting for payment offers the representative no payment.
        order.b2b_state = "to_pay"
        submitted = self.url_open(f"/b2b/order/{order.id}/submitted").text
        self.assertIn("o_b2b_rep_no_payment", submitted)
        self.assertNotIn("o_b2b_pay_order", submitted)
        order.b2b_state = "pending"
        self.post_form("/b2b/represent/stop", {})
        self.assertIn("Order as Bea Buyer", self.url_open("/b2b").text)  # back to choosing
        log = self.chatter(self.customer_b)
        self.assertEqual(log[-3:], [
            "Rita Rep started ordering in the portal as Bea Buyer.",
            f"Rita Rep placed {order.name} in the portal as Bea Buyer.",
            "Rita Rep stopped ordering in the portal as Bea Buyer.",
        ])
        # The customer's buyers see the order as their company's.
        self.authenticate(self.portal_b.login, self.portal_b.login)
        self.assertIn("PO-BY-RITA", self.url_open("/b2b/orders").text)

    def test_outside_the_portfolio_nothing_starts(self):
        for user, contact in ((self.rita, self.buyer_c), (self.rita, self.vera.partner_id), (self.tim, self.buyer_b),
                              (self.rita, self.customer_b)):
            with self.subTest(user=user.login, contact=contact.name):
                self.authenticate(user.login, user.login)
                self.assertEqual(self.represent(contact).status_code, 404)
                self.assertNotIn("o_b2b_rep_banner", self.url_open("/b2b").text)
        for forged in ("", "abc", "99999999", "-1", f"{self.buyer_b.id} "):
            with self.subTest(forged=forged):
                self.authenticate(self.tim.login, self.tim.login)
                self.assertIn(self.post_form("/b2b/represent", {"partner_id": forged}).status_code, (403, 404))
        # A salesperson that is no representative, and a buyer, get nothing.
        for user in (self.salesman, self.portal_b):
            self.authenticate(user.login, user.login)
            self.assertEqual(self.represent(self.buyer_b).status_code, 403)
        self.assertFalse(self.customer_c.message_ids.filtered(lambda m: "ordering in the portal" in (m.body or "")))

    def test_consent_withdrawn_ends_it(self):
        self.authenticate(self.rita.login, self.rita.login)
        self.represent(self.buyer_b)
        self.authenticate(self.portal_b.login, self.portal_b.login)
        company_page = self.url_open("/b2b/company").text
        self.assertIn("Our sales representative may order for us", company_page)
        self.post_form("/b2b/company/settings", {})
        self.assertFalse(self.customer_b.b2b_allow_rep_orders)
        self.authenticate(self.rita.login, self.rita.login)
        self.assertEqual(self.represent(self.buyer_b).status_code, 404)
        self.post_form("/b2b/company/settings", {"allow_rep_orders": "1"})  # Rita is no administrator of B
        self.assertFalse(self.customer_b.b2b_allow_rep_orders)

    def test_a_session_ends_when_the_consent_goes(self):
        self.authenticate(self.rita.login, self.rita.login)
        self.represent(self.buyer_b)
        self.assertIn("o_b2b_rep_banner", self.url_open("/b2b/catalog").text)
        self.customer_b.b2b_allow_rep_orders = False
        self.assertEqual(self.url_open("/b2b/catalog", allow_redirects=False).status_code, 403)
        self.assertIn("No customer of yours", self.url_open("/b2b").text)
        response = self.post_form("/b2b/cart/add", {"product_id": self.cola.id, "add_qty": "1"})
        self.assertIn("No customer of yours", response.text)  # back to choosing
        self.assertFalse(self.cart_of(self.buyer_b))
        self.assertIn("Rita Rep's ordering in the portal as Bea Buyer ended: the customer is no longer in reach or no "
                      "longer consents.", self.chatter(self.customer_b))

    def test_the_consent_is_the_customers(self):
        with self.assertRaises(AccessError):
            self.customer_b.with_user(self.rita).b2b_allow_rep_orders = False
        self.env.invalidate_all()
        self.assertTrue(self.buyer_b._b2b_rep_may_act_for(self.rita), "the refused write changed nothing")
        self.customer_b.with_user(self.mona).b2b_allow_rep_orders = False  # a sales manager, on the customer's word
        # Stored, and in effect: the representative no longer orders for the customer.
        self.env.invalidate_all()
        self.assertFalse(self.customer_b.b2b_allow_rep_orders)
        self.assertFalse(self.buyer_b._b2b_rep_may_act_for(self.rita))

    def test_phone_orders_skip_the_customers_own_rules(self):
        self.buyer_b.b2b_order_limit = 10.0  # the company approves orders over 10.00
        self.ben.partner_id.b2b_role = "admin"  # so that B has another administrator to approve
        self.authenticate(self.rita.login, self.rita.login)
        self.represent(self.buyer_b)
        self.post_form("/b2b/cart/add", {"product_id": self.cola.id, "add_qty": "2"})
        self.assertNotIn("o_b2b_phone_order", self.url_open("/b2b/cart").text)
        response = self.post_form("/b2b/cart/submit", {"phone_order": "1"})
        self.assertIn("Only a representative who approves web orders marks a phone order.", response.text)
        self.post_form("/b2b/cart/submit", {"client_order_ref": "PO-LIMIT"})
        self.assertEqual(self.env["sale.order"].search([("client_order_ref", "=", "PO-LIMIT")]).b2b_state,
                         "company_pending")
        self.authenticate(self.mona.login, self.mona.login)  # a manager approves web orders
        self.represent(self.buyer_b)
        self.post_form("/b2b/cart/add", {"product_id": self.cola.id, "add_qty": "2"})
        self.assertIn("o_b2b_phone_order", self.url_open("/b2b/cart").text)
        self.post_form("/b2b/cart/submit", {"client_order_ref": "PO-PHONE", "phone_order": "1"})
        order = self.env["sale.order"].search([("client_order_ref", "=", "PO-PHONE")])
        self.assertEqual((order.b2b_state, order.b2b_phone_order, order.b2b_placed_by_id),
                         ("pending", True, self.mona))
        self.assertIn(f"Mona Manager placed {order.name} in the portal as Bea Buyer (a phone order).",
                      self.chatter(self.customer_b))

    def test_control_characters_in_the_representatives_routes(self):
        self.authenticate(self.rita.login, self.rita.login)
        response = self.post_form("/b2b/represent", {"partner_id": f"{self.buyer_b.id}\x00"})
        self.assertIn("o_b2b_rep_banner", response.text)
        response = self.post_form("/b2b/represent/stop", {"x": "\x00"})
        self.assertIn("Order as Bea Buyer", response.text)


@tagged("post_install", "-at_install")
class TestRepJsonRpc(B2bHttpMixin, HttpCase, B2bAccountCommon):
    """A representative acting for company B, over JSON-RPC: the invoice
    payment route refuses it, and Odoo's own RPC runs as the representative,
    whose rights reach no other customer's orders."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rita = new_test_user(cls.env, login="b2b_rep_rita", groups="b2b_portal.group_b2b_sales_rep",
                                 name="Rita Rep")
        cls.customer_b.user_id = cls.rita
        cls.invoice_b = cls.invoice(cls.customer_b, 20.0, fields.Date.today())

    def test_json_rpc_while_representing(self):
        self.authenticate(self.rita.login, self.rita.login)
        self.post_form("/b2b/represent", {"partner_id": self.buyer_b.id})
        answer = self.json_call(f"/b2b/invoices/transaction/{self.invoice_b.id}", self.payment_form_params())
        self.assertIn("error", answer)
        self.assertEqual(self.env["payment.transaction"].sudo().search_count([]), 0)
        orders = self.make_jsonrpc_request("/web/dataset/call_kw/sale.order/search_read", {
            "model": "sale.order", "method": "search_read", "args": [[("id", "=", self.order_c.id)]],
            "kwargs": {"fields": ["name"]},
        })
        self.assertEqual(orders, [])
        action = self.make_jsonrpc_request("/web/dataset/call_kw/res.partner/action_b2b_represent", {
            "model": "res.partner", "method": "action_b2b_represent", "args": [[self.customer_c.id]], "kwargs": {},
        })
        self.assertEqual(action["url"], f"/b2b?customer_id={self.customer_c.id}")
        # That page lists only Rita's customers: company C's buyer is not offered.
        self.post_form("/b2b/represent/stop", {})
        self.assertNotIn("Carl Buyer", self.url_open(action["url"]).text)


@tagged("post_install", "-at_install")
class TestRepTour(B2bHttpMixin, HttpCase, B2bRepCommon):
    def test_tour_a_representative_places_an_order(self):
        self.start_tour("/b2b", "b2b_portal_sales_rep", login=self.rita.login)
        order = self.env["sale.order"].search([("client_order_ref", "=", "PO-REP-TOUR")])
        self.assertEqual((order.partner_id, order.b2b_placed_by_id, order.user_id, order.order_line.product_uom_qty),
                         (self.buyer_b, self.rita, self.rita, 4))
        self.assertEqual(self.env["sale.order"]._b2b_get_cart(self.buyer_b), self.env["sale.order"])
