from datetime import timedelta

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import CrmValueCommon


@tagged("post_install", "-at_install")
class TestScorecard(CrmValueCommon):
    """The four-dimension customer scorecard (客户平衡计分卡): indicators as
    consultant data scoring snapshot columns, dimensions and a weighted total
    written each night, on the snapshot and the partner."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = cls.company._get_value_today()
        cls.Indicator = cls.env["crm.value.scorecard.indicator"]
        # The scorecard of this test only (shipped indicators and those of
        # other addons aside): known indicators, known weights.
        cls.Indicator.search([]).action_archive()
        cls.company.write(
            {
                "value_scorecard_weight_financial": 40.0,
                "value_scorecard_weight_market": 30.0,
                "value_scorecard_weight_management": 15.0,
                "value_scorecard_weight_learning": 15.0,
            }
        )
        cls.Indicator.create(
            [
                {
                    "name": "Profit",
                    "dimension": "financial",
                    "figure": "net_profit",
                    "company_id": cls.company.id,
                },
                {
                    "name": "Paying on time",
                    "dimension": "financial",
                    "figure": "avg_days_to_pay",
                    "direction": "lower",
                    "method": "target",
                    "target": 30.0,
                },
                {
                    "name": "Breadth",
                    "dimension": "market",
                    "figure": "categories_bought",
                },
                {
                    "name": "Adoption",
                    "dimension": "learning",
                    "figure": "categories_new",
                    "method": "target",
                    "target": 2.0,
                },
            ]
        )
        other_categ = cls.env["product.category"].create({"name": "Consulting"})
        cls.advice = cls.env["product.product"].create(
            {
                "name": "Advice",
                "type": "service",
                "categ_id": other_categ.id,
                "list_price": 50.0,
                "taxes_id": [Command.clear()],
            }
        )

    def _pay(self, invoice):
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"payment_date": self.today})._create_payments()

    def _invoice_on(self, customer, days_ago, amount, product=None):
        """A posted invoice of one `product` (the service) without an order."""
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": customer.id,
                "invoice_date": self.today - timedelta(days=days_ago),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": (product or self.service).id,
                            "quantity": 1,
                            "price_unit": amount,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        invoice.action_post()
        return invoice

    def _make_customers(self):
        """Amber: 100 invoiced 60 days ago, paid today (60 days to pay), one
        category. Basalt: 300 and 50 of a second category today, unpaid.
        Coral: 1,000 400 days ago (before the window: its category is not
        new), 200 10 days ago paid today (10 days to pay)."""
        amber, basalt, coral = (
            self._customer(name) for name in ("Amber", "Basalt", "Coral")
        )
        self._pay(self._invoice_on(amber, 60, 100.0))
        self._invoice_on(basalt, 0, 300.0)
        self._invoice_on(basalt, 0, 50.0, product=self.advice)
        self._invoice_on(coral, 400, 1000.0)
        self._pay(self._invoice_on(coral, 10, 200.0))
        return amber, basalt, coral

    def _night(self, customers, company=None):
        self.engine._recompute_queued(
            company or self.company, sorted(customers.ids), 0, batch_size=100
        )

    def test_known_figures_give_hand_computed_scores(self):
        amber, basalt, coral = self._make_customers()
        customers = amber | basalt | coral
        self._night(customers)
        self.assertFigures(amber, avg_days_to_pay=60.0, categories_new=1)
        self.assertFigures(basalt, categories_bought=2, categories_new=2)
        self.assertFigures(coral, avg_days_to_pay=10.0, categories_new=0)
        self.assertFalse(self._snapshot(basalt).avg_days_to_pay, "nothing paid")
        # Profit percentile (window: 100, 350, 200): 0, 100, 50. Days to pay
        # against 30, lower is better: 100 x 30 / 60 = 50, Basalt left out,
        # 100. Categories bought (1, 2, 1): ties share ranks 0 and 1: 25, 100,
        # 25. New categories against 2: 50, 100, 0. No management indicator.
        expected = {
            amber: (25.0, 25.0, 50.0, (40 * 25 + 30 * 25 + 15 * 50) / 85),
            basalt: (100.0, 100.0, 100.0, 100.0),
            coral: (75.0, 25.0, 0.0, (40 * 75 + 30 * 25 + 15 * 0) / 85),
        }
        for customer, (financial, market, learning, total) in expected.items():
            with self.subTest(customer=customer.name):
                self.assertFigures(
                    customer,
                    score_financial=financial,
                    score_market=market,
                    score_learning=learning,
                    score_total=total,
                )
                self.env.cr.execute(
                    "SELECT score_management FROM crm_value_snapshot"
                    " WHERE partner_id = %s AND is_current",
                    [customer.id],
                )
                self.assertIsNone(self.env.cr.fetchone()[0], "no management value")
                # shown on the partner to one decimal
                self.assertAlmostEqual(customer.value_score_total, total, delta=0.05)
                self.assertAlmostEqual(customer.value_score_market, market, delta=0.05)
        chart = coral.value_scorecard_chart
        self.assertEqual(len(chart["labels"]), 4)
        self.assertEqual(chart["series"][0]["data"], [75.0, 25.0, None, 0.0])
        self.assertEqual(
            chart["series"][1]["data"],
            [round((25 + 100 + 75) / 3, 1), 50.0, None, 50.0],
            "the company's average",
        )
        # Lists sort and filter on the mirrored scores, in SQL.
        Partner = self.env["res.partner"]
        self.assertEqual(
            Partner.search(
                [("id", "in", customers.ids)], order="value_score_total desc"
            ),
            basalt + coral + amber,
        )
        self.assertEqual(
            Partner.search(
                [("id", "in", customers.ids), ("value_score_financial", ">=", 75)]
            ),
            basalt + coral,
        )
        # Scoring the stored rows again finds the same scores.
        before = self._snapshot(amber).read(["score_total", "score_financial"])
        self.scoring._score_company(self.company)
        self.assertEqual(
            self._snapshot(amber).read(["score_total", "score_financial"]), before
        )

    def test_an_indicator_on_an_unknown_column_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "net_profit.*") as raised:
            self.Indicator.create(
                {"name": "Made up", "dimension": "market", "figure": "profit_next"}
            )
        message = str(raised.exception)
        self.assertIn("profit_next", message)
        self.assertIn("categories_bought", message, "the valid names listed")
        self.assertNotIn("score_total", message, "the scorecard's own scores")
        with self.assertRaises(ValidationError):
            self.Indicator.create(
                {"name": "A name", "dimension": "market", "figure": "partner_id"}
            )
        with self.assertRaisesRegex(ValidationError, "target"):
            self.Indicator.create(
                {
                    "name": "No target",
                    "dimension": "market",
                    "figure": "revenue",
                    "method": "target",
                }
            )

    def test_an_amount_is_never_scored_against_a_target(self):
        # 100 x profit / target read by users would tell them the profit.
        with self.assertRaisesRegex(ValidationError, "percentile"):
            self.Indicator.create(
                {
                    "name": "Profit against 10,000",
                    "dimension": "financial",
                    "figure": "net_profit",
                    "method": "target",
                    "target": 10000.0,
                }
            )
        by_rank = self.Indicator.create(
            {"name": "Profit rank", "dimension": "financial", "figure": "net_profit"}
        )
        with self.assertRaises(ValidationError):
            by_rank.write({"method": "target", "target": 10000.0})

    def test_an_indicator_of_another_company_is_ignored(self):
        other = self.env["res.company"].create({"name": "Elsewhere Ltd"})
        self.Indicator.create(
            {
                "name": "Elsewhere's growth",
                "dimension": "management",
                "figure": "revenue",
                "company_id": other.id,
            }
        )
        amber, basalt, coral = self._make_customers()
        self._night(amber | basalt | coral)
        self.env.cr.execute(
            "SELECT count(*) FROM crm_value_snapshot WHERE company_id = %s"
            " AND is_current AND score_management IS NOT NULL",
            [self.company.id],
        )
        self.assertEqual(self.env.cr.fetchone()[0], 0)
        self.assertFigures(basalt, score_total=100.0)

    def test_an_addon_indicator_on_its_own_figure_is_one_record(self):
        """A record on any numeric column (here a score, the lifetime value):
        read after this night's scores."""
        self.Indicator.create(
            {
                "name": "Lifetime value",
                "dimension": "management",
                "figure": "clv",
            }
        )
        amber, basalt, coral = self._make_customers()
        self._night(amber | basalt | coral)
        snapshots = {c: self._snapshot(c).sudo() for c in (amber, basalt, coral)}
        ranked = sorted(snapshots, key=lambda c: snapshots[c].clv)
        self.assertEqual(snapshots[ranked[0]].score_management, 0.0)
        self.assertEqual(snapshots[ranked[-1]].score_management, 100.0)

    def test_nightly_query_count_does_not_grow_with_customers(self):
        customers = self.env["res.partner"]
        for index in range(9):
            customer = self._customer(f"Bulk {index}")
            self._invoice_on(customer, index * 20, 100.0 + index)
            customers |= customer
        self._night(customers)  # first snapshots, the caches filled

        def queries(partners):
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            self._night(partners)
            self.env.flush_all()
            return self.cr.sql_log_count - before

        queries(customers[:2])
        self.assertEqual(queries(customers[:2]), queries(customers))

    def test_weights_are_settings_and_never_negative(self):
        self.env["res.config.settings"].create(
            {"value_scorecard_weight_market": 10.0}
        ).execute()
        self.assertEqual(self.company.value_scorecard_weight_market, 10.0)
        with self.assertRaises(ValidationError):
            self.company.value_scorecard_weight_learning = -1.0
        with self.assertRaises(ValidationError):
            self.company.write(
                {
                    f"value_scorecard_weight_{dimension}": 0.0
                    for dimension in ("financial", "market", "management", "learning")
                }
            )

    def test_users_read_indicators_managers_write_them(self):
        user = self.env["res.users"].create(
            {
                "name": "Value User",
                "login": "scorecard_value_user",
                "groups_id": [
                    Command.set(
                        [
                            self.env.ref("base.group_user").id,
                            self.env.ref("crm_value.group_crm_value_user").id,
                        ]
                    )
                ],
            }
        )
        indicators = self.Indicator.with_user(user).search([])
        self.assertTrue(indicators)
        self.assertTrue(indicators.mapped("figure"))
        with self.assertRaises(AccessError):
            indicators[:1].write({"weight": 5.0})
        with self.assertRaises(AccessError):
            indicators[:1].read(["target"])  # a target reveals amounts
