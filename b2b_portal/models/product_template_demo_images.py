"""Pictures for the demo catalog, drawn at install: a rounded tile in its
category's colour with the product's initials and reference. Drawn here, so
nothing is copied from anywhere (no licence to track), the same every time,
and small (a few kilobytes each)."""

import base64
import io
import re

from PIL import Image, ImageColor, ImageDraw, ImageFont

from odoo import models
from odoo.tools.misc import file_path

# Muted colours white text reads well on, one per category (in the order of
# the categories' ids).
DEMO_PALETTE = ("#1f6f8b", "#2e7d4f", "#a0522d", "#6a4c93", "#b5651d", "#00798c", "#8c2f39", "#4a6fa5",
                "#5b7553", "#7a5c61")
DEMO_FONT = "web/static/fonts/lato/Lato-Bol-webfont.ttf"
TILE_SIZE = 256


def demo_font(size):
    """Odoo's own Lato Bold (OFL) at ``size`` pixels; Pillow's bitmap font without it."""
    try:
        return ImageFont.truetype(file_path(DEMO_FONT), size)
    except OSError:
        return ImageFont.load_default()


def initials(name, count=2):
    """The first letters of the first ``count`` words of ``name`` that start with a letter."""
    return "".join(word[0] for word in re.findall(r"[^\W\d_][\w'&-]*", name or "")[:count]).upper() or "?"


def png_base64(image):
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return base64.b64encode(buffer.getvalue())


def demo_tile(text, color, caption="", size=TILE_SIZE):
    """A square PNG (base64): a rounded tile of ``color``, ``text`` large and
    ``caption`` small, in white."""
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, size - 1, size - 1), radius=size // 8, fill=color)
    # A lighter disc behind the letters: the one shape of every tile.
    lighter = tuple(round(channel + (255 - channel) * 0.15) for channel in ImageColor.getrgb(color))
    draw.ellipse((size * 0.18, size * 0.1, size * 0.82, size * 0.74), fill=lighter)
    draw.text((size / 2, size * 0.42), text, font=demo_font(int(size * 0.3)), fill="white", anchor="mm")
    if caption:
        draw.text((size / 2, size * 0.86), caption, font=demo_font(int(size * 0.09)), fill="white", anchor="mm")
    return png_base64(image)


class ProductTemplate(models.Model):
    _inherit = "product.template"  # pylint: disable=consider-merging-classes-inherited

    def _b2b_generate_demo_images(self):
        """Give each of these products without a picture a drawn one, in its
        category's colour. A picture already set stays: running it again
        changes nothing."""
        categories = self.categ_id.sorted("id")
        colors = {category.id: DEMO_PALETTE[index % len(DEMO_PALETTE)] for index, category in enumerate(categories)}
        for product in self.filtered(lambda template: not template.image_1920):
            product.image_1920 = demo_tile(
                initials(product.name), colors.get(product.categ_id.id, DEMO_PALETTE[0]), product.default_code or "",
            )
        return True
