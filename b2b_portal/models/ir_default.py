import json

from odoo import api, models, tools


class IrDefault(models.Model):
    _inherit = "ir.default"

    @api.model
    def _get(self, model_name, field_name, user_id=False, company_id=False, condition=False):
        """Odoo reads one default on every portal page: the default language
        (http_routing's ``_get_default_lang``, as superuser), two queries
        each time. As superuser the value is cached, as Odoo caches
        ``_get_model_defaults``: ``ir.default``'s create, write and unlink
        clear the cache in every worker. Other callers read it as before
        (their access rights apply)."""
        if not self.env.su:
            return super()._get(model_name, field_name, user_id=user_id, company_id=company_id, condition=condition)
        if user_id is True:
            user_id = self.env.uid
        if company_id is True:
            company_id = self.env.company.id
        json_value = self._b2b_get_json(model_name, field_name, user_id, company_id, condition)
        return json.loads(json_value) if json_value else None

    @api.model
    @tools.ormcache("model_name", "field_name", "user_id", "company_id", "condition")
    def _b2b_get_json(self, model_name, field_name, user_id, company_id, condition):
        """The JSON of ``_get``'s default (a string: each caller decodes its own copy)."""
        field = self.env["ir.model.fields"]._get(model_name, field_name)
        default = self.sudo().search([
            ("field_id", "=", field.id),
            ("user_id", "=", user_id),
            ("company_id", "=", company_id),
            ("condition", "=", condition),
        ], limit=1)
        return default.json_value or None
