/** @odoo-module **/

import publicWidget from "@web/legacy/js/public/public_widget";
import { _t } from "@web/core/l10n/translation";
import { isBarcodeScannerSupported } from "@web/core/barcode/barcode_video_scanner";
import { BarcodeMixin, showMessage } from "@b2b_portal/js/b2b_portal_utils";

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

export default publicWidget.registry.B2bCountScan;
