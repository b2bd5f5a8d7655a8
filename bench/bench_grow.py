"""Run in `odoo shell` by scripts/bench.sh on a copy of the bench database
(`createdb -T`): grow it to the large size of the flatness run, in SQL.

Sizes (totals, not additions) from BENCH_LARGE_PRODUCTS (200000),
BENCH_LARGE_CUSTOMERS (50000), BENCH_LARGE_EXCEPTIONS (1000000),
BENCH_LARGE_BREAKS (20000) and BENCH_LARGE_CATALOGS (500). Every table only
grows (a size already reached is left as is).

- products: copies of the bench range (template, variant, tier prices,
  stock), in the same categories, references BENCH-100000 and on;
- customers: companies copied from the bench customers (their tier in turn),
  each its own commercial partner;
- price exceptions: about 20 per grown customer, on products of the whole
  range: fixed prices and discounts, one in ten with a date window (current
  or past), one in twenty on a variant, one in twenty archived;
- volume breaks: on products and on categories, one in five for some tiers
  only;
- catalogs: 3 categories and 20 products each, every grown customer in one.

The measured customer ("Bench customer 0001", its buyers, lists and carts)
keeps exactly its own data, and no new rule lands on what the measured
requests price (the first 2,000 bench products, and tier B for category
breaks): the large database then asks the same questions of tables that hold
far more rows, which is what "flat" is about. Through the ORM this would take
hours (a million exceptions, each with its constraints) and measure nothing
of interest; the grown rows are then read through the ORM, and priced by the
engine for a grown customer, to check they are valid records.
"""

import os
import sys
import time

sys.path.insert(0, os.environ.get("B2B_BENCH_DIR", "bench"))
import bench_sql

env = env(context=dict(env.context, tracking_disable=True))  # noqa: F821 (odoo shell)
cr = env.cr
SIZES = {name: int(os.environ.get(f"BENCH_LARGE_{name.upper()}", default)) for name, default in (
    ("products", "200000"), ("customers", "50000"), ("exceptions", "1000000"), ("breaks", "20000"),
    ("catalogs", "500"))}
MEASURED = "Bench customer 0001"
UNTOUCHED_PRODUCTS = 2000  # the first bench products: the engine's 1,000, the lists', the catalog's first page


def log(message):
    print(f"[grow] {message}", flush=True)


def clone(table, join, overrides, source="b2b_grow"):
    return bench_sql.clone(cr, table, join, overrides, source)


def count(sql, params=None):
    cr.execute(sql, params)
    return cr.fetchone()[0]


started = time.time()
measured = env["res.partner"].search([("name", "=", MEASURED), ("is_company", "=", True)])
assert len(measured) == 1, f"no {MEASURED}: not a bench database"
tier_b = measured.b2b_price_tier_id

# Products -----------------------------------------------------------------
cr.execute("""SELECT p.id, p.product_tmpl_id FROM product_product p
               WHERE p.default_code LIKE 'BENCH-%%' ORDER BY p.id""")
sources = cr.fetchall()
more = SIZES["products"] - len(sources)
if more > 0:
    step = time.time()
    cr.execute("""
        CREATE TEMP TABLE b2b_grow AS
        SELECT n, src.id AS src_product, src.product_tmpl_id AS src_tmpl,
               'BENCH-' || lpad((%(offset)s + n)::text, greatest(5, length((%(offset)s + n)::text)), '0') AS code,
               NULL::int AS new_tmpl, NULL::int AS new_product
          FROM generate_series(0, %(more)s - 1) n
          JOIN (SELECT id, product_tmpl_id, row_number() OVER (ORDER BY id) - 1 AS rn
                  FROM product_product WHERE id = ANY(%(sources)s)) src ON src.rn = n %% %(count)s
    """, {"offset": len(sources), "more": more, "sources": [pid for pid, _t in sources], "count": len(sources)})
    cr.execute("CREATE INDEX ON b2b_grow (code)")
    clone("product_template", "t.id = c.src_tmpl", {
        "name": "jsonb_build_object('en_US', 'Bench product ' || substr(c.code, 7))",
        "default_code": "c.code", "create_date": "now()", "write_date": "now()",
    })
    cr.execute("""UPDATE b2b_grow c SET new_tmpl = t.id FROM product_template t
                   WHERE t.default_code = c.code AND t.id > %s""", [max(tmpl for _p, tmpl in sources)])
    clone("product_product", "t.id = c.src_product", {
        "product_tmpl_id": "c.new_tmpl", "default_code": "c.code", "create_date": "now()", "write_date": "now()",
    })
    cr.execute("""UPDATE b2b_grow c SET new_product = p.id FROM product_product p
                   WHERE p.product_tmpl_id = c.new_tmpl""")
    tier_prices = clone("b2b_tier_price", "t.product_tmpl_id = c.src_tmpl", {"product_tmpl_id": "c.new_tmpl"})
    quants = clone("stock_quant", "t.product_id = c.src_product", {"product_id": "c.new_product"})
    cr.execute("DROP TABLE b2b_grow")
    log(f"{more} products, {tier_prices} tier prices, {quants} quants in {time.time() - step:.0f} s")

