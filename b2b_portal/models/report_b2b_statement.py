from odoo import api, fields, models


class ReportB2bStatement(models.AbstractModel):
    _name = "report.b2b_portal.report_b2b_statement"
    _description = "B2B Statement of Account"

    @api.model
    def _get_report_values(self, docids, data=None):
        data = data or {}
        partners = self.env["res.partner"].browse(docids)
        date_to = fields.Date.to_date(data.get("date_to")) or fields.Date.context_today(self)
        date_from = fields.Date.to_date(data.get("date_from")) or date_to.replace(month=1, day=1)
        return {
            "docs": partners,
            "date_from": date_from,
            "date_to": date_to,
            "statements": {partner.id: partner._b2b_statement(date_from, date_to) for partner in partners},
        }
