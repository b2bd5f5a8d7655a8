from werkzeug.exceptions import Forbidden

from odoo import Command, fields, http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request

from odoo.addons.account_payment.controllers.portal import PortalAccount

from ..tools import is_whole_number, strip_control_characters
from .portal import B2bPortal

MAX_INVOICES_AT_ONCE = 500


class B2bInvoices(B2bPortal, PortalAccount):
    """Open invoices, paid several at a time: one payment through Odoo's
    payment providers, reconciled against each invoice by Odoo's own
    transaction post-processing (``payment.transaction.invoice_ids``)."""

    def _b2b_open_invoices(self, ids=None, overdue=False):
        """The company's open invoices as the buyer reads them (record rules
        apply), those of ``ids`` only, or the overdue ones only."""
        domain = self._b2b_open_invoices_domain()
        if ids is not None:
            domain.append(("id", "in", ids))
        if overdue:
            domain.append(("invoice_date_due", "<", fields.Date.context_today(request.env.user)))
        return request.env["account.move"].search(domain, order="invoice_date_due, id")

    def _b2b_invoices_to_pay(self, invoice_ids=None, overdue=False):
        """The invoices the buyer asked to pay: ``invoice_ids`` (a list of
        ids, or ``-``-separated), all of them open invoices of its company,
        in one currency; or all its overdue ones."""
        if overdue:
            invoices = self._b2b_open_invoices(overdue=True).filtered(
                lambda invoice: invoice.sudo()._has_to_be_paid()
            )
            if not invoices:
                raise UserError(request.env._("You have no overdue invoice to pay online now."))
        else:
            if isinstance(invoice_ids, str):
                invoice_ids = invoice_ids.split("-")
            ids = [str(value) for value in invoice_ids or []]
            if not ids:
                raise UserError(request.env._("Tick the invoices you want to pay."))
            if len(ids) > MAX_INVOICES_AT_ONCE or not all(is_whole_number(value) for value in ids):
                raise UserError(request.env._("These are not invoices you can pay."))
            ids = list({int(value) for value in ids})
            invoices = self._b2b_open_invoices(ids)
            if len(invoices) != len(ids):
                raise UserError(request.env._(
                    "Some of these invoices are not open invoices of your company: nothing was paid."
                ))
        # Odoo's own test of an invoice payable online: portal payment enabled,
        # and no payment of it already pending or authorised (paid twice otherwise).
        busy = invoices.sudo().filtered(lambda invoice: not invoice._has_to_be_paid())
        if busy:
            raise UserError(request.env._(
                "%(invoices)s cannot be paid online now (a payment is already being processed): nothing was paid.",
                invoices=", ".join(busy.mapped("name")),
            ))
        if len(invoices.currency_id) > 1 or len(invoices.company_id) > 1:
            raise UserError(request.env._("Pay the invoices of each currency and each company separately."))
        return invoices

    @http.route("/b2b/invoices", type="http", auth="user", website=True)
    def b2b_invoices(self, **kw):
        """Not read-only: the page the buyer lands on after paying."""
        self._b2b_buyer("account")
        invoices = self._b2b_open_invoices()
        today = fields.Date.context_today(request.env.user)
        return request.render("b2b_portal.b2b_invoices", self._b2b_values(
            "b2b_invoices", invoices=invoices.sudo(), currency=request.env.company.currency_id,
            payable_ids=set(invoices.sudo().filtered(lambda invoice: invoice._has_to_be_paid()).ids),
            overdue_ids={invoice.id for invoice in invoices
                         if invoice.invoice_date_due and invoice.invoice_date_due < today},
        ))

    @http.route("/b2b/invoices/pay", type="http", auth="user", website=True)
    def b2b_invoices_pay(self, overdue=None, **kw):
        """The payment form for the ticked invoices (``invoice_ids``, repeated)
        or all the overdue ones (``overdue=1``)."""
        self._b2b_buyer("account")
        # Ticked boxes repeat the parameter: read them all, cleaned as every parameter is.
        ticked = [strip_control_characters(value) for value in request.httprequest.args.getlist("invoice_ids")]
        done, invoices = self._b2b_run(lambda: self._b2b_invoices_to_pay(ticked, overdue=bool(overdue)))
        if not done:
            return request.redirect("/b2b/invoices")
        invoices = invoices.sudo()
        amount = invoices.currency_id.round(sum(invoices.mapped("amount_residual")))
        values = self._get_common_page_view_values(invoices_data={
            "partner": invoices.partner_id[:1],
            "company": invoices.company_id[:1],
            "total_amount": amount,
            "currency": invoices.currency_id,
            "amount_residual": amount,
            "landing_route": "/b2b/invoices",
            "transaction_route": f"/b2b/invoices/transaction/{'-'.join(map(str, invoices.ids))}",
        })
        return request.render("b2b_portal.b2b_invoices_pay", self._b2b_values(
            "b2b_invoices", **values, invoices=invoices, amount=amount,
        ))

    @http.route("/b2b/invoices/transaction/<string:invoice_ids>", type="json", auth="user")
    def b2b_invoices_transaction(self, invoice_ids, access_token=None, **kwargs):
        """One transaction for several invoices. The amount is their residual
        now, whatever the browser sends; every id must be an open invoice of
        the buyer's company."""
        try:
            self._b2b_buyer("account")
        except Forbidden:
            raise ValidationError(
                request.env._("Only your company's administrators and accountants pay invoices.")
            ) from None
        try:
            invoices = self._b2b_invoices_to_pay(invoice_ids)
        except UserError as error:
            raise ValidationError(error.args[0]) from None
        self._validate_transaction_kwargs(kwargs)
        kwargs["amount"] = invoices.currency_id.round(sum(invoices.sudo().mapped("amount_residual")))
        kwargs["landing_route"] = "/b2b/invoices"
        kwargs.update(partner_id=request.env.user.partner_id.id, currency_id=invoices.currency_id.id)
        tx_sudo = self._create_transaction(
            custom_create_values={"invoice_ids": [Command.set(invoices.ids)]}, **kwargs,
        )
        return tx_sudo._get_processing_values()
