from collections import Counter
from datetime import timedelta

import psycopg2
from dateutil.relativedelta import relativedelta

from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from ..models.crm_value_engine import SCORE_COLUMNS
from .common import CrmValueCommon


@tagged("post_install", "-at_install")
class TestSnapshotsCountedOnce(CrmValueCommon):
    """A customer has one current snapshot per company, dated by the company's
    day whoever recomputes, and a stored customer is always complete."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["crm.value.snapshot"].search([]).unlink()
        cls.company.partner_id.tz = "Asia/Shanghai"
        cls.manager = new_test_user(
            cls.env,
            login="cv_snapshot_manager",
            groups="crm_value.group_crm_value_manager",
            tz="Pacific/Kiritimati",  # UTC+14: a day ahead of most of the world
        )
        cls.cron_user = cls.env.ref("crm_value.ir_cron_recompute_value").user_id
        cls.cron_user.tz = "Pacific/Pago_Pago"  # UTC-11
        cls.today = cls.company._get_value_today()

    def setUp(self):
        super().setUp()
        self.customers = self.env["res.partner"]
        for name, days_ago in (
            ("Golden Leaf", [20, 50, 80, 110, 140]),
            ("Silver Spring", [10, 100, 190]),
            ("Copper Kettle", [200, 290]),
            ("Faded Favourite", [300, 330, 360]),
            ("Iron Pot", [60]),
            ("Once Long Ago", [400]),
        ):
            customer = self._customer(name)
            self.customers |= customer
            for ago in days_ago:
                self._order_on(customer, self.today - timedelta(days=ago), 500.0)

    def _current(self):
        return self.env["crm.value.snapshot"].search(
            [
                ("partner_id", "in", self.customers.ids),
                ("company_id", "=", self.company.id),
                ("is_current", "=", True),
            ]
        )

    def _nightly_run(self):
        self.company.value_last_full_recompute = False  # the next night
        self.engine.with_user(self.cron_user)._cron_recompute_value()

    def test_recompute_in_another_time_zone_keeps_one_current_snapshot(self):
        self._nightly_run()
        tiers = Counter(s.tier_id.code for s in self._current())
        self.assertEqual(sum(tiers.values()), len(self.customers))
        # A manager a day ahead recomputes a customer, then the night comes.
        self.customers[0].with_user(self.manager).action_recompute_value()
        self._nightly_run()
        current = self._current()
        self.assertEqual(
            sorted(current.partner_id.ids), sorted(self.customers.ids), "once each"
        )
        self.assertEqual(set(current.mapped("date")), {self.today})
        self.assertEqual(Counter(s.tier_id.code for s in current), tiers)

    def test_database_refuses_a_second_current_snapshot(self):
        self._recompute(*self.customers)
        snapshot = self._current()[0]
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(psycopg2.errors.UniqueViolation),
            self.env.cr.savepoint(),
        ):
            self.env.cr.execute(
                """
                INSERT INTO crm_value_snapshot (partner_id, company_id, date, is_current)
                VALUES (%s, %s, %s, TRUE)
                """,
                [
                    snapshot.partner_id.id,
                    self.company.id,
                    self.today - timedelta(days=30),
                ],
            )

    def test_customers_stored_before_scoring_keep_yesterdays_scores(self):
        self._recompute(*self.customers)
        yesterday = self._current()
        self.assertTrue(all(s.p_alive for s in yesterday), "the model was fitted")
        self.env.cr.execute(
            "UPDATE crm_value_snapshot SET date = date - 1 WHERE id IN %s",
            [tuple(yesterday.ids)],
        )
        yesterday.invalidate_recordset()
        scores = {
            s.partner_id: s.read([*SCORE_COLUMNS, "tier_id"])[0] for s in yesterday
        }
        # Today's run stores the figures and stops before scoring.
        self.engine._recompute_queued(
            self.company, sorted(self.customers.ids), 0, batch_size=2
        )
        today = self._current()
        self.assertFalse(today & yesterday, "a new row for today")
        for snapshot in today:
            with self.subTest(customer=snapshot.partner_id.name):
                kept = snapshot.read([*SCORE_COLUMNS, "tier_id"])[0]
                kept.pop("id")
                expected = dict(scores[snapshot.partner_id])
                expected.pop("id")
                self.assertEqual(kept, expected)
                self.assertEqual(snapshot.previous_tier_id, snapshot.tier_id)
        self.assertEqual(set(today.mapped("date")), {self.today})

    def test_analysis_window_starts_on_the_company_day(self):
        self.company.value_window_months = 12
        start = self.today - relativedelta(months=12)
        self.assertEqual(self.company._get_value_window_start(), start)
        manager_customer = self.customers[0].with_user(self.manager)
        self.assertEqual(manager_customer.value_window_start, start)
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.value_window_start, start)
        # An invoice of the window's first day counts in it, whoever computes.
        customer = self._customer("First Day Buyer")
        self._direct_invoice(customer, 80.0, invoice_date=start)
        self._direct_invoice(customer, 20.0, invoice_date=start - timedelta(days=1))
        customer.with_user(self.manager).action_recompute_value()
        self.assertFigures(customer, revenue=80.0, lifetime_revenue=100.0)
