from datetime import timedelta

from odoo.tests import tagged

from .common import CrmLifecycleCommon


@tagged("post_install", "-at_install")
class TestLifecycleReports(CrmLifecycleCommon):
    """Conversion in percent, the funnel in stage order, the churn pivot's
    stock figures never added up."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customers = [cls._customer(f"Funnel {i}") for i in range(4)]
        History = cls.env["crm.lifecycle.history"]
        no_rule, no_user = cls.env["crm.lifecycle.rule"], cls.env["res.users"]
        start = cls.env.cr.now().replace(microsecond=0) - timedelta(days=60)
        # Four collected names become new customers; three of them become
        # active, one goes at risk.
        History._record_moves(
            cls.company,
            {
                c.id: [
                    (
                        cls.stage_reserve.browse(),
                        cls.stage_reserve,
                        no_rule,
                        no_user,
                        None,
                    )
                ]
                for c in cls.customers
            },
            start,
        )
        History._record_moves(
            cls.company,
            {
                c.id: [(cls.stage_reserve, cls.stage_new, no_rule, no_user, None)]
                for c in cls.customers
            },
            start + timedelta(days=10),
        )
        History._record_moves(
            cls.company,
            {
                c.id: [(cls.stage_new, stage, no_rule, no_user, None)]
                for c, stage in zip(
                    cls.customers,
                    [cls.stage_active] * 3 + [cls.stage_at_risk],
                    strict=True,
                )
            },
            start + timedelta(days=20),
        )

    def test_stage_conversion_in_percent_of_the_stage(self):
        History = self.env["crm.lifecycle.history"]
        self.assertEqual(
            History.fields_get(["conversion_percent"], ["aggregator"]),
            {"conversion_percent": {"aggregator": "sum"}},
        )
        groups = History.read_group(
            [("company_id", "=", self.company.id), ("date_end", "!=", False)],
            ["conversion_percent:sum"],
            ["stage_to_id", "next_stage_id"],
            lazy=False,
        )
        percent = {
            (g["stage_to_id"][1], g["next_stage_id"][1]): g["conversion_percent"]
            for g in groups
        }
        self.assertEqual(
            percent,
            {
                ("Reserve", "New Customer"): 100.0,
                ("New Customer", "Active Customer"): 75.0,
                ("New Customer", "At Risk"): 25.0,
            },
        )
        # A stage's own row is all of it.
        rows = History.read_group(
            [("company_id", "=", self.company.id), ("date_end", "!=", False)],
            ["conversion_percent:sum"],
            ["stage_to_id"],
            lazy=False,
        )
        self.assertEqual({g["conversion_percent"] for g in rows}, {100.0})

    def test_funnel_counts_who_reached_each_stage_in_stage_order(self):
        steps = self.env["crm.lifecycle.funnel.report"].search(
            [("company_id", "=", self.company.id)]
        )
        self.assertEqual(
            [(s.stage_id.code, s.reached_count) for s in steps],
            [
                ("reserve", 4),
                ("target", 4),
                ("potential", 4),
                ("opportunity", 4),
                ("new", 4),
                ("active", 3),
                ("loyal", 0),
            ],
        )
        rates = {s.stage_id.code: s.conversion_rate for s in steps}
        self.assertEqual((rates["new"], rates["active"], rates["loyal"]), (100, 75, 0))

    def test_churn_pivot_never_adds_up_customers_at_start_of_month(self):
        Report = self.env["crm.lifecycle.churn.report"]
        aggregators = Report.fields_get(
            ["customer_count", "lost_count", "churned_count"], ["aggregator"]
        )
        self.assertEqual(aggregators["customer_count"]["aggregator"], "avg")
        self.assertEqual(aggregators["lost_count"]["aggregator"], "avg")
        self.assertEqual(aggregators["churned_count"]["aggregator"], "sum")
        months = Report.search([("company_id", "=", self.company.id)])
        (year,) = Report.read_group(
            [("id", "in", months.ids)], ["customer_count"], [], lazy=False
        )
        counts = months.mapped("customer_count")
        self.assertNotEqual(sum(counts), counts[0] * len(counts), "counts vary")
        self.assertAlmostEqual(year["customer_count"], sum(counts) / len(counts))
