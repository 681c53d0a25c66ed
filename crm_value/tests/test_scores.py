from datetime import timedelta

import numpy

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import CrmValueCommon, search_defaults_domain


@tagged("post_install", "-at_install")
class TestCustomerScores(CrmValueCommon):
    """RFM, predicted value, value matrix and vector on real orders."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["crm.value.snapshot"].search([]).unlink()
        cls.today = cls.company._get_value_today()
        cls.service.standard_price = 30.0

    def _history(self):
        """Eight customers: frequent and recent, frequent but gone quiet,
        one-off buyers, and a loss-making regular."""
        day = self.today
        plans = {
            "Daily Dumplings": [5, 35, 65, 95, 125, 155, 185],
            "Weekly Noodles": [10, 40, 70, 100],
            "Faded Favourite": [300, 330, 360, 390, 420],
            "Once Last Year": [320],
            "Once Last Week": [7],
            "Twice This Year": [20, 120],
            "Summer Regular": [200, 230, 260],
            "Occasional Office": [60, 240],
        }
        customers = {}
        for name, days_ago in plans.items():
            customer = customers[name] = self._customer(name)
            for ago in days_ago:
                self._order_on(customer, day - timedelta(days=ago), 1000.0)
        return customers

    def _snapshots(self, customers):
        return {name: self._snapshot(c) for name, c in customers.items()}

    def test_every_customer_gets_scores_segment_and_prediction(self):
        customers = self._history()
        self._recompute(*customers.values())
        for name, snapshot in self._snapshots(customers).items():
            with self.subTest(customer=name):
                for score in (
                    snapshot.rfm_recency,
                    snapshot.rfm_frequency,
                    snapshot.rfm_monetary,
                ):
                    self.assertIn(score, range(1, 6))
                self.assertTrue(snapshot.rfm_segment_id)
                self.assertTrue(0.0 <= snapshot.p_alive <= 1.0)
                self.assertGreaterEqual(snapshot.expected_orders, 0.0)
                self.assertAlmostEqual(
                    snapshot.clv,
                    snapshot.clv_historical + snapshot.clv_future,
                    places=2,
                )
                self.assertTrue(snapshot.quadrant)
                self.assertTrue(0.0 <= snapshot.value_score <= 100.0)
                self.assertEqual(snapshot.value_psychological, 0.5)

    def test_recency_and_frequency_order_customers(self):
        customers = self._history()
        self._recompute(*customers.values())
        snapshots = self._snapshots(customers)
        self.assertEqual(snapshots["Daily Dumplings"].rfm_recency, 5)
        self.assertEqual(snapshots["Daily Dumplings"].rfm_frequency, 5)
        self.assertEqual(snapshots["Once Last Year"].rfm_frequency, 1)
        self.assertLessEqual(snapshots["Faded Favourite"].rfm_recency, 2)
        grid = self.env["crm.value.rfm.segment"]._get_grid()
        for snapshot in snapshots.values():
            cell = (snapshot.rfm_recency, snapshot.rfm_frequency)
            self.assertEqual(snapshot.rfm_segment_id.id, grid[cell])

    def test_a_regular_gone_quiet_is_less_alive_than_a_regular(self):
        customers = self._history()
        self._recompute(*customers.values())
        snapshots = self._snapshots(customers)
        self.assertLess(
            snapshots["Faded Favourite"].p_alive, snapshots["Daily Dumplings"].p_alive
        )
        self.assertGreater(
            snapshots["Daily Dumplings"].expected_orders,
            snapshots["Faded Favourite"].expected_orders,
        )
        self.assertGreater(snapshots["Daily Dumplings"].clv_future, 0.0)
        partner = customers["Faded Favourite"]
        self.assertAlmostEqual(
            partner.value_p_alive, snapshots["Faded Favourite"].p_alive, places=2
        )
        at_risk = self.env["res.partner"].search(
            [("value_p_alive", "<", 0.5), ("id", "in", partner.ids)]
        )
        self.assertEqual(at_risk, partner)

    def test_historical_value_without_discounting_is_the_profit_so_far(self):
        self.company.value_discount_rate = 0.0
        customers = self._history()
        self._recompute(*customers.values())
        for snapshot in self._snapshots(customers).values():
            self.assertAlmostEqual(
                snapshot.clv_historical, snapshot.lifetime_net_profit, places=2
            )

    def test_value_matrix_splits_at_the_median(self):
        customers = self._history()
        self._recompute(*customers.values())
        snapshots = self._snapshots(customers).values()
        quadrants = [s.quadrant for s in snapshots]
        self.assertTrue(set(quadrants) <= {"strategic", "maintain", "develop", "low"})
        # The median of the customers who made a profit: a loss is never high.
        profits = sorted(s.net_profit for s in snapshots if s.net_profit > 0)
        median = float(numpy.median(profits))
        for snapshot in snapshots:
            high_now = snapshot.quadrant in ("strategic", "maintain")
            self.assertEqual(
                high_now, snapshot.net_profit > 0 and snapshot.net_profit >= median
            )

    def test_valuable_customers_at_risk_are_both(self):
        """The action's two default filters are AND-ed, as the texts' warning
        is about valuable customers who may leave."""
        customers = self._history()
        self._recompute(*customers.values())
        snapshots = self._snapshots(customers)
        for name, p_alive, decile in (
            ("Daily Dumplings", 0.2, 9),
            ("Weekly Noodles", 0.9, 9),
            ("Faded Favourite", 0.2, 2),
        ):
            snapshots[name].sudo().write({"p_alive": p_alive, "clv_decile": decile})
        domain = search_defaults_domain(
            self.env, "crm_value.crm_value_snapshot_action_at_risk"
        )
        found = self.env["crm.value.snapshot"].search(domain)
        self.assertIn(snapshots["Daily Dumplings"], found)
        self.assertNotIn(snapshots["Weekly Noodles"], found, "likely to buy again")
        self.assertNotIn(snapshots["Faded Favourite"], found, "of little value")
        for snapshot in found:
            self.assertTrue(snapshot.p_alive < 0.5 and snapshot.clv_decile >= 8)

    def test_consultant_edits_a_segment(self):
        customers = self._history()
        champions = self.env.ref("crm_value.rfm_segment_champions")
        champions.write({"recency_min": 4, "frequency_min": 3, "sequence": 1})
        self._recompute(*customers.values())
        for snapshot in self._snapshots(customers).values():
            in_range = snapshot.rfm_recency >= 4 and snapshot.rfm_frequency >= 3
            self.assertEqual(snapshot.rfm_segment_id == champions, in_range)

    def test_bad_segment_ranges_are_refused(self):
        champions = self.env.ref("crm_value.rfm_segment_champions")
        for values in (
            {"recency_min": 0},
            {"frequency_max": 6},
            {"recency_min": 5, "recency_max": 3},
        ):
            with self.assertRaises(ValidationError):
                champions.write(values)
        self.assertEqual(champions.recency_min, 5)

    def test_too_few_repeat_buyers_predict_nothing(self):
        customer = self._customer("Only Customer")
        self._order_on(customer, self.today - timedelta(days=3), 500.0)
        self._recompute(customer)
        snapshot = self._snapshot(customer)
        self.assertFalse(snapshot.p_alive)
        self.assertEqual(snapshot.clv_future, 0.0)
        self.assertEqual(snapshot.rfm_recency, 1)  # alone: the first quintile

    def test_tier_pricelist_applied_unless_pinned(self):
        self.company.value_apply_tier_terms = True
        vip = self.env["product.pricelist"].create({"name": "Platinum prices"})
        self.env.ref("crm_value.tier_platinum").pricelist_id = vip
        top, pinned = self._customer("Top Buyer"), self._customer("Pinned Buyer")
        pinned.value_pricelist_pinned = True
        for customer in (top, pinned):
            self._order_on(customer, self.today, 5000.0)
        self._recompute(top, pinned)
        self.assertEqual(top.value_tier_id, self.env.ref("crm_value.tier_platinum"))
        self.assertEqual(top.property_product_pricelist, vip)
        self.assertNotEqual(pinned.property_product_pricelist, vip)
