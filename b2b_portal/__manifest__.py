{
    "name": "B2B Ordering Portal",
    "summary": "Wholesale customers order from the Odoo portal at their own tier, "
    "exception and volume-break prices, with live stock and office approval",
    "version": "18.0.1.0.0",
    "category": "Sales/Sales",
    "license": "LGPL-3",
    "author": "b2b_portal contributors",
    "website": "https://github.com/b2b-portal/b2b_portal",
    "depends": ["sale_stock", "portal"],
    "data": [
        "security/b2b_portal_security.xml",
        "security/ir.model.access.csv",
        "data/b2b_price_tier_data.xml",
        "data/mail_template_data.xml",
        "views/b2b_price_tier_views.xml",
        "views/b2b_price_exception_views.xml",
        "views/b2b_volume_break_views.xml",
        "views/b2b_catalog_views.xml",
        "views/b2b_favorite_views.xml",
        "views/res_partner_views.xml",
        "views/product_template_views.xml",
        "views/sale_order_views.xml",
        "views/res_config_settings_views.xml",
        "views/b2b_portal_templates.xml",
        "wizard/b2b_price_check_views.xml",
        "views/b2b_portal_menus.xml",
    ],
    "demo": [
        "demo/b2b_portal_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "b2b_portal/static/tests/tours/*.js",
        ],
    },
    "installable": True,
    "application": False,
}
