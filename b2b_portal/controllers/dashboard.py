from odoo import fields, http
from odoo.http import request

from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..models.res_partner_sales_rep import REP_GROUP
from .portal import B2bPortal

DASHBOARD_REORDERS = 3


class B2bDashboard(B2bPortal):
    """The buyer's dashboard and its company's orders."""

    @http.route("/b2b", type="http", auth="user", website=True, readonly=B2bPortal._b2b_readonly)
    def b2b_dashboard(self, customer_id=None, search="", **kw):
        user = request.env.user
        if not user.share and not user._b2b_is_buyer() and user.has_group(REP_GROUP):
            return self._b2b_render_rep_switcher(customer_id, search)
        self._b2b_buyer()
        return request.render("b2b_portal.b2b_dashboard", self._b2b_values(
            "b2b_dashboard", **self._b2b_prepare_dashboard_values()
        ))

    def _b2b_prepare_dashboard_values(self):
        """Everything read as the buyer: record rules keep it to its company."""
        SaleOrder, Move = request.env["sale.order"], request.env["account.move"]
        today = fields.Date.context_today(SaleOrder)
        orders_domain = self._b2b_orders_domain()
        can_see_invoices = request.env.user.partner_id._b2b_has_right("account")
        invoices = (Move.search(self._b2b_open_invoices_domain(), order="invoice_date_due, id")
                    if can_see_invoices else Move)
        overdue = invoices.filtered(lambda m: m.invoice_date_due and m.invoice_date_due < today)
        favorites = request.env["b2b.favorite"].search([])
        recent_orders = SaleOrder.search(orders_domain, order="date_order desc, id desc", limit=5)
        reorderable = recent_orders.filtered(lambda o: o.b2b_portal_status not in ("rejected", "cancelled"))
        # Searched as the buyer above; rendered as superuser (units, currencies...).
        return {
            "recent_orders": recent_orders.sudo(),
            "reorder_orders": reorderable[:DASHBOARD_REORDERS].sudo(),
            "pending_count": SaleOrder.search_count(
                orders_domain + [("b2b_state", "in", ("company_pending", "pending"))]
            ),
            "open_invoices": invoices.sudo(),
            "overdue_invoices": overdue.sudo(),
            "overdue_invoice_ids": set(overdue.ids),
            "amount_due": sum(invoices.mapped("amount_residual_signed")),
            "monthly_purchases": SaleOrder._b2b_monthly_purchases(orders_domain, today),
            "favorites": favorites.sudo(),
            "spending": self._b2b_budget_rows(request.env.user.partner_id._b2b_spending_summary()),
            **self._b2b_product_values(favorites.product_id),
        }

    @staticmethod
    def _b2b_budget_rows(spending):
        """The spending summary with, for each monthly budget, how much of
        it is used: ``percent`` (0 to 100, for the bar), ``left`` (negative
        over the budget), ``level`` (``success``, ``warning`` from 80 %,
        ``danger`` over the budget)."""
        currency = request.env.company.currency_id
        rows = []
        for row in spending:
            if row["spent"] is None:
                rows.append(row)
                continue
            used = row["spent"] * 100 / row["budget"]
            over = currency.compare_amounts(row["spent"], row["budget"]) > 0
            rows.append({**row, "percent": min(100, round(used)), "left": row["budget"] - row["spent"],
                         "level": "danger" if over else "warning" if used >= 80 else "success"})
        return rows

    @http.route(["/b2b/orders", "/b2b/orders/page/<int:page>"], type="http", auth="user", website=True,
                readonly=B2bPortal._b2b_readonly)
    def b2b_orders(self, page=1, **kw):
        self._b2b_buyer()
        SaleOrder = request.env["sale.order"]
        domain = self._b2b_orders_domain()
        pager = portal_pager(url="/b2b/orders", total=SaleOrder.search_count(domain), page=page, step=20)
        orders = SaleOrder.search(domain, order="date_order desc, id desc", limit=20, offset=pager["offset"])
        return request.render("b2b_portal.b2b_orders", self._b2b_values("b2b_orders", orders=orders.sudo(),
                                                                          pager=pager))
