from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import CrmValueCommon


@tagged("post_install", "-at_install")
class TestRelationshipLevels(CrmValueCommon):
    """Each tier's relationship level proposed from its number of current
    customers and their margin (Kotler's matrix), set after the night's
    ranking unless a manager pinned it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Tier = cls.env["crm.value.tier"]
        cls.env["crm.value.snapshot"].search([]).unlink()
        # Few: up to 2 customers; many: from 4. Low margin: below 20%; high:
        # from 50%.
        cls.company.write(
            {
                "value_relationship_few_max": 2,
                "value_relationship_many_min": 4,
                "value_relationship_low_margin": 20.0,
                "value_relationship_high_margin": 50.0,
                "value_handling_cost": 60.0,
            }
        )
        own = {"company_id": cls.company.id, "relationship_level": "reactive"}
        # One create: a tier set is checked whole.
        cls.top, cls.base, cls.loss = Tier.create(
            [
                {"name": "Top", "code": "top", "rule_type": "profit_min"}
                | {"sequence": 1, "threshold": 400.0}
                | own,
                {"name": "Base", "code": "base", "rule_type": "profit_min"}
                | {"sequence": 2, "threshold": 0.0}
                | own,
                {"name": "Loss", "code": "loss", "rule_type": "profit_max"}
                | {"sequence": 3, "threshold": 0.0}
                | own,
            ]
        )
        cls.cron_user = cls.env.ref("crm_value.ir_cron_recompute_value").user_id

    def _sell_to(self, name, amount):
        """A customer with one service order invoiced today: revenue `amount`,
        cost of the service 30, handling 60."""
        customer = self._customer(name)
        self._order_on(customer, self.company._get_value_today(), amount)
        return customer

    def _sell_pyramid(self):
        """Top: 2 customers at 1000 (margin 91%); Base: 4 at 100 (10%); Loss:
        one at 50 (-80%)."""
        customers = [self._sell_to(f"Top {i}", 1000.0) for i in range(2)]
        customers += [self._sell_to(f"Base {i}", 100.0) for i in range(4)]
        customers.append(self._sell_to("Loss", 50.0))
        return customers

    def _nightly_run(self):
        self.company.value_last_full_recompute = False  # a full pass tonight
        self.engine.with_user(self.cron_user)._cron_recompute_value()

    def test_the_night_sets_each_tier_from_its_counts_and_margin(self):
        customers = self._sell_pyramid()
        self._nightly_run()
        self.assertEqual(
            [c.with_company(self.company).value_tier_id for c in customers],
            [self.top] * 2 + [self.base] * 4 + [self.loss],
        )
        tiers = self.top | self.base | self.loss
        self.assertEqual(tiers.mapped("relationship_customer_count"), [2, 4, 1])
        self.assertEqual(
            [round(m, 1) for m in tiers.mapped("relationship_margin_percent")],
            [91.0, 10.0, -80.0],
        )
        # few x high, many x low, few x low
        self.assertEqual(
            tiers.mapped("relationship_level"),
            ["partnership", "basic", "accountable"],
        )
        self.assertEqual(
            tiers.mapped("relationship_proposed_level"),
            tiers.mapped("relationship_level"),
        )
        self.assertEqual(
            customers[0].with_company(self.company).value_relationship_level,
            "partnership",
        )

    def test_the_thresholds_move_the_proposal(self):
        self._sell_pyramid()
        self._nightly_run()
        self.company.value_relationship_many_min = 5  # 4 customers: medium
        self.company.value_relationship_high_margin = 95.0  # 91%: medium
        self.env["crm.value.tier"].invalidate_model()
        self.assertEqual(self.base.relationship_proposed_level, "reactive")
        self.assertEqual(self.top.relationship_proposed_level, "proactive")
        self.env["crm.value.tier"]._apply_relationship_proposals(self.company)
        self.assertEqual(self.base.relationship_level, "reactive")
        self.assertEqual(self.top.relationship_level, "proactive")

    def test_a_pinned_level_stays(self):
        self._sell_pyramid()
        with Form(self.base) as form:
            form.relationship_level = "proactive"
            form.relationship_level_pinned = True
        self._nightly_run()
        self.assertEqual(self.base.relationship_level, "proactive")
        self.assertEqual(self.base.relationship_proposed_level, "basic")
        self.assertFalse(self.base.relationship_follows_proposal)
        self.assertEqual(self.top.relationship_level, "partnership")
        self.base.relationship_level_pinned = False
        self._nightly_run()
        self.assertEqual(self.base.relationship_level, "basic")

    def test_a_tier_without_customers_keeps_its_level(self):
        self._sell_to("Top only", 1000.0)
        self._nightly_run()
        self.assertEqual(self.top.relationship_level, "partnership")
        self.assertFalse(self.base.relationship_proposed_level)
        self.assertEqual(self.base.relationship_level, "reactive")

    def test_margin_over_the_whole_history_when_ranking_on_it(self):
        self._sell_pyramid()
        self.company.value_ranking_basis = "lifetime"
        self._nightly_run()
        self.assertEqual(self.base.relationship_level, "basic")
        figures = self.env["crm.value.tier"]._get_relationship_figures(
            self.company, self.base.ids
        )
        self.assertAlmostEqual(figures[self.base.id][1], 10.0)

    def test_shared_tiers_follow_only_a_company_ranking_alone_on_them(self):
        Tier = self.env["crm.value.tier"]
        (self.top | self.base | self.loss).active = False
        iron = self.env.ref("crm_value.tier_iron")
        lead = self.env.ref("crm_value.tier_lead")
        self.assertIn(iron, Tier._get_company_tiers(self.company))
        others = self.env["res.company"].search([]) - self.company
        self.assertTrue(others, "other companies rank on the shared tiers too")
        self._sell_pyramid()
        self._nightly_run()
        # Iron: the four at 10%, Lead: the one at -80%.
        self.assertEqual(iron.relationship_customer_count, 4)
        self.assertEqual(iron.relationship_proposed_level, "basic")
        self.assertEqual(lead.relationship_proposed_level, "accountable")
        # No one company's night sets what the others see from other numbers.
        self.assertEqual(
            (iron | lead).mapped("relationship_level"), ["accountable", "basic"]
        )
        self.assertFalse(iron.relationship_follows_proposal)
        # Once every other company has its own tiers, the shared ones are
        # this company's alone and follow its numbers.
        for other in others:
            Tier.create(
                [
                    {"name": "All", "code": "all", "rule_type": "customer_share"}
                    | {"threshold": 100.0, "company_id": other.id},
                    {"name": "Losses", "code": "losses", "rule_type": "profit_max"}
                    | {"threshold": 0.0, "company_id": other.id},
                ]
            )
        Tier.invalidate_model()
        self.assertTrue(iron.relationship_follows_proposal)
        Tier._apply_relationship_proposals(others[0])
        self.assertEqual(iron.relationship_level, "accountable", "not its tiers")
        Tier._apply_relationship_proposals(self.company)
        self.assertEqual(
            (iron | lead).mapped("relationship_level"), ["basic", "accountable"]
        )

    def test_relationship_level_is_a_partner_filter(self):
        customers = self._sell_pyramid()
        self._nightly_run()
        Partner = self.env["res.partner"].with_company(self.company)
        self.assertEqual(
            Partner.search(
                [
                    ("id", "in", [c.id for c in customers]),
                    ("value_relationship_level", "in", ["partnership", "proactive"]),
                ]
            ).ids,
            [c.id for c in customers[:2]],
        )
        self.assertEqual(
            len(
                Partner.search(
                    [
                        ("id", "in", [c.id for c in customers]),
                        ("value_relationship_level", "=", "basic"),
                    ]
                )
            ),
            4,
        )

    def test_salesmen_change_neither_levels_nor_pins(self):
        salesman = new_test_user(
            self.env, login="salesman_rel", groups="sales_team.group_sale_salesman"
        )
        value_user = new_test_user(
            self.env, login="value_user_rel", groups="crm_value.group_crm_value_user"
        )
        for user in (salesman, value_user):
            tier = self.base.with_user(user)
            self.assertEqual(tier.relationship_level, "reactive")
            for values in (
                {"relationship_level": "partnership"},
                {"relationship_level_pinned": True},
            ):
                with self.assertRaises(AccessError):
                    tier.write(values)
            with self.assertRaises(AccessError):
                tier.read(["relationship_margin_percent"])

    def test_thresholds_that_draw_no_bands_are_refused(self):
        with self.assertRaises(ValidationError):
            self.company.value_relationship_many_min = 2  # not above few (2)
        with self.assertRaises(ValidationError):
            self.company.value_relationship_low_margin = 60.0  # above high (50)

    def test_settings_carry_the_thresholds(self):
        with Form(self.env["res.config.settings"]) as settings:
            settings.value_relationship_few_max = 3
            settings.value_relationship_high_margin = 40.0
        self.assertEqual(self.company.value_relationship_few_max, 3)
        self.assertEqual(self.company.value_relationship_high_margin, 40.0)
