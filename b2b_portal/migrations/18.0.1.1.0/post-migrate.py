"""18.0.1.1.0: B2B rights move from every portal user to the buyer group, and
each buyer gets a role. Put the existing buyers (portal users of a company
with a price tier) in the group; the first buyer of each company (its oldest
login) becomes its administrator, the others keep the default role, buyer."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    portal = env.ref("base.group_portal")
    env["res.users"].with_context(active_test=False).search([("groups_id", "in", portal.ids)])._b2b_sync_buyer_group()
