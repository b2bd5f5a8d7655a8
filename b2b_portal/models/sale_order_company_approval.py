from markupsafe import Markup, escape

from odoo import models
from odoo.exceptions import AccessError, UserError


class SaleOrder(models.Model):
    """Approval inside the customer's company: an order beyond a buyer's
    limits, or from a requester, waits for the company's administrators
    before it reaches the distributor's queue."""

    _inherit = "sale.order"  # pylint: disable=consider-merging-classes-inherited

    def _b2b_company_approval_reasons(self, for_approvers=False):
        """Why this order needs its company's approval, as sentences (none:
        it goes to the distributor), told to the buyer or, with
        ``for_approvers``, about the buyer. The submit locks the customer's
        row first (``_b2b_lock_customer``): two buyers submitting at once are
        counted one after the other, so that a budget that fits one order is
        never passed by two."""
        self.ensure_one()
        buyer = self.partner_id
        company = buyer.commercial_partner_id.sudo()
        currency, total, money = self.currency_id, self.amount_total, self._b2b_money
        reasons = []
        if buyer.b2b_role == "requester":
            if for_approvers:
                reasons.append(self.env._(
                    "%(buyer)s is a requester: the company approves each of its orders.", buyer=buyer.name,
                ))
            else:
                reasons.append(self.env._("Your company approves every order you send."))
        if buyer.b2b_order_limit and currency.compare_amounts(total, buyer.b2b_order_limit) > 0:
            values = {"buyer": buyer.name, "limit": money(buyer.b2b_order_limit)}
            if for_approvers:
                reasons.append(self.env._(
                    "The order's total is over the limit of %(buyer)s, %(limit)s per order.", **values,
                ))
            else:
                reasons.append(self.env._("The order's total is over your limit of %(limit)s per order.", **values))
        if buyer.b2b_monthly_budget:
            spent = buyer._b2b_spending_this_month(exclude=self) + total
            if currency.compare_amounts(spent, buyer.b2b_monthly_budget) > 0:
                values = {"buyer": buyer.name, "total": money(spent), "budget": money(buyer.b2b_monthly_budget)}
                if for_approvers:
                    reasons.append(self.env._(
                        "It would take the orders of %(buyer)s this month to %(total)s, over a budget of %(budget)s.",
                        **values,
                    ))
                else:
                    reasons.append(self.env._(
                        "It would take your orders this month to %(total)s, over your budget of %(budget)s.", **values,
                    ))
        if company.b2b_company_monthly_budget:
            spent = buyer._b2b_spending_this_month(whole_company=True, exclude=self) + total
            if currency.compare_amounts(spent, company.b2b_company_monthly_budget) > 0:
                values = {"total": money(spent), "budget": money(company.b2b_company_monthly_budget)}
                if for_approvers:
                    reasons.append(self.env._(
                        "It would take the company's orders this month to %(total)s, over its budget of %(budget)s.",
                        **values,
                    ))
                else:
                    reasons.append(self.env._(
                        "It would take your company's orders this month to %(total)s, over its budget of %(budget)s.",
                        **values,
                    ))
        # Asked last (the company's people are read for it): nobody else to
        # approve, the distributor's approval only.
        if reasons and not buyer._b2b_company_approvers(exclude=buyer):
            return []
        return reasons

    def _b2b_money(self, amount):
        return self.currency_id.format(amount)

    def _b2b_ask_company_approval(self, reasons):
        """Tell the buyer and the company's approvers, on the order's chatter."""
        self.ensure_one()
        approvers = self.partner_id._b2b_company_approvers(exclude=self.partner_id)
        url = f"{self.get_base_url()}/b2b/approvals"
        body = Markup("<p>%s</p><ul>%s</ul><p><a href='%s'>%s</a></p>") % (
            self.env._("%(buyer)s sent %(order)s for %(total)s: it awaits the approval of %(company)s.",
                       buyer=self.partner_id.name, order=self.name, total=self._b2b_money(self.amount_total),
                       company=self.partner_id.commercial_partner_id.name),
            Markup("").join(Markup("<li>%s</li>") % escape(reason) for reason in reasons),
            url,
            self.env._("Review it"),
        )
        self.sudo().message_post(body=body, partner_ids=(approvers | self.partner_id).ids,
                                 message_type="comment", subtype_xmlid="mail.mt_comment")

    def _b2b_check_company_approver(self, approver):
        """``approver`` (a contact) may decide on this order for its company."""
        self.ensure_one()
        if not approver._b2b_has_right("approve") or (
            self.partner_id.commercial_partner_id != approver.commercial_partner_id
        ):
            raise AccessError(self.env._("Only your company's administrators approve its orders."))
        if self.b2b_state != "company_pending":
            raise UserError(self.env._("%(order)s no longer awaits your company's approval.", order=self.name))
        if self.partner_id == approver:
            raise UserError(self.env._("Nobody approves its own order: another administrator will."))

    def _b2b_company_set_quantity(self, approver, line, quantity):
        """The approver changes a line's quantity before deciding (priced by
        the engine as any quantity change; rounded up to the sales pack and
        refused below the minimum, as in the cart), noted on the chatter."""
        self._b2b_check_company_approver(approver)
        if line not in self._b2b_product_lines():
            raise UserError(self.env._("This line is not in the order."))
        self._b2b_check_quantity(line.product_id, quantity)
        quantity = line.product_id._b2b_round_to_pack(quantity)[0]
        before = line.product_uom_qty
        line.product_uom_qty = quantity
        self.sudo().message_post(
            body=self.env._("%(name)s changed %(product)s from %(before)s to %(after)s.", name=approver.name,
                            product=line.product_id.display_name, before=before, after=quantity),
            author_id=approver.id, message_type="comment", subtype_xmlid="mail.mt_note",
        )

    def _b2b_company_approve(self, approver):
        """The company approved: the order goes on to the distributor, exactly as
        an order within the limits does (auto-approval included)."""
        self._b2b_check_company_approver(approver)
        self.sudo().message_post(
            body=self.env._("Approved for %(company)s by %(name)s.", company=approver.commercial_partner_id.name,
                            name=approver.name),
            author_id=approver.id, message_type="comment", subtype_xmlid="mail.mt_note",
        )
        self.write({"b2b_state": "pending"})
        self._b2b_send_to_office()

    def _b2b_company_reject(self, approver, reason):
        """The company refused: the order is kept as rejected, the buyer is told why."""
        self._b2b_check_company_approver(approver)
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Tell your colleague why the order is rejected."))
        self._action_cancel()
        self.write({"b2b_state": "rejected", "b2b_reject_reason": reason[:5000]})
        self.sudo().message_post(
            body=self.env._("Rejected for %(company)s by %(name)s: %(reason)s",
                            company=approver.commercial_partner_id.name, name=approver.name, reason=reason[:5000]),
            author_id=approver.id, partner_ids=self.partner_id.ids,
            message_type="comment", subtype_xmlid="mail.mt_comment",
        )
