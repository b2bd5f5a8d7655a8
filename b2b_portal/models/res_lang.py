from odoo import api, models


class ResLang(models.Model):
    _inherit = "res.lang"

    @api.model_create_multi
    def create(self, vals_list):
        langs = super().create(vals_list)
        if any(langs.mapped("active")):
            self.env["product.template"]._b2b_index_name_sorting()
        return langs

    def write(self, vals):
        result = super().write(vals)
        if vals.get("active"):
            self.env["product.template"]._b2b_index_name_sorting()
        return result
