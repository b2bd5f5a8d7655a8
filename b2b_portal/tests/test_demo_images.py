import base64
import io

from PIL import Image

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemoImages(TransactionCase):
    """The demo's drawn pictures and logo: on every product without one, the
    same on a second run, never over a picture someone set."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Category = cls.env["product.category"]
        cls.drinks, cls.tools = Category.create({"name": "Drinks"}), Category.create({"name": "Tools"})
        Template = cls.env["product.template"]
        cls.cola = Template.create({"name": "Cola Classic 0.33 L", "default_code": "D-1", "categ_id": cls.drinks.id})
        cls.water = Template.create({"name": "Still Water", "categ_id": cls.drinks.id})
        cls.knife = Template.create({"name": "Chef Knife 21 cm", "categ_id": cls.tools.id})
        cls.photo = cls.png((10, 20, 30), 64)
        cls.own = Template.create({"name": "Own Photo", "categ_id": cls.tools.id, "image_1920": cls.photo})
        cls.products = cls.cola | cls.water | cls.knife | cls.own

    @staticmethod
    def png(color, size):
        buffer = io.BytesIO()
        Image.new("RGB", (size, size), color).save(buffer, "PNG")
        return base64.b64encode(buffer.getvalue())

    @staticmethod
    def image(data):
        return Image.open(io.BytesIO(base64.b64decode(data))).convert("RGB")

    def test_every_product_without_a_picture_gets_one_in_its_category_colour(self):
        self.assertFalse(self.cola.image_1920)
        self.products._b2b_generate_demo_images()
        for product in self.cola | self.water | self.knife:
            with self.subTest(product=product.name):
                image = Image.open(io.BytesIO(base64.b64decode(product.image_1920)))
                self.assertEqual((image.format, image.size), ("PNG", (256, 256)))
                self.assertLess(len(base64.b64decode(product.image_1920)), 20000)
                self.assertTrue(product.product_variant_id.image_128)
        corner = (20, 128)  # on the tile, off the disc and the letters
        colour = {product: self.image(product.image_1920).getpixel(corner) for product in self.products - self.own}
        self.assertEqual(colour[self.cola], colour[self.water])
        self.assertNotEqual(colour[self.cola], colour[self.knife])
        self.assertEqual(self.own.image_1920, self.photo)

    def test_second_run_changes_nothing(self):
        self.products._b2b_generate_demo_images()
        first = {product: product.image_1920 for product in self.products}
        self.products._b2b_generate_demo_images()
        self.assertEqual({product: product.image_1920 for product in self.products}, first)
        # Drawn the same in another database: the picture depends on the product only.
        self.cola.image_1920 = False
        self.cola._b2b_generate_demo_images()
        self.assertEqual(self.cola.image_1920, first[self.cola])

    def test_company_logo_replaces_only_odoos_placeholder(self):
        company = self.env["res.company"].create({"name": "Brenner Foodservice Wholesale"})
        self.assertEqual(company.logo, company._get_logo())
        company._b2b_generate_demo_logo()
        logo = company.logo
        self.assertNotEqual(logo, company._get_logo())
        width, height = self.image(logo).size
        self.assertGreater(width, 3 * height)
        company._b2b_generate_demo_logo()
        self.assertEqual(company.logo, logo)
        company.logo = self.photo
        company._b2b_generate_demo_logo()
        self.assertEqual(company.logo, self.photo)
