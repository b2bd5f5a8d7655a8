/** @odoo-module **/

import publicWidget from "@web/legacy/js/public/public_widget";
import { applyAnswer, whileBusy } from "@b2b_portal/js/b2b_portal_utils";

// Forms whose change ends in the cart (a list, the favourites): sent in the
// background; the server runs the route as for the form and answers with its
// messages (the X-B2B-Live header, see B2bPortal._b2b_done).
publicWidget.registry.B2bLiveForm = publicWidget.Widget.extend({
    selector: "form.o_b2b_list_form, form.o_b2b_favorites_form",
    events: {
        submit: "_onSubmit",
    },

    async _onSubmit(ev) {
        const submitter = (ev.originalEvent || ev).submitter;
        const action = submitter?.getAttribute("formaction") || this.el.getAttribute("action");
        if (!submitter || !submitter.matches(".o_b2b_list_all_to_cart, .o_b2b_list_ticked_to_cart, .o_b2b_add_all")) {
            return; // saving a list, moving a line: the page reloads as before
        }
        ev.preventDefault();
        const data = new FormData(this.el, submitter);
        await whileBusy(submitter, async () => {
            let answer;
            try {
                const response = await fetch(action, {
                    method: "POST",
                    body: data,
                    headers: { "X-B2B-Live": "1" },
                });
                answer = await response.json();
            } catch {
                // Sent as without JavaScript (a plain submit() leaves the button's value out).
                const input = document.createElement("input");
                Object.assign(input, { type: "hidden", name: submitter.name, value: submitter.value });
                this.el.append(input);
                this.el.setAttribute("action", action);
                this.el.submit();
                return;
            }
            applyAnswer(answer);
            if (answer.form_token) {
                for (const input of this.el.querySelectorAll("input[name=form_token]")) {
                    input.value = answer.form_token;
                }
            }
        });
    },
});

export default publicWidget.registry.B2bLiveForm;
