from odoo import models


class B2bPortalPage(models.AbstractModel):
    """The main object of the portal's pages (``main_object`` in the pages'
    values). The pages show many records, none of which is the page's own;
    left unset, ``website`` takes the page's view, whose fields its layout
    lists four times a page for a logged-in user (``fields_get``, about
    1 ms each: 42 fields). This model has none. The browser's title is the
    page's own (``additional_title``), not the view's name."""

    _name = "b2b.portal.page"
    _description = "B2B portal page"
