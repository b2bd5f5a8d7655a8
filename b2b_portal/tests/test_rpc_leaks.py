from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .common import B2bHttpMixin, B2bPortalCommon


@tagged("post_install", "-at_install")
class TestRpcLeaks(B2bHttpMixin, HttpCase, B2bPortalCommon):
    """A portal user can call Odoo's JSON-RPC: prices must be guarded there too."""

    def call(self, model, method, *args, **kwargs):
        return self.make_jsonrpc_request(f"/web/dataset/call_kw/{model}/{method}", {
            "model": model, "method": method, "args": list(args), "kwargs": kwargs,
        })

    def assert_refused(self, model, method, *args, **kwargs):
        """The JSON-RPC call answers with Odoo's AccessError, nothing else."""
        with self.assertRaises(JsonRpcException, msg=f"{model}.{method} answered") as refused:
            self.call(model, method, *args, **kwargs)
        self.assertEqual(str(refused.exception), "odoo.exceptions.AccessError")

    def test_json_rpc_reveals_no_pricing_rule_and_no_other_company(self):
        self.authenticate(self.portal_b.login, self.portal_b.login)
        for model in ("b2b.tier.price", "b2b.price.exception", "b2b.volume.break", "b2b.catalog",
                      "b2b.price.tier", "b2b.price.check"):
            with self.subTest(model=model):
                self.assert_refused(model, "search_read", [], fields=[])
        self.assert_refused("product.template", "read", [self.cola.product_tmpl_id.id], ["b2b_tier_price_ids"])
        self.assert_refused("b2b.pricing", "_get_prices", self.customer_c.id, [self.water.id])
        # Orders, lines and favourites of company C stay out of reach.
        self.assertEqual(self.call("sale.order", "search_read", [("id", "=", self.order_c.id)], fields=["name"]), [])
        lines = self.call("sale.order.line", "search_read", [], fields=["price_unit"])
        self.assertNotIn(18.5, [line["price_unit"] for line in lines])
        self.env["b2b.favorite"].create({"partner_id": self.customer_c.id, "product_id": self.cola.id})
        self.assertEqual(self.call("b2b.favorite", "search_read", [], fields=["partner_id"]), [])

    def test_orm_as_portal_user(self):
        env = self.env(user=self.portal_b)
        with self.assertRaises(AccessError):
            env["b2b.price.exception"].browse(self.secret_c.id).read(["fixed_price"])
        self.assertFalse(env["sale.order"].search([("id", "=", self.order_c.id)]))
        self.assertFalse(env["product.product"].search([("id", "=", self.cola.id), ("sale_ok", "=", False)]))

    def rpc_error(self, model, method, *args):
        """``(exception name, message)`` of a JSON-RPC call that must fail."""
        response = self.json_call(f"/web/dataset/call_kw/{model}/{method}", {
            "model": model, "method": method, "args": list(args), "kwargs": {},
        })
        self.assertNotIn("result", response, f"{model}.{method} answered")
        return response["error"]["data"]["name"], response["error"]["data"]["message"]

    def test_methods_taking_the_portals_arguments_are_not_callable_over_rpc(self):
        cart = self.env["sale.order"]._b2b_get_cart(self.buyer_b, create=True)
        cart._b2b_add_products({self.cola: 2})
        self.authenticate(self.portal_b.login, self.portal_b.login)
        for method, args in (
            ("_b2b_submit", [[cart.id]]),
            ("_b2b_add_products", [[cart.id], {}]),
            ("_b2b_approve", [[cart.id]]),
            ("_b2b_get_cart", [self.buyer_c.id, True]),
        ):
            with self.subTest(method=method):
                self.assertEqual(self.rpc_error("sale.order", method, *args), (
                    "odoo.exceptions.AccessError", f"Private methods (such as {method}) cannot be called remotely.",
                ))
        # The old public name is gone; the office's approval refuses a buyer.
        with mute_logger("odoo.http"):  # Odoo logs the AttributeError of an unknown method
            _name, message = self.rpc_error("sale.order", "action_b2b_submit", [cart.id])
        self.assertIn("action_b2b_submit", message)
        self.assertEqual(self.rpc_error("sale.order", "action_b2b_approve", [cart.id])[0],
                         "odoo.exceptions.AccessError")
        self.assertEqual((cart.b2b_state, cart.state), ("cart", "draft"))
