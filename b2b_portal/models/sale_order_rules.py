import logging

from odoo import fields, models
from odoo.exceptions import UserError, ValidationError

_logger = logging.getLogger(__name__)


class SaleOrder(models.Model):
    """The order rules of the portal, in one place: minimum order value
    (refused, or a small-order surcharge), free delivery threshold (a
    delivery charge below it), credit limit and overdue hold, handled by the
    customer's credit policy. The cart shows them, the submit and the
    sending to the office enforce them, the office's approval reads them
    again and logs an override, and a payment releases the orders they held."""

    _inherit = "sale.order"  # pylint: disable=consider-merging-classes-inherited

    b2b_hold_reason = fields.Text(
        string="On Hold Because",
        copy=False,
        readonly=True,
        tracking=True,
        help="Why the customer's credit policy holds this web order for the office (credit limit, "
        "overdue invoices). Cleared when the customer's payment releases it.",
    )

    # ------------------------------------------------------------------
    # Charges: small-order surcharge and delivery charge
    # ------------------------------------------------------------------

    def _b2b_thresholds(self):
        """``(minimum order, free delivery from)`` in this order's currency."""
        self.ensure_one()
        company = self.company_id or self.env.company
        currency = self.currency_id or company.currency_id
        today = fields.Date.context_today(self)
        return tuple(
            company.currency_id._convert(amount, currency, company, today) if amount else 0.0
            for amount in self.partner_id._b2b_order_thresholds()
        )

    def _b2b_charges(self, untaxed):
        """The charge lines an order whose goods total ``untaxed`` (taxes
        excluded) must carry: ``[{"charge", "product", "price_unit"}]``, each
        service at its sales price in the order's currency."""
        self.ensure_one()
        company = self.company_id or self.env.company
        currency = self.currency_id or company.currency_id
        minimum, free_delivery = self._b2b_thresholds()
        charges = []
        for charge, threshold, product in (
            ("small_order", minimum, company.sudo().b2b_small_order_product_id),
            ("delivery", free_delivery, company.sudo().b2b_delivery_product_id),
        ):
            if product and threshold and currency.compare_amounts(untaxed, threshold) < 0:
                price = product.currency_id._convert(
                    product.lst_price, currency, company, fields.Date.context_today(self)
                )
                charges.append({"charge": charge, "product": product, "price_unit": price})
        return charges

    def _b2b_apply_charges(self):
        """Write the charge lines the order's goods call for now (a POST: the
        submit), and drop those it no longer needs."""
        self.ensure_one()
        untaxed = sum(self._b2b_product_lines().mapped("price_subtotal"))
        wanted = {charge["charge"]: charge for charge in self._b2b_charges(untaxed)}
        existing = self.order_line.filtered("b2b_charge")
        commands = [
            fields.Command.unlink(line.id) if line.b2b_charge not in wanted
            else fields.Command.update(line.id, {"price_unit": wanted[line.b2b_charge]["price_unit"]})
            for line in existing
        ]
        present = set(existing.mapped("b2b_charge"))
        commands += [
            fields.Command.create({
                "product_id": charge["product"].id,
                "product_uom_qty": 1.0,
                "price_unit": charge["price_unit"],
                "b2b_charge": name,
                "sequence": 10000,
            })
            for name, charge in wanted.items()
            if name not in present
        ]
        if commands:
            self.sudo().order_line = commands

    # ------------------------------------------------------------------
    # The rules
    # ------------------------------------------------------------------

    def _b2b_lock_customer(self):
        """Rewrite the customer company's row first: two buyers submitting at
        once are then counted one after the other (the second retries on fresh
        data), so that they cannot together pass a credit limit nor a
        company budget (``_b2b_company_approval_reasons``)."""
        self.env.cr.execute(
            "UPDATE res_partner SET write_date = write_date WHERE id = %s",
            [self.partner_id.commercial_partner_id.id], log_exceptions=False,
        )

    def _b2b_order_rules(self, untaxed=None, total=None):
        """Where this order stands against its customer's rules, on live data.

        :param untaxed: the goods' total, taxes excluded (default: the order's
            product lines); the cart passes the one it shows.
        :param total: the order's total, taxes and charges included (default:
            the order's).
        :return: a dict: ``minimum``, ``missing`` (to the minimum),
            ``free_delivery``, ``delivery_missing``, ``surcharge`` (whether
            a small order is charged rather than refused), ``credit`` (see
            ``res.partner._b2b_credit``, None without a limit), ``overdue``
            (invoices that hold orders), ``policy``, ``hold_reasons`` and
            ``office_reasons`` (why the policy applies, for the buyer and for
            the office), ``refusal`` (why the order cannot be sent, or None).
        """
        self.ensure_one()
        company = self.company_id or self.env.company
        currency = self.currency_id or company.currency_id
        customer = self.partner_id.commercial_partner_id.sudo()
        if untaxed is None:
            untaxed = sum(self._b2b_product_lines().mapped("price_subtotal"))
        if total is None:
            total = self.amount_total
        money = currency.format
        minimum, free_delivery = self._b2b_thresholds()
        missing = max(minimum - untaxed, 0.0) if minimum else 0.0
        surcharge = bool(company.sudo().b2b_small_order_product_id)
        rules = {
            "minimum": minimum,
            "missing": currency.round(missing),
            "free_delivery": free_delivery,
            "delivery_missing": currency.round(max(free_delivery - untaxed, 0.0)) if free_delivery else 0.0,
            "surcharge": surcharge,
            "policy": customer.b2b_credit_policy or "warn",
            "hold_reasons": [],
            "office_reasons": [],
            "refusal": None,
        }
        if not currency.is_zero(missing) and not surcharge:
            rules["refusal"] = self.env._(
                "Add %(missing)s more to reach the minimum order of %(minimum)s.",
                missing=money(missing), minimum=money(minimum),
            )
        credit = rules["credit"] = self.partner_id._b2b_credit(company, exclude=self)
        if credit:
            company_total = total / (self.currency_rate or 1.0)
            if company.currency_id.compare_amounts(company_total, credit["available"]) > 0:
                values = {"total": money(total), "available": company.currency_id.format(credit["available"]),
                          "limit": company.currency_id.format(credit["limit"]),
                          "used": company.currency_id.format(credit["used"])}
                if company.currency_id.compare_amounts(credit["available"], 0.0) > 0:
                    rules["hold_reasons"].append(self.env._(
                        "This order of %(total)s is more than your available credit of %(available)s.", **values,
                    ))
                else:
                    rules["hold_reasons"].append(self.env._(
                        "Your credit limit of %(limit)s is used up (%(used)s): no available credit for this order.",
                        **values,
                    ))
                rules["office_reasons"].append(self.env._(
                    "Over the credit limit: the order's %(total)s, with %(available)s of %(limit)s available.",
                    **values,
                ))
        overdue = rules["overdue"] = customer._b2b_held_overdue_invoices(company)
        if overdue:
            values = {
                "days": customer.b2b_overdue_grace_days,
                "invoices": ", ".join(overdue.mapped("name")),
                "amount": company.currency_id.format(sum(overdue.mapped("amount_residual_signed"))),
            }
            rules["hold_reasons"].append(self.env._(
                "Invoices overdue by more than %(days)s days: %(invoices)s (%(amount)s due).", **values,
            ))
            rules["office_reasons"].append(self.env._(
                "Invoices overdue by more than %(days)s days: %(invoices)s (%(amount)s due).", **values,
            ))
        if rules["hold_reasons"] and rules["policy"] == "block" and not rules["refusal"]:
            rules["refusal"] = self.env._(
                "This order cannot be sent: %(reasons)s Please contact us, or pay your open invoices.",
                reasons=" ".join(rules["hold_reasons"]),
            )
        return rules

    def _b2b_check_order_rules(self):
        """The submit's and the sending's check, on live data: the order's
        charges written, then the rules read, refused with their message.
        :return: the rules (see ``_b2b_order_rules``)."""
        self.ensure_one()
        self._b2b_lock_customer()
        self._b2b_apply_charges()
        rules = self._b2b_order_rules()
        if rules["refusal"]:
            raise UserError(rules["refusal"])
        return rules

    def _b2b_apply_credit_policy(self, rules):
        """Send the order on as its customer's policy says. :return: whether
        it goes on to the office now (False: it waits for the buyer's payment)."""
        self.ensure_one()
        if not rules["hold_reasons"] or rules["policy"] == "warn":
            return True
        if rules["policy"] == "prepay":
            self.write({
                "b2b_state": "to_pay",
                "require_payment": True,
                "prepayment_percent": 1.0,
                "require_signature": False,
            })
            self._b2b_notify("b2b_portal.mail_template_b2b_order_to_pay")
            return False
        # Written for the office, in the salesperson's language (the buyer's is the request's).
        lang = self.user_id.lang or self.company_id.partner_id.lang
        if lang and lang != self.env.lang:
            rules = self.with_context(lang=lang)._b2b_order_rules()
        self.b2b_hold_reason = "\n".join(rules["office_reasons"])
        return True

    # ------------------------------------------------------------------
    # The office's approval and the customer's payments
    # ------------------------------------------------------------------

    def _b2b_log_override(self):
        """An approval over the rules (a hold, or the rules broken now) is the
        office's override: say so on the order's chatter."""
        for order in self:
            if order.require_payment and order._is_confirmation_amount_reached():
                continue  # paid online first (prepay): nothing left to override
            rules = order._b2b_order_rules()
            reasons = list(rules["office_reasons"]) if rules["policy"] != "warn" else []
            if order.b2b_hold_reason and not reasons:
                reasons.append(order.b2b_hold_reason)
            if rules["missing"] and not rules["surcharge"]:
                reasons.append(self.env._(
                    "Below the minimum order of %(minimum)s.", minimum=order.currency_id.format(rules["minimum"]),
                ))
            if reasons:
                order.message_post(body=self.env._(
                    "Approved by %(user)s over the order rules: %(reasons)s",
                    user=self.env.user.name, reasons=" ".join(reasons),
                ), subtype_xmlid="mail.mt_note")

    def _b2b_release_holds(self):
        """Orders held for the office whose reasons are gone (invoices paid,
        credit freed) are released, and approved where auto-approval allows."""
        for order in self.filtered(lambda o: o.b2b_state == "pending" and o.b2b_hold_reason):
            rules = order._b2b_order_rules()
            if rules["hold_reasons"] and rules["policy"] != "warn":
                order.b2b_hold_reason = "\n".join(rules["office_reasons"])
                continue
            order.b2b_hold_reason = False
            order.message_post(body=self.env._("Released: the customer's credit and payments are in order again."),
                               subtype_xmlid="mail.mt_note")
            if not order._b2b_can_auto_approve():
                continue
            # Run inside the payment's reconciliation: an order that cannot be
            # confirmed now (a missing route, say) stays in the office's queue
            # rather than undo the customer's payment.
            try:
                with self.env.cr.savepoint():
                    order._b2b_approve()
            except (UserError, ValidationError) as error:
                _logger.warning("Web order %s released but not auto-approved: %s", order.name, error)
                order.message_post(body=self.env._(
                    "Released, but not approved automatically: %(error)s", error=str(error.args[0]),
                ), subtype_xmlid="mail.mt_note")

    def _b2b_paid_to_office(self):
        """An order paid before it reaches the office (prepay policy) goes to
        the office's queue now."""
        self.write({"b2b_state": "pending"})
        for order in self:
            order._b2b_send_to_office(paid=True)
