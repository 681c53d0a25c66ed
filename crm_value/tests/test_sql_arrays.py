from datetime import date
from decimal import Decimal

import numpy as np

from odoo.tests import TransactionCase, tagged

from ..sql_arrays import array_literal


@tagged("post_install", "-at_install")
class TestSqlArrays(TransactionCase):
    """The text form of arrays the engine sends rows in, read back by PostgreSQL."""

    def _round_trip(self, values, sql_type):
        self.env.cr.execute(f"SELECT %s::{sql_type}[]", [array_literal(values)])
        return self.env.cr.fetchone()[0]

    def test_values_come_back_as_sent(self):
        self.assertEqual(
            self._round_trip([1, None, np.int64(3), -7], "int4"), [1, None, 3, -7]
        )
        floats = [0.1, None, np.float64(1e-12), 123456789.125, -2.5]
        self.assertEqual(
            self._round_trip(floats, "float8"), [0.1, None, 1e-12, 123456789.125, -2.5]
        )
        self.assertEqual(
            self._round_trip([Decimal("10.05"), 2.5, 3], "numeric"),
            [10.05, 2.5, 3.0],  # Odoo reads numeric as float
        )
        self.assertEqual(
            self._round_trip([date(2024, 2, 29), None], "date"),
            [date(2024, 2, 29), None],
        )
        self.assertEqual(
            self._round_trip([True, False, None], "bool"), [True, False, None]
        )

    def test_plain_numbers_come_back_as_sent(self):
        # Python's own numbers take the fast path (the list's repr).
        floats = [1.5, None, 1e-300, -0.0, 12345678901234.5, float("inf")]
        self.assertEqual(self._round_trip(floats, "float8"), floats)
        ints = [1, None, 2**31 - 1, -5]
        self.assertEqual(self._round_trip(ints, "int4"), ints)
        self.assertEqual(self._round_trip([], "int4"), [])
        self.assertEqual(self._round_trip([None, None], "float8"), [None, None])
        self.assertEqual(self._round_trip(iter([3, 4]), "int4"), [3, 4])

    def test_text_is_quoted(self):
        texts = [
            'say "hi"',
            "back\\slash",
            "a,b",
            "{braces}",
            "NULL",
            "",
            " padded ",
            None,
        ]
        self.assertEqual(self._round_trip(texts, "varchar"), texts)
        self.assertEqual(self._round_trip([np.str_("top")], "varchar"), ["top"])
