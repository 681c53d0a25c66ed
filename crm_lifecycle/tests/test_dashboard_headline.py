from odoo import Command
from odoo.tests import new_test_user, tagged

from .common import CrmLifecycleCommon


@tagged("post_install", "-at_install")
class TestDashboardHeadlineConversion(CrmLifecycleCommon):
    """The headline conversion: of the partners who entered a lead stage in
    the period, the share whose stay there ended in a customer stage, per
    sales team and month, from the stage history."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user = new_test_user(
            cls.env,
            login="lc_headline_user",
            groups="crm_value.group_crm_value_user",
            company_id=cls.company.id,
        )
        # A customer's team is their salesperson's.
        cls.north = cls._team("North", "lc_headline_north")
        cls.south = cls._team("South", "lc_headline_south")

    @classmethod
    def _team(cls, name, login):
        salesperson = new_test_user(
            cls.env,
            login=login,
            groups="sales_team.group_sale_salesman",
            company_id=cls.company.id,
        )
        return cls.env["crm.team"].create(
            {
                "name": name,
                "company_id": cls.company.id,
                "user_id": salesperson.id,
                "member_ids": [Command.link(salesperson.id)],
            }
        )

    def setUp(self):
        super().setUp()
        # An open lead: a target; then a first order: a new customer.
        self.wins = self._customer("Teapot Workshop", user_id=self.north.user_id.id)
        self.env["crm.lead"].create(
            {"name": "Teapots for the spring", "partner_id": self.wins.id}
        )
        # A name collected (reserve), never more.
        self.waits = self._customer("Silent Kiln", user_id=self.north.user_id.id)
        # In reserve, then buys: a new customer.
        self.buys = self._customer("Porcelain Corner", user_id=self.south.user_id.id)
        self._evaluate(self.wins, self.waits, self.buys, day=-40)
        for customer in (self.wins, self.buys):
            self._order(customer, -35)
        self._evaluate(self.wins, self.waits, self.buys, day=-30)
        self.assertEqual(self._history(self.wins)[-1].stage_to_id, self.stage_new)
        self.assertEqual(self._history(self.buys)[-1].stage_to_id, self.stage_new)
        self.assertEqual(len(self._history(self.waits)), 1)
        self.assertFalse(self._history(self.waits).stage_to_id.is_customer)
        self.env.flush_all()

    def _headline(self, user):
        env = self.env(user=user, context={"allowed_company_ids": [self.company.id]})
        return env["crm.value.dashboard"].get_dashboard_data(12)["sections"][
            "value_headline"
        ]

    def _rows(self, headline, group_by):
        return {row["key"]: row for row in headline["tables"][group_by]["rows"]}

    def test_conversion_by_team_counts_the_leads_who_became_customers(self):
        rows = self._rows(self._headline(self.user), "team")
        # North: two leads, one customer; South: one lead, one customer.
        self.assertEqual(rows[self.north.id]["cells"]["conversion_rate"]["value"], 50)
        self.assertEqual(rows[self.south.id]["cells"]["conversion_rate"]["value"], 100)
        History = self.env["crm.lifecycle.history"].with_user(self.user)
        for team, converted in ((self.north, self.wins), (self.south, self.buys)):
            action = rows[team.id]["cells"]["conversion_rate"]["action"]
            stays = History.search(action["domain"])
            self.assertEqual(stays.partner_id, converted)
            self.assertTrue(stays.next_stage_id.is_customer)

    def test_conversion_by_month_is_that_of_the_leads_entered_in_it(self):
        rows = self._rows(self._headline(self.user), "month")
        entered = self._moment(-40).date().replace(day=1).isoformat()
        cell = rows[entered]["cells"]["conversion_rate"]
        self.assertAlmostEqual(cell["value"], 200 / 3)
        History = self.env["crm.lifecycle.history"].with_user(self.user)
        self.assertEqual(
            History.search(cell["action"]["domain"]).partner_id, self.wins | self.buys
        )
        for month, row in rows.items():
            if month != entered:
                self.assertIsNone(row["cells"]["conversion_rate"]["value"], month)

    def test_a_win_back_is_no_conversion(self):
        # The lead stays begun earlier than the period do not count either.
        lost = self._customer("Lost Teahouse", user_id=self.south.user_id.id)
        for day in (-500, -470, -440):
            self._order(lost, day)
        self._evaluate(lost, day=-430)
        self._evaluate(lost, day=-200)
        self._order(lost, -5)
        self._evaluate(lost)
        stages = self._history(lost).stage_to_id
        self.assertTrue(any(s.is_lost for s in stages), "lost, then won back")
        rows = self._rows(self._headline(self.user), "team")
        self.assertEqual(rows[self.south.id]["cells"]["conversion_rate"]["value"], 100)

    def test_no_conversion_by_tier(self):
        table = self._headline(self.user)["tables"]["tier"]
        self.assertNotIn("conversion_rate", [c["key"] for c in table["columns"]])
        team = self._headline(self.user)["tables"]["team"]
        column = next(c for c in team["columns"] if c["key"] == "conversion_rate")
        self.assertEqual(column["addon"], "crm_lifecycle")
