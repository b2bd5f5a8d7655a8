"""What every B2B page shares: who the buyer is, the page frame, messages,
one-savepoint changes, and a page of products priced in one batch. Each
page group extends :class:`B2bPortal` from its own file, as
``website_sale/controllers/`` does."""

import math
import uuid

from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import Forbidden, NotFound

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.http import request
from odoo.osv import expression
from odoo.tools.translate import LazyTranslate

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.web import Home

from ..models.b2b_quick_order import QUICK_ORDER_MAX_BYTES
from ..models.ir_http_replica import reads_from_replica

_lt = LazyTranslate(__name__)

# The browser's title of each page (``website``'s layout writes it before the website's name).
PAGE_TITLES = {
    "b2b_dashboard": _lt("Dashboard"),
    "b2b_catalog": _lt("Catalog"),
    "b2b_cart": _lt("Cart"),
    "b2b_orders": _lt("Orders"),
    "b2b_favorites": _lt("Favourites"),
    "b2b_lists": _lt("Order lists"),
    "b2b_invoices": _lt("Open invoices"),
    "b2b_payments": _lt("Payments"),
    "b2b_statement": _lt("Statement"),
    "b2b_quick_order": _lt("Quick order"),
    "b2b_approvals": _lt("Approvals"),
    "b2b_company": _lt("Company"),
}


class B2bHome(Home):
    def _login_redirect(self, uid, redirect=None):
        if not redirect and request.env["res.users"].browse(uid).sudo()._b2b_is_buyer():
            redirect = "/b2b"
        return super()._login_redirect(uid, redirect=redirect)


