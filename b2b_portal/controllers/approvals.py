from werkzeug.exceptions import NotFound

from odoo import http
from odoo.http import request

from .portal import B2bPortal


class B2bApprovals(B2bPortal):
    """The customer's administrators approve or reject their company's orders."""

    def _b2b_company_pending_domain(self, partner):
        return [
            ("partner_id", "child_of", partner.commercial_partner_id.id),
            ("b2b_state", "=", "company_pending"),
        ]

    # Not read-only: the page right after a decision must not come from a lagging replica.
    @http.route("/b2b/approvals", type="http", auth="user", website=True)
    def b2b_approvals(self, **kw):
        partner = self._b2b_buyer("approve")
        orders = request.env["sale.order"].sudo().search(
            self._b2b_company_pending_domain(partner), order="b2b_submitted_date, id"
        )
        approvals = [
            {
                "order": order,
                "lines": order._b2b_product_lines(),
                "reasons": order._b2b_company_approval_reasons(for_approvers=True),
                "own": order.partner_id == partner,
                "spending": order.partner_id._b2b_spending_this_month(),
            }
            for order in orders
        ]
        return request.render("b2b_portal.b2b_approvals", self._b2b_values(
            "b2b_approvals", approvals=approvals, currency=request.env.company.currency_id,
        ))

    def _b2b_approval_order(self, partner, order_id):
        """An order of the approver's company awaiting its approval, or 404."""
        order = request.env["sale.order"].sudo().search(
            self._b2b_company_pending_domain(partner) + [("id", "=", int(order_id))]
        )
        if not order:
            raise NotFound()
        return order

    @http.route("/b2b/approvals/<int:order_id>/approve", type="http", auth="user", methods=["POST"], website=True)
    def b2b_approval_approve(self, order_id, **kw):
        partner = self._b2b_buyer("approve")
        order = self._b2b_approval_order(partner, order_id)
        if self._b2b_run(lambda: order._b2b_company_approve(partner))[0]:
            self._b2b_flash(request.env._("%(order)s is approved and sent to us.", order=order.name))
        return request.redirect("/b2b/approvals")

    @http.route("/b2b/approvals/<int:order_id>/update", type="http", auth="user", methods=["POST"], website=True)
    def b2b_approval_update(self, order_id, line_id=None, quantity=None, **kw):
        partner = self._b2b_buyer("approve")
        order = self._b2b_approval_order(partner, order_id)
        line = order.order_line.filtered(lambda line: str(line.id) == str(line_id))
        self._b2b_run(lambda: order._b2b_company_set_quantity(partner, line, self._b2b_parse_qty(quantity)))
        return request.redirect("/b2b/approvals")

    @http.route("/b2b/approvals/<int:order_id>/reject", type="http", auth="user", methods=["POST"], website=True)
    def b2b_approval_reject(self, order_id, reason="", **kw):
        partner = self._b2b_buyer("approve")
        order = self._b2b_approval_order(partner, order_id)
        if self._b2b_run(lambda: order._b2b_company_reject(partner, reason))[0]:
            self._b2b_flash(request.env._("%(order)s is rejected: %(buyer)s is told why.", order=order.name,
                                          buyer=order.partner_id.name))
        return request.redirect("/b2b/approvals")
