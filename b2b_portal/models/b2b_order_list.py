import csv
import io
import math

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import float_compare, float_round

from .b2b_quick_order import QUICK_ORDER_HEADER, QUICK_ORDER_NUMBER

NOTE_MAX_LENGTH = 200


class B2bOrderList(models.Model):
    """A named list of products a customer orders again and again (the
    kitchen's weekly order, the bar's par list): a buyer's own, shared with
    its company, or prepared by the office for the customer (read-only for
    its buyers, who copy it to their own). Who reads and edits which list is
    decided by the record rules (``security/b2b_portal_security.xml``)."""

    _name = "b2b.order.list"
    _inherit = ["b2b.commercial.mixin"]
    _description = "B2B Order List"
    _order = "is_recommended desc, name, id"

    name = fields.Char(required=True)
    partner_id = fields.Many2one(help="The customer company the list belongs to.")
    owner_id = fields.Many2one(
        "res.partner",
        index=True,
        ondelete="set null",
        help="The buyer who made the list; empty on the lists the office prepared.",
    )
    sharing = fields.Selection(
        [("private", "Private"), ("company", "Shared with the company")],
        required=True,
        default="private",
        help="Private: its owner alone sees it. Shared: every buyer of the company reads it; its owner "
        "and the company's administrators change it.",
    )
    is_recommended = fields.Boolean(
        string="Prepared by the Office",
        help="A list the office prepared for the customer: every buyer of the customer reads it and can "
        "copy it to a list of its own; only the office changes it.",
    )
    line_ids = fields.One2many("b2b.order.list.line", "list_id", string="Lines", copy=True)
    line_count = fields.Integer(compute="_compute_line_count")
    par_line_count = fields.Integer(compute="_compute_line_count", string="Lines with a Par Level")

    @api.depends("line_ids.par_qty")
    def _compute_line_count(self):
        for order_list in self:
            order_list.line_count = len(order_list.line_ids)
            order_list.par_line_count = len(order_list.line_ids.filtered("par_qty"))

    @api.constrains("owner_id", "partner_id")
    def _check_owner(self):
        for order_list in self:
            if order_list.owner_id and order_list.owner_id.commercial_partner_id != order_list.partner_id:
                raise ValidationError(self.env._(
                    "The owner of the list %(list)s must be one of %(customer)s's people.",
                    list=order_list.name, customer=order_list.partner_id.display_name,
                ))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("is_recommended"):
                vals["sharing"] = "company"
            self._b2b_check_portal_vals(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._b2b_check_portal_vals(vals)
        if {"owner_id", "sharing"} & set(vals) and not self.env.su and self.env.user.share and any(
            order_list.owner_id != self.env.user.partner_id for order_list in self
        ):
            raise AccessError(self.env._("Only the list's owner shares it, makes it private or gives it away."))
        if vals.get("is_recommended"):
            vals = dict(vals, sharing="company")
        return super().write(vals)

    def copy_data(self, default=None):
        default = dict(default or {})
        vals_list = super().copy_data(default)
        if "name" not in default:
            for order_list, vals in zip(self, vals_list, strict=True):
                vals["name"] = self.env._("%(name)s (copy)", name=order_list.name)
        return vals_list

    @api.model
    def _b2b_check_portal_vals(self, vals):
        """A portal user's list is its own company's, owned by itself, never
        the office's: the record rules check the rows, this the values given
        (a forged owner, company or flag over JSON-RPC)."""
        user = self.env.user
        if self.env.su or not user.share:
            return
        partner = user.partner_id
        creating = not self
        if (
            ("partner_id" in vals and vals["partner_id"] not in (partner.id, partner.commercial_partner_id.id))
            or (("owner_id" in vals or creating) and vals.get("owner_id") != partner.id)
            or vals.get("is_recommended")
        ):
            raise AccessError(self.env._("You can only make lists of your own, for your own company."))

    # ------------------------------------------------------------------
    # The portal's operations
    # ------------------------------------------------------------------

    @api.model
    def _b2b_create_for(self, buyer, name, sharing="private", quantities=None):
        """A new list of ``buyer`` (a contact), with ``{product: quantity}``
        as its lines (the products outside its catalog are refused)."""
        order_list = self.create({
            "name": (name or "").strip() or self.env._("My list"),
            "partner_id": buyer.commercial_partner_id.id,
            "owner_id": buyer.id,
            "sharing": sharing if sharing in ("private", "company") else "private",
        })
        if quantities:
            order_list._b2b_set_lines(quantities)
        return order_list

    def _b2b_set_lines(self, quantities, pars=None, notes=None, add=False):
        """Write ``{product: quantity}`` (and ``{product: par}``,
        ``{product: note}``) into this list, one line per product: a
        product already there gets the new values (its quantity increased
        with ``add``), a new one a new line at the end, priced now. Every
        product must be orderable by the list's customer."""
        self.ensure_one()
        pars, notes = pars or {}, notes or {}
        Order = self.env["sale.order"]
        # Checked before writing: a NaN or infinite quantity would break the
        # Float field's rounding before the lines' own constraint could say why.
        for product, quantity in quantities.items():
            Order._b2b_check_quantity(product.sudo(), quantity)
            if pars.get(product):
                Order._b2b_check_quantity(product.sudo(), pars[product])
        lines = {line.product_id.id: line for line in self.line_ids}
        next_sequence = max(self.line_ids.mapped("sequence"), default=0) + 1
        commands = []
        for product, quantity in quantities.items():
            vals = {"quantity": quantity}
            if product in pars:
                vals["par_qty"] = pars[product]
            if product in notes:
                vals["note"] = notes[product]
            line = lines.get(product.id)
            if line:
                if add:
                    vals["quantity"] = line.quantity + quantity
                commands.append(fields.Command.update(line.id, vals))
            else:
                commands.append(fields.Command.create({**vals, "product_id": product.id, "sequence": next_sequence}))
                next_sequence += 1
        self.line_ids = commands

    def _b2b_review(self, buyer, quantities=None):
        """The list's lines as ``buyer`` would order them now, in a fixed
        number of queries: ``[{line, product, orderable, price (the engine's
        today, at ``quantities`` or the line's quantity), saved_price,
        change ("up", "down" or None)}]`` in the list's order, and the
        counts of each kind of change."""
        self.ensure_one()
        lines = self.line_ids
        products = lines.product_id.sudo()
        orderable = buyer.commercial_partner_id._b2b_filter_allowed_products(products)
        quantities = quantities or {}
        prices = self.env["b2b.pricing"]._get_prices(
            buyer, orderable, {line.product_id.id: quantities.get(line.id, line.quantity) for line in lines}
        )
        # The remembered price is compared with today's at the same quantity.
        saved_qty = {line.product_id.id: line.saved_qty or line.quantity for line in lines}
        then_prices = prices
        if any(saved_qty[line.product_id.id] != quantities.get(line.id, line.quantity) for line in lines):
            then_prices = self.env["b2b.pricing"]._get_prices(buyer, orderable, saved_qty)
        stock = orderable._b2b_get_stock()
        currency = self.env.company.currency_id
        rows = []
        counts = {"up": 0, "down": 0, "low": 0, "out": 0, "gone": 0}
        for line in lines:
            product = line.product_id.sudo()
            row = {"line": line, "product": product, "orderable": product in orderable, "price": None,
                   "change": None, "stock": None}
            if not row["orderable"]:
                counts["gone"] += 1
            else:
                price = prices.get(product.id)
                row["price"] = price and price.price
                then = then_prices.get(product.id)
                if then and line.saved_price:
                    compare = currency.compare_amounts(then.price, line.saved_price)
                    row["change"] = {1: "up", -1: "down"}.get(compare)
                    if row["change"]:
                        counts[row["change"]] += 1
                row["stock"] = stock[product.id]
                if row["stock"].status in ("low", "out"):
                    counts[row["stock"].status] += 1
            rows.append(row)
        return rows, counts

    def _b2b_restock_quantities(self, on_hand):
        """What to order to bring the shelf back to par: ``{line: quantity on
        the shelf}`` in, ``({product: quantity to order}, [(line, reason)])``
        out. Each quantity is par minus on hand, in whole units for products
        sold by the unit, rounded up to the product's sales pack; lines at or
        above par, or not counted, are listed with the reason they are skipped."""
        self.ensure_one()
        quantities, skipped = {}, []
        lines = self.line_ids.filtered("par_qty")
        orderable = self.partner_id._b2b_filter_allowed_products(lines.product_id.sudo())
        packagings = orderable._b2b_sales_packagings()
        unit_category = self.env.ref("uom.product_uom_categ_unit")
        for line in lines:
            product = line.product_id.sudo()
            if line.id not in on_hand:
                skipped.append((line, self.env._("not counted")))
                continue
            counted = on_hand[line.id]
            if counted < 0:
                raise UserError(self.env._(
                    "%(product)s: what is on the shelf cannot be less than zero.", product=product.display_name
                ))
            missing = line.par_qty - counted
            if float_compare(missing, 0.0, precision_rounding=product.uom_id.rounding) <= 0:
                skipped.append((line, self.env._("at or above par")))
                continue
            if product not in orderable:
                skipped.append((line, self.env._("no longer orderable")))
                continue
            if product.uom_id.category_id == unit_category:
                missing = float(math.ceil(float_round(missing, precision_rounding=product.uom_id.rounding)))
            # Restocking orders at least the product's minimum quantity.
            missing = max(missing, product.b2b_min_qty)
            quantities[product] = product._b2b_round_to_pack(
                missing, packagings.get(product.id) or self.env["product.packaging"]
            )[0]
        return quantities, skipped

    # ------------------------------------------------------------------
    # CSV import and export: reference, quantity, par, note
    # ------------------------------------------------------------------

    def _b2b_parse_csv(self, data):
        """Read CSV rows of reference, quantity, par level and note (the
        last two optional: a row without them leaves the line's own; comma,
        semicolon or tab separated; a header row is skipped) for this list. Every row is checked as the quick order
        checks its lines, so the buyer gets its errors line by line.
        :return: ``({product: (quantity, par or None, note or None)}, [(line number, text, reason)])``"""
        self.ensure_one()
        QuickOrder = self.env["b2b.quick.order"]
        parsed, rejected = [], []
        for index, (number, text, cells) in enumerate(QuickOrder._read_csv(data)):
            if index == 0 and QUICK_ORDER_HEADER.match(text) and not QUICK_ORDER_NUMBER.match(
                cells[1] if len(cells) > 1 else ""
            ):
                continue  # a header row
            if not 2 <= len(cells) <= 4 or not cells[0]:
                rejected.append((number, text, self.env._(
                    "Expected a reference and a quantity, then a par level and a note if any."
                )))
                continue
            parsed.append((number, text, [_from_spreadsheet(cells[0]), *cells[1:], *[None] * (4 - len(cells))]))
        by_ref = QuickOrder._find_products(self.partner_id, {cells[0] for _n, _t, cells in parsed})
        result, seen = {}, {}
        for number, text, (ref, qty_text, par_text, note) in parsed:
            product = by_ref.get(ref)
            if not product:
                rejected.append((number, text, self.env._("%(ref)s is not a reference you can order.", ref=ref)))
                continue
            if product in seen:
                rejected.append((number, text, self.env._("%(ref)s is already on line %(line)s.",
                                                           ref=ref, line=seen[product])))
                continue
            try:
                quantity = self._b2b_read_number(product, qty_text)
                par = self._b2b_read_number(product, par_text) if par_text else (None if par_text is None else 0.0)
            except UserError as error:
                rejected.append((number, text, error.args[0]))
                continue
            seen[product] = number
            result[product] = (quantity, par, note if note is None else _from_spreadsheet(note)[:NOTE_MAX_LENGTH])
        rejected.sort(key=lambda row: row[0])
        return result, rejected

    def _b2b_read_number(self, product, text):
        """A quantity or par level of ``product`` read from a CSV cell, or a UserError that says why not."""
        try:
            quantity = float(text)
        except ValueError:
            raise UserError(self.env._("%(qty)s is not a quantity.", qty=text)) from None
        self.env["sale.order"]._b2b_check_quantity(product, quantity)
        return quantity

    def _b2b_import_csv(self, data):
        """Write the valid rows of ``data`` into this list (see
        ``_b2b_parse_csv``). :return: ``(rows written, rejected rows)``"""
        rows, rejected = self._b2b_parse_csv(data)
        if rows:
            self._b2b_set_lines(
                {product: row[0] for product, row in rows.items()},
                pars={product: row[1] for product, row in rows.items() if row[1] is not None},
                notes={product: row[2] for product, row in rows.items() if row[2] is not None},
            )
        return len(rows), rejected

    def _b2b_export_csv(self):
        """The list as CSV text (reference, quantity, par, note). A cell a
        spreadsheet would run as a formula is quoted with an apostrophe."""
        self.ensure_one()
        output = io.StringIO()
        writer = csv.writer(output, lineterminator="\n")
        writer.writerow(["reference", "quantity", "par", "note"])
        for line in self.line_ids:
            product = line.product_id.sudo()
            writer.writerow([
                _spreadsheet_safe(product.default_code or ""),
                product._b2b_format_qty(line.quantity),
                product._b2b_format_qty(line.par_qty) if line.par_qty else "",
                _spreadsheet_safe(line.note or ""),
            ])
        return output.getvalue()


SPREADSHEET_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _spreadsheet_safe(text):
    """``text`` behind an apostrophe where a spreadsheet would run it as a formula."""
    return f"'{text}" if text.startswith(SPREADSHEET_FORMULA_STARTS) else text


def _from_spreadsheet(text):
    """A cell as ``_spreadsheet_safe`` wrote it, without the apostrophe."""
    return text[1:] if text.startswith("'") and text[1:].startswith(SPREADSHEET_FORMULA_STARTS) else text
