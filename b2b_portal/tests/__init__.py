from . import test_pricing_engine
from . import test_sale_order
from . import test_models
from . import test_price_check
from . import test_demo
from . import test_cart
from . import test_portal_http
from . import test_portal_tours
