/** @odoo-module **/

import publicWidget from "@web/legacy/js/public/public_widget";
import { rpc } from "@web/core/network/rpc";
import { _t } from "@web/core/l10n/translation";
import { isBarcodeScannerSupported } from "@web/core/barcode/barcode_video_scanner";
import { addToCart, BarcodeMixin, showMessage } from "@b2b_portal/js/b2b_portal_utils";

// Type-ahead in the catalog: suggestions with the buyer's price and stock;
// Enter adds the highlighted one with the typed quantity; a scanned label
// adds its product.
publicWidget.registry.B2bSearch = publicWidget.Widget.extend(BarcodeMixin, {
    selector: "form.o_b2b_catalog_filters",
    events: {
        "input input.o_b2b_search": "_onInput",
        "keydown input.o_b2b_search": "_onKeydown",
        "keydown input.o_b2b_search_qty": "_onQtyKeydown",
        "click .o_b2b_suggestion": "_onSuggestionClick",
        "click button.o_b2b_scan": "_onScan",
        "b2b:barcode": "_onBarcode",
        focusout: "_onFocusOut",
    },

    start() {
        this.input = this.el.querySelector("input.o_b2b_search");
        this.qty = this.el.querySelector("input.o_b2b_search_qty");
        this.box = this.el.querySelector(".o_b2b_suggestions");
        this.products = [];
        this.active = -1;
        this.requestId = 0;
        this.input.setAttribute("role", "combobox");
        this.input.setAttribute("aria-autocomplete", "list");
        this.input.setAttribute("aria-expanded", "false");
        this.input.setAttribute("aria-controls", this.box.id);
        this.input.setAttribute("autocomplete", "off");
        for (const element of this.el.querySelectorAll(".o_b2b_js_only")) {
            element.classList.remove("d-none");
        }
        if (!isBarcodeScannerSupported()) {
            this.el.querySelector("button.o_b2b_scan")?.classList.add("d-none");
        }
        return this._super(...arguments);
    },

    _onInput() {
        clearTimeout(this.timer);
        this.timer = setTimeout(() => this._search(this.input.value), 200);
    },

    async _search(term) {
        const requestId = ++this.requestId;
        if (term.trim().length < 2) {
            this._show("", []);
            return [];
        }
        const answer = await rpc("/b2b/json/search", { term });
        if (requestId !== this.requestId) {
            return []; // a later keystroke's answer wins
        }
        this._show(answer.html, answer.products);
        return answer.products;
    },

    _show(html, products) {
        this.box.innerHTML = html;
        this.products = products;
        this.active = products.length ? 0 : -1;
        this.box.classList.toggle("d-none", !html);
        this.input.setAttribute("aria-expanded", html ? "true" : "false");
        this._highlight();
        if (products.length && this.qty && !this.qty.dataset.typed) {
            this.qty.value = products[0].first_qty;
        }
    },

    _highlight() {
        const options = this.box.querySelectorAll(".o_b2b_suggestion");
        options.forEach((option, index) => {
            option.classList.toggle("active", index === this.active);
            option.setAttribute("aria-selected", index === this.active ? "true" : "false");
        });
        if (this.active >= 0 && options[this.active]) {
            this.input.setAttribute("aria-activedescendant", options[this.active].id);
            options[this.active].scrollIntoView({ block: "nearest" });
        } else {
            this.input.removeAttribute("aria-activedescendant");
        }
    },

    _onKeydown(ev) {
        const count = this.products.length;
        if (ev.key === "ArrowDown" && count) {
            ev.preventDefault();
            this.active = (this.active + 1) % count;
            this._highlight();
        } else if (ev.key === "ArrowUp" && count) {
            ev.preventDefault();
            this.active = (this.active - 1 + count) % count;
            this._highlight();
        } else if (ev.key === "Escape") {
            this._show("", []);
        } else if (ev.key === "Enter" && this.active >= 0 && !this.box.classList.contains("d-none")) {
            ev.preventDefault();
            if (this.qty) {
                this._addActive();
            } else {
                // A buyer who may not order (a viewer): Enter opens the highlighted product.
                this.box.querySelectorAll(".o_b2b_suggestion")[this.active].click();
            }
        }
    },

    _onQtyKeydown(ev) {
        this.qty.dataset.typed = "1";
        if (ev.key === "Enter" && this.active >= 0) {
            ev.preventDefault();
            this._addActive();
        }
    },

    async _addActive() {
        const product = this.products[this.active];
        const quantity = this.qty ? this.qty.value || product.first_qty : product.first_qty;
        await addToCart(product.id, quantity);
        delete this.qty?.dataset.typed;
        this.input.select();
    },

    _onSuggestionClick(ev) {
        // A click opens the product page (a link); with the modifier keys, as the browser does.
        this.active = [...this.box.querySelectorAll(".o_b2b_suggestion")].indexOf(ev.currentTarget);
    },

    _onFocusOut(ev) {
        if (!this.el.contains(ev.relatedTarget)) {
            setTimeout(() => this.box.classList.add("d-none"), 150);
        }
    },

    /** A scanned label: its product goes into the cart when it is the exact match. */
    async _barcode(code) {
        this.input.value = code;
        const products = await this._search(code);
        const exact = products.findIndex((product) => product.exact);
        if (exact < 0) {
            showMessage("warning", _t("No product of your catalog has the barcode %s.", code));
            return;
        }
        this.active = exact;
        this._highlight();
        if (this.qty) {
            await this._addActive(); // a buyer who may order: into the cart
        }
    },
});

export default publicWidget.registry.B2bSearch;
