from odoo import api, fields, models
from odoo.osv import expression


class ResPartner(models.Model):
    _inherit = "res.partner"

    b2b_price_tier_id = fields.Many2one(
        "b2b.price.tier",
        string="Price Tier",
        index="btree_not_null",
        help="B2B price tier of this customer company. Without a tier, Odoo's "
        "pricelists price the customer as usual.",
    )
    b2b_catalog_ids = fields.Many2many(
        "b2b.catalog",
        "b2b_catalog_res_partner_rel",
        "partner_id",
        "catalog_id",
        string="Catalogs",
        help="The customer may buy the products of these catalogs only; "
        "without a catalog, every saleable product.",
    )
    b2b_auto_approve_limit = fields.Monetary(
        string="Auto-approve up to",
        currency_field="currency_id",
        help="Web orders of this customer up to this total are approved without the office, "
        "unless a flag is raised (stock, credit, overdue invoices). 0 disables it.",
    )
    b2b_price_exception_ids = fields.One2many(
        "b2b.price.exception", "partner_id", string="Price Exceptions"
    )
    b2b_favorite_ids = fields.One2many("b2b.favorite", "partner_id", string="Favourite Products")

    @api.model
    def _commercial_fields(self):
        return [*super()._commercial_fields(), "b2b_price_tier_id", "b2b_catalog_ids", "b2b_auto_approve_limit"]

    def _b2b_get_product_domain(self, model="product.product"):
        """Domain of what this customer company may buy: active, saleable and
        in its catalogs, on ``product.product`` (default) or ``product.template``.
        Plain conditions on the record's own row (and its template's), so that
        the record rules built on it stay cheap whatever the table statistics."""
        self.ensure_one()
        # Archived catalogs still restrict (to their active siblings, or to
        # nothing): archiving a catalog must never open the whole range.
        catalogs = self.sudo().commercial_partner_id.with_context(active_test=False).b2b_catalog_ids
        domain = [("active", "=", True), ("sale_ok", "=", True)]
        if catalogs:
            domain = expression.AND([domain, catalogs._get_product_domain(model)])
        return domain

    def _b2b_get_catalog_categories(self):
        """Categories to filter this customer's catalog by, from the catalog
        definitions (not by scanning the products: that grows with the range)."""
        self.ensure_one()
        catalogs = self.sudo().commercial_partner_id.b2b_catalog_ids
        Category = self.env["product.category"].sudo()
        if not catalogs:
            return Category.search([])
        # The categories of the listed products, grouped in SQL (a catalog
        # may list thousands of products).
        listed = self.env["product.template"].sudo()._read_group(
            [("id", "in", catalogs.product_tmpl_ids.ids)], groupby=["categ_id"])
        roots = catalogs.categ_ids.union(*(categ for (categ,) in listed)).ids
        return Category.search(["|", ("id", "child_of", roots), ("id", "parent_of", roots)])

    def _b2b_orderable_domain(self, model, positive=True):
        """What the ``b2b_orderable`` fields search: the product domain itself,
        not ``id in (subquery)``. The portal record rules built on it then add
        plain conditions to the product's own row instead of a join of the
        product table on itself, whose plan PostgreSQL can get badly wrong
        (seen: 90 s for 150 products with the statistics of a fresh database)."""
        domain = self._b2b_get_product_domain(model)
        return domain if positive else ["!", *expression.normalize_domain(domain)]

    def _b2b_filter_allowed_products(self, products):
        """The subset of ``products`` (variants or templates) this customer may
        buy (active, saleable, in its catalogs), in one query."""
        self.ensure_one()
        if not products:
            return products
        domain = expression.AND([[("id", "in", products.ids)], self._b2b_get_product_domain(products._name)])
        allowed_ids = set(products.sudo()._search(domain))
        return products.filtered(lambda p: p.id in allowed_ids)

    def _b2b_statement(self, date_from, date_to):
        """Statement of account of this customer company for a period: opening
        balance, each receivable entry with a running balance, closing and
        overdue balances, in the company currency. Read from posted journal
        items of receivable accounts, as the partner ledger is."""
        self.ensure_one()
        partner = self.commercial_partner_id
        MoveLine = self.env["account.move.line"].sudo()
        base = [
            ("partner_id", "=", partner.id),
            ("account_id.account_type", "=", "asset_receivable"),
            ("parent_state", "=", "posted"),
            ("company_id", "=", self.env.company.id),
        ]
        [[opening]] = MoveLine._read_group(base + [("date", "<", date_from)], [], ["balance:sum"])
        lines = MoveLine.search(
            base + [("date", ">=", date_from), ("date", "<=", date_to)], order="date, move_name, id"
        )
        running, rows = opening or 0.0, []
        for line in lines:
            running += line.balance
            rows.append({
                "date": line.date,
                "reference": line.move_id.name,
                "kind": self._b2b_statement_kind(line.move_id),
                "due": line.date_maturity if line.move_id.is_invoice() else False,
                "debit": line.debit,
                "credit": line.credit,
                "balance": running,
            })
        today = fields.Date.context_today(self)
        [[overdue]] = MoveLine._read_group(
            base + [("reconciled", "=", False), ("date_maturity", "<", today), ("date", "<=", date_to)],
            [], ["amount_residual:sum"],
        )
        return {
            "opening": opening or 0.0,
            "lines": rows,
            "closing": running,
            "overdue": overdue or 0.0,
            "currency": self.env.company.currency_id,
        }

    def _b2b_statement_kind(self, move):
        _ = self.env._
        if move.move_type == "out_invoice":
            return _("Invoice")
        if move.move_type == "out_refund":
            return _("Credit note")
        if move.origin_payment_id or move.statement_line_id:
            return _("Payment")
        return _("Entry")
