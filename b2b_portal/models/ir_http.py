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
            cls._b2b_act_for_represented_buyer(endpoint)
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
        portfolio, ends it. The representative's own routes and every route
        outside the addon (the backend, JSON-RPC) run as the representative."""
        contact_id = request.session.get("b2b_represent")
        original = getattr(endpoint, "original_endpoint", endpoint)
        if not contact_id or getattr(original, "__name__", "") in REP_OWN_ENDPOINTS:
            return
        rep = request.env.user
        contact = request.env["res.partner"].sudo().browse(contact_id).exists()
        if rep._is_public() or not contact or not contact._b2b_rep_may_act_for(rep):
            request.session.pop("b2b_represent", None)
            return
        request.update_env(user=contact.user_ids[:1].id, context=dict(request.env.context, b2b_rep_uid=rep.id))

    @classmethod
    def _b2b_is_addon_endpoint(cls, endpoint):
        original = getattr(endpoint, "original_endpoint", endpoint)
        return getattr(original, "__module__", "").startswith(B2B_CONTROLLERS)
