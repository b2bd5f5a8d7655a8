from odoo import fields, models
from odoo.exceptions import UserError


class SaleOrder(models.Model):
    """Orders a sales representative places in the portal for a customer."""

    _inherit = "sale.order"  # pylint: disable=consider-merging-classes-inherited

    b2b_placed_by_id = fields.Many2one(
        "res.users",
        string="Placed By",
        readonly=True,
        copy=False,
        tracking=True,
        help="The sales representative who placed this web order in the portal for the customer's buyer.",
    )
    b2b_phone_order = fields.Boolean(
        string="Phone Order",
        readonly=True,
        copy=False,
        help="Placed by a representative allowed to do so outside the customer's own limits, company "
        "approval and credit policy (a phone order).",
    )

    def _b2b_rep(self):
        """The sales representative acting in this request, or an empty recordset."""
        return self.env["res.users"].sudo().browse(self.env.context.get("b2b_rep_uid")).exists()

    def _b2b_prepare_submit_vals(self, *args, **kwargs):
        vals = super()._b2b_prepare_submit_vals(*args, **kwargs)
        rep = self._b2b_rep()
        if rep:
            vals.update(b2b_placed_by_id=rep.id, user_id=rep.id)
        return vals

    def _b2b_submit(self, accept_price_changes=False, phone_order=False, **submit_values):
        """With ``phone_order``, by a representative who approves web orders,
        the customer's limits, company approval and credit policy are not
        applied (its minimum order, packs and charges still are)."""
        rep = self._b2b_rep()
        if phone_order:
            if not rep or not rep.has_group("b2b_portal.group_b2b_approver"):
                raise UserError(self.env._("Only a representative who approves web orders marks a phone order."))
            self.b2b_phone_order = True
        changes = super()._b2b_submit(accept_price_changes=accept_price_changes, **submit_values)
        if changes:
            self.b2b_phone_order = False
        elif rep:
            self.partner_id._b2b_log_rep(rep, self.env._(
                "%(rep)s placed %(order)s in the portal as %(buyer)s%(phone)s.",
                rep=rep.name, order=self.name, buyer=self.partner_id.name,
                phone=self.env._(" (a phone order)") if self.b2b_phone_order else "",
            ))
        return changes

    def _b2b_company_approval_reasons(self, for_approvers=False):
        if self.b2b_phone_order:
            return []
        return super()._b2b_company_approval_reasons(for_approvers=for_approvers)

    def _b2b_order_rules(self, untaxed=None, total=None):
        rules = super()._b2b_order_rules(untaxed=untaxed, total=total)
        if self.b2b_phone_order:
            rules.update(hold_reasons=[], office_reasons=[])
            if not rules["missing"] or rules["surcharge"]:
                rules["refusal"] = None  # the credit policy's refusal; the minimum order's stays
        return rules
