from datetime import date
from decimal import Decimal

from odoo import fields
from odoo.tests import TransactionCase, tagged

from ..figures import Figure, merge_functions, merge_values
from ..groups import INTERNAL, MANAGER


@tagged("post_install", "-at_install")
class TestFigureSources(TransactionCase):
    def test_values_of_several_sources_merge_as_declared(self):
        declared = {
            "cost": Figure("cost", fields.Monetary, merge="sum"),
            "first": Figure("first", fields.Date, merge="min", default=None),
            "last": Figure("last", fields.Date, merge="max", default=None),
            "count": Figure("count", fields.Integer, default=0),
        }
        merges = merge_functions(declared)
        figure = {name: f.default for name, f in declared.items()}
        merge_values(
            figure,
            {"cost": Decimal("2.5"), "first": date(2024, 5, 1), "count": 3},
            merges,
        )
        merge_values(
            figure,
            {
                "cost": 1.0,
                "first": date(2024, 3, 1),
                "last": date(2024, 6, 1),
                "count": 4,
            },
            merges,
        )
        merge_values(figure, {"cost": None, "last": date(2024, 4, 1)}, merges)
        self.assertEqual(
            figure,
            {
                "cost": 3.5,
                "first": date(2024, 3, 1),
                "last": date(2024, 6, 1),
                "count": 4,
            },
        )
        self.assertIs(type(figure["cost"]), float)

    def test_every_declared_figure_is_a_snapshot_column_and_a_partner_field(self):
        Snapshot, Partner = self.env["crm.value.snapshot"], self.env["res.partner"]
        declared = self.env["crm.value.engine"]._get_declared_figures()
        self.assertTrue(
            {"revenue", "cost_to_serve", "net_profit", "categories_bought"}
            <= set(declared)
        )
        for name, figure in declared.items():
            with self.subTest(figure=name):
                column = Snapshot._fields[name]
                self.assertTrue(column.store)
                self.assertEqual(
                    column.groups, MANAGER if figure.managers_only else None
                )
                if figure.partner is None:
                    self.assertNotIn(figure.partner_field, Partner._fields)
                    continue
                mirror = Partner._fields[figure.partner_field]
                self.assertFalse(mirror.store)
                self.assertEqual(
                    mirror.groups, MANAGER if figure.managers_only else INTERNAL
                )
