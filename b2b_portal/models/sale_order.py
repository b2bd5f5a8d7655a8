import math
import re
from collections import defaultdict
from datetime import datetime, time

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_compare, format_date

QUICK_ORDER_MAX_BYTES = 5 * 1024 * 1024
QUICK_ORDER_MAX_LINES = 10000
QUICK_ORDER_SPLIT = re.compile(r"[;,\t ]+")
QUICK_ORDER_HEADER = re.compile(r"^\W*(ref|reference|sku|code|product|item)", re.IGNORECASE)
QUICK_ORDER_NUMBER = re.compile(r"^[-+]?[0-9.eE]+$")


class SaleOrder(models.Model):
    _inherit = "sale.order"

    b2b_state = fields.Selection(
        [
            ("cart", "Cart"),
            ("pending", "Awaiting approval"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
        ],
        string="Web Order Status",
        copy=False,
        index="btree_not_null",
        tracking=True,
        help="Only set on orders made in the B2B portal: a buyer's cart, then "
        "an order awaiting the office's approval, then approved or rejected.",
    )
    b2b_buyer_note = fields.Text(string="Buyer's Note", copy=False)
    b2b_portal_status = fields.Selection(
        [
            ("cart", "In cart"),
            ("pending", "Awaiting approval"),
            ("rejected", "Rejected"),
            ("cancelled", "Cancelled"),
            ("quotation", "Quotation"),
            ("approved", "Approved"),
            ("partly_shipped", "Partly shipped"),
            ("shipped", "Shipped"),
            ("invoiced", "Invoiced"),
        ],
        string="Status for the Buyer",
        compute="_compute_b2b_portal_status",
    )
    b2b_submitted_date = fields.Datetime(string="Submitted on", copy=False, readonly=True)
    b2b_submitted_lines = fields.Json(
        copy=False, readonly=True, help="Lines as the buyer sent them: {line id: [product, quantity, unit price]}."
    )
    b2b_reject_reason = fields.Text(string="Rejection Reason", copy=False, tracking=True)
    b2b_flag_stock = fields.Boolean(
        string="Beyond stock", compute="_compute_b2b_flags", help="A line asks for more than is available now."
    )
    b2b_flag_manual_price = fields.Boolean(
        string="Price changed", compute="_compute_b2b_flags", help="A line's price was typed by hand."
    )
    b2b_overdue_amount = fields.Monetary(
        string="Customer overdue", compute="_compute_b2b_flags", currency_field="currency_id"
    )
    b2b_flag_credit = fields.Boolean(
        string="Over credit limit", compute="_compute_b2b_flags", help="The customer's credit limit would be exceeded."
    )

    @api.depends("b2b_state", "state", "delivery_status", "invoice_status")
    def _compute_b2b_portal_status(self):
        for order in self:
            if order.b2b_state in ("cart", "pending", "rejected"):
                status = order.b2b_state
            elif order.state == "cancel":
                status = "cancelled"
            elif order.state != "sale":
                status = "quotation"
            elif order.invoice_status == "invoiced":
                status = "invoiced"
            elif order.delivery_status == "full":
                status = "shipped"
            elif order.delivery_status == "partial":
                status = "partly_shipped"
            else:
                status = "approved"
            order.b2b_portal_status = status

    @api.depends_context("uid")
    @api.depends("order_line.product_uom_qty", "order_line.price_unit", "partner_id", "amount_total")
    def _compute_b2b_flags(self):
        """What an approver must see at a glance, batched over the list."""
        lines = self.order_line.filtered(lambda line: line.product_id and not line.display_type)
        stock = lines.product_id._b2b_get_stock()
        commercial = self.partner_id.commercial_partner_id
        overdue = dict(self.env["account.move"].sudo()._read_group(
            [
                ("commercial_partner_id", "in", commercial.ids),
                ("move_type", "in", ("out_invoice", "out_refund")),
                ("state", "=", "posted"),
                ("payment_state", "in", ("not_paid", "partial")),
                ("invoice_date_due", "<", fields.Date.context_today(self)),
            ],
            ["commercial_partner_id"],
            ["amount_residual_signed:sum"],
        ))
        for order in self:
            order_lines = order.order_line & lines
            order.b2b_flag_stock = any(
                line.product_uom._compute_quantity(line.product_uom_qty, line.product_id.uom_id)
                > stock[line.product_id.id].free_qty
                for line in order_lines
            )
            order.b2b_flag_manual_price = any(
                line.technical_price_unit != line.price_unit for line in order_lines
            )
            order.b2b_overdue_amount = overdue.get(order.partner_id.commercial_partner_id, 0.0)
            order.b2b_flag_credit = bool(order.partner_credit_warning)

    # ------------------------------------------------------------------
    # Pricing
    # ------------------------------------------------------------------

    def _b2b_product_quantities(self, lines=None):
        """``{product_id: quantity}`` of the whole order, in each product's
        sales unit: volume breaks look at the total of a product. ``lines``
        adds lines not linked to the order yet (being created)."""
        self.ensure_one()
        quantities = defaultdict(float)
        for line in self.order_line | (lines or self.order_line.browse()):
            if line.product_id and not line.display_type and line.product_uom:
                quantities[line.product_id.id] += line.product_uom._compute_quantity(
                    line.product_uom_qty, line.product_id.uom_id, raise_if_failure=False
                )
        return quantities

    def _b2b_get_prices(self, products, lines=None):
        """The B2B engine's prices of ``products`` for this order."""
        self.ensure_one()
        return self.env["b2b.pricing"]._get_prices(
            self.partner_id,
            products,
            quantities=self._b2b_product_quantities(lines),
            date=fields.Date.context_today(self, self.date_order) if self.date_order else None,
            currency=self.currency_id,
        )

    def _b2b_refresh_prices(self):
        """Reprice every line from live data. :return: ``[(line, old, new)]``
        of the lines whose unit price changed."""
        self.ensure_one()
        lines = self.order_line.filtered(lambda line: line.product_id and not line.display_type)
        before = {line.id: line.price_unit for line in lines}
        self.date_order = fields.Datetime.now()
        lines.with_context(force_price_recomputation=True)._compute_price_unit()
        digits = self.env["decimal.precision"].precision_get("Product Price")
        return [
            (line, before[line.id], line.price_unit)
            for line in lines
            if float_compare(before[line.id], line.price_unit, precision_digits=digits)
        ]

    # ------------------------------------------------------------------
    # Cart
    # ------------------------------------------------------------------

    @api.model
    def _b2b_get_cart(self, partner, create=False):
        """The buyer's open cart (one per buyer contact), as superuser: the
        caller has checked that ``partner`` is the logged-in buyer."""
        domain = [("partner_id", "=", partner.id), ("b2b_state", "=", "cart"), ("state", "=", "draft")]
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
            cart.message_subscribe(partner_ids=partner.ids)
        return cart

    @api.model
    def _b2b_prepare_cart_vals(self, partner):
        # Salesperson, team, pricelist, addresses: Odoo's computes from the partner.
        return {"partner_id": partner.id, "b2b_state": "cart", "origin": self.env._("B2B portal")}

    def _b2b_check_quantity(self, product, quantity):
        """A clear message for any quantity the cart must refuse."""
        _ = self.env._
        if not isinstance(quantity, (int, float)) or math.isnan(quantity) or math.isinf(quantity):
            raise UserError(_("%(product)s: the quantity must be a number.", product=product.display_name))
        if quantity <= 0:
            raise UserError(_("%(product)s: the quantity must be more than zero.", product=product.display_name))
        if quantity > 1_000_000:
            raise UserError(_("%(product)s: %(qty)s is more than can be ordered at once.",
                              product=product.display_name, qty=quantity))
        uom = product.uom_id
        unit_category_id = self.env["ir.model.data"]._xmlid_to_res_id("uom.product_uom_categ_unit")
        if uom.category_id.id == unit_category_id and quantity != int(quantity):
            raise UserError(_("%(product)s is sold by %(uom)s: order a whole number.",
                              product=product.display_name, uom=uom.name))

    def _b2b_add_products(self, quantities, replace=False):
        """Add ``{product: quantity}`` to this cart (one line per product,
        quantities summed, or replaced with ``replace``). Every product and
        quantity is checked before anything changes. Prices come from the
        engine, never from the caller."""
        self.ensure_one()
        self._b2b_check_cart()
        # Read the caller's records (a portal user's, say) in this cart's environment.
        quantities = {product.with_env(self.env): qty for product, qty in quantities.items()}
        products = self.env["product.product"].concat(*quantities)
        allowed = self.partner_id._b2b_filter_allowed_products(products)
        refused = products - allowed
        if refused:
            raise UserError(self.env._(
                "%(products)s cannot be ordered: not in your catalog or no longer available.",
                products=", ".join(refused.mapped("display_name")),
            ))
        for product, quantity in quantities.items():
            self._b2b_check_quantity(product, quantity)
        lines_by_product = {line.product_id: line for line in self.order_line if not line.display_type}
        commands = []
        for product, quantity in quantities.items():
            line = lines_by_product.get(product)
            if line:
                qty = quantity if replace else line.product_uom_qty + quantity
                self._b2b_check_quantity(product, qty)
                commands.append(fields.Command.update(line.id, {"product_uom_qty": qty}))
            else:
                commands.append(fields.Command.create({"product_id": product.id, "product_uom_qty": quantity}))
        self.order_line = commands
        return self.order_line.filtered(lambda line: line.product_id in products)

    def _b2b_remove_lines(self, lines):
        self.ensure_one()
        self._b2b_check_cart()
        if lines - self.order_line:
            raise UserError(self.env._("This line is not in your cart."))
        lines.unlink()

    def _b2b_check_cart(self):
        if self.b2b_state != "cart" or self.state != "draft":
            raise UserError(self.env._("This order has already been submitted and can no longer be changed."))

    def _b2b_lock(self):
        """Serialise concurrent changes of one cart (two tabs, two workers).
        The second request waits for the first; as every change of a cart
        rewrites its row (totals, state), PostgreSQL then refuses the stale
        snapshot with a serialization failure, which Odoo retries afresh."""
        self.env.cr.execute(
            "SELECT id FROM sale_order WHERE id IN %s FOR NO KEY UPDATE", [tuple(self.ids)], log_exceptions=False
        )
        self.invalidate_recordset(["b2b_state", "state"])

    # ------------------------------------------------------------------
    # Submit
    # ------------------------------------------------------------------

    @api.model
    def _b2b_delivery_addresses(self, partner):
        commercial = partner.commercial_partner_id
        return commercial | commercial.child_ids.filtered(lambda p: p.type == "delivery" and p.active)

    def _b2b_prepare_submit_vals(self, client_order_ref=None, requested_date=None, shipping_partner=None,
                                 note=None):
        vals = {"b2b_state": "pending", "b2b_submitted_date": fields.Datetime.now()}
        if client_order_ref is not None:
            vals["client_order_ref"] = client_order_ref.strip()[:100] or False
        if note is not None:
            vals["b2b_buyer_note"] = note.strip()[:5000] or False
        if requested_date:
            if requested_date < fields.Date.context_today(self):
                raise UserError(self.env._("The requested delivery date cannot be in the past."))
            vals["commitment_date"] = datetime.combine(requested_date, time(12, 0))
        if shipping_partner:
            if shipping_partner not in self._b2b_delivery_addresses(self.partner_id):
                raise UserError(self.env._("Choose one of your company's delivery addresses."))
            vals["partner_shipping_id"] = shipping_partner.id
        return vals

    def action_b2b_submit(self, accept_price_changes=False, **submit_values):
        """Send the cart to the office. Prices are recomputed from live data
        first: :return: the price changes (nothing is sent while there are
        changes the buyer has not seen, unless ``accept_price_changes``)."""
        self.ensure_one()
        self._b2b_lock()
        self._b2b_check_cart()
        product_lines = self.order_line.filtered(lambda line: not line.display_type)
        if not product_lines:
            raise UserError(self.env._("Your cart is empty."))
        refused = product_lines.product_id - self.partner_id._b2b_filter_allowed_products(product_lines.product_id)
        if refused:
            raise UserError(self.env._(
                "%(products)s can no longer be ordered: remove it from your cart.",
                products=", ".join(refused.mapped("display_name")),
            ))
        vals = self._b2b_prepare_submit_vals(**submit_values)
        changes = self._b2b_refresh_prices()
        if changes and not accept_price_changes:
            return changes
        vals["b2b_submitted_lines"] = {
            str(line.id): [line.product_id.id, line.product_uom_qty, line.price_unit] for line in product_lines
        }
        self.write(vals)
        self._b2b_notify("b2b_portal.mail_template_b2b_order_pending")
        if self._b2b_can_auto_approve():
            self.sudo()._b2b_approve()
        return []

    def _b2b_notify(self, template_xmlid, **context):
        """Email the buyer (and post on the chatter, visible on the portal)."""
        template = self.env.ref(template_xmlid, raise_if_not_found=False)
        for order in self:
            if template:
                order.with_context(**context).message_post_with_source(template, subtype_xmlid="mail.mt_comment")

    # ------------------------------------------------------------------
    # Approval
    # ------------------------------------------------------------------

    def _b2b_check_approver(self):
        if not self.env.su and not self.env.user.has_group("b2b_portal.group_b2b_approver"):
            raise AccessError(self.env._("Only B2B approvers may approve or reject web orders."))
        not_pending = self.filtered(lambda order: order.b2b_state != "pending")
        if not_pending:
            raise UserError(self.env._(
                "%(orders)s: only web orders awaiting approval can be approved or rejected.",
                orders=", ".join(not_pending.mapped("name")),
            ))

    def _b2b_can_auto_approve(self):
        self.ensure_one()
        limit = self.partner_id.commercial_partner_id.b2b_auto_approve_limit
        return bool(
            limit
            and self.currency_id.compare_amounts(self.amount_total, limit) <= 0
            and not (self.b2b_flag_stock or self.b2b_flag_manual_price or self.b2b_flag_credit
                     or self.b2b_overdue_amount > 0)
        )

    def action_b2b_approve(self):
        """Approve web orders: confirm them, which creates the delivery as for
        any order, and tell the buyer what the office changed."""
        self._b2b_check_approver()
        self._b2b_approve()
        return True

    def action_confirm(self):
        """Odoo's own Confirm button on a web order awaiting approval is an
        approval: same rights, same state, same email to the buyer."""
        pending = self.filtered(lambda order: order.b2b_state == "pending")
        if not pending or self.env.context.get("b2b_approving"):
            return super().action_confirm()
        pending._b2b_check_approver()
        pending._b2b_approve()
        others = self - pending
        return super(SaleOrder, others).action_confirm() if others else True

    def _b2b_approve(self):
        for order in self:
            changes = order._b2b_changes_since_submit()
            order.with_context(b2b_approving=True).action_confirm()
            order.b2b_state = "approved"
            order._b2b_notify("b2b_portal.mail_template_b2b_order_approved", b2b_changes=changes)

    def _b2b_changes_since_submit(self):
        """``[(product name, what, before, after)]`` between what the buyer
        sent and the order now, for the approval email."""
        self.ensure_one()
        _ = self.env._
        submitted = {int(line_id): values for line_id, values in (self.b2b_submitted_lines or {}).items()}
        changes = []
        lines = self.order_line.filtered(lambda line: line.product_id and not line.display_type)
        for line in lines:
            before = submitted.get(line.id)
            if not before:
                changes.append((line.product_id.display_name, _("added"), "", line.product_uom_qty))
                continue
            if before[1] != line.product_uom_qty:
                changes.append((line.product_id.display_name, _("quantity"), before[1], line.product_uom_qty))
            if before[2] != line.price_unit:
                changes.append((line.product_id.display_name, _("unit price"), before[2], line.price_unit))
        products = self.env["product.product"].browse(
            values[0] for line_id, values in submitted.items() if line_id not in lines.ids
        )
        changes.extend((product.display_name, _("removed"), "", "") for product in products)
        return changes

    def action_b2b_reject_wizard(self):
        self._b2b_check_approver()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reject web orders"),
            "res_model": "b2b.order.reject",
            "view_mode": "form",
            "target": "new",
            "context": {"default_order_ids": self.ids},
        }

    def _b2b_reject(self, reason):
        self._b2b_check_approver()
        if not (reason or "").strip():
            raise UserError(self.env._("Tell the customer why the order is rejected."))
        self._action_cancel()
        self.write({"b2b_state": "rejected", "b2b_reject_reason": reason.strip()})
        self._b2b_notify("b2b_portal.mail_template_b2b_order_rejected")

    # ------------------------------------------------------------------
    # Portal: a web order awaiting approval is not a quotation to sign or pay
    # ------------------------------------------------------------------

    def _has_to_be_signed(self):
        return super()._has_to_be_signed() and self.b2b_state not in ("cart", "pending", "rejected")

    def _has_to_be_paid(self):
        return super()._has_to_be_paid() and self.b2b_state not in ("cart", "pending", "rejected")

    # ------------------------------------------------------------------
    # Reorder
    # ------------------------------------------------------------------

    def _b2b_reorder_into(self, cart):
        """Put this order's lines in ``cart`` at today's prices.
        :return: the products skipped because they can no longer be ordered."""
        self.ensure_one()
        lines = self.order_line.filtered(lambda line: line.product_id and not line.display_type)
        orderable = cart.partner_id._b2b_filter_allowed_products(lines.product_id)
        quantities = defaultdict(float)
        for line in lines.filtered(lambda line: line.product_id in orderable):
            quantities[line.product_id] += line.product_uom._compute_quantity(
                line.product_uom_qty, line.product_id.uom_id
            )
        if quantities:
            cart._b2b_add_products(dict(quantities))
        return lines.product_id - orderable

    # ------------------------------------------------------------------
    # Portal figures
    # ------------------------------------------------------------------

    @api.model
    def _b2b_monthly_purchases(self, domain, today):
        """``[(month label, amount)]`` of confirmed orders over the last 12
        months, oldest first, every month present, as the current user."""
        start = (today.replace(day=1) - relativedelta(months=11))
        groups = {
            month.date(): amount
            for month, amount in self._read_group(
                domain + [("state", "=", "sale"), ("date_order", ">=", start)],
                ["date_order:month"],
                ["amount_untaxed:sum"],
            )
        }
        months = [start + relativedelta(months=i) for i in range(12)]
        return [(format_date(self.env, month, date_format="MMM yy"), groups.get(month, 0.0)) for month in months]

    @api.model
    def _b2b_most_ordered_products(self, partner, limit=6):
        """The company's most ordered products of the last 12 months that it may still order."""
        since = fields.Datetime.now() - relativedelta(months=12)
        groups = self.env["sale.order.line"].sudo()._read_group(
            [
                ("order_id.partner_id", "child_of", partner.commercial_partner_id.id),
                ("order_id.state", "=", "sale"),
                ("order_id.date_order", ">=", since),
                ("product_id", "!=", False),
            ],
            ["product_id"],
            ["__count"],
            order="__count desc",
            limit=limit * 2,
        )
        products = self.env["product.product"].concat(*(product for product, _count in groups))
        return partner._b2b_filter_allowed_products(products)[:limit].sudo(False)

    @api.model
    def _b2b_parse_quick_order(self, partner, data):
        """Read "reference quantity" lines (pasted text or a CSV file).
        :return: ``({product: quantity}, [(line number, text, reason)])``.
        A file that is not text, too large or too long is refused whole."""
        _ = self.env._
        if len(data) > QUICK_ORDER_MAX_BYTES:
            raise UserError(_("The file is larger than 5 MB: split it into smaller files."))
        if b"\0" in data:
            raise UserError(_("This file is not a text or CSV file: nothing was added."))
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise UserError(_("This file is not UTF-8 text: save it as CSV UTF-8. Nothing was added.")) from None
        rows = [(number, line.strip()) for number, line in enumerate(text.splitlines(), 1) if line.strip()]
        if not rows:
            raise UserError(_("Nothing to add: paste lines of reference and quantity, or choose a file."))
        if len(rows) > QUICK_ORDER_MAX_LINES:
            raise UserError(_("At most 10,000 lines at once: nothing was added."))
        parsed, rejected = [], []
        for index, (number, line) in enumerate(rows):
            cells = [cell.strip().strip('"') for cell in QUICK_ORDER_SPLIT.split(line) if cell.strip()]
            if index == 0 and QUICK_ORDER_HEADER.match(line) and not QUICK_ORDER_NUMBER.match(cells[-1]):
                continue  # a header row: "reference;quantity"
            if len(cells) != 2:
                rejected.append((number, line, _("Expected a reference and a quantity.")))
                continue
            parsed.append((number, line, cells[0], cells[1]))
        refs = {ref for _n, _l, ref, _q in parsed}
        found = self.env["product.product"].sudo().with_context(active_test=False).search(
            [("default_code", "in", list(refs))]
        )
        by_ref = {}
        for product in found:
            by_ref.setdefault(product.default_code, product)
        allowed = partner._b2b_filter_allowed_products(found)
        quantities = defaultdict(float)
        for number, line, ref, qty_text in parsed:
            product = by_ref.get(ref)
            if not product:
                rejected.append((number, line, _("Unknown reference %(ref)s.", ref=ref)))
                continue
            if product not in allowed:
                rejected.append((number, line, _("%(ref)s is not in your catalog.", ref=ref)))
                continue
            try:
                quantity = float(qty_text)
                self._b2b_check_quantity(product, quantity)
                self._b2b_check_quantity(product, quantities[product] + quantity)
            except ValueError:
                rejected.append((number, line, _("%(qty)s is not a quantity.", qty=qty_text)))
                continue
            except UserError as error:
                rejected.append((number, line, error.args[0]))
                continue
            quantities[product] += quantity
        return {product.sudo(False): qty for product, qty in quantities.items()}, rejected