# Customers ----------------------------------------------------------------
cr.execute("""SELECT id FROM res_partner WHERE is_company AND parent_id IS NULL AND name LIKE 'Bench customer %%'
               ORDER BY id""")
customer_ids = [pid for (pid,) in cr.fetchall()]
more = SIZES["customers"] - len(customer_ids)
if more > 0:
    step = time.time()
    cr.execute("""CREATE TEMP TABLE b2b_grow AS
                  SELECT n, src.id AS src_partner, 'Bench customer ' || lpad((%(offset)s + n)::text, 5, '0') AS name
                    FROM generate_series(0, %(more)s - 1) n
                    JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS rn FROM res_partner
                           WHERE id = ANY(%(sources)s)) src ON src.rn = n %% %(count)s""",
               {"offset": len(customer_ids), "more": more, "sources": customer_ids, "count": len(customer_ids)})
    first = count("SELECT last_value + 1 FROM res_partner_id_seq")
    clone("res_partner", "t.id = c.src_partner", {
        "name": "c.name", "complete_name": "c.name", "commercial_company_name": "c.name",
        "commercial_partner_id": "NULL", "ref": "NULL", "email": "NULL", "email_normalized": "NULL",
        "partner_gid": "NULL", "create_date": "now()", "write_date": "now()",
    })
    cr.execute("UPDATE res_partner SET commercial_partner_id = id WHERE id >= %s AND commercial_partner_id IS NULL",
               [first])
    cr.execute("DROP TABLE b2b_grow")
    log(f"{more} customers in {time.time() - step:.0f} s")

# Shared lists for the rules: the customers (all but the measured one, and
# no scale-run customer) and the products, numbered from 1.
cr.execute("""CREATE TEMP TABLE b2b_grow_customer AS
              SELECT row_number() OVER (ORDER BY id) AS rn, id FROM res_partner
               WHERE is_company AND parent_id IS NULL AND name LIKE 'Bench customer %%' AND id <> %s""",
           [measured.id])
customers = count("SELECT count(*) FROM b2b_grow_customer")
cr.execute("""CREATE TEMP TABLE b2b_grow_product AS
              SELECT row_number() OVER (ORDER BY p.id) AS rn, p.id, p.product_tmpl_id AS tmpl_id, t.list_price
                FROM product_product p JOIN product_template t ON t.id = p.product_tmpl_id
               WHERE p.default_code LIKE 'BENCH-%%'""")
products = count("SELECT count(*) FROM b2b_grow_product")
cr.execute("CREATE UNIQUE INDEX ON b2b_grow_customer (rn)")
cr.execute("CREATE UNIQUE INDEX ON b2b_grow_product (rn)")
cr.execute("ANALYZE b2b_grow_customer")
cr.execute("ANALYZE b2b_grow_product")

