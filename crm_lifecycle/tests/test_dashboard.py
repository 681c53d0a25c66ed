from odoo.tests import new_test_user, tagged

from .common import CrmLifecycleCommon


@tagged("post_install", "-at_install")
class TestLifecycleDashboard(CrmLifecycleCommon):
    """The lifecycle tiles: the funnel's customers and conversion rates from
    the stage history, churn and win-back from the churn report, and the
    customers at risk with their lifetime value for managers only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env,
            login="lc_dash_manager",
            groups="crm_value.group_crm_value_manager",
            company_id=cls.company.id,
        )
        cls.user = new_test_user(
            cls.env,
            login="lc_dash_user",
            groups="crm_value.group_crm_value_user",
            company_id=cls.company.id,
        )

    def setUp(self):
        super().setUp()
        # Lost, then won back: reserve, new, active, at risk, lost, active.
        self.comeback = self._customer("Comeback Trader")
        for day in (-300, -270, -240):
            self._order(self.comeback, day)
        self._evaluate(self.comeback, day=-235)
        self._evaluate(self.comeback, day=-140)
        self._evaluate(self.comeback, day=-50)
        self._order(self.comeback, -10)
        self._evaluate(self.comeback)
        # Silent for 140 days after ordering every 30: at risk today.
        self.quiet = self._customer("Quiet Trader")
        for day in (-200, -170, -140):
            self._order(self.quiet, day)
        self._evaluate(self.quiet)
        self.assertEqual(self.quiet.lifecycle_stage_id, self.stage_at_risk)
        self.assertPath(self.quiet, ["reserve", "new", "at_risk"])
        self.assertPath(
            self.comeback, ["reserve", "new", "active", "at_risk", "lost", "active"]
        )
        customers = self.comeback | self.quiet
        self.engine._recompute_partners(self.company, customers.ids)
        self.scoring._refresh_company(self.company)
        self.env.flush_all()

    def _sections(self, user):
        env = self.env(user=user, context={"allowed_company_ids": [self.company.id]})
        return env["crm.value.dashboard"].get_dashboard_data(12)["sections"]

    def test_funnel_counts_stages_and_converts_from_the_history(self):
        funnel = {
            s["code"]: s
            for s in self._sections(self.user)["lifecycle_funnel"]["stages"]
        }
        self.assertNotIn("at_risk", funnel, "the funnel runs from reserve to loyal")
        self.assertNotIn("lost", funnel)
        History = self.env["crm.lifecycle.history"]
        Partner = self.env["res.partner"].with_company(self.company)
        for code, stage in funnel.items():
            moves = History.search(
                [
                    ("company_id", "=", self.company.id),
                    ("stage_to_id", "=", stage["id"]),
                ]
            )
            self.assertEqual(stage["entered"], len(moves), code)
            self.assertEqual(
                stage["count"],
                Partner.search_count(
                    [
                        ("parent_id", "=", False),
                        ("lifecycle_stage_id", "=", stage["id"]),
                    ]
                ),
                code,
            )
        # Both customers entered new; one went on to active, the other
        # straight to at risk (not a later stage of the funnel): 50%.
        self.assertEqual(funnel["new"]["entered"], 2)
        self.assertEqual(funnel["new"]["advanced"], 1)
        self.assertEqual(funnel["new"]["conversion_rate"], 50.0)
        # Active twice for the comeback (before and after being lost), left
        # once for at risk: entered twice, never moved on to loyal.
        self.assertEqual(funnel["active"]["entered"], 2)
        self.assertEqual(funnel["active"]["advanced"], 0)
        self.assertEqual(funnel["active"]["conversion_rate"], 0.0)
        self.assertEqual(funnel["active"]["count"], 1)
        self.assertIsNone(funnel["loyal"]["conversion_rate"], "nobody entered")

    def test_churn_and_win_back_are_the_churn_report_rows(self):
        churn = self._sections(self.user)["lifecycle_churn"]
        rows = self.env["crm.lifecycle.churn.report"].search(
            [("company_id", "=", self.company.id)], order="month"
        )
        shown = {m["month"]: m for m in churn["months"]}
        for row in rows.filtered(lambda r: r.month.isoformat() in shown):
            month = shown[row.month.isoformat()]
            self.assertAlmostEqual(month["churn_rate"], row.churn_rate)
            self.assertAlmostEqual(month["win_back_rate"], row.win_back_rate)
            self.assertEqual(month["customer_count"], row.customer_count)
        self.assertEqual(churn["churned_count"], 1)
        self.assertEqual(churn["won_back_count"], 1)

    def test_at_risk_shows_lifetime_value_to_managers_only(self):
        snapshot = self.env["crm.value.snapshot"].search(
            [
                ("partner_id", "=", self.quiet.id),
                ("company_id", "=", self.company.id),
                ("is_current", "=", True),
            ]
        )
        managers = self._sections(self.manager)["lifecycle_at_risk"]
        self.assertEqual(managers["count"], 1)
        self.assertEqual(managers["customers"][0]["name"], "Quiet Trader")
        self.assertAlmostEqual(managers["clv"], snapshot.clv, places=2)
        self.assertAlmostEqual(managers["customers"][0]["clv"], snapshot.clv, places=2)
        users = self._sections(self.user)["lifecycle_at_risk"]
        self.assertEqual(users["count"], 1)
        self.assertNotIn("clv", users)
        self.assertNotIn("clv", users["customers"][0])
