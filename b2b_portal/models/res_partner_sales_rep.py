from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.osv import expression

REP_GROUP = "b2b_portal.group_b2b_sales_rep"
REP_MANAGER_GROUP = "sales_team.group_sale_manager"


class ResPartner(models.Model):
    """Sales representatives ordering in the portal for their customers:
    which customers a representative reaches, and the customer's consent."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    b2b_allow_rep_orders = fields.Boolean(
        string="Our Sales Representative May Order for Us",
        default=True,
        tracking=True,
        help="On a customer company: its salesperson (or a member of its sales team) may open the B2B portal "
        "for one of its buyers and order there. The customer's administrators change it in the portal.",
    )

    @api.model
    def _b2b_rep_customers_domain(self, user):
        """Domain of the customer companies ``user`` may order for: those it
        is the salesperson of, or whose salesperson is in a sales team it is
        a member of (all of them for a sales manager), with a price tier and
        their consent."""
        domain = [("is_company", "=", True), ("b2b_price_tier_id", "!=", False), ("b2b_allow_rep_orders", "=", True)]
        if not user.has_group(REP_GROUP):
            return expression.FALSE_DOMAIN
        if user.has_group(REP_MANAGER_GROUP):
            return domain
        # A customer's sales team is its salesperson's (and, with CRM, the one set on it).
        teams = self.env["crm.team"].sudo().search([("member_ids", "in", user.ids)])
        reach = [("user_id", "in", (user | teams.member_ids).ids)]
        if "team_id" in self._fields:
            reach = expression.OR([reach, [("team_id", "in", teams.ids)]])
        return expression.AND([domain, reach])

    @api.model
    def _b2b_rep_contacts(self, user, customer=None):
        """The buyers ``user`` may order as: active contacts of its customers
        with a portal login whose role orders (see ``_b2b_rep_customers_domain``)."""
        Partner = self.sudo().with_context(active_test=True)
        customers = Partner.search(self._b2b_rep_customers_domain(user))
        if customer is not None:
            customers &= customer
        contacts = Partner.search([
            ("parent_id", "in", customers.ids),
            ("user_ids.groups_id", "=", self.env.ref("b2b_portal.group_b2b_buyer").id),
        ], order="parent_id, name, id")
        return contacts.filtered(lambda contact: "order" in contact._b2b_role_rights())

    def _b2b_rep_orders_as(self):
        """Whether a representative can order as this contact: an active
        buyer with a portal login whose role orders."""
        self.ensure_one()
        user = self.sudo().user_ids[:1]
        return bool(user) and self.active and user._b2b_is_buyer() and "order" in self._b2b_role_rights()

    def _b2b_rep_may_act_for(self, user):
        """Whether ``user`` may order in the portal as this contact now."""
        self.ensure_one()
        contact = self.sudo()
        customer = contact.commercial_partner_id
        return bool(
            contact.parent_id == customer
            and contact.search_count(expression.AND([self._b2b_rep_customers_domain(user), [("id", "=", customer.id)]]))
            and contact._b2b_rep_orders_as()
        )

    def _b2b_log_rep(self, user, message):
        """Write ``message`` on the customer company's chatter, by ``user``."""
        self.ensure_one()
        self.sudo().commercial_partner_id.message_post(
            body=message, author_id=user.partner_id.id, message_type="comment", subtype_xmlid="mail.mt_note",
        )

    def write(self, vals):
        if "b2b_allow_rep_orders" in vals and not self.env.su and not self.env.user.has_group(REP_MANAGER_GROUP):
            raise AccessError(self.env._(
                "The customer's consent to its sales representative ordering for it is the customer's: its "
                "administrators change it in the portal (or a sales manager, on its word)."
            ))
        return super().write(vals)

    def action_b2b_represent(self):
        """The customer form's button: the portal's list of this customer's
        buyers to order as (the representative chooses, then the portal
        starts with a checked POST)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/b2b?customer_id={self.commercial_partner_id.id}",
            "target": "self",
        }
