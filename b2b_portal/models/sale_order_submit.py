from datetime import datetime, time

from odoo import api, fields, models
from odoo.exceptions import UserError


class SaleOrder(models.Model):
    """Sending a cart to the office: checks, live prices, then awaiting approval."""

    _inherit = "sale.order"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _b2b_delivery_addresses(self, partner):
        commercial = partner.commercial_partner_id
        return commercial | commercial.child_ids.filtered(lambda p: p.type == "delivery" and p.active)

    def _b2b_prepare_submit_vals(self, client_order_ref=None, requested_date=None, shipping_partner=None,
                                 note=None):
        vals = {"b2b_state": "pending", "b2b_submitted_date": fields.Datetime.now()}
        if client_order_ref is not None:
            vals["client_order_ref"] = client_order_ref.strip()[:100] or False
        if note is not None:
            vals["b2b_buyer_note"] = note.strip()[:5000] or False
        if requested_date:
            if requested_date < fields.Date.context_today(self):
                raise UserError(self.env._("The requested delivery date cannot be in the past."))
            vals["commitment_date"] = datetime.combine(requested_date, time(12, 0))
        if shipping_partner:
            if shipping_partner not in self._b2b_delivery_addresses(self.partner_id):
                raise UserError(self.env._("Choose one of your company's delivery addresses."))
            vals["partner_shipping_id"] = shipping_partner.id
        return vals

    def _b2b_submit(self, accept_price_changes=False, **submit_values):
        """Send the cart to the office. Prices are recomputed from live data
        first: :return: the price changes (nothing is sent while there are
        changes the buyer has not seen, unless ``accept_price_changes``).
        Private: it takes the portal's arguments, so it is not callable over
        RPC; the controller checks the buyer first."""
        self.ensure_one()
        self._b2b_lock()
        self._b2b_check_cart()
        product_lines = self._b2b_product_lines()
        if not product_lines:
            raise UserError(self.env._("Your cart is empty."))
        refused = product_lines.product_id - self.partner_id._b2b_filter_allowed_products(product_lines.product_id)
        if refused:
            raise UserError(self.env._(
                "%(products)s can no longer be ordered: remove it from your cart.",
                products=", ".join(refused.mapped("display_name")),
            ))
        vals = self._b2b_prepare_submit_vals(**submit_values)
        changes = self._b2b_refresh_prices()
        if changes and not accept_price_changes:
            return changes
        vals["b2b_submitted_lines"] = {
            str(line.id): [line.product_id.id, line.product_uom_qty, line.price_unit] for line in product_lines
        }
        # The order rules on live data (minimum order, charges, credit policy),
        # the customer's row locked first (for the credit and the budgets
        # alike): refused here, nothing is sent.
        rules = self._b2b_check_order_rules()
        reasons = self._b2b_company_approval_reasons()
        if reasons:
            vals["b2b_state"] = "company_pending"
        self._b2b_compute_deferred_fields()
        self.write(vals)
        if reasons:
            self._b2b_ask_company_approval(self._b2b_company_approval_reasons(for_approvers=True))
        else:
            self._b2b_send_to_office(rules)
        return []

    def _b2b_send_to_office(self, rules=None, paid=False):
        """The order goes to the distributor's approval queue (or is approved
        at once where the customer's auto-approval allows), unless the
        customer's credit policy asks the buyer to pay it first. ``rules``:
        those the submit just checked (else they are checked again, as when
        the customer's administrator approves); ``paid``: it was paid online."""
        self.ensure_one()
        if not paid:
            if rules is None:
                rules = self._b2b_check_order_rules()
            if not self._b2b_apply_credit_policy(rules):
                return
        self._b2b_notify("b2b_portal.mail_template_b2b_order_pending")
        if self._b2b_can_auto_approve():
            self.sudo()._b2b_approve()
