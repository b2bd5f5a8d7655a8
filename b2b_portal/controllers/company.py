from werkzeug.exceptions import NotFound

from odoo import http
from odoo.http import request

from .portal import B2bPortal


class B2bCompany(B2bPortal):
    """The customer's administrator manages its company's people."""

    @http.route("/b2b/company", type="http", auth="user", website=True)
    def b2b_company(self, **kw):
        partner = self._b2b_buyer("manage")
        return request.render("b2b_portal.b2b_company", self._b2b_values(
            "b2b_company", people=partner._b2b_company_people_rows(), roles=partner._b2b_role_options(),
            allow_rep_orders=partner.commercial_partner_id.sudo().b2b_allow_rep_orders,
        ))

    @http.route("/b2b/company/settings", type="http", auth="user", methods=["POST"], website=True)
    def b2b_company_settings(self, allow_rep_orders=None, **kw):
        """The company's consent to its sales representative ordering for it."""
        partner = self._b2b_buyer("manage")
        company = partner.commercial_partner_id.sudo()
        allowed = bool(allow_rep_orders)
        if company.b2b_allow_rep_orders != allowed:
            company.with_context(mail_create_nosubscribe=True).write({"b2b_allow_rep_orders": allowed})
            company.message_post(body=request.env._(
                "%(admin)s %(what)s in the portal.", admin=partner.name,
                what=request.env._("let our sales representative order for the company") if allowed
                else request.env._("stopped our sales representative ordering for the company"),
            ), author_id=partner.id, message_type="comment", subtype_xmlid="mail.mt_note")
        self._b2b_flash(request.env._("Saved."))
        return request.redirect("/b2b/company")

    @http.route("/b2b/company/invite", type="http", auth="user", methods=["POST"], website=True)
    def b2b_company_invite(self, name="", email="", role="buyer", **kw):
        partner = self._b2b_buyer("manage")
        done, invited = self._b2b_run(lambda: partner._b2b_invite_colleague(name, email, role))
        if done:
            self._b2b_flash(request.env._("%(name)s is invited: an email with a link to set a password is on its way.",
                                          name=invited.name))
        return request.redirect("/b2b/company")

    @http.route("/b2b/company/member", type="http", auth="user", methods=["POST"], website=True)
    def b2b_company_member(self, member_id=None, role=None, deactivate=None, order_limit=None, monthly_budget=None,
                           **kw):
        partner = self._b2b_buyer("manage")
        member = self._b2b_colleague(partner, member_id)

        def change():
            if deactivate:
                partner._b2b_deactivate_colleague(member)
                return
            if role is not None:
                partner._b2b_set_colleague_role(member, role)
            if order_limit is not None or monthly_budget is not None:
                partner._b2b_set_colleague_limits(
                    member,
                    self._b2b_parse_amount(order_limit, member.b2b_order_limit),
                    self._b2b_parse_amount(monthly_budget, member.b2b_monthly_budget),
                )

        if self._b2b_run(change)[0]:
            self._b2b_flash(request.env._("%(name)s updated.", name=member.name))
        return request.redirect("/b2b/company")

    @staticmethod
    def _b2b_parse_amount(value, default):
        """An amount typed in a form; empty keeps ``default``; not a number: None."""
        if value is None:
            return default
        try:
            return float(value or 0)
        except ValueError:
            return None

    def _b2b_colleague(self, partner, member_id):
        """A person of the administrator's own company, or 404."""
        people = partner._b2b_company_people()
        member = people.filtered(lambda person: str(person.id) == str(member_id))
        if not member:
            raise NotFound()
        return member
