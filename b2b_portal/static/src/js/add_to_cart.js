/** @odoo-module **/

import publicWidget from "@web/legacy/js/public/public_widget";
import { addToCart, whileBusy } from "@b2b_portal/js/b2b_portal_utils";

// Add to cart from the catalog, the product page, the favourites, the
// search: the page stays, the badge counts, a message confirms.
publicWidget.registry.B2bAddToCart = publicWidget.Widget.extend({
    selector: ".o_b2b_portal",
    events: {
        "submit form.o_b2b_add_form": "_onAddSubmit",
    },

    async _onAddSubmit(ev) {
        const form = ev.currentTarget;
        // "Add to a list" buttons post the same form elsewhere: left to the browser.
        const submitter = (ev.originalEvent || ev).submitter;
        if (submitter && submitter.getAttribute("formaction")) {
            return;
        }
        ev.preventDefault();
        const button = form.querySelector("button.o_b2b_add");
        await whileBusy(button, async () => {
            try {
                const answer = await addToCart(form.elements.product_id.value, form.elements.add_qty.value);
                if (answer.ok) {
                    form.dispatchEvent(new CustomEvent("b2b:added", { bubbles: true, detail: answer }));
                }
            } catch {
                form.submit(); // the server answers as without JavaScript
            }
        });
    },
});

export default publicWidget.registry.B2bAddToCart;
