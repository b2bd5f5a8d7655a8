import math

from odoo import api, fields, models
from odoo.exceptions import UserError

MAX_LINE_QUANTITY = 1_000_000

# Stored fields of an order computed from all its lines that nothing reads
# while it is a cart: not computed again for each quantity the buyer types,
# but when the cart is submitted. ``delivery``'s shipping weight, where it is
# installed: a cart's stays 0, which its carriers read as "weigh the lines".
CART_DEFERRED_FIELDS = ("shipping_weight",)

# What a change of a cart reads of its other lines: which are product lines
# (``_b2b_filter_product_lines``), their products, quantities and amounts,
# for the totals and the summary; a line's row reads some hundred fields.
CART_LINE_FIELDS = ("order_id", "product_id", "display_type", "is_downpayment", "b2b_charge", "combo_item_id",
                    "product_uom", "product_uom_qty", "price_unit", "price_subtotal", "price_tax")

# What a new quantity of a cart line reads of the records around it, read
# narrow as the change starts (``_b2b_fetch_for_change``, ``_b2b_lock``):
# the first use of a field otherwise reads its record's whole row, and the
# rows of a company, an order, a contact or a product template have a hundred
# columns or more (reading them whole was a tenth of an in-place change). The
# stored fields the change computes again are listed too: Odoo writes those
# whose value changed. A field left out is read where it is used: a query
# more, never a wrong value (tested: a change reads none of these rows whole).
CART_CHANGE_FIELDS = {
    "res.users": ("partner_id", "company_id"),
    "res.partner": ("commercial_partner_id", "user_id", "tz", "b2b_role", "b2b_price_tier_id", "b2b_credit_policy",
                    "b2b_overdue_grace_days", "b2b_order_limit", "b2b_monthly_budget", "b2b_company_monthly_budget",
                    "b2b_min_order_amount", "b2b_free_delivery_amount"),
    "res.company": ("currency_id", "tax_calculation_rounding_method", "account_use_credit_limit",
                    "b2b_small_order_product_id", "b2b_delivery_product_id"),
    "sale.order": ("partner_id", "company_id", "currency_id", "currency_rate", "user_id", "warehouse_id", "state",
                   "locked", "b2b_state", "b2b_phone_order", "amount_untaxed", "amount_tax", "amount_total",
                   "invoice_status"),
    "sale.order.line": (*CART_LINE_FIELDS, "company_id", "currency_id", "discount", "price_total",
                        "technical_price_unit", "qty_invoiced", "state", "analytic_distribution",
                        "product_packaging_id", "route_id", "price_reduce_taxexcl", "price_reduce_taxinc",
                        "product_packaging_qty", "qty_to_invoice", "invoice_status", "untaxed_amount_to_invoice",
                        "warehouse_id"),
    "product.product": ("product_tmpl_id", "default_code"),
    "product.template": ("name", "type", "uom_id", "is_storable", "b2b_min_qty", "b2b_low_stock_threshold"),
}


