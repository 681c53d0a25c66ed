"""The demo data tells eighteen months of the product's own history (the test
database is installed with demo data, as scripts/test.sh and CI install it).

The tiers themselves are the engine's to decide: these tests check the shape
of the history, not who is in which tier."""

import calendar
from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo.tests import tagged

from odoo.addons.base.tests.common import BaseCommon

DEMO_BUYERS = ("jade", "westlake", "pearl", "panda", "garden", "bargain")
LONG_STANDING = ("jade", "westlake", "panda")


@tagged("post_install", "-at_install")
class TestDemoHistory(BaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref("base.main_company")
        cls.customers = {
            key: cls.env.ref(f"crm_value.demo_customer_{key}") for key in DEMO_BUYERS
        }
        cls.snapshots = (
            cls.env["crm.value.snapshot"]
            .sudo()
            .search(
                [
                    ("company_id", "=", cls.company.id),
                    ("partner_id", "in", [c.id for c in cls.customers.values()]),
                ],
                order="partner_id, date, id",
            )
        )
        cls.by_customer = cls.snapshots.grouped("partner_id")

    def test_demo_flows_are_no_model(self):
        """The flows that made this history are plain Python (demo/demo.py):
        no model of theirs in the database."""
        self.assertNotIn("crm.value.demo", self.env.registry)
        self.assertFalse(
            self.env["ir.model"].search([("model", "=", "crm.value.demo")])
        )

    def test_every_demo_buyer_has_monthly_snapshots(self):
        for key, customer in self.customers.items():
            snapshots = self.by_customer[customer]
            past = snapshots.filtered(lambda s: not s.is_current)
            self.assertGreaterEqual(len(past), 4, key)
            self.assertEqual(len(snapshots.filtered("is_current")), 1, key)
            self.assertEqual(snapshots.filtered("is_current"), snapshots[-1], key)
            for snapshot in past:
                last_day = calendar.monthrange(snapshot.date.year, snapshot.date.month)
                self.assertEqual(snapshot.date.day, last_day[1], key)
            months = {(s.date.year, s.date.month) for s in past}
            self.assertEqual(len(months), len(past), key)

    def test_history_spans_eighteen_months(self):
        for key in LONG_STANDING:
            snapshots = self.by_customer[self.customers[key]]
            self.assertGreaterEqual(len(snapshots), 16, key)
            self.assertLessEqual(
                snapshots[0].date, snapshots[-1].date - relativedelta(months=15), key
            )

    def test_tier_moves_chain_from_month_to_month(self):
        moves = defaultdict(int)
        for key, customer in self.customers.items():
            previous = self.env["crm.value.tier"]
            for snapshot in self.by_customer[customer]:
                self.assertEqual(snapshot.previous_tier_id, previous, key)
                previous = snapshot.tier_id
                moves[snapshot.tier_move] += 1
        self.assertGreaterEqual(moves["up"], 1, moves)
        self.assertGreaterEqual(moves["down"], 1, moves)
        self.assertGreater(moves["same"], moves["new"], moves)

    def test_orders_keep_the_tier_of_the_day_they_were_confirmed(self):
        orders = self.env["sale.order"].search(
            [
                ("partner_id", "in", [c.id for c in self.customers.values()]),
                ("state", "=", "sale"),
            ]
        )
        self.assertGreaterEqual(len(orders), 30)
        for order in orders:
            day = self.company._get_value_date(order.date_order)
            before = self.by_customer[order.partner_id].filtered(
                lambda s, day=day: s.date < day
            )
            self.assertEqual(order.value_tier_id, before[-1:].tier_id, order.name)
        self.assertGreaterEqual(len(orders.value_tier_id), 2)

    def test_documents_dated_across_the_history(self):
        invoices = self.env["account.move"].search(
            [
                ("partner_id", "in", [c.id for c in self.customers.values()]),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
            ]
        )
        self.assertGreaterEqual(
            len({d.strftime("%Y-%m") for d in invoices.mapped("invoice_date")}), 12
        )
        deliveries = invoices.line_ids.sale_line_ids.move_ids.filtered(
            lambda m: m.state == "done" and m.location_dest_id.usage == "customer"
        )
        self.assertTrue(deliveries)
        for move in deliveries:
            order = move.sale_line_id.order_id
            self.assertEqual(
                self.company._get_value_date(move.date),
                self.company._get_value_date(order.date_order),
                order.name,
            )
