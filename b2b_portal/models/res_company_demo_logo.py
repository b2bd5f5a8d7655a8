from PIL import Image, ImageDraw

from odoo import models

from .product_template_demo_images import DEMO_PALETTE, demo_font, initials, png_base64


class ResCompany(models.Model):
    _inherit = "res.company"  # pylint: disable=consider-merging-classes-inherited

    def _b2b_generate_demo_logo(self):
        """Give each of these companies still showing Odoo's placeholder logo
        (or none) a drawn one: its initials on a rounded tile, then its name.
        A logo someone set stays."""
        placeholder = self._get_logo()
        for company in self.filtered(lambda company: not company.logo or company.logo == placeholder):
            company.logo = self._b2b_demo_logo(company.name)
        return True

    def _b2b_demo_logo(self, name, height=96):
        """A wide PNG (base64) of ``height`` pixels: the mark, then the name."""
        font = demo_font(int(height * 0.34))
        text_width = int(ImageDraw.Draw(Image.new("RGB", (1, 1))).textlength(name, font=font))
        image = Image.new("RGBA", (height + height // 4 + text_width + 4, height), (0, 0, 0, 0))
        draw = ImageDraw.Draw(image)
        draw.rounded_rectangle((0, 0, height - 1, height - 1), radius=height // 6, fill=DEMO_PALETTE[1])
        draw.text((height / 2, height / 2), initials(name), font=demo_font(int(height * 0.42)), fill="white",
                  anchor="mm")
        draw.text((height + height // 4, height / 2), name, font=font, fill="#1d3b2a", anchor="lm")
        return png_base64(image)
