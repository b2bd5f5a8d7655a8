"""Run in `odoo shell` by scripts/bench.sh, after the /shop comparison: grow
the bench range to BENCH_SCALE_PRODUCTS (100000) products, then give three
customer companies catalogs of 1,000, 10,000 and every product (each made of
categories, so that only the size differs), for the catalog page's time
against catalog size.

The extra products are copies of the generated ones (same columns, tier
prices and stock; new names, references and 50 new categories), inserted in
SQL: creating 80,000 products through the ORM would take a quarter of an
hour and measures nothing the benchmark is about. Writes {login: catalog
size} to BENCH_JSON + ".scale".
"""

import json
import os
import sys
import time

from odoo import Command

sys.path.insert(0, os.environ.get("B2B_BENCH_DIR", "bench"))
import bench_sql

N_TOTAL = int(os.environ.get("BENCH_SCALE_PRODUCTS", "100000"))
env = env(context=dict(env.context, tracking_disable=True))  # noqa: F821 (odoo shell)
cr = env.cr


def log(message):
    print(f"[bench] {message}", flush=True)


def clone(table, key, overrides):
    """Copy each source row of ``table`` (``t.key[0]`` = b2b_clone's
    ``key[1]``) with ``overrides``."""
    return bench_sql.clone(cr, table, f"t.{key[0]} = c.{key[1]}", overrides, "b2b_clone")


started = time.time()
Product = env["product.product"]
source_ids = Product.search([("default_code", "=like", "BENCH-%")], order="id").ids
clones = N_TOTAL - len(source_ids)
if clones > 0:
    log(f"copying the range up to {N_TOTAL} products ({clones} more)")
    categories = env["product.category"].create([{"name": f"Bench category {i:02d}"} for i in range(50, 100)])
    cr.execute("""
        CREATE TEMP TABLE b2b_clone AS
        SELECT n, src.id AS src_product, src.product_tmpl_id AS src_tmpl,
               'BENCH-' || lpad((%(offset)s + n)::text, greatest(5, length((%(offset)s + n)::text)), '0') AS code,
               (%(categories)s::int[])[1 + n %% 50] AS categ_id,
               NULL::int AS new_tmpl, NULL::int AS new_product
          FROM generate_series(0, %(clones)s - 1) n
          JOIN (SELECT id, product_tmpl_id, row_number() OVER (ORDER BY id) - 1 AS rn
                  FROM product_product WHERE id = ANY(%(sources)s)) src ON src.rn = n %% %(count)s
    """, {"offset": len(source_ids), "categories": categories.ids, "clones": clones,
          "sources": source_ids, "count": len(source_ids)})
    clone("product_template", ("id", "src_tmpl"), {
        "name": "jsonb_build_object('en_US', 'Bench product ' || substr(c.code, 7))",
        "default_code": "c.code", "categ_id": "c.categ_id", "create_date": "now()", "write_date": "now()",
    })
    cr.execute("""UPDATE b2b_clone c SET new_tmpl = t.id FROM product_template t
                   WHERE t.default_code = c.code AND t.categ_id = c.categ_id""")
    clone("product_product", ("id", "src_product"), {
        "product_tmpl_id": "c.new_tmpl", "default_code": "c.code", "create_date": "now()", "write_date": "now()",
    })
    cr.execute("""UPDATE b2b_clone c SET new_product = p.id FROM product_product p
                   WHERE p.product_tmpl_id = c.new_tmpl""")
    tier_prices = clone("b2b_tier_price", ("product_tmpl_id", "src_tmpl"), {"product_tmpl_id": "c.new_tmpl"})
    quants = clone("stock_quant", ("product_id", "src_product"), {"product_id": "c.new_product"})
    cr.execute("DROP TABLE b2b_clone")
    for table in ("product_template", "product_product", "b2b_tier_price", "stock_quant"):
        cr.execute(f"ANALYZE {table}")
    env.invalidate_all()
    log(f"{clones} products, {tier_prices} tier prices and {quants} quants copied "
        f"in {time.time() - started:.0f} s")

# A category of exactly 1,000 products (taken from the last ones), so that
# every catalog of the scaling run has the same shape: categories.
Category = env["product.category"]
small = Category.search([("name", "=", "Bench category scale 1k")])
if not small:
    small = Category.create({"name": "Bench category scale 1k"})
    Product.search([("default_code", "=like", "BENCH-%")], order="id desc", limit=1000).product_tmpl_id.write(
        {"categ_id": small.id})
    env.flush_all()
    cr.execute("ANALYZE product_template")  # fresh statistics, as autovacuum keeps them
categories = Category.search([("name", "=like", "Bench category %"), ("id", "!=", small.id)], order="name")
measured = env["res.partner"].search([("name", "=", "Bench customer 0001")])
portal = env.ref("base.group_portal")
# 10,000: the first categories (each holds 1/50 of the generated range).
per_category = Product.search_count([("categ_id", "=", categories[0].id)])
wanted = {
    "1k": {"categ_ids": [Command.set(small.ids)]},
    "10k": {"categ_ids": [Command.set(categories[:max(1, round(10000 / max(per_category, 1)))].ids)]},
    "all": {"categ_ids": [Command.set((categories | small).ids)]},
}
scale = {}
for name, catalog in wanted.items():
    login = f"bench_scale_{name}"
    user = env["res.users"].search([("login", "=", login)])
    if not user:
        company = env["res.partner"].create({
            "name": f"Bench scale {name}", "is_company": True, "b2b_price_tier_id": measured.b2b_price_tier_id.id,
        })
        contact = env["res.partner"].create({"name": login, "parent_id": company.id})
        user = env["res.users"].create({"name": login, "login": login, "password": login, "partner_id": contact.id,
                                        "groups_id": [Command.set(portal.ids)]})
    company = user.partner_id.commercial_partner_id
    company.b2b_catalog_ids.unlink()
    company.b2b_catalog_ids = [Command.create({"name": f"Bench scale {name}", **catalog})]
    scale[login] = Product.sudo().search_count(company._b2b_get_product_domain())
with open(os.environ.get("BENCH_JSON", "bench.json") + ".scale", "w", encoding="utf-8") as out:
    json.dump(scale, out)
env.cr.commit()
log(f"catalog sizes for the scaling run: {scale}")
