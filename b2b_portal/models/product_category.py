from odoo import api, models, tools
from odoo.tools import SQL


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
            self.env.registry.clear_cache()  # _b2b_category_options (names), _b2b_subtree_ids (the tree)
        return res

    def unlink(self):
        res = super().unlink()
        self.env.registry.clear_cache()  # _b2b_category_options
        return res

    @api.model
    @tools.ormcache("root_ids")
    def _b2b_subtree_ids(self, root_ids):
        """``(id, ...)`` of the categories ``root_ids`` and all their
        children, by parent_path as child_of does, in one query. Cached: it
        depends on the tree only, whose changes (create, move, unlink) clear
        the cache in every worker."""
        rows = self.env.execute_query(SQL(
            "SELECT DISTINCT category.id FROM product_category category JOIN product_category root"
            " ON category.parent_path LIKE root.parent_path || %s WHERE root.id IN %s ORDER BY category.id",
            "%", root_ids or (None,),
            to_flush=self._fields["parent_path"],
        ))
        return tuple(category_id for (category_id,) in rows)

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
