"""Pricing benchmark, run inside `odoo shell` by scripts/bench.sh.

Builds a distributor at scale in the bench database, the same prices both as
B2B rules and as Odoo pricelists (one fixed-price pricelist for the measured
tier with a percentage fallback, and a customer pricelist holding that
customer's exceptions and breaks, falling back to the tier pricelist), checks
on a sample that both give the same price, then times both engines in this
one process: median of cold-cache runs, with SQL query counts.

Sizes come from environment variables: BENCH_PRODUCTS (20000),
BENCH_CUSTOMERS (2000), BENCH_EXCEPTIONS (5000), BENCH_BREAKS (300),
BENCH_RUNS (3). Writes the table as JSON to BENCH_JSON.
"""

import json
import os
import random
import statistics
import time

from odoo import Command

N_PRODUCTS = int(os.environ.get("BENCH_PRODUCTS", "20000"))
N_CUSTOMERS = int(os.environ.get("BENCH_CUSTOMERS", "2000"))
N_EXCEPTIONS = int(os.environ.get("BENCH_EXCEPTIONS", "5000"))
N_BREAKS = int(os.environ.get("BENCH_BREAKS", "300"))
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
SIZES = [size for size in (40, 1000, 10000) if size <= N_PRODUCTS]
rng = random.Random(5)  # noqa: S311 (reproducible data)
env = env(context=dict(env.context, tracking_disable=True, mail_create_nolog=True))  # noqa: F821 (odoo shell)


def log(message):
    print(f"[bench] {message}", flush=True)


def batched_create(model, vals_list, size=5000):
    records = env[model]
    for start in range(0, len(vals_list), size):
        records |= env[model].create(vals_list[start:start + size])
        env.cr.commit()
    return records


