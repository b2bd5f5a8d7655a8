from werkzeug.exceptions import Forbidden, NotFound

from odoo import http
from odoo.http import request

from ..models.res_partner_sales_rep import REP_GROUP
from ..tools import is_whole_number
from .portal import B2bPortal


class B2bRepresent(B2bPortal):
    """A sales representative opens the portal for one of its customers'
    buyers, and closes it. These two routes run as the representative
    (``ir.http._b2b_act_for_represented_buyer``); every other page of the
    addon then runs as the chosen buyer."""

    def _b2b_rep(self):
        """The logged-in sales representative, or 403."""
        user = request.env.user
        if user.share or not user.has_group(REP_GROUP):
            raise Forbidden()
        return user

    @http.route("/b2b/represent", type="http", auth="user", methods=["POST"], website=True)
    def b2b_represent(self, partner_id=None, **kw):
        rep = self._b2b_rep()
        contact = request.env["res.partner"].sudo()
        if is_whole_number(partner_id):
            contact = contact.browse(int(partner_id)).exists()
        if not contact or not contact._b2b_rep_may_act_for(rep):
            raise NotFound()
        self._b2b_stop_representing(rep)
        request.session["b2b_represent"] = {"uid": rep.id, "partner_id": contact.id}
        contact._b2b_log_rep(rep, request.env._(
            "%(rep)s started ordering in the portal as %(buyer)s.", rep=rep.name, buyer=contact.name,
        ))
        return request.redirect("/b2b")

    @http.route("/b2b/represent/stop", type="http", auth="user", methods=["POST"], website=True)
    def b2b_represent_stop(self, **kw):
        rep = self._b2b_rep()
        self._b2b_stop_representing(rep)
        return request.redirect("/b2b")

    def _b2b_stop_representing(self, rep):
        represent = request.session.pop("b2b_represent", None) or {}
        contact = request.env["res.partner"].sudo().browse(represent.get("partner_id")).exists()
        if contact and represent.get("uid") == rep.id:
            contact._b2b_log_rep(rep, request.env._(
                "%(rep)s stopped ordering in the portal as %(buyer)s.", rep=rep.name, buyer=contact.name,
            ))

    def _b2b_render_rep_switcher(self, customer_id=None, search=""):
        """The representative's page before it chooses: its customers'
        buyers, each with the button that starts ordering as it."""
        rep = self._b2b_rep()
        Partner = request.env["res.partner"].sudo()
        customer = Partner.browse(int(customer_id)).exists() if is_whole_number(customer_id) else None
        contacts = Partner._b2b_rep_contacts(rep, customer=customer)
        if search:
            needle = search.lower()
            contacts = contacts.filtered(
                lambda c: needle in (c.name or "").lower() or needle in (c.commercial_partner_id.name or "").lower()
            )
        return request.render("b2b_portal.b2b_rep_switcher", {
            **self._prepare_portal_layout_values(),
            "page_name": "b2b_dashboard",
            "contacts": contacts,
            "customers": contacts.commercial_partner_id,
            "search": search,
        })
