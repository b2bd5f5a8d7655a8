"""Run in `odoo shell` after website_sale is installed on the bench database:
publish the bench products and give the measured customer's buyer a portal
login and the customer pricelist, so /shop and /b2b/catalog price alike;
then give that buyer two order lists, of 200 and of 1,000 lines (the list
page and list to cart timed by bench_http.py)."""

LIST_SIZES = (200, 1000)
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

# Two private lists of bench_buyer, of products it may order (quantities 2
# and 3 in turn); one line in ten remembers another price than today's (half
# higher, half lower), so that the page shows what changed since, as it would.
contact = env["res.users"].search([("login", "=", "bench_buyer")]).partner_id
OrderList = env["b2b.order.list"]
candidates = env["product.product"].search([("default_code", "=like", "BENCH-%")], order="default_code", limit=1500)
orderable = measured._b2b_filter_allowed_products(candidates)
for size in LIST_SIZES:
    name = f"Bench list {size}"
    OrderList.search([("owner_id", "=", contact.id), ("name", "=", name)]).unlink()
    assert len(orderable) >= size, f"only {len(orderable)} orderable products for the {name}"
    order_list = OrderList._b2b_create_for(
        contact, name, "private", {product: 2 + index % 2 for index, product in enumerate(orderable[:size])})
    for index, line in enumerate(order_list.line_ids.filtered("saved_price")):
        if index % 10 == 0:
            line.saved_price = round(line.saved_price * (1.1 if index % 20 else 0.9), 2)
    env.cr.commit()
    print(f"[bench] {name}: {len(order_list.line_ids)} lines (id {order_list.id})", flush=True)

# A handful of confirmed orders of bench_buyer, of 3 to 8 lines each, so that
# Odoo's /my/orders (timed by bench_http.py against the catalog) lists real orders.
ORDERS = 12
orders = env["sale.order"].search([("partner_id", "=", contact.id), ("client_order_ref", "=like", "BENCH-ORDER-%")])
for index in range(len(orders), ORDERS):
    order = env["sale.order"].create({
        "partner_id": contact.id,
        "client_order_ref": f"BENCH-ORDER-{index + 1:02d}",
        "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 2 + line % 3})
                       for line, product in enumerate(orderable[index * 8:index * 8 + 3 + index % 6])],
    })
    order.action_confirm()
    env.cr.commit()
orders = env["sale.order"].search([("partner_id", "=", contact.id), ("state", "=", "sale"),
                                   ("client_order_ref", "=like", "BENCH-ORDER-%")])
print(f"[bench] bench_buyer's confirmed orders: {len(orders)}", flush=True)
