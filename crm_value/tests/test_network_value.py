from datetime import timedelta

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import CrmValueCommon


@tagged("post_install", "-at_install")
class TestNetworkValue(CrmValueCommon):
    """A customer's network value (网络化价值): the customers it referred who
    bought, and their net profit, summed in the nightly pass; counted in the
    profit it is ranked on when the company gives it a weight."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["crm.value.snapshot"].search([]).unlink()
        cls.today = cls.company._get_value_today()
        cls.network = cls.env["crm.value.network"]
        cls.referrer = cls._customer("Jade Tea House")
        cls.friend = cls._customer("West Lake Trading")
        cls.neighbour = cls._customer("Pearl Foods")
        cls.stranger = cls._customer("Bargain Mart")
        (cls.friend | cls.neighbour).value_referred_by_id = cls.referrer
        cls.salesman = new_test_user(
            cls.env,
            login="network_salesman",
            groups="sales_team.group_sale_salesman_all_leads,"
            "base.group_partner_manager,crm_value.group_crm_value_user",
        )

    def setUp(self):
        super().setUp()
        self._order_on(self.referrer, self.today - timedelta(days=20), 100.0)
        # Bought inside the window and long before it.
        self._order_on(self.friend, self.today - timedelta(days=30), 1000.0)
        self._order_on(self.friend, self.today - timedelta(days=600), 500.0)
        self._order_on(self.neighbour, self.today - timedelta(days=10), 300.0)
        self._order_on(self.stranger, self.today - timedelta(days=5), 400.0)

    def _night(self, full=True):
        """The nightly run; a full pass, or only the customers queued."""
        self.company.value_last_full_recompute = False if full else self.today
        self.engine._cron_recompute_value()

    def _referred_sum(self, column):
        return sum(self._snapshot(c)[column] for c in (self.friend, self.neighbour))

    def test_network_profit_is_the_referred_customers_net_profit(self):
        self._night()
        mine = self._snapshot(self.referrer)
        self.assertEqual(mine.referral_count, 2)
        self.assertAlmostEqual(mine.network_profit, self._referred_sum("net_profit"))
        self.assertAlmostEqual(
            mine.lifetime_network_profit, self._referred_sum("lifetime_net_profit")
        )
        self.assertGreater(mine.lifetime_network_profit, mine.network_profit)
        self.assertGreater(mine.network_profit, 0)
        # Mirrored on the partner; nobody referred, nothing.
        self.assertEqual(self.referrer.value_referral_count, 2)
        self.assertAlmostEqual(self.referrer.value_network_profit, mine.network_profit)
        self.assertAlmostEqual(
            self.referrer.value_lifetime_network_profit, mine.lifetime_network_profit
        )
        self.assertEqual(self.referrer.value_referred_partner_count, 2)
        self.assertFalse(self._snapshot(self.stranger).network_profit)
        self.assertFalse(self._snapshot(self.friend).referral_count)
        # The partner list finds the referrers by their figures.
        Partner = self.env["res.partner"]
        self.assertEqual(
            Partner.search([("value_referral_count", ">", 0)]), self.referrer
        )
        self.assertEqual(
            Partner.search([("value_referred_by_id", "=", self.referrer.id)]),
            self.friend | self.neighbour,
        )

    def test_referred_customer_who_never_bought_does_not_count(self):
        newcomer = self._customer("Panda Café", value_referred_by_id=self.referrer.id)
        self._night()
        self.assertEqual(self._snapshot(self.referrer).referral_count, 2)
        self.assertEqual(self.referrer.value_referred_partner_count, 3)
        action = self.referrer.action_open_value_referrals()
        self.assertEqual(
            self.env["res.partner"].search(action["domain"]),
            self.friend | self.neighbour | newcomer,
        )

    def test_referred_customer_invoice_moves_the_unqueued_referrer(self):
        self._night()
        before = self._snapshot(self.referrer)
        self._direct_invoice(self.neighbour, 2000.0)
        queued = self.env["crm.value.queue"].search([]).partner_id
        self.assertIn(self.neighbour, queued)
        self.assertNotIn(self.referrer, queued)
        self._night(full=False)
        after = self._snapshot(self.referrer)
        self.assertEqual(after, before, "the referrer's row rewritten in place")
        self.assertAlmostEqual(after.network_profit, self._referred_sum("net_profit"))
        self.assertAlmostEqual(
            after.lifetime_network_profit, self._referred_sum("lifetime_net_profit")
        )
        self.assertGreater(after.network_profit, 2000.0 * 0.7)

    def test_a_customer_cannot_be_its_own_referrer(self):
        contact = self.env["res.partner"].create(
            {"name": "Li Na", "parent_id": self.friend.id}
        )
        self.assertEqual(contact.value_referred_by_id, self.referrer, "shared")
        for customer, referrer in (
            (self.referrer, self.referrer),
            (self.referrer, self.friend),  # who it referred
            (self.referrer, contact),  # the same, through a contact
        ):
            with self.subTest(customer=customer.name, referrer=referrer.name):
                with self.assertRaises(ValidationError) as caught:
                    customer.value_referred_by_id = referrer
                self.assertIn("circle", str(caught.exception))
        # A chain is no circle.
        self.stranger.value_referred_by_id = self.friend
        self.assertEqual(self.stranger.value_referred_by_id, self.friend)

    def test_network_weight_counts_referrals_in_the_ranking_profit(self):
        Standing = self.env["crm.value.standing"]
        self._night()
        self.assertEqual(self.ranking._get_ranking_basis(self.company), "net_profit")
        mine = self._snapshot(self.referrer)
        self.assertAlmostEqual(mine.ranking_profit, mine.net_profit)
        self.assertFalse(self.referrer.value_rank_includes_network)
        ids = (self.referrer | self.neighbour).ids
        alone = Standing._get_standings(self.company, ids)
        self.assertGreater(
            alone[self.referrer.id].rank(), alone[self.neighbour.id].rank()
        )

        self.company.value_network_weight = 50.0
        self.assertEqual(
            self.ranking._get_ranking_basis(self.company), "ranking_profit"
        )
        self._night()
        mine = self._snapshot(self.referrer)
        self.assertAlmostEqual(
            mine.ranking_profit, mine.net_profit + 0.5 * mine.network_profit, places=2
        )
        stranger = self._snapshot(self.stranger)
        self.assertAlmostEqual(stranger.ranking_profit, stranger.net_profit)
        # Ranked above the customer it referred now, and it says why.
        counted = Standing._get_standings(self.company, ids)
        self.assertLess(
            counted[self.referrer.id].rank(), counted[self.neighbour.id].rank()
        )
        self.referrer.invalidate_recordset()
        self.assertTrue(self.referrer.value_rank_includes_network)
        self.assertFalse(self.stranger.value_rank_includes_network)
        self.assertIn("from referrals", self.referrer.value_tier_reason)
        self.assertNotIn("from referrals", self.stranger.value_tier_reason or "")
        # A manager's *Recompute now* ranks on the same profit.
        self._recompute(self.referrer)
        self.assertAlmostEqual(
            self._snapshot(self.referrer).ranking_profit, mine.ranking_profit
        )

    def test_weight_is_a_share(self):
        with self.assertRaises(ValidationError):
            self.company.value_network_weight = 120.0
        settings = Form(self.env["res.config.settings"])
        settings.value_network_weight = 25.0
        settings.save().execute()
        self.assertEqual(self.company.value_network_weight, 25.0)

    def test_salesman_writes_the_referrer_not_the_network_figures(self):
        self._night()
        partner = self.stranger.with_user(self.salesman)
        partner.value_referred_by_id = self.referrer
        self.assertEqual(self.stranger.value_referred_by_id, self.referrer)
        for vals in (
            {"value_referral_count": 9},
            {"value_network_profit": 1e6},
            {"value_lifetime_network_profit": 1e6},
            {"value_rank_includes_network": True},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                partner.write(vals)
        with self.assertRaises(AccessError):
            partner.read(["value_network_profit"])
        with self.assertRaises(AccessError):
            self._snapshot(self.referrer).with_user(self.salesman).write(
                {"referral_count": 9}
            )

    def test_network_queries_do_not_grow_with_customers(self):
        def rows_of(count):
            referrer = self._customer("Referrer")
            customers = self.env["res.partner"].create(
                [
                    {
                        "name": f"Referred {n}",
                        "is_company": True,
                        "value_referred_by_id": referrer.id,
                    }
                    for n in range(count)
                ]
            )
            partners = referrer | customers
            self.env.flush_all()
            return partners, {
                "partner_id": partners.ids,
                "first_sale_date": [self.today] * len(partners),
                "net_profit": [10.0] * len(partners),
                "lifetime_net_profit": [20.0] * len(partners),
            }

        counts = []
        for size in (1, 3, 30):
            partners, rows = rows_of(size)
            before = self.env.cr.sql_log_count
            values = self.network._network_rows(self.company, rows)
            partners.invalidate_recordset()
            partners.mapped("value_referred_partner_count")
            counts.append(self.env.cr.sql_log_count - before)
            self.assertEqual(values["referral_count"][0], size)
            self.assertAlmostEqual(values["network_profit"][0], 10.0 * size)
            self.assertAlmostEqual(values["lifetime_network_profit"][0], 20.0 * size)
            self.assertEqual(partners[0].value_referred_partner_count, size)
        # The first call reads what every call shares (the company's currency).
        self.assertEqual(counts[1], counts[2])
