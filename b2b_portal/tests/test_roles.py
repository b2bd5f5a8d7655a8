import re

from odoo import Command, fields
from odoo.tests import HttpCase, tagged

from .common import B2bCommon, B2bHttpMixin
from .test_statement import B2bAccountCommon

ROLES = ("admin", "buyer", "requester", "accountant", "viewer")
EVERYONE = frozenset(ROLES)
ORDERING = frozenset({"admin", "buyer", "requester"})
ACCOUNTS = frozenset({"admin", "accountant"})
ADMINS = frozenset({"admin"})

# Who may use each route the addon adds: the one table the matrix test reads.
ROLE_ROUTES = {
    "/b2b": EVERYONE,
    "/b2b/catalog": EVERYONE,
    "/b2b/catalog/page/<int:page>": EVERYONE,
    "/b2b/product/<int:product_id>": EVERYONE,
    "/b2b/orders": EVERYONE,
    "/b2b/orders/page/<int:page>": EVERYONE,
    "/b2b/favorites": EVERYONE,
    "/b2b/favorite/toggle": ORDERING,
    "/b2b/favorites/add_all": ORDERING,
    "/b2b/cart": ORDERING,
    "/b2b/cart/add": ORDERING,
    "/b2b/cart/update": ORDERING,
    "/b2b/cart/submit": ORDERING,
    "/b2b/order/<int:order_id>/submitted": ORDERING,
    "/b2b/reorder/<int:order_id>": ORDERING,
    "/b2b/quick_order": ORDERING,
    "/b2b/json/cart/add": ORDERING,
    "/b2b/json/cart/update": ORDERING,
    "/b2b/json/quick_order/check": ORDERING,
    "/b2b/json/search": EVERYONE,
    "/b2b/json/price": EVERYONE,
    "/b2b/lists": EVERYONE,
    "/b2b/lists/<int:list_id>": EVERYONE,
    "/b2b/lists/<int:list_id>/export": EVERYONE,
    "/b2b/lists/new": ORDERING,
    "/b2b/lists/add": ORDERING,
    "/b2b/lists/<int:list_id>/update": ORDERING,
    "/b2b/lists/<int:list_id>/rename": ORDERING,
    "/b2b/lists/<int:list_id>/copy": ORDERING,
    "/b2b/lists/<int:list_id>/delete": ORDERING,
    "/b2b/lists/<int:list_id>/to_cart": ORDERING,
    "/b2b/lists/<int:list_id>/count": ORDERING,
    "/b2b/lists/<int:list_id>/import": ORDERING,
    "/b2b/cart/save_list": ORDERING,
    "/b2b/order/<int:order_id>/save_list": ORDERING,
    "/my/payments": ACCOUNTS,
    "/my/payments/page/<int:page>": ACCOUNTS,
    "/my/statement": ACCOUNTS,
    "/my/statement/pdf": ACCOUNTS,
    "/b2b/invoices": ACCOUNTS,
    "/b2b/invoices/pay": ACCOUNTS,
    "/b2b/invoices/transaction/<string:invoice_ids>": ACCOUNTS,
    "/b2b/company": ADMINS,
    "/b2b/company/invite": ADMINS,
    "/b2b/company/member": ADMINS,
    "/b2b/company/settings": ADMINS,
    "/b2b/represent": frozenset(),  # sales representatives only (tests/test_sales_rep.py)
    "/b2b/represent/stop": frozenset(),
    "/b2b/approvals": ADMINS,
    "/b2b/approvals/<int:order_id>/approve": ADMINS,
    "/b2b/approvals/<int:order_id>/reject": ADMINS,
    "/b2b/approvals/<int:order_id>/update": ADMINS,
}


