from . import portal
from . import dashboard
from . import catalog
from . import cart
from . import account
from . import company
from . import approvals
from . import invoices
