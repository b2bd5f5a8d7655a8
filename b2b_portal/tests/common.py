import re
from contextlib import suppress
from datetime import date
from unittest.mock import patch

from odoo import Command
from odoo.tests import common as odoo_tests_common
from odoo.tests import new_test_user
from odoo.tests.common import JsonRpcException

from odoo.addons.sale.tests.common import SaleCommon


def json_strings(value, where="answer"):
    """Every string of a decoded JSON value, keys included, with where it
    is in it (``answer["result"]["html"]``), for checks of what an answer
    says rather than of its encoding (which escapes quotes, control
    characters and anything outside ASCII)."""
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from json_strings(key, f"the key {key!r} of {where}")
            yield from json_strings(item, f"{where}[{key!r}]")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from json_strings(item, f"{where}[{index}]")


class B2bCommon(SaleCommon):
    """A small distributor of its own on Odoo's sale test fixtures (their
    company in US dollars, units of measure, salesperson and groups): a
    category tree, products in several units, two customer companies on
    tiers B and C, and users of each role. Independent of demo data and of
    the installed localisation."""

    @classmethod
    def default_env_context(cls):
        """Tracking off, the rest of mail on: the tests read the messages and
        emails the addon posts (BaseCommon turns them all off)."""
        return {"tracking_disable": True}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = date(2026, 6, 15)
        # The distributor's address, which its emails (portal invitations...) are sent from.
        cls.env.company.email = "office@distributor.example.com"
        cls.tier_a = cls.env.ref("b2b_portal.price_tier_a")
        cls.tier_b = cls.env.ref("b2b_portal.price_tier_b")  # 15 % off
        cls.tier_c = cls.env.ref("b2b_portal.price_tier_c")  # 10 % off
        cls.tier_b.discount = 15.0
        cls.tier_c.discount = 10.0

        Category = cls.env["product.category"]
        cls.categ_root = Category.create({"name": "B2B Test Root"})
        cls.categ_drinks = Category.create({"name": "Drinks", "parent_id": cls.categ_root.id})
        cls.categ_soft = Category.create({"name": "Soft", "parent_id": cls.categ_drinks.id})
        cls.categ_tools = Category.create({"name": "Tools", "parent_id": cls.categ_root.id})

        cls.cola = cls._create_product("Cola Case", "T-COLA", 20.0, cls.categ_soft)
        cls.water = cls._create_product("Water Case", "T-WATER", 10.0, cls.categ_soft)
        cls.rice = cls._create_product("Rice", "T-RICE", 2.5, cls.categ_root, uom=cls.uom_kgm)
        cls.knife = cls._create_product("Knife", "T-KNIFE", 40.0, cls.categ_tools)

        # A template with two variants, one carrying a price extra.
        size = cls.env["product.attribute"].create({
            "name": "Size",
            "value_ids": [Command.create({"name": "S"}), Command.create({"name": "L"})],
        })
        cls.gloves_tmpl = cls.env["product.template"].create({
            "name": "Gloves",
            "default_code": "T-GLOVES",
            "list_price": 8.0,
            "categ_id": cls.categ_tools.id,
            "taxes_id": [Command.clear()],
            "is_storable": True,
            "attribute_line_ids": [Command.create({
                "attribute_id": size.id, "value_ids": [Command.set(size.value_ids.ids)],
            })],
        })
        ptav_l = cls.gloves_tmpl.attribute_line_ids.product_template_value_ids.filtered(
            lambda v: v.name == "L"
        )
        ptav_l.price_extra = 2.0
        by_size = {p.product_template_attribute_value_ids.name: p for p in cls.gloves_tmpl.product_variant_ids}
        cls.gloves_s, cls.gloves_l = by_size["S"], by_size["L"]

        Partner = cls.env["res.partner"]
        cls.customer_b = Partner.create({
            "name": "Bistro Test Company", "is_company": True, "b2b_price_tier_id": cls.tier_b.id,
        })
        cls.buyer_b = Partner.create({"name": "Bea Buyer", "parent_id": cls.customer_b.id})
        cls.customer_c = Partner.create({
            "name": "Canteen Test Company", "is_company": True, "b2b_price_tier_id": cls.tier_c.id,
        })
        cls.customer_plain = Partner.create({"name": "No Tier Company", "is_company": True})

        cls.salesman = cls.sale_user  # Odoo's salesperson (SalesTeamCommon), no representative
        cls.pricing_manager = new_test_user(
            cls.env, login="b2b_pricing_manager", groups="b2b_portal.group_b2b_pricing_manager",
            name="Pia Pricing",
        )

    @classmethod
    def _create_product(cls, name, code, price, categ, uom=None, **vals):
        """A storable product without taxes, sold and bought in ``uom`` (units by default)."""
        uom = uom or cls.uom_unit
        return super()._create_product(
            name=name, default_code=code, list_price=price, categ_id=categ.id, uom_id=uom.id, uom_po_id=uom.id,
            taxes_id=[Command.clear()], is_storable=True, **vals,
        )

    def price_of(self, product, qty=1.0, partner=None, on=None, **kwargs):
        partner = partner or self.customer_b
        return self.env["b2b.pricing"]._get_prices(
            partner, product, {product.id: qty}, on or self.today, **kwargs
        )[product.id]

    @classmethod
    def set_tier_price(cls, product, tier, price):
        return cls.env["b2b.tier.price"].create({
            "product_tmpl_id": product.product_tmpl_id.id, "tier_id": tier.id, "price": price,
        })

    @classmethod
    def add_exception(cls, product, partner=None, variant=False, **vals):
        """An exception on ``product``'s template, or on the variant itself with ``variant=True``."""
        vals.setdefault("price_type", "fixed")
        return cls.env["b2b.price.exception"].create({
            "partner_id": (partner or cls.customer_b).id,
            "product_tmpl_id": product.product_tmpl_id.id,
            "product_id": product.id if variant else False,
            **vals,
        })

    @classmethod
    def add_break(cls, min_qty, target, **vals):
        field = "categ_id" if target._name == "product.category" else "product_tmpl_id"
        record = target if field == "categ_id" else target.product_tmpl_id
        vals.setdefault("price_type", "discount")
        return cls.env["b2b.volume.break"].create({field: record.id, "min_qty": min_qty, **vals})