# Price exceptions ---------------------------------------------------------
more = SIZES["exceptions"] - count("SELECT count(*) FROM b2b_price_exception")
if more > 0:
    step = time.time()
    # n * 7919 (a prime) spreads each customer's exceptions over the range.
    cr.execute("""
        INSERT INTO b2b_price_exception (partner_id, product_tmpl_id, product_id, price_type, fixed_price, discount,
                                         date_start, date_end, apply_volume_breaks, active, note,
                                         create_uid, write_uid, create_date, write_date)
        SELECT c.id, p.tmpl_id, CASE WHEN n %% 20 = 3 THEN p.id END,
               CASE WHEN n %% 5 = 1 THEN 'discount' ELSE 'fixed' END,
               CASE WHEN n %% 5 = 1 THEN 0 ELSE round((p.list_price * (0.5 + (n %% 40) / 100.0))::numeric, 2) END,
               CASE WHEN n %% 5 = 1 THEN 2 + n %% 18 ELSE 0 END,
               CASE n %% 10 WHEN 0 THEN current_date - 30 WHEN 5 THEN current_date - 400 END,
               CASE n %% 10 WHEN 0 THEN current_date + 60 WHEN 5 THEN current_date - 35 END,
               n %% 7 = 0, n %% 20 <> 11, NULL, 1, 1, now(), now()
          FROM generate_series(0, %(more)s - 1) n
          JOIN b2b_grow_customer c ON c.rn = 1 + n %% %(customers)s
          JOIN b2b_grow_product p ON p.rn = 1 + (n::bigint * 7919 + n / %(customers)s) %% %(products)s
    """, {"more": more, "customers": customers, "products": products})
    log(f"{cr.rowcount} price exceptions in {time.time() - step:.0f} s")

# Volume breaks ------------------------------------------------------------
more = SIZES["breaks"] - count("SELECT count(*) FROM b2b_volume_break")
if more > 0:
    step = time.time()
    cr.execute("SELECT id FROM b2b_price_tier WHERE id <> %s ORDER BY sequence", [tier_b.id])
    other_tiers = [tid for (tid,) in cr.fetchall()]
    cr.execute("SELECT id FROM product_category WHERE name LIKE 'Bench category %%' ORDER BY id")
    categories = [cid for (cid,) in cr.fetchall()]
    currency = env.company.currency_id.id
    first = count("SELECT last_value + 1 FROM b2b_volume_break_id_seq")
    # Nine in ten on a product (past the untouched ones), one in ten on a
    # category for other tiers than the measured customer's; min quantities
    # 5 to 250, discounts and fixed prices.
    cr.execute("""
        INSERT INTO b2b_volume_break (product_tmpl_id, categ_id, min_qty, price_type, discount, fixed_price,
                                      company_currency_id, create_uid, write_uid, create_date, write_date)
        SELECT CASE WHEN n %% 10 <> 0 THEN p.tmpl_id END,
               CASE WHEN n %% 10 = 0 THEN (%(categories)s::int[])[1 + (n / 10) %% %(ncateg)s] END,
               (ARRAY[5, 10, 20, 50, 100, 250])[1 + n %% 6],
               CASE WHEN n %% 4 = 3 THEN 'fixed' ELSE 'discount' END,
               CASE WHEN n %% 4 = 3 THEN 0 ELSE 2 + n %% 13 END,
               CASE WHEN n %% 4 = 3 THEN round((p.list_price * 0.7)::numeric, 2) ELSE 0 END,
               %(currency)s, 1, 1, now(), now()
          FROM generate_series(0, %(more)s - 1) n
          JOIN b2b_grow_product p
            ON p.rn = 1 + %(untouched)s + (n::bigint * 104729) %% greatest(1, %(products)s - %(untouched)s)
    """, {"more": more, "categories": categories, "ncateg": len(categories), "currency": currency,
          "untouched": UNTOUCHED_PRODUCTS, "products": products})
    added = cr.rowcount
    # Tiers: every category break and one product break in five for some
    # tiers only (never the measured customer's tier B for a category).
    cr.execute("""
        INSERT INTO b2b_price_tier_b2b_volume_break_rel (b2b_volume_break_id, b2b_price_tier_id)
        SELECT b.id, t.tier
          FROM b2b_volume_break b
          JOIN LATERAL unnest(%(tiers)s::int[]) WITH ORDINALITY t(tier, k) ON t.k <= 1 + b.id %% 3
         WHERE b.id >= %(first)s AND (b.categ_id IS NOT NULL OR b.id %% 5 = 0)
    """, {"tiers": other_tiers, "first": first})
    log(f"{added} volume breaks ({cr.rowcount} tier links) in {time.time() - step:.0f} s")

