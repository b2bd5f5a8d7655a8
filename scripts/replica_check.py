"""Checks of Odoo reading from a real PostgreSQL streaming replica.

Starts the standby (``scripts/replica.sh start``) if it is not running, then
Odoo with two workers, ``--db_replica_host localhost --db_replica_port PORT``,
on a database with b2b_portal installed, and drives it over HTTP as a buyer:

- routing: the read-only routes are answered by the standby and the writes by
  the primary, read from the two servers' ``pg_stat_database`` counters
  (transactions, rows read, rows written), not from Odoo's log;
- staleness: how long after a backend price or stock change (RPC on the
  primary) the first catalog page served by the standby shows it, N times
  (median and worst), with no delay and with the standby delayed;
- read-your-own-writes: with the standby delayed (``recovery_min_apply_delay``),
  the page right after an add to cart or a submit shows the buyer's cart and
  order (catalog badge, ``/b2b/orders``, ``/my/orders/<id>``), while the standby is
  shown to be stale at that moment (a second session of the same buyer, which
  wrote nothing, still sees the old cart: what every session saw before).

Reuses the multi-worker check's server, RPC and buyer helpers. Prints one line
per check, the measures, and "replica: N passed, N failed"; exits 1 on any
failure. Stops the standby at the end if it started it.
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import time

import psycopg2

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import multiworker_check as mw  # its helpers, from the same folder

REPLICA_SH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "replica.sh")
READ_ROUTES = ("/b2b", "/b2b/catalog", "/b2b/favorites", "/b2b/orders")
STATS = ("xact_commit", "tup_returned", "tup_fetched", "tup_inserted", "tup_updated", "tup_deleted")


class Pg:
    """Direct SQL on one server (autocommit: every statement sees the latest state)."""

    def __init__(self, port, db):
        self.port, self.db = port, db

    def query(self, sql, params=(), db=None):
        conn = psycopg2.connect(host=os.environ.get("PGHOST", "localhost"), port=self.port,
                                user=os.environ.get("PGUSER", "odoo"), password=os.environ.get("PGPASSWORD", "odoo"),
                                dbname=db or self.db)
        try:
            conn.autocommit = True
            with conn.cursor() as cr:
                cr.execute(sql, params)
                return cr.fetchall()
        finally:
            conn.close()

    def stats(self):
        """The database's counters (read from the postgres database, so as
        not to count in them), and how many times its tables were scanned
        and rows of them written: unlike the database's counters, these
        leave out PostgreSQL's own work on its catalogs (autovacuum's visits
        and the statistics its ANALYZE writes, a new connection's start,
        this check's reading of them)."""
        columns = ", ".join(STATS)  # constants
        [row] = self.query(f"SELECT {columns} FROM pg_stat_database WHERE datname = %s", [self.db],  # noqa: S608
                           db="postgres")
        [[scans, writes]] = self.query("SELECT sum(seq_scan + coalesce(idx_scan, 0))::int, "
                                       "sum(n_tup_ins + n_tup_upd + n_tup_del)::int FROM pg_stat_user_tables")
        return {**dict(zip(STATS, row, strict=True)), "table_scans": scans, "table_writes": writes}


def replica_sh(command, delay="0"):
    return subprocess.run([REPLICA_SH, command], env={**os.environ, "RECOVERY_MIN_APPLY_DELAY": delay},  # noqa: S603
                          capture_output=True, text=True, check=False)


class Rpc(mw.Rpc):
    """The backend's RPC, which waits for the standby after a change while
    ``after_write`` is set: Odoo answers the RPC reads of the set-up (a
    product's template just after its creation...) from the standby."""

    after_write = None

    def __call__(self, model, method, *args, **kwargs):
        result = super().__call__(model, method, *args, **kwargs)
        if Rpc.after_write and method not in ("search", "read", "search_read", "search_count"):
            Rpc.after_write()
        return result


mw.Rpc = Rpc  # the multi-worker check's set-up builds its RPC from its module


