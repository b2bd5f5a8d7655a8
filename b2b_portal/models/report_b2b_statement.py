from odoo import api, fields, models


class ReportB2bStatement(models.AbstractModel):
    """The statement of account of a customer company, for the portal page
    and its PDF: both read :meth:`_get_statement`."""

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
            "statements": {partner.id: self._get_statement(partner, date_from, date_to) for partner in partners},
        }

    @api.model
    def _get_statement(self, partner, date_from, date_to):
        """Statement of account of ``partner``'s company for a period: opening
        balance, each receivable entry with a running balance, closing and
        overdue balances, in the company currency. Read from posted journal
        items of receivable accounts, as the partner ledger is."""
        partner = partner.commercial_partner_id
        MoveLine = self.env["account.move.line"].sudo()
        base = [
            ("partner_id", "=", partner.id),
            ("account_id.account_type", "=", "asset_receivable"),
            ("parent_state", "=", "posted"),
            ("company_id", "=", self.env.company.id),
        ]
        [[opening]] = MoveLine._read_group(base + [("date", "<", date_from)], [], ["balance:sum"])
        lines = MoveLine.search(
            base + [("date", ">=", date_from), ("date", "<=", date_to)], order="date, move_name, id"
        )
        running, rows = opening or 0.0, []
        for line in lines:
            running += line.balance
            rows.append({
                "date": line.date,
                "reference": line.move_id.name,
                "kind": self._get_entry_kind(line.move_id),
                "due": line.date_maturity if line.move_id.is_invoice() else False,
                "debit": line.debit,
                "credit": line.credit,
                "balance": running,
            })
        today = fields.Date.context_today(self)
        [[overdue]] = MoveLine._read_group(
            base + [("reconciled", "=", False), ("date_maturity", "<", today), ("date", "<=", date_to)],
            [], ["amount_residual:sum"],
        )
        return {
            "opening": opening or 0.0,
            "lines": rows,
            "closing": running,
            "overdue": overdue or 0.0,
            "currency": self.env.company.currency_id,
        }

    @api.model
    def _get_entry_kind(self, move):
        if move.move_type == "out_invoice":
            return self.env._("Invoice")
        if move.move_type == "out_refund":
            return self.env._("Credit note")
        if move.origin_payment_id or move.statement_line_id:
            return self.env._("Payment")
        return self.env._("Entry")
