from odoo import models
from odoo.http import request

from ..tools import strip_control_characters

B2B_CONTROLLERS = "odoo.addons.b2b_portal.controllers"
# The routes a sales representative uses as itself: starting and stopping.
REP_OWN_ENDPOINTS = frozenset({"b2b_represent", "b2b_represent_stop"})


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _dispatch(cls, endpoint):
        """Every text parameter of the addon's routes loses its control
        characters before the route reads it: a NUL byte would otherwise
        reach PostgreSQL, which refuses it with a server error."""
        if cls._b2b_is_addon_endpoint(endpoint):
            request.params = {
                key: strip_control_characters(value) if isinstance(value, str) else value
                for key, value in request.params.items()
            }
            ended = cls._b2b_act_for_represented_buyer(endpoint)
            if ended:
                return ended
        return super()._dispatch(endpoint)

    @classmethod
    def _b2b_act_for_represented_buyer(cls, endpoint):
        """While a sales representative orders for a customer (the session's
        ``b2b_represent``: the buyer contact it chose), the addon's pages run
        as that buyer's user, so that its prices, catalog, stock, cart and
        record rules apply; the representative stays the session's user and
        is kept in the context (``b2b_rep_uid``: ordering rights only, see
        ``res.partner._b2b_rights``). Checked on every request: a customer
        that withdraws its consent, or leaves the representative's
        portfolio, ends it (the first request that may write says so on the
        customer's chatter and answers with the representative's own page:
        the response returned). The representative's own routes and every
        route outside the addon (the backend, JSON-RPC) run as the
        representative."""
        represent = request.session.get("b2b_represent")
        original = getattr(endpoint, "original_endpoint", endpoint)
        if not represent or getattr(original, "__name__", "") in REP_OWN_ENDPOINTS:
            return None
        if not isinstance(represent, dict):
            request.session.pop("b2b_represent", None)
            return None
        # The session's user, not request.env's: a retried request keeps the buyer's env of its first try.
        rep = request.env["res.users"].sudo().browse(request.session.uid).exists()
        contact = request.env["res.partner"].sudo().browse(represent.get("partner_id")).exists()
        if not rep or represent.get("uid") != rep.id or not contact or not contact._b2b_rep_may_act_for(rep):
            # Not acting for the buyer any more. The end is written on the
            # customer's chatter by the first request that may write (a
            # read-only one leaves it for the next).
            if request.env.cr.readonly:
                return None
            request.session.pop("b2b_represent", None)
            if rep and contact and represent.get("uid") == rep.id:
                message = request.env._(
                    "%(rep)s's ordering in the portal as %(buyer)s ended: the customer is no longer in reach "
                    "or no longer consents.", rep=rep.name, buyer=contact.name,
                )
                contact._b2b_log_rep(rep, message)
                # Answered here, so that the line on the chatter is kept (the route would refuse the representative).
                return request.redirect("/b2b")
            return None
        request.update_env(user=contact.user_ids[:1].id, context=dict(request.env.context, b2b_rep_uid=rep.id))
        return None

    @classmethod
    def _b2b_is_addon_endpoint(cls, endpoint):
        original = getattr(endpoint, "original_endpoint", endpoint)
        return getattr(original, "__module__", "").startswith(B2B_CONTROLLERS)