class SaleOrder(models.Model):
    """The buyer's cart: one draft web order per buyer contact."""

    _inherit = "sale.order"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    def _compute_amounts(self):  # pylint: disable=missing-return
        """A cart's totals, where its company rounds taxes per line: the sums
        of its lines' stored subtotals and taxes, which is what Odoo's
        computation gives then (each line's amounts rounded, then added up),
        without preparing every line's taxes again: a cart's totals are
        computed again on every quantity the buyer types, over all its
        lines. Orders, and carts of companies rounding taxes globally, are
        computed by Odoo. Tested equal to Odoo's computation."""
        carts = self.filtered(lambda order: order.b2b_state == "cart" and order.state == "draft"
                              and order.company_id.tax_calculation_rounding_method == "round_per_line")
        super(SaleOrder, self - carts)._compute_amounts()
        for cart in carts:
            lines = cart.order_line.filtered(lambda line: not line.display_type)
            currency = cart.currency_id or cart.company_id.currency_id
            untaxed = currency.round(sum(lines.mapped("price_subtotal")))
            tax = currency.round(sum(lines.mapped("price_tax")))
            cart.amount_untaxed = untaxed
            cart.amount_tax = tax
            cart.amount_total = untaxed + tax

    # ------------------------------------------------------------------
    # The cart
    # ------------------------------------------------------------------

    @api.model
    def _b2b_cart_domain(self, partner):
        return [("partner_id", "=", partner.id), ("b2b_state", "=", "cart"), ("state", "=", "draft")]

    @api.model
    def _b2b_get_cart(self, partner, create=False):
        """The buyer's open cart (one per buyer contact), as superuser: the
        caller has checked that ``partner`` is the logged-in buyer."""
        domain = self._b2b_cart_domain(partner)
        cart = self.sudo().search(domain, order="id desc", limit=1)
        if not cart and create:
            # Two requests of one buyer must not both create a cart: the second
            # fails to lock, Odoo retries it, and the retry finds the first's cart.
            self.env.cr.execute(
                "SELECT id FROM res_partner WHERE id = %s FOR NO KEY UPDATE NOWAIT", [partner.id],
                log_exceptions=False,
            )
            cart = self.sudo().search(domain, order="id desc", limit=1)
        if not cart and create:
            cart = self.sudo().create(self._b2b_prepare_cart_vals(partner))
            # Its computed fields stored now, before any line: those a cart's
            # changes leave aside (``CART_DEFERRED_FIELDS``) keep this value.
            cart.flush_recordset()
            cart.message_subscribe(partner_ids=partner.ids)
        return cart

    @api.model
    def _b2b_cart_count(self, partner):
        """The number of product lines in the buyer's cart (the badge on
        every page), in one query, as superuser like ``_b2b_get_cart``."""
        cart = self.sudo()._search(self._b2b_cart_domain(partner), order="id desc", limit=1)
        Line = self.env["sale.order.line"].sudo()
        return Line.search_count([("order_id", "in", cart), *Line._b2b_product_line_domain()])

    @api.model
    def _b2b_prepare_cart_vals(self, partner):
        # Salesperson, team, pricelist, addresses: Odoo's computes from the partner.
        return {"partner_id": partner.id, "b2b_state": "cart", "origin": self.env._("B2B portal")}

    def _b2b_check_quantity(self, product, quantity):
        """A clear message for any quantity the cart must refuse."""
        if not isinstance(quantity, (int, float)) or math.isnan(quantity) or math.isinf(quantity):
            raise UserError(self.env._("%(product)s: the quantity must be a number.", product=product.display_name))
        if quantity <= 0:
            raise UserError(
                self.env._("%(product)s: the quantity must be more than zero.", product=product.display_name)
            )
        if quantity > MAX_LINE_QUANTITY:
            raise UserError(self.env._("%(product)s: %(qty)s is more than can be ordered at once.",
                                       product=product.display_name, qty=quantity))
        uom = product.product_tmpl_id.uom_id  # the variant's, without computing its related field
        unit_category_id = self.env["ir.model.data"]._xmlid_to_res_id("uom.product_uom_categ_unit")
        if uom.category_id.id == unit_category_id and quantity != int(quantity):
            raise UserError(self.env._("%(product)s is sold by %(uom)s: order a whole number.",
                                       product=product.display_name, uom=uom.name))

    def _b2b_add_products(self, quantities, replace=False, notices=None):
        """Add ``{product: quantity}`` to this cart (one line per product,
        quantities summed, or replaced with ``replace``). Every product and
        quantity is checked before anything changes; each line's quantity is
        rounded up to the product's sales pack (a sentence per rounding is
        appended to ``notices``) and refused below its minimum. Prices come
        from the engine, never from the caller."""
        self.ensure_one()
        self._b2b_check_cart()
        self.order_line.fetch(CART_LINE_FIELDS)
        # Read the caller's records (a portal user's, say) in this cart's
        # environment. A product not in the cart yet is read with the cart's
        # other products (in one query): the order's write checks them all
        # as it adds its line. New quantities read their own products only.
        product_ids = {product.id for product in quantities}
        cart_product_ids = set(self.order_line.product_id.ids)
        prefetch = tuple(product_ids if product_ids <= cart_product_ids else product_ids | cart_product_ids)
        quantities = {product.with_env(self.env).with_prefetch(prefetch): qty for product, qty in quantities.items()}
        products = self.env["product.product"].concat(*quantities).with_prefetch(prefetch)
        allowed = self.partner_id._b2b_filter_allowed_products(products)
        refused = products - allowed
        if refused:
            raise UserError(self.env._(
                "%(products)s cannot be ordered: not in your catalog or no longer available.",
                products=", ".join(refused.mapped("display_name")),
            ))
        for product, quantity in quantities.items():
            self._b2b_check_quantity(product, quantity)
        lines_by_product = {line.product_id: line for line in self._b2b_product_lines()}
        # The packagings read as Odoo's sales line reads them to suggest one
        # as the line is written (``_compute_product_packaging_id``): once.
        products.sudo().mapped("packaging_ids")
        packagings = products._b2b_sales_packagings()
        commands = []
        for product, quantity in quantities.items():
            line = lines_by_product.get(product)
            qty = quantity if replace or not line else line.product_uom_qty + quantity
            self._b2b_check_quantity(product, qty)
            qty, notice = product._b2b_round_to_pack(qty, packagings.get(product.id) or self.env["product.packaging"])
            if notice and notices is not None:
                notices.append(notice)
            if line:
                commands.append(fields.Command.update(line.id, {"product_uom_qty": qty}))
            else:
                commands.append(fields.Command.create({"product_id": product.id, "product_uom_qty": qty}))
        self._b2b_cart_write(commands)
        return self.order_line.filtered(lambda line: line.product_id in products)

    def _b2b_fetch_for_change(self, lines):
        """Read what a change of ``lines`` of this cart reads of them, of
        their company and their products (``CART_CHANGE_FIELDS``) before
        anything reads their whole rows. The cart itself is read as it is
        locked (``_b2b_lock``)."""
        lines.fetch(CART_CHANGE_FIELDS[lines._name])
        lines.company_id.fetch(CART_CHANGE_FIELDS["res.company"])
        lines.product_id.fetch(CART_CHANGE_FIELDS["product.product"])
        lines.product_id.product_tmpl_id.fetch(CART_CHANGE_FIELDS["product.template"])

    def _b2b_remove_lines(self, lines):
        self.ensure_one()
        self._b2b_check_cart()
        if lines - self.order_line:
            raise UserError(self.env._("This line is not in your cart."))
        self._b2b_cart_write([fields.Command.delete(line.id) for line in lines])

    def _b2b_cart_write(self, line_commands):
        """Apply ``line_commands`` to this cart's lines, and recompute its
        totals now without tracking them: a cart is the buyer's draft, and
        each quantity typed would otherwise log an "amount changed" message
        in the chatter the office reads once the order is submitted.

        New quantities of lines already there are written on the lines, as
        Odoo's own shop writes a cart's quantities (``website_sale``'s
        ``_cart_update_order_line``): the order's own write, which checks its
        lines' products and companies again, is for lines added or removed."""
        cart = self.with_context(mail_notrack=True)
        with cart.env.protecting(cart._b2b_cart_deferred_fields(), cart):
            if all(command[0] == fields.Command.UPDATE for command in line_commands):
                for _update, line_id, values in line_commands:
                    cart.order_line.browse(line_id).write(values)
            else:
                cart.order_line = line_commands
            cart.env.flush_all()

    def _b2b_cart_deferred_fields(self):
        """The fields of ``CART_DEFERRED_FIELDS`` this database has."""
        return [self._fields[name] for name in CART_DEFERRED_FIELDS if name in self._fields]

    def _b2b_compute_deferred_fields(self):
        """Compute the fields a cart's changes left aside (see
        ``CART_DEFERRED_FIELDS``), as the cart becomes an order."""
        for field in self._b2b_cart_deferred_fields():
            self.env.add_to_compute(field, self)

    def _b2b_check_cart(self):
        if self.b2b_state != "cart" or self.state != "draft":
            raise UserError(self.env._("This order has already been submitted and can no longer be changed."))

    def _b2b_lock(self, field_names=None):
        """Serialise concurrent changes of one cart (two tabs, two workers).
        The second request waits for the first; as every change of a cart
        rewrites its row (totals, state), PostgreSQL then refuses the stale
        snapshot with a serialization failure, which Odoo retries afresh.
        ``field_names``: the fields of the cart to read now rather than its
        whole row when first used (``CART_CHANGE_FIELDS``)."""
        self.env.cr.execute(
            "SELECT id FROM sale_order WHERE id IN %s FOR NO KEY UPDATE", [tuple(self.ids)], log_exceptions=False
        )
        self.invalidate_recordset(["b2b_state", "state"])
        if field_names:
            self.fetch(field_names)

    def _b2b_cart_summary(self, shown_lines=None, live_lines=None):
        """The cart as the buyer must see it now, read without writing: each
        line at today's engine price (a price change since the line was added
        is shown, and written only by a change of that line or the submit),
        the totals computed as Odoo computes the order's, and stock
        shortfalls.

        ``shown_lines``: the rows of these lines only, and their stock (an
        in-place change renders one line); default: every line's.

        ``live_lines``: only these lines are checked against today's prices,
        the others are read at the price they have. An in-place change
        renders one line and the totals, and keeps the other rows the page
        shows: it checks the changed line and the lines the page showed at
        a new price, so that its totals add up the rows on the page.

        The charges of the order rules the submit would add (small-order
        surcharge, delivery) are in the totals, and the rules' state with them.

        :return: ``{"lines": [{line, price_unit, subtotal, old_price,
            short_qty}] (the rows shown), "charges": [{charge, product, price_unit, subtotal}],
            "goods" (the lines' untaxed total), "amount_untaxed",
            "amount_tax", "amount_total", "count", "rules"}`` (see
            ``_b2b_order_rules``; None for an empty cart), and what was read
            on the way, for the page's rows: ``engine_prices`` (the engine's
            ``{product_id: B2bPrice}`` of the lines checked, at the cart's quantities) and
            ``stock`` (``{product_id: B2bStock}`` of the lines read)
        """
        lines = self._b2b_product_lines()
        engine_prices = {}
        changes = {
            line.id: (old, new) for line, old, new in self._b2b_live_price_changes(engine_prices, live_lines)
        } if self else {}
        shown = lines if shown_lines is None else shown_lines & lines
        stock = shown.product_id._b2b_get_stock()
        summary = self._b2b_stored_summary(lines, changes, stock, shown)
        if summary is None:
            summary = self._b2b_computed_summary(lines, changes, stock, shown)
        summary.update(
            count=len(lines),
            engine_prices=engine_prices,
            stock=stock,
            rules=self._b2b_order_rules(untaxed=summary["goods"], total=summary["amount_total"]) if lines else None,
        )
        return summary

    def _b2b_stock_shortfall(self, line, stock):
        """What the cart says of a line's stock: out of stock says so in its
        badge, a shortfall says how many are there (None: no shortfall)."""
        free_qty = stock[line.product_id.id].free_qty if line.product_id.id in stock else 0.0
        return free_qty if 0 < free_qty < line._b2b_qty_in_product_uom() else None

    def _b2b_stored_summary(self, lines, changes, stock, shown=None):
        """The summary read from what Odoo stored when the lines last changed
        (each line's subtotal, the order's totals), when that is what
        ``_b2b_computed_summary`` would compute: no line's price changed since,
        no charge to add, and no other priced line. Most pages and every
        in-place change of a cart are in that case, and the taxes of every
        line are then not computed a second time. None otherwise. The rows
        of ``shown`` only, when given."""
        if not self or changes or self.order_line.filtered(lambda line: not line.display_type) != lines:
            return None
        currency = self.currency_id or (self.company_id or self.env.company).currency_id
        goods = sum(currency.round(line.price_subtotal) for line in lines)
        if self._b2b_charges(goods):
            return None
        return {
            "lines": [{"line": line, "price_unit": line.price_unit, "old_price": None, "subtotal": line.price_subtotal,
                       "short_qty": self._b2b_stock_shortfall(line, stock)}
                      for line in (lines if shown is None else shown)],
            "charges": [],
            "goods": goods,
            "amount_untaxed": self.amount_untaxed,
            "amount_tax": self.amount_tax,
            "amount_total": self.amount_total,
        }

    def _b2b_computed_summary(self, lines, changes, stock, shown=None):
        """The summary computed as Odoo computes an order's totals, with each
        line at its live price (``changes``) and the order rules' charges;
        the rows of ``shown`` only, when given."""
        AccountTax = self.env["account.tax"]
        base_lines = []
        rows = []
        for line in lines:
            old, new = changes.get(line.id, (None, line.price_unit))
            base_line = line._prepare_base_line_for_taxes_computation(price_unit=new)
            base_lines.append(base_line)
            rows.append({
                "line": line,
                "price_unit": new,
                "old_price": old,
                "base_line": base_line,
                "short_qty": self._b2b_stock_shortfall(line, stock),
            })
        company = self.company_id or self.env.company
        AccountTax._add_tax_details_in_base_lines(base_lines, company)
        currency = self.currency_id or company.currency_id
        # The goods' untaxed total as the order's lines will add it up (each subtotal rounded).
        goods = sum(currency.round(line["tax_details"]["total_excluded_currency"]) for line in base_lines)
        charges = self._b2b_charges(goods) if self else []
        for charge in charges:
            product = charge["product"].with_company(company)
            charge["base_line"] = AccountTax._prepare_base_line_for_taxes_computation(
                None, product_id=product, price_unit=charge["price_unit"], quantity=1.0,
                tax_ids=self.fiscal_position_id.map_tax(product.taxes_id._filter_taxes_by_company(company)),
                currency_id=self.currency_id, rate=self.currency_rate, partner_id=self.partner_id,
            )
            AccountTax._add_tax_details_in_base_lines([charge["base_line"]], company)
            base_lines.append(charge["base_line"])
        AccountTax._round_base_lines_tax_details(base_lines, company)
        totals = AccountTax._get_tax_totals_summary(
            base_lines=base_lines, currency=currency, company=company,
        ) if base_lines else {}
        for row in rows:
            row["subtotal"] = row.pop("base_line")["tax_details"]["raw_total_excluded_currency"]
        for charge in charges:
            charge["subtotal"] = charge.pop("base_line")["tax_details"]["raw_total_excluded_currency"]
        return {
            "lines": rows if shown is None else [row for row in rows if row["line"] in shown],
            "charges": charges,
            "goods": goods,
            "amount_untaxed": totals.get("base_amount_currency", 0.0),
            "amount_tax": totals.get("tax_amount_currency", 0.0),
            "amount_total": totals.get("total_amount_currency", 0.0),
        }
