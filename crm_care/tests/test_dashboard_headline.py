from datetime import timedelta

from odoo import Command
from odoo.tests import new_test_user, tagged

from odoo.addons.crm_value.analytics.loyalty import FULL_TENURE_MONTHS
from odoo.addons.crm_value.models.crm_value_dashboard import DAYS_PER_MONTH

from .common import CrmCareCommon

# The NPS value of a score: promoter, passive, detractor.
NPS = {10: 100, 9: 100, 8: 0, 7: 0, 3: -100}


@tagged("post_install", "-at_install")
class TestDashboardHeadlineSatisfaction(CrmCareCommon):
    """The headline satisfaction (CSAT, NPS of the survey answers, as the
    satisfaction tile) and the loyalty index (tenure, repeat rate and NPS)
    per tier, sales team and month."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["mail.activity.plan"].search(
            [("care_trigger", "!=", False)]
        ).active = False
        cls.manager = new_test_user(
            cls.env,
            login="care_headline_manager",
            groups="crm_value.group_crm_value_manager,survey.group_survey_user",
            company_id=cls.company.id,
        )
        # A customer's team is their salesperson's.
        cls.north = cls._team("North", "care_headline_north")
        cls.south = cls._team("South", "care_headline_south")
        cls.jasmine = cls._customer("Jasmine House", user_id=cls.north.user_id.id)
        cls.pebble = cls._customer("Pebble Shop", user_id=cls.south.user_id.id)
        cls.customer.user_id = cls.north.user_id
        # Days before today of each customer's purchases.
        cls.purchases = {
            cls.customer: (400, 0),
            cls.jasmine: (100,),
            cls.pebble: (200, 0),
        }
        for customer, days in cls.purchases.items():
            for day in days:
                cls._buy(customer, cls.today - timedelta(days=day), 800.0)
        cls._recompute(cls, *cls.purchases)
        nps, csat = (
            cls.env.ref("crm_care.survey_nps"),
            cls.env.ref("crm_care.survey_csat"),
        )
        contact = cls.env["res.partner"].create(
            {"name": "Ms Wu", "parent_id": cls.customer.id}
        )
        cls.answers = {
            "nps": {cls.customer: [10, 9], cls.jasmine: [3], cls.pebble: [8]},
            "csat": {cls.customer: [5], cls.jasmine: [4], cls.pebble: [2]},
        }
        for kind, survey in (("nps", nps), ("csat", csat)):
            for customer, scores in cls.answers[kind].items():
                for score in scores:
                    cls._answer(
                        survey, score, contact if customer == cls.customer else customer
                    )

    @classmethod
    def _buy(cls, customer, date, amount):
        """A service order confirmed on `date` and invoiced (a real flow)."""
        order = cls._sell(cls, customer, [(cls.service, 1, amount)])
        order.date_order = date
        cls._invoice(cls, order, date)

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

    @classmethod
    def _answer(cls, survey, score, partner):
        answer = survey.sudo()._create_answer(partner=partner, check_attempts=False)
        for question in survey.question_ids:
            if question.question_type == "scale":
                answer._save_lines(question, str(score))
        answer._mark_done()
        return answer

    def _headline(self, user):
        env = self.env(user=user, context={"allowed_company_ids": [self.company.id]})
        return env["crm.value.dashboard"].get_dashboard_data(12)["sections"][
            "value_headline"
        ]

    def _rows(self, group_by, user=None):
        table = self._headline(user or self.manager)["tables"][group_by]
        return {row["key"]: row["cells"] for row in table["rows"]}

    def _expected(self, answering, buying):
        """By hand: CSAT and NPS of the answers of `answering`, tenure and
        repeat rate of `buying`, and the loyalty index of the three."""
        nps = [NPS[s] for c in answering for s in self.answers["nps"].get(c, [])]
        csat = [s for c in answering for s in self.answers["csat"].get(c, [])]
        days = [self.purchases[c] for c in buying]
        tenure = sum(max(d) for d in days) / len(days) / DAYS_PER_MONTH
        repeat = 100.0 * sum(len(d) > 1 for d in days) / len(days)
        value = sum(nps) / len(nps)
        tenure_part = 100.0 * min(tenure / FULL_TENURE_MONTHS, 1.0)
        return {
            "nps": value,
            "csat": sum(csat) / len(csat),
            "loyalty_index": (tenure_part + repeat + (value + 100) / 2) / 3,
        }

    def assertCells(self, cells, expected):
        for key, value in expected.items():
            self.assertAlmostEqual(cells[key]["value"], value, msg=key)

    def test_satisfaction_and_loyalty_by_team(self):
        rows = self._rows("team")
        north = [self.customer, self.jasmine]
        self.assertCells(rows[self.north.id], self._expected(north, north))
        # North: NPS (100 + 100 - 100) / 3, CSAT 4.5.
        self.assertAlmostEqual(rows[self.north.id]["nps"]["value"], 100 / 3)
        self.assertAlmostEqual(rows[self.north.id]["csat"]["value"], 4.5)
        self.assertCells(
            rows[self.south.id], self._expected([self.pebble], [self.pebble])
        )
        # South: 200 days (not full), always back, NPS 0.
        loyalty = (100 * 200 / DAYS_PER_MONTH / 36 + 100 + 50) / 3
        self.assertAlmostEqual(rows[self.south.id]["loyalty_index"]["value"], loyalty)

    def test_satisfaction_and_loyalty_by_tier(self):
        rows = self._rows("tier")
        snapshots = {c: self._snapshot(c) for c in self.purchases}
        tiers = {s.tier_id for s in snapshots.values()}
        self.assertGreater(len(tiers), 1)
        for tier in tiers:
            customers = [c for c, s in snapshots.items() if s.tier_id == tier]
            with self.subTest(tier=tier.name):
                self.assertCells(rows[tier.id], self._expected(customers, customers))

    def test_satisfaction_by_month_is_that_of_the_answers_given_in_it(self):
        rows = self._rows("month")
        month = self.today.replace(day=1)
        buying = [
            c
            for c, days in self.purchases.items()
            if any(
                (self.today - timedelta(days=d)).replace(day=1) == month for d in days
            )
        ]
        self.assertTrue(buying)
        expected = self._expected(list(self.purchases), buying)
        self.assertCells(rows[month.isoformat()], expected)
        # NPS of this month: (100 + 100 - 100 + 0) / 4, as the satisfaction tile.
        self.assertAlmostEqual(rows[month.isoformat()]["nps"]["value"], 25)
        # The satisfaction tile's figure of the month.
        env = self.env(user=self.manager)
        tile = env["crm.value.dashboard"].get_dashboard_data(12)["sections"]
        self.assertAlmostEqual(tile["care_satisfaction"]["nps"]["values"][-1], 25)

    def test_each_satisfaction_cell_lists_the_answers_it_averages(self):
        Answer = self.env(user=self.manager)["survey.user_input"]
        for group_by in ("tier", "team", "month"):
            for cells in self._rows(group_by).values():
                for kind, field in (("nps", "care_nps_value"), ("csat", "care_score")):
                    cell = cells[kind]
                    if cell["value"] is None:
                        self.assertNotIn("action", cell)
                        continue
                    with self.subTest(group_by=group_by, kind=kind):
                        answers = Answer.search(cell["action"]["domain"])
                        values = answers.mapped(field)
                        self.assertAlmostEqual(sum(values) / len(values), cell["value"])

    def test_no_satisfaction_column_without_access_to_the_answers(self):
        for table in self._headline(self.rep)["tables"].values():
            keys = [c["key"] for c in table["columns"]]
            self.assertNotIn("nps", keys)
            self.assertNotIn("loyalty_index", keys)
            self.assertIn("repeat_rate", keys, "the purchases' loyalty part")
        columns = self._headline(self.manager)["tables"]["tier"]["columns"]
        addons = {c["key"]: c["addon"] for c in columns}
        self.assertEqual(addons["nps"], "crm_care")
        self.assertEqual(addons["loyalty_index"], "crm_care")
        self.assertEqual(
            [c["figure"] for c in columns][1:],
            ["satisfaction", "satisfaction", "loyalty", "loyalty", "loyalty", "value"],
        )
