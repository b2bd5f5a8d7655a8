"""The one B2B pricing engine: the portal, sales order lines and the price
check wizard all read what :meth:`B2bPricing._get_prices` returns."""

from collections import defaultdict
from dataclasses import dataclass

from odoo import api, fields, models
from odoo.tools import SQL, float_round


def _number(value):
    """A quantity or percentage as people write it: 10, 12.5."""
    return f"{value:g}"


@dataclass(frozen=True)
class B2bBreakLevel:
    """One row of a product's volume-break table for one customer."""

    break_id: int
    min_qty: float
    price: float


@dataclass(frozen=True)
class B2bPriceStep:
    """One step of the breakdown shown to office staff and buyers."""

    label: str
    price: float


@dataclass(frozen=True)
class B2bProductRow:
    """What pricing needs of a variant, read in one query."""

    product_id: int
    tmpl_id: int
    list_price: float  # template sales price plus the variant's extra
    categ_ids: tuple  # its category then the ancestors, nearest first


@dataclass(frozen=True)
class B2bRule:
    """An exception or a volume break, as plain data."""

    rule_id: int
    tmpl_id: int | None
    product_id: int | None
    categ_id: int | None
    price_type: str
    fixed_price: float
    discount: float
    min_qty: float = 0.0
    apply_volume_breaks: bool = False


@dataclass(frozen=True)
class B2bRules:
    """Every rule that may apply to one batch, fetched once."""

    tier: object  # b2b.price.tier record
    tier_prices: dict
    exceptions: dict
    breaks: dict
    rate: float
    rounding: int
    labels: dict


@dataclass(frozen=True)
class B2bPrice:
    """A customer's unit price for one variant at one quantity, tax excluded,
    per the product's sales unit, in the requested currency."""

    product_id: int
    quantity: float
    price: float
    tier_price: float
    base_price: float  # after tier and exception, before volume breaks
    list_price: float
    source: str  # 'tier' or 'exception'
    exception_id: int | None
    applied_break: B2bBreakLevel | None
    next_break: B2bBreakLevel | None
    break_levels: tuple[B2bBreakLevel, ...]
    steps: tuple[B2bPriceStep, ...]

    @property
    def qty_to_next_break(self):
        return self.next_break.min_qty - self.quantity if self.next_break else 0.0