started = time.time()
tiers = env["b2b.price.tier"].search([], order="sequence")
categories = batched_create("product.category", [{"name": f"Bench category {i:02d}"} for i in range(50)])
log(f"creating {N_PRODUCTS} products")
products = batched_create("product.product", [{
    "name": f"Bench product {i:05d}",
    "default_code": f"BENCH-{i:05d}",
    "list_price": round(rng.uniform(1, 200), 2),
    "categ_id": categories[i % 50].id,
    "is_storable": True,
    "taxes_id": [Command.clear()],
} for i in range(N_PRODUCTS)])
templates = products.product_tmpl_id
priced = [t for t in templates if rng.random() < 2 / 3]
log(f"creating {len(priced) * len(tiers)} tier prices")
batched_create("b2b.tier.price", [
    {"product_tmpl_id": t.id, "tier_id": tier.id, "price": round(t.list_price * (0.7 + 0.05 * n), 2)}
    for t in priced for n, tier in enumerate(tiers)
])
log(f"creating {N_CUSTOMERS} customers")
customers = batched_create("res.partner", [
    {"name": f"Bench customer {i:04d}", "is_company": True, "b2b_price_tier_id": tiers[i % len(tiers)].id}
    for i in range(N_CUSTOMERS)
])
# Breaks: on 2/3 category and 1/3 product level, discounts only, no tier restriction.
break_templates = rng.sample(list(templates), N_BREAKS // 3)
break_categories = rng.sample(list(categories), min(len(categories), N_BREAKS - len(break_templates)) // 4 or 1)
breaks = [{"product_tmpl_id": t.id, "min_qty": 20, "price_type": "discount", "discount": 7} for t in break_templates]
for categ in break_categories:
    breaks += [{"categ_id": categ.id, "min_qty": qty, "price_type": "discount", "discount": d}
               for qty, d in ((10, 3), (50, 6))]
batched_create("b2b.volume.break", breaks)
# Exceptions (fixed, net) on products without product-level breaks, as the native
# pricelist would otherwise let a break rule beat the exception.
no_break = [t for t in templates if t not in set(break_templates)]
measured = customers[1]  # tier B
exception_vals = [{"partner_id": measured.id, "product_tmpl_id": t.id, "fixed_price": round(t.list_price * 0.6, 2)}
                  for t in rng.sample(no_break, min(1000, N_EXCEPTIONS))]
exception_vals += [{"partner_id": rng.choice(customers).id, "product_tmpl_id": rng.choice(no_break).id,
                    "fixed_price": 1.0} for _i in range(max(0, N_EXCEPTIONS - len(exception_vals)))]
batched_create("b2b.price.exception", exception_vals)
batched_create("b2b.catalog", [{"name": f"Bench catalog {i}", "categ_ids": [Command.set(categories[i::10].ids)]}
                               for i in range(10)])
log("stock for two thirds of the products")
stock = env["stock.warehouse"].search([], limit=1).lot_stock_id
env["stock.quant"].with_context(inventory_mode=True).create([
    {"product_id": p.id, "location_id": stock.id, "inventory_quantity": rng.randint(1, 500)}
    for p in products if rng.random() < 2 / 3
]).action_apply_inventory()
env.cr.commit()

log("the same prices as native pricelists")
tier = measured.b2b_price_tier_id
tier_prices = {tp.product_tmpl_id.id: tp.price for tp in env["b2b.tier.price"].search([("tier_id", "=", tier.id)])}
Pricelist = env["product.pricelist"]
tier_pricelist = Pricelist.create({"name": f"Tier {tier.code}", "item_ids": [
    Command.create({"applied_on": "3_global", "compute_price": "percentage", "percent_price": tier.discount}),
]})
batched_create("product.pricelist.item", [
    {"pricelist_id": tier_pricelist.id, "applied_on": "1_product", "product_tmpl_id": tmpl_id,
     "compute_price": "fixed", "fixed_price": price}
    for tmpl_id, price in tier_prices.items()
])
items = [{"applied_on": "1_product", "product_tmpl_id": vals["product_tmpl_id"], "compute_price": "fixed",
          "fixed_price": vals["fixed_price"]} for vals in exception_vals if vals["partner_id"] == measured.id]
items += [{"applied_on": "1_product", "product_tmpl_id": t.id, "min_quantity": 20, "compute_price": "formula",
           "base": "pricelist", "base_pricelist_id": tier_pricelist.id, "price_discount": 7}
          for t in break_templates]
items += [{"applied_on": "2_product_category", "categ_id": categ.id, "min_quantity": qty, "compute_price": "formula",
           "base": "pricelist", "base_pricelist_id": tier_pricelist.id, "price_discount": d}
          for categ in break_categories for qty, d in ((10, 3), (50, 6))]
items += [{"applied_on": "3_global", "compute_price": "formula", "base": "pricelist",
           "base_pricelist_id": tier_pricelist.id}]
customer_pricelist = Pricelist.create({"name": "Bench customer pricelist"})
batched_create("product.pricelist.item", [dict(item, pricelist_id=customer_pricelist.id) for item in items])
env.cr.commit()
log(f"data ready in {time.time() - started:.0f} s")

Pricing = env["b2b.pricing"]


def engine(records, qty):
    return Pricing._get_prices(measured, records, dict.fromkeys(records.ids, qty))


def native(records, qty):
    return customer_pricelist._get_products_price(records, qty)


sample = products.browse(rng.sample(products.ids, 300))
mismatches = []
for qty in (1, 60):
    ours, theirs = engine(sample, qty), native(sample, qty)
    mismatches += [(p.default_code, qty, ours[p.id].price, theirs[p.id]) for p in sample
                   if abs(ours[p.id].price - theirs[p.id]) > 0.011]
log(f"same price on {600 - len(mismatches)} of 600 samples"
    + (f", first differences: {mismatches[:5]}" if mismatches else ""))


def measure(func, records, qty):
    timings, queries = [], []
    for _run in range(RUNS):
        env.invalidate_all()
        env.registry.clear_cache()
        before, start = env.cr.sql_log_count, time.perf_counter()
        func(records, qty)
        timings.append(time.perf_counter() - start)
        queries.append(env.cr.sql_log_count - before)
    return statistics.median(timings), max(queries)


rows = []
for size in SIZES:
    records = products[:size]
    for qty in (1, 60):
        ours, ours_q = measure(engine, records, qty)
        theirs, theirs_q = measure(native, records, qty)
        rows.append({"products": size, "quantity": qty, "engine_s": round(ours, 4), "engine_queries": ours_q,
                     "native_s": round(theirs, 4), "native_queries": theirs_q,
                     "speedup": round(theirs / ours, 1) if ours else None})
print()
print(f"{'products':>9} {'qty':>4} {'engine s':>9} {'queries':>7} {'native s':>9} {'queries':>7} {'native/engine':>13}")
for row in rows:
    print(f"{row['products']:>9} {row['quantity']:>4} {row['engine_s']:>9.4f} {row['engine_queries']:>7} "
          f"{row['native_s']:>9.4f} {row['native_queries']:>7} {row['speedup']:>12}x")
log("cart submit at 200 and 1,000 lines")
buyer = env["res.partner"].create({"name": "Bench buyer", "parent_id": measured.id})
submits = []
for lines in (200, 1000):
    if lines > len(products):
        continue
    cart = env["sale.order"]._b2b_get_cart(buyer, create=True)
    cart._b2b_add_products(dict.fromkeys(products[:lines], 3))
    env.cr.commit()
    # The order rules as the cart page shows them (charges, minimum, credit,
    # overdue hold) and as the submit checks them: queries per cart size,
    # Odoo's caches (ormcache) warmed by a first call as on a running server.
    cart._b2b_cart_summary()
    env.invalidate_all()
    before = env.cr.sql_log_count
    cart._b2b_cart_summary()
    summary_queries = env.cr.sql_log_count - before
    env.invalidate_all()
    before = env.cr.sql_log_count
    cart._b2b_order_rules()
    rules_queries = env.cr.sql_log_count - before
    env.invalidate_all()
    before, start = env.cr.sql_log_count, time.perf_counter()
    assert cart._b2b_submit(client_order_ref=f"BENCH-{lines}") == []
    submits.append({"lines": lines, "seconds": round(time.perf_counter() - start, 3),
                    "queries": env.cr.sql_log_count - before,
                    "summary_queries": summary_queries, "rules_queries": rules_queries})
    env.cr.commit()
for row in submits:
    print(f"submit {row['lines']:>5} lines: {row['seconds']:.3f} s, {row['queries']} queries; "
          f"cart summary {row['summary_queries']} queries, order rules {row['rules_queries']} queries")
if len(submits) == 2:
    log(f"1,000-line submit takes {submits[1]['seconds'] / submits[0]['seconds']:.1f}x the 200-line one")
result = {"sizes": {"products": N_PRODUCTS, "customers": N_CUSTOMERS, "exceptions": N_EXCEPTIONS,
                    "breaks": len(breaks), "catalogs": 10},
          "sample_mismatches": len(mismatches), "pricing": rows, "submit": submits}
with open(os.environ.get("BENCH_JSON", "bench.json"), "w", encoding="utf-8") as out:
    json.dump(result, out, indent=2)
log(f"written {os.environ.get('BENCH_JSON')}")
