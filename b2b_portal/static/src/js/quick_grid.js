/** @odoo-module **/

import publicWidget from "@web/legacy/js/public/public_widget";
import { rpc } from "@web/core/network/rpc";
import { _t } from "@web/core/l10n/translation";
import { isBarcodeScannerSupported } from "@web/core/barcode/barcode_video_scanner";
import { BarcodeMixin } from "@b2b_portal/js/b2b_portal_utils";

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

export default publicWidget.registry.B2bQuickGrid;
