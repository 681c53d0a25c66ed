from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import CrmValueCommon

NBSP = "\N{NO-BREAK SPACE}"


@tagged("post_install", "-at_install")
class TestCustomerExplained(CrmValueCommon):
    """The customer form says why a customer has its tier and what would move
    it up; customer lists sum the figures; only managers see amounts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.platinum = cls.env.ref("crm_value.tier_platinum")
        cls.gold = cls.env.ref("crm_value.tier_gold")
        cls.iron = cls.env.ref("crm_value.tier_iron")
        cls.env.user.lang = "en_US"
        cls.manager = new_test_user(
            cls.env,
            login="explained_manager",
            groups="base.group_user,crm_value.group_crm_value_manager",
            company_id=cls.company.id,
            lang="en_US",
        )
        cls.user = new_test_user(
            cls.env,
            login="explained_user",
            groups="base.group_user,crm_value.group_crm_value_user",
            company_id=cls.company.id,
            lang="en_US",
        )
        # Profits 600, 200, 100, 100 (1,000): the shares held above each are
        # 0%, 60%, 80% and 90%, so Platinum, Gold, Iron, Iron.
        cls.big = cls._customer("Explained Big")
        cls.second = cls._customer("Explained Second")
        cls.third = cls._customer("Explained Third")
        cls.fourth = cls._customer("Explained Fourth")
        cls.customers = cls.big | cls.second | cls.third | cls.fourth

    def setUp(self):
        super().setUp()
        for customer, amount in (
            (self.big, 600),
            (self.second, 200),
            (self.third, 100),
            (self.fourth, 100),
        ):
            self._direct_invoice(customer, amount)
        self._recompute(*self.customers)

    def _as(self, user, record):
        return record.with_user(user).with_company(self.company)

    def test_form_explains_the_tier_of_a_ranked_customer(self):
        second = self._as(self.manager, self.second)
        self.assertEqual(second.value_tier_id, self.gold)
        self.assertEqual(
            second.value_tier_reason,
            "Rank 2 of 4 by net profit over the last 12 months: the customers "
            "above it make 60% of the profit, 80% with it. Gold covers the "
            "customers from 50% to 80% of cumulative profit.",
        )
        # 600 < 50% of (1,000 + x) from x = 200.01; with 400.01 it stays second.
        self.assertEqual(
            second.value_tier_next_step,
            f"${NBSP}200.01 more net profit over the last 12 months would move it "
            "up to Platinum, the other customers' figures unchanged.",
        )
        big = self._as(self.manager, self.big)
        self.assertEqual(
            big.value_tier_reason,
            "Rank 1 of 4 by net profit over the last 12 months: it alone makes "
            "60% of the profit. Platinum covers the customers from 0% to 50% of "
            "cumulative profit.",
        )
        self.assertEqual(big.value_tier_next_step, "Platinum is the top tier.")
        # The amount is the least that does it: invoiced, it wins Platinum.
        self._direct_invoice(self.second, 200.0)
        self._recompute(self.second)
        self.assertEqual(self.second.value_tier_id, self.gold, "200.00 is not enough")
        self._direct_invoice(self.second, 0.01)
        self._recompute(self.second)
        self.assertEqual(self.second.value_tier_id, self.platinum)

    def test_explanation_is_in_the_readers_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        reason = self._as(self.manager, self.second).with_context(lang="fr_FR")
        # Untranslated strings fall back to English, but the numbers follow
        # the reader's language (a comma for decimals in French).
        self.assertIn(f"${NBSP}200,01", reason.value_tier_next_step)

    def test_a_user_gets_the_reason_but_no_amount(self):
        second = self._as(self.user, self.second)
        self.assertIn("Rank 2 of 4", second.value_tier_reason)
        with self.assertRaises(AccessError):
            _amount = second.value_tier_next_step
        with self.assertRaises(AccessError):
            second.read(["value_tier_next_step"])
        kinds = [s["axis"] for s in second.value_history_chart["series"]]
        self.assertEqual(kinds, ["levels"], "the tier only, no profit series")
        manager_chart = self._as(self.manager, self.second).value_history_chart
        self.assertEqual(
            [s["data"] for s in manager_chart["series"]],
            [[200.0], [3]],  # 3: Gold, above Iron, Lead and no tier
        )

    def test_an_employee_outside_customer_value_reads_no_ranking(self):
        """Rank and shares of profit are the Value tab's: an employee without
        Customer Value (a warehouse user reading partners) gets neither."""
        employee = new_test_user(
            self.env,
            login="explained_employee",
            groups="base.group_user",
            company_id=self.company.id,
        )
        second = self._as(employee, self.second)
        for field in ("value_tier_reason", "value_history_chart"):
            with self.assertRaises(AccessError):
                second.read([field])

    def test_locked_tier_says_so(self):
        self.fourth.write({"value_tier_id": self.gold.id, "value_tier_locked": True})
        fourth = self._as(self.manager, self.fourth)
        self.assertIn("is locked", fourth.value_tier_reason)
        self.assertFalse(fourth.value_tier_next_step)

    def test_customer_lists_sum_profit_for_managers_only(self):
        domain = [("id", "in", self.customers.ids)]
        Partner = self._as(self.manager, self.env["res.partner"])
        self.assertEqual(
            Partner.fields_get(["value_net_profit"], ["aggregator"]),
            {"value_net_profit": {"aggregator": "sum"}},
        )
        sums = {
            tier: (profit, count)
            for tier, profit, count in Partner._read_group(
                domain, ["value_tier_id"], ["value_net_profit:sum", "__count"]
            )
        }
        self.assertEqual(
            sums,
            {self.platinum: (600.0, 1), self.gold: (200.0, 1), self.iron: (200.0, 2)},
        )
        self.assertEqual(
            Partner.search(domain, order="value_net_profit desc, id").mapped("name"),
            [
                "Explained Big",
                "Explained Second",
                "Explained Third",
                "Explained Fourth",
            ],
        )
        Partner = self._as(self.user, self.env["res.partner"])
        self.assertEqual(Partner.fields_get(["value_net_profit"]), {})
        with self.assertRaises(AccessError):
            Partner.read_group(domain, ["value_net_profit:sum"], ["value_tier_id"])
        with self.assertRaises(AccessError):
            Partner.search(domain, order="value_net_profit desc")
        # Counts stay theirs.
        counts = Partner.read_group(domain, [], ["value_tier_id"])
        self.assertEqual(sorted(g["value_tier_id_count"] for g in counts), [1, 1, 2])
        arch = Partner.get_view(
            self.env.ref("crm_value.res_partner_view_list_customer_value").id, "list"
        )["arch"]
        self.assertNotIn('name="value_net_profit"', arch)

    def test_tier_movements_and_deciles_are_labelled(self):
        partner = self._as(self.user, self.second)
        self.assertEqual(partner.value_tier_move, "new")
        labels = dict(
            partner.fields_get(["value_tier_move"], ["selection"])["value_tier_move"][
                "selection"
            ]
        )
        self.assertEqual(labels["new"], "New")
        Snapshot = self.env["crm.value.snapshot"].with_user(self.user)
        snapshot = Snapshot.browse(self._snapshot(self.second).id)
        snapshot.sudo().clv_decile = 10
        decile = Snapshot.fields_get(["clv_decile_label"], ["selection"])
        self.assertIn(
            ("10", "Decile 10 (top 10%)"), decile["clv_decile_label"]["selection"]
        )
        self.assertEqual(snapshot.clv_decile_label, "10")
        groups = Snapshot.read_group(
            [("partner_id", "in", self.customers.ids), ("is_current", "=", True)],
            [],
            ["clv_decile_label"],
        )
        self.assertIn(
            ("10", 1),
            [(g["clv_decile_label"], g["clv_decile_label_count"]) for g in groups],
        )
