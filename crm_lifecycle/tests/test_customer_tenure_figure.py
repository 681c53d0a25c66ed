from odoo.tests import tagged

from .common import CrmLifecycleCommon

SOURCE = "crm.value.figure.customer.tenure"


@tagged("post_install", "-at_install")
class TestCustomerTenureFigure(CrmLifecycleCommon):
    """How long the customer has been one without a break, on the value
    snapshot: the scorecard's measure of a relationship's maturity."""

    def _figures(self, *customers):
        return self.engine._compute_figures(self.company, [c.id for c in customers])

    def test_a_customer_since_the_first_classification_counts_from_the_first_sale(
        self,
    ):
        veteran = self._customer("Old Tea House")
        for day in (-300, -270, -240):
            self._order(veteran, day)
        self._evaluate(veteran, day=-235)
        self.assertEqual(veteran.lifecycle_stage_id, self.stage_active)
        self._recompute(veteran)
        # 300 days since the first sale: 9 whole months, whatever the month.
        self.assertFigures(veteran, customer_tenure_months=9)
        self.assertEqual(veteran.value_customer_tenure_months, 9)

    def test_a_win_back_starts_the_tenure_again_and_a_loss_ends_it(self):
        returning = self._customer("Quiet Trader")
        for day in (-400, -370, -340):
            self._order(returning, day)
        self._evaluate(returning, day=-335)
        self._evaluate(returning, day=-250)  # at risk: still a customer
        self._evaluate(returning, day=-150)
        self.assertEqual(returning.lifecycle_stage_id, self.stage_lost)
        self._recompute(returning)
        self.assertFigures(returning, customer_tenure_months=0)

        self._order(returning, -100)
        self._evaluate(returning, day=-95)
        self.assertTrue(returning.lifecycle_stage_id.is_customer)
        self._recompute(returning)
        # Since the win-back 95 days ago (3 whole months), not the first sale.
        self.assertFigures(returning, customer_tenure_months=3)

    def test_a_prospect_has_no_tenure(self):
        prospect = self._customer("Maybe Ltd")
        self._evaluate(prospect)
        self.assertFalse(prospect.lifecycle_stage_id.is_customer)
        figures = self._figures(prospect)[prospect.id]
        self.assertEqual(figures["customer_tenure_months"], 0)
        self.assertNotIn("lifecycle_run_start", figures)

    def test_one_query_whatever_the_customers(self):
        customers = self.env["res.partner"]
        for name in ("Alpha Tea", "Beta Tea", "Gamma Tea"):
            customer = self._customer(name)
            self._order(customer, -45)
            customers |= customer
        self._evaluate(*customers, day=-40)

        def queries(partners):
            scope = self.engine._get_figure_scope(self.company, partners.ids)
            self.env.flush_all()
            before = self.env.cr.sql_log_count
            self.env[SOURCE]._get_figures(scope)
            return self.env.cr.sql_log_count - before

        self.assertEqual(queries(customers[:1]), 1)
        self.assertEqual(queries(customers), 1)
        figures = self._figures(*customers)
        # 45 days since the first sale: 1 whole month, whatever the month.
        self.assertEqual(
            [figures[c.id]["customer_tenure_months"] for c in customers], [1, 1, 1]
        )
