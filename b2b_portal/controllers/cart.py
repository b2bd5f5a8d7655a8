from odoo import fields, http
from odoo.exceptions import UserError
from odoo.http import request
from odoo.tools.misc import formatLang

from ..models.sale_order_cart import CART_CHANGE_FIELDS
from ..tools import is_whole_number
from .portal import B2bPortal

SUBMIT_REPLAY_SECONDS = 120
QUICK_CHECK_MAX_ROWS = 500


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
        values = self._b2b_cart_row_values(cart, summary, cart._b2b_product_lines().product_id)
        return request.render("b2b_portal.b2b_cart", self._b2b_values(
            "b2b_cart", cart=cart, summary=summary, addresses=self._b2b_address_options(partner, cart),
            spending=partner._b2b_spending_summary(),
            company_approval_reasons=cart._b2b_company_approval_reasons() if cart else [],
            today=fields.Date.context_today(cart), **values,
        ))

    def _b2b_cart_row_values(self, cart, summary, products):
        """The product values of the cart's rows (``_b2b_product_values``),
        with the engine prices and the stock the summary has just read when
        they are the buyer's own: the cart's customer and currency are the
        buyer's (a representative's cart, say, is priced for its customer)."""
        products_ids = set(products.ids)
        prices = summary["engine_prices"] if summary else {}
        stock = summary["stock"] if summary else {}
        own = (cart.partner_id.commercial_partner_id == request.env.user.partner_id.commercial_partner_id
               and cart.currency_id == request.env.company.currency_id)
        stock = {pid: stock[pid] for pid in products_ids} if products_ids <= stock.keys() else None
        if own and products_ids <= prices.keys():
            return self._b2b_product_values(products, prices={pid: prices[pid] for pid in products_ids}, stock=stock,
                                            catalog=False)
        # Priced again (another customer's or currency's cart): at the cart's quantities.
        return self._b2b_product_values(products, cart._b2b_product_quantities() if cart else {}, stock=stock,
                                        catalog=False)

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
        self._b2b_cart_add(product_id, add_qty)
        return self._b2b_redirect_back("/b2b/cart")

    def _b2b_cart_add(self, product_id, add_qty, savepoint=True):
        """Add a product to the buyer's cart, for the form and for the
        pages' scripts alike; what happened is flashed. ``savepoint``: see
        ``_b2b_run``.
        :return: the cart's line of the product, or None when refused."""
        partner = self._b2b_buyer("order")
        product = request.env["product.product"]
        if is_whole_number(product_id):
            product = product.search([("id", "=", int(product_id))])
        if not product:
            self._b2b_flash(request.env._("This product cannot be ordered."), "danger")
            return None

        notices = []

        def add():
            cart = request.env["sale.order"]._b2b_get_cart(partner, create=True)
            cart._b2b_lock()
            return cart._b2b_add_products({product: self._b2b_parse_qty(add_qty)}, notices=notices)

        done, line = self._b2b_run(add, savepoint=savepoint)
        if done:
            self._b2b_flash(request.env._("%(product)s added to your cart.", product=product.display_name))
            self._b2b_flash_notices(notices)
        return line if done else None

    @http.route("/b2b/cart/update", type="http", auth="user", methods=["POST"], website=True)
    def b2b_cart_update(self, line_id=None, quantity=None, remove=None, **kw):
        self._b2b_cart_update(line_id, quantity, remove)
        return request.redirect("/b2b/cart")

    def _b2b_cart_update(self, line_id, quantity, remove, savepoint=True):
        """Change or remove a line of the buyer's cart, for the form and for
        the pages' scripts alike; what happened is flashed. ``savepoint``:
        see ``_b2b_run``.
        :return: ``(done, cart, line, (product, quantity) of the line before)``"""
        # A new quantity reads what it uses; a removal goes through the
        # order's own write, which reads the rows whole all the same.
        model_fields = None if remove else CART_CHANGE_FIELDS
        cart = request.env["sale.order"]._b2b_get_cart(self._b2b_buyer("order", model_fields=model_fields))
        line = cart.order_line.filtered(lambda line: str(line.id) == str(line_id))
        if model_fields:
            cart._b2b_fetch_for_change(line)
        before = (line.product_id, line.product_uom_qty)
        notices = []

        def update():
            if not line:
                raise UserError(request.env._("This line is not in your cart."))
            cart._b2b_lock(model_fields and model_fields[cart._name])
            if remove:
                cart._b2b_remove_lines(line)
            else:
                cart._b2b_add_products({line.product_id: self._b2b_parse_qty(quantity)}, replace=True,
                                       notices=notices)
                if line.product_uom_qty == before[1]:
                    # A new quantity reprices the line (its compute); the same one is repriced here.
                    cart._b2b_refresh_prices(line)

        done = self._b2b_run(update, savepoint=savepoint)[0]
        if done:
            self._b2b_flash_notices(notices)
        return done, cart, line, before

    # In-place changes from the cart page and every "Add" button
    # (static/src/js/b2b_portal.js): the same methods as the forms, and the
    # cart's parts rendered by the cart page's own templates, so the
    # catalog, the cart and the order agree to the cent.

    @http.route("/b2b/json/cart/add", type="json", auth="user", methods=["POST"])
    def b2b_json_cart_add(self, product_id=None, add_qty=None, csrf_token=None, cart_parts=False,
                          repriced_line_ids=None, **kw):
        """Add to the cart from any page; with ``cart_parts`` (the cart's
        undo) the line and the cart's totals come back rendered."""
        self._b2b_check_json_csrf(csrf_token)
        with request.env["sale.order"]._b2b_sharing_prices():  # the line's price, then its row's
            line = self._b2b_cart_add(product_id, add_qty, savepoint=False)
            values = {"ok": line is not None}
            if line is not None:
                values["in_cart"] = line.product_uom_qty
                if cart_parts:
                    values.update(self._b2b_cart_parts(line.order_id, line, repriced_line_ids))
        return self._b2b_json_answer(**values)

    @http.route("/b2b/json/cart/update", type="json", auth="user", methods=["POST"])
    def b2b_json_cart_update(self, line_id=None, quantity=None, remove=False, csrf_token=None,
                             repriced_line_ids=None, **kw):
        """Change a cart line's quantity, or remove it: the line, the charges
        and the totals come back rendered, and what undoes a removal.
        ``repriced_line_ids``: the lines the cart page shows at a new price
        (see ``_b2b_cart_parts``)."""
        self._b2b_check_json_csrf(csrf_token)
        with request.env["sale.order"]._b2b_sharing_prices():  # the line's price, then its row's
            done, cart, line, (product, quantity) = self._b2b_cart_update(line_id, quantity, remove,
                                                                          savepoint=False)
            values = {"ok": done}
            if done and remove:
                values["undo"] = {"product_id": product.id, "quantity": quantity, "product": product.display_name}
            values.update(self._b2b_cart_parts(cart, None if remove or not done else line, repriced_line_ids))
        return self._b2b_json_answer(**values)

    def _b2b_cart_parts(self, cart, line=None, repriced_line_ids=None):
        """The parts of the cart page a change alters, rendered as the page
        renders them: ``line`` (when given), the charges and the summary.

        The totals add up the rows the page shows: the changed line at
        today's price (its change priced it), the lines the page showed at a
        new price (``repriced_line_ids``, ids of the cart's lines; others are
        ignored) at today's price again, the others at their own price, as
        their rows show them. A price changed since the page was loaded is
        shown by the next page load and checked by the submit, as for a line
        the buyer does not touch."""
        repriced = cart.order_line.browse()
        if isinstance(repriced_line_ids, list):
            ids = {int(line_id) for line_id in repriced_line_ids if is_whole_number(line_id)}
            repriced = cart.order_line.filtered(lambda cart_line: cart_line.id in ids)
        shown = line or cart.order_line.browse()
        summary = cart._b2b_cart_summary(shown_lines=shown, live_lines=shown | repriced)
        if not summary["count"]:
            return {"empty": True}  # the page shows the empty cart's message: reloaded
        partner = request.env.user.partner_id
        values = {
            "cart": cart,
            "summary": summary,
            "currency": request.env.company.currency_id,
            "spending": partner._b2b_spending_summary(),
            "company_approval_reasons": cart._b2b_company_approval_reasons() if cart else [],
        }
        QWeb = request.env["ir.qweb"]
        parts = {
            "empty": False,
            # The badge's count, known here (the buyer's own cart: the one the badge counts).
            **({"cart_count": summary["count"]} if cart.partner_id == request.env.user.partner_id else {}),
            "charges_html": QWeb._render("b2b_portal.b2b_cart_charges", values),
            "summary_html": QWeb._render("b2b_portal.b2b_cart_summary", values),
            "refusal": (summary["rules"] or {}).get("refusal") or "",
        }
        row = next((row for row in summary["lines"] if row["line"] == line), None) if line else None
        if row:
            # The line on its own: what its row reads of its product (its
            # name, say) is then not computed for every product of the cart.
            line = line.with_prefetch()
            values.update(self._b2b_cart_row_values(cart, summary, line.product_id))
            parts["line_id"] = line.id
            parts["line_html"] = QWeb._render("b2b_portal.b2b_cart_line", {**values, "row": {**row, "line": line}})
        return parts

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

    @http.route("/b2b/json/quick_order/check", type="json", auth="user", methods=["POST"],
                readonly=B2bPortal._b2b_readonly)
    def b2b_json_quick_check(self, rows=None, **kw):
        """Check a quick order grid's rows (``[[reference, quantity]]``)
        without changing anything: for each, the product found, its price
        at the order's quantity, its stock and the rounding to its pack, or
        why it would be refused."""
        partner = self._b2b_buyer("order")
        if not isinstance(rows, list) or len(rows) > QUICK_CHECK_MAX_ROWS:
            return {"rows": []}
        cells = [
            [str(cell).strip() for cell in row[:2]] if isinstance(row, list) and len(row) >= 2 else ["", ""]
            for row in rows
        ]
        checked = request.env["b2b.quick.order"]._check_rows(partner, cells)
        products = request.env["product.product"].concat(*{row["product"] for row in checked if row["product"]})
        values = self._b2b_product_values(products, {
            row["product"].id: row["total_qty"] for row in checked if row["product"]
        }, catalog=False)
        QWeb = request.env["ir.qweb"]
        return {"rows": [
            {"ok": not row["error"], "empty": row["empty"],
             "html": "" if row["empty"] else QWeb._render("b2b_portal.b2b_quick_check", {**values, "row": row})}
            for row in checked
        ]}
