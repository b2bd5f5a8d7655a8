import re
from datetime import timedelta

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged
from odoo.tools.safe_eval import safe_eval

from .common import B2bHttpMixin, B2bPortalCommon


class B2bCompanyApprovalCommon(B2bPortalCommon):
    """Company B: its administrator (Bea, the first buyer), a chef who orders
    within limits and a requester. Cola costs B 16.00, water 8.50."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.buyer_b
        cls.chef = cls._person("Chef Charlie", "buyer", "b2b_chef")
        cls.requester = cls._person("Rita Requester", "requester", "b2b_rita")

    @classmethod
    def _person(cls, name, role, login):
        partner = cls.env["res.partner"].create({"name": name, "parent_id": cls.customer_b.id, "b2b_role": role})
        cls._create_portal_user(login, partner)
        return partner

    def submit(self, buyer, quantities, **values):
        cart = self.env["sale.order"]._b2b_get_cart(buyer, create=True)
        cart._b2b_add_products(quantities)
        self.assertEqual(cart._b2b_submit(**values), [])
        return cart

    def submitted_on(self, order, when):
        order.b2b_submitted_date = when
        return order


@tagged("post_install", "-at_install")
class TestCompanyApproval(B2bCompanyApprovalCommon):
    def test_order_at_the_limit_goes_to_the_office_a_cent_over_to_the_company(self):
        self.chef.b2b_order_limit = 32.0
        at_limit = self.submit(self.chef, {self.cola: 2})
        self.assertEqual((at_limit.amount_total, at_limit.b2b_state), (32.0, "pending"))
        self.chef.b2b_order_limit = 31.99
        over = self.submit(self.chef, {self.cola: 2})
        self.assertEqual(over.b2b_state, "company_pending")
        self.assertEqual(over.b2b_portal_status, "company_pending")
        # The office does not see it in its queue nor in its quotations.
        queue = self.env.ref("b2b_portal.sale_order_action_b2b_approval")
        self.assertNotIn(over, self.env["sale.order"].search(safe_eval(queue.domain)))
        quotations = self.env.ref("sale.action_quotations")
        self.assertNotIn(over, self.env["sale.order"].search(safe_eval(quotations.domain)))
        # The administrators were asked, on the order's chatter.
        asked = over.message_ids.filtered(lambda m: self.admin in m.partner_ids)
        self.assertTrue(asked)
        self.assertIn("over the limit of Chef Charlie, $&nbsp;31.99 per order", asked[0].body)

    def test_limits_compare_at_the_currencys_precision(self):
        for limit in (32.004, 31.996):  # both round to 32.00, the order's total
            with self.subTest(limit=limit):
                self.chef.b2b_order_limit = limit
                self.assertEqual(self.submit(self.chef, {self.cola: 2}).b2b_state, "pending")
        self.chef.b2b_order_limit = 31.994  # 31.99
        self.assertEqual(self.submit(self.chef, {self.cola: 2}).b2b_state, "company_pending")

    def test_monthly_budget_counts_this_calendar_months_live_orders_only(self):
        month_start = self.env["res.partner"]._b2b_month_start()
        self.submit(self.chef, {self.cola: 3})  # 48.00, this month
        self.submitted_on(self.submit(self.chef, {self.cola: 30}), month_start - timedelta(seconds=1))  # last month
        self.submit(self.chef, {self.cola: 10}).sudo()._b2b_reject("Out of season")  # rejected
        self.submit(self.chef, {self.cola: 10})._action_cancel()  # cancelled
        self.submit(self.requester, {self.cola: 10})  # a colleague's
        self.assertEqual(self.chef._b2b_spending_this_month(), 48.0)
        self.chef.b2b_monthly_budget = 80.0
        exactly = self.submit(self.chef, {self.cola: 2})  # 48.00 + 32.00 = 80.00: the budget
        self.assertEqual(exactly.b2b_state, "pending")
        self.assertEqual(self.chef._b2b_spending_this_month(), 80.0)

    def test_monthly_budget_edge(self):
        self.chef.b2b_monthly_budget = 64.0
        self.submit(self.chef, {self.cola: 2})  # 32.00
        at_budget = self.submit(self.chef, {self.cola: 2})  # 64.00 in all: within
        self.assertEqual(at_budget.b2b_state, "pending")
        over = self.submit(self.chef, {self.water: 1})  # 72.50
        self.assertEqual(over.b2b_state, "company_pending")
        self.assertIn("over a budget of", over.message_ids[0].body)

    def test_company_budget_counts_every_buyer(self):
        self.customer_b.b2b_company_monthly_budget = 50.0
        self.submit(self.requester, {self.cola: 1}).sudo()._b2b_company_approve(self.admin)  # 16.00
        within = self.submit(self.chef, {self.cola: 2})  # 48.00
        self.assertEqual(within.b2b_state, "pending")
        over = self.submit(self.chef, {self.water: 1})  # 56.50
        self.assertEqual(over.b2b_state, "company_pending")
        self.assertIn("the company's orders this month to $&nbsp;56.50", over.message_ids[0].body)

    def test_requester_always_asks_its_company(self):
        order = self.submit(self.requester, {self.water: 1})
        self.assertEqual(order.b2b_state, "company_pending")

    def test_approval_sends_the_order_on_to_the_office_with_both_steps_on_the_chatter(self):
        self.customer_b.b2b_auto_approve_limit = 1000.0
        order = self.submit(self.requester, {self.cola: 1})
        order.sudo()._b2b_company_approve(self.admin)
        # Auto-approved by the distributor's rule, as any order within it.
        self.assertEqual((order.b2b_state, order.state), ("approved", "sale"))
        bodies = " ".join(order.message_ids.mapped("body"))
        self.assertIn("awaits the approval of", bodies)
        self.assertIn("Approved for Bistro Test Company by Bea Buyer", bodies)

    def test_nobody_approves_its_own_order(self):
        self.chef.b2b_role = "admin"
        self.admin.b2b_order_limit = 10.0
        order = self.submit(self.admin, {self.cola: 1})
        self.assertEqual(order.b2b_state, "company_pending")
        with self.assertRaisesRegex(UserError, "Nobody approves its own order"):
            order.sudo()._b2b_company_approve(self.admin)
        order.sudo()._b2b_company_approve(self.chef)
        self.assertEqual(order.b2b_state, "pending")

    def test_the_only_administrator_over_its_own_limit_goes_to_the_office(self):
        self.admin.b2b_order_limit = 10.0
        self.assertEqual(self.submit(self.admin, {self.cola: 1}).b2b_state, "pending")

    def test_rejection_keeps_the_order_and_tells_the_buyer_why(self):
        order = self.submit(self.requester, {self.cola: 1})
        with self.assertRaisesRegex(UserError, "why the order is rejected"):
            order.sudo()._b2b_company_reject(self.admin, "  ")
        order.sudo()._b2b_company_reject(self.admin, "We have enough cola")
        self.assertEqual((order.b2b_state, order.state, order.b2b_reject_reason),
                         ("rejected", "cancel", "We have enough cola"))
        told = order.message_ids.filtered(lambda m: self.requester in m.partner_ids and "enough cola" in m.body)
        self.assertTrue(told)
        with self.assertRaisesRegex(UserError, "no longer awaits"):
            order.sudo()._b2b_company_approve(self.admin)

    def test_other_companies_and_other_roles_cannot_decide(self):
        order = self.submit(self.requester, {self.cola: 1})
        for stranger in (self.chef, self.buyer_c):
            with self.subTest(stranger=stranger.name), self.assertRaises(AccessError):
                order.sudo()._b2b_company_approve(stranger)
        self.assertEqual(order.b2b_state, "company_pending")


@tagged("post_install", "-at_install")
class TestCompanyApprovalPortal(B2bHttpMixin, HttpCase, B2bCompanyApprovalCommon):
    def post(self, path, data):
        token = re.search(r'csrf_token: "([^"]+)"', self.url_open("/my").text).group(1)
        return self.url_open(path, data={**data, "csrf_token": token})

    def test_buyer_sees_its_spending_and_the_approval_coming(self):
        self.chef.b2b_monthly_budget = 2000.0
        self.chef.b2b_order_limit = 20.0
        self.submit(self.chef, {self.cola: 1})
        self.authenticate("b2b_chef", "b2b_chef")
        dashboard = self.url_open("/b2b").text
        block = re.search(r'class="[^"]*o_b2b_spending.*?</ul>', dashboard, re.S).group(0)
        spending = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", block))
        self.assertRegex(spending, r"Your orders this month: \S* ?16\.00 of \S* ?2,000\.00")
        self.assertRegex(spending, r"Your limit per order: \S* ?20\.00")
        self.post("/b2b/cart/add", {"product_id": self.cola.id, "add_qty": "2"})
        cart = self.url_open("/b2b/cart").text
        self.assertIn("o_b2b_company_approval_notice", cart)
        self.assertIn("over your limit", cart)
        response = self.post("/b2b/cart/submit", {})
        order = self.env["sale.order"].search([("partner_id", "=", self.chef.id)], order="id desc", limit=1)
        self.assertEqual(order.b2b_state, "company_pending")
        self.assertIn("Awaiting approval by your company", response.text)
        # Counted on the dashboard among the orders awaiting approval (the office's or the company's).
        # The one sent earlier, and this one.
        self.assertRegex(self.url_open("/b2b").text, r'o_b2b_pending_count"[^>]*>2<')

    def test_administrator_approves_and_rejects_from_the_portal(self):
        first = self.submit(self.requester, {self.cola: 1}, client_order_ref="PO-RITA-1")
        second = self.submit(self.requester, {self.water: 1}, client_order_ref="PO-RITA-2")
        self.authenticate(self.portal_b.login, self.portal_b.login)
        page = self.url_open("/b2b/approvals").text
        self.assertIn(first.name, page)
        self.assertIn("Rita Requester is a requester: the company approves each of its orders", page)
        line = first.order_line
        for quantity, message in (("0", "more than zero"), ("1.5", "whole number"), ("abc", "must be a number")):
            self.assertIn(message, self.post(f"/b2b/approvals/{first.id}/update",
                                             {"line_id": line.id, "quantity": quantity}).text)
        self.post(f"/b2b/approvals/{first.id}/update", {"line_id": line.id, "quantity": "3"})
        self.assertEqual((line.product_uom_qty, first.amount_total), (3.0, 48.0))
        self.assertIn("changed [T-COLA] Cola Case from 1.0 to 3.0", " ".join(first.message_ids.mapped("body")))
        self.post(f"/b2b/approvals/{first.id}/approve", {})
        response = self.post(f"/b2b/approvals/{second.id}/reject", {"reason": "Not this week"})
        self.assertIn("is rejected", response.text)
        self.assertEqual((first.b2b_state, second.b2b_state), ("pending", "rejected"))
        self.assertIn("No order awaits your approval", self.url_open("/b2b/approvals").text)
        # The requester reads the outcome on its orders page.
        self.authenticate("b2b_rita", "b2b_rita")
        orders = self.url_open("/b2b/orders").text
        self.assertIn('data-status="rejected"', orders)

    def test_administrator_sets_limits_but_never_raises_its_own(self):
        self.authenticate(self.portal_b.login, self.portal_b.login)
        self.post("/b2b/company/member", {"member_id": self.chef.id, "role": "buyer", "order_limit": "250",
                                          "monthly_budget": "2000"})
        self.assertEqual((self.chef.b2b_order_limit, self.chef.b2b_monthly_budget), (250.0, 2000.0))
        self.admin.b2b_order_limit = 100.0
        response = self.post("/b2b/company/member", {"member_id": self.admin.id, "role": "admin",
                                                     "order_limit": "", "monthly_budget": ""})
        self.assertIn("You cannot raise your own limits", response.text)
        self.assertEqual(self.admin.b2b_order_limit, 100.0)
        self.post("/b2b/company/member", {"member_id": self.admin.id, "role": "admin", "order_limit": "80",
                                          "monthly_budget": ""})
        self.assertEqual(self.admin.b2b_order_limit, 80.0)
        self.assertIn("A limit is an amount", self.post("/b2b/company/member", {
            "member_id": self.chef.id, "order_limit": "-5", "monthly_budget": "0"}).text)
        self.assertEqual(self.chef.b2b_order_limit, 250.0)

    def test_tour_administrator_invites_requester_submits_administrator_approves(self):
        self.start_tour("/b2b", "b2b_portal_company", login=self.portal_b.login)
        dora = self.env["res.partner"].search([("email", "=", "dora@b.example.com")])
        self.assertEqual((dora.parent_id, dora.b2b_role), (self.customer_b, "requester"))
        self.assertTrue(dora.user_ids._b2b_is_buyer())
        order = self.env["sale.order"].search([("partner_id", "=", self.requester.id)])
        self.assertEqual(order.b2b_state, "pending")
        self.assertIn("Approved for Bistro Test Company by Bea Buyer", " ".join(order.message_ids.mapped("body")))
