from odoo import models
from odoo.exceptions import AccessError, UserError


class SaleOrder(models.Model):
    """The office's approval of web orders: approve (Odoo's Confirm button
    included), adjust, reject, auto-approve. Never calls the submit."""

    _inherit = "sale.order"  # pylint: disable=consider-merging-classes-inherited

    def _b2b_check_approver(self):
        if not self.env.su and not self.env.user.has_group("b2b_portal.group_b2b_approver"):
            raise AccessError(self.env._("Only B2B approvers may approve or reject web orders."))
        not_pending = self.filtered(lambda order: order.b2b_state not in ("pending", "to_pay"))
        if not_pending:
            raise UserError(self.env._(
                "%(orders)s: only web orders awaiting approval can be approved or rejected.",
                orders=", ".join(not_pending.mapped("name")),
            ))

    def _b2b_can_auto_approve(self):
        self.ensure_one()
        # Read the flags now: an invoice paid a moment ago changes them.
        self.invalidate_recordset(["b2b_flag_stock", "b2b_flag_manual_price", "b2b_flag_credit", "b2b_overdue_amount"])
        limit = self.partner_id.commercial_partner_id.b2b_auto_approve_limit
        return bool(
            limit
            and self.currency_id.compare_amounts(self.amount_total, limit) <= 0
            and not (self.b2b_flag_stock or self.b2b_flag_manual_price or self.b2b_flag_credit
                     or self.b2b_overdue_amount > 0 or self.b2b_hold_reason)
        )

    def action_b2b_approve(self):
        """Approve web orders: confirm them, which creates the delivery as for
        any order, and tell the buyer what the office changed."""
        self._b2b_check_approver()
        self._b2b_approve()
        return True

    def action_confirm(self):
        """Odoo's own Confirm button on a web order awaiting approval is an
        approval: same rights, same state, same email to the buyer. A web
        order awaiting the buyer's payment that is now paid (Odoo confirms
        paid quotations) goes to the office's queue instead."""
        if self.env.context.get("b2b_approving"):
            return super().action_confirm()
        paid = self.filtered(lambda order: order.b2b_state == "to_pay" and order._is_confirmation_amount_reached())
        paid._b2b_paid_to_office()
        pending = self.filtered(lambda order: order.b2b_state in ("pending", "to_pay")) - paid
        if not pending:
            others = self - paid
            return super(SaleOrder, others).action_confirm() if others else True
        pending._b2b_check_approver()
        pending._b2b_approve()
        others = self - pending - paid
        return super(SaleOrder, others).action_confirm() if others else True

    def _b2b_approve(self):
        self._b2b_log_override()
        for order in self:
            changes = order._b2b_changes_since_submit()
            order.with_context(b2b_approving=True).action_confirm()
            order.write({"b2b_state": "approved", "b2b_hold_reason": False})
            order._b2b_invoice_prepaid()
            order._b2b_notify("b2b_portal.mail_template_b2b_order_approved", b2b_changes=changes)

    def _b2b_invoice_prepaid(self):
        """An order paid online before the office (prepay policy) is invoiced
        when approved, as Odoo invoices a paid order it confirms itself when
        "Automatic Invoice" is set; posting the invoice reconciles it with the
        payment (``sale``'s ``account.move._post``)."""
        self.ensure_one()
        if not (self.require_payment and self.env["ir.config_parameter"].sudo().get_param("sale.automatic_invoice")):
            return
        transactions = self.sudo().transaction_ids.filtered(lambda tx: tx.state == "done" and not tx.invoice_ids)
        if transactions:
            transactions._invoice_sale_orders()
            transactions.invoice_ids.filtered(lambda invoice: invoice.state == "draft").action_post()

    def _b2b_changes_since_submit(self):
        """``[(product name, what, before, after)]`` between what the buyer
        sent and the order now, for the approval email."""
        self.ensure_one()
        submitted = {int(line_id): values for line_id, values in (self.b2b_submitted_lines or {}).items()}
        changes = []
        lines = self._b2b_product_lines()
        for line in lines:
            before = submitted.get(line.id)
            if not before:
                changes.append((line.product_id.display_name, self.env._("added"), "", line.product_uom_qty))
                continue
            if before[1] != line.product_uom_qty:
                changes.append((line.product_id.display_name, self.env._("quantity"), before[1], line.product_uom_qty))
            if before[2] != line.price_unit:
                changes.append((line.product_id.display_name, self.env._("unit price"), before[2], line.price_unit))
        products = self.env["product.product"].browse(
            values[0] for line_id, values in submitted.items() if line_id not in lines.ids
        )
        changes.extend((product.display_name, self.env._("removed"), "", "") for product in products)
        return changes

    def action_b2b_reject_wizard(self):
        self._b2b_check_approver()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reject web orders"),
            "res_model": "b2b.order.reject",
            "view_mode": "form",
            "target": "new",
            "context": {"default_order_ids": self.ids},
        }

    def _b2b_reject(self, reason):
        self._b2b_check_approver()
        if not (reason or "").strip():
            raise UserError(self.env._("Tell the customer why the order is rejected."))
        self._action_cancel()
        self.write({"b2b_state": "rejected", "b2b_reject_reason": reason.strip()})
        self._b2b_notify("b2b_portal.mail_template_b2b_order_rejected")
