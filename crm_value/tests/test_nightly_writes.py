from collections import Counter
from datetime import timedelta

from odoo.tests import tagged

from ..models.crm_value_engine import SCORE_COLUMNS
from ..models.crm_value_ranking import RANK_COLUMNS
from .common import CrmValueCommon

WRITTEN = (*SCORE_COLUMNS, *RANK_COLUMNS, "previous_tier_id")


@tagged("post_install", "-at_install")
class TestNightlyRunWritesEachRowOnce(CrmValueCommon):
    """The nightly run scores and ranks the company in memory and writes each
    queued customer's row once, complete; the other customers' rows only
    where their scores or tiers moved; and what it writes is what scoring and
    ranking the stored rows give."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["crm.value.snapshot"].search([]).unlink()
        cls.today = cls.company._get_value_today()

    def setUp(self):
        super().setUp()
        self.customers = self.env["res.partner"]
        for name, days_ago, amount in (
            ("Golden Leaf", [20, 50, 80, 110, 140], 500.0),
            ("Silver Spring", [10, 100, 190], 500.0),
            ("Silver Twin", [10, 100, 190], 500.0),  # ties broken by row id
            ("Copper Kettle", [200, 290], 400.0),
            ("Faded Favourite", [300, 330, 360], 300.0),
            ("Iron Pot", [60], 200.0),
            ("Once Long Ago", [400], 100.0),
        ):
            customer = self._customer(name)
            self.customers |= customer
            for ago in days_ago:
                self._order_on(customer, self.today - timedelta(days=ago), amount)
        self.small = self.customers.filtered(lambda c: c.name == "Once Long Ago")
        # Every write of a snapshot row, by the database itself.
        self.env.cr.execute(
            """
            CREATE TEMPORARY TABLE snapshot_writes (
                snapshot_id int, company_id int, operation text
            ) ON COMMIT DROP;
            CREATE FUNCTION record_snapshot_write() RETURNS trigger
                LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO snapshot_writes VALUES (NEW.id, NEW.company_id, TG_OP);
                RETURN NEW;
            END $$;
            CREATE TRIGGER record_snapshot_write
                AFTER INSERT OR UPDATE ON crm_value_snapshot
                FOR EACH ROW EXECUTE FUNCTION record_snapshot_write();
            """
        )

    def _writes(self):
        """{snapshot id: [operation, ...]} of this company's rows since the last
        call."""
        self.env.cr.execute(
            """
            DELETE FROM snapshot_writes WHERE company_id = %s
            RETURNING snapshot_id, operation
            """,
            [self.company.id],
        )
        writes = {}
        for snapshot_id, operation in self.env.cr.fetchall():
            writes.setdefault(snapshot_id, []).append(operation)
        return writes

    def _current(self):
        return self.env["crm.value.snapshot"].search(
            [("company_id", "=", self.company.id), ("is_current", "=", True)]
        )

    def _night(self, full=True):
        """The nightly run; a full pass, or only the customers queued."""
        self.company.value_last_full_recompute = False if full else self.today
        self.engine._cron_recompute_value(batch_size=3)

    def _to_yesterday(self):
        """Make today's rows yesterday's: the next night replaces them."""
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE crm_value_snapshot SET date = date - 1 WHERE company_id = %s",
            [self.company.id],
        )
        self.env["crm.value.snapshot"].invalidate_model()
        self._writes()

    def assertStoredAsScoredAndRanked(self):
        """Scoring and ranking the stored rows again finds nothing to change."""
        before = {s.id: s.read(WRITTEN)[0] for s in self._current()}
        self.scoring._score_company(self.company)
        self.ranking._rank_company(self.company)
        self.assertFalse(self._writes(), "nothing to rewrite")
        self.assertEqual({s.id: s.read(WRITTEN)[0] for s in self._current()}, before)

    def test_first_and_next_night_write_each_row_once(self):
        self._night()
        current = self._current()
        self.assertEqual(current.partner_id, self.customers)
        self.assertTrue(all(s.p_alive and s.tier_id for s in current), "complete")
        self.assertEqual(self._writes(), {s.id: ["INSERT"] for s in current})
        self.assertStoredAsScoredAndRanked()

        self._to_yesterday()
        tiers = {s.partner_id: s.tier_id for s in current}
        self._night()
        today = self._current()
        self.assertFalse(today & current, "new rows for today")
        self.assertEqual({s.partner_id: s.previous_tier_id for s in today}, tiers)
        self.assertEqual(Counter(today.mapped("tier_move")), {"same": len(today)})
        # The new rows inserted complete, the replaced ones made not current.
        self.assertEqual(
            self._writes(),
            {
                **{s.id: ["INSERT"] for s in today},
                **{s.id: ["UPDATE"] for s in current},
            },
        )
        self.assertStoredAsScoredAndRanked()

    def test_a_second_run_of_the_day_updates_todays_rows_once(self):
        self._night()
        first = self._current()
        self._writes()
        self._direct_invoice(self.small, 5000.0)
        self._night(full=False)
        self.assertEqual(self._current(), first, "today's rows kept")
        self.assertEqual(self._writes()[self._snapshot(self.small).id], ["UPDATE"])
        self.assertStoredAsScoredAndRanked()

    def test_queued_customer_moves_the_others_who_are_rewritten_once(self):
        self._night()
        self._to_yesterday()
        self._night()
        self._to_yesterday()
        yesterday = {s.partner_id: s for s in self._current()}
        top = max(yesterday.values(), key=lambda s: s.lifetime_net_profit)
        self._direct_invoice(self.small, 20000.0)
        self._night(full=False)
        current = self._current()
        new = current - current.filtered(lambda s: s.date < self.today)
        self.assertEqual(new.partner_id, self.small, "only the queued customer")
        self.assertEqual(new.tier_id, self.env.ref("crm_value.tier_platinum"))
        self.assertEqual(new.tier_move, "up")
        writes = self._writes()
        self.assertEqual(writes.pop(new.id), ["INSERT"])
        self.assertEqual(writes.pop(yesterday[self.small].id), ["UPDATE"])
        # The others are ranked below a new first: those whose scores or tier
        # moved are updated once, the others not written.
        self.assertIn(top.id, writes, "the former first moved")
        self.assertEqual(top.tier_move, "down")
        self.assertEqual(top.partner_id.value_tier_id, top.tier_id)
        self.assertEqual(set(map(tuple, writes.values())), {("UPDATE",)})
        self.assertLessEqual(set(writes), {s.id for s in current})
        self.assertStoredAsScoredAndRanked()

    def test_figures_stored_alone_carry_yesterdays_scores_and_tier(self):
        self._night()
        self._to_yesterday()
        before = self._snapshot(self.small).read(WRITTEN)[0]
        self.engine._recompute_partners(self.company, self.small.ids)
        today = self._snapshot(self.small)
        self.assertEqual(self._writes()[today.id], ["INSERT"])
        after = today.read(WRITTEN)[0]
        self.assertNotEqual(after.pop("id"), before.pop("id"))
        self.assertEqual(after["previous_tier_id"], before["tier_id"])
        for name in ("previous_tier_id", "tier_move"):  # tier_move: set by ranking
            before.pop(name)
            after.pop(name)
        self.assertEqual(after, before)
