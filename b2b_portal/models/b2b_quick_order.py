import csv
import re
from collections import defaultdict

from odoo import api, models
from odoo.exceptions import UserError
from odoo.osv import expression

from ..tools import strip_control_characters

QUICK_ORDER_MAX_BYTES = 5 * 1024 * 1024
QUICK_ORDER_MAX_LINES = 10000
# The delimiters of a CSV file or of lines pasted from a spreadsheet; a line
# holding none of them is "reference quantity", split on white space.
QUICK_ORDER_DELIMITERS = ";\t,"
QUICK_ORDER_HEADER = re.compile(r"^\W*(ref|reference|sku|code|product|item)", re.IGNORECASE)
QUICK_ORDER_NUMBER = re.compile(r"^[-+]?[0-9.eE]+$")


class B2bQuickOrder(models.AbstractModel):
    """Quick order: "reference quantity" lines, pasted or uploaded as CSV,
    read into ``{product: quantity}`` for the cart."""

    _name = "b2b.quick.order"
    _description = "B2B Quick Order Parser"

    @api.model
    def _parse(self, partner, data):
        """Read "reference quantity" lines (pasted text or a CSV file).
        :return: ``({product: quantity}, [(line number, text, reason)])``.
        A file that is not text, too large or too long is refused whole.

        Only products ``partner`` may order are looked up, so a reference
        outside its catalog gets the same answer as one that does not exist:
        the quick order does not reveal the distributor's range."""
        parsed, rejected = self._split_rows(self._read_csv(data))
        by_ref = self._find_products(partner, {ref for _n, _l, ref, _q in parsed})
        Order = self.env["sale.order"]
        quantities = defaultdict(float)
        last_row = {}
        for number, line, ref, qty_text in parsed:
            product = by_ref.get(ref)
            if not product:
                rejected.append((number, line, self.env._("%(ref)s is not a reference you can order.", ref=ref)))
                continue
            try:
                quantity = float(qty_text)
                Order._b2b_check_quantity(product, quantity)
                Order._b2b_check_quantity(product, quantities[product] + quantity)
            except ValueError:
                rejected.append((number, line, self.env._("%(qty)s is not a quantity.", qty=qty_text)))
                continue
            except UserError as error:
                rejected.append((number, line, error.args[0]))
                continue
            quantities[product] += quantity
            last_row[product] = (number, line)
        # A product's total (with what the cart holds already) under its
        # minimum quantity is refused on its last line.
        packagings = self.env["product.product"].concat(*quantities)._b2b_sales_packagings()
        cart = self.env["sale.order"]._b2b_get_cart(partner)
        in_cart = cart._b2b_product_quantities() if cart else {}
        for product in list(quantities):
            try:
                product._b2b_round_to_pack(
                    quantities[product] + in_cart.get(product.id, 0.0),
                    packagings.get(product.id) or self.env["product.packaging"],
                )
            except UserError as error:
                rejected.append((*last_row[product], error.args[0]))
                del quantities[product]
        rejected.sort(key=lambda row: row[0])
        return {product.sudo(self.env.su): qty for product, qty in quantities.items()}, rejected

    @api.model
    def _check_rows(self, partner, cells):
        """Check a quick order grid before anything goes into the cart, as
        ``_parse`` will when it is sent: ``cells`` is ``[[reference,
        quantity text]]``, one per grid row.
        :return: one dict per row: ``empty``, ``ref``, ``product`` (or
        None), ``quantity``, ``total_qty`` (the product's quantity over the
        grid and the cart), ``notice`` (the rounding to the product's pack,
        on its last row) and ``error`` (why it would be refused, or None)."""
        cells = [[strip_control_characters(ref)[:100], strip_control_characters(qty)[:30]] for ref, qty in cells]
        by_ref = self._find_products(partner, {ref for ref, _qty in cells if ref})
        Order = self.env["sale.order"]
        totals = defaultdict(float)
        last_row = {}
        rows = []
        for ref, qty_text in cells:
            row = {"empty": not ref and not qty_text, "ref": ref, "product": by_ref.get(ref), "quantity": 0.0,
                   "total_qty": 0.0, "notice": None, "error": None}
            rows.append(row)
            product = row["product"]
            if row["empty"]:
                continue
            if not product:
                row["error"] = (self.env._("%(ref)s is not a reference you can order.", ref=ref) if ref
                                else self.env._("Type a reference."))
                continue
            try:
                row["quantity"] = float(qty_text) if QUICK_ORDER_NUMBER.match(qty_text) else float("nan")
                Order._b2b_check_quantity(product, row["quantity"])
                Order._b2b_check_quantity(product, totals[product] + row["quantity"])
            except UserError as error:
                row["error"] = error.args[0]
                continue
            totals[product] += row["quantity"]
            last_row[product] = row
        packagings = self.env["product.product"].concat(*totals)._b2b_sales_packagings()
        cart = self.env["sale.order"]._b2b_get_cart(partner)
        in_cart = cart._b2b_product_quantities() if cart else {}
        for product, total in totals.items():
            row = last_row[product]
            try:
                row["total_qty"], row["notice"] = product._b2b_round_to_pack(
                    total + in_cart.get(product.id, 0.0), packagings.get(product.id) or self.env["product.packaging"],
                )
            except UserError as error:
                row["error"] = error.args[0]
        for row in rows:
            if row["product"] and not row["total_qty"]:
                product_row = last_row.get(row["product"])
                typed = row["quantity"] if row["quantity"] > 0 else 1.0  # "nan > 0" is False
                row["total_qty"] = (product_row and product_row["total_qty"]) or typed
        return rows

    @api.model
    def _read_rows(self, data):
        """``[(line number, text)]`` of the non-empty lines of ``data`` (bytes)."""
        if len(data) > QUICK_ORDER_MAX_BYTES:
            raise UserError(self.env._("The file is larger than 5 MB: split it into smaller files."))
        if b"\0" in data:
            raise UserError(self.env._("This file is not a text or CSV file: nothing was added."))
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise UserError(
                self.env._("This file is not UTF-8 text: save it as CSV UTF-8. Nothing was added.")
            ) from None
        rows = [
            (number, strip_control_characters(line).strip())
            for number, line in enumerate(text.splitlines(), 1)
        ]
        rows = [(number, line) for number, line in rows if line]
        if not rows:
            raise UserError(self.env._("Nothing to add: paste lines of reference and quantity, or choose a file."))
        if len(rows) > QUICK_ORDER_MAX_LINES:
            raise UserError(self.env._("At most 10,000 lines at once: nothing was added."))
        return rows

    @api.model
    def _read_csv(self, data):
        """``[(line number, text, cells)]`` of the non-empty lines of
        ``data`` (bytes), read by Python's ``csv`` module in the dialect the
        sniffer finds (``;``, tab or ``,``, and its quoting). A line without
        that delimiter is read with the first other one it holds, or split on
        white space ("REF QTY", as typed or pasted)."""
        rows = self._read_rows(data)
        try:
            dialect = csv.Sniffer().sniff("\n".join(text for _number, text in rows[:50]),
                                          delimiters=QUICK_ORDER_DELIMITERS)
        except csv.Error:
            dialect = csv.excel
        delimiters = [dialect.delimiter, *(d for d in QUICK_ORDER_DELIMITERS if d != dialect.delimiter)]
        result = []
        for number, text in rows:
            delimiter = next((d for d in delimiters if d in text), None)
            if delimiter:
                cells = next(csv.reader([text], dialect, delimiter=delimiter))
            else:
                cells = text.split()
            result.append((number, text, [cell.strip() for cell in cells]))
        return result

    @api.model
    def _split_rows(self, rows):
        """``([(number, text, reference, quantity text)], [(number, text, reason)])``
        of ``_read_csv``'s rows; a first row that names its columns is skipped."""
        parsed, rejected = [], []
        for index, (number, line, all_cells) in enumerate(rows):
            cells = [cell for cell in all_cells if cell]
            if index == 0 and QUICK_ORDER_HEADER.match(line) and not QUICK_ORDER_NUMBER.match(cells[-1]):
                continue  # a header row: "reference;quantity"
            if len(cells) != 2:
                rejected.append((number, line, self.env._("Expected a reference and a quantity.")))
                continue
            parsed.append((number, line, cells[0], cells[1]))
        return parsed, rejected

    @api.model
    def _find_products(self, partner, refs):
        """``{reference: product}`` of the products ``partner`` may order,
        in one query. Archived and unauthorised products are never read."""
        if not refs:
            return {}
        domain = expression.AND([
            [("default_code", "in", list(refs))],
            partner._b2b_get_product_domain(),
        ])
        by_ref = {}
        # Searched as the caller (a buyer's record rules apply), then read as
        # superuser for the quantity checks (units of measure).
        for product in self.env["product.product"].search(domain, order="id").sudo():
            by_ref.setdefault(product.default_code, product)
        return by_ref
