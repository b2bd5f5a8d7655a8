from odoo import fields, models
from odoo.osv import expression


class B2bCatalog(models.Model):
    _name = "b2b.catalog"
    _description = "B2B Catalog"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    categ_ids = fields.Many2many(
        "product.category",
        string="Categories",
        help="Every saleable product of these categories and of their sub-categories.",
    )
    product_tmpl_ids = fields.Many2many(
        "product.template",
        "b2b_catalog_product_tmpl_rel",
        "catalog_id",
        "product_tmpl_id",
        string="Products",
    )
    excluded_product_tmpl_ids = fields.Many2many(
        "product.template",
        "b2b_catalog_excluded_product_tmpl_rel",
        "catalog_id",
        "product_tmpl_id",
        string="Excluded Products",
    )
    partner_ids = fields.Many2many(
        "res.partner",
        "b2b_catalog_res_partner_rel",
        "catalog_id",
        "partner_id",
        string="Customers",
    )
    note = fields.Text()

    def _get_product_domain(self, model="product.product"):
        """Domain of what these catalogs allow: the union of their categories
        (children included) and products, minus every exclusion of any of them.
        On ``product.product`` (default) or on ``product.template``: only
        fields of the template, so it compiles to plain conditions on the
        product's own row, never to a join of the product table on itself.
        Every condition is a list of ids, which PostgreSQL estimates from its
        statistics (sub-selects it cannot, and then picks bad plans: a full
        scan for a catalog of 1,000 products among 100,000)."""
        catalogs = self.filtered("active")
        if not catalogs:
            return expression.FALSE_DOMAIN
        template_field = "product_tmpl_id" if model == "product.product" else "id"
        includes = []
        if catalogs.categ_ids:
            includes.append([("categ_id", "in", catalogs._get_category_ids())])
        if catalogs.product_tmpl_ids:
            includes.append([(template_field, "in", catalogs.product_tmpl_ids.ids)])
        domain = expression.OR(includes) if includes else expression.FALSE_DOMAIN
        if catalogs.excluded_product_tmpl_ids:
            domain = expression.AND([domain, [(template_field, "not in", catalogs.excluded_product_tmpl_ids.ids)]])
        return domain

    def _get_category_ids(self):
        """Ids of the categories of these catalogs and of all their children
        (``product.category._b2b_subtree_ids``: one query, then cached until
        the category tree changes). Called each time the portal record rules
        are compiled (four times for a catalog page)."""
        return list(self.env["product.category"]._b2b_subtree_ids(tuple(sorted(self.categ_ids.ids))))
