/** @odoo-module **/
/**
 * The portal's pages without page reloads, as progressive enhancement:
 * every form here works without JavaScript, and these widgets send the same
 * changes to routes that run the same server code (controllers/cart.py,
 * controllers/catalog.py) and answer with the parts of the page rendered by
 * the page's own templates, so that prices agree to the cent.
 */

import publicWidget from "@web/legacy/js/public/public_widget";
import { rpc } from "@web/core/network/rpc";
import { _t } from "@web/core/l10n/translation";
import { Component } from "@odoo/owl";
import { scanBarcode } from "@web/core/barcode/barcode_dialog";
import { isBarcodeScannerSupported } from "@web/core/barcode/barcode_video_scanner";

const MESSAGE_SECONDS = 6;

function csrfToken() {
    return odoo.csrf_token;
}

/** A message for an in-place change, where the buyer looks (bottom of the screen). */
export function showMessage(level, text, { action, actionLabel } = {}) {
    const box = document.querySelector(".o_b2b_live_messages");
    if (!box) {
        return;
    }
    const message = document.createElement("div");
    message.className = `alert alert-${level} d-flex align-items-center gap-2 shadow-sm mb-2 o_b2b_message o_b2b_live_message`;
    message.setAttribute("role", level === "danger" ? "alert" : "status");
    const span = document.createElement("span");
    span.className = "flex-grow-1";
    span.textContent = text;
    message.append(span);
    if (action) {
        const button = document.createElement("button");
        button.type = "button";
        button.className = "btn btn-sm btn-dark o_b2b_undo";
        button.textContent = actionLabel;
        button.addEventListener("click", () => {
            message.remove();
            action();
        });
        message.append(button);
    }
    const close = document.createElement("button");
    close.type = "button";
    close.className = "btn-close";
    close.setAttribute("aria-label", _t("Close"));
    close.addEventListener("click", () => message.remove());
    message.append(close);
    box.append(message);
    setTimeout(() => message.remove(), (action ? 2 : 1) * MESSAGE_SECONDS * 1000);
}

/** What every change answers: the messages the page would have shown, the cart's count. */
export function applyAnswer(answer) {
    for (const [level, text] of answer.messages || []) {
        showMessage(level, text);
    }
    if (answer.cart_count !== undefined) {
        for (const badge of document.querySelectorAll(".o_b2b_cart_count")) {
            badge.textContent = answer.cart_count;
        }
    }
}

function htmlToElement(html) {
    const template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content.firstElementChild;
}

/** One change at a time, in order: a quick second click waits for the first. */
function serialized() {
    let last = Promise.resolve();
    return (job) => {
        const next = last.then(job, job);
        last = next.catch((error) => console.error(error));
        return next;
    };
}

/** A button busy while its change is sent (a double click sends it once). */
async function whileBusy(button, job) {
    if (button) {
        if (button.disabled) {
            return;
        }
        button.disabled = true;
    }
    try {
        return await job();
    } finally {
        if (button) {
            button.disabled = false;
        }
    }
}

/** A barcode read with the device's camera by Odoo's scanner, or null (why not is said). */
async function scanWithCamera() {
    try {
        return await scanBarcode(Component.env);
    } catch (error) {
        showMessage("warning", error?.message || _t("The camera could not read a barcode."));
        return null;
    }
}

/**
 * The scanning part of a widget: its Scan button (the camera, through Odoo's
 * scanner) and a "b2b:barcode" event on its element (a tour, a scanner
 * integration) both give the code to the widget's _barcode(code).
 */
const BarcodeMixin = {
    async _onScan() {
        const code = await scanWithCamera();
        if (code) {
            await this._barcode(code);
        }
    },

    _onBarcode(ev) {
        return this._barcode((ev.originalEvent || ev).detail);
    },
};

export async function addToCart(productId, quantity, { cartParts = false, repricedLineIds = [] } = {}) {
    const answer = await rpc("/b2b/json/cart/add", {
        product_id: productId,
        add_qty: quantity,
        cart_parts: cartParts,
        repriced_line_ids: repricedLineIds,
        csrf_token: csrfToken(),
    });
    applyAnswer(answer);
    return answer;
}

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

