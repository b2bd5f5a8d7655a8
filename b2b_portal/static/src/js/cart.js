/** @odoo-module **/

import publicWidget from "@web/legacy/js/public/public_widget";
import { rpc } from "@web/core/network/rpc";
import { _t } from "@web/core/l10n/translation";
import {
    addToCart,
    applyAnswer,
    csrfToken,
    htmlToElement,
    serialized,
    showMessage,
} from "@b2b_portal/js/b2b_portal_utils";

// The cart: a quantity changed or a line removed, in place, with undo.
publicWidget.registry.B2bCart = publicWidget.Widget.extend({
    selector: ".o_b2b_cart_page",
    events: {
        "change input.o_b2b_line_qty": "_onQuantityChange",
        "submit form.o_b2b_update_form": "_onUpdateSubmit",
        "submit form.o_b2b_remove_form": "_onRemoveSubmit",
    },

    start() {
        this.queue = serialized();
        return this._super(...arguments);
    },

    _onQuantityChange(ev) {
        this._update(ev.currentTarget.closest("form"));
    },

    _onUpdateSubmit(ev) {
        ev.preventDefault();
        this._update(ev.currentTarget);
    },

    _update(form) {
        const lineId = form.elements.line_id.value;
        const quantity = form.elements.quantity.value;
        return this.queue(async () => {
            const answer = await this._send(form, { line_id: lineId, quantity });
            if (answer) {
                this._applyParts(answer);
            }
        });
    },

    _onRemoveSubmit(ev) {
        ev.preventDefault();
        const form = ev.currentTarget;
        const row = form.closest("tr.o_b2b_cart_line");
        const lineId = form.elements.line_id.value;
        this.queue(async () => {
            const answer = await this._send(form, { line_id: lineId, remove: true });
            if (!answer) {
                return;
            }
            const place = { parent: row.parentElement, next: row.nextElementSibling };
            row.remove();
            this._applyParts(answer);
            if (answer.ok && answer.undo) {
                const undo = answer.undo;
                showMessage("info", _t("%s removed from your cart.", undo.product), {
                    actionLabel: _t("Undo"),
                    action: () => this._undo(undo, place),
                });
            }
        });
    },

    _undo(undo, place) {
        return this.queue(async () => {
            let answer;
            try {
                answer = await addToCart(undo.product_id, undo.quantity, {
                    cartParts: true,
                    repricedLineIds: this._repricedLineIds(),
                });
            } catch {
                return window.location.reload();
            }
            if (answer.ok && answer.line_html) {
                if (document.querySelector(".o_b2b_cart_empty")) {
                    return window.location.reload();
                }
                const row = htmlToElement(answer.line_html);
                const next = place.next && place.next.isConnected ? place.next : null;
                place.parent.insertBefore(row, next);
            }
            this._applyParts(answer);
        });
    },

    async _send(form, params) {
        const button = form.querySelector("button");
        button.disabled = true;
        try {
            const answer = await rpc("/b2b/json/cart/update", {
                ...params,
                repriced_line_ids: this._repricedLineIds(),
                csrf_token: csrfToken(),
            });
            applyAnswer(answer);
            return answer;
        } catch {
            form.submit();
            return null;
        } finally {
            button.disabled = false;
        }
    },

    /**
     * The lines this page shows at a new price ("was ..."): the totals of
     * a change add them up at that price, as the page does.
     */
    _repricedLineIds() {
        return [...this.el.querySelectorAll("tr.o_b2b_cart_line")]
            .filter((row) => row.querySelector(".o_b2b_old_price"))
            .map((row) => Number(row.dataset.lineId));
    },

    /** The line, the charges and the totals as the cart page renders them. */
    _applyParts(answer) {
        if (answer.empty) {
            return window.location.reload(); // the empty cart's page
        }
        if (answer.line_html) {
            const row = this.el.querySelector(`tr.o_b2b_cart_line[data-line-id="${answer.line_id}"]`);
            if (row) {
                row.replaceWith(htmlToElement(answer.line_html));
            }
        }
        if (answer.charges_html !== undefined) {
            this.el.querySelector(".o_b2b_cart_charges").innerHTML = answer.charges_html;
        }
        if (answer.summary_html !== undefined) {
            this.el.querySelector(".o_b2b_cart_summary").innerHTML = answer.summary_html;
        }
        if (answer.refusal !== undefined) {
            const refused = this.el.querySelector(".o_b2b_submit_refused");
            if (refused) {
                refused.textContent = answer.refusal;
                refused.classList.toggle("d-none", !answer.refusal);
            }
            for (const note of this.el.querySelectorAll(".o_b2b_submit_note")) {
                note.classList.toggle("d-none", Boolean(answer.refusal));
            }
            const submit = this.el.querySelector("button.o_b2b_submit");
            submit.disabled = Boolean(answer.refusal) && !submit.dataset.phoneOrder;
        }
    },
});

export default publicWidget.registry.B2bCart;
