import ast
import io
import re
from pathlib import Path

import polib
from lxml import etree

from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import trans_export

ADDON = Path(__file__).resolve().parent.parent
TRANSLATED_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt", "label")


@tagged("post_install", "-at_install")
class TestTranslations(TransactionCase):
    """Every string a buyer reads can be translated: the .pot is complete
    and no template builds a visible text out of reach of the extractor."""

    def test_pot_file_is_up_to_date(self):
        buffer = io.BytesIO()
        trans_export(False, ["b2b_portal"], buffer, "po", self.env.cr)
        exported = {entry.msgid for entry in polib.pofile(buffer.getvalue().decode())}
        shipped = {entry.msgid for entry in polib.pofile(str(ADDON / "i18n" / "b2b_portal.pot"))}
        self.assertFalse(exported - shipped, "strings missing from the .pot: regenerate it")
        self.assertFalse(shipped - exported, "strings of the .pot no longer used: regenerate it")
        for attribute_text in ("Add to favourites", "Remove from favourites", "Quantity",
                               "Name, reference or barcode", "Monthly purchases", "Update quantity"):
            self.assertIn(attribute_text, shipped)

    def test_no_visible_text_is_built_in_an_expression(self):
        """``t-att-title="'Add ' + name"`` would escape translation: words of
        translated attributes come from static text or from Python."""
        offenders = []
        checked = 0
        views = sorted((ADDON / "views").glob("*.xml"))
        for path in views:
            for element in etree.parse(str(path)).iter(tag=etree.Element):
                for name, value in element.attrib.items():
                    target = re.sub(r"^t-att(f)?-", "", name)
                    if name == target or target not in TRANSLATED_ATTRIBUTES:
                        continue
                    if name.startswith("t-attf-"):
                        literals = [re.sub(r"#\{[^}]*\}|\{\{[^}]*\}\}", "", value)]
                    else:
                        tree = ast.parse(value, mode="eval")
                        keys = {id(node.slice) for node in ast.walk(tree) if isinstance(node, ast.Subscript)}
                        literals = [node.value for node in ast.walk(tree) if isinstance(node, ast.Constant)
                                    and isinstance(node.value, str) and id(node) not in keys]
                    checked += 1
                    if any(re.search(r"[A-Za-z]{2,}", literal) for literal in literals):
                        offenders.append(f"{path.name}: {name}={value!r}")
        # Something was checked: the templates were found, and attributes built in expressions in them.
        self.assertIn(ADDON / "views" / "b2b_catalog_templates.xml", views)
        self.assertTrue(checked, "no translated attribute built in an expression was found to check")
        self.assertEqual(offenders, [])
