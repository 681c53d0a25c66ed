from datetime import timedelta

from odoo import Command
from odoo.tests import new_test_user, tagged

from ..models.crm_value_dashboard import DAYS_PER_MONTH
from .common import CrmValueCommon


@tagged("post_install", "-at_install")
class TestDashboardHeadline(CrmValueCommon):
    """The headline figures crm_value gives, per tier, sales team and month:
    customers, average tenure, repeat rate, and for managers the average
    lifetime value, each cell opening the customers it counts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env,
            login="cv_headline_manager",
            groups="crm_value.group_crm_value_manager",
            company_id=cls.company.id,
        )
        cls.salesman = new_test_user(
            cls.env,
            login="cv_headline_salesman",
            groups="sales_team.group_sale_salesman",
            company_id=cls.company.id,
        )
        cls.today = cls.company._get_value_today()
        # A customer's team is their salesperson's.
        cls.team_north, cls.team_south = (
            cls._team(cls, "North", "cv_headline_north"),
            cls._team(cls, "South", "cv_headline_south"),
        )
        # Who bought when (days before today): the hand computation below.
        cls.purchases = {
            "Tea House": (cls.team_north, (400, 10)),
            "Noodle Bar": (cls.team_north, (100,)),
            "Rice Shop": (cls.team_south, (200, 20)),
            "Dumpling Stall": (None, (5,)),
        }
        cls.customers = {}
        for name, (team, days) in cls.purchases.items():
            customer = cls._customer(name, user_id=team.user_id.id if team else False)
            cls.customers[name] = customer
            for day in days:
                cls._buy(customer, cls.today - timedelta(days=day), 1000.0)
        cls._recompute(cls, *cls.customers.values())
        cls.snapshots = {
            name: cls._snapshot(cls, customer)
            for name, customer in cls.customers.items()
        }

    @classmethod
    def _buy(cls, customer, date, amount):
        """A service order confirmed on `date` and invoiced (a real flow)."""
        order = cls._sell(cls, customer, [(cls.service, 1, amount)])
        order.date_order = date
        cls._invoice(cls, order, date)

    def _team(self, name, login):
        """A sales team and its one salesperson (its leader)."""
        salesperson = new_test_user(
            self.env,
            login=login,
            groups="sales_team.group_sale_salesman",
            company_id=self.company.id,
        )
        return self.env["crm.team"].create(
            {
                "name": name,
                "company_id": self.company.id,
                "user_id": salesperson.id,
                "member_ids": [Command.link(salesperson.id)],
            }
        )

    def _headline(self, user):
        env = self.env(user=user, context={"allowed_company_ids": [self.company.id]})
        return env["crm.value.dashboard"].get_dashboard_data(12)["sections"][
            "value_headline"
        ]

    def _expected(self, names):
        """The figures of these customers, computed by hand from their
        purchases."""
        days = [self.purchases[name][1] for name in names]
        return {
            "customer_count": len(names),
            "tenure_months": sum(max(d) for d in days) / len(days) / DAYS_PER_MONTH,
            "repeat_rate": 100.0 * sum(len(d) >= 2 for d in days) / len(days),
            "clv": sum(self.snapshots[name].clv for name in names) / len(names),
        }

    def _rows(self, headline, group_by):
        return {row["key"]: row for row in headline["tables"][group_by]["rows"]}

    def assertRow(self, row, names, amounts=True):
        expected = self._expected(names)
        cells = row["cells"]
        self.assertEqual(cells["customer_count"]["count"], expected["customer_count"])
        self.assertAlmostEqual(
            cells["tenure_months"]["value"], expected["tenure_months"], places=6
        )
        self.assertAlmostEqual(cells["repeat_rate"]["value"], expected["repeat_rate"])
        if amounts:
            self.assertAlmostEqual(cells["clv"]["value"], expected["clv"], places=2)
        else:
            self.assertNotIn("clv", cells)

    def test_figures_by_team_are_the_customers_of_the_team(self):
        self.assertTrue(all(s.clv for s in self.snapshots.values()), "CLV computed")
        rows = self._rows(self._headline(self.manager), "team")
        self.assertRow(rows[self.team_north.id], ["Tea House", "Noodle Bar"])
        self.assertRow(rows[self.team_south.id], ["Rice Shop"])
        self.assertRow(rows[False], ["Dumpling Stall"])
        self.assertEqual(
            [row["name"] for row in rows.values()], ["North", "South", "No sales team"]
        )
        # 2 orders of 2 customers: a repeat rate of 50%.
        self.assertEqual(rows[self.team_north.id]["cells"]["repeat_rate"]["value"], 50)

    def test_figures_by_tier_are_the_customers_of_the_tier(self):
        rows = self._rows(self._headline(self.manager), "tier")
        tiers = self.env["crm.value.tier"]._get_company_tiers(self.company)
        self.assertEqual(list(rows)[: len(tiers)], tiers.ids, "the pyramid's order")
        for tier in tiers:
            names = [n for n, s in self.snapshots.items() if s.tier_id == tier]
            if names:
                self.assertRow(rows[tier.id], names)
            else:
                self.assertEqual(rows[tier.id]["cells"]["customer_count"]["count"], 0)
                self.assertIsNone(rows[tier.id]["cells"]["tenure_months"]["value"])

    def test_figures_by_month_are_the_customers_who_bought_in_it(self):
        rows = self._rows(self._headline(self.manager), "month")
        first = self.today.replace(day=1)
        months = [first.replace(year=first.year - 1, month=first.month)]
        self.assertEqual(len(rows), 12, "the period's twelve months")
        self.assertEqual(list(rows)[-1], first.isoformat())
        self.assertNotIn(months[0].isoformat(), rows, "before the period")
        bought = {}
        for name, (_team, days) in self.purchases.items():
            for day in days:
                month = (self.today - timedelta(days=day)).replace(day=1)
                if month.isoformat() in rows:
                    bought.setdefault(month.isoformat(), set()).add(name)
        self.assertTrue(bought)
        for month, row in rows.items():
            if month in bought:
                self.assertRow(row, sorted(bought[month]))
            else:
                self.assertEqual(row["cells"]["customer_count"]["count"], 0)

    def test_salesman_sees_no_amount(self):
        headline = self._headline(self.salesman)
        for group_by, table in headline["tables"].items():
            self.assertNotIn("clv", [c["key"] for c in table["columns"]], group_by)
            for row in table["rows"]:
                self.assertNotIn("clv", row["cells"])
        rows = self._rows(headline, "team")
        self.assertRow(rows[self.team_north.id], ["Tea House", "Noodle Bar"], False)
        env = self.env(user=self.salesman)
        metrics = env["crm.value.dashboard"]._get_headline_metrics(
            self.company, "tier", self.today.replace(day=1), self.today
        )
        self.assertFalse(any("clv" in values for values in metrics.values()))

    def test_columns_are_those_of_the_installed_addons(self):
        installed = set(
            self.env["ir.module.module"]
            .search([("state", "=", "installed")])
            .mapped("name")
        )
        headline = self._headline(self.manager)
        self.assertEqual(
            [g["key"] for g in headline["groupings"]], ["tier", "team", "month"]
        )
        for group_by, table in headline["tables"].items():
            keys = [column["key"] for column in table["columns"]]
            self.assertEqual(
                [k for k in keys if k in self._expected(["Rice Shop"])],
                ["customer_count", "tenure_months", "repeat_rate", "clv"],
                group_by,
            )
            self.assertLessEqual({c["addon"] for c in table["columns"]}, installed)
            for row in table["rows"]:
                self.assertEqual(list(row["cells"]), keys, "a cell per column")

    def test_each_cell_opens_the_customers_it_counts(self):
        env = self.env(user=self.manager)
        repeat = {name for name, (_t, days) in self.purchases.items() if len(days) > 1}
        for group_by, table in self._headline(self.manager)["tables"].items():
            for row in table["rows"]:
                cells = row["cells"]
                with self.subTest(group_by=group_by, group=row["name"]):
                    action = cells["customer_count"]["action"]
                    shown = env[action["res_model"]].search(action["domain"])
                    self.assertEqual(len(shown), cells["customer_count"]["count"])
                    action = cells["repeat_rate"]["action"]
                    repeaters = env[action["res_model"]].search(action["domain"])
                    self.assertLessEqual(repeaters, shown)
                    self.assertEqual(
                        set(repeaters.partner_id.mapped("name")),
                        repeat & set(shown.partner_id.mapped("name")),
                    )

    def test_queries_do_not_grow_with_the_customers(self):
        Dashboard = self.env(user=self.manager)["crm.value.dashboard"]
        date_from = self.today.replace(day=1)
        Dashboard._get_dashboard_headline(self.company, date_from, self.today)

        def count_queries():
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            Dashboard._get_dashboard_headline(self.company, date_from, self.today)
            return self.env.cr.sql_log_count - before

        queries = count_queries()
        more = [
            self._customer(f"Tea Trader {index}", user_id=self.team_south.user_id.id)
            for index in range(5)
        ]
        for customer in more:
            self._order_on(customer, self.today, 500.0)
        self._recompute(*more)
        self.assertEqual(count_queries(), queries)