@tagged("post_install", "-at_install")
class TestRoles(B2bCommon):
    def test_each_companys_first_buyer_is_its_administrator(self):
        first = self.env["res.partner"].create({"name": "First", "parent_id": self.customer_b.id})
        second = self.env["res.partner"].create({"name": "Second", "parent_id": self.customer_b.id})
        for login, partner in (("first", first), ("second", second)):
            self.env["res.users"].create({
                "name": partner.name, "login": login, "partner_id": partner.id,
                "groups_id": [Command.set(self.group_portal.ids)],
            })
        self.assertEqual((first.b2b_role, second.b2b_role), ("admin", "buyer"))

    def test_rights_of_each_role(self):
        partner = self.env["res.partner"].create({"name": "Pat", "parent_id": self.customer_b.id})
        expected = {
            "admin": {"order", "account", "manage", "approve"},
            "buyer": {"order"},
            "requester": {"order"},
            "accountant": {"account"},
            "viewer": set(),
        }
        for role, rights in expected.items():
            partner.b2b_role = role
            self.assertEqual(partner._b2b_rights(), rights, role)


@tagged("post_install", "-at_install")
class TestRoleRouteMatrix(B2bHttpMixin, HttpCase, B2bAccountCommon):
    """Every role on every route the addon adds, taken from the routing map:
    allowed or refused as ROLE_ROUTES says; and the record rules behind."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer_b.b2b_share_orders = True  # every role reaches the company's orders (see TestOrderVisibility)
        cls.users = {"admin": cls.portal_b}  # company B's first buyer
        for role in ROLES[1:]:
            partner = cls.env["res.partner"].create({
                "name": f"B {role}", "parent_id": cls.customer_b.id, "b2b_role": role,
            })
            cls.users[role] = cls._create_portal_user(f"b2b_role_{role}", partner)
        cls.past_b = cls._confirmed_order(cls.customer_b, cls.water, 2, "PO-ROLES-PAST")
        cls.open_invoice_b = cls.invoice(cls.customer_b, 10.0, fields.Date.today())
        pending = cls.env["sale.order"]._b2b_get_cart(cls.buyer_b, create=True)
        pending._b2b_add_products({cls.cola: 1})
        pending._b2b_submit(client_order_ref="PO-ROLES-PENDING")
        cls.pending_b = pending
        cls.favorite_b = cls.env["b2b.favorite"].create({"partner_id": cls.customer_b.id, "product_id": cls.water.id})
        # A list shared by the administrator (every role reads it), and two of each role's own.
        OrderList = cls.env["b2b.order.list"]
        cls.shared_list = OrderList._b2b_create_for(cls.portal_b.partner_id, "Shared", "company", {cls.water: 1})
        cls.own_lists = {
            role: [OrderList._b2b_create_for(user.partner_id, f"{role} {i}", "private", {cls.cola: 1})
                   for i in range(2)]
            for role, user in cls.users.items()
        }
        for own, _to_delete in cls.own_lists.values():
            own.line_ids.par_qty = 5
        # An order of the requester, awaiting the company's approval.
        cls.requested, cls.requested_2, cls.requested_3 = (
            cls._requested_order(cls.users["requester"].partner_id) for _i in range(3)
        )

    @classmethod
    def _requested_order(cls, requester):
        order = cls.env["sale.order"]._b2b_get_cart(requester, create=True)
        order._b2b_add_products({cls.cola: 1})
        order._b2b_submit()
        return order

    def calls(self, user):
        cart = self.env["sale.order"]._b2b_get_cart(user.partner_id)
        line = cart.order_line[:1].id or 0
        return {
            "/b2b": ("GET", "/b2b", None),
            "/b2b/catalog": ("GET", "/b2b/catalog", None),
            "/b2b/catalog/page/<int:page>": ("GET", "/b2b/catalog/page/1", None),
            "/b2b/product/<int:product_id>": ("GET", f"/b2b/product/{self.cola.id}", None),
            "/b2b/orders": ("GET", "/b2b/orders", None),
            "/b2b/orders/page/<int:page>": ("GET", "/b2b/orders/page/1", None),
            "/b2b/favorites": ("GET", "/b2b/favorites", None),
            "/b2b/favorite/toggle": ("POST", "/b2b/favorite/toggle", {"product_id": self.cola.id}),
            "/b2b/favorites/add_all": ("POST", "/b2b/favorites/add_all", {}),
            "/b2b/cart": ("GET", "/b2b/cart", None),
            "/b2b/cart/add": ("POST", "/b2b/cart/add", {"product_id": self.cola.id, "add_qty": "1"}),
            "/b2b/cart/update": ("POST", "/b2b/cart/update", {"line_id": line, "quantity": "2"}),
            "/b2b/cart/submit": ("POST", "/b2b/cart/submit", {"client_order_ref": f"PO-{user.login}"}),
            "/b2b/order/<int:order_id>/submitted": ("GET", f"/b2b/order/{self.pending_b.id}/submitted", None),
            "/b2b/reorder/<int:order_id>": ("POST", f"/b2b/reorder/{self.past_b.id}", {}),
            "/b2b/quick_order": ("POST", "/b2b/quick_order", {"lines": "T-COLA 1"}),
            "/b2b/json/cart/add": ("LIVE", "/b2b/json/cart/add", {"product_id": self.cola.id, "add_qty": "1"}),
            "/b2b/json/cart/update": ("LIVE", "/b2b/json/cart/update", {"line_id": line, "quantity": "3"}),
            "/b2b/json/quick_order/check": ("LIVE", "/b2b/json/quick_order/check", {"rows": [["T-COLA", "1"]]}),
            "/b2b/json/search": ("LIVE", "/b2b/json/search", {"term": "Cola"}),
            "/b2b/json/price": ("LIVE", "/b2b/json/price", {"product_id": self.cola.id, "quantity": "2"}),
            **self.list_calls(user),
            "/my/payments": ("GET", "/my/payments", None),
            "/my/payments/page/<int:page>": ("GET", "/my/payments/page/1", None),
            "/my/statement": ("GET", "/my/statement", None),
            "/my/statement/pdf": ("GET", "/my/statement/pdf", None),
            "/b2b/invoices": ("GET", "/b2b/invoices", None),
            "/b2b/invoices/pay": ("GET", f"/b2b/invoices/pay?invoice_ids={self.open_invoice_b.id}", None),
            "/b2b/invoices/transaction/<string:invoice_ids>": (
                "JSON", f"/b2b/invoices/transaction/{self.open_invoice_b.id}", self.payment_form_params()),
            "/b2b/company": ("GET", "/b2b/company", None),
            "/b2b/company/invite": ("POST", "/b2b/company/invite",
                                    {"name": f"Invited by {user.login}", "email": f"new.{user.login}@b.example.com"}),
            "/b2b/company/member": ("POST", "/b2b/company/member",
                                    {"member_id": self.users["viewer"].partner_id.id, "role": "viewer"}),
            "/b2b/company/settings": ("POST", "/b2b/company/settings", {"allow_rep_orders": "1"}),
            "/b2b/represent": ("POST", "/b2b/represent", {"partner_id": user.partner_id.id}),
            "/b2b/represent/stop": ("POST", "/b2b/represent/stop", {}),
            "/b2b/approvals": ("GET", "/b2b/approvals", None),
            "/b2b/approvals/<int:order_id>/approve": ("POST", f"/b2b/approvals/{self.requested.id}/approve", {}),
            "/b2b/approvals/<int:order_id>/reject": ("POST", f"/b2b/approvals/{self.requested_2.id}/reject",
                                                     {"reason": "Not this week"}),
            "/b2b/approvals/<int:order_id>/update": ("POST", f"/b2b/approvals/{self.requested_3.id}/update",
                                                     {"line_id": self.requested_3.order_line[:1].id, "quantity": "2"}),
        }

    def list_calls(self, user):
        role = next(role for role, role_user in self.users.items() if role_user == user)
        own, to_delete = self.own_lists[role]
        line = own.line_ids[:1].id
        return {
            "/b2b/lists": ("GET", "/b2b/lists", None),
            "/b2b/lists/<int:list_id>": ("GET", f"/b2b/lists/{self.shared_list.id}", None),
            "/b2b/lists/<int:list_id>/export": ("GET", f"/b2b/lists/{self.shared_list.id}/export", None),
            "/b2b/lists/new": ("POST", "/b2b/lists/new", {"name": f"New of {role}"}),
            "/b2b/lists/add": ("POST", "/b2b/lists/add", {"product_id": self.cola.id, "add_qty": "1",
                                                          "list_id": own.id}),
            "/b2b/lists/<int:list_id>/update": ("POST", f"/b2b/lists/{own.id}/update", {f"qty_{line}": "3"}),
            "/b2b/lists/<int:list_id>/rename": ("POST", f"/b2b/lists/{own.id}/rename", {"name": f"{role} renamed"}),
            "/b2b/lists/<int:list_id>/copy": ("POST", f"/b2b/lists/{self.shared_list.id}/copy", {}),
            "/b2b/lists/<int:list_id>/delete": ("POST", f"/b2b/lists/{to_delete.id}/delete", {}),
            "/b2b/lists/<int:list_id>/to_cart": ("POST", f"/b2b/lists/{self.shared_list.id}/to_cart",
                                                 {"selection": "all"}),
            "/b2b/lists/<int:list_id>/count": ("POST", f"/b2b/lists/{own.id}/count", {f"onhand_{line}": "1"}),
            "/b2b/lists/<int:list_id>/import": ("POST", f"/b2b/lists/{own.id}/import", {"lines": "T-WATER;2"}),
            "/b2b/cart/save_list": ("POST", "/b2b/cart/save_list", {"name": f"Cart of {role}"}),
            "/b2b/order/<int:order_id>/save_list": ("POST", f"/b2b/order/{self.past_b.id}/save_list", {}),
        }

    def addon_routes(self):
        return {
            rule.rule for rule in self.env["ir.http"].routing_map().iter_rules()
            if getattr(getattr(rule.endpoint, "original_endpoint", None), "__module__", "").startswith(
                "odoo.addons.b2b_portal.controllers.")
        }

    def csrf(self):
        return re.search(r'csrf_token: "([^"]+)"', self.url_open("/my").text).group(1)

    def test_table_covers_every_route(self):
        self.assertEqual(set(ROLE_ROUTES), self.addon_routes())
        self.assertEqual(set(self.calls(self.portal_b)), self.addon_routes())

    def test_every_role_on_every_route(self):
        for role, user in self.users.items():
            self.authenticate(user.login, user.login)
            token = self.csrf()
            for route, (method, path, data) in self.calls(user).items():
                with self.subTest(role=role, route=route):
                    if method in ("JSON", "LIVE"):  # LIVE: the pages' scripts, with the page's CSRF token
                        answer = self.json_call(path, {**data, "csrf_token": token} if method == "LIVE" else data)
                        self.assertEqual("result" in answer, role in ROLE_ROUTES[route], answer)
                        continue
                    if method == "GET":
                        response = self.url_open(path, allow_redirects=False)
                    else:
                        response = self.url_open(path, data={**data, "csrf_token": token}, allow_redirects=False)
                    if role in ROLE_ROUTES[route]:
                        self.assertIn(response.status_code, (200, 303), response.text[:300])
                    else:
                        self.assertEqual(response.status_code, 403)

    def test_pages_show_only_what_the_role_may_do(self):
        self.authenticate(self.users["viewer"].login, self.users["viewer"].login)
        catalog = self.url_open("/b2b/catalog").text
        self.assertIn("Cola Case", catalog)
        self.assertNotIn("o_b2b_add_form", catalog)
        self.assertNotIn("o_b2b_cart_link", catalog)
        self.assertNotIn('href="/my/statement"', catalog)
        dashboard = self.url_open("/b2b").text
        self.assertNotIn("o_b2b_open_invoice_count", dashboard)
        self.assertNotIn("o_b2b_reorder_form", dashboard)
        self.authenticate(self.users["accountant"].login, self.users["accountant"].login)
        dashboard = self.url_open("/b2b").text
        self.assertIn("o_b2b_open_invoice_count", dashboard)
        self.assertIn('href="/my/statement"', dashboard)
        self.assertNotIn("o_b2b_cart_link", dashboard)

    def test_payments_are_read_by_administrators_and_accountants_only(self):
        self.pay(self.invoice(self.customer_b, 100.0, fields.Date.today()), 100.0, fields.Date.today())
        payments = self.env["account.payment"].search([("partner_id", "=", self.customer_b.id)])
        self.assertTrue(payments)
        for role, user in self.users.items():
            with self.subTest(role=role):
                found = self.env["account.payment"].with_user(user).search([("id", "in", payments.ids)])
                self.assertEqual(bool(found), role in ACCOUNTS)
        # A role changed in the backend applies at once (the rules' cache follows).
        accountant = self.users["accountant"]
        accountant.partner_id.b2b_role = "viewer"
        self.assertFalse(self.env["account.payment"].with_user(accountant).search([("id", "in", payments.ids)]))


@tagged("post_install", "-at_install")
class TestOrderVisibility(B2bHttpMixin, HttpCase, B2bAccountCommon):
    """Administrators and accountants see all of the company's orders and
    invoices, viewers all of its orders; buyers their own orders, and their
    colleagues' where the company shares them; no invoice. Record rules, read
    over HTTP and JSON-RPC."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = {"admin": cls.portal_b}
        for role in ("buyer", "accountant", "viewer"):
            partner = cls.env["res.partner"].create({
                "name": f"B {role}", "parent_id": cls.customer_b.id, "b2b_role": role,
            })
            cls.users[role] = cls._create_portal_user(f"b2b_seen_{role}", partner)
        cls.chef_order = cls._confirmed_order(cls.users["buyer"].partner_id, cls.cola, 1, "PO-CHEF-OWN")
        cls.admin_order = cls._confirmed_order(cls.buyer_b, cls.water, 1, "PO-ADMIN-OWN")
        cls.office_order = cls._confirmed_order(cls.customer_b, cls.water, 2, "PO-OFFICE")
        cls.company_orders = cls.chef_order | cls.admin_order | cls.office_order

    def read_orders(self, role):
        return self.env["sale.order"].with_user(self.users[role]).search([("id", "in", self.company_orders.ids)])

    def rpc_orders(self, role):
        user = self.users[role]
        self.authenticate(user.login, user.login)
        return {order["id"] for order in self.make_jsonrpc_request("/web/dataset/call_kw/sale.order/search_read", {
            "model": "sale.order", "method": "search_read",
            "args": [[("id", "in", self.company_orders.ids)]], "kwargs": {"fields": ["name"]},
        })}

    def test_orders_by_role_through_the_orm_and_json_rpc(self):
        expected = {
            "admin": self.company_orders, "accountant": self.company_orders,
            "buyer": self.chef_order, "viewer": self.company_orders,
        }
        for role, orders in expected.items():
            with self.subTest(role=role):
                self.assertEqual(self.read_orders(role), orders)
                self.assertEqual(self.rpc_orders(role), set(orders.ids))
        # The company shares its orders: everyone of it reads them all.
        self.customer_b.b2b_share_orders = True
        for role in expected:
            with self.subTest(role=role, shared=True):
                self.assertEqual(self.read_orders(role), self.company_orders)
        # Another company's orders stay out of reach, shared or not.
        self.assertFalse(self.env["sale.order"].with_user(self.users["admin"]).search([("id", "=", self.order_c.id)]))

    def test_invoices_for_administrators_and_accountants_only(self):
        invoice = self.invoice(self.customer_b, 50.0, fields.Date.today())
        for role in self.users:
            with self.subTest(role=role):
                found = self.env["account.move"].with_user(self.users[role]).search([("id", "=", invoice.id)])
                self.assertEqual(bool(found), role in ACCOUNTS)
        self.authenticate(self.users["buyer"].login, self.users["buyer"].login)
        self.assertNotIn(invoice.name, self.url_open("/my/invoices").text)
        self.assertNotEqual(self.url_open(f"/my/invoices/{invoice.id}", allow_redirects=False).status_code, 200)

    def test_pages_follow_the_rules(self):
        self.authenticate(self.users["buyer"].login, self.users["buyer"].login)
        orders_page = self.url_open("/b2b/orders").text
        self.assertIn("PO-CHEF-OWN", orders_page)
        self.assertNotIn("PO-ADMIN-OWN", orders_page)
        self.assertNotIn("PO-OFFICE", orders_page)
        self.assertNotEqual(self.url_open(f"/my/orders/{self.admin_order.id}", allow_redirects=False).status_code,
                            200)
        token = re.search(r'csrf_token: "([^"]+)"', self.url_open("/my").text).group(1)
        response = self.url_open(f"/b2b/reorder/{self.admin_order.id}", data={"csrf_token": token},
                                 allow_redirects=False)
        self.assertEqual(response.status_code, 404)
        self.authenticate(self.users["accountant"].login, self.users["accountant"].login)
        self.assertIn("PO-OFFICE", self.url_open("/b2b/orders").text)
