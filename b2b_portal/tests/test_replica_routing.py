import re
from unittest.mock import patch

from odoo import http
from odoo.tests import HttpCase, TransactionCase, tagged
from odoo.tools import config

from odoo.addons.b2b_portal.controllers.portal import B2bPortal
from odoo.addons.b2b_portal.models import ir_http_replica
from odoo.addons.b2b_portal.models.ir_http_replica import SESSION_KEY, reads_from_replica, replica_has_replayed

from .common import B2bHttpMixin, B2bPortalCommon

WITH_REPLICA = {"db_replica_host": "localhost"}
WITHOUT_REPLICA = {"db_replica_host": False}


class NoQueryRegistry:
    """A registry whose cursors must not be opened."""

    def cursor(self, readonly=False):
        raise AssertionError("a query was made")


class TestReplicaDecision(TransactionCase):
    """The decision of the addon's read-only routes (``B2bPortal._b2b_readonly``):
    the replica, unless the session's last write may not be there yet."""

    def test_without_replica_every_session_reads_from_replica_at_no_cost(self):
        with patch.dict(config.options, WITHOUT_REPLICA):
            self.assertTrue(reads_from_replica({}, NoQueryRegistry()))
            self.assertTrue(reads_from_replica({SESSION_KEY: "1234"}, NoQueryRegistry()))

    def test_fresh_session_reads_from_replica_without_query(self):
        with patch.dict(config.options, WITH_REPLICA):
            self.assertTrue(reads_from_replica({}, NoQueryRegistry()))

    def test_write_not_replayed_reads_from_primary_until_replayed(self):
        session = {SESSION_KEY: "1234"}
        with patch.dict(config.options, WITH_REPLICA), \
                patch.object(ir_http_replica, "replica_has_replayed", return_value=False) as replayed:
            self.assertFalse(reads_from_replica(session, self.registry))
            self.assertFalse(reads_from_replica(session, self.registry))
            self.assertEqual(replayed.call_args.args[1], "1234")
            self.assertEqual(session, {SESSION_KEY: "1234"}, "the write is still awaited")
            replayed.return_value = True
            self.assertTrue(reads_from_replica(session, self.registry))
            self.assertEqual(session, {}, "a replayed write is forgotten")
            self.assertTrue(reads_from_replica(session, NoQueryRegistry()))
            self.assertEqual(replayed.call_count, 3)

    def test_replica_tells_replayed_transactions_by_their_visibility(self):
        """The real query, from another connection: a transaction still open
        (this test's), or one not started yet, is not replayed; an old one is."""
        self.env.cr.execute("SELECT pg_current_xact_id()::text")
        [own] = self.env.cr.fetchone()
        self.assertFalse(replica_has_replayed(self.registry, own))
        self.assertFalse(replica_has_replayed(self.registry, str(int(own) + 1000)))
        self.assertTrue(replica_has_replayed(self.registry, "3"))

    def test_read_only_routes_decide_through_the_session(self):
        """Every read-only route of the addon asks ``_b2b_readonly`` (none is
        plainly read-only any more)."""
        readonly_routes, plain_readonly, addon_routes = set(), set(), set()
        for rule in self.env["ir.http"].routing_map().iter_rules():
            original = getattr(rule.endpoint, "original_endpoint", rule.endpoint)
            readonly = rule.endpoint.routing.get("readonly")
            if getattr(original, "__module__", "").startswith("odoo.addons.b2b_portal"):
                addon_routes.add(rule.rule)
            if readonly is B2bPortal._b2b_readonly:
                readonly_routes.add(rule.rule)
            elif readonly is True and original.__module__.startswith("odoo.addons.b2b_portal"):
                plain_readonly.add(rule.rule)
        # The addon's routes were told apart (else no plainly read-only one could be found).
        self.assertLessEqual(readonly_routes, addon_routes)
        self.assertFalse(plain_readonly)
        self.assertLessEqual(
            {"/b2b", "/b2b/catalog", "/b2b/product/<int:product_id>", "/b2b/favorites", "/b2b/orders",
             "/my/payments", "/my/statement", "/my/statement/pdf"},
            readonly_routes,
        )


@tagged("post_install", "-at_install")
class TestReplicaReadYourWrites(B2bHttpMixin, HttpCase, B2bPortalCommon):
    """A buyer's write, then its next read-only pages, with the replica's
    answer mocked (the test database has no standby)."""

    def setUp(self):
        super().setUp()
        self.modes = []
        transactioning = http.Request._transactioning

        def spy(request, func, readonly):
            self.modes.append(readonly)
            return transactioning(request, func, readonly)

        self.patch(http.Request, "_transactioning", spy)
        self.replayed = self.startPatcher(patch.object(ir_http_replica, "replica_has_replayed", return_value=False))
        self.authenticate(self.portal_b.login, self.portal_b.login)

    def add_to_cart(self):
        page = self.url_open("/b2b/cart")
        token = re.search(r'csrf_token: "([^"]+)"', page.text).group(1)
        response = self.url_open("/b2b/cart/add", data={
            "product_id": self.cola.id, "add_qty": "2", "csrf_token": token})
        self.assertEqual(response.status_code, 200)

    def stored_session(self):
        return http.root.session_store.get(self.session.sid)

    def served_by_replica(self, path):
        """Whether ``path`` was read from the replica."""
        self.modes.clear()
        response = self.url_open(path)
        self.assertEqual(response.status_code, 200, path)
        return self.modes[-1]

    def test_after_a_write_next_pages_read_from_primary_until_replayed(self):
        with patch.dict(config.options, WITH_REPLICA):
            self.add_to_cart()
            xid = self.stored_session().get(SESSION_KEY)
            self.assertTrue(xid, "the write is remembered")
            self.assertFalse(self.served_by_replica("/b2b/catalog"), "read from the primary")
            self.assertFalse(self.served_by_replica("/b2b/orders"))
            self.assertEqual(self.replayed.call_args.args[1], xid)
            self.replayed.return_value = True
            self.assertTrue(self.served_by_replica("/b2b/catalog"), "read from the replica once replayed")
            self.assertNotIn(SESSION_KEY, self.stored_session())
            calls = self.replayed.call_count
            self.assertTrue(self.served_by_replica("/b2b/favorites"))
            self.assertEqual(self.replayed.call_count, calls, "no more question to the replica")

    def test_without_replica_nothing_is_remembered_or_asked(self):
        with patch.dict(config.options, WITHOUT_REPLICA):
            self.add_to_cart()
            self.assertNotIn(SESSION_KEY, self.stored_session())
            self.assertTrue(self.served_by_replica("/b2b/catalog"))
        self.replayed.assert_not_called()
