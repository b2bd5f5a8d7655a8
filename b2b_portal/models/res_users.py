from odoo import Command, api, models

BUYER_GROUP = "b2b_portal.group_b2b_buyer"


class ResUsers(models.Model):
    """Buyers: portal users of a customer company with a price tier. The
    ``b2b_portal.group_b2b_buyer`` group follows portal access and the tier:
    granting portal access to a contact of a tiered company makes it a buyer,
    removing the access or the tier makes it a plain portal user again."""

    _inherit = "res.users"

    @api.model_create_multi
    def create(self, vals_list):
        users = super().create(vals_list)
        users._b2b_sync_buyer_group()
        return users

    def write(self, vals):
        groups_changed = "groups_id" in vals or any(key.startswith(("in_group_", "sel_groups_")) for key in vals)
        if groups_changed:
            vals = self._b2b_drop_buyer_with_portal(self._remove_reified_groups(vals))
        res = super().write(vals)
        if groups_changed or {"active", "partner_id"} & set(vals):
            self._b2b_sync_buyer_group()
        return res

    def _b2b_drop_buyer_with_portal(self, vals):
        """A write that takes portal access away also takes the buyer group,
        which implies portal access and would otherwise give it back (and
        make the user portal and public or internal at once)."""
        portal = self.env.ref("base.group_portal").id
        buyer = self.env.ref(BUYER_GROUP, raise_if_not_found=False)
        if not buyer or not vals.get("groups_id"):
            return vals
        keeps_portal = True
        for command in vals["groups_id"]:
            if (command[0] == Command.UNLINK and command[1] == portal) or command[0] == Command.CLEAR:
                keeps_portal = False
            elif command[0] == Command.LINK and command[1] in (portal, buyer.id):
                keeps_portal = True
            elif command[0] == Command.SET:
                keeps_portal = bool({portal, buyer.id} & set(command[2]))
        if keeps_portal:
            return vals
        return {**vals, "groups_id": [*vals["groups_id"], Command.unlink(buyer.id)]}

    def _b2b_sync_buyer_group(self):
        """Add or remove the buyer group so that it holds exactly the portal
        users whose company has a price tier."""
        buyer = self.env.ref(BUYER_GROUP, raise_if_not_found=False)
        if not buyer:  # while the addon installs
            return
        users = self.sudo()
        should = users.filtered(
            lambda user: user._is_portal() and user.partner_id.commercial_partner_id.b2b_price_tier_id
        )
        to_add = should.filtered(lambda user: buyer not in user.groups_id)
        to_remove = (users - should).filtered(lambda user: buyer in user.groups_id)
        if to_add:
            to_add.write({"groups_id": [Command.link(buyer.id)]})
            to_add._b2b_appoint_first_admins()
        if to_remove:
            to_remove.write({"groups_id": [Command.unlink(buyer.id)]})

    def _b2b_appoint_first_admins(self):
        """A company's first buyer is its administrator: a company is never
        left without someone to manage its people."""
        buyer = self.env.ref(BUYER_GROUP)
        for commercial, users in self.grouped(lambda user: user.partner_id.commercial_partner_id).items():
            admins = self.search_count([
                ("partner_id", "child_of", commercial.id), ("groups_id", "in", buyer.ids),
                ("partner_id.b2b_role", "=", "admin"),
            ])
            if not admins:
                users.sorted("id")[:1].partner_id.b2b_role = "admin"

    def _b2b_is_buyer(self):
        """Whether this user orders in the B2B portal: a member of the buyer group."""
        self.ensure_one()
        return self.has_group(BUYER_GROUP)
