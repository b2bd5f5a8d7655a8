import ast

from markupsafe import Markup
from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request
from odoo.osv import expression
from odoo.tools.float_utils import float_round
from odoo.tools.misc import formatLang

from odoo.addons.base.models.res_lang import intersperse
from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..tools import is_whole_number
from .portal import B2bPortal

CATALOG_PAGE_SIZES = (20, 40, 80)
CATALOG_COUNT_AHEAD = 1000
SEARCH_LIMIT = 8


def row_formats(env, currency):
    """``(money, whole)``: functions writing an amount in ``currency`` and a
    whole quantity as QWeb's ``monetary`` widget and ``float`` widget of
    precision 0 write them (``ir.qweb.field.monetary`` and
    ``ir.qweb.field.float``'s ``value_to_html``), in ``env``'s language. The
    language's separators and grouping are read once here: each converter
    call reads them again and parses the grouping, 0.1 ms a call, two calls
    a catalog row."""
    lang = env["ir.qweb.field"].user_lang()
    data = lang._get_data(id=lang.id)
    grouping = ast.literal_eval(data.grouping)
    thousands_sep, decimal_point = data.thousands_sep or "", data.decimal_point
    minus = "-\N{ZERO WIDTH NO-BREAK SPACE}"

    def number(value, digits):  # res.lang.format(f"%.{digits}f", value, grouping=True)
        integer, *decimals = f"{value:.{digits}f}".split(".")
        return decimal_point.join([intersperse(integer, grouping, thousands_sep)[0], *decimals])

    symbol = currency.symbol or ""
    pre, post = (f"{symbol}\N{NO-BREAK SPACE}", "") if currency.position == "before" \
        else ("", f"\N{NO-BREAK SPACE}{symbol}")
    amount = Markup('{pre}<span class="oe_currency_value">{0}</span>{post}')
    decimal_places = currency.decimal_places

    def money(value):
        text = number(currency.round(value), decimal_places).replace(" ", "\N{NO-BREAK SPACE}").replace("-", minus)
        return amount.format(text, pre=pre, post=post)

    def whole(value):
        return number(float_round(value, precision_digits=0), 0).replace("-", minus)

    return money, whole


