from odoo import fields, http
from odoo.exceptions import UserError
from odoo.http import request
from odoo.tools.misc import formatLang

from ..tools import is_whole_number
from .portal import B2bPortal

SUBMIT_REPLAY_SECONDS = 120


class B2bCart(B2bPortal):
    """The cart, its submit, the reorder and the quick order."""

    @http.route("/b2b/cart", type="http", auth="user", website=True)
    def b2b_cart(self, **kw):
        """Shows the cart at today's prices without writing anything: a
        price changed since a line was added is shown here and written by the
        next update or the submit. Not declared read-only all the same: the
        page right after a change of the cart must never come from a lagging
        read replica."""
        partner = self._b2b_buyer("order")
        cart = request.env["sale.order"]._b2b_get_cart(partner)
        summary = cart._b2b_cart_summary()
        for row in summary["lines"]:
            if row["old_price"] is not None:
                self._b2b_flash(request.env._(
                    "The price of %(product)s changed from %(old)s to %(new)s since you added it.",
                    product=row["line"].product_id.display_name, old=self._b2b_money(row["old_price"], cart),
                    new=self._b2b_money(row["price_unit"], cart),
                ), "warning")
        values = self._b2b_product_values(cart._b2b_product_lines().product_id,
                                          cart._b2b_product_quantities() if cart else {})
        return request.render("b2b_portal.b2b_cart", self._b2b_values(
            "b2b_cart", cart=cart, summary=summary, addresses=self._b2b_address_options(partner, cart),
            spending=partner._b2b_spending_summary(),
            company_approval_reasons=cart._b2b_company_approval_reasons() if cart else [],
            today=fields.Date.context_today(cart), **values,
        ))

    @staticmethod
    def _b2b_money(amount, order):
        return formatLang(request.env, amount, currency_obj=order.currency_id)

    def _b2b_address_options(self, partner, cart):
        """The delivery addresses to choose from, as the buyer reads them."""
        return [
            {
                "id": address.id,
                "label": ", ".join(filter(None, (address.name or address.commercial_partner_id.name,
                                                 address.street, address.zip, address.city))),
                "selected": address == cart.partner_shipping_id,
            }
            for address in request.env["sale.order"]._b2b_delivery_addresses(partner)
        ]

    @http.route("/b2b/cart/add", type="http", auth="user", methods=["POST"], website=True)
    def b2b_cart_add(self, product_id=None, add_qty=None, **kw):
        partner = self._b2b_buyer("order")
        product = request.env["product.product"]
        if is_whole_number(product_id):
            product = product.search([("id", "=", int(product_id))])
        if not product:
            self._b2b_flash(request.env._("This product cannot be ordered."), "danger")
            return self._b2b_redirect_back("/b2b/cart")

        notices = []

        def add():
            cart = request.env["sale.order"]._b2b_get_cart(partner, create=True)
            cart._b2b_lock()
            cart._b2b_add_products({product: self._b2b_parse_qty(add_qty)}, notices=notices)

        if self._b2b_run(add)[0]:
            self._b2b_flash(request.env._("%(product)s added to your cart.", product=product.display_name))
            self._b2b_flash_notices(notices)
        return self._b2b_redirect_back("/b2b/cart")

    @http.route("/b2b/cart/update", type="http", auth="user", methods=["POST"], website=True)
    def b2b_cart_update(self, line_id=None, quantity=None, remove=None, **kw):
        cart = request.env["sale.order"]._b2b_get_cart(self._b2b_buyer("order"))
        line = cart.order_line.filtered(lambda line: str(line.id) == str(line_id))
        notices = []

        def update():
            if not line:
                raise UserError(request.env._("This line is not in your cart."))
            cart._b2b_lock()
            if remove:
                cart._b2b_remove_lines(line)
            else:
                cart._b2b_add_products({line.product_id: self._b2b_parse_qty(quantity)}, replace=True,
                                       notices=notices)
            cart._b2b_refresh_prices()

        if self._b2b_run(update)[0]:
            self._b2b_flash_notices(notices)
        return request.redirect("/b2b/cart")

    @http.route("/b2b/cart/submit", type="http", auth="user", methods=["POST"], website=True)
    def b2b_cart_submit(self, client_order_ref="", requested_date="", shipping_id=None, note="",
                        accept_price_changes=None, phone_order=None, **kw):
        partner = self._b2b_buyer("order")
        cart = request.env["sale.order"]._b2b_get_cart(partner)
        if not cart:
            return self._b2b_submitted_or_empty(partner)
        if shipping_id not in (None, "") and not is_whole_number(shipping_id):
            self._b2b_flash(request.env._("Choose one of your company's delivery addresses."), "danger")
            return request.redirect("/b2b/cart")
        shipping = request.env["res.partner"].sudo().browse(int(shipping_id)) if shipping_id else None
        done, changes = self._b2b_run(lambda: cart._b2b_submit(
            accept_price_changes=bool(accept_price_changes), phone_order=bool(phone_order),
            client_order_ref=client_order_ref, note=note,
            shipping_partner=shipping, requested_date=self._b2b_parse_date(requested_date),
        ))
        if not done:
            return request.redirect("/b2b/cart")
        if changes:
            for line, old, new in changes:
                self._b2b_flash(request.env._(
                    "The price of %(product)s changed from %(old)s to %(new)s: review your cart and submit again.",
                    product=line.product_id.display_name,
                    old=self._b2b_money(old, cart), new=self._b2b_money(new, cart),
                ), "warning")
            return request.redirect("/b2b/cart")
        return request.redirect(f"/b2b/order/{cart.id}/submitted")

    def _b2b_submitted_or_empty(self, partner):
        """A second submit of a cart just sent lands on the order already sent."""
        last = request.env["sale.order"].search(
            [("partner_id", "=", partner.id), ("b2b_state", "in", ("company_pending", "pending", "to_pay"))],
            order="b2b_submitted_date desc", limit=1,
        )
        if last and (fields.Datetime.now() - last.b2b_submitted_date).total_seconds() < SUBMIT_REPLAY_SECONDS:
            return request.redirect(f"/b2b/order/{last.id}/submitted")
        self._b2b_flash(request.env._("Your cart is empty."), "warning")
        return request.redirect("/b2b/cart")

    # Not read-only: it shows the order the buyer sent a moment ago, which a
    # lagging read replica would not have yet.
    @http.route("/b2b/order/<int:order_id>/submitted", type="http", auth="user", website=True)
    def b2b_order_submitted(self, order_id, **kw):
        self._b2b_buyer("order")
        order = self._b2b_order(order_id)
        return request.render("b2b_portal.b2b_order_submitted", self._b2b_values("b2b_cart", order=order.sudo()))

    @http.route("/b2b/reorder/<int:order_id>", type="http", auth="user", methods=["POST"], website=True)
    def b2b_reorder(self, order_id, **kw):
        partner = self._b2b_buyer("order")
        order = self._b2b_order(order_id)

        def reorder():
            cart = request.env["sale.order"]._b2b_get_cart(partner, create=True)
            cart._b2b_lock()
            return order.sudo()._b2b_reorder_into(cart, notices=notices)

        notices = []
        done, skipped = self._b2b_run(reorder)
        if done:
            self._b2b_flash(request.env._("The lines of %(order)s are in your cart at today's prices.",
                                          order=order.name))
            self._b2b_flash_notices(notices)
        if skipped:
            self._b2b_flash(request.env._(
                "Skipped, no longer orderable: %(products)s", products=", ".join(skipped.mapped("display_name")),
            ), "warning")
        return request.redirect("/b2b/cart")

    @http.route("/b2b/quick_order", type="http", auth="user", methods=["GET", "POST"], website=True)
    def b2b_quick_order(self, lines="", upload=None, **kw):
        partner = self._b2b_buyer("order")
        lines = lines if isinstance(lines, str) else ""  # a file sent in the text's field
        values = {"lines": lines, "rejected": [], "added": None}
        notices = []
        if request.httprequest.method == "POST":
            data = self._b2b_posted_text_or_file(lines, upload)

            def quick_order():
                quantities, rejected = request.env["b2b.quick.order"]._parse(partner, data)
                if quantities:
                    cart = request.env["sale.order"]._b2b_get_cart(partner, create=True)
                    cart._b2b_lock()
                    cart._b2b_add_products(quantities, notices=notices)
                values.update(rejected=rejected, added=len(quantities), lines="")

            if self._b2b_run(quick_order)[0]:
                self._b2b_flash_notices(notices)
            values["b2b_messages"] = request.session.pop("b2b_messages", [])
        return request.render("b2b_portal.b2b_quick_order", self._b2b_values("b2b_quick_order", **values))
