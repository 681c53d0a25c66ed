"""Bulk writes with COPY: rows straight into tables, ids from their sequences."""

import csv
import io
import json

import numpy as np


class IdPool:
    """Ids of one table, reserved from its sequence a block at a time."""

    def __init__(self, cr, table, block=20_000):
        self.cr, self.table, self.block = cr, table, block
        self.ids = iter(())

    def __call__(self):
        try:
            return next(self.ids)
        except StopIteration:
            self.ids = iter(allocate_ids(self.cr, self.table, self.block))
            return next(self.ids)


def allocate_ids(cr, table, count):
    """Reserve `count` consecutive ids of `table` and return them as a range."""
    sequence = f"{table}_id_seq"
    cr.execute("SELECT setval(%s, nextval(%s) + %s - 1)", [sequence, sequence, count])
    last = cr.fetchone()[0]
    return range(last - count + 1, last + 1)


def table_columns(cr, table):
    cr.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s",
        [table],
    )
    return {row[0] for row in cr.fetchall()}


def _cell(value):
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, dict):
        return json.dumps(value)
    return value


_COLUMNS = {}
# Tables whose rows point at rows of the same COPY (a contact's company). The
# foreign-key checks run at the end of the COPY with a plan made from the
# template's statistics (a handful of partners): a sequential scan per row,
# quadratic — 100,000 customers never finished (gdb: RI trigger in
# AfterTriggerEndQuery -> SeqScan). The generator only points at ids it wrote or
# read, so the checks are skipped for these COPYs and the table analysed after.
SELF_REFERENCING = {"res_partner"}


def copy_dicts(cr, table, rows):
    """COPY dict rows into `table`; keys the table lacks (a column of an addon
    not installed here) are left out. Returns the number of rows."""
    rows = list(rows)
    if not rows:
        return 0
    if table not in _COLUMNS:
        _COLUMNS[table] = table_columns(cr, table)
    # Rows of one table may differ in keys (a receivable line has a due date).
    keys = dict.fromkeys(name for row in rows for name in row)
    columns = [name for name in keys if name in _COLUMNS[table]]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in rows:
        writer.writerow([_cell(row.get(name)) for name in columns])
    buffer.seek(0)
    self_referencing = table in SELF_REFERENCING
    if self_referencing:
        cr.execute("SET LOCAL session_replication_role = replica")
    cr._obj.copy_expert(
        f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv, NULL '\\N')",
        buffer,
    )
    if self_referencing:
        cr.execute("SET LOCAL session_replication_role = origin")
        cr.execute(f"ANALYZE {table}")
    return len(rows)