class ReplicaChecks(mw.Checks):
    def __init__(self, server, db, primary, standby, samples, delay):
        super().__init__(server, db)
        self.primary, self.standby, self.samples, self.delay = primary, standby, samples, delay
        self.measures = []
        self.last_stats = None

    # Helpers -----------------------------------------------------------

    def wait_replayed(self, timeout=30):
        """Until the standby has replayed all the primary has written so far."""
        [[lsn]] = self.primary.query("SELECT pg_current_wal_lsn()::text")
        deadline = time.monotonic() + timeout
        while not self.standby.query("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn])[0][0]:
            assert time.monotonic() < deadline, "the standby does not catch up"
            time.sleep(0.02)

    def set_delay(self, delay):
        result = replica_sh("start", delay)
        assert result.returncode == 0, result.stderr
        expected = "0" if delay in ("0", "") else delay
        for _ in range(50):
            if self.standby.query("SHOW recovery_min_apply_delay")[0][0] == expected:
                return
            time.sleep(0.1)
        raise AssertionError(f"recovery_min_apply_delay is not {expected}")

    def settle(self, *sessions):
        """Every session's last write replayed and forgotten: its read-only pages go to the standby."""
        self.wait_replayed()
        for session in sessions:
            assert session.get(self.server.base + "/b2b/catalog", timeout=30).status_code == 200

    def quiet_stats(self):
        """Both servers' counters once every backend has published its own:
        an idle backend publishes them within 10 s (PostgreSQL 15's
        PGSTAT_IDLE_INTERVAL), at most once a second; on a busy machine a
        little later, so the primary's writes are read again until they
        stay put for two seconds (up to 20 s more)."""
        time.sleep(11)

        def writes():
            return self.primary.stats()["table_writes"]

        seen = writes()
        for _i in range(10):
            time.sleep(2)
            now = writes()
            if now == seen:
                break
            seen = now
        return self.primary.stats(), self.standby.stats()

    def delta(self, action, before=None):
        """What ``action`` did on each server, from pg_stat_database; the
        counters after it are kept for a check that follows at once."""
        before = before or self.quiet_stats()
        action()
        self.last_stats = after = self.quiet_stats()
        return [{key: new[key] - old[key] for key in new} for old, new in zip(before, after, strict=True)]

    def badge(self, session):
        page = session.get(self.server.base + "/b2b/catalog", timeout=30)
        assert page.status_code == 200, page.status_code
        return int(re.search(r'o_b2b_cart_count">(\d+)<', page.text).group(1))

    def form_post(self, session, path, data):
        token = mw.csrf(session, self.server.base)
        return session.post(self.server.base + path, data={**data, "csrf_token": token}, allow_redirects=False,
                            timeout=60)

    def cart_lines(self, pg):
        return pg.query("SELECT count(*) FROM sale_order_line l JOIN sale_order o ON o.id = l.order_id "
                        "WHERE o.partner_id = %s AND o.b2b_state = 'cart' AND l.display_type IS NULL",
                        [self.buyer])[0][0]

    # Checks ------------------------------------------------------------

    def setup(self):
        self.set_delay("0")
        Rpc.after_write = self.wait_replayed
        try:
            super().setup()  # product, tier price, buyer company, buyer, stock; the buyer's session
        finally:
            Rpc.after_write = None
        self.more = [self.rpc("product.product", "create", {
            "name": f"MW Extra {index}", "default_code": f"MW-X{index}-{mw.BUYER}", "list_price": 9.0,
            "is_storable": True, "taxes_id": [(5, 0, 0)]}) for index in range(2)]
        self.other = mw.buyer_session(self.server.base)  # the same buyer in another browser
        self.settle(self.session, self.other)
        # Both workers load the registry now (from the primary), not during the measures;
        # and every measured page once, so that what a first visit writes on the primary
        # (an asset bundle, the device log) is written before the reads are counted.
        mw.fetch_many(self.session, self.server.base + "/b2b/catalog", 8)
        for route in (*READ_ROUTES, f"/b2b/product/{self.product}"):
            for _worker in range(2):
                assert self.session.get(self.server.base + route, timeout=60).status_code == 200
        self.settle(self.session)

    def test_reads_answered_by_standby(self):
        def read():
            for _round in range(5):
                for route in (*READ_ROUTES, f"/b2b/product/{self.product}"):
                    assert self.session.get(self.server.base + route, timeout=30).status_code == 200
        primary, standby = self.delta(read)
        self.measures.append(f"25 read-only pages: primary {primary}, standby {standby}")
        assert standby["xact_commit"] >= 25 and standby["table_scans"] >= 25, standby
        # Odoo's device log may write from a read-only request, through its own cursor.
        assert primary["table_scans"] <= 3, f"the primary scanned tables {primary['table_scans']} times"
        assert primary["table_writes"] <= 3, primary

    def test_writes_answered_by_primary(self):
        def write():
            token = mw.csrf(self.session, self.server.base)
            for _round in range(5):
                response = self.session.post(self.server.base + "/b2b/cart/add", data={
                    "product_id": self.product, "add_qty": "1", "csrf_token": token}, allow_redirects=False,
                    timeout=60)
                assert response.status_code in (200, 303), response.status_code
        primary, standby = self.delta(write, before=self.last_stats)  # right after the reads' counters
        self.measures.append(f"5 adds to cart: primary {primary}, standby {standby}")
        assert primary["xact_commit"] >= 5 and primary["table_writes"] >= 5, primary
        assert primary["table_scans"] > 5 * standby["table_scans"], "the standby read as much"
        assert standby["table_writes"] == 0, standby
        self.settle(self.session)

    def staleness(self, label, samples):
        """Seconds from a backend change's commit to the first read-only page showing it."""
        self.settle(self.session)
        times, stale_pages = [], 0
        for index in range(samples):
            if index % 2:
                quantity = 200 + index
                self.set_stock(quantity)
                expected = f"In stock: {quantity}"
            else:
                price = 17.0 + (index + 1) / 100 + (len(self.measures) % 10) / 10
                self.rpc("b2b.tier.price", "write", [self.tier_price], {"price": price})
                expected = f"{price:.2f}"
            start = time.monotonic()
            while True:
                page = self.session.get(f"{self.server.base}/b2b/product/{self.product}", timeout=30)
                if expected in page.text:
                    times.append(time.monotonic() - start)
                    break
                stale_pages += 1
                assert time.monotonic() - start < 30, f"{expected!r} never shown"
        median, worst = statistics.median(times), max(times)
        self.measures.append(f"staleness {label}: N={samples}, median {median * 1000:.0f} ms, worst "
                             f"{worst * 1000:.0f} ms, {stale_pages} stale pages served before")
        return median, worst

    def test_staleness_without_delay(self):
        _median, worst = self.staleness("no delay (price/stock change -> product page)", self.samples)
        assert worst < 5, f"worst {worst:.1f} s"

    def test_staleness_with_delay(self):
        self.set_delay(self.delay)
        median, _worst = self.staleness(f"recovery_min_apply_delay {self.delay}", 3)
        assert median >= seconds(self.delay) * 0.8, "the delay did not show: the pages are not from the standby"

    def test_cart_badge_right_after_add(self):
        self.set_delay(self.delay)
        self.settle(self.session, self.other)
        before = self.badge(self.session)
        response = self.form_post(self.session, "/b2b/cart/add", {"product_id": self.more[0], "add_qty": "1"})
        assert response.status_code in (200, 303), response.status_code
        mine = self.badge(self.session)
        others = self.badge(self.other)
        standby, primary = self.cart_lines(self.standby), self.cart_lines(self.primary)
        self.measures.append(f"after add to cart: badge {before} -> {mine} (this session), {others} (a session "
                             f"that wrote nothing); cart lines on the primary {primary}, on the standby {standby}")
        assert mine == before + 1 == primary, f"the badge says {mine}, the cart has {primary} lines"
        assert standby == before, "the standby was not stale: the check proves nothing"
        assert others == before, "another session saw the new line before the standby had it"

    def test_order_shown_right_after_submit(self):
        ref = f"PO-RP-{mw.BUYER}"
        # The staleness checks changed the price since the add: the buyer accepts it.
        response = self.form_post(self.session, "/b2b/cart/submit", {"client_order_ref": ref,
                                                                      "accept_price_changes": "1"})
        assert response.headers.get("Location", "").endswith("/submitted"), response.headers.get("Location")
        [[order_id, name, state]] = self.primary.query(
            "SELECT id, name, b2b_state FROM sale_order WHERE client_order_ref = %s", [ref])
        assert state != "cart", state
        # /b2b/orders lists it, /my/orders/<id> shows it (Odoo's /my/orders lists confirmed orders only).
        pages = {path: self.session.get(self.server.base + path, timeout=30).text
                 for path in ("/b2b/orders", f"/my/orders/{order_id}")}
        badge = self.badge(self.session)
        others = self.other.get(self.server.base + "/b2b/orders", timeout=30).text
        [[standby_state]] = self.standby.query("SELECT b2b_state FROM sale_order WHERE id = %s", [order_id])
        self.measures.append(f"after submit of {name}: shown on {[p for p, text in pages.items() if name in text]}, "
                             f"badge {badge}; on the standby still {standby_state!r}; a session that wrote "
                             f"nothing sees it on /b2b/orders: {name in others}")
        missing = [path for path, text in pages.items() if name not in text]
        assert not missing, f"{name} missing from {missing}"
        assert badge == 0, f"the badge still says {badge}"
        assert standby_state == "cart", "the standby was not stale: the check proves nothing"

    def test_back_to_standby_once_replayed(self):
        self.wait_replayed()

        def read():
            for route in READ_ROUTES:
                assert self.session.get(self.server.base + route, timeout=30).status_code == 200
        primary, standby = self.delta(read)
        self.measures.append(f"4 read-only pages once replayed: primary {primary}, standby {standby}")
        assert standby["table_scans"] >= 4 and primary["table_scans"] <= 3, (primary, standby)


def seconds(delay):
    value = float(re.match(r"[\d.]+", delay).group(0))
    return value / 1000 if delay.endswith("ms") else value * 60 if delay.endswith("min") else value


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True, help="a database with b2b_portal installed")
    parser.add_argument("--port", type=int, default=8369)
    parser.add_argument("--log", required=True)
    parser.add_argument("--replica-port", type=int, default=int(os.environ.get("B2B_REPLICA_PORT", "5433")))
    parser.add_argument("--samples", type=int, default=10)
    parser.add_argument("--delay", default="3s", help="recovery_min_apply_delay for the lag checks")
    parser.add_argument("odoo", nargs=argparse.REMAINDER, help="command that runs Odoo with its -c config")
    args = parser.parse_args()
    os.environ["B2B_REPLICA_PORT"] = str(args.replica_port)
    started = replica_sh("status").returncode != 0
    primary = Pg(int(os.environ.get("PGPORT", "5432")), args.db)
    standby = Pg(args.replica_port, args.db)
    server = mw.Server([*args.odoo, "-d", args.db, "--db-filter", f"^{args.db}$", "--db_replica_host", "localhost",
                        "--db_replica_port", str(args.replica_port)], args.port, args.log)
    checks = ReplicaChecks(server, args.db, primary, standby, args.samples, args.delay)
    t0 = time.monotonic()
    try:
        checks.check("standby started and streaming", lambda: checks.set_delay("0"))
        server.start()
        checks.check("set-up through RPC", checks.setup)
        names = ("reads_answered_by_standby", "writes_answered_by_primary", "staleness_without_delay",
                 "cart_badge_right_after_add", "order_shown_right_after_submit", "staleness_with_delay",
                 "back_to_standby_once_replayed")
        for name in names if all(ok for _name, ok in checks.results) else ():
            checks.check(name.replace("_", " "), getattr(checks, f"test_{name}"))
    finally:
        server.stop()
        replica_sh("stop" if started else "start", "0")
    sys.exit(report("replica", checks, t0))


def report(name, checks, t0):
    """Print the measures and the "<name>: N passed, M failed" line.
    :return: the exit status (1 when a check failed)."""
    for line in checks.measures:
        print(f"     {line}")
    passed = sum(ok for _name, ok in checks.results)
    failed = len(checks.results) - passed
    print(f"     ({time.monotonic() - t0:.0f} s)")
    print(f"{name}: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    main()
