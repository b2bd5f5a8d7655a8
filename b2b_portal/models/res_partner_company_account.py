from datetime import datetime, time

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import email_normalize

# What each role of a customer's people may do in the portal, in one place:
# the routes ask for a right, the templates show what the buyer has, the
# record rules read the same roles.
B2B_ROLES = [
    ("admin", "Administrator"),
    ("buyer", "Buyer"),
    ("requester", "Requester"),
    ("accountant", "Accountant"),
    ("viewer", "Viewer"),
]
B2B_ROLE_RIGHTS = {
    "admin": frozenset({"order", "account", "manage", "approve"}),
    "buyer": frozenset({"order"}),
    "requester": frozenset({"order"}),
    "accountant": frozenset({"account"}),
    "viewer": frozenset(),
}
B2B_RIGHTS = frozenset().union(*B2B_ROLE_RIGHTS.values())
B2B_REP_RIGHTS = frozenset({"order"})


class ResPartner(models.Model):
    """Company accounts: the role of each of a customer's people, and its
    administrators managing them from the portal."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    b2b_role = fields.Selection(
        B2B_ROLES,
        default="buyer",
        tracking=True,
        help="What this contact may do in the B2B portal. Administrator: everything, manages "
        "its company's people and approves; Buyer: orders; Requester: orders that its company "
        "approves; Accountant: invoices, payments and statement, no ordering; Viewer: catalog "
        "with prices and orders, no ordering.",
    )
    b2b_order_limit = fields.Monetary(
        string="Limit per Order",
        currency_field="currency_id",
        help="A web order of this buyer above this total (taxes included) needs its company's approval. 0: none.",
    )
    b2b_monthly_budget = fields.Monetary(
        string="Monthly Budget",
        currency_field="currency_id",
        help="Web orders of this buyer beyond this total in a calendar month need its company's approval. 0: none.",
    )
    b2b_company_monthly_budget = fields.Monetary(
        string="Company Monthly Budget",
        currency_field="currency_id",
        help="On a customer company: web orders of all its buyers beyond this total in a calendar month need "
        "the approval of its administrators. 0: none.",
    )
    b2b_share_orders = fields.Boolean(
        string="Buyers See Colleagues' Orders",
        help="On a customer company: its buyers and requesters see every order of the company, not only "
        "their own. Administrators, accountants and viewers always see them all; administrators and "
        "accountants alone see the company's invoices.",
    )
    b2b_buyer_ids = fields.One2many(
        "res.partner",
        "parent_id",
        domain=[("user_ids", "!=", False)],
        help="The company's contacts with a portal login.",
    )

    def write(self, vals):
        res = super().write(vals)
        if {"b2b_role", "b2b_share_orders"} & set(vals):
            # Record rules read these: their cached domains must follow.
            self.env.registry.clear_cache()
        return res

    def _b2b_role_rights(self):
        """The portal rights of this contact's role: ``frozenset`` of
        ``order``, ``account``, ``manage``, ``approve``."""
        self.ensure_one()
        return B2B_ROLE_RIGHTS.get(self.b2b_role or "buyer", frozenset())

    def _b2b_rights(self):
        """What this contact may do in the portal now: its role's rights, and
        ordering only when a sales representative acts as it (context key
        ``b2b_rep_uid``, set by ``ir.http``): never its accounts, payments or
        people."""
        rights = self._b2b_role_rights()
        if self.env.context.get("b2b_rep_uid"):
            rights &= B2B_REP_RIGHTS
        return rights

    def _b2b_has_right(self, right):
        self.ensure_one()
        return right in self._b2b_rights()

    # ------------------------------------------------------------------
    # Spending this month
    # ------------------------------------------------------------------

    @api.model
    def _b2b_month_start(self):
        """The start of the current calendar month, in the user's time zone, as a UTC datetime."""
        today = fields.Date.context_today(self)
        tz = pytz.timezone(self.env.context.get("tz") or self.env.user.tz or "UTC")
        start = tz.localize(datetime.combine(today.replace(day=1), time.min))
        return start.astimezone(pytz.UTC).replace(tzinfo=None)

    def _b2b_spending_this_month(self, whole_company=False, exclude=None):
        """Total, taxes included, of the web orders this buyer (or, with
        ``whole_company``, any buyer of its company) submitted this calendar
        month; rejected and cancelled ones do not count, nor ``exclude``."""
        self.ensure_one()
        whose = ("partner_id", "=", self.id)
        if whole_company:
            whose = ("partner_id", "child_of", self.commercial_partner_id.id)
        domain = [
            whose,
            ("b2b_submitted_date", ">=", self._b2b_month_start()),
            ("b2b_state", "in", ("company_pending", "pending", "to_pay", "approved")),
            ("state", "!=", "cancel"),
        ]
        if exclude:
            domain.append(("id", "not in", exclude.ids))
        [[total]] = self.env["sale.order"].sudo()._read_group(domain, [], ["amount_total:sum"])
        return total or 0.0

    def _b2b_spending_summary(self):
        """What the buyer is shown of its limits: ``[{label, spent, budget}]``
        for its own monthly budget and its company's, and its limit per order
        (``spent`` None), each where one is set."""
        self.ensure_one()
        company = self.commercial_partner_id.sudo()
        rows = []
        if self.b2b_monthly_budget:
            rows.append({"label": self.env._("Your orders this month"), "spent": self._b2b_spending_this_month(),
                         "budget": self.b2b_monthly_budget})
        if company.b2b_company_monthly_budget:
            rows.append({"label": self.env._("Your company's orders this month"),
                         "spent": self._b2b_spending_this_month(whole_company=True),
                         "budget": company.b2b_company_monthly_budget})
        if self.b2b_order_limit:
            rows.append({"label": self.env._("Your limit per order"), "spent": None, "budget": self.b2b_order_limit})
        return rows

    def _b2b_company_approvers(self, exclude=None):
        """The people who approve for this contact's company: its active administrators."""
        return self._b2b_active_admins() - (exclude or self.browse())

    @api.model
    def _b2b_role_options(self):
        """``[(role, label)]`` in the user's language."""
        return self._fields["b2b_role"]._description_selection(self.env)

    def _b2b_company_people_rows(self):
        """What the company page shows of each person."""
        users = self._b2b_company_users()
        return [
            {
                "partner": person,
                "active": any(user.active for user in users if user.partner_id == person),
                "is_me": person == self,
            }
            for person in users.partner_id
        ]

    # ------------------------------------------------------------------
    # The administrator manages its company's people
    # ------------------------------------------------------------------

    def _b2b_company_people(self):
        """The people of this contact's company with a portal login, active
        or deactivated, as superuser (the caller checked the right)."""
        return self._b2b_company_users().partner_id

    def _b2b_company_users(self):
        """The portal logins of this contact's company, active or not, as superuser."""
        self.ensure_one()
        return self.env["res.users"].sudo().with_context(active_test=False).search(
            [("partner_id", "child_of", self.commercial_partner_id.id), ("share", "=", True)], order="id"
        )

    def _b2b_active_admins(self):
        """The administrators of this contact's company who can still log in."""
        buyer_group = self.env.ref("b2b_portal.group_b2b_buyer")
        return self._b2b_company_people().filtered(
            lambda person: person.b2b_role == "admin"
            and any(user.active and buyer_group in user.groups_id for user in person.user_ids)
        )

    def _b2b_check_manager(self, member=None):
        self.ensure_one()
        if not self._b2b_has_right("manage"):
            raise AccessError(self.env._("Only your company's administrators manage its people."))
        if member is not None and member not in self._b2b_company_people():
            raise AccessError(self.env._("This person is not one of your company's people."))

    def _b2b_log_on_company(self, body):
        """Post ``body`` on the company's chatter, signed by this contact."""
        self.commercial_partner_id.sudo().message_post(
            body=body, author_id=self.id, message_type="comment", subtype_xmlid="mail.mt_note",
        )

    def _b2b_role_label(self, role):
        return dict(self._fields["b2b_role"]._description_selection(self.env)).get(role, role)

    def _b2b_invite_colleague(self, name, email, role):
        """Create a contact under this administrator's company with ``role``
        and send it Odoo's portal invitation. :return: the new contact."""
        self._b2b_check_manager()
        name, email = (name or "").strip()[:128], email_normalize(email or "")
        if not name:
            raise UserError(self.env._("Give your colleague's name."))
        if not email:
            raise UserError(self.env._("Give your colleague's email address: the invitation is sent there."))
        if role not in B2B_ROLE_RIGHTS:
            raise UserError(self.env._("Choose one of the roles."))
        if self.env["res.users"].sudo().with_context(active_test=False).search_count([("login", "=ilike", email)]):
            raise UserError(self.env._(
                "%(email)s already has a login: ask us to move it to your company.", email=email,
            ))
        colleague = self.env["res.partner"].sudo().create({
            "name": name, "email": email, "parent_id": self.commercial_partner_id.id, "type": "contact",
            "b2b_role": role,
        })
        wizard = self.env["portal.wizard"].sudo().with_context(active_ids=colleague.ids).create({})
        wizard.user_ids.action_grant_access()
        self._b2b_log_on_company(self.env._(
            "%(who)s invited %(name)s (%(email)s) as %(role)s.",
            who=self.name, name=name, email=email, role=self._b2b_role_label(role),
        ))
        return colleague

    def _b2b_set_colleague_role(self, member, role):
        self._b2b_check_manager(member)
        if role not in B2B_ROLE_RIGHTS:
            raise UserError(self.env._("Choose one of the roles."))
        if member.b2b_role == role:
            return
        if member.b2b_role == "admin" and self._b2b_active_admins() == member:
            raise UserError(self.env._("Your company needs an administrator: make a colleague administrator first."))
        before = member.b2b_role
        member.sudo().b2b_role = role
        self._b2b_log_on_company(self.env._(
            "%(who)s changed the role of %(name)s from %(before)s to %(after)s.",
            who=self.name, name=member.name, before=self._b2b_role_label(before), after=self._b2b_role_label(role),
        ))

    def _b2b_set_colleague_limits(self, member, order_limit, monthly_budget):
        """Set a colleague's limit per order and monthly budget (0: none).
        Nobody raises its own: a limit removed or made higher is refused."""
        self._b2b_check_manager(member)
        new = {"b2b_order_limit": order_limit, "b2b_monthly_budget": monthly_budget}
        if any(value is None or value < 0 for value in new.values()):
            raise UserError(self.env._("A limit is an amount of zero (no limit) or more."))
        changed = {field: value for field, value in new.items()
                   if member.currency_id.compare_amounts(member[field], value)}
        if not changed:
            return
        if member == self and any(
            member[field] and (not value or value > member[field]) for field, value in changed.items()
        ):
            raise UserError(self.env._("You cannot raise your own limits: ask another administrator."))
        member.sudo().write(changed)
        labels = {field: self._fields[field].get_description(self.env)["string"] for field in changed}
        self._b2b_log_on_company(self.env._(
            "%(who)s set %(changes)s of %(name)s.", who=self.name, name=member.name,
            changes=", ".join(
                f"{labels[field]}: {member.currency_id.format(value)}" for field, value in changed.items()
            ),
        ))

    def _b2b_deactivate_colleague(self, member):
        """Take a colleague's portal access away; its orders stay."""
        self._b2b_check_manager(member)
        if member == self:
            raise UserError(self.env._("You cannot deactivate yourself: ask another administrator."))
        if member.b2b_role == "admin" and self._b2b_active_admins() == member:
            raise UserError(self.env._("Your company needs an administrator: make a colleague administrator first."))
        wizard = self.env["portal.wizard"].sudo().with_context(active_ids=member.ids).create({})
        wizard.user_ids.filtered(lambda line: line.partner_id == member).action_revoke_access()
        self._b2b_log_on_company(self.env._("%(who)s deactivated %(name)s.", who=self.name, name=member.name))
