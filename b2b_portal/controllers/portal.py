from werkzeug.exceptions import Forbidden, NotFound

from odoo import fields, http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request
from odoo.osv import expression
from odoo.tools.misc import formatLang

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.addons.portal.controllers.web import Home

from ..models.sale_order import QUICK_ORDER_MAX_BYTES

CATALOG_PAGE_SIZES = (20, 40, 80)
CATALOG_COUNT_AHEAD = 1000


class B2bHome(Home):
    def _login_redirect(self, uid, redirect=None):
        if not redirect and request.env["res.users"].browse(uid).sudo()._b2b_is_buyer():
            redirect = "/b2b"
        return super()._login_redirect(uid, redirect=redirect)


class B2bCustomerPortal(CustomerPortal):
    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _prepare_portal_layout_values(self):
        values = super()._prepare_portal_layout_values()
        values["b2b_is_buyer"] = request.env.user._b2b_is_buyer() if request.env.user else False
        return values

    def _get_page_view_values(self, document, access_token, values, session_history, no_breadcrumbs, **kwargs):
        values = super()._get_page_view_values(
            document, access_token, values, session_history, no_breadcrumbs, **kwargs
        )
        if document._name == "sale.order":
            values["b2b_is_buyer"] = request.env.user._b2b_is_buyer()
        return values

    def _b2b_buyer(self):
        """The logged-in buyer's contact; 403 for anyone not ordering in the B2B portal."""
        if not request.env.user._b2b_is_buyer():
            raise Forbidden()
        return request.env.user.partner_id

    def _b2b_orders_domain(self):
        commercial = request.env.user.partner_id.commercial_partner_id
        return [("partner_id", "child_of", commercial.id), ("b2b_state", "!=", "cart")]

    def _b2b_values(self, page_name, **values):
        cart = request.env["sale.order"]._b2b_get_cart(request.env.user.partner_id)
        return {
            **self._prepare_portal_layout_values(),
            "page_name": page_name,
            "b2b_cart_count": len(cart.order_line.filtered(lambda line: not line.display_type)),
            "b2b_messages": request.session.pop("b2b_messages", []),
            **values,
        }

    def _b2b_flash(self, message, level="success"):
        request.session["b2b_messages"] = [*request.session.get("b2b_messages", []), (level, message)]

    def _b2b_redirect_back(self, fallback):
        target = request.params.get("redirect") or fallback
        return request.redirect(target if target.startswith("/b2b") else fallback, local=True)

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

    def _b2b_run(self, operation):
        """Run ``operation()`` in a savepoint: when refused, nothing changed
        and its message is shown on the next page.
        :return: ``(done, what operation returned)``."""
        try:
            with request.env.cr.savepoint():
                return True, operation()
        except (UserError, ValidationError) as error:
            self._b2b_flash(str(error.args[0]), "danger")
            return False, None

    @staticmethod
    def _b2b_parse_qty(value):
        try:
            return float(value)
        except (TypeError, ValueError):
            raise UserError(request.env._("The quantity must be a number.")) from None

    def _b2b_product_values(self, products, quantities=None):
        """Prices, stock and favourites of a page of products, each in one batch."""
        partner = request.env.user.partner_id
        favorites = request.env["b2b.favorite"].search([("product_id", "in", products.ids)])
        return {
            "prices": request.env["b2b.pricing"]._get_prices(partner, products, quantities),
            "stock": products._b2b_get_stock(),
            "favorite_product_ids": set(favorites.product_id.ids),
            "currency": request.env.company.currency_id,
        }

    # ------------------------------------------------------------------
    # Dashboard
    # ------------------------------------------------------------------

    @http.route("/b2b", type="http", auth="user", website=True, readonly=True)
    def b2b_dashboard(self, **kw):
        self._b2b_buyer()
        return request.render("b2b_portal.b2b_dashboard", self._b2b_values(
            "b2b_dashboard", **self._b2b_prepare_dashboard_values()
        ))

    def _b2b_prepare_dashboard_values(self):
        """Everything read as the buyer: record rules keep it to its company."""
        SaleOrder, Move = request.env["sale.order"], request.env["account.move"]
        today = fields.Date.context_today(SaleOrder)
        orders_domain = self._b2b_orders_domain()
        invoices = Move.search(self._b2b_open_invoices_domain(), order="invoice_date_due, id")
        favorites = request.env["b2b.favorite"].search([])
        # Searched as the buyer above; rendered as superuser (units, currencies...).
        return {
            "recent_orders": SaleOrder.search(orders_domain, order="date_order desc, id desc", limit=5).sudo(),
            "pending_orders": SaleOrder.search(orders_domain + [("b2b_state", "=", "pending")]).sudo(),
            "open_invoices": invoices.sudo(),
            "overdue_invoices": invoices.filtered(lambda m: m.invoice_date_due and m.invoice_date_due < today).sudo(),
            "amount_due": sum(invoices.mapped("amount_residual_signed")),
            "monthly_purchases": SaleOrder._b2b_monthly_purchases(orders_domain, today),
            "favorites": favorites.sudo(),
            **self._b2b_product_values(favorites.product_id),
        }

    def _b2b_open_invoices_domain(self):
        commercial = request.env.user.partner_id.commercial_partner_id
        return [
            ("partner_id", "child_of", commercial.id),
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("payment_state", "in", ("not_paid", "partial")),
        ]

    @http.route(["/b2b/orders", "/b2b/orders/page/<int:page>"], type="http", auth="user", website=True,
                readonly=True)
    def b2b_orders(self, page=1, **kw):
        self._b2b_buyer()
        SaleOrder = request.env["sale.order"]
        domain = self._b2b_orders_domain()
        pager = portal_pager(url="/b2b/orders", total=SaleOrder.search_count(domain), page=page, step=20)
        orders = SaleOrder.search(domain, order="date_order desc, id desc", limit=20, offset=pager["offset"])
        return request.render("b2b_portal.b2b_orders", self._b2b_values("b2b_orders", orders=orders.sudo(),
                                                                          pager=pager))

    # ------------------------------------------------------------------
    # Account: payments and statement
    # ------------------------------------------------------------------

    @http.route(["/my/payments", "/my/payments/page/<int:page>"], type="http", auth="user", website=True,
                readonly=True)
    def b2b_payments(self, page=1, **kw):
        self._b2b_buyer()
        Payment = request.env["account.payment"]
        domain = [("payment_type", "=", "inbound"), ("state", "in", ("in_process", "paid"))]
        pager = portal_pager(url="/my/payments", total=Payment.search_count(domain), page=page, step=20)
        payments = Payment.search(domain, order="date desc, id desc", limit=20, offset=pager["offset"])
        return request.render("b2b_portal.b2b_payments", self._b2b_values(
            "b2b_payments", payments=payments.sudo(), pager=pager,
        ))

    def _b2b_statement_period(self, date_from=None, date_to=None):
        today = fields.Date.context_today(request.env.user)
        date_to = self._b2b_parse_date(date_to) or today
        date_from = self._b2b_parse_date(date_from) or date_to.replace(month=1, day=1)
        if date_from > date_to:
            raise UserError(request.env._("The period must start before it ends."))
        return date_from, date_to

    @http.route("/my/statement", type="http", auth="user", website=True, readonly=True)
    def b2b_statement(self, date_from=None, date_to=None, **kw):
        partner = self._b2b_buyer()
        try:
            date_from, date_to = self._b2b_statement_period(date_from, date_to)
        except UserError as error:
            self._b2b_flash(str(error.args[0]), "danger")
            date_from, date_to = self._b2b_statement_period()
        return request.render("b2b_portal.b2b_statement", self._b2b_values(
            "b2b_statement", date_from=date_from, date_to=date_to,
            statement=partner.commercial_partner_id._b2b_statement(date_from, date_to),
        ))

    @http.route("/my/statement/pdf", type="http", auth="user", website=True, readonly=True)
    def b2b_statement_pdf(self, date_from=None, date_to=None, **kw):
        partner = self._b2b_buyer().commercial_partner_id
        date_from, date_to = self._b2b_statement_period(date_from, date_to)
        content, content_type = request.env["ir.actions.report"].sudo()._render_qweb_pdf(
            "b2b_portal.action_report_b2b_statement", partner.ids,
            data={"date_from": str(date_from), "date_to": str(date_to)},
        )
        filename = f"statement-{partner.name}-{date_from}-{date_to}.{content_type}"
        return request.make_response(content, headers=[
            ("Content-Type", "application/pdf" if content_type == "pdf" else "text/html"),
            ("Content-Disposition", http.content_disposition(filename)),
        ])

    # ------------------------------------------------------------------
    # Catalog and product
    # ------------------------------------------------------------------

    @staticmethod
    def _b2b_parse_date(value):
        try:
            return fields.Date.to_date(value) if value else None
        except ValueError:
            raise UserError(request.env._("%(value)s is not a date.", value=value)) from None

    def _b2b_catalog_domain(self, search=None, categ_id=None, in_stock=False, favorites=False):
        domain = [("sale_ok", "=", True)]
        if search:
            domain = expression.AND([domain, [
                "|", "|", ("name", "ilike", search), ("default_code", "ilike", search), ("barcode", "ilike", search),
            ]])
        if categ_id:
            domain = expression.AND([domain, [("categ_id", "child_of", int(categ_id))]])
        if in_stock:
            domain = expression.AND([domain, ["|", ("is_storable", "=", False), ("b2b_in_stock", "=", True)]])
        if favorites:
            domain = expression.AND([domain, [("id", "in", request.env["b2b.favorite"].search([]).product_id.ids)]])
        return domain

    def _b2b_catalog_sortings(self):
        _ = request.env._
        return {
            "name": {"label": _("Name"), "order": "name, id"},
            "code": {"label": _("Reference"), "order": "default_code, id"},
            "category": {"label": _("Category"), "order": "categ_id, name, id"},
        }

    @http.route(["/b2b/catalog", "/b2b/catalog/page/<int:page>"], type="http", auth="user", website=True,
                readonly=True)
    def b2b_catalog(self, page=1, search="", categ_id=None, in_stock=None, favorites=None, sortby="name",
                    ppg=None, **kw):
        self._b2b_buyer()
        sortings = self._b2b_catalog_sortings()
        sortby = sortby if sortby in sortings else "name"
        ppg = int(ppg) if ppg and ppg.isdigit() and int(ppg) in CATALOG_PAGE_SIZES else CATALOG_PAGE_SIZES[0]
        categ_id = int(categ_id) if categ_id and str(categ_id).isdigit() else None
        domain = self._b2b_catalog_domain(search, categ_id, in_stock, favorites)
        Product = request.env["product.product"]
        url_args = {"search": search, "categ_id": categ_id, "in_stock": in_stock, "favorites": favorites,
                    "sortby": sortby, "ppg": ppg}
        # Read at most CATALOG_COUNT_AHEAD products past this page, unsorted:
        # an exact count reads the whole range, and nobody pages through
        # 100,000 products. Two queries whatever the catalog's size.
        page = max(int(page), 1) if str(page).isdigit() else 1
        count_limit = (page - 1) * ppg + CATALOG_COUNT_AHEAD + 1
        matching = list(Product._search(domain, limit=count_limit))
        total = len(matching)
        pager = portal_pager(url="/b2b/catalog", url_args={k: v for k, v in url_args.items() if v},
                             total=total, page=page, step=ppg)
        if total < count_limit:
            # The whole (small) range is known: sort it by id. Sorting by an
            # index instead would read the whole table when a small catalog's
            # names all sort last (seen: 0.25 s for 1,000 of 100,000 products).
            domain = [("id", "in", matching)]
        products = Product.search(domain, order=sortings[sortby]["order"], limit=ppg, offset=pager["offset"])
        categories = request.env.user.partner_id._b2b_get_catalog_categories()
        return request.render("b2b_portal.b2b_catalog", self._b2b_values(
            "b2b_catalog", products=products.sudo(), pager=pager, categories=categories, sortings=sortings,
            product_count_label=self._b2b_product_count_label(total, count_limit),
            **url_args, **self._b2b_product_values(products),
        ))

    def _b2b_product_count_label(self, total, count_limit):
        if total >= count_limit:
            return request.env._("More than %(count)s products",
                                 count=formatLang(request.env, count_limit - 1, digits=0))
        return request.env._("%(count)s products", count=formatLang(request.env, total, digits=0))

    @http.route("/b2b/product/<int:product_id>", type="http", auth="user", website=True, readonly=True)
    def b2b_product(self, product_id, **kw):
        self._b2b_buyer()
        product = self._b2b_product(product_id)
        cart = request.env["sale.order"]._b2b_get_cart(request.env.user.partner_id)
        in_cart = cart._b2b_product_quantities().get(product.id, 0.0) if cart else 0.0
        values = self._b2b_product_values(product, {product.id: max(in_cart, 1.0)})
        return request.render("b2b_portal.b2b_product", self._b2b_values(
            "b2b_product", product=product.sudo(), in_cart=in_cart, **values,
        ))

    # ------------------------------------------------------------------
    # Cart
    # ------------------------------------------------------------------

    @http.route("/b2b/cart", type="http", auth="user", website=True)
    def b2b_cart(self, **kw):
        partner = self._b2b_buyer()
        cart = request.env["sale.order"]._b2b_get_cart(partner)
        for line, old, new in cart._b2b_refresh_prices() if cart else []:
            self._b2b_flash(request.env._(
                "The price of %(product)s changed from %(old)s to %(new)s since you added it.",
                product=line.product_id.display_name, old=old, new=new,
            ), "warning")
        values = self._b2b_product_values(cart.order_line.product_id, cart._b2b_product_quantities() if cart else {})
        return request.render("b2b_portal.b2b_cart", self._b2b_values(
            "b2b_cart", cart=cart, addresses=request.env["sale.order"]._b2b_delivery_addresses(partner),
            today=fields.Date.context_today(cart), **values,
        ))

    @http.route("/b2b/cart/add", type="http", auth="user", methods=["POST"], website=True)
    def b2b_cart_add(self, product_id=None, add_qty=None, **kw):
        partner = self._b2b_buyer()
        product = request.env["product.product"]
        if str(product_id or "").isdigit():
            product = product.search([("id", "=", int(product_id))])
        if not product:
            self._b2b_flash(request.env._("This product cannot be ordered."), "danger")
            return self._b2b_redirect_back("/b2b/cart")

        def add():
            cart = request.env["sale.order"]._b2b_get_cart(partner, create=True)
            cart._b2b_lock()
            cart._b2b_add_products({product: self._b2b_parse_qty(add_qty)})

        if self._b2b_run(add)[0]:
            self._b2b_flash(request.env._("%(product)s added to your cart.", product=product.display_name))
        return self._b2b_redirect_back("/b2b/cart")

    @http.route("/b2b/cart/update", type="http", auth="user", methods=["POST"], website=True)
    def b2b_cart_update(self, line_id=None, quantity=None, remove=None, **kw):
        cart = request.env["sale.order"]._b2b_get_cart(self._b2b_buyer())
        line = cart.order_line.filtered(lambda line: str(line.id) == str(line_id))

        def update():
            if not line:
                raise UserError(request.env._("This line is not in your cart."))
            cart._b2b_lock()
            if remove:
                cart._b2b_remove_lines(line)
            else:
                cart._b2b_add_products({line.product_id: self._b2b_parse_qty(quantity)}, replace=True)

        self._b2b_run(update)
        return request.redirect("/b2b/cart")

    @http.route("/b2b/cart/submit", type="http", auth="user", methods=["POST"], website=True)
    def b2b_cart_submit(self, client_order_ref="", requested_date="", shipping_id=None, note="",
                        accept_price_changes=None, **kw):
        partner = self._b2b_buyer()
        cart = request.env["sale.order"]._b2b_get_cart(partner)
        if not cart:
            return self._b2b_submitted_or_empty(partner)
        if shipping_id not in (None, "") and not str(shipping_id).isdigit():
            self._b2b_flash(request.env._("Choose one of your company's delivery addresses."), "danger")
            return request.redirect("/b2b/cart")
        shipping = request.env["res.partner"].sudo().browse(int(shipping_id)) if shipping_id else None
        done, changes = self._b2b_run(lambda: cart.action_b2b_submit(
            accept_price_changes=bool(accept_price_changes), client_order_ref=client_order_ref, note=note,
            shipping_partner=shipping, requested_date=self._b2b_parse_date(requested_date),
        ))
        if not done:
            return request.redirect("/b2b/cart")
        if changes:
            for line, old, new in changes:
                self._b2b_flash(request.env._(
                    "The price of %(product)s changed from %(old)s to %(new)s: review your cart and submit again.",
                    product=line.product_id.display_name, old=old, new=new,
                ), "warning")
            return request.redirect("/b2b/cart")
        return request.redirect(f"/b2b/order/{cart.id}/submitted")

    def _b2b_submitted_or_empty(self, partner):
        """A second submit of a cart just sent lands on the order already sent."""
        last = request.env["sale.order"].search(
            [("partner_id", "=", partner.id), ("b2b_state", "=", "pending")], order="b2b_submitted_date desc", limit=1
        )
        if last and (fields.Datetime.now() - last.b2b_submitted_date).total_seconds() < 120:
            return request.redirect(f"/b2b/order/{last.id}/submitted")
        self._b2b_flash(request.env._("Your cart is empty."), "warning")
        return request.redirect("/b2b/cart")

    @http.route("/b2b/order/<int:order_id>/submitted", type="http", auth="user", website=True, readonly=True)
    def b2b_order_submitted(self, order_id, **kw):
        self._b2b_buyer()
        order = self._b2b_order(order_id)
        return request.render("b2b_portal.b2b_order_submitted", self._b2b_values("b2b_cart", order=order.sudo()))

    # ------------------------------------------------------------------
    # Reorder, favourites, quick order
    # ------------------------------------------------------------------

    @http.route("/b2b/reorder/<int:order_id>", type="http", auth="user", methods=["POST"], website=True)
    def b2b_reorder(self, order_id, **kw):
        partner = self._b2b_buyer()
        order = self._b2b_order(order_id)

        def reorder():
            cart = request.env["sale.order"]._b2b_get_cart(partner, create=True)
            cart._b2b_lock()
            return order.sudo()._b2b_reorder_into(cart)

        done, skipped = self._b2b_run(reorder)
        if done:
            self._b2b_flash(request.env._("The lines of %(order)s are in your cart at today's prices.",
                                          order=order.name))
        if skipped:
            self._b2b_flash(request.env._(
                "Skipped, no longer orderable: %(products)s", products=", ".join(skipped.mapped("display_name")),
            ), "warning")
        return request.redirect("/b2b/cart")

    @http.route("/b2b/favorite/toggle", type="http", auth="user", methods=["POST"], website=True)
    def b2b_favorite_toggle(self, product_id=None, **kw):
        partner = self._b2b_buyer()
        product = self._b2b_product(product_id) if str(product_id or "").isdigit() else None
        if not product:
            raise NotFound()
        favorite = request.env["b2b.favorite"].search([("product_id", "=", product.id)])
        if favorite:
            favorite.unlink()
            message = request.env._("%(product)s removed from your favourites.", product=product.display_name)
        else:
            favorite.create({"partner_id": partner.commercial_partner_id.id, "product_id": product.id})
            message = request.env._("%(product)s added to your favourites.", product=product.display_name)
        self._b2b_flash(message)
        return self._b2b_redirect_back("/b2b/favorites")

    @http.route("/b2b/favorites", type="http", auth="user", website=True, readonly=True)
    def b2b_favorites(self, **kw):
        partner = self._b2b_buyer()
        favorites = request.env["b2b.favorite"].search([])
        suggestions = request.env["sale.order"]._b2b_most_ordered_products(partner) - favorites.product_id
        return request.render("b2b_portal.b2b_favorites", self._b2b_values(
            "b2b_favorites", favorites=favorites.sudo(), suggestions=suggestions.sudo(),
            **self._b2b_product_values(favorites.product_id | suggestions),
        ))

    @http.route("/b2b/favorites/add_all", type="http", auth="user", methods=["POST"], website=True)
    def b2b_favorites_add_all(self, **kw):
        partner = self._b2b_buyer()
        favorites = request.env["b2b.favorite"].search([])

        def add_all():
            if not favorites:
                raise UserError(request.env._("You have no favourites yet."))
            cart = request.env["sale.order"]._b2b_get_cart(partner, create=True)
            cart._b2b_lock()
            cart._b2b_add_products({
                fav.product_id: self._b2b_parse_qty(kw.get(f"qty_{fav.id}", fav.default_qty)) for fav in favorites
            })

        if not self._b2b_run(add_all)[0]:
            return self._b2b_redirect_back("/b2b/favorites")
        self._b2b_flash(request.env._("%(count)s favourites added to your cart.", count=len(favorites)))
        return request.redirect("/b2b/cart")

    @http.route("/b2b/quick_order", type="http", auth="user", methods=["GET", "POST"], website=True)
    def b2b_quick_order(self, lines="", upload=None, **kw):
        partner = self._b2b_buyer()
        values = {"lines": lines, "rejected": [], "added": None}
        if request.httprequest.method == "POST":
            data = upload.read(QUICK_ORDER_MAX_BYTES + 1) if upload and upload.filename else lines.encode()

            def quick_order():
                quantities, rejected = request.env["sale.order"]._b2b_parse_quick_order(partner, data)
                if quantities:
                    cart = request.env["sale.order"]._b2b_get_cart(partner, create=True)
                    cart._b2b_lock()
                    cart._b2b_add_products(quantities)
                values.update(rejected=rejected, added=len(quantities), lines="")

            self._b2b_run(quick_order)
            values["b2b_messages"] = request.session.pop("b2b_messages", [])
        return request.render("b2b_portal.b2b_quick_order", self._b2b_values("b2b_quick_order", **values))
