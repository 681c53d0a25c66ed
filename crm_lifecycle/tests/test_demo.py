"""The lifecycle demo is the engine's own history, month after month (the
test database is installed with demo data, as scripts/test.sh and CI install
it). The stages are the rules' to decide: these tests check the history's
shape."""

from odoo.tests import tagged
from odoo.tools import SQL

from odoo.addons.base.tests.common import BaseCommon

DEMO_CUSTOMERS = (
    "crm_value.demo_customer_jade",
    "crm_value.demo_customer_westlake",
    "crm_value.demo_customer_panda",
    "crm_lifecycle.demo_customer_imperial",
    "crm_lifecycle.demo_customer_snow",
    "crm_lifecycle.demo_customer_lakeside",
    "crm_lifecycle.demo_customer_ocean",
)


@tagged("post_install", "-at_install")
class TestDemoLifecycle(BaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref("base.main_company")
        cls.customers = cls.env["res.partner"].browse(
            [cls.env.ref(xmlid).id for xmlid in DEMO_CUSTOMERS]
        )
        cls.history = cls.env["crm.lifecycle.history"].search(
            [
                ("company_id", "=", cls.company.id),
                ("partner_id", "in", cls.customers.ids),
            ],
            order="partner_id, date, id",
        )

    def test_demo_flows_are_no_model(self):
        """The flows that made this history are plain Python (demo/demo.py):
        no model of theirs in the database."""
        self.assertNotIn("crm.lifecycle.demo", self.env.registry)
        self.assertFalse(
            self.env["ir.model"].search([("model", "=", "crm.lifecycle.demo")])
        )

    def test_stage_moves_spread_over_the_months(self):
        months = {move.date.strftime("%Y-%m") for move in self.history}
        self.assertGreaterEqual(len(months), 8)
        for customer in self.customers:
            moves = self.history.filtered(lambda m, c=customer: m.partner_id == c)
            self.assertGreaterEqual(len(moves), 3, customer.name)

    def test_customers_go_at_risk_and_come_back_or_are_lost(self):
        at_risk = self.history.filtered("stage_to_id.is_at_risk")
        self.assertTrue(at_risk)
        left = self.history.filtered(
            lambda m: m.stage_from_id.is_at_risk and not m.stage_to_id.is_at_risk
        )
        self.assertTrue(left.filtered("stage_to_id.is_lost"))
        self.assertTrue(left.filtered(lambda m: not m.stage_to_id.is_lost))

    def test_each_move_follows_the_one_before(self):
        for customer in self.customers:
            moves = self.history.filtered(lambda m, c=customer: m.partner_id == c)
            for before, after in zip(moves, moves[1:], strict=False):
                self.assertEqual(after.stage_from_id, before.stage_to_id)
                self.assertEqual(before.date_end, after.date)
            self.assertFalse(moves[-1].date_end)
            self.assertEqual(
                customer.with_company(self.company).lifecycle_stage_id,
                moves[-1].stage_to_id,
            )

    def test_moves_on_p_alive_read_the_figures_of_that_day(self):
        """A customer moved at risk by their P(alive) a year ago was moved on
        the P(alive) of their snapshot then, not on today's."""
        rule = self.env.ref("crm_lifecycle.rule_at_risk_p_alive")
        moves = self.env["crm.lifecycle.history"].search(
            [("company_id", "=", self.company.id), ("rule_id", "=", rule.id)]
        )
        self.assertTrue(moves)
        threshold = self.company.lifecycle_at_risk_p_alive
        for move in moves:
            day = self.company._get_value_date(move.date)
            that_day = self.env["crm.value.snapshot"].search(
                [
                    ("company_id", "=", self.company.id),
                    ("partner_id", "=", move.partner_id.id),
                    ("date", "<=", day),
                ],
                order="date desc",
                limit=1,
            )
            self.assertTrue(that_day, move.partner_id.name)
            self.assertTrue(0 < that_day.p_alive < threshold, move.partner_id.name)

    def test_value_snapshots_current_again_after_the_replay(self):
        """The replay read each month-end's snapshots as the current ones;
        each customer's newest snapshot is current again."""
        self.env.cr.execute(
            SQL(
                """
            SELECT partner_id FROM crm_value_snapshot s
             WHERE company_id = %s
             GROUP BY partner_id
            HAVING COUNT(*) FILTER (WHERE is_current) <> 1
                OR MAX(date) <> MAX(date) FILTER (WHERE is_current)
            """,
                self.company.id,
            )
        )
        self.assertEqual(self.env.cr.fetchall(), [])