class B2bPortal(CustomerPortal):
    def _prepare_portal_layout_values(self):
        values = super()._prepare_portal_layout_values()
        values["b2b_is_buyer"] = request.env.user._b2b_is_buyer() if request.env.user else False
        values.update(self._b2b_right_values(values["b2b_is_buyer"]))
        rep = request.env["res.users"].sudo().browse(request.env.context.get("b2b_rep_uid")).exists()
        values["b2b_rep"] = rep
        if rep:
            values["user_id"] = rep  # the page's header names who is logged in: the representative
        values["b2b_rep_can_phone_order"] = bool(rep) and rep.has_group("b2b_portal.group_b2b_approver")
        return values

    def _get_page_view_values(self, document, access_token, values, session_history, no_breadcrumbs, **kwargs):
        values = super()._get_page_view_values(
            document, access_token, values, session_history, no_breadcrumbs, **kwargs
        )
        if document._name == "sale.order":
            values["b2b_is_buyer"] = request.env.user._b2b_is_buyer()
            values["b2b_form_token"] = self._b2b_new_form_token
            values.update(self._b2b_right_values(values["b2b_is_buyer"]))
        return values

    def _b2b_right_values(self, is_buyer):
        """What the templates show of the buyer's role (the routes check it again)."""
        rights = request.env.user.partner_id._b2b_rights() if is_buyer else frozenset()
        return {"b2b_can_order": "order" in rights, "b2b_can_account": "account" in rights,
                "b2b_can_manage": "manage" in rights, "b2b_can_approve": "approve" in rights}

    def _b2b_buyer(self, right=None, model_fields=None):
        """The logged-in buyer's contact; 403 for anyone not in the B2B
        portal, or whose role lacks ``right`` (``order``, ``account``...).
        ``model_fields``: ``{model: field names}`` to read of the user and
        the contacts rather than their whole rows (``CART_CHANGE_FIELDS``)."""
        user = request.env.user
        if model_fields:
            user.fetch(model_fields[user._name])
        partner = user.partner_id
        partner._b2b_fetch_with_commercial_partner(model_fields and model_fields[partner._name])
        if not user._b2b_is_buyer() or (right and not partner._b2b_has_right(right)):
            raise Forbidden()
        return partner

    def _b2b_orders_domain(self):
        commercial = request.env.user.partner_id.commercial_partner_id
        return [("partner_id", "child_of", commercial.id), ("b2b_state", "!=", "cart")]

    def _b2b_open_invoices_domain(self):
        """The buyer's company's posted customer invoices not fully paid (the
        record rules decide who reads them)."""
        commercial = request.env.user.partner_id.commercial_partner_id
        return [
            ("partner_id", "child_of", commercial.id),
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("payment_state", "in", ("not_paid", "partial")),
        ]

    def _b2b_values(self, page_name, **values):
        self._b2b_keep_web_shop_cart_quantity()
        return {
            **self._prepare_portal_layout_values(),
            "page_name": page_name,
            "main_object": request.env["b2b.portal.page"],
            # The browser's title before the website's name (website's layout);
            # a page of one record passes its name.
            "additional_title": str(PAGE_TITLES[page_name]) if page_name in PAGE_TITLES else None,
            "b2b_cart_count": request.env["sale.order"]._b2b_cart_count(request.env.user.partner_id),
            "b2b_messages": request.session.pop("b2b_messages", []),
            "b2b_form_token": self._b2b_new_form_token,
            **values,
        }

    @staticmethod
    def _b2b_keep_web_shop_cart_quantity():
        """With ``website_sale``, every page's header shows the quantity of
        the web shop's cart (not the B2B cart), which ``website_sale`` keeps
        in the session once it knows a cart, and otherwise looks up again
        on each page (4 queries: the contact's users, its pricelist, the
        pricelist, the last cart). Kept in the session here too when there
        is no cart: ``website_sale`` sets it again whenever this session
        makes or finds a cart (a cart made in another session shows from
        the next web shop page on)."""
        website = getattr(request, "website", None)
        if website is None or not hasattr(website, "sale_get_order") or request.env.user._is_public() \
                or "website_sale_cart_quantity" in request.session:
            return
        request.session["website_sale_cart_quantity"] = website.sale_get_order().cart_quantity or 0

    def _b2b_check_json_csrf(self, csrf_token):
        """The pages' scripts call JSON routes (``static/src/js``): a page
        from another site cannot send them (a JSON body needs a CORS
        preflight), and the page's CSRF token is checked all the same."""
        if not isinstance(csrf_token, str) or not request.validate_csrf(csrf_token):
            raise Forbidden()

    def _b2b_json_answer(self, **values):
        """The answer of every change: the messages the page would have
        flashed, and the cart's product count for the badge."""
        if "cart_count" not in values:
            values["cart_count"] = request.env["sale.order"]._b2b_cart_count(request.env.user.partner_id)
        return {"messages": request.session.pop("b2b_messages", []), **values}

    def _b2b_done(self, url):
        """Where a form's change ends: a redirect to ``url``; for the page's
        script (the ``X-B2B-Live`` header, static/src/js) the same change
        answers with its messages, the cart's count and a fresh form token,
        and the page stays."""
        if request.httprequest.headers.get("X-B2B-Live") == "1":
            return request.make_json_response(self._b2b_json_answer(
                redirect=url, form_token=self._b2b_new_form_token(),
            ))
        return request.redirect(url)

    def _b2b_flash(self, message, level="success"):
        request.session["b2b_messages"] = [*request.session.get("b2b_messages", []), (level, message)]

    def _b2b_flash_notices(self, notices):
        """What the cart did to the buyer's quantities (rounded to packs)."""
        for notice in notices:
            self._b2b_flash(notice, "info")

    def _b2b_redirect_back(self, fallback):
        return request.redirect(self._b2b_back_url(fallback), local=True)

    @staticmethod
    def _b2b_back_url(fallback):
        """The form's ``redirect`` when it is a portal page, else ``fallback``."""
        target = request.params.get("redirect") or fallback
        return target if target.startswith("/b2b") else fallback

    def _b2b_product(self, product_id):
        """A product the buyer may order, read as the buyer (record rules apply), or 404."""
        product = request.env["product.product"].search([("id", "=", int(product_id))])
        if not product:
            raise NotFound()
        return product

    def _b2b_order(self, order_id):
        order = request.env["sale.order"].search(self._b2b_orders_domain() + [("id", "=", int(order_id))])
        if not order:
            raise NotFound()
        return order

    @staticmethod
    def _b2b_new_form_token():
        """A token for a form whose second sending must change nothing (see ``_b2b_form_sent_twice``)."""
        return uuid.uuid4().hex

    def _b2b_form_sent_twice(self):
        """Whether the posted form's ``form_token`` was sent already (a
        double click, or Back and send again); the first sending records it.
        A form without a token is not checked."""
        token = request.params.get("form_token")
        if not token:
            return False
        used = request.session.get("b2b_used_form_tokens", [])
        if token in used:
            self._b2b_flash(request.env._("This form was already sent: nothing was done a second time."), "warning")
            return True
        request.session["b2b_used_form_tokens"] = [*used[-49:], token]
        return False

    def _b2b_editable_lists(self):
        """The order lists the buyer may add products to (catalog, product
        page), with their names, in one query: the lists it reads (searched
        as the buyer) and may change (the write rules, as ``_filtered_access``
        applies them, added to the search)."""
        Lists = request.env["b2b.order.list"]
        if not request.env.user.partner_id._b2b_has_right("order") or not Lists.has_access("write"):
            return Lists
        writable = request.env["ir.rule"]._compute_domain(Lists._name, "write")
        return Lists.search_fetch(expression.AND([[("is_recommended", "=", False)], writable or []]), ["name"])

    def _b2b_run(self, operation, savepoint=True):
        """Run ``operation()`` in a savepoint: when refused, nothing changed
        and its message is shown on the next page. Without ``savepoint``,
        for a request that writes nothing but ``operation`` (the pages'
        in-place changes), a refusal rolls the request's transaction back
        instead: the same result, and two queries fewer for every change
        that goes through.
        :return: ``(done, what operation returned)``."""
        try:
            if not savepoint:
                return True, operation()
            with request.env.cr.savepoint():
                return True, operation()
        except (UserError, ValidationError) as error:
            if not savepoint:
                request.env.cr.rollback()
            self._b2b_flash(str(error.args[0]), "danger")
            return False, None

    @staticmethod
    def _b2b_posted_text_or_file(lines, upload):
        """The bytes of a form's pasted ``lines`` or uploaded file (a file
        field sent as text, or text sent as a file, counts as nothing)."""
        if isinstance(upload, FileStorage) and upload.filename:
            return upload.read(QUICK_ORDER_MAX_BYTES + 1)
        return lines.encode() if isinstance(lines, str) else b""

    @staticmethod
    def _b2b_parse_date(value):
        try:
            return fields.Date.to_date(value) if value else None
        except ValueError:
            raise UserError(request.env._("%(value)s is not a date.", value=value)) from None

    @staticmethod
    def _b2b_parse_qty(value):
        try:
            quantity = float(value)
        except (TypeError, ValueError):
            quantity = math.nan
        if not math.isfinite(quantity):  # "nan", "inf", "1e999"
            raise UserError(request.env._("The quantity must be a number."))
        return quantity

    @staticmethod
    def _b2b_break_hints(products, prices, pack_rules):
        """``{product id: how many more to order}`` to reach the next volume
        break, in whole sales packs where the product has one (the cart would
        round the quantity up anyway)."""
        hints = {}
        for product in products:
            price = prices[product.id]
            if not price.next_break:
                continue
            packaging = pack_rules[product.id]["packaging"]
            target = price.next_break.min_qty
            if packaging:
                target = packaging._check_qty(target, product.sudo().uom_id, "UP")
            hints[product.id] = target - price.quantity
        return hints

    def _b2b_product_values(self, products, quantities=None, prices=None, stock=None, catalog=True):
        """Prices, stock, sales packs, and with ``catalog`` the favourites and
        image URLs the catalog's rows and cards show (a cart's row and a
        quick order's check show neither), of a page of products, each in
        one batch. ``prices`` and ``stock``: the buyer's engine prices at
        ``quantities`` and the stock of these products, when the caller has
        just read them."""
        partner = request.env.user.partner_id
        if prices is None:
            prices = request.env["b2b.pricing"]._get_prices(partner, products, quantities)
        pack_rules = products._b2b_pack_rules()
        values = {
            "prices": prices,
            "break_hints": self._b2b_break_hints(products, prices, pack_rules),
            "stock": products._b2b_get_stock() if stock is None else stock,
            "pack_rules": pack_rules,
            "currency": request.env.company.currency_id,
        }
        if catalog:
            favorites = request.env["b2b.favorite"].search_fetch([("product_id", "in", products.ids)], ["product_id"])
            values.update(favorite_product_ids=set(favorites.product_id.ids), image_urls=products._b2b_image_urls())
        return values

    def _b2b_readonly(self):
        """The ``readonly`` of the addon's read-only routes
        (``readonly=B2bPortal._b2b_readonly``; Odoo calls it with the
        controller before opening the request's cursor): from the replica,
        unless this session wrote something the replica may not have replayed
        yet (see ``models/ir_http_replica.py``). Without a replica: True, and
        no query."""
        return reads_from_replica(request.session, request.registry)
