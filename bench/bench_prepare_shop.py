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

env.cr.commit()
print("[bench] shop ready", flush=True)
