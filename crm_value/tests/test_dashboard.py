from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import CrmValueCommon

# Keys that carry amounts in the dashboard's answer: managers only.
AMOUNT_KEYS = {"profit", "profit_share", "total_profit", "clv", "points", "pareto"}


def keys_of(value):
    """Every dict key anywhere in a JSON-like value."""
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in keys_of(v)}
    if isinstance(value, list):
        return {k for v in value for k in keys_of(v)}
    return set()


def actions_of(value):
    """Every (figure, action) pair of the answer: a dict with both a count
    and the action listing what it counts."""
    if isinstance(value, dict):
        counted = "count" in value or "customer_count" in value
        found = [(value, value["action"])] if "action" in value and counted else []
        return found + [a for v in value.values() for a in actions_of(v)]
    if isinstance(value, list):
        return [a for v in value for a in actions_of(v)]
    return []


@tagged("post_install", "-at_install")
class TestDashboard(CrmValueCommon):
    """The dashboard's figures are the snapshots' stored figures of the
    current company, amounts for managers only, each opening its list."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env,
            login="cv_dash_manager",
            groups="crm_value.group_crm_value_manager",
            company_id=cls.company.id,
        )
        cls.user = new_test_user(
            cls.env,
            login="cv_dash_user",
            groups="crm_value.group_crm_value_user",
            company_id=cls.company.id,
        )
        cls.employee = new_test_user(
            cls.env, login="cv_dash_employee", groups="base.group_user"
        )
        today = cls.company._get_value_today()
        cls.customers = cls.env["res.partner"]
        for index, amount in enumerate(
            (5000.0, 3000.0, 1500.0, 1000.0, 800.0, 500.0, 300.0, 200.0, 100.0, 50.0)
        ):
            customer = cls._customer(f"Dashboard Customer {index}")
            cls.customers |= customer
            order = cls._sell(cls, customer, [(cls.service, 1, amount)])
            order.date_order = today
            cls._invoice(cls, order, today)
        cls.engine._recompute_partners(cls.company, cls.customers.ids)
        cls.scoring._refresh_company(cls.company)
        cls.snapshots = cls.env["crm.value.snapshot"].search(
            [("company_id", "=", cls.company.id), ("is_current", "=", True)]
        )

    def _data(self, user, period=12, company=None):
        company = company or self.company
        env = self.env(user=user, context={"allowed_company_ids": [company.id]})
        return env["crm.value.dashboard"].get_dashboard_data(period)

    def test_pyramid_shows_the_snapshots_tiers_and_profit(self):
        self.assertEqual(len(self.snapshots), 10, "only this test's customers")
        data = self._data(self.manager)
        pyramid = data["sections"]["pyramid"]
        self.assertEqual(pyramid["customer_count"], 10)
        positive = sum(s.net_profit for s in self.snapshots if s.net_profit > 0)
        for tier in pyramid["tiers"]:
            ranked = self.snapshots.filtered(lambda s, t=tier: s.tier_id.id == t["id"])
            self.assertEqual(tier["count"], len(ranked), tier["code"])
            profit = sum(ranked.mapped("net_profit"))
            self.assertAlmostEqual(tier["profit"], profit, places=2)
            self.assertAlmostEqual(tier["profit_share"], 100 * profit / positive, 6)
        self.assertEqual(
            [t["code"] for t in pyramid["tiers"]],
            ["platinum", "gold", "iron", "lead"],
            "top of the pyramid first",
        )
        self.assertGreater(pyramid["tiers"][0]["count"], 0)
        # Every customer is new in the pyramid today: one "new" move each.
        self.assertEqual(sum(t["moves"]["new"]["count"] for t in pyramid["tiers"]), 10)

    def test_pareto_crosses_80_percent_where_the_ranked_profits_do(self):
        data = self._data(self.manager)
        pareto = data["sections"]["pareto"]
        profits = sorted(
            (s.net_profit for s in self.snapshots if s.net_profit > 0), reverse=True
        )
        running, crossing = 0.0, None
        for rank, profit in enumerate(profits, 1):
            running += profit
            if crossing is None and running >= 0.8 * sum(profits):
                crossing = (rank, 100.0 * running / sum(profits))
        self.assertEqual(pareto["customer_count"], len(profits))
        self.assertAlmostEqual(pareto["total_profit"], sum(profits), places=2)
        self.assertEqual(pareto["crossing"]["customer_count"], crossing[0])
        self.assertAlmostEqual(
            pareto["crossing"]["customer_share"], 100.0 * crossing[0] / len(profits)
        )
        self.assertAlmostEqual(pareto["crossing"]["profit_share"], crossing[1])
        self.assertEqual(pareto["points"][0], [0.0, 0.0])
        self.assertAlmostEqual(pareto["points"][-1][0], 100.0)
        self.assertAlmostEqual(pareto["points"][-1][1], 100.0)
        shares = [y for _x, y in pareto["points"]]
        self.assertEqual(shares, sorted(shares), "a cumulative curve never falls")

    def test_matrix_counts_the_snapshots_quadrants(self):
        data = self._data(self.manager)
        quadrants = data["sections"]["matrix"]["quadrants"]
        self.assertEqual(
            [q["key"] for q in quadrants], ["strategic", "maintain", "develop", "low"]
        )
        for quadrant in quadrants:
            matching = self.snapshots.filtered(
                lambda s, q=quadrant: s.quadrant == q["key"]
            )
            self.assertEqual(quadrant["count"], len(matching), quadrant["key"])
            self.assertAlmostEqual(
                quadrant["profit"], sum(matching.mapped("net_profit")), places=2
            )
        self.assertEqual(
            sum(q["count"] for q in quadrants),
            len(self.snapshots.filtered("quadrant")),
        )

    def test_user_gets_counts_and_no_amount(self):
        managers = self._data(self.manager)
        users = self._data(self.user)
        self.assertFalse(users["show_amounts"])
        self.assertTrue(managers["show_amounts"])
        self.assertFalse(AMOUNT_KEYS & keys_of(users), "no amount for a user")
        self.assertNotIn("pareto", users["sections"])
        self.assertEqual(
            [t["count"] for t in users["sections"]["pyramid"]["tiers"]],
            [t["count"] for t in managers["sections"]["pyramid"]["tiers"]],
        )
        self.assertEqual(
            [q["count"] for q in users["sections"]["matrix"]["quadrants"]],
            [q["count"] for q in managers["sections"]["matrix"]["quadrants"]],
        )

    def test_only_customer_value_users_open_the_dashboard(self):
        with self.assertRaises(AccessError):
            self._data(self.employee, company=self.employee.company_id)

    def test_period_is_one_the_dashboard_offers(self):
        with self.assertRaises(UserError):
            self._data(self.manager, period=7)
        data = self._data(self.manager, period=3)
        self.assertEqual(data["period_months"], 3)
        today = self.company._get_value_today()
        self.assertEqual(data["date_to"], today.isoformat())
        self.assertEqual(data["date_from"][8:], "01", "whole calendar months")

    def test_another_company_shows_its_own_customers(self):
        other = self.setup_other_company()["company"]
        self.manager.company_ids |= other
        data = self._data(self.manager, company=other)
        self.assertEqual(data["company"]["id"], other.id)
        self.assertEqual(data["sections"]["pyramid"]["customer_count"], 0)
        self.assertEqual(data["sections"]["pareto"]["customer_count"], 0)
        self.assertEqual(
            sum(q["count"] for q in data["sections"]["matrix"]["quadrants"]), 0
        )

    def test_each_figure_opens_the_list_of_what_it_counts(self):
        for user in (self.manager, self.user):
            data = self._data(user)
            env = self.env(
                user=user, context={"allowed_company_ids": [self.company.id]}
            )
            figures = actions_of(data["sections"])
            self.assertGreater(len(figures), 10)
            for figure, action in figures:
                with self.subTest(user=user.login, action=action["name"]):
                    self.assertEqual(action["type"], "ir.actions.act_window")
                    self.assertEqual(action["context"], {}, "no default filter")
                    self.assertNotIn("id", action)
                    records = env[action["res_model"]].search_count(action["domain"])
                    expected = figure.get("count", figure.get("customer_count"))
                    self.assertEqual(records, expected)
