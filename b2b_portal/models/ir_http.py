from odoo import models
from odoo.http import request

from ..tools import strip_control_characters

B2B_CONTROLLERS = "odoo.addons.b2b_portal.controllers"


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
        return super()._dispatch(endpoint)

    @classmethod
    def _b2b_is_addon_endpoint(cls, endpoint):
        original = getattr(endpoint, "original_endpoint", endpoint)
        return getattr(original, "__module__", "").startswith(B2B_CONTROLLERS)
