"""Read-your-own-writes when Odoo reads from a PostgreSQL replica.

With ``--db_replica_host``, Odoo answers the routes declared read-only from a
hot standby, which replays the primary's changes some time later: a few
milliseconds usually, seconds when it is busy or delayed. A buyer who has just
added to the cart or sent an order must see it on the very next page, whatever
that lag. So:

- every read/write request of a logged-in session that wrote something keeps
  its transaction's id in the session (:meth:`IrHttp._post_dispatch`: one
  query, ``pg_current_xact_id_if_assigned()``, NULL when nothing was written);
- an addon route declared read-only (``readonly=B2bPortal._b2b_readonly``)
  asks the standby whether that transaction is visible in its current
  snapshot (:func:`reads_from_replica`: one query on the standby, made only
  while such an id is kept). Visible means its commit has been replayed, and
  with it every change it made: the id is dropped and the page is read from
  the standby, at no further cost until the next write. Not yet: the page is
  read from the primary.

Why a transaction id, not a WAL position or a time window: Odoo saves the
session before it commits, when the commit's WAL position is not known yet
(a position read before the commit is below the commit record, so a standby
past it may still lack the commit); a time window is right only while the lag
is shorter than the window. The id is known before the commit, the standby
replays commits in order (the visibility of a session's last write implies
that of its earlier ones), an id the standby has not reached yet is simply not
visible, and ``xid8`` ids never wrap around. The limit: two requests of one
session writing at the same moment each save the session, and the last saved
wins, as for any session key.

Without a replica (``db_replica_host`` unset, the test set-up), nothing of
this runs: no query, nothing in the session.
"""

import contextlib

from odoo import models
from odoo.http import request
from odoo.tools import config

SESSION_KEY = "b2b_write_xid"


def replica_configured():
    """Whether Odoo reads from a replica: the registry's own test."""
    return config["db_replica_host"] is not False


def replica_has_replayed(registry, xid):
    """Whether the standby has replayed (committed or aborted) transaction
    ``xid``: one query on the replica's pool."""
    with contextlib.closing(registry.cursor(readonly=True)) as cr:
        cr.execute("SELECT pg_visible_in_snapshot(%s::xid8, pg_current_snapshot())", [xid])
        return cr.fetchone()[0]


def reads_from_replica(session, registry):
    """The ``readonly`` of a read-only route: False (read from the primary)
    while the session's last write may not be on the replica yet."""
    if not replica_configured():
        return True
    xid = session.get(SESSION_KEY)
    if not xid:
        return True
    if not replica_has_replayed(registry, xid):
        return False
    session.pop(SESSION_KEY, None)
    return True


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"  # pylint: disable=consider-merging-classes-inherited

    @classmethod
    def _post_dispatch(cls, response):
        # Before super(): it saves the session.
        if replica_configured() and request.session.uid and not request.env.cr.readonly:
            request.env.flush_all()  # the ORM's pending writes, which the commit would flush
            request.env.cr.execute("SELECT pg_current_xact_id_if_assigned()::text")
            xid = request.env.cr.fetchone()[0]
            if xid:
                request.session[SESSION_KEY] = xid
        return super()._post_dispatch(response)