# Catalogs -----------------------------------------------------------------
more = SIZES["catalogs"] - count("SELECT count(*) FROM b2b_catalog")
if more > 0:
    step = time.time()
    first = count("SELECT last_value + 1 FROM b2b_catalog_id_seq")
    cr.execute("""INSERT INTO b2b_catalog (name, active, create_uid, write_uid, create_date, write_date)
                  SELECT jsonb_build_object('en_US', 'Bench catalog large ' || lpad(n::text, 4, '0')), true,
                         1, 1, now(), now()
                    FROM generate_series(1, %s) n""", [more])
    cr.execute("SELECT id FROM product_category WHERE name LIKE 'Bench category %%' ORDER BY id")
    categories = [cid for (cid,) in cr.fetchall()]
    cr.execute("""INSERT INTO b2b_catalog_product_category_rel (b2b_catalog_id, product_category_id)
                  SELECT DISTINCT c.id, (%(categories)s::int[])[1 + (c.id * k * 7) %% %(ncateg)s]
                    FROM b2b_catalog c, generate_series(1, 3) k WHERE c.id >= %(first)s""",
               {"categories": categories, "ncateg": len(categories), "first": first})
    cr.execute("""INSERT INTO b2b_catalog_product_tmpl_rel (catalog_id, product_tmpl_id)
                  SELECT DISTINCT c.id, p.tmpl_id
                    FROM b2b_catalog c, generate_series(1, 20) k
                    JOIN b2b_grow_product p ON true
                   WHERE c.id >= %(first)s AND p.rn = 1 + (c.id::bigint * 7919 + k * 104729) %% %(products)s""",
               {"first": first, "products": products})
    cr.execute("""INSERT INTO b2b_catalog_res_partner_rel (catalog_id, partner_id)
                  SELECT %(first)s + (c.rn %% %(more)s), c.id FROM b2b_grow_customer c
                   WHERE NOT EXISTS (SELECT 1 FROM b2b_catalog_res_partner_rel r WHERE r.partner_id = c.id)""",
               {"first": first, "more": more})
    log(f"{more} catalogs ({cr.rowcount} customers in them) in {time.time() - step:.0f} s")

for table in ("product_template", "product_product", "b2b_tier_price", "stock_quant", "res_partner",
              "b2b_price_exception", "b2b_volume_break", "b2b_price_tier_b2b_volume_break_rel", "b2b_catalog",
              "b2b_catalog_product_category_rel", "b2b_catalog_product_tmpl_rel", "b2b_catalog_res_partner_rel"):
    cr.execute(f"ANALYZE {table}")
env.cr.commit()
env.invalidate_all()
env.registry.clear_cache()

# The grown rows as records: read through the ORM, priced by the engine.
grown = env["res.partner"].search([("name", "=like", "Bench customer %"), ("is_company", "=", True)],
                                  order="id desc", limit=1)
assert grown.commercial_partner_id == grown and grown.b2b_price_tier_id, grown
exceptions = env["b2b.price.exception"].search([("partner_id", "=", grown.id)])
exceptions.read(["product_tmpl_id", "product_id", "price_type", "fixed_price", "discount", "date_start"])
last_products = env["product.product"].search([("default_code", "=like", "BENCH-%")], order="id desc", limit=1000)
last_products.read(["display_name", "lst_price", "categ_id", "qty_available"])
prices = env["b2b.pricing"]._get_prices(grown, last_products, dict.fromkeys(last_products.ids, 60))
assert len(prices) == len(last_products) and all(price.price >= 0 for price in prices.values())
catalog_products = env["product.product"].search_count(grown._b2b_get_product_domain())
env["b2b.volume.break"].search([], order="id desc", limit=50).read(["display_name", "tier_ids", "min_qty"])
sizes = {
    "products": count("SELECT count(*) FROM product_product WHERE default_code LIKE 'BENCH-%%'"),
    "customers": count("SELECT count(*) FROM res_partner WHERE is_company AND name LIKE 'Bench customer %%'"),
    "exceptions": count("SELECT count(*) FROM b2b_price_exception"),
    "breaks": count("SELECT count(*) FROM b2b_volume_break"),
    "catalogs": count("SELECT count(*) FROM b2b_catalog"),
}
log(f"sizes {sizes}; a grown customer ({grown.name}) has {len(exceptions)} exceptions and a catalog of "
    f"{catalog_products} products; {len(prices)} prices from the engine; done in {time.time() - started:.0f} s")
print(f"BENCH_GROWN {sizes}", flush=True)
