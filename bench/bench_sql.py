"""SQL helpers of the bench scripts that grow the bench database by copying
rows (bench_scale.py, bench_grow.py, run in `odoo shell`: they import this
file from B2B_BENCH_DIR, which scripts/bench.sh sets)."""


def columns(cr, table, skip):
    """The columns of ``table`` but ``id`` and ``skip``, in table order."""
    cr.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s AND column_name <> ALL(%s)"
        " ORDER BY ordinal_position", [table, ["id", *skip]])
    return [name for (name,) in cr.fetchall()]


def clone(cr, table, join, overrides, source):
    """INSERT a copy of the ``table`` rows (alias t) joined to ``source``
    (alias c) by ``join`` (SQL over t and c), with ``overrides`` {column: SQL
    over c and t}. :return: the number of rows inserted."""
    keep = columns(cr, table, list(overrides))
    target = ", ".join(f'"{name}"' for name in [*keep, *overrides])
    values = ", ".join([*(f't."{name}"' for name in keep), *overrides.values()])
    cr.execute(f"INSERT INTO {table} ({target}) SELECT {values} "  # noqa: S608 (our own identifiers)
               f"FROM {source} c JOIN {table} t ON {join}")
    return cr.rowcount
