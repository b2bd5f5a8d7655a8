"""Demo data of a believable food-service distributor, loaded by
``demo/b2b_portal_demo.xml``. Records get xml ids ``b2b_portal.*_demo`` so
integrators can refer to them; nothing here runs outside demo mode."""

import random
from datetime import timedelta

from odoo import Command, api, fields, models

# (category, [(name, reference, unit, sales price, description)])
_PRODUCTS = {
    "Beverages / Soft Drinks": [
        ("Sparkling Water 0.5 L (24-pack)", "BEV-1001", "case24", 9.90, "Natural mineral water, PET bottles."),
        ("Still Water 1.5 L (6-pack)", "BEV-1002", "case6", 3.60, "Spring water, recyclable bottles."),
        ("Cola 0.33 L Can (24-pack)", "BEV-1003", "case24", 14.40, "Classic cola, aluminium cans."),
        ("Lemon Soda 0.33 L Can (24-pack)", "BEV-1004", "case24", 13.20, "Real lemon juice, lightly sparkling."),
        ("Orange Juice 1 L", "BEV-1005", "unit", 2.15, "100 % pressed oranges, chilled."),
        ("Apple Juice 1 L", "BEV-1006", "unit", 1.95, "Cloudy apple juice, not from concentrate."),
        ("Iced Tea Peach 1.5 L", "BEV-1007", "unit", 1.70, "Brewed black tea, peach flavour."),
        ("Tonic Water 0.2 L (24-pack)", "BEV-1008", "case24", 16.80, "Bar-grade tonic, glass bottles."),
    ],
    "Beverages / Coffee & Tea": [
        ("Espresso Beans 1 kg", "COF-2001", "unit", 18.50, "70/30 arabica robusta blend for espresso machines."),
        ("Filter Coffee 500 g", "COF-2002", "unit", 7.90, "Medium roast, ground for filter."),
        ("Decaf Beans 1 kg", "COF-2003", "unit", 21.00, "Swiss water process decaffeinated."),
        ("English Breakfast Tea (100 bags)", "TEA-2101", "box", 6.40, "Individually wrapped tea bags."),
        ("Green Tea Sencha (100 bags)", "TEA-2102", "box", 7.20, "Japanese-style green tea."),
        ("Hot Chocolate Powder 1 kg", "COF-2004", "unit", 9.80, "For vending and cafés."),
        ("Sugar Sticks (1000)", "COF-2005", "box", 11.50, "4 g white sugar sticks."),
        ("Coffee Creamer Portions (200)", "COF-2006", "box", 12.90, "10 g portions, long life."),
    ],
    "Dry Goods": [
        ("Basmati Rice", "DRY-3001", "kg", 2.40, "Long grain, aged basmati, sold by the kilogram."),
        ("Penne Rigate 5 kg", "DRY-3002", "unit", 8.90, "Durum wheat pasta, catering bag."),
        ("Spaghetti 5 kg", "DRY-3003", "unit", 8.70, "Durum wheat pasta, catering bag."),
        ("Plain Flour", "DRY-3004", "kg", 0.85, "Type 550 wheat flour, by the kilogram."),
        ("Caster Sugar", "DRY-3005", "kg", 1.25, "Fine white sugar, by the kilogram."),
        ("Sea Salt Fine 1 kg", "DRY-3006", "unit", 1.10, "Iodised fine sea salt."),
        ("Olive Oil Extra Virgin 5 L", "DRY-3007", "unit", 42.00, "Cold pressed, tin."),
        ("Sunflower Oil 10 L", "DRY-3008", "unit", 24.50, "High-oleic frying oil, bag in box."),
        ("Chopped Tomatoes 2.5 kg Tin", "DRY-3009", "unit", 3.90, "Italian tomatoes in juice."),
        ("Red Lentils", "DRY-3010", "kg", 2.10, "Split red lentils, by the kilogram."),
        ("Chickpeas 2.5 kg Tin", "DRY-3011", "unit", 4.20, "Cooked chickpeas in brine."),
        ("Black Pepper Ground 500 g", "DRY-3012", "unit", 9.60, "Tellicherry pepper."),
        ("Arborio Rice", "DRY-3013", "kg", 3.20, "Risotto rice, by the kilogram."),
        ("Balsamic Vinegar 5 L", "DRY-3014", "unit", 18.40, "Aceto balsamico di Modena IGP."),
    ],
    "Cleaning & Hygiene": [
        ("Dishwasher Detergent 10 L", "CLN-4001", "unit", 29.90, "For commercial dishwashers, hard water."),
        ("Rinse Aid 5 L", "CLN-4002", "unit", 17.50, "Streak-free drying."),
        ("Surface Sanitiser 5 L", "CLN-4003", "unit", 14.90, "Food-safe, kills 99.9 % of bacteria."),
        ("Hand Soap 5 L", "CLN-4004", "unit", 11.20, "Mild, unscented, refill."),
        ("Nitrile Gloves M (100)", "CLN-4005", "box", 7.50, "Powder free, blue, size M."),
        ("Nitrile Gloves L (100)", "CLN-4006", "box", 7.50, "Powder free, blue, size L."),
        ("Paper Towel Rolls (6)", "CLN-4007", "case6", 15.60, "Two-ply, centre feed."),
        ("Bin Bags 120 L (100)", "CLN-4008", "box", 13.40, "Heavy duty, black."),
        ("Scouring Pads (10)", "CLN-4009", "box", 4.30, "Green, for pots and pans."),
        ("Floor Cleaner 10 L", "CLN-4010", "unit", 19.80, "Low foam, pleasant fragrance."),
    ],
    "Packaging / Takeaway": [
        ("Kraft Takeaway Box Large (50)", "PKG-5001", "box", 16.50, "Compostable, grease resistant."),
        ("Kraft Takeaway Box Small (50)", "PKG-5002", "box", 12.50, "Compostable, grease resistant."),
        ("Paper Cup 8 oz (1000)", "PKG-5003", "box", 48.00, "Double wall, white."),
        ("Paper Cup 12 oz (1000)", "PKG-5004", "box", 56.00, "Double wall, white."),
        ("Cup Lids 8 oz (1000)", "PKG-5005", "box", 22.00, "Recyclable sip lids."),
        ("Wooden Cutlery Set (250)", "PKG-5006", "box", 18.90, "Fork, knife and napkin."),
        ("Paper Straws (500)", "PKG-5007", "box", 9.40, "Plastic free."),
        ("Aluminium Foil 45 cm x 150 m", "PKG-5008", "unit", 21.50, "Catering grade roll."),
        ("Cling Film 45 cm x 300 m", "PKG-5009", "unit", 14.30, "With cutter box."),
        ("Paper Napkins 33 cm (12 x 100)", "PKG-5010", "case12", 19.20, "White, 2-ply."),
    ],
    "Catering Equipment": [
        ("Gastronorm Pan 1/1 65 mm", "EQP-6001", "unit", 24.90, "Stainless steel, stackable."),
        ("Gastronorm Pan 1/2 65 mm", "EQP-6002", "unit", 15.90, "Stainless steel, stackable."),
        ("Chef Knife 21 cm", "EQP-6003", "unit", 39.00, "Forged steel, non-slip handle."),
        ("Cutting Board Green", "EQP-6004", "unit", 12.50, "HACCP colour coded, vegetables."),
        ("Cutting Board Red", "EQP-6005", "unit", 12.50, "HACCP colour coded, raw meat."),
        ("Food Thermometer", "EQP-6006", "unit", 19.90, "Probe, -50 to 300 °C."),
        ("Tumbler Glass 27 cl (12)", "EQP-6007", "case12", 21.60, "Toughened glass."),
        ("Dinner Plate 27 cm (12)", "EQP-6008", "case12", 45.00, "White porcelain, chip resistant."),
        ("Stock Pot 20 L", "EQP-6009", "unit", 64.00, "Induction ready, with lid."),
        ("Whisk 30 cm", "EQP-6010", "unit", 8.20, "Stainless steel balloon whisk."),
        ("Sauce Ladle 12 cl", "EQP-6011", "unit", 6.90, "Stainless steel, hanging hook."),
        ("Wine Glass 35 cl (12)", "EQP-6012", "case12", 32.40, "Crystalline, dishwasher safe."),
    ],
}

