from odoo import fields, models


class ResPartner(models.Model):
    """Order lists: the lists the office prepares for a customer."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    b2b_recommended_list_ids = fields.One2many(
        "b2b.order.list",
        "partner_id",
        string="Recommended Lists",
        domain=[("is_recommended", "=", True)],
        context={"default_is_recommended": True},
        help="Order lists the office prepares for this customer: its buyers read them and copy them to their own.",
    )
