from odoo import fields, models


class CrmTeam(models.Model):
    _inherit = "crm.team"

    b2b_pending_count = fields.Integer(
        string="Web orders to approve", compute="_compute_b2b_pending_count"
    )

    def _compute_b2b_pending_count(self):
        counts = dict(self.env["sale.order"]._read_group(
            [("team_id", "in", self.ids), ("b2b_state", "=", "pending")], ["team_id"], ["__count"]
        ))
        for team in self:
            team.b2b_pending_count = counts.get(team, 0)
