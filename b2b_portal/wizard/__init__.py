from . import b2b_price_check
from . import b2b_order_reject
