from collections import defaultdict
from contextlib import contextmanager

from odoo import api, fields, models
from odoo.tools import float_compare

# Where ``SaleOrder._b2b_sharing_prices`` keeps the engine's prices (the cursor's cache).
SHARED_PRICES_KEY = "b2b_shared_order_prices"

# Web orders that are not (yet) orders to sign or pay.
B2B_NOT_YET_ORDERS = ("cart", "company_pending", "pending", "rejected")

# Badge colour of each status the buyer sees (Bootstrap contextual classes).
PORTAL_STATUS_CLASSES = {
    "pending": "warning",
    "company_pending": "warning",
    "to_pay": "warning",
    "held": "warning",
    "rejected": "danger",
    "cancelled": "secondary",
    "shipped": "success",
    "invoiced": "success",
    "partly_shipped": "info",
}


class SaleOrder(models.Model):
    """What every B2B flow of an order shares: its fields, the flags an
    approver reads, its product lines, its pricing and the buyer's emails.
    The flows extend ``sale.order`` from their own files: the cart
    (``sale_order_cart.py``), the submit (``sale_order_submit.py``), the
    approval (``sale_order_approval.py``), the reorder
    (``sale_order_reorder.py``) and the dashboard figures
    (``sale_order_dashboard.py``)."""

    _inherit = "sale.order"

    b2b_state = fields.Selection(
        [
            ("cart", "Cart"),
            ("company_pending", "Awaiting approval by the customer"),
            ("pending", "Awaiting approval"),
            ("to_pay", "Awaiting the buyer's payment"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
        ],
        string="Web Order Status",
        copy=False,
        index="btree_not_null",
        tracking=True,
        help="Only set on orders made in the B2B portal: a buyer's cart, then, where the "
        "customer's own rules ask for it, an order awaiting the approval of the customer's "
        "administrators, then an order awaiting the office's approval (or, where the customer's credit "
        "policy asks for it, the buyer's online payment first), then approved or rejected.",
    )
    b2b_buyer_note = fields.Text(string="Buyer's Note", copy=False)
    b2b_portal_status = fields.Selection(
        [
            ("cart", "In cart"),
            ("company_pending", "Awaiting approval by your company"),
            ("pending", "Awaiting approval"),
            ("held", "On hold: account review"),
            ("to_pay", "Awaiting your payment"),
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
    b2b_portal_status_class = fields.Char(
        compute="_compute_b2b_portal_status", help="Badge colour of the status for the buyer."
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

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("b2b_state", "b2b_hold_reason", "state", "delivery_status", "invoice_status")
    def _compute_b2b_portal_status(self):
        for order in self:
            if order.b2b_state == "pending" and order.b2b_hold_reason:
                status = "held"
            elif order.b2b_state in ("cart", "company_pending", "pending", "to_pay", "rejected"):
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
            order.b2b_portal_status_class = PORTAL_STATUS_CLASSES.get(status, "primary")

    @api.depends_context("uid")
    @api.depends("order_line.product_uom_qty", "order_line.price_unit", "partner_id", "amount_total")
    def _compute_b2b_flags(self):
        """What an approver must see at a glance, batched over the list."""
        lines = self._b2b_product_lines()
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
                line._b2b_qty_in_product_uom() > stock[line.product_id.id].free_qty for line in order_lines
            )
            order.b2b_flag_manual_price = any(
                line.technical_price_unit != line.price_unit for line in order_lines
            )
            order.b2b_overdue_amount = overdue.get(order.partner_id.commercial_partner_id, 0.0)
            order.b2b_flag_credit = bool(order.partner_credit_warning)

    # ------------------------------------------------------------------
    # Lines and pricing
    # ------------------------------------------------------------------

    def _b2b_product_lines(self):
        """The product lines of these orders (see
        ``SaleOrderLine._b2b_filter_product_lines``)."""
        return self.order_line._b2b_filter_product_lines()

    def _b2b_product_quantities(self, lines=None, products=None):
        """``{product_id: quantity}`` of the whole order, in each product's
        sales unit: volume breaks look at the total of a product. ``lines``
        adds lines not linked to the order yet (being created); ``products``
        limits it to these products' quantities."""
        self.ensure_one()
        quantities = defaultdict(float)
        order_lines = self.order_line | (lines or self.order_line.browse())
        if products is not None:
            product_ids = set(products.ids)
            order_lines = order_lines.filtered(lambda line: line.product_id.id in product_ids)
        for line in order_lines._b2b_filter_product_lines():
            quantities[line.product_id.id] += line._b2b_qty_in_product_uom()
        return quantities

    def _b2b_get_prices(self, products, lines=None, date=None):
        """The B2B engine's prices of ``products`` for this order, on
        ``date`` (default: today for a cart, whose lines are priced at
        today's rules as the buyer sees them; else the order date).
        Within ``_b2b_sharing_prices``, each product is priced once for each
        of its quantities and date (a product's price depends on its own
        quantity in the order only)."""
        self.ensure_one()
        if not date and self.b2b_state == "cart":
            date = fields.Date.context_today(self)
        elif not date and self.date_order:
            date = fields.Date.context_today(self, self.date_order)
        quantities = self._b2b_product_quantities(lines, products=products)
        shared = self.env.cr.cache.get(SHARED_PRICES_KEY)
        if shared is None:
            return self._b2b_engine_prices(products, quantities, date)
        known = shared.setdefault((self.id, self.partner_id.id, self.currency_id.id, date), {})
        missing = products.filtered(
            lambda product: product.id not in known or known[product.id][0] != quantities.get(product.id)
        )
        if missing:
            for product_id, price in self._b2b_engine_prices(missing, quantities, date).items():
                known[product_id] = (quantities.get(product_id), price)
        return {pid: known[pid][1] for pid in products.ids if pid in known}

    def _b2b_engine_prices(self, products, quantities, date):
        return self.env["b2b.pricing"]._get_prices(
            self.partner_id, products, quantities=quantities, date=date, currency=self.currency_id,
        )

    @api.model
    @contextmanager
    def _b2b_sharing_prices(self):
        """Within this block, the engine prices each product of an order once
        for each of its quantities and date: an in-place change of a cart
        prices the changed line as it writes it, then shows it at today's
        prices, at the same quantity. Only for a block in which no pricing
        rule changes (the engine's prices are kept until its end)."""
        cache = self.env.cr.cache
        outer = cache.get(SHARED_PRICES_KEY)
        cache[SHARED_PRICES_KEY] = {} if outer is None else outer
        try:
            yield
        finally:
            if outer is None:
                cache.pop(SHARED_PRICES_KEY, None)

    def _b2b_live_price_changes(self, engine_prices=None, lines=None):
        """``[(line, price now, price at today's rules)]`` of the product
        lines (or of ``lines`` among them) whose engine price differs today.
        Reads only: what a page shows before the buyer changes anything.
        ``engine_prices``: a dict to fill with the engine's prices (see
        ``_b2b_engine_price_units``)."""
        self.ensure_one()
        lines = (self.order_line if lines is None else lines & self.order_line)._b2b_priced_lines()
        today = fields.Date.context_today(self)
        live = lines._b2b_engine_price_units(date=today, engine_prices=engine_prices)
        digits = self.env["decimal.precision"].precision_get("Product Price")
        return [
            (line, line.price_unit, live[line.id])
            for line in lines
            if float_compare(line.price_unit, live[line.id], precision_digits=digits)
        ]

    def _b2b_refresh_prices(self, lines=None):
        """Reprice every product line, or ``lines``, from live data (a write:
        POST requests only). A line's price depends on its own product's
        quantity only, so a change of one line reprices that line.
        :return: ``[(line, old, new)]`` of the lines whose unit price changed."""
        self.ensure_one()
        lines = self._b2b_product_lines() if lines is None else lines & self._b2b_product_lines()
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
    # Buyer's emails
    # ------------------------------------------------------------------

    def _b2b_notify(self, template_xmlid, **context):
        """Email the buyer (and post on the chatter, visible on the portal)."""
        template = self.env.ref(template_xmlid, raise_if_not_found=False)
        for order in self:
            if template:
                order.with_context(**context).message_post_with_source(template, subtype_xmlid="mail.mt_comment")

    # ------------------------------------------------------------------
    # Portal: a web order awaiting approval is not a quotation to sign or pay
    # ------------------------------------------------------------------

    def _has_to_be_signed(self):
        return super()._has_to_be_signed() and self.b2b_state not in B2B_NOT_YET_ORDERS

    def _has_to_be_paid(self):
        return super()._has_to_be_paid() and self.b2b_state not in B2B_NOT_YET_ORDERS
