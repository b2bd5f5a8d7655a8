from datetime import timedelta

from odoo import api, fields, models

CREDIT_POLICIES = [
    ("warn", "Warn only"),
    ("office", "Hold for the office"),
    ("block", "Refuse the order"),
    ("prepay", "Payment before the order"),
]


class ResPartner(models.Model):
    """The customer's order rules: minimum order value, free delivery
    threshold, credit policy and overdue hold (see ``sale_order_rules.py``)."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    b2b_min_order_amount = fields.Monetary(
        string="Minimum Order",
        currency_field="currency_id",
        help="Web orders below this untaxed amount are refused, or carry the small-order surcharge "
        "where one is set in the settings. 0 uses the price tier's minimum.",
    )
    b2b_free_delivery_amount = fields.Monetary(
        string="Free Delivery From",
        currency_field="currency_id",
        help="Web orders below this untaxed amount carry the delivery charge set in the settings. "
        "0 uses the price tier's threshold.",
    )
    b2b_credit_policy = fields.Selection(
        CREDIT_POLICIES,
        string="Credit Policy",
        default="warn",
        help="What happens to a web order that would take the customer over its credit limit "
        "(Accounting setting 'Sales Credit Limit'), or from a customer with an invoice overdue by more "
        "than the grace days: warn only; send it to the office's queue on hold; refuse it; or ask the "
        "buyer to pay it online before it reaches the office.",
    )
    b2b_overdue_grace_days = fields.Integer(
        string="Overdue Hold After (days)",
        default=30,
        help="Web orders of a customer with an invoice overdue by more than this many days are "
        "handled by its credit policy.",
    )

    @api.model
    def _commercial_fields(self):
        return [
            *super()._commercial_fields(),
            "b2b_min_order_amount", "b2b_free_delivery_amount", "b2b_credit_policy", "b2b_overdue_grace_days",
        ]

    def _b2b_order_thresholds(self):
        """``(minimum order, free delivery from)`` of this customer, untaxed,
        in the company's currency: its own, else its price tier's."""
        self.ensure_one()
        customer = self.sudo().commercial_partner_id
        tier = customer.b2b_price_tier_id
        return (
            customer.b2b_min_order_amount or tier.min_order_amount,
            customer.b2b_free_delivery_amount or tier.free_delivery_amount,
        )

    def _b2b_held_overdue_invoices(self, company=None):
        """This customer's posted invoices (of ``company``, default: the
        current one) overdue by more than its grace days, unpaid."""
        self.ensure_one()
        customer = self.sudo().commercial_partner_id
        limit = fields.Date.context_today(self) - timedelta(days=max(customer.b2b_overdue_grace_days, 0))
        return self.env["account.move"].sudo().search([
            ("commercial_partner_id", "=", customer.id),
            ("company_id", "=", (company or self.env.company).id),
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("payment_state", "in", ("not_paid", "partial")),
            ("invoice_date_due", "<", limit),
        ], order="invoice_date_due")

    def _b2b_credit(self, company, exclude=None):
        """The customer's credit as Odoo's credit warning on sales orders reads
        it (``account.move._build_credit_warning_message``): its receivable
        plus its confirmed orders not yet invoiced, against its credit limit,
        where the company uses credit limits. Web orders sent but not yet
        confirmed (awaiting the company's or the office's approval) are
        counted too, but ``exclude``: two buyers submitting at once must not
        both spend the same credit.

        :return: ``{"limit", "used", "available"}`` in the company's currency,
            or None without a limit."""
        self.ensure_one()
        customer = self.sudo().commercial_partner_id.with_company(company)
        if not company.account_use_credit_limit or not customer.credit_limit:
            return None
        domain = [
            ("partner_id", "child_of", customer.id),
            ("company_id", "=", company.id),
            ("b2b_state", "in", ("company_pending", "pending")),
            ("state", "in", ("draft", "sent")),
        ]
        if exclude:
            domain.append(("id", "not in", exclude.ids))
        waiting = sum(
            order.amount_total / (order.currency_rate or 1.0)
            for order in self.env["sale.order"].sudo().search(domain)
        )
        used = customer.credit + customer.credit_to_invoice + waiting
        return {"limit": customer.credit_limit, "used": used, "available": customer.credit_limit - used}
