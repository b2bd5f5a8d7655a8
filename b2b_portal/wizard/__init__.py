from . import b2b_price_check