// The quick order as a grid: each line checked as it is typed (found,
// price, stock, pack), then sent as the pasted lines are: the same route.
publicWidget.registry.B2bQuickGrid = publicWidget.Widget.extend(BarcodeMixin, {
    selector: "form.o_b2b_quick_form",
    events: {
        "input .o_b2b_grid input": "_onGridInput",
        "keydown .o_b2b_grid input": "_onGridKeydown",
        "paste .o_b2b_grid input.o_b2b_grid_ref": "_onPaste",
        "click button.o_b2b_grid_add_row": "_onAddRow",
        "click button.o_b2b_scan": "_onScan",
        "b2b:barcode": "_onBarcode",
        submit: "_onSubmit",
    },

    start() {
        this.grid = this.el.querySelector(".o_b2b_grid");
        this.body = this.grid.querySelector("tbody");
        this.rowTemplate = this.body.querySelector("tr.o_b2b_grid_row");
        this.rowTemplate.remove();
        for (const element of this.el.querySelectorAll(".o_b2b_js_only")) {
            element.classList.remove("d-none");
        }
        if (!isBarcodeScannerSupported()) {
            this.el.querySelector("button.o_b2b_scan")?.classList.add("d-none");
        }
        for (let index = 0; index < 5; index++) {
            this._addRow();
        }
        return this._super(...arguments);
    },

    _addRow(ref = "", qty = "") {
        const row = this.rowTemplate.cloneNode(true);
        const number = this.body.children.length + 1;
        row.querySelector(".o_b2b_grid_number").textContent = number;
        const refInput = row.querySelector("input.o_b2b_grid_ref");
        const qtyInput = row.querySelector("input.o_b2b_grid_qty");
        refInput.value = ref;
        qtyInput.value = qty;
        refInput.setAttribute("aria-label", _t("Reference, line %s", number));
        qtyInput.setAttribute("aria-label", _t("Quantity, line %s", number));
        this.body.append(row);
        return row;
    },

    _rows() {
        return [...this.body.querySelectorAll("tr.o_b2b_grid_row")];
    },

    _onAddRow() {
        this._addRow().querySelector("input").focus();
    },

    _onGridInput() {
        clearTimeout(this.timer);
        this.timer = setTimeout(() => this._check(), 300);
    },

    _onGridKeydown(ev) {
        if (ev.key !== "Enter") {
            return;
        }
        ev.preventDefault();
        const input = ev.currentTarget;
        const row = input.closest("tr");
        if (input.classList.contains("o_b2b_grid_ref")) {
            row.querySelector("input.o_b2b_grid_qty").focus();
            return;
        }
        const next = row.nextElementSibling || this._addRow();
        next.querySelector("input.o_b2b_grid_ref").focus();
        this._check();
    },

    /** Lines pasted into a reference cell fill the grid from there. */
    _onPaste(ev) {
        const text = (ev.originalEvent || ev).clipboardData?.getData("text") || "";
        const lines = text.split(/\r?\n/).filter((line) => line.trim());
        if (lines.length < 2 && !/[;,\t ]/.test(text.trim())) {
            return; // one reference: pasted as typed
        }
        ev.preventDefault();
        let row = ev.currentTarget.closest("tr");
        for (const line of lines) {
            const [ref = "", qty = ""] = line.trim().split(/[;,\t ]+/);
            if (!row) {
                row = this._addRow();
            }
            row.querySelector("input.o_b2b_grid_ref").value = ref;
            row.querySelector("input.o_b2b_grid_qty").value = qty;
            row = row.nextElementSibling;
        }
        this._check();
    },

    async _check() {
        const rows = this._rows();
        const cells = rows.map((row) => [
            row.querySelector("input.o_b2b_grid_ref").value,
            row.querySelector("input.o_b2b_grid_qty").value,
        ]);
        const checkId = (this.checkId = (this.checkId || 0) + 1);
        const answer = await rpc("/b2b/json/quick_order/check", { rows: cells });
        if (checkId !== this.checkId) {
            return;
        }
        answer.rows.forEach((result, index) => {
            const row = rows[index];
            if (!row) {
                return;
            }
            row.querySelector(".o_b2b_grid_status").innerHTML = result.html;
            row.dataset.state = result.empty ? "" : result.ok ? "ok" : "error";
        });
        if (!rows.some((row) => !row.querySelector("input.o_b2b_grid_ref").value)) {
            this._addRow();
        }
    },

    /** The grid's lines go to the server as pasted lines, with the text area's. */
    _onSubmit() {
        const lines = this._rows()
            .map((row) => [
                row.querySelector("input.o_b2b_grid_ref").value.trim(),
                row.querySelector("input.o_b2b_grid_qty").value.trim(),
            ])
            .filter(([ref, qty]) => ref || qty)
            .map(([ref, qty]) => `${ref} ${qty}`.trim());
        const textarea = this.el.querySelector("textarea[name=lines]");
        textarea.value = [textarea.value.trim(), ...lines].filter(Boolean).join("\n");
    },

    /** A scanned label fills the first empty line: its quantity next. */
    _barcode(code) {
        const empty = this._rows().find((row) => !row.querySelector("input.o_b2b_grid_ref").value);
        const row = empty || this._addRow();
        row.querySelector("input.o_b2b_grid_ref").value = code;
        row.querySelector("input.o_b2b_grid_qty").focus();
        return this._check();
    },
});

// Counting the shelf: a scanned label takes the buyer to its line.
publicWidget.registry.B2bCountScan = publicWidget.Widget.extend(BarcodeMixin, {
    selector: "form.o_b2b_count_form",
    events: {
        "click button.o_b2b_scan": "_onScan",
        "b2b:barcode": "_onBarcode",
    },

    start() {
        for (const element of this.el.querySelectorAll(".o_b2b_js_only")) {
            element.classList.toggle("d-none", !isBarcodeScannerSupported());
        }
        return this._super(...arguments);
    },

    _barcode(code) {
        const line = [...this.el.querySelectorAll(".o_b2b_count_line")].find(
            (element) => element.dataset.barcode === code || element.dataset.code === code
        );
        if (!line) {
            showMessage("warning", _t("No line of this list has the barcode %s.", code));
            return;
        }
        line.scrollIntoView({ block: "center" });
        const input = line.querySelector("input.o_b2b_onhand");
        input.focus();
        input.select();
    },
});
