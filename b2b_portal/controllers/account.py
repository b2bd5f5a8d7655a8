from odoo import fields, http
from odoo.exceptions import UserError
from odoo.http import request

from odoo.addons.portal.controllers.portal import pager as portal_pager

from .portal import B2bPortal


class B2bAccount(B2bPortal):
    """The buyer's account: payment history and statement of account."""

    @http.route(["/my/payments", "/my/payments/page/<int:page>"], type="http", auth="user", website=True,
                readonly=B2bPortal._b2b_readonly)
    def b2b_payments(self, page=1, **kw):
        self._b2b_buyer("account")
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

    @http.route("/my/statement", type="http", auth="user", website=True, readonly=B2bPortal._b2b_readonly)
    def b2b_statement(self, date_from=None, date_to=None, **kw):
        partner = self._b2b_buyer("account")
        try:
            date_from, date_to = self._b2b_statement_period(date_from, date_to)
        except UserError as error:
            self._b2b_flash(str(error.args[0]), "danger")
            date_from, date_to = self._b2b_statement_period()
        statement = request.env["report.b2b_portal.report_b2b_statement"]._get_statement(partner, date_from, date_to)
        return request.render("b2b_portal.b2b_statement", self._b2b_values(
            "b2b_statement", date_from=date_from, date_to=date_to, statement=statement,
        ))

    @http.route("/my/statement/pdf", type="http", auth="user", website=True, readonly=B2bPortal._b2b_readonly)
    def b2b_statement_pdf(self, date_from=None, date_to=None, **kw):
        partner = self._b2b_buyer("account").commercial_partner_id
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