_CUSTOMERS = [
    # (key, company, city, tier, buyer name, login)
    ("alpine", "Alpine Hotels Group", "Innsbruck", "a", "Anna Berger", "anna@alpinehotels.example.com"),
    ("bistro", "Bistro Collective", "Lyon", "b", "Bruno Marchand", "bruno@bistrocollective.example.com"),
    ("campus", "Campus Catering Services", "Leeds", "c", "Claire Dawson", "claire@campuscatering.example.com"),
    ("deli", "Deli & Co", "Ghent", "d", "Dirk Peeters", "dirk@delico.example.com"),
    ("event", "Eventful Parties", "Bristol", "e", "Emma Hughes", "emma@eventful.example.com"),
]

DEMO_PASSWORD = "b2b-demo"  # noqa: S105  (demo logins, documented in the README)


class B2bDemo(models.AbstractModel):
    _name = "b2b.demo"
    _description = "B2B Portal Demo Data"

    @api.model
    def _load_demo(self):
        rng = random.Random(18)  # noqa: S311  (reproducible demo, not security)
        demo = self.with_context(tracking_disable=True, mail_notrack=True, no_reset_password=True)
        demo._ensure_chart_of_accounts()
        products = demo._create_products(rng)
        demo._create_pricing(rng, products)
        customers = demo._create_customers(products)
        demo._create_stock(rng, products)
        demo._create_history(rng, customers, products)

    def _xmlid(self, name):
        return f"b2b_portal.{name}_demo"

    def _load(self, model, records):
        """Create or update records with xml ids: ``[(name, vals)]``."""
        return self.env[model]._load_records(
            [{"xml_id": self._xmlid(name), "values": vals, "noupdate": True} for name, vals in records]
        )

    def _ensure_chart_of_accounts(self):
        company = self.env.company
        if not company.chart_template:
            self.env["account.chart.template"].try_loading("generic_coa", company, install_demo=False)

    def _create_products(self, rng):
        unit = self.env.ref("uom.product_uom_unit")
        kg = self.env.ref("uom.product_uom_kgm")
        uoms = {
            "unit": unit,
            "kg": kg,
            "box": self._load("uom.uom", [("uom_box", {
                "name": "Box", "category_id": unit.category_id.id, "uom_type": "bigger", "factor_inv": 1.0,
            })]),
        }
        for size in (6, 12, 24):
            uoms[f"case{size}"] = self._load("uom.uom", [(f"uom_case{size}", {
                "name": f"Case of {size}", "category_id": unit.category_id.id,
                "uom_type": "bigger", "factor_inv": float(size),
            })])
        root = self._load("product.category", [("categ_root", {"name": "Wholesale"})])
        categories = {}
        for path in _PRODUCTS:
            parent = root
            for depth, name in enumerate(path.split(" / ")):
                key = "/".join(path.split(" / ")[: depth + 1])
                if key not in categories:
                    slug = key.lower().replace(" & ", "_").replace(" ", "_").replace("/", "_")
                    categories[key] = self._load(
                        "product.category", [(f"categ_{slug}", {"name": name, "parent_id": parent.id})]
                    )
                parent = categories[key]
        vals = []
        for path, items in _PRODUCTS.items():
            categ = categories[path.replace(" / ", "/")]
            for name, ref, uom, price, description in items:
                vals.append((f"product_{ref.lower().replace('-', '_')}", {
                    "name": name,
                    "default_code": ref,
                    "barcode": f"540{rng.randrange(10**9, 10**10)}",
                    "list_price": price,
                    "standard_price": round(price * 0.62, 2),
                    "categ_id": categ.id,
                    "uom_id": uoms[uom].id,
                    "uom_po_id": uoms[uom].id,
                    "type": "consu",
                    "is_storable": True,
                    "sale_ok": True,
                    "purchase_ok": True,
                    "description_sale": description,
                    "invoice_policy": "delivery",
                }))
        templates = self._load("product.template", vals)
        return templates.product_variant_ids

    def _create_pricing(self, rng, products):
        tiers = [self.env.ref(f"b2b_portal.price_tier_{c}") for c in "abcde"]
        tier_discounts = (0.70, 0.76, 0.82, 0.88, 0.94)
        tier_prices = []
        # Two thirds of the products carry negotiated tier prices; the rest use the tier discount.
        for product in products.filtered(lambda p: rng.random() < 0.66):
            for tier, factor in zip(tiers, tier_discounts, strict=True):
                tier_prices.append((
                    f"tier_price_{product.default_code.lower().replace('-', '_')}_{tier.code.lower()}",
                    {"product_tmpl_id": product.product_tmpl_id.id, "tier_id": tier.id,
                     "price": round(product.list_price * factor, 2)},
                ))
        self._load("b2b.tier.price", tier_prices)
        ref = self._product_by_ref(products)
        breaks = [
            ("break_cof_2001_10", {"product_tmpl_id": ref["COF-2001"].product_tmpl_id.id, "min_qty": 10,
                                   "price_type": "discount", "discount": 5}),
            ("break_cof_2001_50", {"product_tmpl_id": ref["COF-2001"].product_tmpl_id.id, "min_qty": 50,
                                   "price_type": "discount", "discount": 12}),
            ("break_dry_3007_6", {"product_tmpl_id": ref["DRY-3007"].product_tmpl_id.id, "min_qty": 6,
                                  "price_type": "fixed", "fixed_price": 33.50}),
            ("break_pkg_5003_5", {"product_tmpl_id": ref["PKG-5003"].product_tmpl_id.id, "min_qty": 5,
                                  "price_type": "discount", "discount": 8}),
            ("break_pkg_5003_20", {"product_tmpl_id": ref["PKG-5003"].product_tmpl_id.id, "min_qty": 20,
                                   "price_type": "discount", "discount": 15,
                                   "tier_ids": [Command.set([tiers[0].id, tiers[1].id])]}),
            ("break_cleaning_10", {"categ_id": self.env.ref(self._xmlid("categ_cleaning_hygiene")).id,
                                   "min_qty": 10, "price_type": "discount", "discount": 5}),
            ("break_cleaning_40", {"categ_id": self.env.ref(self._xmlid("categ_cleaning_hygiene")).id,
                                   "min_qty": 40, "price_type": "discount", "discount": 10}),
            ("break_beverages_20", {"categ_id": self.env.ref(self._xmlid("categ_beverages")).id,
                                    "min_qty": 20, "price_type": "discount", "discount": 4}),
        ]
        self._load("b2b.volume.break", breaks)

    def _product_by_ref(self, products):
        return {p.default_code: p for p in products}

    def _create_customers(self, products):
        ref = self._product_by_ref(products)
        portal = self.env.ref("base.group_portal")
        catalog = self._load("b2b.catalog", [("catalog_beverages_cleaning", {
            "name": "Drinks, coffee and hygiene",
            "categ_ids": [Command.set([
                self.env.ref(self._xmlid("categ_beverages")).id,
                self.env.ref(self._xmlid("categ_cleaning_hygiene")).id,
            ])],
            "excluded_product_tmpl_ids": [Command.set([ref["BEV-1008"].product_tmpl_id.id])],
        })])
        full_range = self._load("b2b.catalog", [("catalog_wholesale", {
            "name": "Full wholesale range",
            "categ_ids": [Command.set([self.env.ref(self._xmlid("categ_root")).id])],
        })])
        customers = {}
        for key, company, city, tier, buyer, login in _CUSTOMERS:
            partner = self._load("res.partner", [(f"partner_{key}", {
                "name": company, "is_company": True, "city": city,
                "email": login.replace(login.split("@")[0], "orders"),
                "b2b_price_tier_id": self.env.ref(f"b2b_portal.price_tier_{tier}").id,
                "b2b_catalog_ids": [Command.set((catalog if key == "deli" else full_range).ids)],
            })])
            self._load("res.partner", [(f"partner_{key}_delivery", {
                "name": f"{company} - Kitchen", "parent_id": partner.id, "type": "delivery",
                "street": "Service entrance, Dock 2", "city": city,
            })])
            self._load("res.users", [(f"user_{key}", {
                "name": buyer, "login": login, "email": login, "password": DEMO_PASSWORD,
                "parent_id": partner.id, "groups_id": [Command.set([portal.id])],
            })])
            customers[key] = partner
        self._load("b2b.price.exception", [
            ("exception_alpine_espresso", {"partner_id": customers["alpine"].id,
                                           "product_tmpl_id": ref["COF-2001"].product_tmpl_id.id,
                                           "price_type": "fixed", "fixed_price": 11.90,
                                           "note": "Annual coffee contract 2026"}),
            ("exception_alpine_cups", {"partner_id": customers["alpine"].id,
                                       "product_tmpl_id": ref["PKG-5003"].product_tmpl_id.id,
                                       "price_type": "discount", "discount": 10, "apply_volume_breaks": True}),
            ("exception_bistro_oil", {"partner_id": customers["bistro"].id,
                                      "product_tmpl_id": ref["DRY-3007"].product_tmpl_id.id,
                                      "price_type": "fixed", "fixed_price": 31.00,
                                      "date_start": fields.Date.today() - timedelta(days=30),
                                      "date_end": fields.Date.today() + timedelta(days=90),
                                      "note": "Spring promotion"}),
        ])
        favorites = {
            "alpine": ["COF-2001", "BEV-1001", "CLN-4001", "PKG-5003"],
            "bistro": ["DRY-3007", "DRY-3002", "DRY-3009", "CLN-4003"],
            "deli": ["BEV-1005", "COF-2002", "CLN-4005"],
        }
        self._load("b2b.favorite", [
            (f"favorite_{key}_{code.lower().replace('-', '_')}",
             {"partner_id": customers[key].id, "product_id": ref[code].id, "default_qty": qty, "sequence": seq})
            for key, codes in favorites.items()
            for seq, (code, qty) in enumerate(zip(codes, (10, 6, 4, 2), strict=False))
        ])
        return customers

    def _create_stock(self, rng, products):
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", self.env.company.id)], limit=1)
        Quant = self.env["stock.quant"].with_context(inventory_mode=True)
        ref = self._product_by_ref(products)
        zero = {"BEV-1008", "DRY-3012", "CLN-4006", "EQP-6009"}
        low = {"COF-2003", "DRY-3010", "PKG-5004", "EQP-6003", "CLN-4010", "BEV-1004"}
        quants = Quant
        for product in products:
            code = product.default_code
            if code in zero:
                continue
            qty = rng.randint(2, 8) if code in low else rng.randint(60, 600)
            quants |= Quant.create({
                "product_id": product.id, "location_id": warehouse.lot_stock_id.id, "inventory_quantity": qty,
            })
        quants.action_apply_inventory()
        # One product out of stock with a receipt on its way.
        vendor = self._load("res.partner", [("partner_vendor", {
            "name": "Nordic Food Imports", "is_company": True, "city": "Hamburg"})])
        receipt = self.env["stock.picking"].create({
            "partner_id": vendor.id,
            "picking_type_id": warehouse.in_type_id.id,
            "location_id": self.env.ref("stock.stock_location_suppliers").id,
            "location_dest_id": warehouse.lot_stock_id.id,
            "scheduled_date": fields.Datetime.now() + timedelta(days=6),
            "move_ids": [Command.create({
                "name": ref["BEV-1008"].name, "product_id": ref["BEV-1008"].id,
                "product_uom_qty": 120, "product_uom": ref["BEV-1008"].uom_id.id,
                "location_id": self.env.ref("stock.stock_location_suppliers").id,
                "location_dest_id": warehouse.lot_stock_id.id,
            })],
        })
        receipt.action_confirm()

    def _create_history(self, rng, customers, products):
        """Orders of the last months: confirmed, delivered, invoiced, partly
        paid, overdue, so the dashboard and the office have something to show."""
        in_stock = products.filtered(lambda p: p.qty_available > 20)
        today = fields.Date.today()
        for key, partner in customers.items():
            allowed = partner._b2b_filter_allowed_products(in_stock)
            for age, stage in ((75, "overdue"), (50, "partly_paid"), (30, "paid"),
                               (12, "delivered"), (3, "confirmed")):
                order = self.env["sale.order"].create({
                    "partner_id": partner.id,
                    "client_order_ref": f"PO-{key[:3].upper()}-{rng.randint(1000, 9999)}",
                    "date_order": fields.Datetime.now() - timedelta(days=age),
                    "order_line": [Command.create({"product_id": p.id, "product_uom_qty": rng.randint(1, 12)})
                                   for p in rng.sample(list(allowed), 4)],
                })
                order.action_confirm()
                order.date_order = fields.Datetime.now() - timedelta(days=age)
                if stage == "confirmed":
                    continue
                order.picking_ids.action_assign()
                for move in order.picking_ids.move_ids:
                    move.quantity = move.product_uom_qty
                    move.picked = True
                order.picking_ids._action_done()
                if stage == "delivered":
                    continue
                invoice = order._create_invoices()
                invoice.invoice_date = today - timedelta(days=age - 2)
                invoice.invoice_payment_term_id = self.env.ref("account.account_payment_term_30days")
                invoice.action_post()
                if stage in ("paid", "partly_paid"):
                    amount = invoice.amount_total if stage == "paid" else round(invoice.amount_total / 2, 2)
                    self.env["account.payment.register"].with_context(
                        active_model="account.move", active_ids=invoice.ids
                    ).create({"amount": amount, "payment_date": today - timedelta(days=age - 20)})._create_payments()