class B2bPricing(models.AbstractModel):
    _name = "b2b.pricing"
    _description = "B2B Pricing Engine"

    # ------------------------------------------------------------------
    # Entry point
    # ------------------------------------------------------------------

    @api.model
    def _get_prices(self, partner, products, quantities=None, date=None, currency=None):
        """Price ``products`` for ``partner``'s company.

        :param partner: any contact of the customer; its commercial partner's
            tier, exceptions and breaks apply.
        :param products: ``product.product`` recordset.
        :param quantities: ``{product_id: quantity}`` in each product's sales
            unit, the whole order's quantity of that product (default 1).
        :param date: date the exceptions must be valid on (default today).
        :param currency: ``res.currency`` to express prices in (default the
            company currency, in which every B2B price is entered).
        :return: ``{product_id: B2bPrice}``; empty when the customer has no
            price tier (Odoo's pricelists price it, as without this addon).

        The number of SQL queries does not depend on the number of products:
        each kind of rule is fetched once for the whole recordset, then
        matched in memory. Rule tables are read as superuser: the caller
        decides whose prices it may compute (the partner argument).
        """
        partner = partner.commercial_partner_id
        tier = partner.sudo().b2b_price_tier_id
        if not tier or not products:
            return {}
        pricing = self.sudo()
        quantities = quantities or {}
        date = date or fields.Date.context_today(self)
        rows = pricing._fetch_products(products)
        tmpl_ids = list({row.tmpl_id for row in rows})
        rules = B2bRules(
            tier=tier,
            tier_prices=pricing._fetch_tier_prices(tier, tmpl_ids),
            exceptions=pricing._fetch_exceptions(partner, tmpl_ids, products.ids, date),
            breaks=pricing._fetch_volume_breaks(tier, tmpl_ids, rows),
            rate=pricing._get_currency_rate(currency, date),
            rounding=self.env["decimal.precision"].precision_get("Product Price"),
            labels=pricing._get_step_labels(tier),
        )
        return {row.product_id: pricing._resolve_price(rules, row, quantities.get(row.product_id, 1.0))
                for row in rows}

    # ------------------------------------------------------------------
    # Fetching: one query per kind of data, named to be extended. Rows are
    # read as plain tuples: building records and converting every float
    # through the ORM costs more than the rules themselves on large batches.
    # ------------------------------------------------------------------

    def _fetch_rows(self, model, domain, columns, order=None):
        """``columns`` of the records matching ``domain``, in one query,
        through the ORM's own domain-to-SQL (active flag, hooks, rules)."""
        Model = self.env[model]
        Model.flush_model(columns)
        query = Model._search(domain, order=order)
        return self.env.execute_query(query.select(*(SQL.identifier(Model._table, name) for name in columns)))

    def _fetch_products(self, products):
        """:return: ``[B2bProductRow]`` in the order of ``products``.

        Each variant is looked up by its primary key (a lateral subquery per
        id, which PostgreSQL cannot turn into a join), so the time does not
        grow with the range, where ``id = ANY(ids)`` may scan the variants."""
        self.env["product.product"].flush_model(["product_tmpl_id", "product_template_attribute_value_ids"])
        self.env["product.template"].flush_model(["list_price", "categ_id"])
        self.env["product.template.attribute.value"].flush_model(["price_extra"])
        self.env["product.category"].flush_model(["parent_path"])
        data = self.env.execute_query(SQL(
            """
            SELECT pp.id, pt.id, pt.list_price + COALESCE(extra.price_extra, 0), pc.parent_path
              FROM unnest(%s::int[]) AS wanted(id)
              JOIN LATERAL (
                    SELECT p.id, p.product_tmpl_id FROM product_product p WHERE p.id = wanted.id LIMIT 1
                   ) pp ON TRUE
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
         LEFT JOIN product_category pc ON pc.id = pt.categ_id
         LEFT JOIN LATERAL (
                    SELECT SUM(ptav.price_extra) AS price_extra
                      FROM product_variant_combination pvc
                      JOIN product_template_attribute_value ptav
                        ON ptav.id = pvc.product_template_attribute_value_id
                     WHERE pvc.product_product_id = pp.id
                   ) extra ON TRUE
            """,
            list(products.ids),
        ))
        by_id = {
            pid: B2bProductRow(pid, tmpl_id, list_price or 0.0,
                               tuple(int(c) for c in reversed((path or "").strip("/").split("/")) if c))
            for pid, tmpl_id, list_price, path in data
        }
        return [by_id[pid] for pid in products.ids if pid in by_id]

    def _get_tier_price_domain(self, tier, tmpl_ids):
        return [("tier_id", "=", tier.id), ("product_tmpl_id", "in", tmpl_ids)]

    def _fetch_tier_prices(self, tier, tmpl_ids):
        """:return: ``{template_id: price}``."""
        return dict(self._fetch_rows(
            "b2b.tier.price", self._get_tier_price_domain(tier, tmpl_ids), ["product_tmpl_id", "price"]
        ))

    def _get_exception_domain(self, partner, tmpl_ids, product_ids, date):
        return [
            ("partner_id", "=", partner.id),
            ("product_tmpl_id", "in", tmpl_ids),
            "|", ("product_id", "=", False), ("product_id", "in", product_ids),
            "|", ("date_start", "=", False), ("date_start", "<=", date),
            "|", ("date_end", "=", False), ("date_end", ">=", date),
        ]

    def _fetch_exceptions(self, partner, tmpl_ids, product_ids, date):
        """:return: ``{('variant', product_id) | ('template', template_id): [B2bRule]}``."""
        rows = self._fetch_rows(
            "b2b.price.exception",
            self._get_exception_domain(partner, tmpl_ids, product_ids, date),
            ["id", "product_tmpl_id", "product_id", "price_type", "fixed_price", "discount", "apply_volume_breaks"],
        )
        by_key = defaultdict(list)
        for rule_id, tmpl_id, product_id, price_type, fixed_price, discount, apply_breaks in rows:
            rule = B2bRule(rule_id, tmpl_id, product_id, None, price_type, fixed_price or 0.0, discount or 0.0,
                           apply_volume_breaks=bool(apply_breaks))
            by_key[("variant", product_id) if product_id else ("template", tmpl_id)].append(rule)
        return by_key

    def _get_volume_break_domain(self, tier, tmpl_ids, categ_ids):
        return [
            "|", ("product_tmpl_id", "in", tmpl_ids), ("categ_id", "in", categ_ids),
            "|", ("tier_ids", "=", False), ("tier_ids", "in", tier.ids),
        ]

    def _fetch_volume_breaks(self, tier, tmpl_ids, rows):
        """:return: ``{('template', id) | ('category', id): [B2bRule by min_qty]}``."""
        categ_ids = list({categ_id for row in rows for categ_id in row.categ_ids})
        data = self._fetch_rows(
            "b2b.volume.break",
            self._get_volume_break_domain(tier, tmpl_ids, categ_ids),
            ["id", "product_tmpl_id", "categ_id", "price_type", "fixed_price", "discount", "min_qty"],
            order="min_qty, id",
        )
        by_key = defaultdict(list)
        for rule_id, tmpl_id, categ_id, price_type, fixed_price, discount, min_qty in data:
            rule = B2bRule(rule_id, tmpl_id, None, categ_id, price_type, fixed_price or 0.0, discount or 0.0,
                           min_qty=min_qty)
            by_key[("template", tmpl_id) if tmpl_id else ("category", categ_id)].append(rule)
        return by_key

    def _get_step_labels(self, tier):
        """The breakdown's labels, translated once per batch."""
        return {
            "list": self.env._("Sales price"),
            "tier_discount": self.env._(
                "Tier %(tier)s: %(discount)s %% off", tier=tier.code, discount=_number(tier.discount)
            ),
            "tier_price": self.env._("Tier %(tier)s price", tier=tier.code),
            "exception_fixed": self.env._("Your negotiated price"),
            # Formatted per product below: translated without arguments, as templates.
            "exception_discount": self.env._("Your negotiated price: %(discount)s %% off"),
            "break": self.env._("Volume break from %(qty)s"),
        }

    def _get_currency_rate(self, currency, date):
        company = self.env.company
        if not currency or currency == company.currency_id:
            return 1.0
        return company.currency_id._get_conversion_rate(company.currency_id, currency, company, date)

    # ------------------------------------------------------------------
    # Matching: the business rule, in order, in one place
    # ------------------------------------------------------------------

    def _resolve_price(self, rules, row, quantity):
        labels = rules.labels
        steps = []
        list_price = row.list_price

        # 1. Tier price: the product's own price for the tier, else the tier's discount.
        tier_price = rules.tier_prices.get(row.tmpl_id)
        if tier_price is None:
            tier_price = list_price * (1.0 - rules.tier.discount / 100.0)
            steps.append(B2bPriceStep(labels["list"], list_price))
            steps.append(B2bPriceStep(labels["tier_discount"], tier_price))
        else:
            steps.append(B2bPriceStep(labels["tier_price"], tier_price))
        price, source = tier_price, "tier"

        # 2. Customer exception: a variant's beats the product's; the lowest wins among equals.
        exception = self._select_exception(row, tier_price, rules.exceptions)
        if exception:
            price, source = self._exception_price(exception, tier_price), "exception"
            if exception.price_type == "fixed":
                label = labels["exception_fixed"]
            else:
                label = labels["exception_discount"] % {"discount": _number(exception.discount)}
            steps.append(B2bPriceStep(label, price))

        # 3. Volume breaks, unless the exception is a net price.
        base_price = price
        levels, applied, next_level = (), None, None
        if not exception or exception.apply_volume_breaks:
            levels = tuple(
                B2bBreakLevel(b.rule_id, b.min_qty, self._break_price(b, price))
                for b in self._select_volume_breaks(row, rules.breaks)
            )
            applied = next((lvl for lvl in reversed(levels) if lvl.min_qty <= quantity), None)
            current = applied.price if applied else price
            next_level = next((lvl for lvl in levels if lvl.min_qty > quantity and lvl.price < current), None)
            if applied:
                price = applied.price
                steps.append(B2bPriceStep(labels["break"] % {"qty": _number(applied.min_qty)}, price))

        # 4. Currency and rounding.
        def convert(value):
            return float_round(value * rules.rate, precision_digits=rules.rounding)

        levels = tuple(B2bBreakLevel(lvl.break_id, lvl.min_qty, convert(lvl.price)) for lvl in levels)
        return B2bPrice(
            product_id=row.product_id,
            quantity=quantity,
            price=convert(price),
            tier_price=convert(tier_price),
            base_price=convert(base_price),
            list_price=convert(list_price),
            source=source,
            exception_id=exception.rule_id if exception else None,
            applied_break=next((lvl for lvl in levels if applied and lvl.break_id == applied.break_id), None),
            next_break=next((lvl for lvl in levels if next_level and lvl.break_id == next_level.break_id), None),
            break_levels=levels,
            steps=tuple(B2bPriceStep(step.label, convert(step.price)) for step in steps),
        )

    def _select_exception(self, row, tier_price, exceptions):
        candidates = exceptions.get(("variant", row.product_id)) or exceptions.get(("template", row.tmpl_id))
        if not candidates:
            return None
        return min(candidates, key=lambda e: (self._exception_price(e, tier_price), e.rule_id))

    def _exception_price(self, exception, tier_price):
        if exception.price_type == "fixed":
            return exception.fixed_price
        return tier_price * (1.0 - exception.discount / 100.0)

    def _select_volume_breaks(self, row, breaks):
        """The product's own breaks, else those of its nearest category that has any."""
        own = breaks.get(("template", row.tmpl_id))
        if own:
            return own
        for categ_id in row.categ_ids:
            if breaks.get(("category", categ_id)):
                return breaks["category", categ_id]
        return []

    def _break_price(self, volume_break, price):
        if volume_break.price_type == "fixed":
            return min(price, volume_break.fixed_price)
        return price * (1.0 - volume_break.discount / 100.0)