class B2bCatalog(B2bPortal):
    """The catalog, the product page and the favourites."""

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
        return {
            "name": {"label": request.env._("Name"), "order": "name, id"},
            "code": {"label": request.env._("Reference"), "order": "default_code, id"},
            "category": {"label": request.env._("Category"), "order": "categ_id, name, id"},
        }

    @http.route(["/b2b/catalog", "/b2b/catalog/page/<int:page>"], type="http", auth="user", website=True,
                readonly=B2bPortal._b2b_readonly)
    def b2b_catalog(self, page=1, search="", categ_id=None, in_stock=None, favorites=None, sortby="name",
                    ppg=None, **kw):
        self._b2b_buyer()
        sortings = self._b2b_catalog_sortings()
        sortby = sortby if sortby in sortings else "name"
        ppg = int(ppg) if is_whole_number(ppg) and int(ppg) in CATALOG_PAGE_SIZES else CATALOG_PAGE_SIZES[0]
        categ_id = int(categ_id) if is_whole_number(categ_id) else None
        page = max(int(page), 1) if is_whole_number(page) else 1
        url_args = {"search": search, "categ_id": categ_id, "in_stock": in_stock, "favorites": favorites,
                    "sortby": sortby, "ppg": ppg}
        domain = self._b2b_catalog_domain(search, categ_id, in_stock, favorites)
        products, pager, count_label = self._b2b_catalog_page(domain, sortings[sortby]["order"], page, ppg, url_args)
        categories = request.env.user.partner_id._b2b_catalog_category_options()
        product_values = self._b2b_product_values(products)
        return request.render("b2b_portal.b2b_catalog", self._b2b_values(
            "b2b_catalog", products=products.sudo(), pager=pager, categories=categories, sortings=sortings,
            product_count_label=count_label, b2b_lists=self._b2b_editable_lists(), **url_args,
            catalog_rows=self._b2b_catalog_rows(products, product_values), **product_values,
        ))

    def _b2b_catalog_rows(self, products, values):
        """``{product id: {price, free_qty, receipt_date, url, image_url}}``:
        what each catalog row shows through a QWeb widget (price, stock
        quantity, date of the next receipt), formatted here as the widgets
        format them (``row_formats``, the date by its converter), so that
        the row template has no widget and no ``t-call`` per row (a page's
        40 rows were most of its time in QWeb, each widget and each call
        looked up again per row); and the URLs of its product page and
        image as QWeb's post-processing writes them, worked out once for
        the page (``_b2b_urls_as_written``): the rows' links and images skip
        it (``data-no-post-process``), 0.1 ms an element with ``website``."""
        Date = request.env["ir.qweb.field.date"]
        money, whole = row_formats(request.env, values["currency"])
        urls = dict(zip(products.ids, self._b2b_urls_as_written(
            "a", "href", [f"/b2b/product/{pid}" for pid in products.ids]), strict=True))
        image_urls = dict(zip(products.ids, self._b2b_urls_as_written(
            "img", "src", [values["image_urls"][pid] for pid in products.ids]), strict=True))
        rows = {}
        for product in products:
            stock = values["stock"][product.id]
            rows[product.id] = {
                "url": urls[product.id],
                "image_url": image_urls[product.id],
                "price": money(values["prices"][product.id].price),
                "free_qty": whole(stock.free_qty) if stock.counted else None,
                "receipt_date": Date.value_to_html(stock.next_receipt_date, {}) if stock.next_receipt_date else None,
            }
        return rows

    @staticmethod
    def _b2b_urls_as_written(tag, attribute, urls):
        """``urls``, paths of one route that differ only in their ids (the
        catalog's product pages, or its images), as QWeb's post-processing
        writes the ``attribute`` of a ``tag`` (``_post_processing_att``:
        with ``website``, the language's prefix, the website's rewrites and
        its CDN; without it, unchanged). What it does to such a path depends
        on its route only, so it is worked out on the first path and its
        prefix given to the others, unless the website has rewrites (those
        are looked up per path)."""
        if not urls:
            return []
        QWeb = request.env["ir.qweb"]
        IrHttp = request.env["ir.http"]
        website = getattr(request, "website", None)

        def written(url):
            return QWeb._post_processing_att(tag, {attribute: url})[attribute]

        first = urls[0]
        first_written = written(first)
        if (website and IrHttp._rewrite_len(website.id)) or not first_written.endswith(first):
            return [first_written, *map(written, urls[1:])]
        prefix = first_written[: -len(first)]
        return [prefix + url for url in urls]

    def _b2b_catalog_page(self, domain, order, page, ppg, url_args):
        """One page of the catalog, its pager and its product count, in two
        queries whatever the catalog's size: at most ``CATALOG_COUNT_AHEAD``
        products past this page are read, unsorted (an exact count reads the
        whole range, and nobody pages through 100,000 products). The second
        query reads the page's products (as the buyer: record rules apply)
        with their fields, as the page's first read of a product would."""
        Product = request.env["product.product"]
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
        page_query = Product._search(domain, order=order, limit=ppg, offset=pager["offset"])
        # Read as superuser, as the templates and the pack rules read them:
        # every field Odoo prefetches with the first one read.
        products_sudo = Product.sudo()
        prefetched = [name for name, field in products_sudo._fields.items() if field.prefetch is True]
        products = products_sudo.search_fetch([("id", "in", page_query)], prefetched, order=order)
        return Product.browse(products.ids), pager, self._b2b_product_count_label(total, count_limit)

    def _b2b_product_count_label(self, total, count_limit):
        if total >= count_limit:
            return request.env._("More than %(count)s products",
                                 count=formatLang(request.env, count_limit - 1, digits=0))
        return request.env._("%(count)s products", count=formatLang(request.env, total, digits=0))

    @http.route("/b2b/product/<int:product_id>", type="http", auth="user", website=True,
                readonly=B2bPortal._b2b_readonly)
    def b2b_product(self, product_id, **kw):
        self._b2b_buyer()
        product = self._b2b_product(product_id)
        in_cart, values = self._b2b_product_pricing(product)
        return request.render("b2b_portal.b2b_product", self._b2b_values(
            "b2b_product", product=product.sudo(), in_cart=in_cart, additional_title=product.sudo().display_name,
            image_url=product._b2b_image_urls("image_1024")[product.id], b2b_lists=self._b2b_editable_lists(),
            **values,
        ))

    def _b2b_product_pricing(self, product, typed=0.0):
        """The product page's pricing values: the price at what the cart
        holds of the product plus ``typed``, as the cart will price it.
        :return: ``(quantity in the cart, values)``"""
        cart = request.env["sale.order"]._b2b_get_cart(request.env.user.partner_id)
        in_cart = cart._b2b_product_quantities().get(product.id, 0.0) if cart else 0.0
        return in_cart, self._b2b_product_values(product, {product.id: max(in_cart + typed, 1.0)})

    @http.route("/b2b/json/price", type="json", auth="user", methods=["POST"],
                readonly=B2bPortal._b2b_readonly)
    def b2b_json_price(self, product_id=None, quantity=None, **kw):
        """The product page's price and next break as the buyer types a quantity."""
        self._b2b_buyer()
        product = self._b2b_product(product_id) if is_whole_number(product_id) else None
        if not product:
            raise NotFound()
        try:
            typed = max(self._b2b_parse_qty(quantity), 0.0)
        except UserError:
            typed = 0.0
        in_cart, values = self._b2b_product_pricing(product, min(typed, 1e9))
        return {"html": request.env["ir.qweb"]._render("b2b_portal.b2b_product_pricing", {
            **values, "product": product.sudo(), "in_cart": in_cart,
        })}

    @http.route("/b2b/favorite/toggle", type="http", auth="user", methods=["POST"], website=True)
    def b2b_favorite_toggle(self, product_id=None, **kw):
        partner = self._b2b_buyer("order")
        product = self._b2b_product(product_id) if is_whole_number(product_id) else None
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

    @http.route("/b2b/favorites", type="http", auth="user", website=True, readonly=B2bPortal._b2b_readonly)
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
        partner = self._b2b_buyer("order")
        favorites = request.env["b2b.favorite"].search([])

        notices = []

        def add_all():
            if not favorites:
                raise UserError(request.env._("You have no favourites yet."))
            cart = request.env["sale.order"]._b2b_get_cart(partner, create=True)
            cart._b2b_lock()
            cart._b2b_add_products({
                fav.product_id: self._b2b_parse_qty(kw.get(f"qty_{fav.id}", fav.default_qty)) for fav in favorites
            }, notices=notices)

        if not self._b2b_run(add_all)[0]:
            return self._b2b_done(self._b2b_back_url("/b2b/favorites"))
        self._b2b_flash(request.env._("%(count)s favourites added to your cart.", count=len(favorites)))
        self._b2b_flash_notices(notices)
        return self._b2b_done("/b2b/cart")

    @http.route("/b2b/json/search", type="json", auth="user", methods=["POST"],
                readonly=B2bPortal._b2b_readonly)
    def b2b_json_search(self, term="", **kw):
        """The first products matching ``term`` (name, reference, barcode),
        each with the buyer's price and stock, rendered as the catalog does."""
        self._b2b_buyer()
        term = term.strip() if isinstance(term, str) else ""
        if not term:
            return {"html": "", "products": []}
        Product = request.env["product.product"]
        domain = self._b2b_catalog_domain(search=term)
        # An exact reference or barcode first: a scanned label finds its product.
        exact = Product.search(expression.AND([
            domain, ["|", ("default_code", "=", term), ("barcode", "=", term)],
        ]), limit=1)
        products = exact | Product.search(
            expression.AND([domain, [("id", "not in", exact.ids)]]), order="name, id", limit=SEARCH_LIMIT - len(exact),
        )
        values = {**self._b2b_product_values(products), "products": products.sudo(), "term": term}
        pack_rules = values["pack_rules"]
        return {
            "html": request.env["ir.qweb"]._render("b2b_portal.b2b_search_suggestions", values),
            "products": [{"id": product.id, "first_qty": pack_rules[product.id]["first_qty"] or 1.0,
                          "exact": product == exact}
                         for product in products],
        }