class B2bPortalCommon(B2bCommon):
    """Adds portal buyers of two companies, stock and an order history."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.set_tier_price(cls.cola, cls.tier_b, 16.0)
        cls.add_break(10, cls.cola, discount=10.0)
        cls.set_tier_price(cls.cola, cls.tier_c, 18.5)
        cls.secret_c = cls.add_exception(cls.water, partner=cls.customer_c, fixed_price=3.33)
        cls.warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.env.company.id)], limit=1)
        stock = cls.warehouse.lot_stock_id
        Quant = cls.env["stock.quant"]
        Quant._update_available_quantity(cls.cola, stock, 250)
        Quant._update_available_quantity(cls.water, stock, 4)  # low
        Quant._update_available_quantity(cls.rice, stock, 80)
        cls.catalog_c = cls.env["b2b.catalog"].create({"name": "Drinks only", "categ_ids": [cls.categ_drinks.id]})
        cls.customer_c.b2b_catalog_ids = cls.catalog_c
        cls.buyer_c = cls.env["res.partner"].create({"name": "Carl Buyer", "parent_id": cls.customer_c.id})
        cls.portal_b = cls._create_portal_user("b2b_buyer_b", cls.buyer_b)
        cls.portal_c = cls._create_portal_user("b2b_buyer_c", cls.buyer_c)
        cls.portal_plain = cls._create_portal_user(
            "b2b_plain", cls.env["res.partner"].create({"name": "Pat Plain", "parent_id": cls.customer_plain.id})
        )
        cls.order_c = cls._confirmed_order(cls.customer_c, cls.cola, 3, "PO-SECRET-C")

    @classmethod
    def _create_portal_user(cls, login, partner):
        # A buyer's email: the address its own emails (invitations it sends) come from.
        partner.email = partner.email or (login if "@" in login else f"{login}@customer.example.com")
        return cls.env["res.users"].create({
            "name": partner.name,
            "login": login,
            "password": login,
            "partner_id": partner.id,
            "groups_id": [Command.set(cls.group_portal.ids)],
        })

    @classmethod
    def _confirmed_order(cls, partner, product, qty, ref):
        order = cls.env["sale.order"].create({
            "partner_id": partner.id,
            "client_order_ref": ref,
            "order_line": [Command.create({"product_id": product.id, "product_uom_qty": qty})],
        })
        order.action_confirm()
        return order

    def cart_of(self, partner):
        return self.env["sale.order"]._b2b_get_cart(partner)


class B2bHttpMixin:
    """For HttpCase classes: readonly routes stay readonly in tests (a write
    in one fails), so take Odoo's device log out of the way. It writes from a
    readonly request through a second test cursor, which Odoo's test cursor
    cannot nest and which blocks the request until it times out."""

    def setUp(self):
        super().setUp()
        self.patch(type(self.env["res.device"]), "_update_device", lambda self, request: None)

    def post_form(self, path, data):
        """A form's POST as the browser sends it (the page's CSRF token), redirects followed."""
        page = self.url_open("/my")
        token = re.search(r'csrf_token: "([^"]+)"', page.text).group(1)
        return self.url_open(path, data={**data, "csrf_token": token})

    def json_call(self, path, params=None):
        """The decoded answer of Odoo's JSON-RPC call (``make_jsonrpc_request``)
        to ``path``: ``{"result": ...}``, or ``{"error": {..., "data": {"name",
        "message"}}}`` for the tests that read a refusal, which Odoo's helper
        raises with the error's name only. An HTTP error status raises."""
        responses = []
        url_open = self.url_open

        def keep_response(*args, **kwargs):
            responses.append(url_open(*args, **kwargs))
            return responses[-1]

        with patch.object(self, "url_open", keep_response), suppress(JsonRpcException):
            self.make_jsonrpc_request(path, params)
        return responses[-1].json()

    def payment_form_params(self, **params):
        """What the payment form sends to a transaction route (demo provider)."""
        provider = self.env.ref("payment.payment_provider_demo")
        return {
            "provider_id": provider.id, "payment_method_id": provider.payment_method_ids[:1].id,
            "token_id": None, "flow": "direct", "tokenization_requested": False,
            "landing_route": "/b2b/invoices", "is_validation": False, "access_token": None, **params,
        }


class B2bPhoneMixin:
    """For HttpCase classes whose tours run on a phone: a 390 by 844 screen,
    by touch. Headless Chromium keeps its window at least 500 pixels wide
    whatever ``browser_size`` says, so the page's viewport is set through
    the DevTools protocol, as Chromium's own device emulation does."""

    browser_size = "390x844"
    touch_enabled = True

    def setUp(self):
        super().setUp()
        width, height = (int(size) for size in self.browser_size.split("x"))

        class PhoneChromeBrowser(odoo_tests_common.ChromeBrowser):
            def __init__(browser, *args, **kwargs):  # the test case is ``self`` here
                super().__init__(*args, **kwargs)
                browser._websocket_request("Emulation.setDeviceMetricsOverride", params={
                    "width": width, "height": height, "deviceScaleFactor": 3, "mobile": True,
                })

        self.patch(odoo_tests_common, "ChromeBrowser", PhoneChromeBrowser)
