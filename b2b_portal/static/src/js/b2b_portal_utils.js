/** @odoo-module **/
/**
 * What the portal's widgets share. The widgets are progressive enhancement:
 * every form works without JavaScript, and the widgets send the same changes
 * to routes that run the same server code (controllers/cart.py,
 * controllers/catalog.py) and answer with the parts of the page rendered by
 * the page's own templates, so that prices agree to the cent.
 */

import { rpc } from "@web/core/network/rpc";
import { _t } from "@web/core/l10n/translation";
import { Component } from "@odoo/owl";
import { scanBarcode } from "@web/core/barcode/barcode_dialog";

const MESSAGE_SECONDS = 6;

export function csrfToken() {
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

export function htmlToElement(html) {
    const template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content.firstElementChild;
}

/** One change at a time, in order: a quick second click waits for the first. */
export function serialized() {
    let last = Promise.resolve();
    return (job) => {
        const next = last.then(job, job);
        last = next.catch((error) => console.error(error));
        return next;
    };
}

/** A button busy while its change is sent (a double click sends it once). */
export async function whileBusy(button, job) {
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
export const BarcodeMixin = {
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
