from werkzeug.exceptions import NotFound

from odoo import fields, http
from odoo.exceptions import UserError
from odoo.http import content_disposition, request

from ..models.b2b_order_list import NOTE_MAX_LENGTH
from ..tools import is_whole_number
from .portal import B2bPortal


class B2bLists(B2bPortal):
    """Order lists: named lists of the buyer or its company, lists the
    office prepared, list to cart, par-level restocking, CSV in and out.
    Which lists a buyer reads and changes is the record rules' decision;
    these routes read and write as the buyer."""

    def _b2b_list(self, list_id, edit=False):
        """A list the buyer reads (changes, with ``edit``), or 404."""
        order_list = request.env["b2b.order.list"]
        if is_whole_number(list_id):
            order_list = order_list.search([("id", "=", int(list_id))])
        if edit:
            order_list = order_list._filtered_access("write")
        if not order_list:
            raise NotFound()
        return order_list

    @staticmethod
    def _b2b_form_quantities(order_list, prefix, blank=None):
        """``{line id: number}`` typed in the fields ``<prefix><line id>``
        of the posted form; a blank field gives ``blank`` (left out when None)."""
        result = {}
        for line in order_list.line_ids:
            text = (request.params.get(f"{prefix}{line.id}") or "").strip()
            if text:
                result[line.id] = B2bPortal._b2b_parse_qty(text)
            elif blank is not None:
                result[line.id] = blank
        return result

    # ------------------------------------------------------------------
    # Pages
    # ------------------------------------------------------------------

    @http.route("/b2b/lists", type="http", auth="user", website=True)
    def b2b_lists(self, **kw):
        partner = self._b2b_buyer()
        lists = request.env["b2b.order.list"].search([])
        return request.render("b2b_portal.b2b_lists", self._b2b_values(
            "b2b_lists",
            own_lists=lists.filtered(lambda lst: lst.owner_id == partner and not lst.is_recommended),
            shared_lists=lists.filtered(lambda lst: lst.owner_id != partner and not lst.is_recommended),
            recommended_lists=lists.filtered("is_recommended"),
        ))

    @http.route("/b2b/lists/<int:list_id>", type="http", auth="user", website=True)
    def b2b_list(self, list_id, **kw):
        self._b2b_buyer()
        return self._b2b_render_list(self._b2b_list(list_id))

    def _b2b_render_list(self, order_list, **values):
        buyer = request.env.user.partner_id
        rows, changes = order_list._b2b_review(buyer)
        orderable = request.env["product.product"].sudo().concat(*(row["product"] for row in rows if row["orderable"]))
        return request.render("b2b_portal.b2b_list", self._b2b_values(
            "b2b_list", order_list=order_list, rows=rows, changes=changes, additional_title=order_list.name,
            can_edit=bool(order_list._filtered_access("write")),
            pack_rules=orderable._b2b_pack_rules(), currency=request.env.company.currency_id,
            note_max_length=NOTE_MAX_LENGTH, **values,
        ))

    # ------------------------------------------------------------------
    # Making lists
    # ------------------------------------------------------------------

    @http.route("/b2b/lists/new", type="http", auth="user", methods=["POST"], website=True)
    def b2b_list_new(self, name="", sharing="private", **kw):
        partner = self._b2b_buyer("order")
        if self._b2b_form_sent_twice():
            return request.redirect("/b2b/lists")
        done, order_list = self._b2b_run(
            lambda: request.env["b2b.order.list"]._b2b_create_for(partner, name, sharing)
        )
        return request.redirect(f"/b2b/lists/{order_list.id}" if done else "/b2b/lists")

    @http.route("/b2b/lists/add", type="http", auth="user", methods=["POST"], website=True)
    def b2b_list_add(self, product_id=None, add_qty=None, list_id=None, list_name="", **kw):
        """Add a product from the catalog or its page to a list (or a new one)."""
        partner = self._b2b_buyer("order")
        product = self._b2b_product(product_id) if is_whole_number(product_id) else None
        if not product:
            raise NotFound()
        order_list = None if list_id == "new" else self._b2b_list(list_id, edit=True)
        if self._b2b_form_sent_twice():
            return self._b2b_redirect_back(f"/b2b/product/{product.id}")

        def add():
            target = order_list or request.env["b2b.order.list"]._b2b_create_for(partner, list_name)
            target._b2b_set_lines({product: self._b2b_parse_qty(add_qty or 1)}, add=True)
            return target

        done, target = self._b2b_run(add)
        if done:
            self._b2b_flash(request.env._("%(product)s added to the list %(list)s.",
                                          product=product.display_name, list=target.name))
        return self._b2b_redirect_back(f"/b2b/product/{product.id}")

    @http.route("/b2b/cart/save_list", type="http", auth="user", methods=["POST"], website=True)
    def b2b_cart_save_list(self, name="", sharing="private", **kw):
        partner = self._b2b_buyer("order")
        if self._b2b_form_sent_twice():
            return request.redirect("/b2b/lists")
        cart = request.env["sale.order"]._b2b_get_cart(partner)
        lines = cart._b2b_product_lines()
        if not lines:
            self._b2b_flash(request.env._("Your cart is empty."), "warning")
            return request.redirect("/b2b/cart")
        done, order_list = self._b2b_run(lambda: request.env["b2b.order.list"]._b2b_create_for(
            partner, name or request.env._("Cart of %(date)s", date=fields.Date.context_today(cart)), sharing,
            {line.product_id: line._b2b_qty_in_product_uom() for line in lines},
        ))
        if not done:
            return request.redirect("/b2b/cart")
        self._b2b_flash(request.env._("Your cart is saved as the list %(list)s.", list=order_list.name))
        return request.redirect(f"/b2b/lists/{order_list.id}")

    @http.route("/b2b/order/<int:order_id>/save_list", type="http", auth="user", methods=["POST"], website=True)
    def b2b_order_save_list(self, order_id, name="", **kw):
        partner = self._b2b_buyer("order")
        order = self._b2b_order(order_id).sudo()
        if self._b2b_form_sent_twice():
            return request.redirect("/b2b/lists")
        quantities, skipped = order._b2b_reorder_quantities(partner.commercial_partner_id)
        done, order_list = self._b2b_run(lambda: request.env["b2b.order.list"]._b2b_create_for(
            partner, name or order.client_order_ref or order.name, "private", quantities,
        ))
        if not done:
            return request.redirect(f"/my/orders/{order.id}")
        self._b2b_flash(request.env._("%(order)s is saved as the list %(list)s.", order=order.name,
                                      list=order_list.name))
        if skipped:
            self._b2b_flash(request.env._(
                "Left out, no longer orderable: %(products)s", products=", ".join(skipped.mapped("display_name")),
            ), "warning")
        return request.redirect(f"/b2b/lists/{order_list.id}")

    # ------------------------------------------------------------------
    # Changing a list
    # ------------------------------------------------------------------

    @http.route("/b2b/lists/<int:list_id>/update", type="http", auth="user", methods=["POST"], website=True)
    def b2b_list_update(self, list_id, move=None, remove=None, **kw):
        """Save the quantities, par levels and notes typed on the list page;
        with ``move`` (``<line id>:up`` or ``:down``) or ``remove`` (a line
        id), move or remove that line as well."""
        self._b2b_buyer("order")
        order_list = self._b2b_list(list_id, edit=True)

        def update():
            quantities = self._b2b_form_quantities(order_list, "qty_")
            pars = self._b2b_form_quantities(order_list, "par_", blank=0.0)
            lines = order_list.line_ids
            commands = []
            for sequence, line in enumerate(self._b2b_moved(lines, move)):
                vals = {"sequence": sequence}
                if line.id in quantities:
                    vals["quantity"] = quantities[line.id]
                if f"par_{line.id}" in request.params:
                    vals["par_qty"] = pars[line.id]
                if f"note_{line.id}" in request.params:
                    vals["note"] = request.params[f"note_{line.id}"].strip()[:NOTE_MAX_LENGTH]
                commands.append(fields.Command.update(line.id, vals))
            if remove:
                line = lines.filtered(lambda line: str(line.id) == str(remove))
                if not line:
                    raise UserError(request.env._("This line is not in the list."))
                commands.append(fields.Command.delete(line.id))
            order_list.line_ids = commands

        if self._b2b_run(update)[0]:
            self._b2b_flash(request.env._("The list is saved."))
        return request.redirect(f"/b2b/lists/{order_list.id}")

    @staticmethod
    def _b2b_moved(lines, move):
        """``lines`` as a list, the line named by ``move`` (``<id>:up`` or ``<id>:down``) moved one place."""
        lines = list(lines)
        line_id, _sep, direction = (move or "").partition(":")
        index = next((i for i, line in enumerate(lines) if str(line.id) == line_id), None)
        if index is not None:
            other = index - 1 if direction == "up" else index + 1 if direction == "down" else index
            if 0 <= other < len(lines):
                lines[index], lines[other] = lines[other], lines[index]
        return lines

    @http.route("/b2b/lists/<int:list_id>/rename", type="http", auth="user", methods=["POST"], website=True)
    def b2b_list_rename(self, list_id, name="", sharing=None, **kw):
        self._b2b_buyer("order")
        order_list = self._b2b_list(list_id, edit=True)

        def rename():
            if not name.strip():
                raise UserError(request.env._("Give the list a name."))
            vals = {"name": name.strip()}
            if sharing in ("private", "company"):
                if sharing != order_list.sharing and order_list.owner_id != request.env.user.partner_id:
                    raise UserError(request.env._("Only the list's owner shares it or makes it private."))
                vals["sharing"] = sharing
            order_list.write(vals)

        if self._b2b_run(rename)[0]:
            self._b2b_flash(request.env._("The list is saved."))
        return request.redirect(f"/b2b/lists/{order_list.id}")

    @http.route("/b2b/lists/<int:list_id>/copy", type="http", auth="user", methods=["POST"], website=True)
    def b2b_list_copy(self, list_id, **kw):
        """A private copy, owned by the buyer, of any list it reads (the office's included)."""
        partner = self._b2b_buyer("order")
        source = self._b2b_list(list_id)
        if self._b2b_form_sent_twice():
            return request.redirect("/b2b/lists")
        lines = source.line_ids
        orderable = partner.commercial_partner_id._b2b_filter_allowed_products(lines.product_id.sudo())
        kept = lines.filtered(lambda line: line.product_id in orderable)
        quantities = {line.product_id.sudo(): line.quantity for line in kept}
        pars = {line.product_id.sudo(): line.par_qty for line in kept}
        notes = {line.product_id.sudo(): line.note or "" for line in kept}

        def copy():
            copy = request.env["b2b.order.list"]._b2b_create_for(
                partner, request.env._("%(name)s (copy)", name=source.name)
            )
            copy._b2b_set_lines(quantities, pars=pars, notes=notes)
            return copy

        done, copy = self._b2b_run(copy)
        if not done:
            return request.redirect(f"/b2b/lists/{source.id}")
        self._b2b_flash(request.env._("The list %(list)s is copied to your lists.", list=source.name))
        skipped = (lines - kept).product_id.sudo()
        if skipped:
            self._b2b_flash(request.env._("Left out, no longer orderable: %(products)s",
                                          products=", ".join(skipped.mapped("display_name"))), "warning")
        return request.redirect(f"/b2b/lists/{copy.id}")

    @http.route("/b2b/lists/<int:list_id>/delete", type="http", auth="user", methods=["POST"], website=True)
    def b2b_list_delete(self, list_id, **kw):
        self._b2b_buyer("order")
        order_list = self._b2b_list(list_id, edit=True)
        name = order_list.name
        if self._b2b_run(order_list.unlink)[0]:
            self._b2b_flash(request.env._("The list %(list)s is deleted.", list=name))
        return request.redirect("/b2b/lists")

    # ------------------------------------------------------------------
    # List to cart, and restocking to par
    # ------------------------------------------------------------------

    @http.route("/b2b/lists/<int:list_id>/to_cart", type="http", auth="user", methods=["POST"], website=True)
    def b2b_list_to_cart(self, list_id, selection="all", **kw):
        """All lines, or the ticked ones, into the cart in one request, at
        the quantities typed on the page. Lines that cannot be ordered any
        more, and lines at 0, are named, never dropped silently."""
        partner = self._b2b_buyer("order")
        order_list = self._b2b_list(list_id)
        ticked = set(request.httprequest.form.getlist("line_ids"))
        if self._b2b_form_sent_twice():
            return self._b2b_done("/b2b/cart")
        notices, skipped = [], []

        def to_cart():
            lines = order_list.line_ids
            if selection == "ticked":
                lines = lines.filtered(lambda line: str(line.id) in ticked)
                if not lines:
                    raise UserError(request.env._("Tick the lines to add to the cart."))
            typed = self._b2b_form_quantities(order_list, "qty_")
            orderable = partner.commercial_partner_id._b2b_filter_allowed_products(lines.product_id.sudo())
            quantities = {}
            for line in lines:
                product = line.product_id.sudo()
                quantity = typed.get(line.id, line.quantity)
                if product not in orderable:
                    skipped.append(request.env._("%(product)s (no longer orderable)", product=product.display_name))
                elif quantity == 0:
                    skipped.append(request.env._("%(product)s (quantity 0)", product=product.display_name))
                else:
                    quantities[product] = quantity
            if not quantities:
                raise UserError(request.env._("Nothing in this list can be added to the cart."))
            cart = request.env["sale.order"]._b2b_get_cart(partner, create=True)
            cart._b2b_lock()
            cart._b2b_add_products(quantities, notices=notices)
            return len(quantities)

        done, count = self._b2b_run(to_cart)
        if skipped:
            self._b2b_flash(request.env._("Not added: %(lines)s", lines=", ".join(skipped)), "warning")
        if not done:
            return self._b2b_done(f"/b2b/lists/{order_list.id}")
        self._b2b_flash(request.env._("%(count)s lines of the list %(list)s added to your cart.",
                                      count=count, list=order_list.name))
        self._b2b_flash_notices(notices)
        return self._b2b_done("/b2b/cart")

    @http.route("/b2b/lists/<int:list_id>/count", type="http", auth="user", methods=["GET", "POST"], website=True)
    def b2b_list_count(self, list_id, **kw):
        """Count the shelf: what is on hand for each line with a par level;
        the cart receives the difference to par (see
        ``_b2b_restock_quantities``)."""
        partner = self._b2b_buyer("order")
        order_list = self._b2b_list(list_id)
        if request.httprequest.method != "POST":
            lines = order_list.line_ids.filtered("par_qty")
            return request.render("b2b_portal.b2b_list_count", self._b2b_values(
                "b2b_list", order_list=order_list, lines=lines, additional_title=order_list.name,
                pack_rules=lines.product_id.sudo()._b2b_pack_rules(),
            ))
        if self._b2b_form_sent_twice():
            return self._b2b_done("/b2b/cart")
        notices, skipped = [], []

        def restock():
            on_hand = self._b2b_form_quantities(order_list, "onhand_")
            quantities, skipped_lines = order_list._b2b_restock_quantities(on_hand)
            skipped.extend(f"{line.product_id.sudo().display_name} ({reason})" for line, reason in skipped_lines)
            if not quantities:
                raise UserError(request.env._("Everything counted is at or above par: nothing to order."))
            cart = request.env["sale.order"]._b2b_get_cart(partner, create=True)
            cart._b2b_lock()
            cart._b2b_add_products(quantities, notices=notices)
            return quantities

        done, quantities = self._b2b_run(restock)
        if skipped:
            self._b2b_flash(request.env._("Not ordered: %(lines)s", lines=", ".join(skipped)), "info")
        if not done:
            return request.redirect(f"/b2b/lists/{order_list.id}/count")
        self._b2b_flash(request.env._(
            "Restocked to par from %(list)s: %(lines)s", list=order_list.name,
            lines=", ".join(f"{product._b2b_format_qty(qty)} × {product.display_name}"
                            for product, qty in quantities.items()),
        ))
        self._b2b_flash_notices(notices)
        return request.redirect("/b2b/cart")

    # ------------------------------------------------------------------
    # CSV
    # ------------------------------------------------------------------

    @http.route("/b2b/lists/<int:list_id>/import", type="http", auth="user", methods=["POST"], website=True)
    def b2b_list_import(self, list_id, lines="", upload=None, **kw):
        self._b2b_buyer("order")
        order_list = self._b2b_list(list_id, edit=True)
        data = self._b2b_posted_text_or_file(lines, upload)
        done, result = self._b2b_run(lambda: order_list._b2b_import_csv(data))
        rejected = []
        if done:
            count, rejected = result
            self._b2b_flash(request.env._("%(count)s lines imported into the list.", count=count),
                            "success" if count else "warning")
        return self._b2b_render_list(order_list, rejected=rejected,
                                     import_text=lines if rejected and isinstance(lines, str) else "")

    # Not read-only: it exports what the buyer changed or imported a moment ago.
    @http.route("/b2b/lists/<int:list_id>/export", type="http", auth="user", website=True)
    def b2b_list_export(self, list_id, **kw):
        self._b2b_buyer()
        order_list = self._b2b_list(list_id)
        return request.make_response(order_list._b2b_export_csv().encode(), headers=[
            ("Content-Type", "text/csv; charset=utf-8"),
            ("Content-Disposition", content_disposition(f"{order_list.name}.csv")),
        ])
