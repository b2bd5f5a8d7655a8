from odoo import api, models, tools


class ProductCategory(models.Model):
    _inherit = "product.category"

    @api.model_create_multi
    def create(self, vals_list):
        categories = super().create(vals_list)
        self.env.registry.clear_cache()  # _b2b_category_options
        return categories

    def write(self, vals):
        res = super().write(vals)
        if {"name", "parent_id"} & set(vals):
            self.env.registry.clear_cache()  # _b2b_category_options: the names and their paths
        return res

    def unlink(self):
        res = super().unlink()
        self.env.registry.clear_cache()  # _b2b_category_options
        return res

    @api.model
    @tools.ormcache()
    def _b2b_category_options(self):
        """``((id, full name), ...)`` of every category, in the order the
        catalog's filter lists them: the filter of every catalog without
        catalog restrictions. The category tree changes in the back office
        only; its create, write (name, parent) and unlink clear the cache in
        every worker."""
        categories = self.sudo().with_context(hierarchical_naming=True).search_fetch([], ["display_name"])
        return tuple((category.id, category.display_name) for category in categories)
