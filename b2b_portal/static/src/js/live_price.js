/** @odoo-module **/

import publicWidget from "@web/legacy/js/public/public_widget";
import { rpc } from "@web/core/network/rpc";

// The product page: the price and the next break at the quantity typed
// (added to what the cart holds), as the cart will price it.
publicWidget.registry.B2bLivePrice = publicWidget.Widget.extend({
    selector: ".o_b2b_product_page",
    events: {
        "input form.o_b2b_add_form input.o_b2b_qty": "_onQuantity",
        "b2b:added": "_onAdded",
    },

    _onQuantity(ev) {
        clearTimeout(this.timer);
        this.timer = setTimeout(() => this._refresh(ev.currentTarget.value), 250);
    },

    _onAdded() {
        this._refresh(0);
    },

    async _refresh(quantity) {
        const requestId = (this.requestId = (this.requestId || 0) + 1);
        const answer = await rpc("/b2b/json/price", {
            product_id: Number(this.el.dataset.productId),
            quantity: String(quantity || 0),
        });
        if (requestId === this.requestId) {
            this.el.querySelector(".o_b2b_live_price").innerHTML = answer.html;
        }
    },
});

export default publicWidget.registry.B2bLivePrice;
