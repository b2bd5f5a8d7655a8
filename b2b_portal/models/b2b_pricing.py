"""The one B2B pricing engine: the portal, sales order lines and the price
check wizard all read what :meth:`B2bPricing._get_prices` returns."""

from collections import defaultdict
from dataclasses import dataclass

from odoo import api, fields, models
from odoo.tools import float_round


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
class B2bRules:
    """Every rule that may apply to one batch, fetched once."""

    tier: object  # b2b.price.tier record
    tier_prices: dict
    exceptions: dict
    breaks: dict
    rate: float
    rounding: int


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
        products = products.sudo().with_context(uom=None, active_test=False)

        rules = B2bRules(
            tier=tier,
            tier_prices=pricing._fetch_tier_prices(tier, products),
            exceptions=pricing._fetch_exceptions(partner, products, date),
            breaks=pricing._fetch_volume_breaks(tier, products),
            rate=pricing._get_currency_rate(currency, date),
            rounding=self.env["decimal.precision"].precision_get("Product Price"),
        )
        return {
            product.id: pricing._resolve_price(rules, product, quantities.get(product.id, 1.0))
            for product in products
        }

    # ------------------------------------------------------------------
    # Fetching: one query per kind of rule, named to be extended
    # ------------------------------------------------------------------

    def _get_tier_price_domain(self, tier, products):
        return [("tier_id", "=", tier.id), ("product_tmpl_id", "in", products.product_tmpl_id.ids)]

    def _fetch_tier_prices(self, tier, products):
        """:return: ``{template_id: price}``."""
        tier_prices = self.env["b2b.tier.price"].search_fetch(
            self._get_tier_price_domain(tier, products), ["product_tmpl_id", "price"]
        )
        return {tp.product_tmpl_id.id: tp.price for tp in tier_prices}

    def _get_exception_domain(self, partner, products, date):
        return [
            ("partner_id", "=", partner.id),
            ("product_tmpl_id", "in", products.product_tmpl_id.ids),
            "|", ("product_id", "=", False), ("product_id", "in", products.ids),
            "|", ("date_start", "=", False), ("date_start", "<=", date),
            "|", ("date_end", "=", False), ("date_end", ">=", date),
        ]

    def _fetch_exceptions(self, partner, products, date):
        """:return: ``{('variant', product_id) | ('template', template_id): [exceptions]}``."""
        exceptions = self.env["b2b.price.exception"].search_fetch(
            self._get_exception_domain(partner, products, date),
            ["product_tmpl_id", "product_id", "price_type", "fixed_price", "discount",
             "apply_volume_breaks"],
        )
        by_key = defaultdict(list)
        for exception in exceptions:
            if exception.product_id:
                by_key["variant", exception.product_id.id].append(exception)
            else:
                by_key["template", exception.product_tmpl_id.id].append(exception)
        return by_key

    def _get_volume_break_domain(self, tier, products, categ_ids):
        return [
            "|", ("product_tmpl_id", "in", products.product_tmpl_id.ids), ("categ_id", "in", categ_ids),
            "|", ("tier_ids", "=", False), ("tier_ids", "in", tier.ids),
        ]

    def _fetch_volume_breaks(self, tier, products):
        """:return: ``{('template', id) | ('category', id): [breaks by min_qty]}``
        plus, under ``'ancestors'``, each category's ancestors nearest first."""
        ancestors = {
            categ.id: [int(c) for c in reversed(categ.parent_path.strip("/").split("/"))]
            for categ in products.categ_id
        }
        categ_ids = list({c for chain in ancestors.values() for c in chain})
        breaks = self.env["b2b.volume.break"].search_fetch(
            self._get_volume_break_domain(tier, products, categ_ids),
            ["product_tmpl_id", "categ_id", "min_qty", "price_type", "discount", "fixed_price"],
            order="min_qty, id",
        )
        by_key = defaultdict(list)
        for volume_break in breaks:
            if volume_break.product_tmpl_id:
                by_key["template", volume_break.product_tmpl_id.id].append(volume_break)
            else:
                by_key["category", volume_break.categ_id.id].append(volume_break)
        by_key["ancestors"] = ancestors
        return by_key

    def _get_currency_rate(self, currency, date):
        company = self.env.company
        if not currency or currency == company.currency_id:
            return 1.0
        return company.currency_id._get_conversion_rate(company.currency_id, currency, company, date)

    # ------------------------------------------------------------------
    # Matching: the business rule, in order, in one place
    # ------------------------------------------------------------------

    def _resolve_price(self, rules, product, quantity):
        _ = self.env._
        tier = rules.tier
        steps = []
        list_price = product.lst_price  # sales price with the variant's extra

        # 1. Tier price: the product's own price for the tier, else the tier's discount.
        tier_price = rules.tier_prices.get(product.product_tmpl_id.id)
        if tier_price is None:
            tier_price = list_price * (1.0 - tier.discount / 100.0)
            steps.append(B2bPriceStep(_("Sales price"), list_price))
            steps.append(B2bPriceStep(
                _("Tier %(tier)s: %(discount)s %% off", tier=tier.code, discount=_number(tier.discount)), tier_price
            ))
        else:
            steps.append(B2bPriceStep(_("Tier %(tier)s price", tier=tier.code), tier_price))
        price, source = tier_price, "tier"

        # 2. Customer exception: a variant's beats the product's; the lowest wins among equals.
        exception = self._select_exception(product, tier_price, rules.exceptions)
        if exception:
            price, source = self._exception_price(exception, tier_price), "exception"
            if exception.price_type == "fixed":
                label = _("Your negotiated price")
            else:
                label = _("Your negotiated price: %(discount)s %% off", discount=_number(exception.discount))
            steps.append(B2bPriceStep(label, price))

        # 3. Volume breaks, unless the exception is a net price.
        base_price = price
        levels, applied, next_level = (), None, None
        if not exception or exception.apply_volume_breaks:
            levels = tuple(
                B2bBreakLevel(b.id, b.min_qty, self._break_price(b, price))
                for b in self._select_volume_breaks(product, rules.breaks)
            )
            applied = next((lvl for lvl in reversed(levels) if lvl.min_qty <= quantity), None)
            current = applied.price if applied else price
            next_level = next((lvl for lvl in levels if lvl.min_qty > quantity and lvl.price < current), None)
            if applied:
                price = applied.price
                steps.append(B2bPriceStep(_("Volume break from %(qty)s", qty=_number(applied.min_qty)), price))

        # 4. Currency and rounding.
        def convert(value):
            return float_round(value * rules.rate, precision_digits=rules.rounding)

        levels = tuple(B2bBreakLevel(lvl.break_id, lvl.min_qty, convert(lvl.price)) for lvl in levels)
        return B2bPrice(
            product_id=product.id,
            quantity=quantity,
            price=convert(price),
            tier_price=convert(tier_price),
            base_price=convert(base_price),
            list_price=convert(list_price),
            source=source,
            exception_id=exception.id if exception else None,
            applied_break=next((lvl for lvl in levels if applied and lvl.break_id == applied.break_id), None),
            next_break=next((lvl for lvl in levels if next_level and lvl.break_id == next_level.break_id), None),
            break_levels=levels,
            steps=tuple(B2bPriceStep(step.label, convert(step.price)) for step in steps),
        )

    def _select_exception(self, product, tier_price, exceptions):
        candidates = exceptions.get(("variant", product.id)) or exceptions.get(
            ("template", product.product_tmpl_id.id)
        )
        if not candidates:
            return None
        return min(candidates, key=lambda e: (self._exception_price(e, tier_price), e.id))

    def _exception_price(self, exception, tier_price):
        if exception.price_type == "fixed":
            return exception.fixed_price
        return tier_price * (1.0 - exception.discount / 100.0)

    def _select_volume_breaks(self, product, breaks):
        """The product's own breaks, else those of its nearest category that has any."""
        own = breaks.get(("template", product.product_tmpl_id.id))
        if own:
            return own
        for categ_id in breaks["ancestors"].get(product.categ_id.id, ()):
            if breaks.get(("category", categ_id)):
                return breaks["category", categ_id]
        return []

    def _break_price(self, volume_break, price):
        if volume_break.price_type == "fixed":
            return min(price, volume_break.fixed_price)
        return price * (1.0 - volume_break.discount / 100.0)
