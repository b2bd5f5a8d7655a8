"""Run in `odoo shell` after website_sale is installed on the bench database:
publish the bench products and give the measured customer's buyer a portal
login and the customer pricelist, so /shop and /b2b/catalog price alike."""

env = env(context=dict(env.context, tracking_disable=True))  # noqa: F821 (odoo shell)
measured = env["res.partner"].search([("name", "=", "Bench customer 0001")])
pricelist = env["product.pricelist"].search([("name", "=", "Bench customer pricelist")])
measured.property_product_pricelist = pricelist
portal = env.ref("base.group_portal")
for login in ["bench_buyer"] + [f"bench_buyer_{i}" for i in range(8)]:
    if env["res.users"].search([("login", "=", login)]):
        continue
    buyer = env["res.partner"].create({"name": login, "parent_id": measured.id})
    buyer.property_product_pricelist = pricelist
    env["res.users"].create({"name": login, "login": login, "password": login, "partner_id": buyer.id,
                             "groups_id": [(6, 0, [portal.id])]})
env["product.template"].search([("default_code", "like", "BENCH-")]).write({"is_published": True})

# Customers whose catalogs hold about 1,000, 10,000 and every product, for
# the catalog page's time against catalog size.
import json  # noqa: E402
import os  # noqa: E402

categories = env["product.category"].search([("name", "like", "Bench category")], order="name")
per_category = env["product.product"].search_count([("default_code", "like", "BENCH-")]) // max(len(categories), 1)
scale = {}
for name, wanted in (("1k", 1000), ("10k", 10000), ("all", None)):
    count = len(categories) if wanted is None else max(1, min(len(categories), round(wanted / max(per_category, 1))))
    login = f"bench_scale_{name}"
    if not env["res.users"].search([("login", "=", login)]):
        company = env["res.partner"].create({
            "name": f"Bench scale {name}", "is_company": True, "b2b_price_tier_id": measured.b2b_price_tier_id.id,
            "b2b_catalog_ids": [(0, 0, {"name": f"Bench scale {name}", "categ_ids": [(6, 0, categories[:count].ids)]})],
        })
        contact = env["res.partner"].create({"name": login, "parent_id": company.id})
        env["res.users"].create({"name": login, "login": login, "password": login, "partner_id": contact.id,
                                 "groups_id": [(6, 0, [portal.id])]})
    scale[login] = count * per_category
with open(os.environ.get("BENCH_JSON", "bench.json") + ".scale", "w", encoding="utf-8") as out:
    json.dump(scale, out)
env.cr.commit()
print("[bench] shop ready", flush=True)
